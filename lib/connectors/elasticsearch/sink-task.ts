import {
  ConfigError,
  ConnectError,
  DataError,
  RetriableError,
  type SinkRecord,
  SinkTask,
} from '../../api/index.js';
import type { AddressGuard } from '../http/address-policy.js';
import { BEHAVIOR_ON_VERSION_CONFLICT } from './aiven-config.js';
import { type BulkAction, toBulkAction } from './bulk-actions.js';
import { BulkWriter, type WriteResult } from './bulk-writer.js';
import { Cluster } from './cluster.js';
import { BEHAVIOR_ON_MALFORMED_DOCS, KEY_IGNORE, VERSION } from './config-keys.js';
import { type ConnectorSpec, parseSettings } from './connector-spec.js';
import { recordString } from './document-id.js';
import { failureKind, type ItemFailure, verdict } from './item-failures.js';
import { Resources, versionProblem } from './resources.js';
import { callWithRetries } from './retries.js';
import type { SinkSettings } from './settings.js';

/**
 * Writes each `put` to the cluster before it returns, so the runtime's `preCommit` commits only
 * offsets of records that are indexed, reported or deliberately skipped: nothing is ever committed
 * that is still in flight, and a batch that ends early (a crash, a timeout) is delivered again and
 * written again under the same ids and versions, with no duplicate and no older value winning.
 *
 * One record's path: its index or data stream made ready (`resources.ts`), converted to a bulk action
 * (`bulk-actions.ts`; a record that cannot be converted follows `drop.invalid.message`), written
 * (`bulk-writer.ts`), and a failed item judged by the connector's rules (`item-failures.ts`). Retries
 * that do not help end the put with a RetriableError: the runtime delivers the same records again
 * (`context.timeout` apart, then at the task's next run), and those already settled are not sent twice.
 * One task class serves both connector classes; `spec` says whose keys and behaviour apply, `guard`
 * where it may connect (`cluster.ts`): the connector binds the deployment's policy, a task built
 * directly follows local mode's (private networks allowed, link-local never).
 */
export class SearchSinkTask extends SinkTask {
  private s!: SinkSettings;
  private tolerateAll = false;
  private cluster?: Cluster;
  private resources?: Resources;
  private writer?: BulkWriter;
  /** Records of a put that failed, already written or skipped: a redelivery does not send them again. */
  private readonly settled = new Set<string>();

  version = () => VERSION;

  constructor(
    private readonly spec: ConnectorSpec,
    private readonly guard: AddressGuard = { allowPrivateNetworks: true },
  ) {
    super();
  }

  start(props: Readonly<Record<string, string>>): void {
    this.s = parseSettings(this.spec, props);
    this.tolerateAll = (props['errors.tolerance'] ?? 'none').toLowerCase() === 'all';
    const reports = this.s.malformedDocuments === 'report' || this.s.versionConflicts === 'report';
    if (reports && !this.context.errantRecordReporter())
      throw new ConfigError(
        `Errant record reporter must be configured when using 'report' option for ${BEHAVIOR_ON_MALFORMED_DOCS} or ${BEHAVIOR_ON_VERSION_CONFLICT}`,
      );
    if (this.s.flavor === 'aiven' && !this.s.keyIgnore && this.s.versionConflicts === 'fail')
      warn(
        `${KEY_IGNORE}=false writes with external versions: a replay of written offsets fails the task while ${BEHAVIOR_ON_VERSION_CONFLICT}=fail; consider ignore or warn`,
      );
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    if (records.length === 0) return;
    const { resources, writer } = await this.connected();
    const actions: BulkAction[] = [];
    for (const record of records) {
      const coordinates = `${record.topic}/${record.kafkaPartition}/${record.kafkaOffset}`;
      if (this.settled.has(coordinates)) continue;
      if (record.value === null && this.s.nullValues === 'ignore') {
        this.settled.add(coordinates);
        continue;
      }
      const name = this.s.target.name(record.topic);
      await resources.prepare(name, record);
      const action = await this.convert(record, name);
      if (action) actions.push(action);
      else this.settled.add(coordinates);
    }
    const { results, error } = await writer.write(actions);
    if (error !== null) {
      this.remember(actions, results);
      if (error instanceof RetriableError) this.context.timeout(this.s.retryBackoffMs);
      throw error;
    }
    for (const [i, result] of results.entries())
      if (result && !result.ok) await this.judge(actions[i] as BulkAction, result.failure);
    this.settled.clear();
  }

  private async convert(record: SinkRecord, name: string): Promise<BulkAction | null> {
    try {
      return toBulkAction(record, name, this.s);
    } catch (error) {
      if (!(error instanceof DataError)) throw error;
      // Confluent reports the record first; Aiven only drops it.
      if (this.s.flavor === 'confluent') await this.report(record, error);
      if (!this.s.dropInvalidMessage) throw error;
      warn(`Can't convert ${recordString(record)}. Failure type: ${error.name}`);
      return null;
    }
  }

  private async judge(action: BulkAction, failure: ItemFailure): Promise<void> {
    const v = verdict(failureKind(failure), failure, action.versioned, this.s);
    if (v.report) await this.report(action.record, new ConnectError(`Indexing failed: ${failure.message}`));
    if (v.warn) warn(`${v.warn} ${recordString(action.record)} (${failure.types[0] ?? failure.status})`);
    if (v.fail) throw new ConnectError(v.fail);
  }

  /**
   * To the errant record reporter (the DLQ or the error log), when there is one. As Kafka's reporter,
   * it honours `errors.tolerance`: under `none` a reported record fails the task.
   */
  private async report(record: SinkRecord, error: Error): Promise<void> {
    const reporter = this.context.errantRecordReporter();
    if (!reporter) return;
    if (!this.tolerateAll) throw new ConnectError('Tolerance exceeded in error handler', { cause: error });
    await reporter.report(record, error);
  }

  private remember(actions: readonly BulkAction[], results: WriteResult['results']): void {
    for (const [i, result] of results.entries()) {
      const r = actions[i]?.record;
      if (result?.ok && r) this.settled.add(`${r.topic}/${r.kafkaPartition}/${r.kafkaOffset}`);
    }
  }

  /** The client, made on the first put (the cluster's version checked first, for Confluent's class). */
  private async connected(): Promise<{ resources: Resources; writer: BulkWriter }> {
    if (this.resources && this.writer) return { resources: this.resources, writer: this.writer };
    const name = this.s.flavor === 'aiven' ? 'OpenSearch sink' : 'Elasticsearch sink';
    const cluster = await Cluster.connect(this.s.connection, this.guard, name);
    this.cluster = cluster;
    if (this.s.checkElasticsearchVersion) {
      const problem = versionProblem(
        await this.retrying('get the cluster version', () => cluster.info()),
        this.s.target.dataStream,
      );
      if (problem) throw new ConnectError(problem);
    }
    this.resources = new Resources(cluster, this.s, (description, fn) => this.retrying(description, fn));
    this.writer = new BulkWriter((body) => cluster.bulk(body), this.s);
    return { resources: this.resources, writer: this.writer };
  }

  private retrying<T>(description: string, fn: () => Promise<T>): Promise<T> {
    return callWithRetries(description, fn, { ...this.s, deadline: Date.now() + this.s.flushTimeoutMs });
  }

  async stop(): Promise<void> {
    await this.cluster?.close();
    this.cluster = undefined;
    this.resources = undefined;
    this.writer = undefined;
  }
}

/** `warn` behaviours and dropped records: one line on stderr (CloudWatch on AWS), no record content. */
function warn(message: string): void {
  console.warn(`[elasticsearch-sink] ${message}`);
}
