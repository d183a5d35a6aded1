import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { proxyResult, restRequest } from './api-gateway.js';
import { controlPlaneFromEnv, type RestHandler } from './control-plane.js';
import { errorResponse } from './middleware/error-response.js';
import { type JsonEvent, jsonBody } from './middleware/json-body.js';
import { requestLogger } from './middleware/request-logger.js';

/**
 * The middleware stack around a REST API, defined once: log → serialise errors → parse JSON → route.
 * `api` is asked on every request and should cache what it builds.
 */
export function controlApiHandler(api: () => Promise<RestHandler>, logger: Logger) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(requestLogger({ logger }))
    .use(errorResponse())
    .use(jsonBody())
    .handler(async (event) => proxyResult(await (await api())(restRequest(event as JsonEvent))));
}

const logger = new Logger({ serviceName: 'control-api' });

// Clients live as long as the container: built on the first request, reused by every later one.
let api: Promise<RestHandler> | undefined;

/**
 * The Kafka Connect REST API as one Lambda behind API Gateway REST (v1 proxy events); local mode's
 * `node:http` server calls this same handler.
 */
export const handler = controlApiHandler(() => {
  api ??= controlPlaneFromEnv(process.env, logger).catch((error) => {
    api = undefined;
    throw error;
  });
  return api;
}, logger);
