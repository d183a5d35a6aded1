import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackSettings } from '../../../local/stack/settings.js';
import { type RuntimeFixture, runtimeFixture } from '../../support/runtime.js';
import { uniqueName } from '../../support/services.js';

// producer.override.* reaches the broker: the topic's log segment on disk is what the broker stored.
const dir = mkdtempSync(join(tmpdir(), 'sc-overrides-'));
let rt: RuntimeFixture;
beforeAll(async () => {
  rt = await runtimeFixture();
});
afterAll(() => rt.dispose());

/** Bytes of partition 0 of `topic` in the dev stack's Kafka log dir. */
function storedBytes(topic: string): number {
  const partitionDir = join(stackSettings().dataDir, 'kafka', 'logs', `${topic}-0`);
  return readdirSync(partitionDir)
    .filter((f) => f.endsWith('.log'))
    .reduce((sum, f) => sum + statSync(join(partitionDir, f)).size, 0);
}

async function sourceInto(topic: string, overrides: Record<string, string>): Promise<void> {
  const file = join(dir, `${uniqueName('in')}.txt`);
  writeFileSync(file, `${Array.from({ length: 200 }, (_, i) => `${i} ${'x'.repeat(1_000)}`).join('\n')}\n`);
  const config = {
    'connector.class': 'FileStreamSource',
    name: uniqueName('src'),
    file,
    topic,
    'value.converter': 'StringConverter',
    ...overrides,
  };
  await rt.create({ name: config.name, config, type: 'source', taskConfigs: [config] });
  await rt.until(
    async () => (await rt.env.store.offsets.getAll(config.name))[0]?.offset.position === statSync(file).size,
  );
}

describe('producer overrides', () => {
  it('compresses what a source produces with producer.override.compression.type=gzip', async () => {
    // Prepare
    const plain = uniqueName('plain');
    const gzip = uniqueName('gzip');
    // Act
    await sourceInto(plain, {});
    await sourceInto(gzip, { 'producer.override.compression.type': 'gzip', 'producer.override.acks': '1' });
    // Assess: 200 KB of repetitive lines stay over 200 KB stored plain, and shrink under a tenth with gzip.
    expect(storedBytes(plain)).toBeGreaterThan(200_000);
    expect(storedBytes(gzip)).toBeLessThan(20_000);
  });

  it('fails the task with the reason when an override cannot be honoured', async () => {
    // Prepare: stored directly, as a config written before this check existed would be.
    const config = {
      'connector.class': 'FileStreamSource',
      name: uniqueName('brotli'),
      file: join(dir, 'none.txt'),
      topic: uniqueName('t'),
      'producer.override.compression.type': 'brotli',
    };
    await rt.create({ name: config.name, config, type: 'source', taskConfigs: [config] });
    // Act
    await rt.tick();
    // Assess
    const [task] = await rt.env.store.status.getTasks(config.name);
    expect(task?.state).toBe('FAILED');
    expect(task?.trace).toContain('Invalid value brotli for configuration compression.type');
  });
});
