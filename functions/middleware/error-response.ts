import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { errorReply } from '../../lib/control/rest/error-reply.js';
import { proxyResult } from '../api-gateway.js';

/**
 * The one error serialiser: whatever was thrown (by a middleware or the handler) becomes Kafka's
 * `{"error_code": N, "message": "…"}` reply with N as the HTTP status — never a crash or an HTML page.
 */
export function errorResponse(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  function errorResponseOnError(request: Request<APIGatewayProxyEvent, APIGatewayProxyResult>): void {
    request.response = proxyResult(errorReply(request.error));
  }
  return { onError: errorResponseOnError };
}
