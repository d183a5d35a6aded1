/**
 * Debezium's ExtractNewRecordState (3.6.1.Final) on hand-built PostgreSQL change events. Each case names
 * the upstream test it follows (ExtractNewRecordStateTest) or the line of the implementation it traces:
 * https://github.com/debezium/debezium/blob/v3.6.1.Final/debezium-connect-plugins/src/test/java/io/debezium/transforms/ExtractNewRecordStateTest.java
 */
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  ConnectHeaders,
  type ConnectRecord,
  type ConnectRecordProps,
  type Schema,
  SchemaBuilder,
  Schemas,
  SourceRecord,
  Struct,
} from '../../../lib/api/index.js';
import { plugins } from '../../../lib/plugins.js';
import { ExtractNewRecordState } from '../../../lib/transforms/debezium/extract-new-record-state.js';
import { sinkRecord } from './records.js';

const TOPIC = 'shop.public.customers';
const KEY_SCHEMA = SchemaBuilder.struct().name(`${TOPIC}.Key`).field('id', Schemas.INT32).build();
const ROW = SchemaBuilder.struct()
  .name(`${TOPIC}.Value`)
  .optional()
  .field('id', Schemas.INT32)
  .field('name', Schemas.OPTIONAL_STRING)
  .field('status', SchemaBuilder.string().optional().defaultValue('active'))
  .build();
const SOURCE = SchemaBuilder.struct()
  .name('io.debezium.connector.postgresql.Source')
  .field('version', Schemas.STRING)
  .field('connector', Schemas.STRING)
  .field('name', Schemas.STRING)
  .field('ts_ms', Schemas.INT64)
  .field(
    'snapshot',
    SchemaBuilder.string()
      .optional()
      .name('io.debezium.data.Enum')
      .version(1)
      .parameter(
        'allowed',
        'true,first,first_in_data_collection,last_in_data_collection,last,false,incremental',
      )
      .defaultValue('false'),
  )
  .field('db', Schemas.STRING)
  .field('sequence', Schemas.OPTIONAL_STRING)
  .field('ts_us', Schemas.OPTIONAL_INT64)
  .field('ts_ns', Schemas.OPTIONAL_INT64)
  .field('schema', Schemas.STRING)
  .field('table', Schemas.STRING)
  .field('txId', Schemas.OPTIONAL_INT64)
  .field('lsn', Schemas.OPTIONAL_INT64)
  .field('xmin', Schemas.OPTIONAL_INT64)
  .build();
const TRANSACTION = SchemaBuilder.struct()
  .name('event.block')
  .version(1)
  .optional()
  .field('id', Schemas.STRING)
  .field('total_order', Schemas.INT64)
  .field('data_collection_order', Schemas.INT64)
  .build();

function envelopeSchema(extra?: [string, Schema]): Schema {
  const builder = SchemaBuilder.struct()
    .name(`${TOPIC}.Envelope`)
    .version(2)
    .field('before', ROW)
    .field('after', ROW)
    .field('source', SOURCE)
    .field('transaction', TRANSACTION)
    .field('op', Schemas.STRING)
    .field('ts_ms', Schemas.OPTIONAL_INT64)
    .field('ts_us', Schemas.OPTIONAL_INT64)
    .field('ts_ns', Schemas.OPTIONAL_INT64);
  return (extra ? builder.field(...extra) : builder).build();
}
const ENVELOPE = envelopeSchema();

const row = (id: number, name: string | null, status: string | null = 'active') =>
  new Struct(ROW).put('id', id).put('name', name).put('status', status);
const key = (id: number) => new Struct(KEY_SCHEMA).put('id', id);
const source = () =>
  new Struct(SOURCE)
    .put('version', '3.6.1.Final')
    .put('connector', 'postgresql')
    .put('name', 'shop')
    .put('ts_ms', 1_700_000_000_000)
    .put('snapshot', 'false')
    .put('db', 'shop')
    .put('sequence', '["24023000","24023128"]')
    .put('ts_us', 1_700_000_000_000_000)
    .put('ts_ns', 1_700_000_000_000_000_000n)
    .put('schema', 'public')
    .put('table', 'customers')
    .put('txId', 771)
    .put('lsn', 24023128);
const transaction = () =>
  new Struct(TRANSACTION).put('id', '771:24023128').put('total_order', 3).put('data_collection_order', 2);

