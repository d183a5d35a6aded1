import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { redactError } from '../../lib/config/redaction.js';

const KEYS = ['method', 'path', 'connector'];

/**
 * One log line per request with the request keys (method, path, connector) appended to every line
 * logged meanwhile. Bodies, query strings and headers are never logged, so no config value — PASSWORD
 * typed or not — reaches the logs; a 5xx adds the error's message and stack.
 */
export function requestLogger(options: {
  logger: Logger;
  clock?: () => number;
}): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const { logger } = options;
  const clock = options.clock ?? Date.now;
  const started = new WeakMap<object, number>();

  function requestLoggerBefore(request: Request<APIGatewayProxyEvent, APIGatewayProxyResult>): void {
    started.set(request, clock());
    const { httpMethod, path } = request.event;
    const connector = /^\/connectors\/([^/]+)/.exec(path ?? '')?.[1];
    logger.appendKeys({
      method: httpMethod,
      path,
      ...(connector ? { connector: safeDecode(connector) } : {}),
    });
  }

  function requestLoggerAfter(request: Request<APIGatewayProxyEvent, APIGatewayProxyResult>): void {
    const status = request.response?.statusCode ?? 0;
    const durationMs = clock() - (started.get(request) ?? clock());
    if (status >= 500)
      logger.error('request failed', {
        status,
        durationMs,
        error: request.error ? redactError(request.error) : undefined,
      });
    else logger.info('request', { status, durationMs });
    logger.removeKeys(KEYS);
  }

  return { before: requestLoggerBefore, after: requestLoggerAfter, onError: requestLoggerAfter };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
