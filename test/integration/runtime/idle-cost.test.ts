import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchTick } from '../../../lib/runtime/dispatcher.js';
import { type RuntimeFixture, runtimeFixture } from '../../support/runtime.js';

// "Cheap when idle": what one dispatcher tick and one idle task invocation cost in DynamoDB requests.
let rt: RuntimeFixture;
beforeAll(async () => {
  rt = await runtimeFixture();
});
afterAll(() => rt.dispose());

const noInvoke = { invoke: async () => {} };

describe('the cost of being idle', () => {
  it('a tick with no connectors costs one Scan', async () => {
    const tick = await dispatchTick({ store: rt.env.store, invoker: noInvoke, workerId: 'w' });
    expect(tick).toMatchObject({ connectors: 0, invoked: [], requests: 1 });
  });

  it('a tick costs one more Query per running connector, and an idle warm task run costs three requests', async () => {
    // Prepare: a source connector whose file has been read to the end.
    const file = join(mkdtempSync(join(tmpdir(), 'sc-idle-')), 'in.txt');
    writeFileSync(file, 'only line\n');
    const config = await rt.createFileSource(file, 'idle');
    await rt.tick(); // reads the line, shows RUNNING
    // Act
    const tick = await dispatchTick({ store: rt.env.store, invoker: noInvoke, workerId: 'w' });
    const before = rt.env.store.requestCount().total;
    const run = await rt.runner.run(
      { connector: config.name, task: 0, shown: 'RUNNING' },
      Date.now() + 2_000,
    );
    const runCost = rt.env.store.requestCount().total - before;
    // Assess
    expect(tick.requests).toBe(2); // Scan + Query of the connector's status partition
    expect(run).toMatchObject({ outcome: 'ran', records: 0 });
    expect(runCost).toBe(3); // config read, lease acquire, lease release — no status write, no commit
  });
});
