import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONNECT_ROUTES, CONNECTOR_TAG, ControlApi } from '../../cdk/control-api.js';
import { KafkaConnectivity } from '../../cdk/kafka-connectivity.js';
import { StateTables } from '../../cdk/state-tables.js';
import { WorkerSettings } from '../../cdk/worker-settings.js';
import { METRICS } from '../../lib/config/metric-names.js';
import {
  parseWorkerProperties,
  pluginPolicy,
  WORKER_KEYS,
  WORKER_PROPERTIES_ENV,
} from '../../lib/config/worker-properties.js';
import { CONNECTOR_TAG as RUNTIME_CONNECTOR_TAG } from '../../lib/control/esm-mapping-input.js';
import { AUTH_ENV, CONTROL_ENV, ENV } from '../../lib/env.js';
import { TABLES } from '../../lib/store/tables.js';
import {
  BASIC_SECRET,
  MSK_ARN,
  MSK_CONTEXT,
  PROVIDER_KEY,
  PROVIDER_PROPERTIES,
  SCRAM_SECRET,
  synthStack,
} from './synth.js';

// Two syntheses for the whole file (bundling skipped): the default stack and the MSK/IAM/VPC/Basic one.
let plain: Template;
let msk: Template;
let ids: Record<string, string>;

beforeAll(() => {
  const { stack } = synthStack();
  plain = Template.fromStack(stack);
  msk = Template.fromStack(synthStack(MSK_CONTEXT).stack);
  const id = (c: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(c.node.defaultChild as Parameters<typeof stack.getLogicalId>[0]);
  ids = {
    configs: id(stack.tables.configs),
    status: id(stack.tables.status),
    offsets: id(stack.tables.offsets),
    taskRunner: id(stack.tasks.taskRunner),
    sink: id(stack.tasks.sink),
    dispatcher: id(stack.dispatcher.function),
    controlApi: id(stack.controlApi.function),
  };
});

function functionProps(t: Template, logicalId: string): Record<string, unknown> {
  return (t.toJSON().Resources[logicalId] as { Properties: Record<string, unknown> }).Properties;
}

/** The statements of the default policy attached to a function's role. */
function statements(t: Template, fnId: string): Array<Record<string, unknown>> {
  const role = (functionProps(t, fnId).Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
  return Object.values(t.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${role}"`))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

describe('StateTables', () => {
  it('keys each table exactly as lib/store/tables.ts, on demand, with PITR, SSE and deletion protection', () => {
    for (const kind of ['configs', 'status', 'offsets'] as const) {
      const { partitionKey, sortKey } = TABLES[kind];
      const keys: Array<{ AttributeName: string; KeyType: string }> = [
        { AttributeName: partitionKey, KeyType: 'HASH' },
      ];
      if (sortKey) keys.push({ AttributeName: sortKey, KeyType: 'RANGE' });
      expect(plain.toJSON().Resources[ids[kind] ?? '']).toMatchObject({
        Type: 'AWS::DynamoDB::Table',
        DeletionPolicy: 'Retain',
        Properties: {
          KeySchema: keys,
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { SSEEnabled: true },
          DeletionProtectionEnabled: true,
        },
      });
    }
  });
});

describe('ConnectFunction defaults', () => {
  it('runs every function on nodejs24.x, arm64, with an explicit log group and the Powertools environment', () => {
    const fns = Object.values(plain.findResources('AWS::Lambda::Function'));
    expect(fns).toHaveLength(4);
    for (const fn of fns) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
        Environment: {
          Variables: {
            POWERTOOLS_SERVICE_NAME: expect.any(String),
            POWERTOOLS_METRICS_NAMESPACE: METRICS.namespace,
            NODE_OPTIONS: '--enable-source-maps',
          },
        },
      });
    }
    plain.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('sizes each function for its job', () => {
    const sizes = Object.fromEntries(
      ['controlApi', 'dispatcher', 'taskRunner', 'sink'].map((k) => {
        const p = functionProps(plain, ids[k] ?? '');
        return [k, [p.MemorySize, p.Timeout]];
      }),
    );
    expect(sizes).toEqual({
      controlApi: [512, 29],
      dispatcher: [256, 60],
      taskRunner: [1024, 300],
      sink: [1024, 300],
    });
  });
});

describe('TaskFunctions and KafkaConnectivity', () => {
  it('hands the runtime its tables and Kafka settings under the shared env names', () => {
    for (const k of ['taskRunner', 'sink', 'controlApi']) {
      expect(functionProps(plain, ids[k] ?? '').Environment).toMatchObject({
        Variables: {
          [ENV.configsTable]: { Ref: ids.configs },
          [ENV.statusTable]: { Ref: ids.status },
          [ENV.offsetsTable]: { Ref: ids.offsets },
          [ENV.kafkaBrokers]: 'b-1.kafka:9092',
          [ENV.kafkaAuth]: 'none',
        },
      });
    }
  });

  it('lets the task runner invoke itself and nothing else, and read and write the three tables', () => {
    const all = statements(plain, ids.taskRunner ?? '');
    const invoke = all.filter((s) => JSON.stringify(s.Action).includes('lambda:InvokeFunction'));
    expect(invoke).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: arnOf(ids.taskRunner ?? '') },
    ]);
    const written = all
      .filter((s) => JSON.stringify(s.Action).includes('dynamodb:PutItem'))
      .flatMap((s) => s.Resource as unknown[]);
    expect(written).toEqual([arnOf(ids.configs ?? ''), arnOf(ids.status ?? ''), arnOf(ids.offsets ?? '')]);
  });

  it('scopes MSK IAM and the event source mapping permissions to the one cluster', () => {
    const sink = functionProps(msk, ids.sink ?? '');
    expect(sink.VpcConfig).toMatchObject({
      SubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
    });
    const kafkaStatements = statements(msk, ids.sink ?? '').filter((s) =>
      JSON.stringify(s.Action).includes('kafka'),
    );
    for (const s of kafkaStatements) {
      for (const r of [s.Resource].flat())
        expect(JSON.stringify(r)).toMatch(/(cluster|topic|group)\/demo\/0b5c1a6e/);
    }
    expect(kafkaStatements.flatMap((s) => [s.Action].flat())).toEqual(
      expect.arrayContaining([
        'kafka:DescribeClusterV2',
        'kafka:GetBootstrapBrokers',
        'kafka-cluster:Connect',
        'kafka-cluster:ReadData',
        'kafka-cluster:DescribeClusterDynamicConfiguration',
      ]),
    );
    expect(functionProps(msk, ids.controlApi ?? '').Environment).toMatchObject({
      Variables: { [CONTROL_ENV.mskClusterArn]: MSK_ARN, [ENV.kafkaAuth]: 'msk-iam' },
    });
  });
});