interface States {
  before?: Struct | null;
  after?: Struct | null;
  transaction?: Struct | null;
  schema?: Schema;
  extra?: [string, unknown];
}

/** A change event as the PostgreSQL connector emits it: keyed by the row's id. */
function change(op: string, states: States, props: Partial<ConnectRecordProps> = {}): SourceRecord {
  const schema = states.schema ?? ENVELOPE;
  const value = new Struct(schema)
    .put('before', states.before ?? null)
    .put('after', states.after ?? null)
    .put('source', source())
    .put('transaction', states.transaction ?? null)
    .put('op', op)
    .put('ts_ms', 1_700_000_000_123)
    .put('ts_us', 1_700_000_000_123_456)
    .put('ts_ns', 1_700_000_000_123_456_789n);
  if (states.extra) value.put(...states.extra);
  const id = ((states.after ?? states.before)?.get('id') as number | undefined) ?? 1;
  return new SourceRecord({
    sourcePartition: { server: 'shop' },
    sourceOffset: { lsn: 24023128, txId: 771 },
    topic: TOPIC,
    kafkaPartition: null,
    keySchema: KEY_SCHEMA,
    key: key(id),
    valueSchema: schema,
    value,
    timestamp: 1_700_000_000_200,
    ...props,
  });
}

const created = (props?: Partial<ConnectRecordProps>) => change('c', { after: row(1, 'Ada') }, props);
const updated = (props?: Partial<ConnectRecordProps>) =>
  change('u', { before: row(1, 'Ada'), after: row(1, 'Grace'), transaction: transaction() }, props);
const deleted = (props?: Partial<ConnectRecordProps>) => change('d', { before: row(1, 'Grace') }, props);
const tombstone = (props?: Partial<ConnectRecordProps>) =>
  new SourceRecord({
    sourcePartition: { server: 'shop' },
    sourceOffset: { lsn: 24023128 },
    topic: TOPIC,
    keySchema: KEY_SCHEMA,
    key: key(1),
    ...props,
  });

function unwrap(configs: Record<string, unknown> = {}): ExtractNewRecordState {
  const smt = new ExtractNewRecordState();
  smt.configure(configs);
  return smt;
}

const rowOf = (record: ConnectRecord | null) => record?.value as Struct;
const fieldNames = (schema: Schema | null | undefined) => schema?.fields().map((f) => f.name);
const headerValue = (record: ConnectRecord | null, name: string) => record?.headers.lastWithName(name)?.value;

const MODES = ['drop', 'tombstone', 'rewrite', 'rewrite-with-tombstone', 'delete-to-tombstone'] as const;

describe('ExtractNewRecordState configuration', () => {
  it('defines the upstream keys and defaults (ExtractNewRecordStateConfigDefinition)', () => {
    const def = new ExtractNewRecordState().config();
    const defaults = Object.fromEntries(def.keys().map((k) => [k.name, k.defaultValue]));
    expect(defaults).toEqual({
      'delete.tombstone.handling.mode': 'tombstone',
      'route.by.field': '',
      'add.fields.prefix': '__',
      'add.fields': [],
      'add.headers.prefix': '__',
      'add.headers': [],
      'drop.fields.header.name': null,
      'drop.fields.from.key': false,
      'drop.fields.keep.schema.compatible': true,
      'replace.null.with.default': true,
    });
  });

  it('rejects an unknown mode (shouldRejectInvalidEnumValueForDeleteHandlingMode)', () => {
    const configure = () => unwrap({ 'delete.tombstone.handling.mode': 'jbsdfkjsd' });
    expect(configure).toThrow(ConfigError);
    expect(configure).toThrow(
      'Invalid value jbsdfkjsd for configuration delete.tombstone.handling.mode: Value must be one of drop, ' +
        'tombstone, rewrite, rewrite-with-tombstone, delete-to-tombstone',
    );
  });

  it('reads the mode trimmed and case-insensitively (EnumRecommender, DeleteTombstoneHandling.parse)', () => {
    const result = unwrap({ 'delete.tombstone.handling.mode': ' REWRITE ' }).apply(created());
    expect(rowOf(result).get('__deleted')).toBe('false');
  });

  it('rejects an add.fields entry with two renames (FieldReference: Unexpected field name)', () => {
    expect(() => unwrap({ 'add.fields': 'op:a:b' })).toThrow('Unexpected field name: op:a:b');
  });

  it('is registered under its class name and its simple-name alias, at version 3.6.1.Final', () => {
    // lib/plugins.ts aliases: the simple class name, which no other plugin shares
    const registry = plugins();
    for (const name of ['io.debezium.transforms.ExtractNewRecordState', 'ExtractNewRecordState']) {
      const smt = registry.newTransformation(name);
      expect(smt).toBeInstanceOf(ExtractNewRecordState);
      expect(smt.version).toBe('3.6.1.Final');
    }
  });
});

