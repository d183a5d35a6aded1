/**
 * The runtime inside one simulated execution environment: a child process forked by
 * local/aws/environment.ts. It plays the part of Lambda's Node.js 24 runtime interface client
 * (aws-lambda-nodejs-runtime-interface-client v4): it loads the function's module once (Init), then
 * serves one invocation at a time, building `context` the way that client does. It talks to the pool
 * over IPC instead of the Runtime API's HTTP.
 *
 * It imports only Node built-ins (and types), so Node runs it with its own type stripping.
 */
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import type { FromEnvironment, RuntimeError, ToEnvironment } from './runtime-protocol.js';

type Handler = (event: unknown, context: unknown) => unknown;

class RuntimeErrorClass extends Error {
  constructor(name: string, message: string, stack?: string) {
    super(message);
    this.name = name;
    if (stack !== undefined) this.stack = stack;
  }
}

// The runtime's wording, from aws-lambda-nodejs-runtime-interface-client v4 (src/context/constants.ts).
const CALLBACK_REMOVED =
  'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.';

let handler: Handler | undefined;

function send(message: FromEnvironment): void {
  process.send?.(message);
}

/** The runtime client's `formatError`: an Error's name, message and stack lines; anything else by type. */
function formatError(error: unknown): RuntimeError {
  try {
    if (error instanceof Error) {
      return {
        errorType: error.name?.replaceAll('\x7F', '%7F'),
        errorMessage: error.message?.replaceAll('\x7F', '%7F'),
        trace: error.stack?.replaceAll('\x7F', '%7F').split('\n') ?? [],
      };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage:
        'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
      trace: [],
    };
  }
}

/** `index.handler` → the export `handler`; `index.a.b` → `a.b` nested, as the runtime resolves it. */
function resolveHandler(module: unknown, fullHandler: string): Handler {
  const base = fullHandler.slice(fullHandler.lastIndexOf('/') + 1);
  const dot = base.indexOf('.');
  if (dot < 0) throw new RuntimeErrorClass('Runtime.MalformedHandlerName', 'Bad handler');
  const name = base.slice(dot + 1);
  const find = (from: unknown) =>
    name
      .split('.')
      .reduce<unknown>(
        (nested, key) =>
          nested && typeof nested === 'object' ? (nested as Record<string, unknown>)[key] : undefined,
        from,
      );
  let found = find(module);
  if (!found && module && typeof module === 'object' && 'default' in module) {
    found = find((module as { default: unknown }).default);
  }
  if (!found)
    throw new RuntimeErrorClass('Runtime.HandlerNotFound', `${fullHandler} is undefined or not exported`);
  if (typeof found !== 'function') {
    throw new RuntimeErrorClass('Runtime.HandlerNotFound', `${fullHandler} is not a function`);
  }
  return found as Handler;
}

async function init(modulePath: string, fullHandler: string): Promise<void> {
  const started = performance.now();
  try {
    let module: unknown;
    try {
      module = await import(pathToFileURL(modulePath).href);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
        throw new RuntimeErrorClass('Runtime.ImportModuleError', String(error));
      }
      if (error instanceof SyntaxError) {
        throw new RuntimeErrorClass('Runtime.UserCodeSyntaxError', String(error), error.stack);
      }
      throw error;
    }
    const resolved = resolveHandler(module, fullHandler);
    // Node.js 24's runtime refuses a handler that takes a callback (three or more parameters).
    if (resolved.length >= 3)
      throw new RuntimeErrorClass('Runtime.CallbackHandlerDeprecated', CALLBACK_REMOVED);
    handler = resolved;
    send({ type: 'ready', initMs: performance.now() - started });
  } catch (error) {
    send({ type: 'initError', error: formatError(error) });
  }
}

async function invoke(message: Extract<ToEnvironment, { type: 'invoke' }>): Promise<void> {
  const { awsRequestId, deadlineMs } = message;
  const env = process.env;
  // The fields the Node.js 24 runtime puts on `context` (ContextBuilder); no callbackWaitsForEmptyEventLoop
  // and no done/succeed/fail, which that runtime removed.
  const context = {
    clientContext: undefined,
    identity: undefined,
    invokedFunctionArn: message.invokedFunctionArn,
    awsRequestId,
    tenantId: undefined,
    xRayTraceId: undefined,
    getRemainingTimeInMillis: () => deadlineMs - Date.now(),
    w3c: () => Object.freeze({}),
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
  };
  let outcome: FromEnvironment;
  try {
    if (!handler) throw new RuntimeErrorClass('Runtime.PlatformError', 'invoked before init');
    const result = await handler(JSON.parse(message.event), context);
    let payload: string;
    try {
      payload = JSON.stringify(result === undefined ? null : result);
    } catch {
      throw new RuntimeErrorClass('Runtime.JSONStringifyError', 'Unable to stringify response body');
    }
    outcome = { type: 'response', awsRequestId, payload };
  } catch (error) {
    outcome = { type: 'error', awsRequestId, error: formatError(error) };
  }
  // As the runtime client does, answer on the next turn of the event loop.
  await nextTurn();
  send(outcome);
}

process.on('message', (message: ToEnvironment) => {
  if (message.type === 'init') void init(message.modulePath, message.handler);
  else if (message.type === 'invoke') void invoke(message);
});
// The pool went away: nothing will invoke this environment again.
process.on('disconnect', () => process.exit(0));
