import {
  CreateAliasCommand,
  CreateEventSourceMappingCommand,
  type CreateEventSourceMappingCommandInput,
  DeleteAliasCommand,
  DeleteEventSourceMappingCommand,
  type EventSourceMappingConfiguration,
  type LambdaClient,
  ListEventSourceMappingsCommand,
  type SourceAccessConfiguration,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import { eventSourceMappingGroupIdProblem } from '../config/connector-name.js';
import { sinkAlias } from '../config/sink-routing.js';
import type { SinkMappingSpec, SinkMappings } from './sink-mappings.js';

/** Where the mappings read from: an MSK cluster, or any Kafka reachable from the function's VPC. */
export type KafkaEventSource =
  | { mskClusterArn: string; accessConfigurations?: SourceAccessConfiguration[] }
  | { bootstrapServers: readonly string[]; accessConfigurations?: SourceAccessConfiguration[] };

export interface AwsSinkMappingsOptions {
  /** Only `send` is used; tests pass a fake that records commands. */
  client: Pick<LambdaClient, 'send'>;
  /** Name or ARN of the sink function the mappings invoke. */
  functionName: string;
  source: KafkaEventSource;
  /** Records per batch handed to the sink function. @default 500 */
  batchSize?: number;
}

/** The tag that names the connector on its mapping, for people and cost reports. */
export const CONNECTOR_TAG = 'serverless-connect:connector';

/**
 * SinkMappings on Lambda event source mappings. Lambda allows one topic per Kafka mapping, so a sink
 * connector with one topic gets exactly one mapping, in group `connect-<name>`, invoking the connector's
 * own alias of the sink function (`sinkAlias`, pointing at `$LATEST`): the alias is how the function
 * knows whose batch it got. A sink with several topics or `topics.regex` gets none and is driven by the
 * bounded kafkajs poller instead. A mapping's topic cannot be updated, so a topic change deletes it and
 * creates a new one. Every call is idempotent: "already exists" and "not found" count as done.
 */
/** The largest `BatchSize` Lambda accepts for a Kafka event source mapping. */
const ESM_MAX_BATCH_SIZE = 10_000;

export function awsSinkMappings(options: AwsSinkMappingsOptions): SinkMappings {
  const { client, functionName } = options;
  const qualified = (connector: string) => `${functionName}:${sinkAlias(connector)}`;

  /** The connector's mappings: those invoking its alias. */
  async function find(connector: string): Promise<EventSourceMappingConfiguration[]> {
    const found: EventSourceMappingConfiguration[] = [];
    let Marker: string | undefined;
    do {
      const page = await client.send(
        new ListEventSourceMappingsCommand({ FunctionName: qualified(connector), Marker }),
      );
      found.push(...(page.EventSourceMappings ?? []));
      Marker = page.NextMarker;
    } while (Marker);
    return found;
  }

  async function remove(mappings: EventSourceMappingConfiguration[]): Promise<void> {
    for (const m of mappings) {
      await idempotent(() => client.send(new DeleteEventSourceMappingCommand({ UUID: m.UUID })));
    }
  }

  async function removeAll(connector: string): Promise<void> {
    await remove(await find(connector));
    await idempotent(() =>
      client.send(new DeleteAliasCommand({ FunctionName: functionName, Name: sinkAlias(connector) })),
    );
  }

  return {
    groupIdProblem: eventSourceMappingGroupIdProblem,
    async ensure(connector: string, spec: SinkMappingSpec) {
      const topic = spec.topics.length === 1 ? spec.topics[0] : undefined;
      if (topic === undefined) return removeAll(connector);
      const existing = await find(connector);
      // Topic and group cannot be updated on a mapping: a change replaces it.
      const keep = existing.filter((m) => m.Topics?.[0] === topic && groupOf(m) === spec.groupId);
      await remove(existing.filter((m) => !keep.includes(m)));
      if (keep.length > 0) {
        for (const m of keep) await setEnabled(m, spec.enabled);
        return;
      }
      await idempotent(() =>
        client.send(
          new CreateAliasCommand({
            FunctionName: functionName,
            Name: sinkAlias(connector),
            FunctionVersion: '$LATEST',
            Description: `Serverless Connect sink connector ${connector}`.slice(0, 256),
          }),
        ),
      );
      try {
        await client.send(
          new CreateEventSourceMappingCommand(
            createInput(options, qualified(connector), connector, topic, spec),
          ),
        );
      } catch (error) {
        // The SDK sends a create again when its reply is lost (a timeout, a reset); the second one
        // finds the group taken by the first. That is done, if the mapping is the one meant here.
        if ((error as { name?: string }).name !== 'ResourceConflictException') throw error;
        const now = await find(connector);
        if (!now.some((m) => m.Topics?.[0] === topic && groupOf(m) === spec.groupId)) throw error;
      }
    },
    async setEnabled(connector: string, enabled: boolean) {
      for (const m of await find(connector)) await setEnabled(m, enabled);
    },
    remove: removeAll,
  };

  async function setEnabled(mapping: EventSourceMappingConfiguration, enabled: boolean): Promise<void> {
    const isEnabled = mapping.State !== 'Disabled' && mapping.State !== 'Disabling';
    if (isEnabled === enabled) return;
    await client.send(new UpdateEventSourceMappingCommand({ UUID: mapping.UUID, Enabled: enabled }));
  }
}

/** Runs a create or delete whose goal may already be reached (a retried request, a concurrent one). */
async function idempotent(call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name !== 'ResourceNotFoundException' && name !== 'ResourceConflictException') throw error;
  }
}

function groupOf(m: EventSourceMappingConfiguration): string | undefined {
  return (
    m.AmazonManagedKafkaEventSourceConfig?.ConsumerGroupId ??
    m.SelfManagedKafkaEventSourceConfig?.ConsumerGroupId
  );
}

function createInput(
  options: AwsSinkMappingsOptions,
  qualifiedFunction: string,
  connector: string,
  topic: string,
  spec: SinkMappingSpec,
): CreateEventSourceMappingCommandInput {
  const common: CreateEventSourceMappingCommandInput = {
    FunctionName: qualifiedFunction,
    Topics: [topic],
    Enabled: spec.enabled,
    // `max.poll.records` is an upper bound, and a Kafka mapping takes at most 10,000 records a batch.
    BatchSize: Math.min(spec.batchSize ?? options.batchSize ?? 500, ESM_MAX_BATCH_SIZE),
    // Kafka Connect's sink consumer starts at the earliest offset (`auto.offset.reset=earliest`).
    StartingPosition: spec.startAtLatest ? 'LATEST' : 'TRIM_HORIZON',
    FunctionResponseTypes: ['ReportBatchItemFailures'],
    Tags: { [CONNECTOR_TAG]: connector },
  };
  const { source } = options;
  if ('mskClusterArn' in source) {
    return {
      ...common,
      EventSourceArn: source.mskClusterArn,
      AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: spec.groupId },
      SourceAccessConfigurations: source.accessConfigurations,
    };
  }
  return {
    ...common,
    SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: [...source.bootstrapServers] } },
    SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: spec.groupId },
    SourceAccessConfigurations: source.accessConfigurations,
  };
}