describe('ExtractNewRecordState legacy keys (removed in Debezium 3.2, DBZ-6068)', () => {
  it.each([
    [{ 'delete.handling.mode': 'drop' }, 'delete.handling.mode', 'drop', 'drop'],
    [{ 'delete.handling.mode': 'none' }, 'delete.handling.mode', 'none', 'tombstone'],
    [{ 'delete.handling.mode': 'rewrite' }, 'delete.handling.mode', 'rewrite', 'rewrite'],
    [{ 'drop.tombstones': 'true' }, 'drop.tombstones', 'true', 'drop'],
    [
      { 'drop.tombstones': 'false', 'delete.handling.mode': 'rewrite' },
      'delete.handling.mode',
      'rewrite',
      'rewrite-with-tombstone',
    ],
  ])('refuses %j and names the 3.2+ mode that does the same', (configs, name, value, mode) => {
    // The pairs are Debezium 3.1's LegacyDeleteHandlingStrategy: drop.tombstones (default true) decides
    // tombstones, delete.handling.mode (default drop) deletes; none kept the delete with a null value.
    expect(() => unwrap(configs)).toThrow(
      new ConfigError(
        name,
        value,
        `${name} was removed in Debezium 3.2; use delete.tombstone.handling.mode=${mode} instead`,
      ),
    );
  });

  it.each([{ 'drop.tombstones': 'false' }, { 'drop.tombstones': false, 'delete.handling.mode': 'none' }])(
    'refuses %j, which no 3.2+ mode reproduces (deletes dropped or kept, tombstones kept)',
    (configs) => {
      expect(() => unwrap(configs)).toThrow(
        'was removed in Debezium 3.2; no delete.tombstone.handling.mode does the same; choose one of drop, ' +
          'tombstone, rewrite, rewrite-with-tombstone, delete-to-tombstone',
      );
    },
  );

  it('ignores them beside delete.tombstone.handling.mode, as Debezium 3.1 and 3.6.1 both do', () => {
    const smt = unwrap({
      'delete.tombstone.handling.mode': 'tombstone',
      'drop.tombstones': 'false',
      'delete.handling.mode': 'rewrite',
    });
    expect(smt.apply(tombstone())).toBeNull();
    expect(smt.apply(deleted())?.value).toBeNull();
  });
});

describe('ExtractNewRecordState on creates, updates and reads', () => {
  it.each([
    ['c', created()],
    ['u', updated()],
    ['r', change('r', { after: row(1, 'Grace') })],
  ])(
    'unwraps %s to the after state, key and record metadata untouched (testUnwrapCreateRecord)',
    (_op, record) => {
      const result = unwrap().apply(record);
      expect(result?.valueSchema?.name).toBe(`${TOPIC}.Value`);
      expect(fieldNames(result?.valueSchema)).toEqual(['id', 'name', 'status']);
      expect([rowOf(result).get('id'), rowOf(result).get('status')]).toEqual([1, 'active']);
      expect(result?.key).toBe(record.key);
      expect(result?.keySchema).toBe(KEY_SCHEMA);
      expect([result?.topic, result?.kafkaPartition, result?.timestamp]).toEqual([
        TOPIC,
        null,
        1_700_000_000_200,
      ]);
      expect((result as SourceRecord).sourceOffset).toEqual({ lsn: 24023128, txId: 771 });
    },
  );

  it('rebuilds the value schema as upstream addFields always does: same fields, no longer optional', () => {
    // ExtractNewRecordState.makeUpdatedSchema: SchemaUtil.copySchemaBasics copies name, version, doc
    // and parameters, not optionality; it runs for every create/update even without add.fields.
    const result = unwrap().apply(updated());
    expect(ROW.optional).toBe(true);
    expect(result?.valueSchema?.optional).toBe(false);
    expect(result?.valueSchema?.fields().map((f) => f.schema)).toEqual(ROW.fields().map((f) => f.schema));
    expect(rowOf(result).get('name')).toBe('Grace');
  });

  it('keeps the record headers (testUnwrapPropagatesRecordHeaders)', () => {
    const headers = new ConnectHeaders().addString('application/debezium-test-header', 'propagated');
    const result = unwrap().apply(created({ headers }));
    expect([...(result?.headers ?? [])].map((h) => [h.key, h.value])).toEqual([
      ['application/debezium-test-header', 'propagated'],
    ]);
  });

  it('keeps a null field with a default as null (testUnwrapCreateRecordWithOptionalDefaultValue)', () => {
    const result = unwrap().apply(change('c', { after: row(1, 'Ada', null) }));
    expect(rowOf(result).getWithoutDefault('status')).toBeNull();
  });

  it('works on sink records, keeping the Kafka coordinates', () => {
    const record = created();
    const result = unwrap().apply(
      sinkRecord({
        topic: TOPIC,
        kafkaPartition: 2,
        keySchema: record.keySchema,
        key: record.key,
        valueSchema: record.valueSchema,
        value: record.value,
      }),
    );
    expect([result?.topic, result?.kafkaPartition, result?.kafkaOffset]).toEqual([TOPIC, 2, 42]);
    expect(rowOf(result).get('name')).toBe('Ada');
  });
});

