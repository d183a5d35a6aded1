/**
 * The messages between the pool (local/aws/environment.ts) and one execution environment's bootstrap
 * (local/aws/runtime-bootstrap.ts), over the child's IPC channel. The bootstrap imports this file for
 * its types only, so it runs under Node's own type stripping with no loader.
 */

/** An invocation error as Lambda's Node.js runtime reports it. */
export interface RuntimeError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

export type ToEnvironment =
  | { type: 'init'; modulePath: string; handler: string }
  | {
      type: 'invoke';
      /** The event as the JSON text Lambda passes to the runtime. */
      event: string;
      awsRequestId: string;
      invokedFunctionArn: string;
      /** Unix ms; `Lambda-Runtime-Deadline-Ms`. */
      deadlineMs: number;
    };

export type FromEnvironment =
  | { type: 'ready'; initMs: number }
  | { type: 'initError'; error: RuntimeError }
  | { type: 'response'; awsRequestId: string; payload: string }
  | { type: 'error'; awsRequestId: string; error: RuntimeError };