describe('Dispatcher', () => {
  it('runs on a one-minute EventBridge schedule', () => {
    plain.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: arnOf(ids.dispatcher ?? '') })],
    });
  });

  it('reads configs, writes status, never touches offsets, and invokes only the task runner', () => {
    const all = statements(plain, ids.dispatcher ?? '');
    const text = JSON.stringify(all);
    expect(text).not.toContain(ids.offsets);
    const writes = all.filter((s) => JSON.stringify(s.Action).includes('dynamodb:PutItem'));
    expect(writes.flatMap((s) => s.Resource as unknown[])).toEqual([arnOf(ids.status ?? '')]);
    const invoke = all.find((s) => s.Action === 'lambda:InvokeFunction');
    expect(JSON.stringify(invoke?.Resource)).not.toContain(ids.sink);
    expect(JSON.stringify(invoke?.Resource)).toContain(ids.taskRunner);
  });
});

describe('Dispatcher started by the control API', () => {
  it('lets the control API invoke the dispatcher, and no other function', () => {
    const invoke = statements(plain, ids.controlApi ?? '').filter((s) =>
      JSON.stringify(s.Action).includes('lambda:InvokeFunction'),
    );
    expect(invoke.length).toBeGreaterThan(0);
    for (const s of invoke) {
      expect(JSON.stringify(s.Resource)).toContain(ids.dispatcher);
      expect(JSON.stringify(s.Resource)).not.toContain(ids.taskRunner);
      expect(JSON.stringify(s.Resource)).not.toContain(ids.sink);
    }
    expect(functionProps(plain, ids.controlApi ?? '').Environment).toMatchObject({
      Variables: { DISPATCHER_FUNCTION_NAME: { Ref: ids.dispatcher } },
    });
  });
});

