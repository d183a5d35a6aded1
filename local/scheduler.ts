import { dispatchTick } from '../lib/runtime/dispatcher.js';
import type { TaskRunner } from '../lib/runtime/task-runner.js';
import type { StateStore } from '../lib/store/index.js';

/**
 * Local mode's EventBridge schedule: a timer that calls the same dispatcher tick, with an in-process
 * invoker in place of Lambda Invoke. A runner still busy with a task is not started twice (the lease
 * would refuse it anyway); a task that ended with a full batch is invoked again at once.
 */
export function startScheduler(options: {
  store: StateStore;
  runner: TaskRunner;
  workerId: string;
  tickMs: number;
  budgetMs: number;
}) {
  const running = new Map<string, Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const run = (request: { connector: string; task: number }) => {
    const key = `${request.connector}/${request.task}`;
    if (running.has(key) || stopped) return;
    const job = options.runner
      .run(request, Date.now() + options.budgetMs)
      .then((result) => {
        running.delete(key);
        if (result.more) run(request);
      })
      .catch((error) => {
        running.delete(key);
        console.error(`\ntask ${key}: ${(error as Error).message}`);
      });
    running.set(key, job);
  };
  const tick = async () => {
    try {
      const tick = await dispatchTick({
        store: options.store,
        workerId: options.workerId,
        invoker: { invoke: async (r) => run(r) },
      });
      // Tasks of stopped or deleted connectors leave the process (a sink leaves its consumer group);
      // one still finishing its run is left to end on its own.
      await options.runner.retain(new Set([...tick.live, ...running.keys()]));
    } catch (error) {
      console.error(`\ndispatcher tick failed: ${(error as Error).message}`);
    }
    if (!stopped) timer = setTimeout(() => void tick(), options.tickMs);
  };
  void tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.all(running.values());
    },
  };
}
