/**
 * The AWS shape of a CDK app on one machine: every function of a synthesized stack in simulated
 * execution environments running its staged bundle, the Lambda API they and their callers use
 * (Invoke, aliases, Kafka event source mappings with their pollers), the EventBridge schedules, and
 * the fault interface. It knows the app only through its cloud assembly (docs/lambda-simulator.md,
 * "The whole simulator").
 */
import { CreateAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { type ApiGateway, type ApiGatewayOptions, startApiGateway } from './api-gateway.js';
import { bundleEntry } from './bundles.js';
import { createFunctionPool, type FunctionPoolOptions } from './environment.js';
import { type FaultTargets, type FaultyPool, faultyPool, startFaultServer } from './faults.js';
import { type LambdaApi, type LambdaApiOptions, startLambdaApi } from './lambda-api.js';
import { type ScheduleDelivery, type Schedules, startSchedules } from './schedules.js';
import { readAssemblyStack, readFunctions, type SimulatedFunction } from './template.js';

export interface SimulatorOptions {
  /** The cloud assembly `cdk synth` wrote, with its staged assets (bundling on). */
  cdkOut: string;
  stackName?: string;
  /** @default 'us-east-1' */
  region?: string;
  /** @default '000000000000' */
  accountId?: string;
  /** Logical id → physical name, for resources whose local name is fixed (e.g. existing tables). */
  physicalNames?: Record<string, string>;
  /**
   * Variables added to every function's environment on top of the template's: the endpoints that make
   * AWS local (DynamoDB Local, moto). `AWS_ENDPOINT_URL_LAMBDA` is set to the simulated Lambda API, and
   * `AWS_ENDPOINT_URL` to a closed port so that no other AWS call can leave the machine.
   */
  environment?: Record<string, string>;
  /** Per function (by logical id), on top of `environment`. */
  functionEnvironment?: Record<string, Record<string, string>>;
  /** The Lambda API's port (0 = any). @default 3001 */
  lambdaPort?: number;
  /** The fault interface's port (0 = any; null = none). @default 3002 */
  faultPort?: number | null;
  /**
   * The API Gateway front of the stack's REST API, when it has one (port 0 = any, default 8083).
   * null = none.
   */
  apiGateway?: Pick<ApiGatewayOptions, 'port' | 'iam' | 'onRequest'> | null;
  /** Everything else the Lambda API takes: async backoff, the Kafka pollers' settings. */
  lambda?: Omit<LambdaApiOptions, 'port' | 'region' | 'accountId'>;
  /**
   * Settings instead of the template's, by logical-id prefix (e.g. `{ TasksTaskRunner: { timeout: 10 } }`),
   * so a test can reach a timeout or a concurrency limit quickly. What deploys is the template.
   */
  functionSettings?: Record<string, { timeout?: number; reservedConcurrency?: number }>;
  /** Every schedule's rate instead of the template's. */
  scheduleRateMs?: number;
  /** Async retry delays after a function error. @default Lambda's [60000, 120000] */
  asyncRetryDelaysMs?: readonly [number, number];
  idleRecycleMs?: number;
  /** Function output, line by line. @default stderr */
  onLog?: (functionName: string, line: string) => void;
  onScheduleDelivery?: (delivery: ScheduleDelivery) => void;
  /** Services the fault interface may restart. */
  restart?: FaultTargets['restart'];
  /** Node flags for the environments (e.g. a TypeScript loader when running sources). */
  execArgv?: string[];
}

export interface Simulator {
  stackName: string;
  functions: SimulatedFunction[];
  /** The function whose logical id starts with `prefix` (CDK ids carry a hash suffix). */
  function(prefix: string): SimulatedFunction;
  pools: ReadonlyMap<string, FaultyPool>;
  lambda: LambdaApi;
  /** A client of the simulated Lambda API. */
  lambdaClient: LambdaClient;
  schedules: Schedules;
  /** The REST API's front, when the stack has one and it was asked for. */
  apiGateway?: ApiGateway;
  faultsUrl?: string;
  close(): Promise<void>;
}

/** A port nothing listens on: an SDK call to an endpoint not simulated fails at once, locally. */
const NOWHERE = 'http://127.0.0.1:9';

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const { stackName, template, cdkOut } = readAssemblyStack(options.cdkOut, options.stackName);
  const functions = readFunctions(template, {
    stackName,
    region,
    accountId,
    physicalNames: options.physicalNames,
  }).map((fn) => {
    const override = Object.entries(options.functionSettings ?? {}).find(([prefix]) =>
      fn.logicalId.startsWith(prefix),
    )?.[1];
    return override ? { ...fn, ...override } : fn;
  });
  const lambda = await startLambdaApi({
    ...options.lambda,
    port: options.lambdaPort ?? 3001,
    region,
    accountId,
  });
  const pools = new Map<string, FaultyPool>();
  const closing: (() => Promise<void>)[] = [() => lambda.close()];
  const lambdaClient = new LambdaClient({
    endpoint: lambda.url,
    region,
    credentials: { accessKeyId: 'simulator', secretAccessKey: 'simulator' },
    maxAttempts: 1,
  });
  try {
    for (const fn of functions) {
      if (!fn.asset) continue;
      const entry = bundleEntry(fn, cdkOut);
      const pool = faultyPool(
        createFunctionPool({
          ...poolSettings(fn, options, region, accountId),
          modulePath: entry.file,
          environment: {
            ...fn.environment,
            AWS_ENDPOINT_URL: NOWHERE,
            AWS_ENDPOINT_URL_LAMBDA: lambda.url,
            ...options.environment,
            ...options.functionEnvironment?.[fn.logicalId],
          },
        }),
      );
      pools.set(fn.name, pool);
      lambda.registerFunction(fn.name, {
        pool,
        asyncConfig: fn.asyncInvoke.find((c) => c.qualifier === '$LATEST'),
        retryDelaysMs: options.asyncRetryDelaysMs,
      });
      for (const alias of fn.aliases) {
        await lambdaClient.send(
          new CreateAliasCommand({ FunctionName: fn.name, Name: alias.name, FunctionVersion: '$LATEST' }),
        );
      }
    }
    const schedules = startSchedules(functions, {
      lambda: lambdaClient,
      region,
      accountId,
      stackName,
      rateMs: options.scheduleRateMs,
      onDelivery: options.onScheduleDelivery,
    });
    closing.unshift(() => schedules.stop());
    let apiGateway: ApiGateway | undefined;
    const hasRestApi = Object.values(
      (template as { Resources?: Record<string, { Type?: string }> }).Resources ?? {},
    ).some((r) => r.Type === 'AWS::ApiGateway::RestApi');
    if (options.apiGateway !== null && hasRestApi) {
      apiGateway = await startApiGateway({
        ...options.apiGateway,
        template,
        scope: { stackName, region, accountId, physicalNames: options.physicalNames },
        lambdaEndpoint: lambda.url,
      });
      closing.unshift(() => (apiGateway as ApiGateway).close());
    }
    let faultsUrl: string | undefined;
    if (options.faultPort !== null) {
      const faults = await startFaultServer(
        {
          pools,
          duplicateNext: (n) => lambda.duplicateNext(n),
          setDuplicateRate: (rate, seed) => lambda.setDuplicateRate(rate, seed),
          restart: options.restart,
        },
        { port: options.faultPort ?? 3002 },
      );
      faultsUrl = faults.url;
      closing.unshift(() => faults.close());
    }
    return {
      stackName,
      functions,
      function(prefix) {
        const found = functions.find((f) => f.logicalId.startsWith(prefix));
        if (!found) throw new Error(`no function ${prefix}* in ${stackName}`);
        return found;
      },
      pools,
      lambda,
      lambdaClient,
      schedules,
      apiGateway,
      faultsUrl,
      async close() {
        lambdaClient.destroy();
        for (const close of closing) await close();
      },
    };
  } catch (error) {
    lambdaClient.destroy();
    // Every pool made so far was registered, so the API closes it.
    await lambda.close();
    throw error;
  }
}

function poolSettings(
  fn: SimulatedFunction,
  options: SimulatorOptions,
  region: string,
  accountId: string,
): Omit<FunctionPoolOptions, 'modulePath' | 'environment'> {
  return {
    name: fn.name,
    handler: fn.handler,
    memoryMb: fn.memorySize,
    timeoutMs: fn.timeout * 1000,
    reservedConcurrency: fn.reservedConcurrency,
    idleRecycleMs: options.idleRecycleMs,
    region,
    accountId,
    execArgv: options.execArgv,
    onLog: options.onLog ? (line) => options.onLog?.(fn.name, line) : undefined,
  };
}
