import { type Schema, SchemaBuilder, Schemas, type SinkRecord, Struct, Values } from '../../api/index.js';

/**
 * What one file of a record stores: its value, its key or its headers (Confluent's `RecordViews`,
 * https://github.com/confluentinc/kafka-connect-storage-cloud/blob/v12.1.9/kafka-connect-s3/src/main/java/io/confluent/connect/s3/format/RecordViews.java).
 * `enveloped` wraps a key or the headers in a struct, for the formats that need a struct (Parquet) or,
 * for headers, an object (JSON).
 */
export interface RecordView {
  /** Inserted before the file's extension: `.keys`, `.headers`, or nothing for values. */
  readonly extension: string;
  schema(record: SinkRecord, enveloped: boolean): Schema | null;
  value(record: SinkRecord, enveloped: boolean): unknown;
}

export const VALUE_VIEW: RecordView = {
  extension: '',
  schema: (record) => record.valueSchema,
  value: (record) => record.value,
};

const keyEnvelopes = new WeakMap<Schema, Schema>();

export const KEY_VIEW: RecordView = {
  extension: '.keys',
  schema(record, enveloped) {
    const keySchema = record.keySchema;
    if (!enveloped || !keySchema) return enveloped ? keyEnvelope(Schemas.OPTIONAL_STRING) : keySchema;
    return keyEnvelope(keySchema);
  },
  value(record, enveloped) {
    if (!enveloped) return record.key;
    return new Struct(KEY_VIEW.schema(record, true) as Schema).put('key', record.key);
  },
};

function keyEnvelope(keySchema: Schema): Schema {
  let schema = keyEnvelopes.get(keySchema);
  if (!schema) {
    schema = SchemaBuilder.struct().name('RecordKey').field('key', keySchema).build();
    keyEnvelopes.set(keySchema, schema);
  }
  return schema;
}

const SINGLE_HEADER = SchemaBuilder.struct()
  .field('key', Schemas.STRING)
  .field('value', Schemas.STRING)
  .build();
const HEADERS = SchemaBuilder.array(SINGLE_HEADER).build();
const HEADERS_ENVELOPE = SchemaBuilder.struct().name('RecordHeaders').field('headers', HEADERS).build();

export const HEADER_VIEW: RecordView = {
  extension: '.headers',
  schema: (_record, enveloped) => (enveloped ? HEADERS_ENVELOPE : HEADERS),
  value(record, enveloped) {
    const headers = [...record.headers].map((h) =>
      new Struct(SINGLE_HEADER).put('key', h.key).put('value', Values.convertToString(h.schema, h.value)),
    );
    return enveloped ? new Struct(HEADERS_ENVELOPE).put('headers', headers) : headers;
  },
};
