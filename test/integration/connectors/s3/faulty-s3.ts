import { createServer, request, type Server } from 'node:http';
import { S3_ENDPOINT } from '../../../support/services.js';

/**
 * The dev stack's S3 behind a loopback HTTP relay that can answer one kind of request with a 500
 * InternalError, as S3 does under strain, so a test can fail an upload half way: the server stays real,
 * the fault is the one S3 documents as retriable. Every request is counted by what it is.
 */
export interface FaultyS3 {
  endpoint: string;
  /** Fails the next `times` requests that `match` picks. */
  failNext(match: (method: string, url: URL) => boolean, times?: number): void;
  /** Requests relayed or failed, by `<method> <kind>`: `PUT part`, `PUT object`, `POST complete`, … */
  seen: Map<string, number>;
  close(): Promise<void>;
}

export const isPart = (method: string, url: URL) => method === 'PUT' && url.searchParams.has('partNumber');
export const isPut = (method: string, url: URL) =>
  method === 'PUT' && !url.searchParams.has('partNumber') && url.pathname.split('/').length > 2;

function kind(method: string, url: URL): string {
  if (url.searchParams.has('partNumber')) return `${method} part`;
  if (url.searchParams.has('uploads')) return `${method} create`;
  if (url.searchParams.has('uploadId')) return `${method} ${method === 'POST' ? 'complete' : 'upload'}`;
  return `${method} ${url.pathname.split('/').filter(Boolean).length > 1 ? 'object' : 'bucket'}`;
}

export async function faultyS3(): Promise<FaultyS3> {
  const target = new URL(S3_ENDPOINT);
  const faults: { match: (method: string, url: URL) => boolean; left: number }[] = [];
  const seen = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://relay');
    const method = req.method ?? 'GET';
    const k = kind(method, url);
    seen.set(k, (seen.get(k) ?? 0) + 1);
    const fault = faults.find((f) => f.left > 0 && f.match(method, url));
    if (fault) {
      fault.left--;
      req.resume();
      req.on('end', () => {
        res.writeHead(500, { 'content-type': 'application/xml' });
        res.end(
          '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>injected by the test</Message></Error>',
        );
      });
      return;
    }
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    failNext(match, times = 1) {
      faults.push({ match, left: times });
    },
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
