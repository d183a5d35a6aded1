import type { LookupFunction } from 'node:net';
import type { Client, ClientOptions } from '@opensearch-project/opensearch';
import { ConnectError } from '../../api/index.js';
import {
  type AddressGuard,
  guardedLookup,
  RefusedAddressError,
  refusedLiteral,
} from '../http/address-policy.js';
import type { BulkResponse } from './bulk-writer.js';
import { ClusterError } from './retries.js';
import type { ConnectionSettings } from './settings.js';

/** What `GET /` says about the cluster. */
export interface ClusterInfo {
  distribution: 'opensearch' | 'elasticsearch';
  version: string;
}

/**
 * The cluster through the official client, `@opensearch-project/opensearch`, which speaks to OpenSearch
 * and to Elasticsearch 7-compatible clusters: one method per request the sink makes, every failure a
 * {@link ClusterError}. The client's own retries are off (the sink retries with Confluent's backoff).
 * It is loaded on first use, so functions that never run this sink do not pay for it at cold start.
 *
 * Where it may connect follows the deployment's address policy (`../http/address-policy.ts`): IP-literal
 * URLs (and the proxy's) are checked here, before any request; host names by the agents' own lookup, on
 * the address actually connected to. A refusal fails every later request with the {@link RefusedAddressError}
 * itself (not retriable), not the client's generic ConnectionError.
 */
export class Cluster {
  private constructor(
    private readonly client: Client,
    private readonly refusal: () => RefusedAddressError | undefined,
  ) {}

  /**
   * `guard` defaults to local mode's policy (private networks allowed, link-local never): the
   * connectors pass the deployment's. `connector` names the sink in refusals.
   */
  static async connect(
    c: ConnectionSettings,
    guard: AddressGuard = { allowPrivateNetworks: true },
    connector = 'Elasticsearch sink',
  ): Promise<Cluster> {
    for (const url of [...c.urls, ...(c.proxy ? [c.proxy] : [])]) {
      const refused = refusedLiteral(new URL(url), guard, connector);
      if (refused) throw refused;
    }
    let refused: RefusedAddressError | undefined;
    const lookup = guardedLookup(guard, guard.resolve, connector);
    const remembering: LookupFunction = (hostname, options, callback) =>
      lookup(hostname, options, (error, ...rest) => {
        if (error instanceof RefusedAddressError) refused = error;
        (callback as (e: typeof error, ...r: typeof rest) => void)(error, ...rest);
      });
    const { Client } = await import('@opensearch-project/opensearch');
    const options: ClientOptions = {
      nodes: c.urls,
      // Merged into the client's agent options (keep-alive, TLS): only the lookup is ours. Its proxy
      // agent opens the CONNECT request with proxyRequestOptions, so the proxy's name is checked too;
      // the names of the nodes behind a proxy are the proxy's to resolve.
      agent: { lookup: remembering, proxyRequestOptions: { lookup: remembering } } as ClientOptions['agent'],
      maxRetries: 0,
      requestTimeout: c.requestTimeoutMs,
      ...(c.compression ? { compression: 'gzip' as const } : {}),
      ...(c.username !== null && c.password !== null
        ? { auth: { username: c.username, password: c.password } }
        : {}),
      ...(c.proxy ? { proxy: c.proxy } : {}),
      ...(c.trustAllCertificates ? { ssl: { rejectUnauthorized: false } } : {}),
    };
    if (c.sigv4) {
      const { AwsSigv4Signer } = await import('@opensearch-project/opensearch/aws-v3');
      const { credentials } = c.sigv4;
      // Without static keys the signer loads the AWS default credential chain
      // (@aws-sdk/credential-provider-node): the function's role on AWS, env or profile locally.
      Object.assign(
        options,
        AwsSigv4Signer({
          region: c.sigv4.region,
          service: c.sigv4.service as 'es' | 'aoss',
          ...(credentials ? { getCredentials: async () => credentials } : {}),
        }),
      );
    }
    return new Cluster(new Client(options), () => refused);
  }

  async bulk(body: string): Promise<BulkResponse> {
    return (await this.call(() => this.client.bulk({ body: body as never }))) as BulkResponse;
  }

  /** `null` when the cluster does not say (no permission, OpenSearch Serverless). */
  async info(): Promise<ClusterInfo | null> {
    try {
      const body = (await this.call(() => this.client.info())) as {
        version?: { number?: string; distribution?: string };
      };
      const version = body.version?.number;
      if (!version) return null;
      return {
        distribution: body.version?.distribution === 'opensearch' ? 'opensearch' : 'elasticsearch',
        version,
      };
    } catch (error) {
      if (error instanceof ClusterError && error.status !== 0 && !error.retriable) return null;
      throw error;
    }
  }

  async exists(name: string): Promise<boolean> {
    return (await this.call(() => this.client.indices.exists({ index: name }))) === true;
  }

  /** Creates an index without settings; one that appeared meanwhile is fine. */
  async createIndex(name: string): Promise<void> {
    await this.created(() => this.client.indices.create({ index: name }));
  }

  async createDataStream(name: string): Promise<void> {
    await this.created(() => this.client.indices.createDataStream({ name }));
  }

  async indexTemplateExists(name: string): Promise<boolean> {
    return (await this.call(() => this.client.indices.existsIndexTemplate({ name }))) === true;
  }

  /** An index template making `pattern` a data stream on `timestampField` (Aiven's, priority 200). */
  async putDataStreamTemplate(name: string, pattern: string, timestampField: string): Promise<void> {
    const body = {
      index_patterns: [pattern],
      priority: 200,
      data_stream: { timestamp_field: { name: timestampField } },
    };
    await this.call(() => this.client.indices.putIndexTemplate({ name, body: body as never }));
  }

  /** The mapping of each index behind `name` (a data stream has several backing indices). */
  async mappings(name: string): Promise<unknown[]> {
    const body = (await this.call(() => this.client.indices.getMapping({ index: name }))) as Record<
      string,
      { mappings?: unknown }
    >;
    return Object.values(body).map((index) => index.mappings);
  }

  async putMapping(name: string, mapping: Record<string, unknown>): Promise<void> {
    await this.call(() => this.client.indices.putMapping({ index: name, body: mapping as never }));
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private async created(create: () => Promise<{ body: unknown }>): Promise<void> {
    try {
      await this.call(create);
    } catch (error) {
      if (!(error instanceof ClusterError && error.type === 'resource_already_exists_exception')) throw error;
    }
  }

  private async call(request: () => Promise<{ body: unknown }>): Promise<unknown> {
    try {
      return (await request()).body;
    } catch (error) {
      throw this.refusal() ?? toClusterError(error);
    }
  }
}

/** The client's errors as ours: a response keeps its status and error type, no answer is status 0. */
function toClusterError(error: unknown): Error {
  const e = error as { name?: string; message?: string; meta?: { statusCode?: number; body?: unknown } };
  if (e.name === 'ResponseError') {
    const status = e.meta?.statusCode ?? 0;
    const type = (e.meta?.body as { error?: { type?: string } } | undefined)?.error?.type ?? '';
    return new ClusterError(`HTTP ${status}: ${e.message}`, status, type);
  }
  if (e.name === 'TimeoutError' || e.name === 'ConnectionError' || e.name === 'NoLivingConnectionsError')
    return new ClusterError(`${e.name}: ${e.message}`, 0);
  return new ConnectError(`${e.name ?? 'Error'}: ${e.message ?? String(error)}`, { cause: error });
}
