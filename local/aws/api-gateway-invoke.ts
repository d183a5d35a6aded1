import { InvokeCommand, LambdaClient, TooManyRequestsException } from '@aws-sdk/client-lambda';

/**
 * How the API Gateway front calls a function: Lambda's synchronous Invoke, as API Gateway itself does
 * (one attempt; API Gateway never retries an invocation:
 * https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html).
 */

export type InvokeOutcome =
  /** The function returned: its JSON result. */
  | { payload: string }
  /** `X-Amz-Function-Error`: the function threw, timed out, crashed or failed its init. */
  | { functionError: string; payload: string }
  /** Lambda refused the invocation: 429 TooManyRequestsException. */
  | { throttled: true }
  /** Lambda refused it otherwise (no such function, a 5xx, an unreachable endpoint). */
  | { rejected: string }
  /** No answer within the integration timeout. */
  | { timedOut: true };

export type Invoker = (
  functionName: string,
  qualifier: string | undefined,
  event: unknown,
  timeoutMs: number,
) => Promise<InvokeOutcome>;

/** An Invoker over HTTP: `@aws-sdk/client-lambda`'s Invoke against a Lambda API (e.g. `startLambdaApi`'s url). */
export function lambdaInvoker(options: { endpoint: string; region: string }): {
  invoke: Invoker;
  close(): void;
} {
  const client = new LambdaClient({
    endpoint: options.endpoint,
    region: options.region,
    credentials: { accessKeyId: 'apigateway', secretAccessKey: 'apigateway' },
    maxAttempts: 1,
  });
  const invoke: Invoker = async (functionName, qualifier, event, timeoutMs) => {
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, timeoutMs);
    try {
      const reply = await client.send(
        new InvokeCommand({
          FunctionName: functionName,
          Qualifier: qualifier,
          InvocationType: 'RequestResponse',
          Payload: Buffer.from(JSON.stringify(event)),
        }),
        { abortSignal: abort.signal },
      );
      const payload = Buffer.from(reply.Payload ?? new Uint8Array()).toString('utf8');
      return reply.FunctionError ? { functionError: reply.FunctionError, payload } : { payload };
    } catch (error) {
      if (timedOut) return { timedOut: true };
      if (error instanceof TooManyRequestsException) return { throttled: true };
      return { rejected: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    } finally {
      clearTimeout(timer);
    }
  };
  return { invoke, close: () => client.destroy() };
}
