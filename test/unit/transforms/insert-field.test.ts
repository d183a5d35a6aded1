import { describe, expect, it } from 'vitest';
import { ConfigError, ConnectTimestamp, SchemaBuilder, Schemas, Struct } from '../../../lib/api/index.js';
import { InsertFieldKey, InsertFieldValue } from '../../../lib/transforms/insert-field.js';
import { sinkRecord, sourceRecord } from './records.js';

const ALL = {
  'topic.field': 'topic_field!',
  'partition.field': 'partition_field',
  'offset.field': 'offset_field!',
  'timestamp.field': 'timestamp_field?',
  'static.field': 'instance_id',
  'static.value': 'my-instance-id',
};

function insertValue(configs: Record<string, unknown>): InsertFieldValue {
  const xform = new InsertFieldValue();
  xform.configure(configs);
  return xform;
}

describe('InsertField', () => {
  it('inserts every field into a Struct with schemas and optionality from the suffixes', () => {
    // Prepare (Kafka's copySchemaAndInsertConfiguredFields)
    const schema = SchemaBuilder.struct()
      .name('name')
      .version(1)
      .doc('doc')
      .field('magic', Schemas.OPTIONAL_INT64)
      .build();
    const value = new Struct(schema).put('magic', 42);
    // Act
    const result = insertValue(ALL).apply(sinkRecord({ valueSchema: schema, value, timestamp: 1234 }));
    // Assess
    const s = result.valueSchema;
    expect([s?.name, s?.version, s?.doc]).toEqual(['name', 1, 'doc']);
    expect(s?.field('topic_field')?.schema).toBe(Schemas.STRING);
    expect(s?.field('partition_field')?.schema).toBe(Schemas.OPTIONAL_INT32);
    expect(s?.field('offset_field')?.schema).toBe(Schemas.INT64);
    expect(s?.field('timestamp_field')?.schema.name).toBe(ConnectTimestamp.LOGICAL_NAME);
    expect(s?.field('timestamp_field')?.schema.optional).toBe(true);
    expect(s?.field('instance_id')?.schema).toBe(Schemas.OPTIONAL_STRING);
    const struct = result.value as Struct;
    expect(struct.get('magic')).toBe(42);
    expect(struct.get('topic_field')).toBe('test');
    expect(struct.get('partition_field')).toBe(0);
    expect(struct.get('offset_field')).toBe(42);
    expect(struct.get('timestamp_field')).toEqual(new Date(1234));
    expect(struct.get('instance_id')).toBe('my-instance-id');
  });

  it('inserts raw values into a schemaless map', () => {
    const result = insertValue(ALL).apply(sinkRecord({ value: { magic: 42 }, timestamp: 1234 }));
    expect(result.value).toEqual({
      magic: 42,
      topic_field: 'test',
      partition_field: 0,
      offset_field: 42,
      timestamp_field: 1234,
      instance_id: 'my-instance-id',
    });
  });

  it('passes null values through', () => {
    const record = sinkRecord({ value: null });
    expect(insertValue(ALL).apply(record)).toBe(record);
  });

  it('requires a sink record for the offset field', () => {
    expect(() => insertValue({ 'offset.field': 'o' }).apply(sourceRecord({ value: {} }))).toThrow(
      'Only SinkRecord supported for [field insertion], found: org.apache.kafka.connect.source.SourceRecord',
    );
  });

  it('skips the timestamp and partition when the record has none', () => {
    const result = insertValue({ 'timestamp.field': 't', 'partition.field': 'p' }).apply(
      sourceRecord({ value: {}, kafkaPartition: null }),
    );
    expect(result.value).toEqual({});
  });

  it.each([
    [true, 7],
    [false, null],
  ])('with replace.null.with.default=%s copies a null field with a default as %j', (replace, expected) => {
    const schema = SchemaBuilder.struct()
      .field('f', SchemaBuilder.int32().optional().defaultValue(7))
      .build();
    const result = insertValue({ 'topic.field': 't', 'replace.null.with.default': replace }).apply(
      sourceRecord({ valueSchema: schema, value: new Struct(schema) }),
    );
    expect((result.value as Struct).getWithoutDefault('f')).toBe(expected);
  });

  it('rejects a config with nothing to insert or a static field without value', () => {
    expect(() => insertValue({})).toThrow(new ConfigError('No field insertion configured'));
    expect(() => insertValue({ 'static.field': 's' })).toThrow(
      'Invalid value null for configuration static.value: No value specified for static field: s',
    );
  });

  it('inserts into the key in the Key variant', () => {
    const xform = new InsertFieldKey();
    xform.configure({ 'topic.field': 'topic' });
    expect(xform.apply(sourceRecord({ key: { a: 1 } })).key).toEqual({ a: 1, topic: 'test' });
  });
});
