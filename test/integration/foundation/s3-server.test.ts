import { createHash, createHmac, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3_ENDPOINT, uniqueName } from '../../support/services.js';

// The dev stack's S3 is S3Mock (local/stack/s3mock.ts). The S3 sink writes through SDK v3 and Confluent's
// connector through the Java SDK, so these pin what both send: aws-chunked streams with a trailing checksum,
// chunk-signed streams, multipart uploads, ListObjectsV2 paging and conditional puts.
const CREDENTIALS = { accessKeyId: 'dev-stack', secretAccessKey: 'dev-stack-secret' };
const REGION = 'us-east-1';
const MiB = 1024 * 1024;

const client = new S3Client({
  endpoint: S3_ENDPOINT,
  forcePathStyle: true,
  region: REGION,
  credentials: CREDENTIALS,
});
const sent = recordRequests(client);
const Bucket = uniqueName('sc-s3');
const created: string[] = [];

beforeAll(async () => {
  await createBucket(Bucket);
});

afterAll(async () => {
  for (const bucket of created) await emptyAndDelete(bucket);
  client.destroy();
});

describe('the dev stack’s S3 (S3Mock)', () => {
  it('creates a bucket that HeadBucket then finds; HeadBucket on an unknown one is 404', async () => {
    // Prepare
    const bucket = uniqueName('sc-s3-head');
    // Act
    await createBucket(bucket);
    const head = await client.send(new HeadBucketCommand({ Bucket: bucket }));
    const missing = await client
      .send(new HeadBucketCommand({ Bucket: uniqueName('sc-s3-none') }))
      .catch(status);
    // Assess
    expect(head.$metadata.httpStatusCode).toBe(200);
    expect(missing).toBe(404);
  });

  it('stores a streamed aws-chunked PutObject (trailing checksum) byte for byte, no chunk framing inside', async () => {
    // Prepare: a stream body, so the SDK sends aws-chunked with a trailing CRC32 instead of a signed payload.
    const data = randomBytes(3 * MiB + 12_345);
    const Key = 'streamed/aws-chunked.bin';
    // Act
    await client.send(
      new PutObjectCommand({
        Bucket,
        Key,
        Body: Readable.from(pieces(data, 64 * 1024)),
        ContentLength: data.length,
      }),
    );
    const request = sent.find((r) => r.command === 'PutObjectCommand' && r.key === Key);
    const stored = await get(Key);
    // Assess
    expect(request?.headers).toMatchObject({
      'content-encoding': 'aws-chunked',
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'x-amz-trailer': 'x-amz-checksum-crc32',
      'x-amz-decoded-content-length': String(data.length),
    });
    expect(stored.body.length).toBe(data.length);
    expect(sha256(stored.body)).toBe(sha256(data));
    // aws-chunked is the transfer's, not the object's: S3 keeps no Content-Encoding for it.
    expect(stored.contentEncoding).toBeUndefined();
  });

  it('SDK v3 refuses a PutObject stream of unknown length before sending it: lib-storage Upload takes those', async () => {
    // Prepare
    const data = randomBytes(100_000);
    const Key = 'streamed/unknown-length.bin';
    // Act
    const refused = client
      .send(new PutObjectCommand({ Bucket, Key, Body: Readable.from(pieces(data, 10_000)) }))
      .catch((error: Error) => error.message);
    const upload = new Upload({ client, params: { Bucket, Key, Body: Readable.from(pieces(data, 10_000)) } });
    await upload.done();
    const stored = await get(Key);
    // Assess
    expect(await refused).toBe('Invalid value "undefined" for header "x-amz-decoded-content-length"');
    expect(sha256(stored.body)).toBe(sha256(data));
  });

  it('stores a chunk-signed upload (STREAMING-AWS4-HMAC-SHA256-PAYLOAD, as the Java SDKs send over HTTP) byte for byte', async () => {
    // Prepare
    const data = randomBytes(200_000);
    const Key = 'streamed/chunk-signed.bin';
    // Act
    const response = await putChunkSigned(Key, [data.subarray(0, 65_536), data.subarray(65_536)]);
    const stored = await get(Key);
    // Assess
    expect(response).toBe(200);
    expect(stored.body.length).toBe(data.length);
    expect(sha256(stored.body)).toBe(sha256(data));
    expect(stored.contentEncoding).toBeUndefined();
  });

  it('round-trips a 12 MiB multipart upload in 5 MiB parts (lib-storage Upload)', async () => {
    // Prepare
    const data = randomBytes(12 * MiB);
    const Key = 'multipart/12MiB.bin';
    const before = sent.length;
    // Act: a stream of unknown length, as a sink's part writer has.
    const upload = new Upload({
      client,
      partSize: 5 * MiB,
      queueSize: 2,
      params: { Bucket, Key, Body: Readable.from(pieces(data, MiB)) },
    });
    const result = await upload.done();
    const stored = await get(Key);
    const commands = sent.slice(before).map((r) => r.command);
    // Assess
    expect(commands.filter((c) => c === 'CreateMultipartUploadCommand')).toHaveLength(1);
    expect(commands.filter((c) => c === 'UploadPartCommand')).toHaveLength(3);
    expect(commands.filter((c) => c === 'CompleteMultipartUploadCommand')).toHaveLength(1);
    // A multipart object's ETag is the MD5 of its parts' MD5s, suffixed with the part count.
    expect(result.ETag).toMatch(/^"[0-9a-f]{32}-3"$/);
    expect(stored.body.length).toBe(data.length);
    expect(sha256(stored.body)).toBe(sha256(data));
  });

  it('pages ListObjectsV2 with MaxKeys=2 over 5 keys through ContinuationToken', async () => {
    // Prepare
    const Prefix = 'paged/';
    const keys = ['a', 'b', 'c', 'd', 'e'].map((k) => `${Prefix}${k}.json`);
    for (const Key of keys) await client.send(new PutObjectCommand({ Bucket, Key, Body: Key }));
    // Act
    const pages: ListObjectsV2CommandOutput[] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket, Prefix, MaxKeys: 2, ContinuationToken }),
      );
      pages.push(page);
      ContinuationToken = page.NextContinuationToken;
    } while (ContinuationToken !== undefined && pages.length < 10);
    // Assess
    expect(pages.map((p) => p.KeyCount)).toEqual([2, 2, 1]);
    expect(pages.map((p) => p.IsTruncated)).toEqual([true, true, false]);
    expect(pages.flatMap((p) => (p.Contents ?? []).map((o) => o.Key))).toEqual(keys);
  });

  it('answers 412 to a conditional put (If-None-Match: *) on an existing key and keeps the first object', async () => {
    // Prepare
    const Key = 'conditional/once.json';
    const putOnce = (Body: string) =>
      client.send(new PutObjectCommand({ Bucket, Key, Body, IfNoneMatch: '*' }));
    // Act
    const first = await putOnce('{"writer":1}');
    const second = await putOnce('{"writer":2}').catch(status);
    const stored = await get(Key);
    // Assess
    expect(first.$metadata.httpStatusCode).toBe(200);
    expect(second).toBe(412);
    expect(stored.body.toString()).toBe('{"writer":1}');
  });

  it('stores a gzip Content-Encoding object as it was sent and gives it back compressed', async () => {
    // Prepare
    const json = JSON.stringify(Array.from({ length: 500 }, (_, i) => ({ id: i, name: `record-${i}` })));
    const gzipped = gzipSync(json);
    const Key = 'encoded/records.json.gz';
    // Act
    await client.send(
      new PutObjectCommand({
        Bucket,
        Key,
        Body: gzipped,
        ContentEncoding: 'gzip',
        ContentType: 'application/json',
      }),
    );
    const stored = await get(Key);
    // Assess
    expect(stored.contentEncoding).toBe('gzip');
    expect(stored.contentType).toBe('application/json');
    expect(sha256(stored.body)).toBe(sha256(gzipped));
    expect(gunzipSync(stored.body).toString()).toBe(json);
  });
});

