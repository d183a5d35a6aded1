import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchTick, type TaskRequest } from '../../../lib/runtime/dispatcher.js';
import { type RuntimeFixture, runtimeFixture } from '../../support/runtime.js';
import { uniqueName } from '../../support/services.js';

// A dispatcher run the control API starts after a change names the connector changed (functions/
// control-plane.ts): it invokes that connector's tasks only, yet reads and reports every connector, since
// the mappings' reconciler works from the whole view.
let rt: RuntimeFixture;
beforeAll(async () => {
  rt = await runtimeFixture();
});
afterAll(() => rt.dispose());

describe('a dispatcher run for one connector', () => {
  it("invokes only that connector's tasks and still reports every connector's FAILED tasks", async () => {
    // Prepare: two sources of two tasks each, free to run; the other one's task 1 is FAILED.
    const config = (name: string) => ({ 'connector.class': 'FileStreamSource', name, topic: name });
    const [changed, other] = [uniqueName('changed'), uniqueName('other')];
    for (const name of [changed, other]) {
      const c = config(name);
      await rt.create({ name, config: c, type: 'source', taskConfigs: [c, c] });
    }
    const generation = (await rt.env.store.configs.get(other))?.generation ?? 0;
    await rt.env.store.status.putTask(other, 1, { state: 'FAILED', workerId: 'w', generation });
    const invoked: TaskRequest[] = [];
    // Act
    const tick = await dispatchTick({
      store: rt.env.store,
      invoker: { invoke: async (request) => void invoked.push(request) },
      workerId: 'w',
      only: changed,
    });
    // Assess
    expect(invoked.map((r) => `${r.connector}/${r.task}`).sort()).toEqual([`${changed}/0`, `${changed}/1`]);
    expect(tick.failed).toContain(`${other}/1`);
    expect(tick.records.map((r) => r.name)).toEqual(expect.arrayContaining([changed, other]));
  });
});
