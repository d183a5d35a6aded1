import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { aliasOf } from '../lib/config/sink-routing.js';
import {
  decodeEsmEvent,
  esmItemIdentifier,
  isKafkaEsmEvent,
  type KafkaEsmEvent,
} from '../lib/kafka/esm-event.js';
import { EventBatchRouter } from '../lib/runtime/event-batch.js';
import { TaskRunner } from '../lib/runtime/task-runner.js';
import { emitTaskFailure } from './metrics.js';
import { runtimeFromEnv } from './runtime.js';

const logger = new Logger({ serviceName: 'sink' });
let router: EventBatchRouter | undefined;

/**
 * The Kafka event source mapping's target (MSK or self-managed), invoked through the alias of the sink
 * connector the mapping belongs to: decode → sink pipeline → partial batch response. Records of a batch
 * that could not be written are reported back so the mapping retries from there; everything else it
 * commits in the connector's consumer group.
 */
export const handler = middy(async (event: KafkaEsmEvent, context: Context) => {
  if (!isKafkaEsmEvent(event)) throw new Error('not a Kafka event source mapping event');
  if (!router) {
    const runtime = await runtimeFromEnv(logger);
    router = new EventBatchRouter(new TaskRunner(runtime), runtime.store);
  }
  const records = decodeEsmEvent(event);
  // Each sink connector's mapping invokes its own alias of this function (sink-routing.ts).
  const alias = aliasOf(context.invokedFunctionArn);
  const deadline = Date.now() + context.getRemainingTimeInMillis();
  const { retry, connector, failed } = await router.run(records, deadline, alias);
  if (!connector) logger.error('no sink connector owns this alias', { alias: alias ?? null });
  if (connector && failed) emitTaskFailure(connector);
  logger.info('sink batch', { connector, records: records.length, retry: retry.length });
  return { batchItemFailures: retry.map((r) => ({ itemIdentifier: esmItemIdentifier(r) })) };
});
