import type {
  CreateEventSourceMappingCommandInput,
  EventSourceMappingConfiguration,
  SourceAccessConfiguration,
} from '@aws-sdk/client-lambda';
import type { SinkMappingSpec } from './sink-mappings.js';

/** Where the mappings read from: an MSK cluster, or any Kafka reachable from the function's VPC. */
export type KafkaEventSource =
  | { mskClusterArn: string; accessConfigurations?: SourceAccessConfiguration[] }
  | { bootstrapServers: readonly string[]; accessConfigurations?: SourceAccessConfiguration[] };

/** The tag that names the connector on its mapping, for people and cost reports. */
export const CONNECTOR_TAG = 'serverless-connect:connector';

/** The consumer group a Kafka mapping reads in, MSK or self-managed. */
export function groupOf(m: EventSourceMappingConfiguration): string | undefined {
  return (
    m.AmazonManagedKafkaEventSourceConfig?.ConsumerGroupId ??
    m.SelfManagedKafkaEventSourceConfig?.ConsumerGroupId
  );
}

/**
 * The CreateEventSourceMapping request of a sink connector's mapping: one topic, its group, the
 * connector's alias of the sink function, tagged with the connector's name.
 */
export function createInput(
  source: KafkaEventSource,
  qualifiedFunction: string,
  connector: string,
  topic: string,
  spec: SinkMappingSpec,
  batchSize: number,
): CreateEventSourceMappingCommandInput {
  const common: CreateEventSourceMappingCommandInput = {
    FunctionName: qualifiedFunction,
    Topics: [topic],
    Enabled: spec.enabled,
    BatchSize: batchSize,
    // Invoke as soon as records are there, as a Kafka Connect sink's poll returns them (fetch.min.bytes=1)
    // rather than after Lambda's 500 ms default window: under load batches still grow, from the records
    // that arrive while the previous invocation runs.
    MaximumBatchingWindowInSeconds: 0,
    // Kafka Connect's sink consumer starts at the earliest offset (`auto.offset.reset=earliest`).
    StartingPosition: spec.startAtLatest ? 'LATEST' : 'TRIM_HORIZON',
    FunctionResponseTypes: ['ReportBatchItemFailures'],
    Tags: { [CONNECTOR_TAG]: connector },
  };
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
