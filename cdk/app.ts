import { pathToFileURL } from 'node:url';
import { App, Duration, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseWorkerProperties } from '../lib/config/worker-properties.js';
import type { KafkaAuth } from './kafka-connectivity.js';
import { ServerlessConnectStack, type ServerlessConnectStackProps } from './serverless-connect-stack.js';
import type { Reservation } from './task-functions.js';

/**
 * Context `workerProperties`: an object in cdk.json, or its JSON text (`-c workerProperties='{…}'`).
 * Values must be strings (numbers and booleans are taken as their text).
 */
export function workerPropertiesFromContext(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new Error(
        'Context workerProperties is not JSON: pass an object such as {"config.providers":"ssm"}',
      );
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Error('Context workerProperties must be a JSON object of strings');
  return { ...parseWorkerProperties(JSON.stringify(parsed)) };
}

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
  const reservation = (key: string): Reservation | undefined => {
    const v = get(key);
    return v === undefined ? undefined : v.trim().toLowerCase() === 'none' ? 'none' : Number(v);
  };
  const rate = num('dispatchRateMinutes');
  const authCache = num('basicAuthCacheSeconds');
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
    basicAuthCacheTtl: authCache === undefined ? undefined : Duration.seconds(authCache),
    apiRateLimit: num('apiRateLimit'),
    wafLogging: get('wafLogging') === 'true',
    dispatchRate: rate === undefined ? undefined : Duration.minutes(rate),
    taskReservedConcurrency: reservation('taskReservedConcurrency'),
    taskIdleMs: num('taskIdleMs'),
    sinkReservedConcurrency: reservation('sinkReservedConcurrency'),
    workerProperties: workerPropertiesFromContext(app.node.tryGetContext('workerProperties')),
    tasksMaxLimit: num('tasksMaxLimit'),
    providerKeyArns: list('providerKeyArns'),
    topicPrefixes: list('topicPrefixes'),
    deletionProtection: get('deletionProtection') !== 'false',
    alarmTopicArn: get('alarmTopicArn'),
    lagThreshold: num('lagThreshold'),
    backlogBytesThreshold: num('backlogBytesThreshold'),
    gitCommit: get('gitCommit'),
    searchDomainArns: list('searchDomainArns'),
    s3SinkBuckets: list('s3SinkBuckets'),
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