describe('Dispatcher reconciling sink mappings', () => {
  it('may list mappings and aliases, and manage mappings and aliases of the sink function only', () => {
    const all = statements(plain, ids.dispatcher ?? '');
    const aliases = { 'Fn::Join': ['', [arnOf(ids.sink ?? ''), ':sc-*']] };
    const onSink = { ArnLike: { 'lambda:FunctionArn': aliases } };
    const find = (action: string) => all.find((s) => JSON.stringify(s.Action).includes(action));
    expect(find('lambda:ListEventSourceMappings')?.Resource).toBe('*');
    expect(find('lambda:CreateEventSourceMapping')?.Condition).toEqual(onSink);
    expect(find('lambda:DeleteEventSourceMapping')?.Condition).toEqual(onSink);
    expect(find('lambda:UpdateEventSourceMapping')?.Condition).toEqual(onSink);
    expect(find('lambda:ListAliases')?.Resource).toEqual([arnOf(ids.sink ?? ''), aliases]);
    expect(find('lambda:DeleteAlias')?.Resource).toEqual([arnOf(ids.sink ?? ''), aliases]);
    expect(functionProps(plain, ids.dispatcher ?? '').Environment).toMatchObject({
      Variables: { [ENV.sinkFunction]: expect.anything(), [ENV.kafkaBrokers]: 'b-1.kafka:9092' },
    });
  });
});

describe('ControlApi', () => {
  it('puts AWS_IAM on every method of every Kafka Connect path', () => {
    const methods = Object.values(plain.findResources('AWS::ApiGateway::Method'));
    const expected = Object.values(CONNECT_ROUTES).flat().length;
    expect(methods.length).toBe(expected);
    for (const m of methods) expect(m.Properties.AuthorizationType).toBe('AWS_IAM');
  });

  it('switches every method to the Basic authorizer when a secret is given', () => {
    const methods = Object.values(msk.findResources('AWS::ApiGateway::Method'));
    for (const m of methods) expect(m.Properties.AuthorizationType).toBe('CUSTOM');
    msk.hasResourceProperties('AWS::ApiGateway::Authorizer', { Type: 'TOKEN' });
  });

  it('logs access, throttles the stage and limits request bodies', () => {
    plain.hasResourceProperties('AWS::ApiGateway::Stage', {
      AccessLogSetting: { DestinationArn: Match.anyValue() },
      MethodSettings: [
        Match.objectLike({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100, LoggingLevel: 'ERROR' }),
      ],
    });
    plain.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([
        Match.objectLike({ Statement: { SizeConstraintStatement: Match.objectLike({ Size: 65536 }) } }),
      ]),
    });
  });

  it('manages event source mappings and aliases of the sink function only, under the runtime tag', () => {
    expect(CONNECTOR_TAG).toBe(RUNTIME_CONNECTOR_TAG);
    const esm = statements(plain, ids.controlApi ?? '').filter((s) =>
      JSON.stringify(s.Action).includes('EventSourceMapping'),
    );
    const aliases = { 'Fn::Join': ['', [arnOf(ids.sink ?? ''), ':sc-*']] };
    const onSink = { ArnLike: { 'lambda:FunctionArn': aliases } };
    expect(esm.find((s) => s.Action === 'lambda:CreateEventSourceMapping')?.Condition).toEqual(onSink);
    expect(esm.find((s) => JSON.stringify(s.Action).includes('Delete'))?.Condition).toEqual(onSink);
    const alias = statements(plain, ids.controlApi ?? '').find((s) =>
      JSON.stringify(s.Action).includes('lambda:CreateAlias'),
    );
    expect(alias?.Resource).toEqual([arnOf(ids.sink ?? ''), aliases]);
  });
});

