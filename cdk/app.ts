import { pathToFileURL } from 'node:url';
import { App, Duration, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { KafkaAuth } from './kafka-connectivity.js';
import { ServerlessConnectStack, type ServerlessConnectStackProps } from './serverless-connect-stack.js';

/** Context (`cdk deploy -c key=value`, or cdk.json) → stack props. Lists are comma-separated. */
export function propsFromContext(app: App): ServerlessConnectStackProps {
  const get = (key: string): string | undefined => {
    const v: unknown = app.node.tryGetContext(key);
    return v === undefined || v === null || v === '' ? undefined : String(v);
  };
  const list = (key: string) =>
    get(key)
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const num = (key: string) => {
    const v = get(key);
    return v === undefined ? undefined : Number(v);
  };
  const rate = num('dispatchRateMinutes');
  return {
    bootstrapServers: list('bootstrapServers'),
    mskClusterArn: get('mskClusterArn'),
    kafkaAuth: get('kafkaAuth') as KafkaAuth | undefined,
    kafkaSecretArn: get('kafkaSecretArn'),
    kafkaTls: get('kafkaTls') === 'true',
    vpcId: get('vpcId'),
    subnetIds: list('subnetIds'),
    securityGroupIds: list('securityGroupIds'),
    sinkMappings: get('sinkMappings') !== 'false',
    basicAuthSecretArn: get('basicAuthSecretArn'),
    dispatchRate: rate === undefined ? undefined : Duration.minutes(rate),
    taskReservedConcurrency: num('taskReservedConcurrency'),
    sinkReservedConcurrency: num('sinkReservedConcurrency'),
    providerSecretArns: list('providerSecretArns'),
    providerParameterArns: list('providerParameterArns'),
    deletionProtection: get('deletionProtection') !== 'false',
    alarmTopicArn: get('alarmTopicArn'),
    lagThreshold: num('lagThreshold'),
    gitCommit: get('gitCommit'),
  };
}

/** The app: one stack, named by context `stackName` (default `ServerlessConnect`), checked by cdk-nag. */
export function buildApp(app: App = new App()): ServerlessConnectStack {
  const name: unknown = app.node.tryGetContext('stackName');
  const stack = new ServerlessConnectStack(
    app,
    typeof name === 'string' && name ? name : 'ServerlessConnect',
    {
      ...propsFromContext(app),
      description: 'Serverless Connect: Apache Kafka Connect on Lambda, DynamoDB and API Gateway',
    },
  );
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return stack;
}

// `cdk synth` runs this file; tests import buildApp instead.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) buildApp();
