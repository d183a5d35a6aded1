import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { redactDeep, redactMessage } from '../lib/config/redaction.js';
import type { RestReply, RestRequest } from '../lib/control/rest/types.js';

/** The REST layer's request from an API Gateway REST (v1 proxy) event whose body `jsonBody` parsed. */
export function restRequest(event: APIGatewayProxyEvent & { jsonBody?: unknown }): RestRequest {
  const query: Record<string, string[]> = {};
  for (const [key, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) {
    if (values) query[key] = [...values];
  }
  for (const [key, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value !== undefined && !query[key]) query[key] = [value];
  }
  return { method: event.httpMethod, path: event.path, query, body: event.jsonBody };
}

/**
 * A REST reply as an API Gateway proxy result: JSON body, or none (204, 202 without body). Every reply,
 * errors included, leaves through here, so here the resolved secrets are hidden (`redaction.ts`).
 */
export function proxyResult(reply: RestReply): APIGatewayProxyResult {
  const hasBody = reply.body !== undefined;
  return {
    statusCode: reply.status,
    headers: { ...(hasBody ? { 'Content-Type': 'application/json' } : {}), ...reply.headers },
    // Error replies are messages the system wrote: credentials in URLs are hidden there too.
    body: hasBody
      ? JSON.stringify(redactDeep(reply.body, reply.status >= 400 ? redactMessage : undefined))
      : '',
  };
}
