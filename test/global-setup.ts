import { devStack, down, up } from '../local/stack/stack.js';

/**
 * Brings the dev stack up for integration tests when it is not running, and stops it afterwards only
 * if this run started it: a stack the developer started stays up.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const stack = devStack();
  const states = await up(stack);
  const startedHere = states.some((s) => s.state === 'started');
  return async () => {
    if (startedHere && !process.env.SC_KEEP_STACK) await down(stack);
  };
}
