import {
  ConfigDef,
  type Connector,
  type Converter,
  type HeaderConverter,
  type Predicate,
  SinkConnector,
  type SourceConnector,
  type Transformation,
} from './api/index.js';
import type { PluginKind, ResolvedPlugin, ResolvePlugin } from './config/plugin-lookup.js';
import { type PluginPolicy, pluginPolicy } from './config/worker-properties.js';
import { DatagenConnector } from './connectors/datagen/datagen-connector.js';
import { ElasticsearchSinkConnector } from './connectors/elasticsearch/elasticsearch-sink-connector.js';
import {
  OpenSearchSinkConnector,
  OpensearchSinkConnector,
} from './connectors/elasticsearch/opensearch-sink-connector.js';
import { FileStreamSinkConnector } from './connectors/file/file-stream-sink.js';
import { FileStreamSourceConnector } from './connectors/file/file-stream-source.js';
import { HttpSinkConnector } from './connectors/http/http-sink-connector.js';
import { JdbcSinkConnector } from './connectors/jdbc/jdbc-sink-connector.js';
import { JdbcSourceConnector } from './connectors/jdbc/jdbc-source-connector.js';
import { PostgresConnector } from './connectors/postgres-cdc/postgres-connector.js';
import { S3SinkConnector } from './connectors/s3/s3-sink-connector.js';
import * as converters from './converters/index.js';
import { PREDICATES, TRANSFORMATIONS } from './transforms/index.js';

/** One installed plugin class. A class may serve several kinds (JsonConverter: converter and header_converter). */
export interface PluginEntry<T = unknown> {
  className: string;
  kind: PluginKind;
  create(): T;
}

/** What `GET /connector-plugins` lists (Kafka's `PluginInfo`); `version` is left out when unknown. */
export interface PluginInfo {
  class: string;
  type: PluginKind;
  version?: string;
}

// Kafka lists sinks, then sources, transformations, predicates, converters, header converters.
const KIND_ORDER: PluginKind[] = [
  'sink',
  'source',
  'transformation',
  'predicate',
  'converter',
  'header_converter',
];
const INTERFACE_SUFFIX: Record<PluginKind, string> = {
  source: 'Connector',
  sink: 'Connector',
  transformation: 'Transformation',
  predicate: 'Predicate',
  converter: 'Converter',
  header_converter: 'HeaderConverter',
};

/**
 * The explicit, typed list of installed plugins, looked up by full class name or by the aliases Kafka
 * computes (`PluginUtils.computeAliases`): the simple class name and that name without its interface
 * suffix (`FileStreamSinkConnector`, `FileStreamSink`; `JsonConverter`, `Json`). An alias two classes
 * share is dropped, which is why `Cast$Value` has no short alias (its simple name is `Value`).
 */
export class PluginRegistry {
  private readonly byName = new Map<string, PluginEntry[]>();
  private readonly entries: readonly PluginEntry[];

  constructor(entries: readonly PluginEntry[]) {
    this.entries = entries;
    for (const e of entries) this.add(e.className, e);
    const aliasOwners = new Map<string, Set<string>>();
    for (const e of entries) {
      for (const alias of aliases(e)) {
        const owners = aliasOwners.get(alias) ?? new Set();
        owners.add(e.className);
        aliasOwners.set(alias, owners);
      }
    }
    for (const e of entries) {
      for (const alias of aliases(e)) {
        if (aliasOwners.get(alias)?.size === 1 && !this.byName.get(alias)?.includes(e)) this.add(alias, e);
      }
    }
  }

  /** The entry of that name serving `kind` (any kind when omitted); `undefined` when unknown. */
  find(name: string, kind?: PluginKind): PluginEntry | undefined {
    const found = this.byName.get(name.trim());
    return kind ? found?.find((e) => e.kind === kind) : found?.[0];
  }

  /** The entries of that name, one per kind it serves. */
  findAll(name: string): readonly PluginEntry[] {
    return this.byName.get(name.trim()) ?? [];
  }

  /** A new connector instance; throws Kafka's message when no connector matches. */
  newConnector(name: string): Connector {
    const entry = this.find(name, 'source') ?? this.find(name, 'sink');
    if (!entry) {
      const available = this.list(['source', 'sink']).map((p) => p.class);
      throw new PluginNotFoundError(
        `Failed to find any class that implements Connector and which name matches ${name}, available connectors are: ${available.join(', ')}`,
      );
    }
    return entry.create() as Connector;
  }

  newConverter(name: string): Converter {
    return this.newOf<Converter>(name, 'converter');
  }

  newHeaderConverter(name: string): HeaderConverter {
    return this.newOf<HeaderConverter>(name, 'header_converter');
  }

  newTransformation(name: string): Transformation {
    return this.newOf<Transformation>(name, 'transformation');
  }

  newPredicate(name: string): Predicate {
    return this.newOf<Predicate>(name, 'predicate');
  }

  /** `source`, `sink` or `unknown` for a connector class name (ConnectorInfo's `type`). */
  connectorType(name: string): 'source' | 'sink' | 'unknown' {
    if (this.find(name, 'source')) return 'source';
    if (this.find(name, 'sink')) return 'sink';
    return 'unknown';
  }

  /** Plugins of the given kinds, in Kafka's order (by kind, then class name). */
  list(kinds: readonly PluginKind[] = KIND_ORDER): PluginInfo[] {
    return KIND_ORDER.filter((k) => kinds.includes(k)).flatMap((kind) =>
      this.entries
        .filter((e) => e.kind === kind)
        // Java's String.compareTo (PluginDesc): UTF-16 code units, so upper case sorts before lower case.
        .sort((a, b) => (a.className < b.className ? -1 : a.className > b.className ? 1 : 0))
        .map((e) => {
          const version = versionOf(e.create());
          return version ? { class: e.className, type: kind, version } : { class: e.className, type: kind };
        }),
    );
  }