describe('ExtractNewRecordState on deletes and tombstones', () => {
  it.each([
    // testHandleDeleteDrop
    ['drop', null],
    // testHandleDeleteNone; DefaultDeleteHandlingStrategy: null value, the row's schema kept
    ['tombstone', { schema: `${TOPIC}.Value`, value: null }],
    // testHandleDeleteRewrite: the before state with __deleted = "true"
    ['rewrite', { schema: `${TOPIC}.Value`, value: 'Struct{id=1,name=Grace,status=active,__deleted=true}' }],
    [
      'rewrite-with-tombstone',
      { schema: `${TOPIC}.Value`, value: 'Struct{id=1,name=Grace,status=active,__deleted=true}' },
    ],
    // testDeleteRewriteToTombstoneAndDropActualTombstone: a real tombstone, null schema and value
    ['delete-to-tombstone', { schema: undefined, value: null }],
  ])('in mode %s turns a delete into %j, key untouched', (mode, expected) => {
    const record = deleted();
    const result = unwrap({ 'delete.tombstone.handling.mode': mode }).apply(record);
    if (expected === null) return expect(result).toBeNull();
    expect({ schema: result?.valueSchema?.name, value: result?.value ? String(result.value) : null }).toEqual(
      expected,
    );
    expect(result?.key).toBe(record.key);
    expect(result?.keySchema).toBe(KEY_SCHEMA);
  });

  it.each([
    ['drop', []],
    ['tombstone', [`${TOPIC}.Value: null`]],
    ['rewrite', [`${TOPIC}.Value: Struct{id=1,name=Grace,status=active,__deleted=true}`]],
    [
      'rewrite-with-tombstone',
      [`${TOPIC}.Value: Struct{id=1,name=Grace,status=active,__deleted=true}`, 'no schema: null'],
    ],
    ['delete-to-tombstone', ['no schema: null']],
  ])('in mode %s turns a delete and its tombstone into %j, in order', (mode, expected) => {
    // DefaultDeleteHandlingStrategy: handleDeleteRecord, then handleTombstoneRecord (only
    // rewrite-with-tombstone keeps the tombstone; testTombstoneDroppedByDefault,
    // testTombstoneForwardConfigured, testTombstoneRewriteWithTombstone).
    const smt = unwrap({ 'delete.tombstone.handling.mode': mode });
    const out = [deleted(), tombstone()]
      .map((r) => smt.apply(r))
      .filter((r) => r !== null)
      .map((r) => `${r.valueSchema?.name ?? 'no schema'}: ${r.value === null ? 'null' : String(r.value)}`);
    expect(out).toEqual(expected);
  });

  it('returns the tombstone itself in rewrite-with-tombstone (testTombstoneRewriteWithTombstone)', () => {
    const record = tombstone();
    expect(unwrap({ 'delete.tombstone.handling.mode': 'rewrite-with-tombstone' }).apply(record)).toBe(record);
  });

  it.each(MODES)('in mode %s drops a truncate (testTruncateDroppedByDefault)', (mode) => {
    const truncate = change('t', {}, { keySchema: null, key: null });
    expect(unwrap({ 'delete.tombstone.handling.mode': mode }).apply(truncate)).toBeNull();
  });

  it('drops a delete without a before state, as a truncate (doApply: after and before both null)', () => {
    // REPLICA IDENTITY NOTHING gives deletes no before state; upstream takes them for truncates.
    const smt = unwrap({ 'delete.tombstone.handling.mode': 'rewrite' });
    expect(smt.apply(change('d', {}))).toBeNull();
  });

  it('marks creates and updates __deleted = "false" in the rewrite modes (testHandleCreateRewrite)', () => {
    for (const mode of ['rewrite', 'rewrite-with-tombstone']) {
      const result = unwrap({ 'delete.tombstone.handling.mode': mode }).apply(updated());
      expect(fieldNames(result?.valueSchema)).toEqual(['id', 'name', 'status', '__deleted']);
      expect(result?.valueSchema?.field('__deleted')?.schema).toEqual(Schemas.OPTIONAL_STRING);
      expect(rowOf(result).get('__deleted')).toBe('false');
    }
  });
});

