import { constraint, invalid } from './lambda-errors.js';

/** Where a Kafka mapping reads: an MSK cluster by ARN, or self-managed brokers by address. */
export type KafkaSource = { mskClusterArn: string } | { bootstrapServers: string[] };

/** The settings of a mapping that UpdateEventSourceMapping may change (all optional there). */
export interface MappingSettings {
  enabled?: boolean;
  batchSize?: number;
  maximumBatchingWindowInSeconds?: number;
  functionResponseTypes?: string[];
  sourceAccessConfigurations?: { Type: string; URI: string }[];
  /** -1 (the default: until the records expire) or 0–10,000; the first attempt is not counted. */
  maximumRetryAttempts?: number;
  /** -1 (the default) or 60–604,800. */
  maximumRecordAgeInSeconds?: number;
  bisectBatchOnFunctionError?: boolean;
  /** `kafka://<topic>`; '' removes the destination. */
  onFailureDestination?: string;
  /** Provisioned mode; null (from `{}`) returns the mapping to on-demand mode. */
  provisionedPollerConfig?: ProvisionedPollerConfig | null;
}

/** Provisioned mode's event pollers (API reference, `ProvisionedPollerConfig`). */
export interface ProvisionedPollerConfig {
  MinimumPollers: number;
  MaximumPollers: number;
  PollerGroupName?: string;
}

/** A validated CreateEventSourceMapping request. */
export interface CreateRequest extends MappingSettings {
  functionName: string;
  source: KafkaSource;
  topic: string;
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  groupId?: string;
}

// The members simulated. Anything else (filters, other destinations, schema registries, other sources) is
// refused rather than accepted and silently ignored: a caller relying on it would otherwise believe it
// holds. The error-handling controls are accepted in either scaling mode but honoured only in provisioned
// mode (docs/simulator/kafka-pollers.md).
const SETTINGS = [
  'Enabled',
  'BatchSize',
  'MaximumBatchingWindowInSeconds',
  'FunctionResponseTypes',
  'SourceAccessConfigurations',
  'AmazonManagedKafkaEventSourceConfig',
  'SelfManagedKafkaEventSourceConfig',
  'MaximumRetryAttempts',
  'MaximumRecordAgeInSeconds',
  'BisectBatchOnFunctionError',
  'DestinationConfig',
  'ProvisionedPollerConfig',
];
const CREATE = 'FunctionName EventSourceArn SelfManagedEventSource Topics StartingPosition Tags'.split(' ');

