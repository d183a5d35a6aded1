// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Fn::Sub placeholders are literal ${…} text
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Duration, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../cdk/app.js';
import type { ServerlessConnectStack } from '../../../cdk/serverless-connect-stack.js';
import { DEFAULT_RESERVED_CONCURRENCY } from '../../../cdk/task-functions.js';
import { AUTH_ENV, ENV } from '../../../lib/env.js';
import { assetDirectory, bundleEntry, probeBundle } from '../../../local/aws/bundles.js';
import {
  generatedName,
  LAMBDA_DEFAULTS,
  rateMs,
  readAssemblyStack,
  readFunctions,
  type SimulatedFunction,
} from '../../../local/aws/template.js';
import { BASIC_SECRET, synthStack } from '../../cdk/synth.js';

// Two syntheses for the file. The default app with bundling skipped (as test/cdk does), for its
// settings; and the app with HTTP Basic and a 5-minute dispatch rate, bundled for real into a temporary
// cloud assembly outside the repository, so that its asset directories are what `cdk deploy` uploads and
// nothing in them can resolve a package from the repository's node_modules by walking up.

interface Synth {
  stack: ServerlessConnectStack;
  cdkOut: string;
  template: TemplateJson;
  functions: SimulatedFunction[];
  /** Logical ids by role. */
  ids: Ids;
}

const SCOPE = { region: 'eu-west-1', accountId: '123456789012' };
const tmp = mkdtempSync(join(tmpdir(), 'sc-template-'));
const REPO = join(import.meta.dirname, '..', '..', '..');
const cleanup = [tmp];
let plain: Synth;
let bundled: Synth;
const timings: Record<string, number> = {};

type Role = 'controlApi' | 'dispatcher' | 'taskRunner' | 'sink' | 'basicAuth';
type Ids = Record<Exclude<Role, 'basicAuth'> | 'schedule' | 'configs' | 'status' | 'offsets', string> & {
  basicAuth?: string;
};
/** The template as JSON (aws-cdk-lib's own type for it). */
type TemplateJson = ReturnType<Template['toJSON']>;