describe('ExtractNewRecordState replace.null.with.default', () => {
  it.each([
    // testUnwrapCreateRecordRewriteWithOptionalDefaultValueAndNullReplaceWithDefault
    [{}, 'active'],
    // testUnwrapCreateRecordRewriteWithOptionalDefaultValue
    [{ 'replace.null.with.default': 'false' }, null],
  ])('with %j the rewrite modes write a null field with a default as %j', (configs, expected) => {
    // The __deleted InsertField delegate copies the row with Struct.get (defaults) or without.
    const smt = unwrap({ 'delete.tombstone.handling.mode': 'rewrite', ...configs });
    for (const record of [
      change('c', { after: row(1, 'Ada', null) }),
      change('d', { before: row(1, 'Ada', null) }),
    ]) {
      expect(rowOf(smt.apply(record)).getWithoutDefault('status')).toBe(expected);
    }
  });
});

describe('ExtractNewRecordState route.by.field', () => {
  it('routes creates and updates by the after state (testAddTopicRoutingField, testUpdateTopicRoutingField)', () => {
    const smt = unwrap({ 'route.by.field': 'name' });
    expect(smt.apply(created())?.topic).toBe('Ada');
    expect(smt.apply(updated())?.topic).toBe('Grace');
  });

  it.each(['tombstone', 'rewrite'])(
    'in mode %s routes deletes by the before state (testDeleteTopicRoutingField)',
    (mode) => {
      const result = unwrap({ 'route.by.field': 'name', 'delete.tombstone.handling.mode': mode }).apply(
        deleted(),
      );
      expect(result?.topic).toBe('Grace');
    },
  );

  it('keeps the topic when the field is null or blank (setTopic: Strings.isNullOrBlank)', () => {
    const smt = unwrap({ 'route.by.field': 'name' });
    expect(smt.apply(change('c', { after: row(1, null) }))?.topic).toBe(TOPIC);
    expect(smt.apply(change('c', { after: row(1, '  ') }))?.topic).toBe(TOPIC);
  });
});