  /** The plugin's own config spec. */
  configDef(entry: PluginEntry): ConfigDef {
    const instance = entry.create() as { config?: () => ConfigDef; constructor: { CONFIG_DEF?: ConfigDef } };
    return instance.config?.() ?? instance.constructor.CONFIG_DEF ?? new ConfigDef();
  }

  /** The lookup that connector validation uses. */
  readonly resolvePlugin: ResolvePlugin = (name) => {
    const entries = this.findAll(name);
    const entry =
      entries.find((e) => e.kind === 'source' || e.kind === 'sink') ??
      entries.find((e) => e.kind !== 'header_converter') ??
      entries[0];
    if (!entry) return undefined;
    const resolved: ResolvedPlugin = { kind: entry.kind, config: () => this.configDef(entry) };
    if (entry.kind === 'source' || entry.kind === 'sink') {
      resolved.validate = (props) => (entry.create() as Connector).validate(props);
    }
    return resolved;
  };

  private newOf<T>(name: string, kind: PluginKind): T {
    const entry = this.find(name, kind);
    if (!entry) throw new PluginNotFoundError(`Class ${name} could not be found.`);
    return entry.create() as T;
  }

  private add(name: string, entry: PluginEntry): void {
    const list = this.byName.get(name) ?? [];
    list.push(entry);
    this.byName.set(name, list);
  }
}

export class PluginNotFoundError extends Error {
  override name = 'PluginNotFoundError';
}

function aliases(entry: PluginEntry): string[] {
  const simple =
    entry.className
      .slice(entry.className.lastIndexOf('.') + 1)
      .split('$')
      .at(-1) ?? '';
  const suffix = INTERFACE_SUFFIX[entry.kind];
  const pruned = simple.endsWith(suffix) && simple !== suffix ? simple.slice(0, -suffix.length) : simple;
  return [...new Set([simple, pruned])];
}

function versionOf(instance: unknown): string | undefined {
  const v = (instance as { version?: string | (() => string) }).version;
  return typeof v === 'function' ? v.call(instance) : v;
}

function connector<O>(
  cls: (new (options?: O) => SourceConnector | SinkConnector) & { CLASS_NAME: string },
  options?: O,
): PluginEntry {
  const kind: PluginKind = cls.prototype instanceof SinkConnector ? 'sink' : 'source';
  return { className: cls.CLASS_NAME, kind, create: () => new cls(options) };
}

function converterEntries(): PluginEntry[] {
  const list = Object.values(converters).filter(
    (c): c is typeof c & { CLASS_NAME: string } & (new () => unknown) =>
      typeof c === 'function' && 'CLASS_NAME' in c,
  );
  return list.flatMap((cls) => {
    const instance = new cls() as Partial<Converter & HeaderConverter>;
    const entries: PluginEntry[] = [];
    if (instance.fromConnectData)
      entries.push({ className: cls.CLASS_NAME, kind: 'converter', create: () => new cls() });
    if (instance.fromConnectHeader)
      entries.push({ className: cls.CLASS_NAME, kind: 'header_converter', create: () => new cls() });
    return entries;
  });
}

/**
 * Local mode's policy: the user's own machine, FileStream anywhere, the HTTP, Elasticsearch/OpenSearch
 * and S3 sinks on private networks too.
 */
export const LOCAL_POLICY: PluginPolicy = pluginPolicy({}, false);

/**
 * Everything this build ships that `policy` installs: no FileStream connectors unless it enables them
 * (then bound to its allowed paths), the sinks that send HTTP (HTTP, Elasticsearch/OpenSearch, S3) bound
 * to its address policy.
 */
export function installedPlugins(policy: PluginPolicy = LOCAL_POLICY): PluginEntry[] {
  const files = { allowedPaths: [...policy.fileStreamAllowedPaths] };
  const addresses = { allowPrivateNetworks: policy.httpAllowPrivateNetworks };
  return [
    ...(policy.fileStream
      ? [connector(FileStreamSourceConnector, files), connector(FileStreamSinkConnector, files)]
      : []),
    connector(JdbcSourceConnector),
    connector(JdbcSinkConnector),
    connector(PostgresConnector),
    connector(DatagenConnector),
    connector(S3SinkConnector, addresses),
    connector(HttpSinkConnector, addresses),
    connector(ElasticsearchSinkConnector, addresses),
    connector(OpenSearchSinkConnector, addresses),
    connector(OpensearchSinkConnector, addresses),
    ...converterEntries(),
    ...TRANSFORMATIONS.map((t) => ({
      className: t.className,
      kind: 'transformation' as const,
      create: t.create,
    })),
    ...PREDICATES.map((p) => ({ className: p.className, kind: 'predicate' as const, create: p.create })),
  ];
}

const registries = new Map<string, PluginRegistry>();

/**
 * The registry of the plugins `policy` installs, built once per process and policy. Without a policy:
 * local mode's ({@link LOCAL_POLICY}: FileStream anywhere, the HTTP-sending sinks on loopback and private
 * addresses, never on link-local or instance metadata ones). On AWS pass the deployment's
 * (`pluginPolicy(properties, true)`).
 */
export function plugins(policy: PluginPolicy = LOCAL_POLICY): PluginRegistry {
  const key = JSON.stringify([
    policy.fileStream,
    policy.fileStreamAllowedPaths,
    policy.httpAllowPrivateNetworks,
  ]);
  let registry = registries.get(key);
  if (!registry) {
    registry = new PluginRegistry(installedPlugins(policy));
    registries.set(key, registry);
  }
  return registry;
}
