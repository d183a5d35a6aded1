import { describe, expect, it } from 'vitest';
import { runTrials } from '../../../bench/crash-trials.js';

// Local mode SIGKILLed (its whole process group: the worker and every simulated execution environment)
// while a 200,000-line FileStream pipeline moves, and started again on the same state, five times;
// bench/crash-trials.ts runs twenty and prints the same figures.
describe('crash-and-restart trials of local mode', () => {
  it('loses no line in 5 trials, with duplicates of at most one batch per task', {
    timeout: 900_000,
  }, async () => {
    const trials = await runTrials({
      trials: 5,
      lines: 200_000,
      seed: Number(process.env.SC_FAULT_SEED ?? 11),
      log: (line) => console.log(`crash trial: ${line}`),
    });
    expect(trials.map((t) => t.lost)).toEqual([0, 0, 0, 0, 0]);
    // One bounded batch (10,000 records) per task — the source's and the sink's — per crash.
    for (const t of trials) expect(t.duplicates).toBeLessThanOrEqual(2 * 10_000);
  });
});