describe('Observability', () => {
  it('alarms on task failures, DLQ records, dispatcher errors and throttles', () => {
    const alarms = Object.values(plain.findResources('AWS::CloudWatch::Alarm'));
    const text = JSON.stringify(alarms);
    expect(text).toContain(`SUM(${METRICS.taskFailures})`);
    expect(text).toContain(`SUM(${METRICS.dlqRecords})`);
    expect(alarms.filter((a) => a.Properties.MetricName === 'Errors')).toHaveLength(1);
    expect(alarms.filter((a) => a.Properties.MetricName === 'Throttles')).toHaveLength(2);
    plain.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it('graphs and alarms on the WAL a CDC source keeps (SourceBacklogBytes), 1 GiB for 15 minutes by default', () => {
    const alarm = Object.values(plain.findResources('AWS::CloudWatch::Alarm')).find((a) =>
      JSON.stringify(a).includes(`MAX(${METRICS.sourceBacklogBytes})`),
    );
    expect(alarm?.Properties).toMatchObject({ Threshold: 1024 ** 3, EvaluationPeriods: 3 });
    const body = JSON.stringify(Object.values(plain.findResources('AWS::CloudWatch::Dashboard')));
    expect(body).toMatch(new RegExp(`MetricName=\\W+${METRICS.sourceBacklogBytes}\\W`));
  });

  it('graphs sink lag from both paths: the runtime SinkLag metric and Lambda OffsetLag of the mappings', () => {
    const body = JSON.stringify(Object.values(plain.findResources('AWS::CloudWatch::Dashboard')));
    expect(body).toMatch(new RegExp(`MetricName=\\W+${METRICS.sinkLag}\\W`));
    expect(body).toMatch(/MetricName=\W+OffsetLag\W/);
  });
});

// ---- Least reach and authentication (docs/security.md) ----

/** A template value as one string, as cdk-nag prints resources: `arn:<AWS::Partition>:…`. */
function flat(value: unknown): string {
  if (typeof value === 'string') return value;
  const o = value as Record<string, unknown>;
  if (Array.isArray(o['Fn::Join'])) {
    const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
    return items.map(flat).join(delimiter);
  }
  if (o.Ref !== undefined) return `<${String(o.Ref)}>`;
  if (Array.isArray(o['Fn::GetAtt'])) return `<${(o['Fn::GetAtt'] as string[]).join('.')}>`;
  return JSON.stringify(value);
}

/** The resources a function's role allows `action` on (from any of its statements), each once. */
function resourcesOf(t: Template, fnId: string, action: string): string[] {
  const all = statements(t, fnId)
    .filter((s) => [s.Action].flat().includes(action))
    .flatMap((s) => [s.Resource].flat().map(flat));
  return [...new Set(all)];
}

/** Every action of a function's role. */
function actionsOf(t: Template, fnId: string): string[] {
  return statements(t, fnId).flatMap((s) => [s.Action].flat() as string[]);
}

/** The logical ids of the four functions of a freshly synthesised stack. */
function idsOf(stack: ReturnType<typeof synthStack>['stack']) {
  const id = (c: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(c.node.defaultChild as Parameters<typeof stack.getLogicalId>[0]);
  return {
    controlApi: id(stack.controlApi.function),
    taskRunner: id(stack.tasks.taskRunner),
    sink: id(stack.tasks.sink),
    dispatcher: id(stack.dispatcher.function),
  };
}

function variables(t: Template, fnId: string): Record<string, unknown> {
  return (functionProps(t, fnId).Environment as { Variables: Record<string, unknown> }).Variables;
}

/** The worker properties a function receives, parsed as the runtime parses them. */
function workerPropertiesOf(t: Template, fnId: string): Record<string, string> {
  const json = variables(t, fnId)[WORKER_PROPERTIES_ENV];
  expect(typeof json).toBe('string');
  return parseWorkerProperties(json as string);
}

const RESOLVERS = ['controlApi', 'taskRunner', 'sink'] as const;
const ARN = 'arn:<AWS::Partition>';
const HERE = '<AWS::Region>:<AWS::AccountId>';

describe('WorkerSettings', () => {
  it('hands the worker properties to the control API, task runner and sink as one parseable JSON variable', () => {
    for (const k of RESOLVERS)
      expect(workerPropertiesOf(plain, ids[k] ?? '')).toEqual({ [WORKER_KEYS.tasksMaxLimit]: '64' });
    // The dispatcher invokes the task configs already stored; it never reads tasks.max nor a provider.
    expect(variables(plain, ids.dispatcher ?? '')).not.toHaveProperty(WORKER_PROPERTIES_ENV);
  });

  it('writes tasksMaxLimit into the worker properties unless they set it, and refuses a disagreement', () => {
    const limited = synthStack({ tasksMaxLimit: '16' }).stack;
    expect(
      workerPropertiesOf(Template.fromStack(limited), idsOf(limited).taskRunner)[WORKER_KEYS.tasksMaxLimit],
    ).toBe('16');
    const declared = synthStack({ workerProperties: { [WORKER_KEYS.tasksMaxLimit]: '8' } }).stack;
    expect(
      workerPropertiesOf(Template.fromStack(declared), idsOf(declared).sink)[WORKER_KEYS.tasksMaxLimit],
    ).toBe('8');
    expect(() =>
      synthStack({ tasksMaxLimit: '16', workerProperties: { [WORKER_KEYS.tasksMaxLimit]: '8' } }),
    ).toThrow(/disagree/);
    expect(() => synthStack({ tasksMaxLimit: '0' })).toThrow(/tasks\.max\.limit/);
  });

  it('takes workerProperties as an object (cdk.json) or as JSON text (-c), and refuses anything else', () => {
    const fromText = synthStack({ workerProperties: JSON.stringify(PROVIDER_PROPERTIES) }).stack;
    const fromObject = synthStack({ workerProperties: PROVIDER_PROPERTIES }).stack;
    const text = workerPropertiesOf(Template.fromStack(fromText), idsOf(fromText).controlApi);
    expect(text).toEqual({ ...PROVIDER_PROPERTIES, [WORKER_KEYS.tasksMaxLimit]: '64' });
    expect(workerPropertiesOf(Template.fromStack(fromObject), idsOf(fromObject).controlApi)).toEqual(text);
    expect(() => synthStack({ workerProperties: 'config.providers=ssm' })).toThrow(/not JSON/);
    expect(() => synthStack({ workerProperties: '["ssm"]' })).toThrow(/JSON object/);
  });

  it('fails the synth on a provider class nobody implements, with the runtime message', () => {
    expect(() =>
      synthStack({
        workerProperties: {
          'config.providers': 'vault',
          'config.providers.vault.class': 'com.example.VaultConfigProvider',
        },
      }),
    ).toThrow(/Config provider class com\.example\.VaultConfigProvider \(provider vault\) is not available/);
  });

  it('registers FileStream on AWS only when enabled for allowed paths, and fails the synth otherwise', () => {
    expect(() => synthStack({ workerProperties: { [WORKER_KEYS.fileStreamEnabled]: 'true' } })).toThrow(
      `${WORKER_KEYS.fileStreamEnabled} needs ${WORKER_KEYS.fileStreamAllowedPaths} on AWS`,
    );
    const enabled = {
      [WORKER_KEYS.fileStreamEnabled]: 'true',
      [WORKER_KEYS.fileStreamAllowedPaths]: '/mnt/connect',
    };
    const { stack } = synthStack({ workerProperties: enabled });
    const props = workerPropertiesOf(Template.fromStack(stack), idsOf(stack).taskRunner);
    expect(pluginPolicy(props, true)).toMatchObject({
      fileStream: true,
      fileStreamAllowedPaths: ['/mnt/connect'],
    });
    // The default stack's functions get no FileStream.
    expect(pluginPolicy(workerPropertiesOf(plain, ids.taskRunner ?? ''), true).fileStream).toBe(false);
  });

  it('refuses an AWS provider with an empty allowlist, and a KMS key without an AWS provider', () => {
    expect(() =>
      synthStack({
        workerProperties: {
          'config.providers': 'ssm',
          'config.providers.ssm.class': 'com.amazonaws.kafka.config.providers.SsmParamStoreConfigProvider',
        },
      }),
    ).toThrow(/config\.providers\.ssm\.param\.allowed\.parameters/);
    expect(() => synthStack({ providerKeyArns: PROVIDER_KEY })).toThrow(/providerKeyArns/);
  });
});

describe('Config provider grants', () => {
  let t: Template;
  let fns: ReturnType<typeof idsOf>;
  beforeAll(() => {
    const { stack } = synthStack({
      workerProperties: JSON.stringify(PROVIDER_PROPERTIES),
      providerKeyArns: PROVIDER_KEY,
    });
    t = Template.fromStack(stack);
    fns = idsOf(stack);
  });

  it('grants no secret, parameter or key access at all when no provider is declared', () => {
    for (const [template, fnIds] of [
      [plain, ids],
      [msk, ids],
    ] as const)
      for (const k of [...RESOLVERS, 'dispatcher'] as const)
        expect(
          actionsOf(template, fnIds[k] ?? '').filter((a) => /^(secretsmanager|ssm|kms):/.test(a)),
        ).toEqual([]);
  });

  it('grants GetSecretValue and GetParameter(s) on exactly the declared names to the functions that resolve them', () => {
    const secrets = [
      `${ARN}:secretsmanager:${HERE}:secret:db-creds-??????`,
      SCRAM_SECRET,
      `${ARN}:secretsmanager:${HERE}:secret:team-a/*`,
    ];
    const parameters = [
      `${ARN}:ssm:${HERE}:parameter/connect/db/password`,
      `${ARN}:ssm:${HERE}:parameter/connect/app/*`,
    ];
    for (const k of RESOLVERS) {
      const id = fns[k];
      expect(resourcesOf(t, id, 'secretsmanager:GetSecretValue')).toEqual(secrets);
      expect(resourcesOf(t, id, 'ssm:GetParameter')).toEqual(parameters);
      expect(resourcesOf(t, id, 'ssm:GetParameters')).toEqual(parameters);
      const actions = actionsOf(t, id).filter((a) => /^(secretsmanager|ssm):/.test(a));
      expect(actions.sort()).toEqual([
        'secretsmanager:GetSecretValue',
        'ssm:GetParameter',
        'ssm:GetParameters',
      ]);
    }
    expect(actionsOf(t, fns.dispatcher).filter((a) => /^(secretsmanager|ssm|kms):/.test(a))).toEqual([]);
  });

  it('lets them decrypt with the named key only, and only through Secrets Manager or SSM', () => {
    for (const k of RESOLVERS) {
      const decrypt = statements(t, fns[k]).filter((s) => [s.Action].flat().includes('kms:Decrypt'));
      expect(decrypt).toHaveLength(1);
      expect(decrypt[0]?.Resource).toBe(PROVIDER_KEY);
      const condition = decrypt[0]?.Condition as { StringEquals: Record<string, unknown[]> } | undefined;
      const via = condition?.StringEquals['kms:ViaService'];
      expect(via?.map(flat)).toEqual([
        'secretsmanager.<AWS::Region>.<AWS::URLSuffix>',
        'ssm.<AWS::Region>.<AWS::URLSuffix>',
      ]);
    }
  });

  it("names a provider's secrets, and decrypts through it, in its own region when it declares one", () => {
    const { stack } = synthStack({
      workerProperties: {
        ...PROVIDER_PROPERTIES,
        'config.providers.secretsmanager.param.region': 'us-east-1',
      },
      providerKeyArns: PROVIDER_KEY,
    });
    const template = Template.fromStack(stack);
    const sink = idsOf(stack).sink;
    expect(resourcesOf(template, sink, 'secretsmanager:GetSecretValue')).toContain(
      `${ARN}:secretsmanager:us-east-1:<AWS::AccountId>:secret:db-creds-??????`,
    );
    const decrypt = statements(template, sink).find((s) => s.Action === 'kms:Decrypt');
    const via = (decrypt?.Condition as { StringEquals: Record<string, unknown[]> } | undefined)?.StringEquals[
      'kms:ViaService'
    ];
    expect(via?.map(flat)).toEqual([
      'secretsmanager.us-east-1.<AWS::URLSuffix>',
      'ssm.us-east-1.<AWS::URLSuffix>',
      'secretsmanager.<AWS::Region>.<AWS::URLSuffix>',
      'ssm.<AWS::Region>.<AWS::URLSuffix>',
    ]);
  });
});

describe('Reserved concurrency', () => {
  it('reserves 20 executions each for the task runner and the sink function by default', () => {
    expect(functionProps(plain, ids.taskRunner ?? '').ReservedConcurrentExecutions).toBe(20);
    expect(functionProps(plain, ids.sink ?? '').ReservedConcurrentExecutions).toBe(20);
  });

  it("reserves none with 'none' or 0, the given number otherwise, and refuses anything else", () => {
    const { stack } = synthStack({ taskReservedConcurrency: 'none', sinkReservedConcurrency: '0' });
    const t = Template.fromStack(stack);
    expect(functionProps(t, idsOf(stack).taskRunner)).not.toHaveProperty('ReservedConcurrentExecutions');
    expect(functionProps(t, idsOf(stack).sink)).not.toHaveProperty('ReservedConcurrentExecutions');
    const five = synthStack({ taskReservedConcurrency: '5' }).stack;
    expect(functionProps(Template.fromStack(five), idsOf(five).taskRunner).ReservedConcurrentExecutions).toBe(
      5,
    );
    expect(() => synthStack({ sinkReservedConcurrency: 'lots' })).toThrow(/sinkReservedConcurrency/);
  });
});

describe('The sink role', () => {
  const WRITES = [
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
  ];

  it('reads configs and offsets, writes task status, and writes neither configs nor offsets', () => {
    const all = statements(plain, ids.sink ?? '');
    const writes = all.filter((s) => [s.Action].flat().some((a) => WRITES.includes(a as string)));
    expect(writes.flatMap((s) => [s.Resource].flat())).toEqual([arnOf(ids.status ?? '')]);
    expect(resourcesOf(plain, ids.sink ?? '', 'dynamodb:GetItem')).toEqual(
      [ids.configs, ids.status, ids.offsets].map((id) => `<${id}.Arn>`),
    );
    expect(
      actionsOf(plain, ids.sink ?? '').filter((a) => a.startsWith('dynamodb:') && a.includes('*')),
    ).toEqual([]);
  });
});

describe('MSK IAM groups and topics', () => {
  const under = (kind: string, rest: string) =>
    `${ARN}:kafka:eu-west-1:123456789012:${kind}/demo/0b5c1a6e-1111-2222-3333-444455556666-7/${rest}`;

  it('reaches only connect-* consumer groups by default, from every role that joins or alters groups', () => {
    for (const k of RESOLVERS) {
      expect(resourcesOf(msk, ids[k] ?? '', 'kafka-cluster:DescribeGroup')).toEqual([
        under('group', 'connect-*'),
      ]);
      expect(resourcesOf(msk, ids[k] ?? '', 'kafka-cluster:AlterGroup')).toEqual([
        under('group', 'connect-*'),
      ]);
    }
    expect(resourcesOf(msk, ids.controlApi ?? '', 'kafka-cluster:DeleteGroup')).toEqual([
      under('group', 'connect-*'),
    ]);
  });

  it('adds the consumer.group.id.allowed.prefixes, and narrows topics to topicPrefixes when given', () => {
    const { stack } = synthStack({
      ...MSK_CONTEXT,
      workerProperties: { [WORKER_KEYS.groupIdPrefixes]: 'team-a.' },
      topicPrefixes: 'orders.,dlq-',
    });
    const t = Template.fromStack(stack);
    const fnIds = idsOf(stack);
    for (const k of RESOLVERS) {
      expect(resourcesOf(t, fnIds[k], 'kafka-cluster:DescribeGroup')).toEqual([
        under('group', 'connect-*'),
        under('group', 'team-a.*'),
      ]);
      expect(resourcesOf(t, fnIds[k], 'kafka-cluster:DescribeTopic')).toEqual([
        under('topic', 'orders.*'),
        under('topic', 'dlq-*'),
      ]);
    }
    expect(resourcesOf(t, fnIds.taskRunner, 'kafka-cluster:WriteData')).toEqual([
      under('topic', 'orders.*'),
      under('topic', 'dlq-*'),
    ]);
  });

  it('keeps every topic by default, and cluster-level actions on the cluster only', () => {
    expect(resourcesOf(msk, ids.taskRunner ?? '', 'kafka-cluster:ReadData')).toEqual([under('topic', '*')]);
    expect(resourcesOf(msk, ids.taskRunner ?? '', 'kafka-cluster:WriteDataIdempotently')).toEqual([MSK_ARN]);
    expect(resourcesOf(msk, ids.sink ?? '', 'kafka-cluster:Connect')).toEqual([MSK_ARN]);
  });
});

describe('ApiFirewall', () => {
  const acl = (t: Template) =>
    Object.values(t.findResources('AWS::WAFv2::WebACL'))[0]?.Properties as Record<string, unknown>;

  it('rate-limits each IP address to 300 requests per 5 minutes, in front of the authorizer too', () => {
    for (const t of [plain, msk])
      expect(acl(t).Rules).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Action: { Block: {} },
            Statement: {
              RateBasedStatement: { AggregateKeyType: 'IP', Limit: 300, EvaluationWindowSec: 300 },
            },
          }),
        ]),
      );
    msk.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    const tighter = Template.fromStack(synthStack({ apiRateLimit: '100' }).stack);
    expect(JSON.stringify(acl(tighter).Rules)).toContain('"Limit":100');
    expect(() => synthStack({ apiRateLimit: '5' })).toThrow(/rateLimit/);
  });

  it('samples no request, since sampled requests would show the Authorization header', () => {
    for (const t of [plain, msk]) {
      const { VisibilityConfig, Rules } = acl(t) as {
        VisibilityConfig: { SampledRequestsEnabled: boolean };
        Rules: Array<{ VisibilityConfig: { SampledRequestsEnabled: boolean } }>;
      };
      expect(VisibilityConfig.SampledRequestsEnabled).toBe(false);
      expect(Rules.length).toBeGreaterThan(0);
      for (const rule of Rules) expect(rule.VisibilityConfig.SampledRequestsEnabled).toBe(false);
    }
  });

  it('logs blocked requests only when asked, with the credential headers redacted', () => {
    plain.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 0);
    const logged = Template.fromStack(synthStack({ wafLogging: 'true' }).stack);
    const config = Object.values(logged.findResources('AWS::WAFv2::LoggingConfiguration'))[0]?.Properties;
    expect(config?.RedactedFields).toEqual([
      { SingleHeader: { Name: 'authorization' } },
      { SingleHeader: { Name: 'x-amz-security-token' } },
    ]);
    expect(config?.LoggingFilter).toMatchObject({ DefaultBehavior: 'DROP' });
    logged.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.stringLikeRegexp('^aws-waf-logs-'),
    });
  });

  it('keeps request headers out of the access and execution logs', () => {
    const stage = Object.values(msk.findResources('AWS::ApiGateway::Stage'))[0]?.Properties as {
      AccessLogSetting: { Format: string };
      MethodSettings: Array<Record<string, unknown>>;
    };
    expect(stage.AccessLogSetting.Format).not.toMatch(/authorization|header|\$input/i);
    expect(stage.AccessLogSetting.Format).toContain('$context.requestId');
    expect(stage.MethodSettings).toEqual([expect.objectContaining({ DataTraceEnabled: false })]);
  });
});

