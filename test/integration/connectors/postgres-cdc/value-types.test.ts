import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchemaBuilder, Struct } from '../../../../lib/api/index.js';
import {
  envelope,
  sourceStruct,
  tableSchemas,
  topicName,
} from '../../../../lib/connectors/postgres-cdc/event-schemas.js';
import { TypeCatalog } from '../../../../lib/connectors/postgres-cdc/pg-types.js';
import {
  columnConverter,
  type HandlingModes,
  type PgColumn,
  SESSION_SETTINGS,
} from '../../../../lib/connectors/postgres-cdc/value-converters.js';
import { JsonConverter } from '../../../../lib/converters/json-converter.js';
import { POSTGRES_URL, uniqueName } from '../../../support/services.js';

// One column of each type, three rows (typical values; edge values: negatives, BC, 24:00, before 1970,
// infinity, NaN, empty strings; NULLs), read back as text under SESSION_SETTINGS and converted.
//
// The expectations are what Debezium 3.6.1.Final emits for these rows: they were produced by running its
// own code on this table — PostgresValueConverter (streaming path: pgoutput's text through
// ReplicationMessageColumnValueResolver), fields made optional as TableSchemaBuilder does — and Kafka
// 3.9.1's JsonConverter (schemas.enable=true) on a one-field struct `v`, then pinned here as
// [field schema JSON, payload of row 1, row 2, row 3].

const S = uniqueName('pgtypes').replace('-', '_');
const TABLE = `CREATE TABLE ${S}.t (
  id serial PRIMARY KEY,
  i2 int2, i4 int4 NOT NULL, i8 int8, f4 float4, f8 float8, b bool,
  bit1 bit(1), bit4 bit(4), vb varbit, vb3 varbit(3),
  n52 numeric(5,2), n numeric, m money,
  t text, vc varchar(10), bp char(5), ci citext, ip inet, cidr cidr, mac macaddr, mac8 macaddr8,
  r int4range, tsr tsrange, u uuid, j json, jb jsonb, x xml, ba bytea,
  d date, tm time, tm3 time(3), ttz timetz, ts timestamp, ts3 timestamp(3), tstz timestamptz, tstz0 timestamptz(0),
  iv interval, hs hstore, e ${S}.mood, dm ${S}.amount, pt point,
  ai int[], at text[], an numeric(4,1)[], avn numeric[], ad date[], ats timestamptz[], ab bytea[], ae ${S}.mood[], au uuid[]
)`;
// biome-ignore format: one row per line
const ROWS: (string | null)[][] = [
  ['1', '-32768', '2147483647', '9007199254740993', '3.3', '4.44', 'true', '1', '0101', '111011010001000110000001000000001', '101',
    '-123.45', '10.1111', '-1234.57', 'hello', 'varchar', 'ab', 'CiText', '192.168.2.0/12', '192.168.100.128/25', '08:00:2b:01:02:03', '08:00:2b:01:02:03:04:05',
    '[2,5)', '[2019-03-31 15:30:00,infinity)', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"bar": "baz"}', '{"bar": "baz"}', '<foo>bar</foo>', '\\x00fbff',
    '2016-11-04', '13:51:30.123456', '13:51:30.123', '13:51:30.123789+02', '2016-11-04 13:51:30.123456', '2016-11-04 13:51:30.123', '2016-11-04 13:51:30.123456+02', '2016-11-04 13:51:30+02',
    'P1Y2M3DT4H5M6.78S', '"key4"=>"val4", "key5"=>NULL', 'ok', '1234.5', '(1.5,-2.25)',
    '{1,NULL,3}', '{"a b",NULL,"NULL","x\\"y",""}', '{1.5,NULL}', '{1.10,22.2222}', '{2016-11-04,NULL}', '{"2020-04-01 11:51:02+00"}', '{"\\\\x0102",NULL}', '{sad,happy}', '{f0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}'],
  ['2', '0', '-1', '-9223372036854775808', '-Infinity', 'NaN', 'false', '0', '0000', '', '0',
    '0.05', '1000', '0', '', '', '', '', '::1', '10.0.0.0/8', '08:00:2b:01:02:03', '08:00:2b:01:02:03:04:05',
    'empty', '(,)', '00000000-0000-0000-0000-000000000000', '[]', '{}', '<a/>', '\\x',
    '0044-03-15 BC', '24:00:00', '00:00:00', '00:00:00+02', '1969-12-31 23:59:59.999999', '4713-12-31 23:59:59.999 BC', '4714-12-31 23:59:59.999999+00 BC', 'infinity',
    '-1 year -2 mons +3 days -04:05:06.789', '', 'sad', '-0.01', '(0,0)',
    '{}', '{}', '{}', '{0.00}', '{}', '{}', '{}', '{}', '{}'],
  ['3', null, '0', null, null, null, null, null, null, null, null,
    null, null, null, null, null, null, null, null, null, null, null,
    null, null, null, null, null, null, null,
    'infinity', null, null, null, 'infinity', '-infinity', '-infinity', null,
    'PT0S', null, null, null, null,
    null, null, null, null, null, null, null, null, null],
];

