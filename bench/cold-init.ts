import { spawnSync } from 'node:child_process';
import { ENTRIES } from '../cdk/bundling.js';
import { bundle } from '../scripts/bundle-sizes.js';

/**
 * Cold init per function, measured locally: a fresh `node` process per function loads the bundle that
 * ConnectFunction would deploy (module load = Lambda's init phase) and makes one first call. No AWS is
 * reachable: every endpoint points at a closed loopback port, so a first call that needs AWS or Kafka
 * fails fast, and that is reported as it happened. Not Lambda's numbers (no arm64 Firecracker, a warm
 * page cache), but comparable between functions and across commits.
 */
const EVENTS: Record<keyof typeof ENTRIES, unknown> = {
  controlApi: { httpMethod: 'GET', path: '/health', headers: {}, body: null, queryStringParameters: null },
  dispatcher: { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} },
  taskRunner: { connector: 'bench', task: 0, generation: 1 },
  sink: {
    eventSource: 'aws:kafka',
    eventSourceArn: 'arn:aws:kafka:us-east-1:123456789012:cluster/x/y',
    records: {},
  },
  basicAuth: {
    type: 'TOKEN',
    authorizationToken: 'Basic eDp5',
    methodArn: 'arn:aws:execute-api:us-east-1:1:a/v1/GET/',
  },
};

const CLOSED = 'http://127.0.0.1:9';
const env = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_ENDPOINT_URL: CLOSED,
  AWS_MAX_ATTEMPTS: '1',
  DYNAMODB_ENDPOINT: CLOSED,
  KAFKA_BROKERS: '127.0.0.1:9',
  CONFIGS_TABLE: 'c',
  STATUS_TABLE: 's',
  OFFSETS_TABLE: 'o',
  TASK_FUNCTION_NAME: 'task',
  BASIC_AUTH_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  NODE_OPTIONS: '--enable-source-maps',
};

// Runs inside the fresh process: import, then one call with a Lambda-like context and a 5 s budget.
const probe = `
const t0 = performance.now();
const mod = await import(process.argv[1]);
const loaded = performance.now();
const context = { functionName: 'bench', awsRequestId: 'r', invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:bench:sc-0', getRemainingTimeInMillis: () => 5000 };
let outcome = 'ok';
try { const res = await Promise.race([mod.handler(JSON.parse(process.argv[2]), context), new Promise((_, no) => setTimeout(() => no(new Error('no reply in 8 s')), 8000).unref())]); outcome = 'returned' + (res?.statusCode ? ' HTTP ' + res.statusCode : ''); }
catch (e) { outcome = 'failed: ' + String(e?.message ?? e).split('\\n')[0].slice(0, 70); }
const called = performance.now();
console.log(JSON.stringify({ loadMs: loaded - t0, firstCallMs: called - loaded, outcome }));
process.exit(0);
`;

console.log('function       load ms   first call ms   first call outcome (no AWS reachable)');
for (const name of Object.keys(ENTRIES) as (keyof typeof ENTRIES)[]) {
  const file = await bundle(name);
  const run = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', probe, file, JSON.stringify(EVENTS[name])],
    {
      env,
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  const line = run.stdout.trim().split('\n').pop() ?? '';
  try {
    const r = JSON.parse(line) as { loadMs: number; firstCallMs: number; outcome: string };
    console.log(
      `${name.padEnd(14)} ${r.loadMs.toFixed(0).padStart(7)}   ${r.firstCallMs.toFixed(0).padStart(13)}   ${r.outcome}`,
    );
  } catch {
    console.log(`${name.padEnd(14)} did not report: ${(run.stderr || run.stdout).trim().split('\n')[0]}`);
  }
}
