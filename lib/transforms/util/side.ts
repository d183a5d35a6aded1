import type { ConnectRecord, Schema } from '../../api/index.js';

/**
 * Which half of a record a `$Key` / `$Value` SMT works on: the one place that reads and replaces it
 * (Kafka's `operatingSchema` / `operatingValue` / `newRecord` trio).
 */
export interface RecordSide {
  readonly name: 'key' | 'value';
  schema(record: ConnectRecord): Schema | null;
  value(record: ConnectRecord): unknown;
  /** A copy of `record` with this side replaced; the other side, topic, timestamp and headers kept. */
  update<R extends ConnectRecord>(record: R, schema: Schema | null, value: unknown): R;
}

export const KEY: RecordSide = {
  name: 'key',
  schema: (record) => record.keySchema,
  value: (record) => record.key,
  update: (record, schema, value) => record.with({ keySchema: schema, key: value }),
};

export const VALUE: RecordSide = {
  name: 'value',
  schema: (record) => record.valueSchema,
  value: (record) => record.value,
  update: (record, schema, value) => record.with({ valueSchema: schema, value }),
};
