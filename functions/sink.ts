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
 * connector the mapping belongs to: decode → sink pipeline. When any record could not be written (the
 * task failed, no running connector owns the alias, a mapping being replaced), the invocation fails, so
 * the mapping delivers the whole batch again and commits nothing. A task FAILED for good is not run
 * again (its batches fail until a restart; the dispatcher disables its mapping). Lambda honours a partial batch
 * response only in provisioned mode, which our mappings do not use, and otherwise commits a batch that
 * returned one as if it were written (docs/simulator/kafka-pollers.md).
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
  const { retry, connector, failed, stillFailed } = await router.run(records, deadline, alias);
  if (!connector) logger.error('no sink connector owns this alias', { alias: alias ?? null });
  if (connector && failed) emitTaskFailure(connector);
  if (stillFailed)
    logger.warn('task FAILED: batch not written until the connector is restarted', { connector });
  logger.info('sink batch', { connector, records: records.length, retry: retry.length });
  if (retry.length > 0) throw new SinkBatchNotWritten(connector, alias, retry);
  return { batchItemFailures: [] };
});

/** The batch must come again: its first unwritten record per partition (by `esmItemIdentifier`). */
export class SinkBatchNotWritten extends Error {
  override name = 'SinkBatchNotWritten';
  readonly retry: { partition: string; offset: number }[];

  constructor(
    connector: string | undefined,
    alias: string | undefined,
    retry: { topic: string; partition: number; offset: number }[],
  ) {
    const from = retry.map(esmItemIdentifier);
    super(
      `${connector ? `sink connector ${connector}` : `no running sink connector owns alias ${alias ?? '(none)'}`}: ` +
        `not written from ${from.map((r) => `${r.partition}@${r.offset}`).join(', ')}; the mapping delivers the batch again`,
    );
    this.retry = from;
  }
}
