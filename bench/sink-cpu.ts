/**
 * The sink pipeline alone, without Kafka: converters → SMTs (none) → FileStreamSink.put to /dev/null →
 * preCommit, over in-memory records of 100 B. Tells how much of the sink's cost is our own per-record work
 * (compare with `npm run bench`). Prints records/s and µs per record.
 *
 *   sh scripts/node.sh tsx bench/sink-cpu.ts
 */
import { FileStreamSinkTask } from '../lib/connectors/file/file-stream-sink.js';
import type { ConsumedRecord } from '../lib/kafka/types.js';
import { plugins } from '../lib/plugins.js';
import { ErrorHandler, errorSettings } from '../lib/runtime/pipeline/error-handling.js';
import { RecordConverters } from '../lib/runtime/pipeline/record-converters.js';
import { TransformationChain } from '../lib/runtime/pipeline/transformation-chain.js';
import { runSinkBatch } from '../lib/runtime/sink-batch.js';
import { workerConfigFromEnv } from '../lib/runtime/worker-config.js';

const config = {
  'connector.class': 'FileStreamSink',
  file: '/dev/null',
  topics: 't',
  'key.converter': 'StringConverter',
  'value.converter': 'StringConverter',
};
const registry = plugins();
const task = new FileStreamSinkTask();
await task.start(config);
const deps = {
  connectorName: 'bench',
  taskId: 0,
  task,
  taskClass: 'FileStreamSinkTask',
  chain: new TransformationChain(config, registry),
  converters: new RecordConverters(config, workerConfigFromEnv({}), registry),
  errors: new ErrorHandler(errorSettings(config), () => {}),
  retryBackoffMs: () => 1_000,
};
const batch: ConsumedRecord[] = Array.from({ length: 10_000 }, (_, offset) => ({
  topic: 't',
  partition: 0,
  offset,
  key: null,
  value: Buffer.from('x'.repeat(100)),
  headers: [],
  timestamp: Date.now(),
  timestampType: 'CreateTime',
}));
for (let i = 0; i < 20; i++) await runSinkBatch(deps, batch, Date.now() + 60_000); // warm up the JIT
const rounds = 50;
const started = performance.now();
for (let i = 0; i < rounds; i++) await runSinkBatch(deps, batch, Date.now() + 60_000);
const ms = performance.now() - started;
const n = rounds * batch.length;
console.log(
  `sink pipeline without Kafka: ${Math.round(n / (ms / 1000)).toLocaleString('en-US')} records/s, ${((ms * 1000) / n).toFixed(2)} µs per record`,
);
await task.stop();
