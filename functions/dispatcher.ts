import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { LambdaClient } from '@aws-sdk/client-lambda';
import middy from '@middy/core';
import { METRICS } from '../lib/config/metric-names.js';
import { ENV } from '../lib/env.js';
import { dispatchTick } from '../lib/runtime/dispatcher.js';
import { createDynamoClient, dynamoStateStore, tableNamesFromEnv } from '../lib/store/index.js';
import { lambdaInvoker } from './lambda-invoker.js';
import { metrics } from './metrics.js';

const logger = new Logger({ serviceName: 'dispatcher' });
// Built once per container: a warm dispatcher pays for no client setup.
const store = dynamoStateStore({
  client: createDynamoClient({ endpoint: process.env[ENV.dynamodbEndpoint] }),
  tables: tableNamesFromEnv(),
});
const invoker = lambdaInvoker(new LambdaClient({}), process.env[ENV.taskFunction] ?? '');

/** EventBridge schedule → one tick: invoke a task runner for every task that should run and is free. */
export const handler = middy(async () => {
  const tick = await dispatchTick({
    store,
    invoker,
    workerId: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'dispatcher',
    eventSourceMappings: Boolean(process.env[ENV.sinkFunction]),
  });
  metrics.addMetric(METRICS.dispatchedTasks, MetricUnit.Count, tick.invoked.length);
  metrics.addMetric(METRICS.dispatcherRequests, MetricUnit.Count, tick.requests);
  metrics.publishStoredMetrics();
  logger.info('tick', {
    connectors: tick.connectors,
    invoked: tick.invoked.length,
    dynamoRequests: tick.requests,
  });
  return { invoked: tick.invoked.length };
});