const MSK_ARN = /^arn:aws[a-zA-Z-]*:kafka:[a-z]{2}(-gov)?-[a-z]+-\d:\d{12}:cluster\/.+$/;
const TOPIC = /^[^.]([a-zA-Z0-9\-_.]+)$/;
const GROUP_ID = /^[a-zA-Z0-9-/*:_+=.@]{1,200}$/;
const ACCESS_TYPES = new Set(
  'BASIC_AUTH VPC_SUBNET VPC_SECURITY_GROUP SASL_SCRAM_256_AUTH SASL_SCRAM_512_AUTH CLIENT_CERTIFICATE_TLS_AUTH SERVER_ROOT_CA_CERTIFICATE VIRTUAL_HOST'.split(
    ' ',
  ),
);

/** Validates a CreateEventSourceMapping body as Lambda does for a Kafka source; 400 otherwise. */
export function parseCreate(body: Record<string, unknown>): CreateRequest {
  refuseOthers(body, [...CREATE, ...SETTINGS]);
  const { EventSourceArn: arn, SelfManagedEventSource: selfManaged } = body;
  if ((arn === undefined) === (selfManaged === undefined)) {
    throw invalid('Exactly one of EventSourceArn (an MSK cluster) and SelfManagedEventSource is required');
  }
  let source: KafkaSource;
  if (arn !== undefined) {
    if (typeof arn !== 'string' || !MSK_ARN.test(arn)) {
      throw invalid(`Unsupported event source '${String(arn)}': only Kafka sources are simulated`);
    }
    if (body.SelfManagedKafkaEventSourceConfig !== undefined) {
      throw invalid(
        'SelfManagedKafkaEventSourceConfig is for a self-managed source; use AmazonManagedKafkaEventSourceConfig',
      );
    }
    source = { mskClusterArn: arn };
  } else {
    const servers = (selfManaged as { Endpoints?: { KAFKA_BOOTSTRAP_SERVERS?: unknown } } | null)?.Endpoints
      ?.KAFKA_BOOTSTRAP_SERVERS;
    if (!Array.isArray(servers) || servers.length < 1 || servers.length > 10) {
      throw invalid('SelfManagedEventSource.Endpoints.KAFKA_BOOTSTRAP_SERVERS must list 1 to 10 brokers');
    }
    for (const s of servers) {
      if (typeof s !== 'string' || s.length > 300 || !/^[^\s:]+:\d{1,5}$/.test(s)) {
        throw invalid(`Invalid bootstrap server '${String(s)}': expected host:port`);
      }
    }
    if (body.AmazonManagedKafkaEventSourceConfig !== undefined) {
      throw invalid(
        'AmazonManagedKafkaEventSourceConfig is for an MSK source; use SelfManagedKafkaEventSourceConfig',
      );
    }
    source = { bootstrapServers: servers as string[] };
  }
  const topics = body.Topics;
  if (!Array.isArray(topics) || topics.length !== 1) throw invalid('Topics must hold exactly one topic');
  const topic = topics[0];
  if (typeof topic !== 'string' || topic.length > 249 || !TOPIC.test(topic)) {
    throw invalid(`Invalid topic name '${String(topic)}'`);
  }
  const position = body.StartingPosition;
  if (position !== 'TRIM_HORIZON' && position !== 'LATEST') {
    throw invalid(
      position === undefined
        ? 'StartingPosition is required for a Kafka event source'
        : `Unsupported StartingPosition '${String(position)}': TRIM_HORIZON or LATEST`,
    );
  }
  if (body.Tags !== undefined && !isStringMap(body.Tags)) throw invalid('Tags must map strings to strings');
  if (typeof body.FunctionName !== 'string') throw invalid('FunctionName is required');
  const settings = parseSettings(body);
  checkNotSourceTopic(settings.onFailureDestination, topic);
  return {
    functionName: body.FunctionName,
    source,
    topic,
    startingPosition: position,
    groupId: groupIdOf(body),
    ...settings,
  };
}

/** "Lambda prevents infinite loops by blocking configurations where the source and destination topics are the same." */
export function checkNotSourceTopic(destination: string | undefined, topic: string): void {
  if (destination === `kafka://${topic}`) {
    throw invalid(`The on-failure destination topic cannot be the source topic '${topic}'`);
  }
}

/** Validates an UpdateEventSourceMapping body: the settings, an optional FunctionName, a group id. */
export function parseUpdate(body: Record<string, unknown>): MappingSettings & {
  functionName?: string;
  groupId?: string;
} {
  refuseOthers(body, ['FunctionName', ...SETTINGS]);
  if (body.FunctionName !== undefined && typeof body.FunctionName !== 'string') {
    throw invalid('FunctionName must be a string');
  }
  return { functionName: body.FunctionName, groupId: groupIdOf(body), ...parseSettings(body) };
}

function parseSettings(body: Record<string, unknown>): MappingSettings {
  const { Enabled, BatchSize, MaximumBatchingWindowInSeconds: window } = body;
  if (Enabled !== undefined && typeof Enabled !== 'boolean') throw invalid('Enabled must be a boolean');
  if (BatchSize !== undefined && !isIntIn(BatchSize, 1, 10_000)) {
    throw constraint(BatchSize, 'batchSize', 'have value between 1 and 10000');
  }
  if (window !== undefined && !isIntIn(window, 0, 300)) {
    throw constraint(window, 'maximumBatchingWindowInSeconds', 'have value between 0 and 300');
  }
  const types = body.FunctionResponseTypes;
  if (
    types !== undefined &&
    (!Array.isArray(types) || types.length > 1 || types.some((t) => t !== 'ReportBatchItemFailures'))
  ) {
    throw invalid('FunctionResponseTypes takes at most one value: ReportBatchItemFailures');
  }
  const access = body.SourceAccessConfigurations;
  if (
    access !== undefined &&
    (!Array.isArray(access) ||
      access.length > 22 ||
      access.some((a) => !ACCESS_TYPES.has(a?.Type) || typeof a?.URI !== 'string' || a.URI.length > 200))
  ) {
    throw invalid('SourceAccessConfigurations must be at most 22 {Type, URI} of a known Type');
  }
  return {
    ...parseErrorHandling(body),
    enabled: Enabled,
    batchSize: BatchSize as number | undefined,
    maximumBatchingWindowInSeconds: window as number | undefined,
    functionResponseTypes: types as string[] | undefined,
    sourceAccessConfigurations: access?.map((a: { Type: string; URI: string }) => ({
      Type: a.Type,
      URI: a.URI,
    })),
  };
}

/** The error-handling controls and scaling mode, with the API model's ranges. */
function parseErrorHandling(body: Record<string, unknown>): MappingSettings {
  const {
    MaximumRetryAttempts: retries,
    MaximumRecordAgeInSeconds: age,
    BisectBatchOnFunctionError: bisect,
  } = body;
  if (retries !== undefined && !isIntIn(retries, -1, 10_000)) {
    throw constraint(retries, 'maximumRetryAttempts', 'have value between -1 and 10000');
  }
  if (age !== undefined && age !== -1 && !isIntIn(age, 60, 604_800)) {
    throw constraint(age, 'maximumRecordAgeInSeconds', 'have value between 60 and 604800, or -1');
  }
  if (bisect !== undefined && typeof bisect !== 'boolean') {
    throw invalid('BisectBatchOnFunctionError must be a boolean');
  }
  return {
    maximumRetryAttempts: retries as number | undefined,
    maximumRecordAgeInSeconds: age as number | undefined,
    bisectBatchOnFunctionError: bisect,
    onFailureDestination: parseDestination(body.DestinationConfig),
    provisionedPollerConfig: parsePollers(body.ProvisionedPollerConfig),
  };
}

const KAFKA_DESTINATION = /^kafka:\/\/([^.][a-zA-Z0-9\-_.]+)$/;

function parseDestination(config: unknown): string | undefined {
  if (config === undefined) return undefined;
  const { OnSuccess, OnFailure, ...other } = (isObject(config) ? config : {}) as Record<string, unknown>;
  if (!isObject(config) || Object.keys(other).length > 0) {
    throw invalid('DestinationConfig takes OnFailure: {Destination}');
  }
  if (OnSuccess !== undefined) throw invalid('OnSuccess destinations are not simulated for Kafka mappings');
  const destination = isObject(OnFailure) ? OnFailure.Destination : OnFailure;
  if (destination === undefined || destination === null || destination === '') return '';
  if (typeof destination !== 'string' || destination.length > 350) {
    throw invalid('DestinationConfig.OnFailure.Destination must be a string of at most 350 characters');
  }
  const topic = KAFKA_DESTINATION.exec(destination)?.[1];
  if (topic === undefined || topic.length > 249) {
    throw invalid(
      `Unsupported on-failure destination '${destination}': only a Kafka topic (kafka://<topic>) is simulated`,
    );
  }
  return destination;
}

function parsePollers(config: unknown): ProvisionedPollerConfig | null | undefined {
  if (config === undefined) return undefined;
  if (!isObject(config)) throw invalid('ProvisionedPollerConfig must be an object');
  const { MinimumPollers: min, MaximumPollers: max, PollerGroupName: group, ...other } = config;
  if (Object.keys(other).length > 0)
    throw invalid(`Unknown ProvisionedPollerConfig member ${Object.keys(other)[0]}`);
  if (min === undefined && max === undefined && group === undefined) return null;
  if (min !== undefined && !isIntIn(min, 1, 200)) {
    throw constraint(min, 'provisionedPollerConfig.minimumPollers', 'have value between 1 and 200');
  }
  if (max !== undefined && !isIntIn(max, 1, 2000)) {
    throw constraint(max, 'provisionedPollerConfig.maximumPollers', 'have value between 1 and 2000');
  }
  const minimum = (min as number | undefined) ?? 1;
  const maximum = (max as number | undefined) ?? 200;
  if (maximum < minimum) throw invalid('MaximumPollers must be greater than or equal to MinimumPollers');
  if (group !== undefined && (typeof group !== 'string' || !/^[a-zA-Z0-9-_]{1,128}$/.test(group))) {
    throw constraint(
      group,
      'provisionedPollerConfig.pollerGroupName',
      'satisfy regular expression pattern: [a-zA-Z0-9-_]*',
    );
  }
  return {
    MinimumPollers: minimum,
    MaximumPollers: maximum,
    ...(group === undefined ? {} : { PollerGroupName: group as string }),
  };
}

function groupIdOf(body: Record<string, unknown>): string | undefined {
  const config = (body.AmazonManagedKafkaEventSourceConfig ?? body.SelfManagedKafkaEventSourceConfig) as
    | { ConsumerGroupId?: unknown }
    | null
    | undefined;
  const id = config?.ConsumerGroupId;
  if (id !== undefined && (typeof id !== 'string' || !GROUP_ID.test(id))) {
    throw constraint(id, 'consumerGroupId', 'satisfy regular expression pattern: [a-zA-Z0-9-/*:_+=.@-]*');
  }
  return id;
}

function refuseOthers(body: Record<string, unknown>, allowed: string[]): void {
  const other = Object.keys(body).find((k) => !allowed.includes(k));
  if (other !== undefined) throw invalid(`${other} is not supported by this Lambda simulator (yet)`);
}

const isIntIn = (v: unknown, min: number, max: number) =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isStringMap = (v: unknown) =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.values(v).every((x) => typeof x === 'string');