function logicalIds(stack: ServerlessConnectStack): Ids {
  const id = (c: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(c.node.defaultChild as CfnElement);
  const basicAuth = stack.controlApi.node.tryFindChild('BasicAuth') as { node: { defaultChild?: unknown } };
  return {
    controlApi: id(stack.controlApi.function),
    dispatcher: id(stack.dispatcher.function),
    taskRunner: id(stack.tasks.taskRunner),
    sink: id(stack.tasks.sink),
    ...(basicAuth ? { basicAuth: id(basicAuth) } : {}),
    schedule: id(stack.dispatcher.rule),
    configs: id(stack.tables.configs),
    status: id(stack.tables.status),
    offsets: id(stack.tables.offsets),
  };
}

function load(stack: ServerlessConnectStack, directory: string): Synth {
  const assembly = readAssemblyStack(directory);
  expect(assembly.stackName).toBe(stack.stackName);
  const template = assembly.template as TemplateJson;
  const functions = readFunctions(template, { ...SCOPE, stackName: assembly.stackName });
  return { stack, cdkOut: directory, template, functions, ids: logicalIds(stack) };
}

beforeAll(() => {
  let started = performance.now();
  const { app, stack } = synthStack();
  const plainOut = app.synth().directory;
  timings.synthSkipped = performance.now() - started;
  plain = load(stack, plainOut);

  started = performance.now();
  const outdir = join(tmp, 'cdk.out');
  const bundledApp = new App({
    outdir,
    context: { bootstrapServers: 'b-1.kafka:9092', basicAuthSecretArn: BASIC_SECRET, dispatchRateMinutes: 5 },
  });
  const bundledStack = buildApp(bundledApp);
  bundledApp.synth();
  timings.synthBundled = performance.now() - started;
  bundled = load(bundledStack, outdir);
  console.log(
    `synth: ${Math.round(timings.synthSkipped)} ms with bundling skipped, ${Math.round(timings.synthBundled)} ms bundled`,
  );
});

afterAll(() => {
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('missing');
  return value;
}

const byId = (s: Synth, role: Role) => {
  const fn = s.functions.find((f) => f.logicalId === s.ids[role]);
  if (!fn) throw new Error(`no ${role} function (${s.ids[role]})`);
  return fn;
};
const resources = (s: Synth) =>
  s.template.Resources as Record<string, { Type: string; Properties: TemplateJson }>;
const props = (s: Synth, logicalId: string) => must(resources(s)[logicalId]).Properties;

describe('readFunctions on the synthesized app', () => {
  it('finds exactly the functions of the app: control API, dispatcher, task runner, sink, and the authorizer when Basic auth is on', () => {
    const roles: Role[] = ['controlApi', 'dispatcher', 'taskRunner', 'sink'];
    expect(plain.functions.map((f) => f.logicalId).sort()).toEqual(roles.map((r) => plain.ids[r]).sort());
    expect(plain.ids.basicAuth).toBeUndefined();
    expect(bundled.functions.map((f) => f.logicalId).sort()).toEqual(
      [...roles, 'basicAuth' as const].map((r) => bundled.ids[r]).sort(),
    );
    const lambdaResources = (s: Synth) =>
      Object.values(resources(s)).filter((r) => r.Type === 'AWS::Lambda::Function').length;
    expect(plain.functions).toHaveLength(lambdaResources(plain));
    expect(bundled.functions).toHaveLength(lambdaResources(bundled));
  });

  it("carries each function's handler, runtime, memory, timeout, architecture and reserved concurrency as the template sets them", () => {
    for (const s of [plain, bundled]) {
      for (const fn of s.functions) {
        const p = props(s, fn.logicalId);
        expect(fn.handler).toBe(p.Handler);
        expect(fn.handler).toBe('index.handler');
        expect(fn.runtime).toBe(p.Runtime);
        expect(fn.runtime).toBe('nodejs24.x');
        expect(fn.memorySize).toBe(p.MemorySize);
        expect(fn.timeout).toBe(p.Timeout);
        expect(fn.architectures).toEqual(p.Architectures);
        expect(fn.reservedConcurrency).toBe(p.ReservedConcurrentExecutions);
        expect(fn.description).toBe(p.Description);
      }
    }
    // What the CDK props say, against the defaults the constructs document.
    expect(byId(plain, 'taskRunner').reservedConcurrency).toBe(DEFAULT_RESERVED_CONCURRENCY);
    expect(byId(plain, 'sink').reservedConcurrency).toBe(DEFAULT_RESERVED_CONCURRENCY);
    expect(byId(plain, 'dispatcher').reservedConcurrency).toBeUndefined();
    expect(byId(plain, 'controlApi').reservedConcurrency).toBeUndefined();
    expect(byId(plain, 'taskRunner').timeout).toBe(Duration.minutes(5).toSeconds());
    expect(byId(plain, 'dispatcher').timeout).toBe(Duration.seconds(60).toSeconds());
    // API Gateway's integration timeout bounds the control API's.
    expect(byId(plain, 'controlApi').timeout).toBe(29);
    expect(byId(bundled, 'basicAuth').timeout).toBe(10);
    expect(byId(bundled, 'basicAuth').memorySize).toBe(256);
  });

  it('names every unnamed function as CloudFormation would, with a deterministic stand-in for the random suffix', () => {
    for (const fn of plain.functions) {
      expect(props(plain, fn.logicalId).FunctionName).toBeUndefined();
      expect(fn.generatedName).toBe(true);
      expect(fn.name).toMatch(new RegExp(`^ServerlessConnect-${fn.logicalId}-[0-9A-Z]{12}$`));
      expect(fn.name.length).toBeLessThanOrEqual(64);
      expect(fn.arn).toBe(`arn:aws:lambda:eu-west-1:123456789012:function:${fn.name}`);
      // Its explicit log group (LoggingConfig) is unnamed too.
      const logGroup = props(plain, fn.logicalId).LoggingConfig.LogGroup.Ref;
      expect(fn.logGroupName).toBe(generatedName('ServerlessConnect', logGroup));
    }
    // The same template gives the same names: the simulator and the functions agree across restarts.
    const again = readFunctions(plain.template, { ...SCOPE, stackName: 'ServerlessConnect' });
    expect(again.map((f) => f.name)).toEqual(plain.functions.map((f) => f.name));
  });

  it('resolves the variables that name tables and functions, and leaves nothing of this app unresolved', () => {
    for (const s of [plain, bundled]) {
      for (const fn of s.functions) {
        expect(fn.unresolved).toEqual([]);
        const variables = props(s, fn.logicalId).Environment.Variables as Record<string, unknown>;
        expect(Object.keys(fn.environment).sort()).toEqual(Object.keys(variables).sort());
        // Literal values are carried as they are.
        for (const [key, value] of Object.entries(variables))
          if (typeof value === 'string') expect(fn.environment[key]).toBe(value);
      }
      for (const role of ['controlApi', 'dispatcher', 'taskRunner', 'sink'] as const) {
        const env = byId(s, role).environment;
        // An unnamed table's Ref is its logical id here.
        expect(env[ENV.configsTable]).toBe(s.ids.configs);
        expect(env[ENV.statusTable]).toBe(s.ids.status);
        expect(env[ENV.offsetsTable]).toBe(s.ids.offsets);
      }
      expect(byId(s, 'dispatcher').environment[ENV.taskFunction]).toBe(byId(s, 'taskRunner').name);
      expect(byId(s, 'dispatcher').environment[ENV.sinkFunction]).toBe(byId(s, 'sink').name);
      expect(byId(s, 'controlApi').environment[ENV.sinkFunction]).toBe(byId(s, 'sink').name);
    }
    expect(byId(bundled, 'basicAuth').environment[AUTH_ENV.basicAuthSecretArn]).toBe(BASIC_SECRET);
  });

  it('takes physical names given for logical ids over every other rule', () => {
    const names = { [plain.ids.configs]: 'connect-configs', [plain.ids.taskRunner]: 'task-runner' };
    const fns = readFunctions(plain.template, {
      ...SCOPE,
      stackName: 'ServerlessConnect',
      physicalNames: names,
    });
    const dispatcher = fns.find((f) => f.logicalId === plain.ids.dispatcher);
    const runner = fns.find((f) => f.logicalId === plain.ids.taskRunner);
    expect(dispatcher?.environment[ENV.configsTable]).toBe('connect-configs');
    expect(dispatcher?.environment[ENV.taskFunction]).toBe('task-runner');
    expect(runner?.name).toBe('task-runner');
    expect(runner?.generatedName).toBe(false);
  });

  it("reads the dispatcher's schedule: its rate in ms, its state and its target's retry policy", () => {
    const rule = props(plain, plain.ids.schedule);
    for (const [s, rate] of [
      [plain, Duration.minutes(1)],
      [bundled, Duration.minutes(5)],
    ] as const) {
      const schedule = must(byId(s, 'dispatcher').schedules[0]);
      expect(schedule.ruleLogicalId).toBe(s.ids.schedule);
      expect(schedule.expression).toBe(props(s, s.ids.schedule).ScheduleExpression);
      expect(schedule.rateMs).toBe(rate.toMilliseconds());
      expect(schedule.enabled).toBe(true);
      expect(schedule.maximumRetryAttempts).toBe(rule.Targets[0].RetryPolicy.MaximumRetryAttempts);
      expect(schedule.qualifier).toBeUndefined();
      expect(byId(s, 'dispatcher').schedules).toHaveLength(1);
    }
    for (const role of ['controlApi', 'taskRunner', 'sink'] as const)
      expect(byId(plain, role).schedules).toEqual([]);
  });

  it("reads the task runner's asynchronous invocation settings (no Lambda retries, 5-minute event age)", () => {
    const config = must(
      Object.values(resources(plain)).find((r) => r.Type === 'AWS::Lambda::EventInvokeConfig'),
    );
    expect(byId(plain, 'taskRunner').asyncInvoke).toEqual([
      {
        qualifier: '$LATEST',
        maximumRetryAttempts: config.Properties.MaximumRetryAttempts,
        maximumEventAgeSeconds: config.Properties.MaximumEventAgeInSeconds,
      },
    ]);
    expect(byId(plain, 'taskRunner').asyncInvoke[0]).toMatchObject({ maximumRetryAttempts: 0 });
    expect(byId(plain, 'sink').asyncInvoke).toEqual([]);
  });

  it("names each function's asset by the hash its Code.S3Key uploads", () => {
    for (const s of [plain, bundled])
      for (const fn of s.functions) expect(`${fn.asset?.hash}.zip`).toBe(props(s, fn.logicalId).Code.S3Key);
  });
});

describe('readFunctions on hand-written templates', () => {
  const template = {
    Parameters: {
      Stage: { Type: 'String', Default: 'dev' },
      FromSsm: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/x' },
    },
    Resources: {
      Table: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'orders' } },
      Secret: { Type: 'AWS::SecretsManager::Secret', Properties: {} },
      Fn: {
        Type: 'AWS::Lambda::Function',
        Metadata: { 'aws:cdk:path': 'Shop/Fn/Resource', 'aws:asset:path': 'asset.abc' },
        Properties: {
          FunctionName: 'shop-fn',
          Handler: 'src/app.main',
          Runtime: 'nodejs22.x',
          Code: { S3Bucket: 'b', S3Key: 'abc.zip' },
          Environment: {
            Variables: {
              JOINED: { 'Fn::Join': ['/', [{ Ref: 'AWS::Region' }, { Ref: 'Table' }, { Ref: 'Stage' }]] },
              SUBBED: {
                'Fn::Sub': 'arn:${AWS::Partition}:x:${AWS::AccountId}:${Table}/${Fn.Arn}/${!Literal}',
              },
              SUB_VARS: { 'Fn::Sub': ['${A}-${AWS::StackName}', { A: { 'Fn::GetAtt': ['Table', 'Arn'] } }] },
              SELECTED: { 'Fn::Select': [1, { 'Fn::Split': [':', { 'Fn::GetAtt': ['Other', 'Arn'] }] }] },
              NUMBER: 5,
              SECRET: { Ref: 'Secret' },
              FROM_SSM: { Ref: 'FromSsm' },
              CONDITIONAL: { 'Fn::If': ['IsProd', 'a', 'b'] },
              IMPORTED: { 'Fn::ImportValue': 'Exported' },
              STREAM: { 'Fn::GetAtt': ['Table', 'StreamArn'] },
            },
          },
        },
      },
      Other: {
        Type: 'AWS::Lambda::Function',
        Properties: { Handler: 'index.handler', Code: { ZipFile: 'x' } },
      },
      Live: {
        Type: 'AWS::Lambda::Alias',
        Properties: { FunctionName: { Ref: 'Fn' }, FunctionVersion: '$LATEST', Name: 'live' },
      },
      Hourly: {
        Type: 'AWS::Events::Rule',
        Properties: {
          ScheduleExpression: 'rate(2 hours)',
          State: 'DISABLED',
          Targets: [{ Arn: { Ref: 'Live' }, Id: 't', Input: '{"tick":1}' }],
        },
      },
      Nightly: {
        Type: 'AWS::Events::Rule',
        Properties: {
          ScheduleExpression: 'cron(0 3 * * ? *)',
          Targets: [{ Arn: 'arn:aws:lambda:eu-west-1:123456789012:function:shop-fn', Id: 't' }],
        },
      },
    },
  };
  const [fn, other] = readFunctions(template, SCOPE).map(must);
  if (!fn || !other) throw new Error('two functions expected');

  it('resolves Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select/Split and pseudo parameters to local stand-ins', () => {
    const otherArn = `arn:aws:lambda:eu-west-1:123456789012:function:${other.name}`;
    expect(other.name).toBe(generatedName('Shop', 'Other'));
    expect(fn.environment).toMatchObject({
      JOINED: 'eu-west-1/orders/dev',
      SUBBED: `arn:aws:x:123456789012:orders/arn:aws:lambda:eu-west-1:123456789012:function:shop-fn/\${Literal}`,
      SUB_VARS: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders-Shop',
      SELECTED: otherArn.split(':')[1],
      NUMBER: '5',
    });
  });

  it('leaves out what cannot be resolved here and lists it in unresolved', () => {
    expect(fn.unresolved.map((u) => u.name).sort()).toEqual([
      'CONDITIONAL',
      'FROM_SSM',
      'IMPORTED',
      'SECRET',
      'STREAM',
    ]);
    for (const u of fn.unresolved) expect(fn.environment[u.name]).toBeUndefined();
    expect(fn.unresolved.find((u) => u.name === 'IMPORTED')?.expression).toBe(
      '{"Fn::ImportValue":"Exported"}',
    );
  });

  it("applies Lambda's defaults for memory (128 MB), timeout (3 s) and architecture (x86_64)", () => {
    expect(other).toMatchObject({ memorySize: 128, timeout: 3, architectures: ['x86_64'] });
    expect(LAMBDA_DEFAULTS).toEqual({ memorySize: 128, timeout: 3, architectures: ['x86_64'] });
    expect(other.asset).toBeUndefined();
    expect(other.inlineCode).toBe('x');
    expect(fn).toMatchObject({ name: 'shop-fn', generatedName: false, handler: 'src/app.main' });
    expect(fn.asset).toEqual({ hash: 'abc', path: 'asset.abc' });
    expect(fn.logGroupName).toBe('/aws/lambda/shop-fn');
  });

  it('attaches aliases and schedules (through an alias, a literal ARN, rate or cron) to their function', () => {
    expect(fn.aliases).toEqual([{ logicalId: 'Live', name: 'live', functionVersion: '$LATEST' }]);
    expect(fn.schedules).toEqual([
      {
        ruleLogicalId: 'Hourly',
        expression: 'rate(2 hours)',
        rateMs: 7_200_000,
        enabled: false,
        qualifier: 'live',
        input: '{"tick":1}',
        maximumRetryAttempts: undefined,
        maximumEventAgeSeconds: undefined,
      },
      {
        ruleLogicalId: 'Nightly',
        expression: 'cron(0 3 * * ? *)',
        rateMs: undefined,
        enabled: true,
        qualifier: undefined,
        input: undefined,
        maximumRetryAttempts: undefined,
        maximumEventAgeSeconds: undefined,
      },
    ]);
  });

  it('parses rate expressions and keeps generated names within 64 characters', () => {
    expect(rateMs('rate(1 minute)')).toBe(60_000);
    expect(rateMs('rate(5 minutes)')).toBe(300_000);
    expect(rateMs('rate(1 day)')).toBe(86_400_000);
    expect(rateMs('cron(0 * * * ? *)')).toBeUndefined();
    const long = generatedName('A'.repeat(60), 'B'.repeat(60));
    expect(long).toHaveLength(64);
    expect(long).toMatch(/^A+-B+-[0-9A-Z]{12}$/);
    expect(generatedName('S', 'Id')).toBe(generatedName('S', 'Id'));
    expect(generatedName('S', 'Id')).not.toBe(generatedName('S', 'Id2'));
  });
});

