import type { KafkaAdmin } from '../lib/kafka/admin.js';
import type { StateStore } from '../lib/store/index.js';

/**
 * One concise progress line: records moved per connector (from task status), the rate since the last
 * line, and the lag of sink consumer groups. Redrawn in place on a terminal, a line every 10 s otherwise.
 */
export function startProgress(options: { store: StateStore; admin: KafkaAdmin; everyMs?: number }) {
  const every = options.everyMs ?? 2_000;
  const tty = process.stdout.isTTY;
  let last = { at: Date.now(), total: 0 };
  let printedAt = 0;
  const draw = async () => {
    const records = await options.store.configs.listAll();
    let total = 0;
    const parts: string[] = [];
    for (const r of records) {
      const tasks = await options.store.status.getTasks(r.name);
      const moved = tasks.reduce((sum, t) => sum + (t.totals?.records ?? 0), 0);
      const state = tasks.some((t) => t.state === 'FAILED')
        ? 'FAILED'
        : r.targetState === 'STARTED'
          ? 'RUNNING'
          : r.targetState;
      let text = `${r.name} ${state} ${moved}`;
      if (r.type === 'sink')
        text += ` lag ${await options.admin.groupLag(`connect-${r.name}`).catch(() => '?')}`;
      parts.push(text);
      total += moved;
    }
    const now = Date.now();
    const rate = ((total - last.total) / ((now - last.at) / 1000)).toFixed(0);
    last = { at: now, total };
    const line = `${new Date().toISOString().slice(11, 19)} moved ${total} records (${rate}/s) | ${parts.join(' | ') || 'no connectors'}`;
    if (tty) process.stdout.write(`\r\x1b[2K${line}`);
    else if (now - printedAt >= 10_000) {
      console.log(line);
      printedAt = now;
    }
  };
  const timer = setInterval(() => void draw().catch(() => {}), every);
  return { stop: () => clearInterval(timer) };
}