const DEFAULT_MODES: HandlingModes = {
  decimal: 'precise',
  time: 'adaptive',
  binary: 'bytes',
  hstore: 'json',
  interval: 'numeric',
  moneyFractionDigits: 2,
  includeUnknownDatatypes: false,
  unavailablePlaceholder: '__debezium_unavailable_value',
};
const STRING_MODES: HandlingModes = {
  ...DEFAULT_MODES,
  decimal: 'string',
  time: 'isostring',
  binary: 'hex',
  hstore: 'map',
  interval: 'string',
  includeUnknownDatatypes: true,
};

type Expected = Record<string, [schema: string, ...payloads: string[]]>;

// decimal precise, time adaptive, binary bytes, hstore json, interval numeric
// biome-ignore format: one column per line
const DEBEZIUM_DEFAULT: Expected = {
  id: ['{"type":"int32","optional":false}', '1', '2', '3'],
  i2: ['{"type":"int16","optional":true}', '-32768', '0', 'null'],
  i4: ['{"type":"int32","optional":false}', '2147483647', '-1', '0'],
  i8: ['{"type":"int64","optional":true}', '9007199254740993', '-9223372036854775808', 'null'],
  f4: ['{"type":"float","optional":true}', '3.3', '"-Infinity"', 'null'],
  f8: ['{"type":"double","optional":true}', '4.44', '"NaN"', 'null'],
  b: ['{"type":"boolean","optional":true}', 'true', 'false', 'null'],
  bit1: ['{"type":"boolean","optional":true}', 'true', 'false', 'null'],
  bit4: ['{"type":"bytes","optional":true,"name":"io.debezium.data.Bits","version":1,"parameters":{"length":"4"}}', '"BQ=="', '""', 'null'],
  vb: ['{"type":"bytes","optional":true,"name":"io.debezium.data.Bits","version":1,"parameters":{"length":"2147483647"}}', '"AQIj2gE="', '""', 'null'],
  vb3: ['{"type":"bytes","optional":true,"name":"io.debezium.data.Bits","version":1,"parameters":{"length":"3"}}', '"BQ=="', '""', 'null'],
  n52: ['{"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2","connect.decimal.precision":"5"}}', '"z8c="', '"BQ=="', 'null'],
  n: ['{"type":"struct","fields":[{"type":"int32","optional":false,"field":"scale"},{"type":"bytes","optional":false,"field":"value"}],"optional":true,"name":"io.debezium.data.VariableScaleDecimal","version":1,"doc":"Variable scaled decimal"}', '{"scale":4,"value":"AYr3"}', '{"scale":0,"value":"A+g="}', 'null'],
  m: ['{"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}}', '"/h2/"', '"AA=="', 'null'],
  t: ['{"type":"string","optional":true}', '"hello"', '""', 'null'],
  vc: ['{"type":"string","optional":true}', '"varchar"', '""', 'null'],
  bp: ['{"type":"string","optional":true}', '"ab   "', '"     "', 'null'],
  ci: ['{"type":"string","optional":true}', '"CiText"', '""', 'null'],
  ip: ['{"type":"string","optional":true}', '"192.168.2.0/12"', '"::1"', 'null'],
  cidr: ['{"type":"string","optional":true}', '"192.168.100.128/25"', '"10.0.0.0/8"', 'null'],
  mac: ['{"type":"string","optional":true}', '"08:00:2b:01:02:03"', '"08:00:2b:01:02:03"', 'null'],
  mac8: ['{"type":"string","optional":true}', '"08:00:2b:01:02:03:04:05"', '"08:00:2b:01:02:03:04:05"', 'null'],
  r: ['{"type":"string","optional":true}', '"[2,5)"', '"empty"', 'null'],
  tsr: ['{"type":"string","optional":true}', '"[\\"2019-03-31 15:30:00\\",infinity)"', '"(,)"', 'null'],
  u: ['{"type":"string","optional":true,"name":"io.debezium.data.Uuid","version":1}', '"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"', '"00000000-0000-0000-0000-000000000000"', 'null'],
  j: ['{"type":"string","optional":true,"name":"io.debezium.data.Json","version":1}', '"{\\"bar\\": \\"baz\\"}"', '"[]"', 'null'],
  jb: ['{"type":"string","optional":true,"name":"io.debezium.data.Json","version":1}', '"{\\"bar\\": \\"baz\\"}"', '"{}"', 'null'],
  x: ['{"type":"string","optional":true,"name":"io.debezium.data.Xml","version":1}', '"<foo>bar</foo>"', '"<a/>"', 'null'],
  ba: ['{"type":"bytes","optional":true}', '"APv/"', '""', 'null'],
  d: ['{"type":"int32","optional":true,"name":"io.debezium.time.Date","version":1}', '17109', '-735160', '-2147472692'],
  tm: ['{"type":"int64","optional":true,"name":"io.debezium.time.MicroTime","version":1}', '49890123456', '86400000000', 'null'],
  tm3: ['{"type":"int32","optional":true,"name":"io.debezium.time.Time","version":1}', '49890123', '0', 'null'],
  ttz: ['{"type":"string","optional":true,"name":"io.debezium.time.ZonedTime","version":1}', '"11:51:30.123789Z"', '"22:00:00Z"', 'null'],
  ts: ['{"type":"int64","optional":true,"name":"io.debezium.time.MicroTimestamp","version":1}', '1478267490123456', '-1', '9223372036825200000'],
  ts3: ['{"type":"int64","optional":true,"name":"io.debezium.time.Timestamp","version":1}', '1478267490123', '-210831897600001', '-9223372036832400'],
  tstz: ['{"type":"string","optional":true,"name":"io.debezium.time.ZonedTimestamp","version":1}', '"2016-11-04T11:51:30.123456Z"', '"-4713-12-31T23:59:59.999999Z"', '"-infinity"'],
  tstz0: ['{"type":"string","optional":true,"name":"io.debezium.time.ZonedTimestamp","version":1}', '"2016-11-04T11:51:30Z"', '"infinity"', 'null'],
  iv: ['{"type":"int64","optional":true,"name":"io.debezium.time.MicroDuration","version":1}', '37091106780000', '-36572706789000', '0'],
  hs: ['{"type":"string","optional":true,"name":"io.debezium.data.Json","version":1}', '"{\\"key5\\":null,\\"key4\\":\\"val4\\"}"', '"{}"', 'null'],
  e: ['{"type":"string","optional":true,"name":"io.debezium.data.Enum","version":1,"parameters":{"allowed":"sad,ok,happy"}}', '"ok"', '"sad"', 'null'],
  dm: ['{"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2","connect.decimal.precision":"10"}}', '"AeI6"', '"/w=="', 'null'],
  pt: ['{"type":"struct","fields":[{"type":"double","optional":false,"field":"x"},{"type":"double","optional":false,"field":"y"},{"type":"bytes","optional":true,"field":"wkb"},{"type":"int32","optional":true,"field":"srid"}],"optional":true,"name":"io.debezium.data.geometry.Point","version":1,"doc":"Geometry (POINT)"}', '{"x":1.5,"y":-2.25,"wkb":"AQEAAAAAAAAAAAD4PwAAAAAAAALA","srid":null}', '{"x":0.0,"y":0.0,"wkb":"AQEAAAAAAAAAAAAAAAAAAAAAAAAA","srid":null}', 'null'],
  ai: ['{"type":"array","items":{"type":"int32","optional":true},"optional":true}', '[1,null,3]', '[]', 'null'],
  at: ['{"type":"array","items":{"type":"string","optional":true},"optional":true}', '["a b",null,"NULL","x\\"y",""]', '[]', 'null'],
  an: ['{"type":"array","items":{"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"1","connect.decimal.precision":"4"}},"optional":true}', '["Dw==",null]', '[]', 'null'],
  avn: ['{"type":"array","items":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"scale"},{"type":"bytes","optional":false,"field":"value"}],"optional":true,"name":"io.debezium.data.VariableScaleDecimal","version":1,"doc":"Variable scaled decimal"},"optional":true}', '[{"scale":1,"value":"Cw=="},{"scale":4,"value":"A2QO"}]', '[{"scale":0,"value":"AA=="}]', 'null'],
  ad: ['{"type":"array","items":{"type":"int32","optional":true,"name":"io.debezium.time.Date","version":1},"optional":true}', '[17109,null]', '[]', 'null'],
  ats: ['{"type":"array","items":{"type":"string","optional":true,"name":"io.debezium.time.ZonedTimestamp","version":1},"optional":true}', '["2020-04-01T11:51:02.000000Z"]', '[]', 'null'],
  ab: ['{"type":"array","items":{"type":"bytes","optional":true},"optional":true}', '["AQI=",null]', '[]', 'null'],
  ae: ['{"type":"array","items":{"type":"string","optional":false,"name":"io.debezium.data.Enum","version":1,"parameters":{"allowed":"sad,ok,happy"}},"optional":true}', '["sad","happy"]', '[]', 'null'],
  au: ['{"type":"array","items":{"type":"string","optional":true,"name":"io.debezium.data.Uuid","version":1},"optional":true}', '["f0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"]', '[]', 'null'],
};
// decimal string, time isostring, binary hex, hstore map, interval string: the columns that change
// biome-ignore format: one column per line
const DEBEZIUM_STRING_MODES: Expected = {
  ...DEBEZIUM_DEFAULT,
  n52: ['{"type":"string","optional":true}', '"-123.45"', '"0.05"', 'null'],
  n: ['{"type":"string","optional":true}', '"10.1111"', '"1000"', 'null'],
  m: ['{"type":"string","optional":true}', '"-1234.57"', '"0.00"', 'null'],
  ba: ['{"type":"string","optional":true}', '"00fbff"', '""', 'null'],
  d: ['{"type":"string","optional":true,"name":"io.debezium.time.IsoDate","version":1}', '"2016-11-04Z"', '"-0043-03-15Z"', '"-5877611-06-21Z"'],
  tm: ['{"type":"string","optional":true,"name":"io.debezium.time.IsoTime","version":1}', '"13:51:30.123456Z"', '"00:00:00Z"', 'null'],
  tm3: ['{"type":"string","optional":true,"name":"io.debezium.time.IsoTime","version":1}', '"13:51:30.123Z"', '"00:00:00Z"', 'null'],
  ts: ['{"type":"string","optional":true,"name":"io.debezium.time.IsoTimestamp","version":1}', '"2016-11-04T13:51:30.123456Z"', '"1969-12-31T23:59:59.999999Z"', '"+294247-01-10T04:00:25.2Z"'],
  ts3: ['{"type":"string","optional":true,"name":"io.debezium.time.IsoTimestamp","version":1}', '"2016-11-04T13:51:30.123Z"', '"-4712-12-31T23:59:59.999Z"', '"-290308-12-21T19:59:27.6Z"'],
  iv: ['{"type":"string","optional":true,"name":"io.debezium.time.Interval","version":1}', '"P1Y2M3DT4H5M6.78S"', '"P-1Y-2M3DT-4H-5M-6.789S"', '"P0Y0M0DT0H0M0S"'],
  hs: ['{"type":"map","keys":{"type":"string","optional":false},"values":{"type":"string","optional":true},"optional":true}', '{"key5":null,"key4":"val4"}', '{}', 'null'],
  dm: ['{"type":"string","optional":true}', '"1234.50"', '"-0.01"', 'null'],
  an: ['{"type":"array","items":{"type":"string","optional":true},"optional":true}', '["1.5",null]', '[]', 'null'],
  avn: ['{"type":"array","items":{"type":"string","optional":true},"optional":true}', '["1.10","22.2222"]', '["0.00"]', 'null'],
  ad: ['{"type":"array","items":{"type":"string","optional":true,"name":"io.debezium.time.IsoDate","version":1},"optional":true}', '["2016-11-04Z",null]', '[]', 'null'],
  ab: ['{"type":"array","items":{"type":"string","optional":true},"optional":true}', '["0102",null]', '[]', 'null'],
};

