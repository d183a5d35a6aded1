import { existsSync, readFileSync } from 'node:fs';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

const PAGES = ['/', '/products', '/products/42', '/cart', '/checkout', '/search?q=kafka', '/docs/connect'];

/**
 * Appends made-up click lines to a file at a steady rate: the input the example FileStreamSource
 * connector reads, so a person can watch data move. Deterministic from its seed and the file's length.
 */
export function startClickWriter(file: string, perSecond: number, seed = 42): { stop(): void } {
  // Continue the numbering of an existing file, so a restart's lines are told apart from earlier ones.
  let n = existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0;
  let state = (seed + n) >>> 0 || 1;
  const random = () => {
    // xorshift32: small, fast and repeatable
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const tick = async () => {
    const lines: string[] = [];
    for (let i = 0; i < Math.max(1, Math.round(perSecond / 4)); i++) {
      const user = Math.floor(random() * 500);
      const page = PAGES[Math.floor(random() * PAGES.length)];
      lines.push(`click #${n++} user=${user} page=${page}`);
    }
    await mkdir(dirname(file), { recursive: true });
    await appendFile(file, `${lines.join('\n')}\n`);
  };
  const timer = setInterval(() => void tick().catch(() => {}), 250);
  return { stop: () => clearInterval(timer) };
}
