import type { SinkRecord } from '../../api/index.js';
import type { Cluster, ClusterInfo } from './cluster.js';
import { buildMapping, hasMapping } from './mapping.js';
import { ClusterError } from './retries.js';
import { type SinkSettings, schemaIgnored } from './settings.js';

/**
 * Makes sure the index or data stream a record goes to exists, and has a mapping when schemas are used,
 * before the first write to it; each name is prepared once per task. As Confluent: a missing index is
 * created without settings, a missing data stream created (on OpenSearch, under an index template made
 * for it when the cluster has none — OpenSearch ships no `logs-*-*`/`metrics-*-*` templates, Aiven's
 * connector always makes one); an index whose mapping is empty gets one from the record's value schema.
 * With Confluent's `external.resource.usage` nothing is created.
 */
export class Resources {
  private readonly ready = new Set<string>();
  private readonly mapped = new Set<string>();

  constructor(
    private readonly cluster: Cluster,
    private readonly s: SinkSettings,
    /** Runs one cluster call under the task's retries. */
    private readonly retrying: <T>(description: string, fn: () => Promise<T>) => Promise<T>,
  ) {}

  async prepare(name: string, record: SinkRecord): Promise<void> {
    if (!this.ready.has(name)) {
      if (this.s.target.create) await this.create(name);
      this.ready.add(name);
    }
    // A tombstone carries no schema to map; the next record with a value will.
    if (schemaIgnored(this.s, record.topic) || this.mapped.has(name) || record.value === null) return;
    const mappings = await this.retrying(`get mapping for index ${name}`, () => this.cluster.mappings(name));
    if (!mappings.some(hasMapping)) {
      const mapping = buildMapping(record.valueSchema);
      await this.retrying(`create mapping for index ${name}`, () => this.cluster.putMapping(name, mapping));
    }
    this.mapped.add(name);
  }

  private async create(name: string): Promise<void> {
    if (await this.retrying(`check if index ${name} exists`, () => this.cluster.exists(name))) return;
    if (!this.s.target.dataStream) {
      await this.retrying(`create index ${name}`, () => this.cluster.createIndex(name));
      return;
    }
    const { template } = this.s.target;
    if (this.s.flavor === 'aiven') await this.putTemplate(name);
    await this.retrying(`create data stream ${name}`, async () => {
      try {
        await this.cluster.createDataStream(name);
      } catch (error) {
        if (!(this.s.flavor === 'confluent' && noTemplate(error))) throw error;
        await this.cluster.putDataStreamTemplate(templateName(name, null), name, template.timestampField);
        await this.cluster.createDataStream(name);
      }
    });
  }

  /** Aiven: the named template when given (made only if missing), else `<stream>-connector-data-stream-template`. */
  private async putTemplate(name: string): Promise<void> {
    const { template } = this.s.target;
    const templateFor = templateName(name, template.name);
    if (template.name !== null)
      if (
        await this.retrying(`check index template ${templateFor}`, () =>
          this.cluster.indexTemplateExists(templateFor),
        )
      )
        return;
    await this.retrying(`create index template ${templateFor}`, () =>
      this.cluster.putDataStreamTemplate(templateFor, name, template.timestampField),
    );
  }
}

const templateName = (stream: string, given: string | null) =>
  given ?? `${stream}-connector-data-stream-template`;

function noTemplate(error: unknown): boolean {
  return (
    error instanceof ClusterError && error.status === 400 && /no matching index template/i.test(error.message)
  );
}

/**
 * Why the Confluent connector will not write to this cluster, or `null`: Elasticsearch before 7.0.0, or
 * before 7.9.0 with data streams (Confluent's `Validator`). OpenSearch (any version) is accepted: it
 * answers the Elasticsearch 7 APIs the sink uses. A cluster that does not say passes, as in Confluent's.
 */
export function versionProblem(info: ClusterInfo | null, dataStream: boolean): string | null {
  if (!info || info.distribution === 'opensearch') return null;
  const atLeast = dataStream ? '7.9.0' : '7.0.0';
  if (compareVersions(info.version, atLeast) >= 0) return null;
  return dataStream
    ? `Elasticsearch version ${info.version} is not compatible with data streams. Elasticsearch version must be at least ${atLeast}.`
    : `Elasticsearch version ${info.version} is not compatible with this connector. Elasticsearch version must be at least ${atLeast}.`;
}

function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split('.').map((p) => Number.parseInt(p.split('-')[0] ?? '', 10) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.min(x.length, y.length); i++)
    if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return x.length - y.length;
}
