import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { errorResponse } from '../../../../functions/middleware/error-response.js';
import { type JsonEvent, jsonBody } from '../../../../functions/middleware/json-body.js';
import { requestLogger } from '../../../../functions/middleware/request-logger.js';
import { NotFoundError } from '../../../../lib/api/errors.js';

function event(overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  return {
    httpMethod: 'POST',
    path: '/connectors',
    headers: { 'Content-Type': 'application/json' },
    body: null,
    isBase64Encoded: false,
    ...overrides,
  } as APIGatewayProxyEvent;
}

const context = {} as Context;

/** A logger that keeps every line (with the keys appended at the time) for the test to read. */
function recordingLogger() {
  const lines: Record<string, unknown>[] = [];
  let keys: Record<string, unknown> = {};
  const logger = {
    appendKeys: (k: Record<string, unknown>) => {
      keys = { ...keys, ...k };
    },
    removeKeys: (names: string[]) => {
      for (const n of names) delete keys[n];
    },
    info: (message: string, extra: Record<string, unknown>) =>
      lines.push({ level: 'INFO', message, ...keys, ...extra }),
    error: (message: string, extra: Record<string, unknown>) =>
      lines.push({ level: 'ERROR', message, ...keys, ...extra }),
  };
  return { logger: logger as unknown as Logger, lines, keys: () => keys };
}

function stack(
  handler: (event: JsonEvent) => Promise<APIGatewayProxyResult>,
  logger = recordingLogger().logger,
) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(requestLogger({ logger, clock: () => 0 }))
    .use(errorResponse())
    .use(jsonBody({ limitBytes: 100 }))
    .handler((e) => handler(e as JsonEvent));
}

const echo = async (e: JsonEvent) => ({ statusCode: 200, body: JSON.stringify({ got: e.jsonBody ?? null }) });

describe('jsonBody', () => {
  it('parses a JSON body, a base64 one, and leaves an empty body undefined', async () => {
    // Act
    const plain = await stack(echo)(event({ body: '{"a":1}' }), context);
    const base64 = await stack(echo)(
      event({ body: Buffer.from('{"b":2}').toString('base64'), isBase64Encoded: true }),
      context,
    );
    const none = await stack(echo)(event({ body: '' }), context);
    // Assess
    expect(JSON.parse(plain.body)).toEqual({ got: { a: 1 } });
    expect(JSON.parse(base64.body)).toEqual({ got: { b: 2 } });
    expect(JSON.parse(none.body)).toEqual({ got: null });
  });

  it('answers 400 for malformed JSON, 415 for another content type, 413 over the limit', async () => {
    // Act
    const malformed = await stack(echo)(event({ body: '{' }), context);
    const text = await stack(echo)(event({ body: 'x', headers: { 'content-type': 'text/plain' } }), context);
    const large = await stack(echo)(event({ body: JSON.stringify({ x: 'y'.repeat(200) }) }), context);
    // Assess
    expect(malformed.statusCode).toBe(400);
    expect(JSON.parse(malformed.body).message).toMatch(/^Malformed JSON/);
    expect(JSON.parse(text.body)).toEqual({ error_code: 415, message: 'HTTP 415 Unsupported Media Type' });
    expect(large.statusCode).toBe(413);
  });

  it('accepts application/json with a charset and vendor +json types', async () => {
    // Act
    const charset = await stack(echo)(
      event({ body: '1', headers: { 'Content-Type': 'application/json; charset=utf-8' } }),
      context,
    );
    const vendor = await stack(echo)(
      event({ body: '2', headers: { 'Content-Type': 'application/vnd.x+json' } }),
      context,
    );
    // Assess
    expect([charset.statusCode, vendor.statusCode]).toEqual([200, 200]);
  });
});

describe('errorResponse', () => {
  it("turns a thrown error into Kafka's error JSON with the status as error_code", async () => {
    // Act
    const notFound = await stack(async () => {
      throw new NotFoundError('Connector x not found');
    })(event(), context);
    const crash = await stack(async () => {
      throw new Error('kaboom');
    })(event(), context);
    // Assess
    expect(notFound).toEqual({
      statusCode: 404,
      headers: { 'Content-Type': 'application/json' },
      body: '{"error_code":404,"message":"Connector x not found"}',
    });
    expect(JSON.parse(crash.body)).toEqual({ error_code: 500, message: 'kaboom' });
  });
});

describe('requestLogger', () => {
  it('logs one line with method, path, connector and status, and never the body', async () => {
    // Prepare
    const { logger, lines, keys } = recordingLogger();
    const body = JSON.stringify({ 'connection.password': 's3cret' });
    // Act
    await stack(echo, logger)(
      event({ httpMethod: 'PUT', path: '/connectors/my%20conn/config', body }),
      context,
    );
    // Assess
    expect(lines).toEqual([
      {
        level: 'INFO',
        message: 'request',
        method: 'PUT',
        path: '/connectors/my%20conn/config',
        connector: 'my conn',
        status: 200,
        durationMs: 0,
      },
    ]);
    expect(JSON.stringify(lines)).not.toContain('s3cret');
    expect(keys()).toEqual({});
  });

  it('logs a 5xx at error level with the error, after the error response is shaped', async () => {
    // Prepare
    const { logger, lines } = recordingLogger();
    // Act
    await stack(async () => {
      throw new Error('store down');
    }, logger)(event({ httpMethod: 'GET', path: '/connectors' }), context);
    // Assess
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'ERROR', status: 500, method: 'GET' });
    expect(String(lines[0]?.error)).toBe('Error: store down');
  });
});
