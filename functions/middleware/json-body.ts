import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { BadRequestError, RestError } from '../../lib/control/errors.js';

/** An API Gateway event after `jsonBody`: `jsonBody` holds the parsed body, undefined when none was sent. */
export type JsonEvent = APIGatewayProxyEvent & { jsonBody?: unknown };

export interface JsonBodyOptions {
  /** Largest body accepted, in bytes; larger is 413. @default 1 MiB */
  limitBytes?: number;
}

/**
 * Parses the request body as JSON into `event.jsonBody`, before the handler sees it: 413 over the size
 * limit, 415 for a body with a non-JSON content type (Jersey's answer), 400 for malformed JSON (Kafka
 * answers 500 there). A missing or empty body is fine and leaves `jsonBody` undefined.
 */
export function jsonBody(options: JsonBodyOptions = {}): MiddlewareObj<JsonEvent> {
  const limit = options.limitBytes ?? 1024 * 1024;

  function jsonBodyBefore(request: Request<JsonEvent>): void {
    const { event } = request;
    if (event.body === null || event.body === undefined || event.body === '') return;
    const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
    if (bytes.length > limit) {
      throw new RestError(
        413,
        `Request body of ${bytes.length} bytes is larger than the limit of ${limit} bytes`,
      );
    }
    const type = header(event, 'content-type');
    if (type !== undefined && !/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type.trim())) {
      throw new RestError(415, 'HTTP 415 Unsupported Media Type');
    }
    const text = bytes.toString('utf8');
    if (text.trim() === '') return;
    try {
      event.jsonBody = JSON.parse(text);
    } catch (error) {
      throw new BadRequestError(`Malformed JSON in the request body: ${(error as Error).message}`);
    }
  }

  return { before: jsonBodyBefore };
}

/** A header by case-insensitive name (API Gateway keeps the client's casing). */
export function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}
