import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import {
  decodeEsmEvent,
  esmItemIdentifier,
  isKafkaEsmEvent,
  type KafkaEsmEvent,
} from '../lib/kafka/esm-event.js';
import { EventBatchRouter } from '../lib/runtime/event-batch.js';
import { TaskRunner } from '../lib/runtime/task-runner.js';
import { runtimeFromEnv } from './runtime.js';

const logger = new Logger({ serviceName: 'sink' });
let router: EventBatchRouter | undefined;

/**
 * The Kafka event source mapping's target (MSK or self-managed): decode → sink pipeline → partial batch
 * response. Records of a batch that could not be written are reported back so the mapping retries from
 * there; everything else it commits in the connector's `connect-<name>` group.
 */
export const handler = middy(async (event: KafkaEsmEvent, context: Context) => {
  if (!isKafkaEsmEvent(event)) throw new Error('not a Kafka event source mapping event');
  if (!router) {
    const runtime = await runtimeFromEnv(logger);
    router = new EventBatchRouter(new TaskRunner(runtime), runtime.store);
  }
  const records = decodeEsmEvent(event);
  const { retry } = await router.run(records, Date.now() + context.getRemainingTimeInMillis());
  logger.info('sink batch', { records: records.length, retry: retry.length });
  return { batchItemFailures: retry.map((r) => ({ itemIdentifier: esmItemIdentifier(r) })) };
});
