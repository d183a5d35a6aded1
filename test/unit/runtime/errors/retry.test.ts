import { describe, expect, it } from 'vitest';
import { DataError, RetriableError } from '../../../../lib/api/errors.js';
import { backoff, executeWithRetry } from '../../../../lib/runtime/errors/retry.js';
import { Stage } from '../../../../lib/runtime/errors/stage.js';

function fakeClock() {
  let t = 0;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
  };
}

function failing(times: number, error: () => Error) {
  let calls = 0;
  return () => {
    calls++;
    if (calls <= times) throw error();
    return 'done';
  };
}

describe('executeWithRetry', () => {
  it('returns ok on success without sleeping', async () => {
    const clock = fakeClock();

    const r = await executeWithRetry(Stage.TASK_PUT, () => 42, {
      retryTimeoutMs: 0,
      maxDelayMs: 60000,
      tolerance: 'none',
      ...clock,
    });

    expect(r).toEqual({ status: 'ok', value: 42, attempts: 1 });
    expect(clock.sleeps).toEqual([]);
  });

  it('retries a RetriableError with 300 ms doubling backoff within the timeout', async () => {
    // Prepare
    const clock = fakeClock();
    // Act
    const r = await executeWithRetry(
      Stage.TASK_PUT,
      failing(3, () => new RetriableError('busy')),
      { retryTimeoutMs: 10_000, maxDelayMs: 60_000, tolerance: 'none', ...clock },
    );
    // Assess
    expect(r).toMatchObject({ status: 'ok', value: 'done', attempts: 4 });
    expect(clock.sleeps).toEqual([300, 600, 1200]);
  });

  it('does not retry when errors.retry.timeout is 0 and fails under tolerance none', async () => {
    const clock = fakeClock();

    const r = await executeWithRetry(
      Stage.TASK_PUT,
      failing(1, () => new RetriableError('busy')),
      { retryTimeoutMs: 0, maxDelayMs: 60_000, tolerance: 'none', ...clock },
    );

    expect(r).toMatchObject({ status: 'failed', stage: 'TASK_PUT', attempts: 1 });
    expect(clock.sleeps).toEqual([]);
  });

  it('stops retrying at the deadline, shortening the last wait', async () => {
    const clock = fakeClock();

    const r = await executeWithRetry(
      Stage.KAFKA_PRODUCE,
      failing(100, () => new RetriableError('x')),
      { retryTimeoutMs: 1000, maxDelayMs: 60_000, tolerance: 'all', ...clock },
    );

    expect(clock.sleeps).toEqual([300, 600, 100]);
    expect(r).toMatchObject({ status: 'tolerated', stage: 'KAFKA_PRODUCE', attempts: 4 });
  });

  it('retries forever with -1', async () => {
    const clock = fakeClock();

    const r = await executeWithRetry(
      Stage.TASK_POLL,
      failing(20, () => new RetriableError('x')),
      { retryTimeoutMs: -1, maxDelayMs: 1000, tolerance: 'none', ...clock, random: () => 0.5 },
    );

    expect(r.status).toBe('ok');
    expect(clock.sleeps.slice(0, 5)).toEqual([300, 600, 500, 500, 500]);
  });

  it('tolerates any error in converter and transformation stages, only RetriableError elsewhere', async () => {
    const opts = { retryTimeoutMs: 0, maxDelayMs: 60_000, tolerance: 'all' as const, ...fakeClock() };
    const bad = () => {
      throw new DataError('bad bytes');
    };

    expect((await executeWithRetry(Stage.VALUE_CONVERTER, bad, opts)).status).toBe('tolerated');
    expect((await executeWithRetry(Stage.TRANSFORMATION, bad, opts)).status).toBe('tolerated');
    expect((await executeWithRetry(Stage.TASK_PUT, bad, opts)).status).toBe('failed');
    expect((await executeWithRetry(Stage.VALUE_CONVERTER, bad, { ...opts, tolerance: 'none' })).status).toBe(
      'failed',
    );
  });

  it('does not retry a non-retriable error', async () => {
    const clock = fakeClock();

    const r = await executeWithRetry(
      Stage.KEY_CONVERTER,
      failing(1, () => new DataError('x')),
      { retryTimeoutMs: 10_000, maxDelayMs: 60_000, tolerance: 'none', ...clock },
    );

    expect(r).toMatchObject({ status: 'failed', attempts: 1 });
    expect(clock.sleeps).toEqual([]);
  });
});

describe('backoff', () => {
  it('doubles from 300 ms and jitters below the cap past it', () => {
    expect([1, 2, 3, 4].map((a) => backoff(a, 60_000))).toEqual([300, 600, 1200, 2400]);
    expect(backoff(10, 60_000, () => 0.25)).toBe(15_000);
  });
});
