import { Logger } from '@aws-lambda-powertools/logger';
import { LambdaClient } from '@aws-sdk/client-lambda';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { TaskRequest } from '../lib/runtime/dispatcher.js';
import { TaskRunner } from '../lib/runtime/task-runner.js';
import { lambdaInvoker } from './lambda-invoker.js';
import { emitTaskFailure } from './metrics.js';
import { runtimeFromEnv } from './runtime.js';

const logger = new Logger({ serviceName: 'task-runner' });
let runner: TaskRunner | undefined;

/**
 * One task invocation: leased bounded batches until the source is dry or the time budget (the Lambda's
 * remaining time) is spent. When the last batch was full, the runner invokes itself again at once, so
 * throughput is not bound by the schedule.
 */
export const handler = middy(async (request: TaskRequest, context: Context) => {
  logger.appendKeys({ connector: request.connector, task: request.task });
  runner ??= new TaskRunner(await runtimeFromEnv(logger));
  const result = await runner.run(request, Date.now() + context.getRemainingTimeInMillis());
  if (result.outcome === 'failed') emitTaskFailure(request.connector);
  if (result.more)
    await lambdaInvoker(new LambdaClient({}), context.functionName).invoke({ ...request, shown: 'RUNNING' });
  logger.info('task run', { ...result });
  return result;
});
