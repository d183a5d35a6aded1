import type { RuntimeError } from './runtime-protocol.js';

/** The errors the Invoke API answers when the runtime itself fails: a timeout, or the process dying. */

/** `Task timed out after 3.00 seconds`, in the shape the Invoke API answers today. */
export function timedOut(awsRequestId: string, timeoutMs: number): RuntimeError {
  return {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${awsRequestId} Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
  };
}

const SIGNAL_TEXT: Partial<Record<NodeJS.Signals, string>> = {
  SIGKILL: 'killed',
  SIGTERM: 'terminated',
  SIGABRT: 'aborted',
  SIGSEGV: 'segmentation fault',
};

/** The runtime process died during an invocation (process.exit, an uncaught exception, a kill). */
export function exited(
  awsRequestId: string,
  code: number | null,
  signal: NodeJS.Signals | null,
): RuntimeError {
  const reason =
    signal !== null
      ? `Runtime exited with error: signal: ${SIGNAL_TEXT[signal] ?? signal}`
      : code === 0
        ? 'Runtime exited without providing a reason'
        : `Runtime exited with error: exit status ${code}`;
  return { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${awsRequestId} Error: ${reason}` };
}
