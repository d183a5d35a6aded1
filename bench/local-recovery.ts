/**
 * How long local mode takes to run a task again after a SIGKILL: the deployment under the Lambda
 * simulator (`startLocalAws`, as `npm start` runs it) with a FileStream source kept busy (its batches end
 * full, so its runner always holds the task's lease), killed with SIGKILL mid-batch and started again on
 * the same data dir and tables. Recovery = from the kill to a runner of the new start holding the
 * task's lease; "ready" = from the new start's API being up to the same moment.
 *
 *   sh scripts/node.sh tsx bench/local-recovery.ts [rounds]
 *
 * Two modes, same everything else: `expiry` (the restart does not free the dead start's leases: the task
 * waits for them to expire, the behaviour before) and `reclaim` (it does: docs/runtime.md, Recovery).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoClient, dynamoStateStore, type TableNames } from '../lib/store/index.js';
import { startLocalAws } from '../local/local-aws.js';
import { INSTANCE_FILE } from '../local/local-instance.js';

const BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const DDB = process.env.DYNAMODB_ENDPOINT ?? 'http://127.0.0.1:8000';
const ROOT = process.cwd();

interface ChildOptions {
  dataDir: string;
  dir: string;
  suffix: string;
  reclaim: boolean;
}

interface Ready {
  apiUrl: string;
  tables: TableNames;
  synthReused: boolean;
  instance: string;
}

if (process.argv[2] === '--child') {
  // One local-mode start: what `npm start` runs, minus the dev stack and the examples.
  const options = JSON.parse(process.argv[3] ?? '{}') as ChildOptions;
  const aws = await startLocalAws({
    root: ROOT,
    outdir: join(ROOT, '.data', 'cdk.out-recovery'),
    brokers: BROKERS,
    dynamodbEndpoint: DDB,
    apiPort: 0,
    lambdaPort: 0,
    faultPort: null,
    tickMs: 1_000,
    tableSuffix: options.suffix,
    workerProperties: { 'file.stream.enable': 'true', 'file.stream.allowed.paths': options.dir },
    environment: { POWERTOOLS_LOG_LEVEL: 'ERROR' },
    instance: { dataDir: options.dataDir, reclaim: options.reclaim },
    simulator: { onLog: () => {}, lambda: { stateFile: join(options.dataDir, 'lambda-state.json') } },
  });
  const ready: Ready = {
    apiUrl: aws.apiUrl,
    tables: aws.tables,
    synthReused: aws.synth.reused,
    instance: aws.instance?.id ?? '',
  };
  console.log(`READY ${JSON.stringify(ready)}`);
  process.on('SIGTERM', () => void aws.close().then(() => process.exit(0)));
  await new Promise(() => {});
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function startChild(options: ChildOptions): { child: ChildProcess; ready: Promise<Ready> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bench', 'local-recovery.ts'), '--child', JSON.stringify(options)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const ready = new Promise<Ready>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`local mode exited (${code}) before it was ready`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('READY ')) resolve(JSON.parse(line.slice(6)) as Ready);
    });
  });
  return { child, ready };
}

const instanceIn = (dataDir: string) => {
  const file = join(dataDir, INSTANCE_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { id: string }).id : '';
};

async function mode(name: 'expiry' | 'reclaim', rounds: number) {
  const dir = mkdtempSync(join(tmpdir(), `sc-recovery-${name}-`));
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  const file = join(dir, 'in.txt');
  // Enough lines that the source never runs dry during the rounds: every batch ends full and chains.
  for (let chunk = 0; chunk < 30; chunk++)
    appendFileSync(file, Array.from({ length: 50_000 }, (_, i) => `line-${chunk}-${i}\n`).join(''));
  const options: ChildOptions = {
    dataDir,
    dir,
    suffix: `-recovery-${Date.now().toString(36)}`,
    reclaim: name === 'reclaim',
  };
  let { child, ready } = startChild(options);
  let up = await ready;
  const client = createDynamoClient({ endpoint: DDB });
  const store = dynamoStateStore({ client, tables: up.tables });
  const connector = `recovery-${name}`;
  const created = await fetch(`${up.apiUrl}/connectors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: connector,
      config: { 'connector.class': 'FileStreamSource', file, topic: `recovery-${name}-${Date.now()}` },
    }),
  });
  if (created.status !== 201) throw new Error(`POST /connectors: ${created.status} ${await created.text()}`);
  const results: { recoveryMs: number; readyMs: number; leaseLeftMs: number; synthReused: boolean }[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      // Let it run, then kill it while its runner holds the task's lease for a good while yet.
      await sleep(3_000);
      for (;;) {
        const [task] = await store.status.getTasks(connector);
        const lease = task?.lease;
        if (lease?.owner.includes(up.instance) && lease.expiresAt - Date.now() > 15_000) break;
        await sleep(100);
      }
      const [task] = await store.status.getTasks(connector);
      const killedAt = Date.now();
      child.kill('SIGKILL');
      const leaseLeftMs = (task?.lease?.expiresAt ?? killedAt) - killedAt;
      await new Promise((r) => child.once('exit', r));
      const killed = up.instance;
      ({ child, ready } = startChild(options));
      // The new start's id is in the data dir before anything of it runs.
      let instance = '';
      while (!instance || instance === killed) {
        instance = instanceIn(dataDir);
        await sleep(20);
      }
      let readyAt = 0;
      void ready.then((r) => {
        readyAt = Date.now();
        up = r;
      });
      for (;;) {
        const [now] = await store.status.getTasks(connector);
        if (now?.lease?.owner.includes(instance)) break;
        await sleep(100);
      }
      const recoveredAt = Date.now();
      up = await ready;
      readyAt ||= Date.now();
      const result = {
        recoveryMs: recoveredAt - killedAt,
        readyMs: recoveredAt - readyAt,
        leaseLeftMs,
        synthReused: up.synthReused,
      };
      results.push(result);
      console.log(`${name} round ${round + 1}: ${JSON.stringify(result)}`);
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await Promise.all(
      Object.values(up.tables).map((TableName) => client.send(new DeleteTableCommand({ TableName }))),
    );
    client.destroy();
  }
  return results;
}

const rounds = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 3);
const summary: Record<string, unknown> = {};
for (const name of ['expiry', 'reclaim'] as const) {
  const results = await mode(name, rounds);
  const sorted = results.map((r) => r.recoveryMs).sort((a, b) => a - b);
  summary[name] = {
    recoveryMs: sorted,
    medianS: (sorted[Math.floor(sorted.length / 2)]! / 1000).toFixed(1),
    readyToRecoveredMs: results.map((r) => r.readyMs),
    leaseLeftAtKillMs: results.map((r) => r.leaseLeftMs),
    synthReused: results.map((r) => r.synthReused),
  };
}
console.log(JSON.stringify(summary, null, 2));
process.exit(0);
