import { describe, expect, it } from 'vitest';
import { restartCovers } from '../../../lib/runtime/restart.js';

const request = { epoch: 2, includeTasks: true, onlyFailed: true, requestedAt: '2026-01-01T00:00:00Z' };

describe('which tasks a restart request covers', () => {
  it('covers exactly the task ids the control plane chose', () => {
    expect(restartCovers({ ...request, tasks: [1] }, 1)).toBe(true);
    expect(restartCovers({ ...request, tasks: [1] }, 0)).toBe(false);
    expect(restartCovers({ ...request, includeTasks: false, tasks: [] }, 0)).toBe(false);
  });

  it('covers every task of a request without a list only when includeTasks is set', () => {
    expect(restartCovers(request, 3)).toBe(true);
    expect(restartCovers({ ...request, includeTasks: false }, 3)).toBe(false);
    expect(restartCovers(undefined, 0)).toBe(false);
  });
});