const TEXT = { getTypeParser: () => (value: string) => value };
const options = Object.entries(SESSION_SETTINGS)
  .map(([name, value]) => `-c ${name}=${value}`)
  .join(' ');

let client: pg.Client;
let catalog: TypeCatalog;
let columns: PgColumn[];
let rows: Record<string, string | null>[];

beforeAll(async () => {
  client = new pg.Client({ connectionString: POSTGRES_URL, options });
  await client.connect();
  // Extensions are per database and shared by every test: created if missing, never dropped.
  await client.query('CREATE EXTENSION IF NOT EXISTS hstore');
  await client.query('CREATE EXTENSION IF NOT EXISTS citext');
  await client.query(`CREATE SCHEMA ${S}`);
  await client.query(`CREATE TYPE ${S}.mood AS ENUM ('sad', 'ok', 'happy')`);
  await client.query(`CREATE DOMAIN ${S}.amount AS numeric(10,2)`);
  await client.query(TABLE);
  const placeholders = (ROWS[0] as unknown[]).map((_, i) => `$${i + 1}`).join(', ');
  for (const row of ROWS) await client.query(`INSERT INTO ${S}.t VALUES (${placeholders})`, row);
  catalog = await TypeCatalog.load(client);
  const attributes = await client.query<{
    attname: string;
    atttypid: string;
    atttypmod: string;
    attnotnull: string;
  }>({
    text: `SELECT attname, atttypid, atttypmod, attnotnull FROM pg_attribute
            WHERE attrelid = '${S}.t'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    types: TEXT,
  });
  columns = attributes.rows.map((a) => ({
    name: a.attname,
    typeOid: Number(a.atttypid),
    typeMod: Number(a.atttypmod),
    optional: a.attnotnull !== 't',
  }));
  rows = (await client.query({ text: `SELECT * FROM ${S}.t ORDER BY id`, types: TEXT })).rows;
});

afterAll(async () => {
  await client?.query(`DROP SCHEMA IF EXISTS ${S} CASCADE`);
  await client?.end();
});

const json = new JsonConverter();
json.configure({ 'schemas.enable': 'true' }, false);
const serialize = (schema: Parameters<typeof json.fromConnectData>[2], value: unknown): string =>
  Buffer.from(json.fromConnectData('t', null, schema, value) as Uint8Array).toString('utf8');

/** Every cell whose JSON differs from Debezium's: `column/row: ours ≠ Debezium's`. */
function mismatches(modes: HandlingModes, expected: Expected): string[] {
  const out: string[] = [];
  for (const column of columns) {
    const converter = columnConverter(column, catalog, modes);
    const [schema, ...payloads] = expected[column.name] ?? ['(not expected)'];
    if (!converter) {
      out.push(`${column.name}: dropped`);
      continue;
    }
    const struct = SchemaBuilder.struct().field('v', converter.schema).build();
    const field = `${schema.slice(0, -1)},"field":"v"}`;
    rows.forEach((row, i) => {
      const text = row[column.name] ?? null;
      const value = text === null ? converter.nullValue : converter.fromText(text);
      const ours = serialize(struct, new Struct(struct).put('v', value));
      const debezium = `{"schema":{"type":"struct","fields":[${field}],"optional":false},"payload":{"v":${payloads[i]}}}`;
      if (ours !== debezium) out.push(`${column.name}/${i + 1}: ${ours} ≠ ${debezium}`);
    });
  }
  return out;
}

describe('PostgreSQL types against Debezium 3.6.1.Final', () => {
  it('reads the catalog: enum labels, domain base and modifier, array elements, extension types', () => {
    const byName = (name: string) => columns.find((c) => c.name === name) as PgColumn;
    expect(catalog.get(byName('e').typeOid)).toMatchObject({ kind: 'e', enumLabels: ['sad', 'ok', 'happy'] });
    // numeric(10,2): typmod (10 << 16 | 2) + 4
    expect(catalog.get(byName('dm').typeOid)).toMatchObject({ kind: 'd', baseOid: 1700, typmod: 655_366 });
    expect(catalog.get(byName('ae').typeOid)).toMatchObject({
      category: 'A',
      elementOid: byName('e').typeOid,
    });
    expect(catalog.get(byName('hs').typeOid)?.name).toBe('hstore');
    expect(catalog.get(1700)).toEqual({
      oid: 1700,
      schema: 'pg_catalog',
      name: 'numeric',
      kind: 'b',
      category: 'N',
    });
  });

  it('converts every column as Debezium does (decimal precise, time adaptive, binary bytes, hstore json)', () => {
    expect(Object.keys(DEBEZIUM_DEFAULT)).toEqual(columns.map((c) => c.name));
    expect(mismatches(DEFAULT_MODES, DEBEZIUM_DEFAULT)).toEqual([]);
  });

  it('converts every column as Debezium does in the string modes (string, isostring, hex, map, string)', () => {
    expect(mismatches(STRING_MODES, DEBEZIUM_STRING_MODES)).toEqual([]);
  });

  it("serialises a read event as Debezium's documented JSON: names, parameters, encodings", () => {
    const topic = topicName('shop', S, 't');
    const schemas = tableSchemas({
      topic,
      table: { schema: S, table: 't' },
      columns,
      keyColumns: ['id'],
      catalog,
      modes: DEFAULT_MODES,
    });
    const first = rows[0] as Record<string, string | null>;
    const values = new Map(Object.entries(first));
    const source = sourceStruct({
      version: '3.6.1.Final',
      name: 'shop',
      db: 'test',
      schema: S,
      table: 't',
      tsUs: 1_559_033_904_863_123n,
      snapshot: 'first',
      txId: 555,
      lsn: 24_023_128n,
      lastCommitLsn: 24_023_119n,
    });
    const event = envelope(schemas, 'r', null, schemas.row(values), source, 1_559_033_904_863_456n);
    const value = JSON.parse(serialize(schemas.envelopeSchema, event));
    expect([value.schema.name, value.schema.version, value.schema.optional]).toEqual([
      `${topic}.Envelope`,
      2,
      false,
    ]);
    expect(value.schema.fields.map((f: { field: string }) => f.field)).toEqual([
      'before',
      'after',
      'source',
      'transaction',
      'op',
      'ts_ms',
      'ts_us',
      'ts_ns',
    ]);
    const after = value.schema.fields[1];
    expect([after.name, after.optional]).toEqual([`${topic}.Value`, true]);
    expect(after.fields.find((f: { field: string }) => f.field === 'n52')).toEqual({
      type: 'bytes',
      optional: true,
      name: 'org.apache.kafka.connect.data.Decimal',
      version: 1,
      parameters: { scale: '2', 'connect.decimal.precision': '5' },
      field: 'n52',
    });
    const snapshot = value.schema.fields[2].fields.find((f: { field: string }) => f.field === 'snapshot');
    expect(snapshot).toMatchObject({ name: 'io.debezium.data.Enum', default: 'false', optional: true });
    expect(value.payload.after).toMatchObject({
      id: 1,
      n52: 'z8c=', // -123.45: unscaled -12345 as two's complement bytes, base64
      ts: 1_478_267_490_123_456,
      tstz: '2016-11-04T11:51:30.123456Z',
      e: 'ok',
    });
    expect(value.payload).toMatchObject({
      before: null,
      op: 'r',
      ts_ms: 1_559_033_904_863,
      transaction: null,
    });
    expect(value.payload.source).toEqual({
      version: '3.6.1.Final',
      connector: 'postgresql',
      name: 'shop',
      ts_ms: 1_559_033_904_863,
      snapshot: 'first',
      db: 'test',
      sequence: '["24023119","24023128"]',
      ts_us: 1_559_033_904_863_123,
      ts_ns: 1_559_033_904_863_123_000,
      schema: S,
      table: 't',
      txId: 555,
      lsn: 24_023_128,
      xmin: null,
      origin: null,
      origin_lsn: null,
    });
    const key = JSON.parse(serialize(schemas.keySchema, schemas.key(values)));
    expect(key).toEqual({
      schema: {
        type: 'struct',
        fields: [{ type: 'int32', optional: false, field: 'id' }],
        optional: false,
        name: `${topic}.Key`,
      },
      payload: { id: 1 },
    });
  });
});