describe('ExtractNewRecordState add.fields', () => {
  it('appends envelope, source and transaction fields, named by their struct (testAddFieldsSpecifyStruct)', () => {
    const record = updated();
    const result = unwrap({
      'add.fields': 'op,source.lsn,transaction.id,transaction.total_order,table',
    }).apply(record);
    expect(fieldNames(result?.valueSchema)).toEqual([
      'id',
      'name',
      'status',
      '__op',
      '__source_lsn',
      '__transaction_id',
      '__transaction_total_order',
      '__table',
    ]);
    const value = rowOf(result);
    expect(
      ['__op', '__source_lsn', '__transaction_id', '__transaction_total_order', '__table'].map((f) =>
        value.get(f),
      ),
    ).toEqual(['u', 24023128, '771:24023128', 3, 'customers']);
    expect(result?.key).toBe(record.key);
    expect(result?.keySchema).toBe(KEY_SCHEMA);
  });

  it('reads bare names from source, except envelope op/ts_* and transaction ids (testAddFields)', () => {
    // FieldReference.determineStruct; the prefix is taken as given (testAddFields uses "prefix.")
    const result = unwrap({
      'add.fields': 'op , lsn,id,total_order,data_collection_order,ts_ms,source.ts_ms',
      'add.fields.prefix': 'prefix.',
    }).apply(updated());
    const value = rowOf(result);
    expect(
      ['op', 'lsn', 'id', 'total_order', 'data_collection_order', 'ts_ms', 'source_ts_ms'].map((f) =>
        value.get(`prefix.${f}`),
      ),
    ).toEqual(['u', 24023128, '771:24023128', 3, 2, 1_700_000_000_123, 1_700_000_000_000]);
  });

  it('keeps envelope and source timestamps apart (testEnvelopeTimestampFieldsHandledCorrectly)', () => {
    const result = unwrap({
      'add.fields': 'source.ts_us:SRC_TS_US,source.ts_ns:SRC_TS_NS,ts_us:TS_US,ts_ns:TS_NS',
    }).apply(created());
    const value = rowOf(result);
    expect(['__SRC_TS_US', '__SRC_TS_NS', '__TS_US', '__TS_NS'].map((f) => value.get(f))).toEqual([
      1_700_000_000_000_000,
      1_700_000_000_000_000_000n,
      1_700_000_000_123_456,
      1_700_000_000_123_456_789n,
    ]);
  });

  it('renames with field:NAME after the prefix (testNewFieldAndHeaderMapping)', () => {
    const result = unwrap({
      'add.fields': 'op:OP, lsn:LSN, id:ID, source.lsn:source_lsn, transaction.total_order:TOTAL_ORDER',
      'add.fields.prefix': '',
    }).apply(updated());
    const value = rowOf(result);
    expect(['OP', 'LSN', 'ID', 'source_lsn', 'TOTAL_ORDER'].map((f) => value.get(f))).toEqual([
      'u',
      24023128,
      '771:24023128',
      24023128,
      3,
    ]);
  });

  it('gives added fields optional copies of their schemas, without defaults (FieldReference.getSchema)', () => {
    const result = unwrap({ 'add.fields': 'op,source.snapshot,source.ts_ms' }).apply(created());
    const schemaOf = (name: string) => result?.valueSchema?.field(name)?.schema;
    expect(schemaOf('__op')).toEqual(Schemas.OPTIONAL_STRING);
    expect(schemaOf('__source_ts_ms')).toEqual(Schemas.OPTIONAL_INT64);
    const snapshot = schemaOf('__source_snapshot');
    expect([snapshot?.optional, snapshot?.defaultValue, snapshot?.name]).toEqual([
      true,
      undefined,
      'io.debezium.data.Enum',
    ]);
    expect(snapshot?.parameters).toEqual(SOURCE.field('snapshot')?.schema.parameters);
  });

  it('adds a null for a field of an absent transaction (testAddFieldsForMissingOptionalField)', () => {
    const result = unwrap({ 'add.fields': 'op,lsn,id' }).apply(created());
    expect(['__op', '__lsn', '__id'].map((f) => rowOf(result).get(f))).toEqual(['c', 24023128, null]);
    expect(result?.valueSchema?.field('__id')?.schema).toEqual(Schemas.OPTIONAL_STRING);
  });

  it('skips fields the envelope lacks and finds top-level ones another SMT added (testNewNotDefaultField)', () => {
    const schema = envelopeSchema(['changes', SchemaBuilder.array(Schemas.STRING).build()]);
    const record = change('u', {
      before: row(1, 'Ada'),
      after: row(1, 'Grace'),
      schema,
      extra: ['changes', ['name']],
    });
    const result = unwrap({ 'add.fields': 'notExisting,changes:CHANGED,op', 'add.fields.prefix': '' }).apply(
      record,
    );
    expect(fieldNames(result?.valueSchema)).toEqual(['id', 'name', 'status', 'CHANGED', 'op']);
    expect(rowOf(result).get('CHANGED')).toEqual(['name']);
  });

  it('appends after __deleted on rewritten deletes and changes (testAddFieldsHandleDeleteRewrite)', () => {
    const smt = unwrap({ 'delete.tombstone.handling.mode': 'rewrite', 'add.fields': 'op,lsn' });
    for (const [record, op, deletedFlag] of [
      [deleted(), 'd', 'true'],
      [created(), 'c', 'false'],
    ] as const) {
      const result = smt.apply(record);
      expect(fieldNames(result?.valueSchema)).toEqual(['id', 'name', 'status', '__deleted', '__op', '__lsn']);
      expect(['__deleted', '__op', '__lsn'].map((f) => rowOf(result).get(f))).toEqual([
        deletedFlag,
        op,
        24023128,
      ]);
    }
  });

  it('adds nothing to a delete that became a null value (doApply: addFields only when the value is not null)', () => {
    const result = unwrap({ 'add.fields': 'op' }).apply(deleted());
    expect([result?.value, result?.valueSchema?.name]).toEqual([null, `${TOPIC}.Value`]);
    expect(fieldNames(result?.valueSchema)).toEqual(['id', 'name', 'status']);
  });

  it('refuses an added field whose name the row already has (Kafka SchemaBuilder duplicate check)', () => {
    const smt = unwrap({ 'add.fields': 'name', 'add.fields.prefix': '' });
    expect(() => smt.apply(created())).toThrow('Cannot create field because of field name duplication name');
  });
});

