import { randomUUID } from 'node:crypto';
import {
  type CreateRequest,
  checkNotSourceTopic,
  type KafkaSource,
  parseCreate,
  parseUpdate,
} from './esm-request.js';
import type { FunctionRegistry } from './functions.js';
import { invalid, LambdaApiError, notFound } from './lambda-errors.js';
import { functionArn, parseFunctionName } from './lambda-names.js';
import { paginate } from './pagination.js';

type State = 'Creating' | 'Enabling' | 'Enabled' | 'Disabling' | 'Disabled' | 'Updating' | 'Deleting';

/** A mapping's stored configuration, as the pollers are given it (a copy). */
export interface Mapping extends Omit<CreateRequest, 'functionName' | 'groupId' | 'enabled' | 'batchSize'> {
  /** Creation order, zero-padded: the listing order and the pagination key. */
  seq: string;
  uuid: string;
  functionArn: string;
  groupId: string;
  enabled: boolean;
  batchSize: number;
  state: State;
  lastModified: number;
}

/** What runs the mappings (esm-pollers.ts); without one, mappings are configuration only. */
export interface MappingPollers {
  /** The mapping was created or changed: start, stop or restart its poller. */
  apply(mapping: Mapping): void;
  /** The mapping is being deleted: stop its poller. */
  remove(uuid: string): void;
  /** Whether its poller still runs: a `Disabling` or `Deleting` mapping settles only once it has stopped. */
  isRunning(uuid: string): boolean;
  /** `OK`, `PROBLEM: …`, or undefined before any batch. */
  lastProcessingResult(uuid: string): string | undefined;
}

/**
 * Kafka event source mappings: their configuration and state; `pollers` runs them.
 *
 * State: Lambda moves a mapping through `Creating`, `Enabling`, `Disabling` or `Updating` before it
 * settles on `Enabled` or `Disabled`, and refuses to update or delete it meanwhile (ResourceInUse); a
 * deleted one stays `Deleting` for a while before it disappears. Here the reply shows the transitional
 * state and the mapping settles when a Get or List next reads it (a `Deleting` one is then gone) —
 * deterministic, and a client that acts on a reply without reading back meets what AWS may answer then:
 * the refusal, or a consumer group still held by the mapping being deleted.
 */
export class EventSourceMappings {
  readonly #mappings = new Map<string, Mapping>();
  #created = 0;

  constructor(
    readonly functions: FunctionRegistry,
    readonly pollers?: MappingPollers,
  ) {}

