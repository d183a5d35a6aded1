import {
  CreateBucketCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { KafkaAdmin } from '../../../../lib/kafka/admin.js';
import { createKafka } from '../../../../lib/kafka/client.js';
import { RecordProducer } from '../../../../lib/kafka/producer.js';
import type { WireRecord } from '../../../../lib/kafka/types.js';
import { KAFKA_BROKERS, S3_ENDPOINT, uniqueName } from '../../../support/services.js';
import type { ConnectFixture } from '../support.js';

// The dev stack's S3 (S3Mock) takes any credentials; the sink gets them through the env config provider.
export const CREDENTIALS = { accessKeyId: 'dev-stack', secretAccessKey: 'dev-stack-secret' };
export const s3 = new S3Client({
  endpoint: S3_ENDPOINT,
  forcePathStyle: true,
  region: 'us-east-1',
  credentials: CREDENTIALS,
});
process.env.SC_TEST_S3_SECRET = CREDENTIALS.secretAccessKey;

const kafka = createKafka({ brokers: KAFKA_BROKERS });

export async function newBucket(): Promise<string> {
  const bucket = uniqueName('sc-s3-sink');
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

export async function newTopic(prefix: string, partitions = 1): Promise<string> {
  const topic = uniqueName(prefix);
  const admin = new KafkaAdmin(kafka);
  await admin.createTopics([{ topic, numPartitions: partitions, replicationFactor: 1 }]);
  await admin.disconnect();
  return topic;
}

export async function produce(
  records: (Omit<WireRecord, 'headers'> & Partial<Pick<WireRecord, 'headers'>>)[],
): Promise<void> {
  const producer = new RecordProducer(kafka);
  await producer.send(records.map((r) => ({ headers: [], ...r })));
  await producer.disconnect();
}

/** A value in JsonConverter's schema envelope. */
export function enveloped(schema: unknown, payload: unknown): Buffer {
  return Buffer.from(JSON.stringify({ schema, payload }));
}

/** Every key in the bucket, sorted, read page by page. */
export async function keys(bucket: string): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token, MaxKeys: 100 }),
    );
    out.push(...(page.Contents ?? []).map((o) => o.Key as string));
    token = page.NextContinuationToken;
  } while (token);
  return out.sort();
}

export async function object(bucket: string, key: string): Promise<Buffer> {
  const reply = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(
    await (reply.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
}

export async function jsonLines(bucket: string, key: string): Promise<unknown[]> {
  return (await object(bucket, key))
    .toString()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

export async function openUploads(bucket: string): Promise<number> {
  const reply = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  return (reply.Uploads ?? []).length;
}

/** The S3 sink config every test starts from: the dev stack's S3, path-style, static keys from a provider. */
export function s3Sink(bucket: string, extra: Record<string, string>): Record<string, string> {
  return {
    'connector.class': 'io.confluent.connect.s3.S3SinkConnector',
    'tasks.max': '1',
    's3.bucket.name': bucket,
    's3.region': 'us-east-1',
    'store.url': S3_ENDPOINT,
    'aws.access.key.id': CREDENTIALS.accessKeyId,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a config provider placeholder
    'aws.secret.access.key': '${env:SC_TEST_S3_SECRET}',
    'storage.class': 'io.confluent.connect.s3.storage.S3Storage',
    'format.class': 'io.confluent.connect.s3.format.json.JsonFormat',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    ...extra,
  };
}

/** The committed consumer offset per partition, as `GET /connectors/{c}/offsets` answers it. */
export async function committed(cf: ConnectFixture, name: string): Promise<Record<number, number>> {
  const reply = await cf.call('GET', `/connectors/${name}/offsets`);
  const out: Record<number, number> = {};
  for (const o of reply.body?.offsets ?? []) out[o.partition.kafka_partition] = o.offset.kafka_offset;
  return out;
}
