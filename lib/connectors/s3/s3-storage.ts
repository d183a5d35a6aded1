import { once } from 'node:events';
import { PassThrough, type Transform } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { ConnectError, RetriableError } from '../../api/index.js';
import { type AddressGuard, guardedLookup, refusedLiteral } from '../http/address-policy.js';
import type { S3SinkConfig } from './config.js';

const CONNECTOR = 'S3 sink';

/** Connect's view of one file's upload: bytes in, then `commit` (visible) or `abort` (never visible). */
export interface ObjectUpload {
  write(bytes: Uint8Array): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * The bucket through the AWS SDK v3 (Confluent's `S3Storage`,
 * https://github.com/confluentinc/kafka-connect-storage-cloud/blob/v12.1.9/kafka-connect-s3/src/main/java/io/confluent/connect/s3/storage/S3Storage.java):
 * one client per task, the default credential chain unless static keys are configured, and every
 * object streamed through `@aws-sdk/lib-storage`, so a file larger than `s3.part.size` becomes a
 * multipart upload whose parts go out while the file is still being written, and nothing is visible
 * under the key until the upload completes.
 *
 * Where it may connect follows `guard` (`../http/address-policy.ts`; local mode's policy unless the
 * task is given the deployment's): an IP-literal `store.url` is refused here, before any request, a
 * host name (AWS's own endpoint included) by the agents' lookup, on the address actually connected to.
 */
export class S3Storage {
  /**
   * The SDK's S3 client and its upload helper are loaded here, when an S3 sink task starts, not when the
   * bundle loads, so no other task's cold start pays for them (docs/runtime.md, Cold starts).
   */
  static async open(config: S3SinkConfig, guard: AddressGuard = { allowPrivateNetworks: true }) {
    const client = clientConfig(config, guard);
    const refused = client.endpoint && refusedLiteral(new URL(client.endpoint as string), guard, CONNECTOR);
    if (refused) throw refused;
    const [s3, storage] = await Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/lib-storage')]);
    return new S3Storage(config, new s3.S3Client(client), s3, storage.Upload);
  }

  private constructor(
    private readonly config: S3SinkConfig,
    readonly client: S3Client,
    private readonly s3: Pick<
      typeof import('@aws-sdk/client-s3'),
      'HeadBucketCommand' | 'S3ServiceException'
    >,
    private readonly Upload: typeof import('@aws-sdk/lib-storage').Upload,
  ) {}

  /** Confluent's start-up check (`S3SinkTask.start`): the bucket must exist. */
  async checkBucket(): Promise<void> {
    try {
      await this.client.send(new this.s3.HeadBucketCommand({ Bucket: this.config.bucket }));
    } catch (error) {
      if (error instanceof this.s3.S3ServiceException && error.$metadata.httpStatusCode === 404)
        throw new ConnectError(`Non-existent S3 bucket: ${this.config.bucket}`);
      throw asConnectError(error);
    }
  }

  /** Starts streaming one object; its gzip (s3.compression.type) wraps the whole object. */
  create(key: string, gzip: boolean): ObjectUpload {
    const c = this.config;
    const body: Transform = gzip ? createGzip({ level: c.gzipLevel }) : new PassThrough();
    const upload = new this.Upload({
      client: this.client,
      params: {
        Bucket: c.bucket,
        Key: key,
        Body: body,
        ...encryption(c),
        ...(c.cannedAcl ? { ACL: c.cannedAcl as never } : {}),
      },
      partSize: c.partSize,
      // One part in flight: an open file holds at most about one part of memory, as Confluent's buffer.
      queueSize: 1,
    });
    let failure: Error | undefined;
    // A stream torn down by a failed or aborted upload reports through `done`, not as an 'error' event.
    body.on('error', () => {});
    const done = upload.done().catch((error: unknown) => {
      failure = asConnectError(error);
      body.destroy();
      throw failure;
    });
    // A failed upload is noticed by the next write or by commit; until then it must not go unhandled.
    done.catch(() => {});
    // Settles when the upload ends either way, to wake a write waiting for room.
    const settled = done.then(
      () => undefined,
      () => undefined,
    );
    return {
      async write(bytes) {
        if (failure) throw failure;
        if (!body.write(bytes)) await Promise.race([once(body, 'drain'), settled]);
        if (failure) throw failure;
      },
      async commit() {
        if (failure) throw failure;
        body.end();
        await done;
      },
      async abort() {
        await upload.abort().catch(() => {});
        body.destroy();
        await done.catch(() => {});
      },
    };
  }

  close(): void {
    this.client.destroy();
  }
}

function clientConfig(c: S3SinkConfig, guard: AddressGuard): S3ClientConfig {
  const lookup = guardedLookup(guard, guard.resolve, CONNECTOR);
  const config: S3ClientConfig = {
    region: c.region,
    forcePathStyle: c.pathStyle,
    useAccelerateEndpoint: c.accelerate,
    maxAttempts: c.partRetries + 1,
    // Agent options, merged into the SDK's defaults (keep-alive, 50 sockets); signing is separate.
    requestHandler: { httpAgent: { lookup }, httpsAgent: { lookup } },
  };
  if (c.storeUrl) {
    // Confluent adds https:// to a URL without a scheme (S3Storage.newS3Client).
    config.endpoint = /^[a-z][a-z0-9+.-]*:\/\//i.test(c.storeUrl) ? c.storeUrl : `https://${c.storeUrl}`;
  }
  if (c.credentials) config.credentials = c.credentials;
  return config;
}

function encryption(c: S3SinkConfig): Record<string, string> {
  switch (c.sse.kind) {
    case 'AES256':
      return { ServerSideEncryption: 'AES256' };
    case 'aws:kms':
    case 'aws:kms:dsse':
      return { ServerSideEncryption: c.sse.kind, SSEKMSKeyId: c.sse.keyId };
    case 'SSE-C':
      return { SSECustomerAlgorithm: 'AES256', SSECustomerKey: c.sse.key };
    default:
      return {};
  }
}

const RETRIABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/**
 * An SDK failure as Connect sees it (Confluent's `S3ErrorUtils.throwConnectException`): what the SDK
 * would retry (throttling, 5xx, timeouts, a dropped connection) is retriable; the rest (access denied, a
 * missing bucket) is not.
 */
export function asConnectError(error: unknown): ConnectError {
  if (error instanceof ConnectError) return error;
  const e = error as {
    name?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
    $retryable?: unknown;
  };
  const status = e.$metadata?.httpStatusCode;
  const message = `S3 request failed: ${e.name ?? 'Error'}: ${e.message ?? String(error)}`;
  const network = status === undefined && e.name !== 'AbortError';
  if (e.$retryable || network || (status !== undefined && RETRIABLE_STATUS.has(status)))
    return new RetriableError(message, { cause: error });
  return new ConnectError(message, { cause: error });
}
