import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONNECT_ROUTES, CONNECTOR_TAG } from '../../cdk/control-api.js';
import { METRICS } from '../../lib/config/metric-names.js';
import { CONNECTOR_TAG as RUNTIME_CONNECTOR_TAG } from '../../lib/control/aws-sink-mappings.js';
import { CONTROL_ENV, ENV } from '../../lib/env.js';
import { TABLES } from '../../lib/store/tables.js';
import { MSK_ARN, MSK_CONTEXT, synthStack } from './synth.js';

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
      Rules: [
        Match.objectLike({ Statement: { SizeConstraintStatement: Match.objectLike({ Size: 65536 }) } }),
      ],
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

  it('graphs sink lag from both paths: the runtime SinkLag metric and Lambda OffsetLag of the mappings', () => {
    const body = JSON.stringify(Object.values(plain.findResources('AWS::CloudWatch::Dashboard')));
    expect(body).toMatch(new RegExp(`MetricName=\\W+${METRICS.sinkLag}\\W`));
    expect(body).toMatch(/MetricName=\W+OffsetLag\W/);
  });
});