describe('HTTP Basic authorizer', () => {
  function basicAuth(t: Template): { ttl: unknown; secretTtl: unknown } {
    const authorizer = Object.values(t.findResources('AWS::ApiGateway::Authorizer'))[0]?.Properties;
    const fn = Object.values(t.findResources('AWS::Lambda::Function')).find(
      (f) => f.Properties.Environment?.Variables?.[AUTH_ENV.basicAuthSecretArn] !== undefined,
    );
    return {
      ttl: authorizer?.AuthorizerResultTtlInSeconds,
      secretTtl: fn?.Properties.Environment.Variables[AUTH_ENV.basicAuthSecretTtlSeconds],
    };
  }

  it('caches the decision no longer than the secret: 5 minutes each by default, or as configured', () => {
    expect(basicAuth(msk)).toEqual({ ttl: 300, secretTtl: '300' });
    const quick = Template.fromStack(synthStack({ ...MSK_CONTEXT, basicAuthCacheSeconds: '60' }).stack);
    expect(basicAuth(quick)).toEqual({ ttl: 60, secretTtl: '60' });
  });

  it('refuses an authorizer cache longer than the secret cache', () => {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Auth');
    const parts = {
      tables: new StateTables(stack, 'State'),
      kafka: new KafkaConnectivity(stack, 'Kafka', { bootstrapServers: ['b-1.kafka:9092'] }),
      worker: new WorkerSettings(stack, 'Worker'),
    };
    expect(
      () =>
        new ControlApi(stack, 'Api', {
          ...parts,
          basicAuthSecretArn: BASIC_SECRET,
          basicAuthSecretTtl: Duration.minutes(1),
          basicAuthResultsCacheTtl: Duration.minutes(5),
        }),
    ).toThrow(/must not exceed basicAuthSecretTtl/);
  });
});

