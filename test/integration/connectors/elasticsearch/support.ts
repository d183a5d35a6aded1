import { Client } from '@opensearch-project/opensearch';
import { createKafka } from '../../../../lib/kafka/client.js';
import { KAFKA_BROKERS, OPENSEARCH_URL, uniqueName } from '../../../support/services.js';
import type { ConnectFixture } from '../support.js';

/** The dev stack's OpenSearch through the official client, to look at what the sink wrote. */
export const opensearch = new Client({ node: OPENSEARCH_URL });

export interface Message {
  key: string | null;
  value: unknown;
  partition?: number;
}

/** A new topic (lower-case, so its index has the same name) with these messages, JSON-encoded. */
export async function topicWith(
  prefix: string,
  messages: readonly Message[],
  partitions = 1,
): Promise<string> {
  const topic = uniqueName(prefix);
  const kafka = createKafka({ brokers: KAFKA_BROKERS });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  await admin.disconnect();
  await produce(topic, messages);
  return topic;
}

export async function produce(topic: string, messages: readonly Message[]): Promise<void> {
  const producer = createKafka({ brokers: KAFKA_BROKERS }).producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: messages.map((m) => ({
      key: m.key,
      value: m.value === null ? null : JSON.stringify(m.value),
      partition: m.partition ?? 0,
    })),
  });
  await producer.disconnect();
}

/** A JsonConverter envelope (`schemas.enable=true`). */
export const enveloped = (schema: unknown, payload: unknown) => ({ schema, payload });

/** Converters for string keys and JSON values, with or without schemas in the values. */
export const jsonValues = (schemas: boolean) => ({
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter.schemas.enable': String(schemas),
});

/** Every document of an index or data stream (after a refresh), by id. */
export async function documents(
  index: string,
): Promise<Map<string, { source: Record<string, unknown>; version?: number }>> {
  await opensearch.indices.refresh({ index });
  const res = await opensearch.search({
    index,
    body: { size: 10_000, version: true, query: { match_all: {} } },
  });
  return new Map(
    res.body.hits.hits.map((h) => [
      h._id as string,
      { source: h._source as Record<string, unknown>, version: h._version },
    ]),
  );
}

export async function count(index: string): Promise<number> {
  try {
    await opensearch.indices.refresh({ index });
    return (await opensearch.count({ index })).body.count;
  } catch {
    return 0;
  }
}

export async function taskState(
  cf: ConnectFixture,
  name: string,
): Promise<{ state?: string; trace?: string }> {
  const status = await cf.call('GET', `/connectors/${name}/status`);
  return status.body?.tasks?.[0] ?? {};
}

/** The committed offsets of a sink connector on `topic`, by partition (its group may hold other topics' too). */
export async function committed(
  cf: ConnectFixture,
  name: string,
  topic: string,
): Promise<Record<number, number>> {
  const reply = await cf.call('GET', `/connectors/${name}/offsets`);
  const offsets: {
    partition: { kafka_topic: string; kafka_partition: number };
    offset: { kafka_offset: number };
  }[] = reply.body?.offsets ?? [];
  return Object.fromEntries(
    offsets
      .filter((o) => o.partition.kafka_topic === topic)
      .map((o) => [o.partition.kafka_partition, o.offset.kafka_offset]),
  );
}
