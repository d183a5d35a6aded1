import {
  CreateEventSourceMappingCommand,
  type CreateEventSourceMappingCommandInput,
  DeleteEventSourceMappingCommand,
  type EventSourceMappingConfiguration,
  type LambdaClient,
  ListEventSourceMappingsCommand,
  type SourceAccessConfiguration,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
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
 * SinkMappings on Lambda event source mappings. Lambda allows one topic per Kafka mapping and a
 * consumer group id unique among all Kafka mappings, so a sink connector gets exactly one mapping and
 * it is found again by its group id (`connect-<name>`). A sink with several topics or `topics.regex`
 * cannot be served by one mapping: it gets none and is driven by the bounded kafkajs poller instead.
 * A mapping's topic cannot be updated, so a topic change deletes it and creates a new one.
 */
export function awsSinkMappings(options: AwsSinkMappingsOptions): SinkMappings {
  const { client, functionName } = options;

  async function find(groupId: string): Promise<EventSourceMappingConfiguration[]> {
    const found: EventSourceMappingConfiguration[] = [];
    let Marker: string | undefined;
    do {
      const page = await client.send(
        new ListEventSourceMappingsCommand({ FunctionName: functionName, Marker }),
      );
      for (const m of page.EventSourceMappings ?? []) if (groupOf(m) === groupId) found.push(m);
      Marker = page.NextMarker;
    } while (Marker);
    return found;
  }

  async function remove(mappings: EventSourceMappingConfiguration[]): Promise<void> {
    for (const m of mappings) {
      try {
        await client.send(new DeleteEventSourceMappingCommand({ UUID: m.UUID }));
      } catch (error) {
        // Deleted meanwhile (a retried DELETE): the goal is reached.
        if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
      }
    }
  }

  return {
    async ensure(connector: string, spec: SinkMappingSpec) {
      const existing = await find(spec.groupId);
      const topic = spec.topics.length === 1 ? spec.topics[0] : undefined;
      const keep = existing.filter((m) => topic !== undefined && m.Topics?.[0] === topic);
      await remove(existing.filter((m) => !keep.includes(m)));
      if (topic === undefined) return;
      if (keep.length > 0) {
        for (const m of keep) await setEnabled(m, spec.enabled);
        return;
      }
      await client.send(new CreateEventSourceMappingCommand(createInput(options, connector, topic, spec)));
    },
    async setEnabled(connector: string, enabled: boolean) {
      for (const m of await find(`connect-${connector}`)) await setEnabled(m, enabled);
    },
    async remove(connector: string) {
      await remove(await find(`connect-${connector}`));
    },
  };

  async function setEnabled(mapping: EventSourceMappingConfiguration, enabled: boolean): Promise<void> {
    const isEnabled = mapping.State !== 'Disabled' && mapping.State !== 'Disabling';
    if (isEnabled === enabled) return;
    await client.send(new UpdateEventSourceMappingCommand({ UUID: mapping.UUID, Enabled: enabled }));
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
  connector: string,
  topic: string,
  spec: SinkMappingSpec,
): CreateEventSourceMappingCommandInput {
  const common: CreateEventSourceMappingCommandInput = {
    FunctionName: options.functionName,
    Topics: [topic],
    Enabled: spec.enabled,
    BatchSize: options.batchSize ?? 500,
    // Kafka Connect's sink consumer starts at the earliest offset (`auto.offset.reset=earliest`).
    StartingPosition: 'TRIM_HORIZON',
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
