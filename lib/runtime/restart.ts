import type { RestartRequest } from '../store/ports.js';

/**
 * Whether a restart request (POST /connectors/{c}/restart, /tasks/{n}/restart) covers this task: the
 * control plane lists the chosen task ids (`onlyFailed` already applied); older requests without a list
 * cover every task when `includeTasks` is set. A task the request does not cover keeps running as it is.
 */
export function restartCovers(request: RestartRequest | undefined, task: number): boolean {
  if (!request) return false;
  return request.tasks ? request.tasks.includes(task) : request.includeTasks;
}