async function createBucket(bucket: string): Promise<void> {
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  created.push(bucket);
}

async function get(Key: string): Promise<{ body: Buffer; contentEncoding?: string; contentType?: string }> {
  const object = await client.send(new GetObjectCommand({ Bucket, Key }));
  const body = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
  return { body, contentEncoding: object.ContentEncoding, contentType: object.ContentType };
}

async function emptyAndDelete(bucket: string): Promise<void> {
  let ContinuationToken: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken }));
    for (const object of page.Contents ?? [])
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: object.Key }));
    ContinuationToken = page.NextContinuationToken;
  } while (ContinuationToken !== undefined);
  await client.send(new DeleteBucketCommand({ Bucket: bucket }));
}

/** The HTTP status of a service error; anything else is rethrown. */
function status(error: unknown): number | undefined {
  if (error instanceof S3ServiceException) return error.$metadata.httpStatusCode;
  throw error;
}

function* pieces(data: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Each request the client sends, as signed: its command, object key and headers. */
function recordRequests(
  s3: S3Client,
): { command: string; key?: string; headers: Record<string, string | undefined> }[] {
  const requests: { command: string; key?: string; headers: Record<string, string | undefined> }[] = [];
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      const { headers } = args.request as { headers: Record<string, string | undefined> };
      const key = (args.input as { Key?: string }).Key;
      requests.push({ command: context.commandName ?? '', key, headers: { ...headers } });
      return next(args);
    },
    // The deserialize step runs after signing, so the headers are the ones on the wire.
    { step: 'deserialize' },
  );
  return requests;
}

