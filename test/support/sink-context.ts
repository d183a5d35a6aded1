import type { SinkTaskContext } from '../../lib/api/index.js';

/** A sink task context that does nothing: for tests of a task's own behaviour, outside the runtime. */
export function inertSinkContext(): SinkTaskContext {
  return {
    configs: () => ({}),
    offset: () => {},
    timeout: () => {},
    assignment: () => [],
    pause: () => {},
    resume: () => {},
    requestCommit: () => {},
    errantRecordReporter: () => null,
  };
}
