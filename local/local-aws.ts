import { join } from 'node:path';
import { ENV } from '../lib/env.js';
import { LOCAL_INSTANCE_ENV } from '../lib/runtime/worker-config.js';
import { createDynamoClient, dynamoStateStore, ensureTables, type TableNames } from '../lib/store/index.js';
import { type Simulator, type SimulatorOptions, startSimulator } from './aws/simulator.js';
import { readAssemblyStack, readFunctions } from './aws/template.js';
import { type LocalInstance, startLocalInstance } from './local-instance.js';
import { synthForLocal } from './synth.js';

export interface LocalAwsOptions {
  /** The repository root (the CDK app and its cdk.json). */
  root: string;
  /** Where the assembly goes. @default <root>/.data/cdk.out */
  outdir?: string;
  brokers: string;
  dynamodbEndpoint: string;
  /** The Kafka Connect REST API's port (0 = any). @default 8083 */
  apiPort?: number;
  /** The simulated Lambda API's port (0 = any). @default 3001 */
  lambdaPort?: number;
  /** @default 3002; null = none */
  faultPort?: number | null;
  /** The dispatcher's schedule instead of the template's rate. */
  tickMs?: number;
  /** Kafka worker properties, deployed as the CDK's `workerProperties` context. */
  workerProperties?: Record<string, string>;
  /** More CDK context (e.g. `sinkMappings: 'false'`). */
  context?: Record<string, string>;
  /** Variables for every function on top of the endpoints (e.g. POWERTOOLS_LOG_LEVEL). */
  environment?: Record<string, string>;
  simulator?: Partial<SimulatorOptions>;
  /**
   * Appended to every table's name, so that two stacks share one DynamoDB Local without seeing each
   * other's connectors (as two deployments with their own tables would). @default none
   */
  tableSuffix?: string;
  /**
   * Local mode's instance (docs/runtime.md, Recovery): a new id per start, kept in `dataDir`, in front of
   * every function's worker id; the leases of an earlier start that is provably dead are freed before
   * anything runs. `reclaim: false` skips the freeing (a benchmark's baseline). @default none
   */
  instance?: { dataDir: string; reclaim?: boolean };
}

export interface LocalAws {
  /** The Kafka Connect REST API (API Gateway in front of the control API function). */
  apiUrl: string;
  simulator: Simulator;
  tables: TableNames;
  synth: { reused: boolean; ms: number };
  /** With `options.instance`: this start's id and the leases of earlier starts it freed. */
  instance?: LocalInstance;
  close(): Promise<void>;
}

/**
 * The stack `cdk deploy` would create, on this machine: synthesized (bundles included), its tables in
 * DynamoDB Local as CloudFormation would create them, and its functions under the Lambda simulator
 * behind the simulated API Gateway. The only differences from AWS are the endpoints in the functions'
 * environment: DynamoDB Local and the simulated Lambda API.
 */
/**
 * Local mode's `taskIdleMs`: a task that found data keeps polling (every 50 ms) until it has found nothing
 * for 10 s, so a pipeline with data at least every 10 s sees each record within ~50 ms instead of at the
 * next tick; an invocation whose budget ends mid-linger chains the next at once. Not longer: a lingering
 * task holds an execution environment, and under the task runner's reserved concurrency other tasks wait.
 * Context `taskIdleMs` overrides it (0 = AWS's default).
 */
export const LOCAL_TASK_IDLE_MS = 10_000;

export async function startLocalAws(options: LocalAwsOptions): Promise<LocalAws> {
  const context: Record<string, string> = {
    bootstrapServers: options.brokers,
    deletionProtection: 'false',
    taskIdleMs: String(LOCAL_TASK_IDLE_MS),
    ...options.context,
  };
  if (options.workerProperties && Object.keys(options.workerProperties).length > 0)
    context.workerProperties = JSON.stringify(options.workerProperties);
  const synth = await synthForLocal({
    root: options.root,
    outdir: options.outdir ?? join(options.root, '.data', 'cdk.out'),
    context,
  });
  const physicalNames = tableNames(synth.cdkOut, options.tableSuffix);
  const tables = await createTables(synth.cdkOut, options.dynamodbEndpoint, physicalNames);
  const instance =
    options.instance && (await claimInstance(options.instance, options.dynamodbEndpoint, tables));
  const simulator = await startSimulator({
    cdkOut: synth.cdkOut,
    physicalNames,
    lambdaPort: options.lambdaPort,
    faultPort: options.faultPort,
    scheduleRateMs: options.tickMs,
    // Kafka Connect's clients do not sign requests: the IAM-authorized methods are served open, on
    // loopback only, as local mode always was (docs/local-mode-security.md).
    apiGateway: { port: options.apiPort ?? 8083, iam: 'open' },
    ...options.simulator,
    environment: {
      [ENV.dynamodbEndpoint]: options.dynamodbEndpoint,
      ...(instance ? { [LOCAL_INSTANCE_ENV]: instance.id } : {}),
      ...options.environment,
      ...options.simulator?.environment,
    },
  });
  if (!simulator.apiGateway) {
    await simulator.close();
    throw new Error(`${synth.cdkOut}: the stack has no REST API to serve`);
  }
  return {
    apiUrl: simulator.apiGateway.url,
    simulator,
    tables,
    synth,
    ...(instance ? { instance } : {}),
    close: () => simulator.close(),
  };
}

/** Starts the local-mode instance on its tables, before any function runs (see `startLocalInstance`). */
async function claimInstance(
  options: { dataDir: string; reclaim?: boolean },
  endpoint: string,
  tables: TableNames,
): Promise<LocalInstance> {
  const client = createDynamoClient({ endpoint });
  try {
    const { leases } = dynamoStateStore({ client, tables });
    return await startLocalInstance({ ...options, leases });
  } finally {
    client.destroy();
  }
}

/** The tables CloudFormation would create, under the names the template gives the functions. */
async function createTables(
  cdkOut: string,
  endpoint: string,
  physicalNames: Record<string, string>,
): Promise<TableNames> {
  const { template, stackName } = readAssemblyStack(cdkOut);
  const control = readFunctions(template, { stackName, physicalNames }).find(
    (f) => f.environment[ENV.configsTable],
  );
  const env = control?.environment ?? {};
  const tables: TableNames = {
    configs: env[ENV.configsTable] ?? '',
    status: env[ENV.statusTable] ?? '',
    offsets: env[ENV.offsetsTable] ?? '',
  };
  if (!tables.configs || !tables.status || !tables.offsets)
    throw new Error(`${cdkOut}: no function of the template names the three state tables`);
  const dynamo = createDynamoClient({ endpoint });
  try {
    await ensureTables(dynamo, tables);
  } finally {
    dynamo.destroy();
  }
  return tables;
}

/** Logical id → `<logical id><suffix>` for every table of the template; none without a suffix. */
function tableNames(cdkOut: string, suffix: string | undefined): Record<string, string> {
  if (!suffix) return {};
  const { template } = readAssemblyStack(cdkOut);
  const resources = (template as { Resources?: Record<string, { Type?: string }> }).Resources ?? {};
  return Object.fromEntries(
    Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::DynamoDB::Table')
      .map(([id]) => [id, `${id}${suffix}`]),
  );
}
