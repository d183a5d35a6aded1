import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { sinkAlias } from '../../../lib/config/sink-routing.js';
import { type LocalAws, type LocalAwsOptions, startLocalAws } from '../../../local/local-aws.js';
import { DYNAMODB_ENDPOINT, KAFKA_BROKERS, uniqueName } from '../../support/services.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/**
 * One test file's deployment on this machine: the app synthesized with bundling (into `.data`, reused
 * while the sources are unchanged), its tables of its own in DynamoDB Local, its functions under the
 * Lambda simulator, the REST API through the simulated API Gateway, the dispatcher every second.
 */
export interface AwsFixture {
  aws: LocalAws;
  /** A directory the deployment's FileStream connectors may use. */
  dir: string;
  /** Function output, line by line, prefixed by the function's logical id. */
  logs: string[];
  // biome-ignore lint/suspicious/noExplicitAny: REST replies of many shapes
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** POST /connectors; throws unless 201. */
  create(name: string, config: Record<string, string>): Promise<void>;
  /** Polls `done()` every 250 ms until it holds or the timeout passes. */
  until(done: () => boolean | Promise<boolean>, timeoutMs?: number, what?: string): Promise<void>;
  /** The event source mappings invoking a sink connector's alias. */
  mappings(connector: string): Promise<{ UUID?: string; State?: string; Topics?: string[] }[]>;
  /** The pool of the function whose logical id starts with `prefix`. */
  pool(prefix: string): ReturnType<LocalAws['simulator']['pools']['get']> & object;
  dispose(): Promise<void>;
}

export async function awsFixture(
  name: string,
  options: Partial<LocalAwsOptions> & { workerProperties?: Record<string, string> } = {},
): Promise<AwsFixture> {
  const dir = mkdtempSync(join(tmpdir(), `sc-${name}-`));
  const logs: string[] = [];
  const aws = await startLocalAws({
    root: ROOT,
    outdir: join(ROOT, '.data', `cdk.out-${name}`),
    brokers: KAFKA_BROKERS.join(','),
    dynamodbEndpoint: DYNAMODB_ENDPOINT,
    apiPort: 0,
    lambdaPort: 0,
    faultPort: 0,
    tickMs: 1_000,
    tableSuffix: `-${uniqueName(name)}`,
    environment: { POWERTOOLS_LOG_LEVEL: 'WARN' },
    ...options,
    workerProperties: {
      'file.stream.enable': 'true',
      'file.stream.allowed.paths': dir,
      'http.sink.allow.private.networks': 'true',
      ...options.workerProperties,
    },
    simulator: {
      asyncRetryDelaysMs: [500, 1_000],
      // CloudWatch metrics (EMF documents) are not logs a reader of a failure wants.
      onLog: (fn, line) => {
        if (!line.startsWith('{"_aws"')) logs.push(`${fn.split('-')[1]}: ${line}`);
      },
      ...options.simulator,
    },
  });
  const call: AwsFixture['call'] = async (method, path, body) => {
    const reply = await fetch(`${aws.apiUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await reply.text();
    return { status: reply.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    aws,
    dir,
    logs,
    call,
    async create(connector, config) {
      const reply = await call('POST', '/connectors', { name: connector, config });
      if (reply.status !== 201)
        throw new Error(`create ${connector}: ${reply.status} ${JSON.stringify(reply.body)}`);
    },
    async until(done, timeoutMs = 60_000, what = 'the condition') {
      const end = Date.now() + timeoutMs;
      while (!(await done())) {
        if (Date.now() > end) {
          const tail = logs.slice(-15).join('\n');
          throw new Error(
            `timed out after ${timeoutMs} ms waiting for ${what}; last function logs:\n${tail}`,
          );
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    async mappings(connector) {
      const sink = aws.simulator.function('TasksSink');
      const page = await aws.simulator.lambdaClient.send(
        new ListEventSourceMappingsCommand({ FunctionName: `${sink.name}:${sinkAlias(connector)}` }),
      );
      return page.EventSourceMappings ?? [];
    },
    pool(prefix) {
      const fn = aws.simulator.function(prefix);
      const pool = aws.simulator.pools.get(fn.name);
      if (!pool) throw new Error(`no pool for ${fn.name}`);
      return pool;
    },
    dispose: () => aws.close(),
  };
}
