/**
 * Crash-and-restart trials of local mode: for each trial, a 200,000-line FileStream pipeline (file →
 * FileStreamSource → Kafka → mapping-fed FileStreamSink → file) starts in a worker process
 * (bench/crash-child.ts: the stack under the Lambda simulator), the whole process group is SIGKILLed at
 * a random moment while lines move, a new worker starts on the same tables, Lambda state and files, and
 * the pipeline is waited for. Per trial it prints the lines lost, the duplicates and the recovery time
 * (from the new worker's start to the first line written after the kill). Needs the dev stack.
 *
 *   sh scripts/node.sh tsx bench/crash-trials.ts [trials, default 20] [lines, default 200000]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { prng } from '../local/aws/async-queue.js';

export interface Trial {
  trial: number;
  killedAfterMs: number;
  linesAtKill: number;
  recoveryMs: number;
  lost: number;
  duplicates: number;
  totalMs: number;
}

interface Worker {
  child: ChildProcess;
  url: string;
}

const ROOT = join(import.meta.dirname, '..');

export async function runTrials(options: {
  trials: number;
  lines: number;
  seed?: number;
  log?: (line: string) => void;
}): Promise<Trial[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sc-crash-'));
  const env = {
    ...process.env,
    CRASH_DIR: dir,
    CRASH_TABLE_SUFFIX: `-crash-${Date.now().toString(36)}`,
    CRASH_LAMBDA_STATE: join(dir, 'lambda-state.json'),
  };
  let random = prng(options.seed ?? 7);
  const results: Trial[] = [];
  for (let trial = 1; trial <= options.trials; trial++) {
    random = prng((options.seed ?? 7) + trial);
    const tag = `crash-${trial}-${Date.now().toString(36)}`;
    const input = join(dir, `${tag}.txt`);
    const output = join(dir, `${tag}-out.txt`);
    const expected = Array.from({ length: options.lines }, (_, i) => `${tag} ${i}`);
    writeFileSync(input, `${expected.join('\n')}\n`);
    const started = Date.now();
    let worker = await startWorker(env);
    await post(worker.url, `${tag}-source`, {
      'connector.class': 'FileStreamSource',
      file: input,
      topic: tag,
    });
    await post(worker.url, `${tag}-sink`, { 'connector.class': 'FileStreamSink', file: output, topics: tag });
    // Kill somewhere between the first lines out and about two thirds of the way.
    await until(() => size(output) > 0, 120_000);
    await sleep(Math.round(random() * 4_000));
    const linesAtKill = countLines(output);
    const killedAfterMs = Date.now() - started;
    killGroup(worker.child);
    const restarted = Date.now();
    worker = await startWorker(env);
    await until(() => countLines(output) > linesAtKill || countLines(output) >= options.lines, 300_000);
    const recoveryMs = Date.now() - restarted;
    await until(() => new Set(lines(output)).size >= options.lines, 600_000);
    await sleep(2_000);
    const got = lines(output);
    const unique = new Set(got);
    const result: Trial = {
      trial,
      killedAfterMs,
      linesAtKill,
      recoveryMs,
      lost: expected.filter((l) => !unique.has(l)).length,
      duplicates: got.length - unique.size,
      totalMs: Date.now() - started,
    };
    results.push(result);
    options.log?.(JSON.stringify(result));
    for (const name of [`${tag}-source`, `${tag}-sink`])
      await fetch(`${worker.url}/connectors/${name}`, { method: 'DELETE' });
    await stopWorker(worker);
  }
  return results;
}

async function startWorker(env: NodeJS.ProcessEnv): Promise<Worker> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'crash-child.ts')], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4_000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const ready = /ready (\S+)/.exec(out);
      if (ready?.[1]) resolve(ready[1]);
    });
    child.once('exit', (code) =>
      reject(new Error(`worker exited (${code}) before it was ready:\n${stderr}`)),
    );
  });
  return { child, url };
}

/** SIGKILL of the whole process group: the worker and every simulated execution environment. */
function killGroup(child: ChildProcess): void {
  try {
    process.kill(-(child.pid as number), 'SIGKILL');
  } catch {}
}

async function stopWorker(worker: Worker): Promise<void> {
  const exited = new Promise((r) => worker.child.once('exit', r));
  worker.child.kill('SIGTERM');
  await Promise.race([exited, sleep(20_000)]);
  killGroup(worker.child);
}

async function post(url: string, name: string, config: Record<string, string>): Promise<void> {
  const reply = await fetch(`${url}/connectors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, config }),
  });
  if (reply.status !== 201) throw new Error(`${name}: ${reply.status} ${await reply.text()}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const size = (file: string) => (existsSync(file) ? statSync(file).size : 0);
const lines = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
const countLines = (file: string) => lines(file).length;

async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms`);
    await sleep(200);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [trials, count] = process.argv.slice(2).map(Number);
  const results = await runTrials({
    trials: trials || 20,
    lines: count || 200_000,
    log: (line) => console.log(line),
  });
  const sum = (k: keyof Trial) => results.reduce((n, r) => n + (r[k] as number), 0);
  const recovery = results.map((r) => r.recoveryMs).sort((a, b) => a - b);
  console.log(
    `${results.length} trials: lost ${sum('lost')}, duplicates ${sum('duplicates')} (max ${Math.max(...results.map((r) => r.duplicates))}), recovery median ${recovery[Math.floor(recovery.length / 2)]} ms, max ${recovery.at(-1)} ms`,
  );
  process.exit(0);
}