describe('ExtractNewRecordState add.headers', () => {
  it('adds the envelope fields as headers after the record own (testAddHeadersSpecifyStruct)', () => {
    const headers = new ConnectHeaders().addString('trace', 'abc');
    const record = updated({ headers });
    const result = unwrap({
      'add.headers': 'op,source.lsn,transaction.id,transaction.total_order',
      'add.headers.prefix': 'prefix.',
    }).apply(record);
    expect([...(result?.headers ?? [])].map((h) => [h.key, h.value])).toEqual([
      ['trace', 'abc'],
      ['prefix.op', 'u'],
      ['prefix.source_lsn', 24023128],
      ['prefix.transaction_id', '771:24023128'],
      ['prefix.transaction_total_order', 3],
    ]);
    expect(result?.headers.lastWithName('prefix.op')?.schema).toEqual(Schemas.OPTIONAL_STRING);
    expect(result?.headers.lastWithName('prefix.source_lsn')?.schema).toEqual(Schemas.OPTIONAL_INT64);
    expect(record.headers.size).toBe(1); // the input record is not changed
  });

  it('adds a null header for a field of an absent transaction (testAddHeadersForMissingOptionalField)', () => {
    const result = unwrap({ 'add.headers': 'op,lsn,id' }).apply(created());
    expect([...(result?.headers ?? [])].map((h) => [h.key, h.value])).toEqual([
      ['__op', 'c'],
      ['__lsn', 24023128],
      ['__id', null],
    ]);
  });

  it('renames headers with field:NAME (testNewFieldAndHeaderMapping)', () => {
    const result = unwrap({ 'add.headers': 'op, source.lsn:source_lsn, transaction.id:TXN_ID' }).apply(
      updated(),
    );
    expect(['__op', '__source_lsn', '__TXN_ID'].map((h) => headerValue(result, h))).toEqual([
      'u',
      24023128,
      '771:24023128',
    ]);
  });

  it('puts headers on rewritten deletes and gives tombstones only op = d (testAddHeadersHandleDeleteRewriteAndTombstone)', () => {
    const smt = unwrap({
      'delete.tombstone.handling.mode': 'rewrite-with-tombstone',
      'add.headers': 'op,source.lsn',
    });
    const rewritten = smt.apply(deleted());
    expect(rowOf(rewritten).get('__deleted')).toBe('true');
    expect([headerValue(rewritten, '__op'), headerValue(rewritten, '__source_lsn')]).toEqual(['d', 24023128]);
    const record = tombstone();
    const kept = smt.apply(record);
    expect([...(kept?.headers ?? [])].map((h) => [h.key, h.value, h.schema])).toEqual([
      ['__op', 'd', Schemas.STRING],
    ]);
    expect(kept?.value).toBeNull();
    expect(record.headers.size).toBe(0);
  });

  it.each([
    ['tombstone', `${TOPIC}.Value`],
    ['delete-to-tombstone', undefined],
  ])('in mode %s keeps the headers on the delete it turns into a null value', (mode, schemaName) => {
    const result = unwrap({ 'delete.tombstone.handling.mode': mode, 'add.headers': 'op' }).apply(deleted());
    expect([result?.value, result?.valueSchema?.name, headerValue(result, '__op')]).toEqual([
      null,
      schemaName,
      'd',
    ]);
  });
});