describe('s3SinkBuckets', () => {
  const BUCKETS = 'lake,archive';
  const s3Statements = (t: Template, fnId: string) =>
    statements(t, fnId).filter((s) => JSON.stringify(s.Action).includes('s3:'));

  it('lets the task runner and the sink function write objects into the named buckets, and nothing else of S3', () => {
    // Prepare
    const { stack } = synthStack({ s3SinkBuckets: BUCKETS });
    const t = Template.fromStack(stack);
    const id = (fn: { node: { defaultChild?: unknown } }) =>
      stack.getLogicalId(fn.node.defaultChild as Parameters<typeof stack.getLogicalId>[0]);
    const objects = (bucket: string) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${bucket}/*`]],
    });
    const bucketArn = (bucket: string) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${bucket}`]],
    });
    // Assess
    for (const fn of [stack.tasks.taskRunner, stack.tasks.sink]) {
      const granted = s3Statements(t, id(fn));
      expect(granted).toEqual(
        expect.arrayContaining(
          ['lake', 'archive'].flatMap((b) => [
            { Action: ['s3:PutObject', 's3:AbortMultipartUpload'], Effect: 'Allow', Resource: objects(b) },
            { Action: 's3:ListBucket', Effect: 'Allow', Resource: bucketArn(b) },
          ]),
        ),
      );
      expect(granted).toHaveLength(4);
    }
    for (const fn of [stack.dispatcher.function, stack.controlApi.function])
      expect(s3Statements(t, id(fn))).toEqual([]);
  });

  it('grants no S3 access without s3SinkBuckets, and leaves cdk-nag nothing unacknowledged with them', () => {
    expect(s3Statements(plain, ids.sink as string)).toEqual([]);
    expect(s3Statements(plain, ids.taskRunner as string)).toEqual([]);
    const { app } = synthStack({ s3SinkBuckets: BUCKETS });
    expect(() => app.synth()).not.toThrow();
  });
});