describe('bundles', () => {
  it("finds every function's asset directory in the cloud assembly, holding index.mjs", () => {
    for (const fn of bundled.functions) {
      const dir = assetDirectory(fn, bundled.cdkOut);
      expect(dir).toBe(join(bundled.cdkOut, `asset.${fn.asset?.hash}`));
      const entry = bundleEntry(fn, bundled.cdkOut);
      expect(entry.file).toBe(join(dir, 'index.mjs'));
      expect(entry.exportPath).toEqual(['handler']);
    }
    // With bundling skipped no asset is staged, and the simulator says so instead of running nothing.
    expect(() => assetDirectory(must(plain.functions[0]), plain.cdkOut)).toThrow(/not staged/);
  });

  it('each bundle loads in a fresh Node 24 with only its own modules and the runtime SDK, exporting its handler as a function', async () => {
    const lines: string[] = [];
    for (const fn of bundled.functions) {
      const result = await probeBundle(fn, bundled.cdkOut, { region: SCOPE.region });
      expect(result.error).toBeUndefined();
      expect(result.handlerType).toBe('function');
      for (const m of result.fromRuntime) expect(m).toMatch(/^@aws-sdk\//);
      lines.push(
        `${fn.logicalId}: import ${result.loadMs.toFixed(0)} ms (process ${result.processMs.toFixed(0)} ms); from the runtime: ${result.fromRuntime.join(', ')}`,
      );
    }
    console.log(`cold load of each bundle:\n  ${lines.join('\n  ')}`);
  });

  it("refuses a package that is neither in the function's code nor provided by the runtime", async () => {
    // Inside the repository, where Node alone would find kafkajs by walking up to its node_modules.
    mkdirSync(join(REPO, '.data'), { recursive: true });
    const fake = mkdtempSync(join(REPO, '.data', 'sc-fake-asset-'));
    cleanup.push(fake);
    const dir = join(fake, 'asset.f00d');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'index.mjs'),
      "import '@aws-sdk/client-lambda'; import 'kafkajs'; export const handler = async () => 1;",
    );
    const fn = { ...byId(bundled, 'dispatcher'), asset: { hash: 'f00d' }, environment: {} };
    const refused = await probeBundle(fn, fake);
    expect(refused.handlerType).toBe('undefined');
    expect(refused.error).toMatch(
      /Cannot find package 'kafkajs'.*neither in the function's code nor provided/,
    );
    writeFileSync(join(dir, 'index.mjs'), "import '@aws-sdk/client-lambda'; export const handler = 1;");
    const loaded = await probeBundle(fn, fake);
    expect(loaded).toMatchObject({ handlerType: 'number', fromRuntime: ['@aws-sdk/client-lambda'] });
  });
});

// The stack's name reaches readFunctions through the assembly's manifest.
it('reads the stack name from the cloud assembly', () => {
  expect(readAssemblyStack(plain.cdkOut).stackName).toBe(Stack.of(plain.stack).stackName);
  expect(() => readAssemblyStack(plain.cdkOut, 'Nope')).toThrow(/no stack Nope/);
});