describe('ExtractNewRecordState pass-through', () => {
  const heartbeatSchema = SchemaBuilder.struct()
    .name('io.debezium.connector.common.Heartbeat')
    .field('ts_ms', Schemas.INT64)
    .build();
  const messageSchema = SchemaBuilder.struct()
    .name('io.debezium.connector.postgresql.MessageValue')
    .field('op', Schemas.STRING)
    .build();
  const unnamed = SchemaBuilder.struct().field('id', Schemas.INT8).build();

  it.each([
    ['a heartbeat', { valueSchema: heartbeatSchema, value: new Struct(heartbeatSchema).put('ts_ms', 1) }],
    [
      'a logical decoding message',
      { valueSchema: messageSchema, value: new Struct(messageSchema).put('op', 'm') },
    ],
    ['an unnamed schema', { valueSchema: unnamed, value: new Struct(unnamed).put('id', 1) }],
    // SmtManager.isValidEnvelope: no value schema is no envelope, even with an envelope's shape
    ['a schemaless envelope', { value: { before: null, after: { id: 1 }, op: 'c' } }],
  ])(
    'returns %s unchanged, add.headers aside (testIgnoreUnknownRecord, testAddHeadersForNonEnvelopeRecord)',
    (_what, props) => {
      const record = tombstone(props);
      expect(unwrap({ 'add.headers': 'op,source.lsn', 'add.fields': 'op' }).apply(record)).toBe(record);
    },
  );

  it('takes a schemaless null value for a tombstone (doApply: isTombstone is value == null)', () => {
    expect(unwrap().apply(tombstone({ keySchema: null, key: 'k' }))).toBeNull();
  });
});

describe('ExtractNewRecordState drop.fields.header.name', () => {
  const listed = (names: string[]) =>
    new ConnectHeaders().add(
      'drop-fields',
      names,
      SchemaBuilder.array(Schemas.OPTIONAL_STRING).optional().build(),
    );

  it.each([
    // dropFieldsFromValueWithSchemaCompatibility: only the optional "name" goes, the required id stays
    [{}, ['id'], ['id', 'status']],
    // dropFieldsFromValueWithoutSchemaCompatibility: both go from the value, the key keeps id
    [{ 'drop.fields.keep.schema.compatible': 'false' }, ['id'], ['status']],
    // dropFieldsFromValueAndKeyWithSchemaCompatibility: the key's id is required, so it stays
    [{ 'drop.fields.from.key': 'true' }, ['id'], ['id', 'status']],
    // dropFieldsFromValueAndKeyWithoutSchemaCompatibility: id leaves the key too
    [{ 'drop.fields.from.key': 'true', 'drop.fields.keep.schema.compatible': 'false' }, [], ['status']],
  ])('with %j keeps key fields %j and value fields %j', (configs, keyFields, valueFields) => {
    const smt = unwrap({ 'drop.fields.header.name': 'drop-fields', ...configs });
    for (const record of [
      created({ headers: listed(['id', 'name']) }),
      updated({ headers: listed(['id', 'name']) }),
    ]) {
      const result = smt.apply(record);
      expect(fieldNames(result?.keySchema)).toEqual(keyFields);
      expect(fieldNames(result?.valueSchema)).toEqual(valueFields);
      expect(rowOf(result).get('status')).toBe('active');
    }
  });

  it('changes nothing without the header or with an empty list', () => {
    const smt = unwrap({
      'drop.fields.header.name': 'drop-fields',
      'drop.fields.keep.schema.compatible': 'false',
    });
    expect(fieldNames(smt.apply(created())?.valueSchema)).toEqual(['id', 'name', 'status']);
    expect(fieldNames(smt.apply(created({ headers: listed([]) }))?.valueSchema)).toEqual([
      'id',
      'name',
      'status',
    ]);
  });

  it('drops after add.fields on changes but before it on deletes (doApply order)', () => {
    const smt = unwrap({
      'drop.fields.header.name': 'drop-fields',
      'delete.tombstone.handling.mode': 'rewrite',
      'add.fields': 'op',
    });
    const headers = listed(['name', '__op']);
    expect(fieldNames(smt.apply(created({ headers }))?.valueSchema)).toEqual(['id', 'status', '__deleted']);
    expect(fieldNames(smt.apply(deleted({ headers }))?.valueSchema)).toEqual([
      'id',
      'status',
      '__deleted',
      '__op',
    ]);
  });

  it('drops deletes and tombstones in mode drop whatever the header (dropFieldsFromValueWithSchemaCompatibility)', () => {
    const smt = unwrap({
      'drop.fields.header.name': 'drop-fields',
      'delete.tombstone.handling.mode': 'drop',
    });
    expect(smt.apply(deleted({ headers: listed(['name']) }))).toBeNull();
    expect(smt.apply(tombstone({ headers: listed(['name']) }))).toBeNull();
  });
});
