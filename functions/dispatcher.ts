import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { LambdaClient } from '@aws-sdk/client-lambda';
import middy from '@middy/core';
import { METRICS } from '../lib/config/metric-names.js';
import { awsSinkMappingsFromEnv } from '../lib/control/aws-sink-mappings-env.js';
import { beginSinkReconcile } from '../lib/control/sink-reconcile.js';
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
const lambda = new LambdaClient({});
const invoker = lambdaInvoker(lambda, process.env[ENV.taskFunction] ?? '');
// On AWS (a sink function is deployed) the tick also reconciles the sinks' event source mappings.
const mappings = awsSinkMappingsFromEnv(process.env, lambda);

/**
 * EventBridge schedule → one tick: invoke a task runner for every task that should run and is free, and
 * reconcile the event source mappings with the configs (docs/runtime.md): mappings listed first, then the
 * configs scanned, then the mappings fixed, so a mapping made by a create in flight is never taken for an
 * orphan. A reconcile that fails is logged and tried again next tick; it never holds the tasks back.
 * A run the control API starts after a change names that connector: only its tasks are invoked, while
 * the configs are still all read, so the reconciler sees the whole deployment.
 */
export const handler = middy(async (event: unknown) => {
  // The control API names the connector it just changed; the schedule's event names none.
  const only = (event as { connector?: unknown } | null)?.connector;
  const reconcile = mappings
    ? await beginSinkReconcile(mappings).catch((error: unknown) => {
        logger.error('mapping reconcile: list failed', { error: String(error) });
        return undefined;
      })
    : undefined;
  const tick = await dispatchTick({
    store,
    invoker,
    workerId: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'dispatcher',
    eventSourceMappings: Boolean(mappings),
    ...(typeof only === 'string' ? { only } : {}),
  });
  const report = await reconcile?.finish(tick.records, new Set(tick.failed));
  if (report && (report.errors.length > 0 || report.calls > (reconcile?.snapshot.calls ?? 0))) {
    logger[report.errors.length > 0 ? 'warn' : 'info']('mapping reconcile', { ...report });
  }
  metrics.addMetric(METRICS.dispatchedTasks, MetricUnit.Count, tick.invoked.length);
  metrics.addMetric(METRICS.dispatcherRequests, MetricUnit.Count, tick.requests);
  metrics.publishStoredMetrics();
  logger.info('tick', {
    connectors: tick.connectors,
    invoked: tick.invoked.length,
    dynamoRequests: tick.requests,
    lambdaRequests: report?.calls ?? 0,
  });
  return {
    invoked: tick.invoked.length,
    dynamoRequests: tick.requests,
    lambdaRequests: report?.calls ?? 0,
    ...(report
      ? {
          reconciled: {
            created: report.created,
            deleted: report.deleted,
            aliasesDeleted: report.aliasesDeleted,
            updated: report.updated,
            errors: report.errors,
          },
        }
      : {}),
  };
});
