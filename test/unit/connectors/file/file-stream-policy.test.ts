import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, type SinkConnector, type SourceOffsetMap } from '../../../../lib/api/index.js';
import { fileOutsideAllowedPaths } from '../../../../lib/connectors/file/config.js';
import type { FileStreamSourceTask } from '../../../../lib/connectors/file/file-stream-source.js';
import { plugins } from '../../../../lib/plugins.js';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'filestream-policy-')));
const allowed = join(dir, 'allowed');
const outside = join(dir, 'outside');
mkdirSync(allowed);
mkdirSync(outside);
writeFileSync(join(outside, 'secret.txt'), 'secret\n');
writeFileSync(join(allowed, 'in.txt'), 'line\n');
symlinkSync(join(outside, 'secret.txt'), join(allowed, 'link.txt'));
symlinkSync(outside, join(allowed, 'dir-link'));

const restricted = plugins({
  fileStream: true,
  fileStreamAllowedPaths: [allowed],
  httpAllowPrivateNetworks: true,
});

function fileErrors(className: string, props: Record<string, string>): string[] {
  return restricted
    .newConnector(className)
    .validate(props)
    .filter((v) => v.name === 'file')
    .flatMap((v) => v.errorMessages);
}

describe('FileStream connectors under file.stream.allowed.paths', () => {
  it('take a file under an allowed path, new or existing', () => {
    expect(fileOutsideAllowedPaths(join(allowed, 'in.txt'), [allowed])).toBeUndefined();
    expect(fileOutsideAllowedPaths(join(allowed, 'new', 'deeper.txt'), [allowed])).toBeUndefined();
    expect(fileErrors('FileStreamSource', { file: join(allowed, 'in.txt'), topic: 't' })).toEqual([]);
    expect(fileErrors('FileStreamSink', { file: join(allowed, 'out.txt'), topics: 't' })).toEqual([]);
  });

  it('refuse, on key file, paths outside, .. out of an allowed path, symlinks out of it, relative paths and stdin/stdout', () => {
    for (const file of [
      join(outside, 'secret.txt'),
      `${allowed}/../outside/secret.txt`,
      join(allowed, 'link.txt'),
      join(allowed, 'dir-link', 'secret.txt'),
      join(allowed, 'dir-link', 'new.txt'),
      `${allowed}-sibling/x.txt`,
      relative(process.cwd(), join(outside, 'secret.txt')),
    ]) {
      for (const cls of ['FileStreamSource', 'FileStreamSink']) {
        expect({ file, cls, errors: fileErrors(cls, { file, topic: 't', topics: 't' }) }).toEqual({
          file,
          cls,
          errors: [
            expect.stringMatching(
              /^Invalid value .* for configuration file: .*outside the allowed paths: the worker allows only files under /,
            ),
          ],
        });
      }
    }
    expect(fileErrors('FileStreamSource', { topic: 't' })).toEqual([
      `Invalid value null for configuration file: standard input and output are not available: the worker allows only files under ${allowed}`,
    ]);
  });

  it('refuse at task start too, and at open when a symlink was swapped in after start', async () => {
    // Prepare
    const source = restricted.newConnector('FileStreamSource');
    const sink = restricted.newConnector('FileStreamSink') as SinkConnector;
    const SourceTask = (source as unknown as { taskClass(): new () => FileStreamSourceTask }).taskClass();
    const SinkTask = sink.taskClass();
    const later = join(allowed, 'later.txt');
    const task = new SourceTask();
    const reader = {
      offset: async () => null,
      offsets: async (ps: readonly SourceOffsetMap[]) => ps.map(() => null),
    };
    task.initialize({ configs: () => ({}), offsetStorageReader: () => reader });
    // Act
    const sinkStart = Promise.resolve(new SinkTask().start({ file: join(outside, 'x.txt') })).catch((e) => e);
    await task.start({ file: later, topic: 't' });
    symlinkSync(join(outside, 'secret.txt'), later);
    const poll = await task.poll().catch((e) => e);
    await task.stop();
    // Assess
    expect(await sinkStart).toBeInstanceOf(ConfigError);
    expect(poll).toBeInstanceOf(ConfigError);
    expect((poll as Error).message).toContain(`really ${join(outside, 'secret.txt')}`);
    expect(() => source.start({ file: join(outside, 'secret.txt'), topic: 't' })).toThrow(ConfigError);
  });

  it('have no limit without allowed paths (local mode)', () => {
    expect(fileOutsideAllowedPaths(join(outside, 'secret.txt'), [])).toBeUndefined();
    const local = plugins();
    expect(
      local
        .newConnector('FileStreamSource')
        .validate({ file: join(outside, 'secret.txt'), topic: 't' })
        .flatMap((v) => v.errorMessages),
    ).toEqual([]);
  });
});
