import { type ConnectRecordProps, SinkRecord, SourceRecord } from '../../../lib/api/index.js';

/** A source record on topic `test` with the given fields. */
export function sourceRecord(props: Partial<ConnectRecordProps> = {}): SourceRecord {
  return new SourceRecord({
    sourcePartition: null,
    sourceOffset: null,
    topic: 'test',
    kafkaPartition: 0,
    ...props,
  });
}

/** A sink record on topic `test`, partition 0, offset 42. */
export function sinkRecord(props: Partial<ConnectRecordProps> = {}): SinkRecord {
  return new SinkRecord({
    topic: 'test',
    kafkaOffset: 42,
    ...props,
    kafkaPartition: props.kafkaPartition ?? 0,
  });
}