  create(body: Record<string, unknown>): Record<string, unknown> {
    const request = parseCreate(body);
    const fn = this.functions.resolve(parseFunctionName(request.functionName), functionDoesNotExist);
    const groupId = request.groupId ?? randomUUID();
    // "The consumer group ID must be unique among all your Kafka event sources" (API reference).
    const taken = [...this.#mappings.values()].find((m) => m.groupId === groupId);
    if (taken !== undefined) {
      throw new LambdaApiError(
        'ResourceConflictException',
        `An event source mapping with consumer group id '${groupId}' already exists (UUID ${taken.uuid}, State ${taken.state}): the consumer group ID must be unique among all your Kafka event sources. Please update or delete the existing mapping.`,
      );
    }
    const { functionName: _, groupId: __, ...rest } = request;
    const uuid = randomUUID();
    const mapping: Mapping = {
      ...rest,
      seq: String(++this.#created).padStart(12, '0'),
      uuid,
      functionArn: fn.arn,
      groupId,
      enabled: request.enabled ?? true,
      batchSize: request.batchSize ?? 100,
      state: 'Creating',
      lastModified: now(),
    };
    this.#mappings.set(uuid, mapping);
    this.pollers?.apply({ ...mapping });
    return this.#view(mapping);
  }

  get(uuid: string): Record<string, unknown> {
    const mapping = this.#settle(this.#find(uuid));
    if (mapping === undefined) throw notFoundMapping(uuid);
    return this.#view(mapping);
  }

  update(uuid: string, body: Record<string, unknown>): Record<string, unknown> {
    const mapping = this.#find(uuid);
    const request = parseUpdate(body);
    refuseInUse(mapping, 'update');
    if (request.groupId !== undefined && request.groupId !== mapping.groupId) {
      throw invalid('ConsumerGroupId cannot be updated: delete the mapping and create another');
    }
    const { functionName, groupId: _, ...settings } = request;
    checkNotSourceTopic(settings.onFailureDestination, mapping.topic);
    const fn =
      functionName === undefined
        ? undefined
        : this.functions.resolve(parseFunctionName(functionName), functionDoesNotExist);
    const enabling = settings.enabled !== undefined && settings.enabled !== mapping.enabled;
    for (const [key, value] of Object.entries(settings)) {
      if (value !== undefined) Object.assign(mapping, { [key]: value });
    }
    if (fn !== undefined) mapping.functionArn = fn.arn;
    mapping.state = enabling ? (mapping.enabled ? 'Enabling' : 'Disabling') : 'Updating';
    mapping.lastModified = now();
    this.pollers?.apply({ ...mapping });
    return this.#view(mapping);
  }

  /** Answers the mapping in `Deleting`; it still holds its consumer group until a Get or List settles it. */
  delete(uuid: string): Record<string, unknown> {
    const mapping = this.#find(uuid);
    refuseInUse(mapping, 'delete');
    mapping.state = 'Deleting';
    mapping.lastModified = now();
    this.pollers?.remove(uuid);
    return this.#view(mapping);
  }

  /**
   * Filters: EventSourceArn matches the MSK cluster ARN; FunctionName matches the mapping's function ARN
   * exactly, so `name:alias` lists that alias's mappings and `name` only the unqualified ones. A filter
   * naming a function or alias that does not exist lists nothing (an AWS user's report in
   * localstack#4158: AWS answers `{"EventSourceMappings": []}` there).
   */
  list(query: URLSearchParams): Record<string, unknown> {
    const functionName = query.get('FunctionName');
    const ref = functionName === null ? undefined : parseFunctionName(functionName);
    const arn =
      ref === undefined
        ? undefined
        : functionArn(
            {
              region: ref.region ?? this.functions.scope.region,
              accountId: ref.accountId ?? this.functions.scope.accountId,
            },
            ref.name,
            ref.qualifier,
          );
    const source = query.get('EventSourceArn');
    const matching = [...this.#mappings.values()].filter(
      (m) =>
        (arn === undefined || m.functionArn === arn) &&
        (source === null || ('mskClusterArn' in m.source && m.source.mskClusterArn === source)),
    );
    const settled = matching.flatMap((m) => this.#settle(m) ?? []);
    const { page, nextMarker } = paginate(settled, (m) => m.seq, query, 100);
    return { EventSourceMappings: page.map((m) => this.#view(m)), NextMarker: nextMarker };
  }

  /** Every mapping, for saving; the creation counter keeps the listing order across a restart. */
  snapshot(): { mappings: Mapping[]; created: number } {
    return { mappings: [...this.#mappings.values()].map((m) => ({ ...m })), created: this.#created };
  }

  /**
   * Mappings saved earlier, as Lambda keeps them across anything on our side: settled (a `Deleting` one
   * is gone) and handed to the pollers, which start each one once its function has a pool.
   */
  restore(saved: { mappings: Mapping[]; created: number }): void {
    this.#created = Math.max(this.#created, saved.created);
    for (const m of saved.mappings) {
      if (m.state === 'Deleting') continue;
      const mapping: Mapping = { ...m, state: m.enabled ? 'Enabled' : 'Disabled' };
      this.#mappings.set(mapping.uuid, mapping);
      this.pollers?.apply({ ...mapping });
    }
  }

  #find(uuid: string): Mapping {
    const mapping = this.#mappings.get(uuid);
    if (mapping === undefined) throw notFoundMapping(uuid);
    return mapping;
  }

  /**
   * A transitional state becomes the one it leads to; a `Deleting` mapping is gone (undefined). Stopping
   * states wait for the poller: a mapping is not `Disabled` or gone while it may still invoke.
   */
  #settle(m: Mapping): Mapping | undefined {
    const stopping = m.state === 'Deleting' || m.state === 'Disabling';
    if (stopping && this.pollers?.isRunning(m.uuid)) return m;
    if (m.state === 'Deleting') {
      this.#mappings.delete(m.uuid);
      return undefined;
    }
    if (m.state !== 'Enabled' && m.state !== 'Disabled') m.state = m.enabled ? 'Enabled' : 'Disabled';
    return m;
  }

  /** The mapping as Lambda's EventSourceMappingConfiguration spells it. */
  #view(m: Mapping): Record<string, unknown> {
    const { scope } = this.functions;
    const group = { ConsumerGroupId: m.groupId };
    return {
      UUID: m.uuid,
      EventSourceMappingArn: `arn:aws:lambda:${scope.region}:${scope.accountId}:event-source-mapping:${m.uuid}`,
      FunctionArn: m.functionArn,
      ...sourceView(m.source, group),
      Topics: [m.topic],
      StartingPosition: m.startingPosition,
      BatchSize: m.batchSize,
      MaximumBatchingWindowInSeconds: m.maximumBatchingWindowInSeconds,
      FunctionResponseTypes: m.functionResponseTypes,
      SourceAccessConfigurations: m.sourceAccessConfigurations,
      MaximumRetryAttempts: m.maximumRetryAttempts,
      MaximumRecordAgeInSeconds: m.maximumRecordAgeInSeconds,
      BisectBatchOnFunctionError: m.bisectBatchOnFunctionError,
      DestinationConfig: m.onFailureDestination
        ? { OnFailure: { Destination: m.onFailureDestination } }
        : undefined,
      ProvisionedPollerConfig: m.provisionedPollerConfig ?? undefined,
      State: m.state,
      StateTransitionReason: 'USER_INITIATED',
      LastModified: m.lastModified,
      LastProcessingResult: this.pollers?.lastProcessingResult(m.uuid) ?? 'No records processed',
    };
  }
}

function sourceView(source: KafkaSource, group: { ConsumerGroupId: string }): Record<string, unknown> {
  return 'mskClusterArn' in source
    ? { EventSourceArn: source.mskClusterArn, AmazonManagedKafkaEventSourceConfig: group }
    : {
        SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: source.bootstrapServers } },
        SelfManagedKafkaEventSourceConfig: group,
      };
}

/**
 * A mapping naming a function or alias that does not exist is refused with 400 "Function does not
 * exist" (seen on AWS through CloudFormation, aws-cdk#2084), not the 404 the function's own operations use.
 */
const functionDoesNotExist = (message: string) =>
  invalid(`Function does not exist: ${message.replace(/^Function not found: /, '')}`);

const notFoundMapping = (uuid: string) =>
  notFound(`The resource you requested does not exist. (Service: Lambda, UUID: ${uuid})`);

function refuseInUse(m: Mapping, action: string): void {
  if (m.state === 'Enabled' || m.state === 'Disabled') return;
  throw new LambdaApiError(
    'ResourceInUseException',
    `Cannot ${action} the event source mapping ${m.uuid} because it is in use (State ${m.state}). Try again once it has settled.`,
  );
}

/** Lambda's timestamps: epoch seconds, a JSON number (the SDK turns it into a Date). */
const now = () => Date.now() / 1000;