/**
 * A PutObject in SigV4's chunk-signed streaming form, which SDK v3 never sends but the Java SDKs do over
 * plain HTTP: https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html. Each chunk travels as
 * `<hex size>;chunk-signature=<signature>\r\n<bytes>\r\n`, ending with an empty chunk.
 */
async function putChunkSigned(Key: string, chunks: Buffer[]): Promise<number> {
  const url = new URL(`${S3_ENDPOINT}/${Bucket}/${Key}`);
  const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  const scope = `${amzDate.slice(0, 8)}/${REGION}/s3/aws4_request`;
  const payload = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
  const headers: Record<string, string> = {
    'content-encoding': 'aws-chunked',
    host: url.host,
    'x-amz-content-sha256': payload,
    'x-amz-date': amzDate,
    'x-amz-decoded-content-length': String(chunks.reduce((n, c) => n + c.length, 0)),
  };
  const names = Object.keys(headers).sort();
  const canonical = [
    'PUT',
    url.pathname,
    '',
    ...names.map((h) => `${h}:${headers[h]}`),
    '',
    names.join(';'),
    payload,
  ];
  const signingKey = [amzDate.slice(0, 8), REGION, 's3', 'aws4_request'].reduce<Buffer>(
    (key, part) => createHmac('sha256', key).update(part).digest(),
    Buffer.from(`AWS4${CREDENTIALS.secretAccessKey}`),
  );
  const sign = (lines: string[]) => createHmac('sha256', signingKey).update(lines.join('\n')).digest('hex');
  let signature = sign(['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical.join('\n'))]);
  const authorization = `AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
  const framed = [...chunks, Buffer.alloc(0)].map((chunk) => {
    signature = sign(['AWS4-HMAC-SHA256-PAYLOAD', amzDate, scope, signature, sha256(''), sha256(chunk)]);
    return Buffer.concat([
      Buffer.from(`${chunk.length.toString(16)};chunk-signature=${signature}\r\n`),
      chunk,
      Buffer.from('\r\n'),
    ]);
  });
  const { host: _, ...sendable } = headers;
  const response = await fetch(url, {
    method: 'PUT',
    headers: { ...sendable, authorization },
    body: Buffer.concat(framed),
  });
  await response.arrayBuffer();
  return response.status;
}
