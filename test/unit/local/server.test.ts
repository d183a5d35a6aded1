import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { forgetSecrets, rememberSecret } from '../../../lib/config/redaction.js';
import { startControlServer } from '../../../local/server.js';

describe('startControlServer', () => {
  it('passes a path starting with // to the handler as written instead of failing to parse it', async () => {
    const paths: string[] = [];
    const server = await startControlServer({
      port: 0,
      handler: async (event) => {
        paths.push(event.path);
        return { statusCode: 404, headers: {}, body: '{"error_code":404,"message":"x"}' };
      },
    });
    try {
      const { request } = await import('node:http');
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port: new URL(server.url).port, path: '//connectors//x?y=1' },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      });

      expect(status).toBe(404);
      expect(paths).toEqual(['//connectors//x']);
    } finally {
      await server.close();
    }
  });

  it('answers a handler that throws with a 500 in Kafka’s shape, resolved secrets and URL passwords hidden', async () => {
    rememberSecret('resolved-s3cret-value');
    const server = await startControlServer({
      port: 0,
      handler: async () => {
        throw new Error('boom resolved-s3cret-value at jdbc:postgresql://app:url-pw-123@db/x');
      },
    });
    try {
      const res = await fetch(`${server.url}/connectors`);
      const text = await res.text();

      expect(res.status).toBe(500);
      expect(JSON.parse(text)).toEqual({
        error_code: 500,
        message: 'boom [hidden] at jdbc:postgresql://app:[hidden]@db/x',
      });
    } finally {
      forgetSecrets();
      await server.close();
    }
  });

  it("turns a request into an API Gateway REST proxy event and writes the handler's result back", async () => {
    // Prepare
    const events: APIGatewayProxyEvent[] = [];
    const server = await startControlServer({
      port: 0,
      handler: async (event) => {
        events.push(event);
        return { statusCode: 201, headers: { Location: '/connectors/x' }, body: '{"ok":true}' };
      },
    });
    try {
      // Act
      const res = await fetch(`${server.url}/connectors/a%2Fb?expand=status&expand=info`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Custom': 'yes' },
        body: '{"name":"x"}',
      });
      // Assess
      expect(res.status).toBe(201);
      expect(res.headers.get('location')).toBe('/connectors/x');
      expect(await res.text()).toBe('{"ok":true}');
      const event = events[0] as APIGatewayProxyEvent;
      expect(event.httpMethod).toBe('POST');
      expect(event.path).toBe('/connectors/a%2Fb');
      expect(event.queryStringParameters).toEqual({ expand: 'info' });
      expect(event.multiValueQueryStringParameters).toEqual({ expand: ['status', 'info'] });
      expect(event.headers['X-Custom']).toBe('yes');
      expect(event.body).toBe('{"name":"x"}');
      expect(event.isBase64Encoded).toBe(false);
      expect(event.requestContext.httpMethod).toBe('POST');
      expect(event.requestContext.identity.sourceIp).toBe('127.0.0.1');
    } finally {
      await server.close();
    }
  });

  it('sends a body that is not UTF-8 as base64, and no body as null', async () => {
    // Prepare
    const events: APIGatewayProxyEvent[] = [];
    const server = await startControlServer({
      port: 0,
      handler: async (event) => {
        events.push(event);
        return { statusCode: 204, body: '' };
      },
    });
    try {
      // Act
      await fetch(`${server.url}/x`, { method: 'PUT', body: new Uint8Array([0xff, 0xfe, 0x00]) });
      await fetch(`${server.url}/x`);
      // Assess
      expect(events[0]?.isBase64Encoded).toBe(true);
      expect(Buffer.from(events[0]?.body ?? '', 'base64')).toEqual(Buffer.from([0xff, 0xfe, 0x00]));
      expect(events[1]?.body).toBeNull();
      expect(events[1]?.queryStringParameters).toBeNull();
    } finally {
      await server.close();
    }
  });
});
