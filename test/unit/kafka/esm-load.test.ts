import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// Vitest resolves CommonJS packages' named exports more leniently than Node's own ESM loader, which
// `npm start`, the dev stack's CLI and the benches run under (tsx): a named import kafkajs does not
// declare statically passes here and fails there. So load the modules the way those entry points do.
describe('module loading under Node’s ESM loader', () => {
  it('loads lib/kafka, the plugin registry and the dev stack with every named import resolved', () => {
    const run = spawnSync(
      'sh',
      [
        'scripts/node.sh',
        'tsx',
        '-e',
        "Promise.all(['./lib/kafka/index.ts', './lib/plugins.ts', './local/stack/stack.ts'].map((m) => import(m))).catch((e) => { console.error(String(e)); process.exit(1); })",
      ],
      { encoding: 'utf8' },
    );
    expect(run.stderr).not.toMatch(/SyntaxError|does not provide an export/);
    expect(run.status).toBe(0);
  });
});
