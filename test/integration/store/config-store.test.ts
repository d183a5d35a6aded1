import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, MissingError } from '../../../lib/store/errors.js';
import type { NewConnector } from '../../../lib/store/ports.js';
import { uniqueName } from '../../support/services.js';
import { type StoreFixture, storeFixture } from './fixture.js';

let fx: StoreFixture;
beforeAll(async () => {
  fx = await storeFixture('cfg');
});
afterAll(() => fx.dispose());

function connector(name: string, config: Record<string, string> = {}): NewConnector {
  return {
    name,
    config: { 'connector.class': 'FileStreamSource', 'tasks.max': '1', ...config },
    type: 'source',
    targetState: 'STARTED',
  };
}

describe('the DynamoDB config store', () => {
  it('creates a connector at generation 1 and reads it back exactly', async () => {
    // Prepare
    const name = uniqueName('c');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Kafka config provider placeholder, stored unresolved
    const config = { file: '', 'secret.password': '${env:PW}', big: '12345678901234567890.5' };
    // Act
    const created = await fx.store.configs.create({ ...connector(name, config), taskConfigs: [{ a: '' }] });
    const read = await fx.store.configs.get(name);
    // Assess
    expect(created.generation).toBe(1);
    expect(created.createdAt).toBe('2026-01-01T00:00:00.000Z');
    expect(read).toEqual(created);
    expect(read?.config.file).toBe('');
    expect(read?.config.big).toBe('12345678901234567890.5');
    expect(read?.taskConfigs).toEqual([{ a: '' }]);
  });

  it('lets exactly one of two simultaneous creates of one name win', async () => {
    // Prepare
    const name = uniqueName('c');
    // Act
    const results = await Promise.allSettled([
      fx.store.configs.create(connector(name, { which: 'first' })),
      fx.another().configs.create(connector(name, { which: 'second' })),
    ]);
    // Assess
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const error = (lost[0] as PromiseRejectedResult).reason;
    expect(error).toBeInstanceOf(ConflictError);
    const winner = (won[0] as PromiseFulfilledResult<{ config: Record<string, string> }>).value;
    expect((error as ConflictError<{ config: Record<string, string> }>).current?.config).toEqual(
      winner.config,
    );
  });

  it('returns undefined for a connector that does not exist', async () => {
    // Act
    const read = await fx.store.configs.get(uniqueName('absent'));
    // Assess
    expect(read).toBeUndefined();
  });

  it('lists names and whole records of every connector', async () => {
    // Prepare
    const names = [uniqueName('l'), uniqueName('l')];
    for (const name of names) await fx.store.configs.create(connector(name));
    // Act
    const listed = await fx.store.configs.list();
    const all = await fx.store.configs.listAll();
    // Assess
    expect(listed).toEqual(expect.arrayContaining(names));
    expect(listed).toEqual([...listed].sort());
    expect(all.map((r) => r.name)).toEqual(listed);
    expect(all.find((r) => r.name === names[0])?.config['connector.class']).toBe('FileStreamSource');
  });

  it('updates at generation + 1 keeping createdAt and stamping updatedAt', async () => {
    // Prepare
    const name = uniqueName('u');
    await fx.store.configs.create(connector(name));
    fx.clock.now += 60_000;
    // Act
    const updated = await fx.store.configs.update(name, (c) => ({
      ...c,
      targetState: 'PAUSED',
      restartRequest: { epoch: 1, includeTasks: true, onlyFailed: true, requestedAt: 'now' },
    }));
    // Assess
    expect(updated.generation).toBe(2);
    expect(updated.createdAt).toBe('2026-01-01T00:00:00.000Z');
    expect(updated.updatedAt).not.toBe(updated.createdAt);
    expect(await fx.store.configs.get(name)).toEqual(updated);
  });

  it('leaves the record and its generation alone when the mutation returns undefined', async () => {
    // Prepare
    const name = uniqueName('u');
    await fx.store.configs.create(connector(name));
    // Act
    const same = await fx.store.configs.update(name, () => undefined);
    // Assess
    expect(same.generation).toBe(1);
    expect((await fx.store.configs.get(name))?.generation).toBe(1);
  });

  it('loses no change when 20 updates run at once with retries', async () => {
    // Prepare
    const name = uniqueName('race');
    await fx.store.configs.create(connector(name));
    // Act
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fx.another().configs.update(name, (c) => ({ ...c, config: { ...c.config, [`k${i}`]: String(i) } }), {
          maxAttempts: 25,
        }),
      ),
    );
    // Assess
    const final = await fx.store.configs.get(name);
    expect(final?.generation).toBe(21);
    for (let i = 0; i < 20; i++) expect(final?.config[`k${i}`]).toBe(String(i));
  });

  it('throws ConflictError carrying the current record when an update loses a race and may not retry', async () => {
    // Prepare
    const name = uniqueName('race');
    await fx.store.configs.create(connector(name));
    let attempts = 0;
    // Act: between this update's read and its write, another writer pauses the connector.
    const update = fx.store.configs.update(name, async (c) => {
      attempts++;
      await fx.another().configs.update(name, (other) => ({ ...other, targetState: 'PAUSED' }));
      return { ...c, config: { ...c.config, lost: 'yes' } };
    });
    // Assess
    const error = await update.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError<{ generation: number; targetState: string }>).current).toMatchObject({
      generation: 2,
      targetState: 'PAUSED',
    });
    expect(attempts).toBe(1);
    expect((await fx.store.configs.get(name))?.config.lost).toBeUndefined();
  });

  it('retries a lost race with a fresh read when allowed to', async () => {
    // Prepare
    const name = uniqueName('race');
    await fx.store.configs.create(connector(name));
    let attempts = 0;
    // Act
    const updated = await fx.store.configs.update(
      name,
      async (c) => {
        attempts++;
        if (attempts === 1) await fx.another().configs.update(name, (o) => ({ ...o, targetState: 'PAUSED' }));
        return { ...c, config: { ...c.config, kept: 'yes' } };
      },
      { maxAttempts: 3 },
    );
    // Assess
    expect(attempts).toBe(2);
    expect(updated).toMatchObject({ generation: 3, targetState: 'PAUSED', config: { kept: 'yes' } });
  });

  it('throws MissingError rather than resurrecting a connector deleted during an update', async () => {
    // Prepare
    const name = uniqueName('gone');
    await fx.store.configs.create(connector(name));
    // Act
    const update = fx.store.configs.update(name, async (c) => {
      await fx.another().configs.delete(name);
      return c;
    });
    // Assess
    await expect(update).rejects.toBeInstanceOf(MissingError);
    expect(await fx.store.configs.get(name)).toBeUndefined();
  });

  it('throws MissingError when updating or deleting a connector that does not exist', async () => {
    // Prepare
    const name = uniqueName('absent');
    // Act / Assess: one at a time, so neither rejection is left unhandled while the other is awaited.
    await expect(fx.store.configs.update(name, (c) => c)).rejects.toBeInstanceOf(MissingError);
    await expect(fx.store.configs.delete(name)).rejects.toBeInstanceOf(MissingError);
  });

  it('deletes a connector so that it reads as absent and its name is free again', async () => {
    // Prepare
    const name = uniqueName('d');
    await fx.store.configs.create(connector(name));
    // Act
    await fx.store.configs.delete(name);
    // Assess
    expect(await fx.store.configs.get(name)).toBeUndefined();
    expect((await fx.store.configs.create(connector(name))).generation).toBe(1);
  });

  it('gives each create of a name a new incarnation that updates keep, and reads many records at once', async () => {
    // Prepare
    const name = uniqueName('c');
    const other = uniqueName('c');
    // Act
    const first = await fx.store.configs.create(connector(name));
    const updated = await fx.store.configs.update(name, (c) => ({ ...c, targetState: 'PAUSED' }));
    await fx.store.configs.delete(name);
    const second = await fx.store.configs.create(connector(name));
    await fx.store.configs.create(connector(other));
    const many = await fx.another().configs.getMany([name, uniqueName('absent'), other, name]);
    // Assess
    expect(first.incarnation).toMatch(/^[0-9a-f-]{36}$/);
    expect(updated.incarnation).toBe(first.incarnation);
    expect(second.generation).toBe(1);
    expect(second.incarnation).not.toBe(first.incarnation);
    expect(many.map((r) => [r.name, r.incarnation]).sort()).toEqual(
      [
        [name, second.incarnation],
        [other, expect.any(String)],
      ].sort(),
    );
    expect(await fx.store.configs.getMany([])).toEqual([]);
  });
});
