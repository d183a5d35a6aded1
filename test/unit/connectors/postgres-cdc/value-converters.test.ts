import { describe, expect, it } from 'vitest';
import {
  BigDecimal,
  DataError,
  type Schema,
  Schemas,
  type Struct,
  valueEquals,
} from '../../../../lib/api/index.js';
import {
  envelope,
  HEARTBEAT_KEY_SCHEMA,
  HEARTBEAT_VALUE_SCHEMA,
  heartbeatKey,
  SOURCE_SCHEMA,
  sourceStruct,
  tableSchemas,
  topicName,
  UNCHANGED,
} from '../../../../lib/connectors/postgres-cdc/event-schemas.js';
import { PgOid, type PgType, TypeCatalog } from '../../../../lib/connectors/postgres-cdc/pg-types.js';
import {
  type ColumnConverter,
  columnConverter,
  type HandlingModes,
  type PgColumn,
} from '../../../../lib/connectors/postgres-cdc/value-converters.js';

// Expected values come from Debezium 3.6.1.Final's own tests and code; each group cites where. DBZ_TEST is
// the test that pins most of them (its inserts and the values Debezium asserts for them).
// DBZ_TEST: https://github.com/debezium/debezium/blob/v3.6.1.Final/debezium-connector-postgres/src/test/java/io/debezium/connector/postgresql/AbstractRecordsProducerTest.java
// PVC:      https://github.com/debezium/debezium/blob/v3.6.1.Final/debezium-connector-postgres/src/main/java/io/debezium/connector/postgresql/PostgresValueConverter.java
// JVC:      https://github.com/debezium/debezium/blob/v3.6.1.Final/debezium-connector-common/src/main/java/io/debezium/jdbc/JdbcValueConverters.java

// The catalog rows of the built-in types (pg_type.dat) plus the extension, enum and domain types a real
// database would have under its own OIDs.
const builtin: [number, string, string, number?][] = [
  [16, 'bool', 'B'],
  [17, 'bytea', 'U'],
  [18, 'char', 'Z'],
  [19, 'name', 'S'],
  [20, 'int8', 'N'],
  [21, 'int2', 'N'],
  [23, 'int4', 'N'],
  [25, 'text', 'S'],
  [26, 'oid', 'N'],
  [114, 'json', 'U'],
  [142, 'xml', 'U'],
  [600, 'point', 'G'],
  [603, 'box', 'G'],
  [650, 'cidr', 'I'],
  [700, 'float4', 'N'],
  [701, 'float8', 'N'],
  [774, 'macaddr8', 'U'],
  [790, 'money', 'N'],
  [829, 'macaddr', 'U'],
  [869, 'inet', 'I'],
  [1042, 'bpchar', 'S'],
  [1043, 'varchar', 'S'],
  [1082, 'date', 'D'],
  [1083, 'time', 'D'],
  [1114, 'timestamp', 'D'],
  [1184, 'timestamptz', 'D'],
  [1186, 'interval', 'T'],
  [1266, 'timetz', 'D'],
  [1560, 'bit', 'V'],
  [1562, 'varbit', 'V'],
  [1700, 'numeric', 'N'],
  [2950, 'uuid', 'U'],
  [3614, 'tsvector', 'U'],
  [3802, 'jsonb', 'U'],
  [3904, 'int4range', 'R'],
  [3908, 'tsrange', 'R'],
  [1000, '_bool', 'A', 16],
  [1001, '_bytea', 'A', 17],
  [1005, '_int2', 'A', 21],
  [1007, '_int4', 'A', 23],
  [1009, '_text', 'A', 25],
  [1016, '_int8', 'A', 20],
  [1017, '_point', 'A', 600],
  [1020, '_box', 'A', 603],
  [1021, '_float4', 'A', 700],
  [1115, '_timestamp', 'A', 1114],
  [1182, '_date', 'A', 1082],
  [1183, '_time', 'A', 1083],
  [1185, '_timestamptz', 'A', 1184],
  [1187, '_interval', 'A', 1186],
  [1231, '_numeric', 'A', 1700],
  [1561, '_bit', 'A', 1560],
  [2951, '_uuid', 'A', 2950],
  [3643, '_tsvector', 'A', 3614],
];
const HSTORE = 16_400;
const CITEXT = 16_500;
const MOOD = 16_600;
const MONEY_DOMAIN = 16_700;
const BITS_DOMAIN = 16_710;
const NESTED_DOMAIN = 16_720;
const types: PgType[] = [
  ...builtin.map(
    ([oid, name, category, elementOid]): PgType => ({
      oid,
      schema: 'pg_catalog',
      name,
      kind: name.endsWith('range') ? 'r' : 'b',
      category,
      ...(elementOid === undefined ? {} : { elementOid }),
    }),
  ),
  { oid: HSTORE, schema: 'public', name: 'hstore', kind: 'b', category: 'U' },
  { oid: HSTORE + 1, schema: 'public', name: '_hstore', kind: 'b', category: 'A', elementOid: HSTORE },
  { oid: CITEXT, schema: 'public', name: 'citext', kind: 'b', category: 'S' },
  { oid: CITEXT + 1, schema: 'public', name: '_citext', kind: 'b', category: 'A', elementOid: CITEXT },
  { oid: MOOD, schema: 'public', name: 'mood', kind: 'e', category: 'E', enumLabels: ['sad', 'ok', 'happy'] },
  { oid: MOOD + 1, schema: 'public', name: '_mood', kind: 'b', category: 'A', elementOid: MOOD },
  // numeric(10,2): typmod (10 << 16 | 2) + 4
  {
    oid: MONEY_DOMAIN,
    schema: 'public',
    name: 'amount',
    kind: 'd',
    category: 'N',
    baseOid: 1700,
    typmod: 655_366,
  },
  {
    oid: MONEY_DOMAIN + 1,
    schema: 'public',
    name: '_amount',
    kind: 'b',
    category: 'A',
    elementOid: MONEY_DOMAIN,
  },
  { oid: BITS_DOMAIN, schema: 'public', name: 'flags', kind: 'd', category: 'V', baseOid: 1562, typmod: 3 },
  {
    oid: NESTED_DOMAIN,
    schema: 'public',
    name: 'positive_amount',
    kind: 'd',
    category: 'N',
    baseOid: MONEY_DOMAIN,
  },
];
const catalog = new TypeCatalog(types);

const MODES: HandlingModes = {
  decimal: 'precise',
  time: 'adaptive',
  binary: 'bytes',
  hstore: 'json',
  interval: 'numeric',
  moneyFractionDigits: 2,
  includeUnknownDatatypes: false,
  unavailablePlaceholder: '__debezium_unavailable_value',
};

const NUMERIC = (precision: number, scale: number) => ((precision << 16) | scale) + 4;

function converter(
  typeOid: number,
  modes: Partial<HandlingModes> = {},
  typeMod = -1,
  optional = true,
): ColumnConverter {
  const c = columnConverter({ name: 'c', typeOid, typeMod, optional }, catalog, { ...MODES, ...modes });
  if (!c) throw new Error(`type ${typeOid} was dropped`);
  return c;
}

/** The schema a column gets, as `name:type` with parameters, for compact expectations. */
function describe_(schema: Schema): string {
  const params = schema.parameters ? JSON.stringify(schema.parameters) : '';
  const core = `${schema.name ?? ''}:${schema.type}${schema.version ? `@${schema.version}` : ''}${params}`;
  const element = schema.valueSchema ? `<${describe_(schema.valueSchema)}>` : '';
  return `${schema.optional ? '?' : ''}${core}${element}`;
}

const bytes = (...values: number[]) => new Uint8Array(values.map((v) => v & 0xff));
const micros = (iso: string) => BigInt(Date.parse(`${iso}Z`)) * 1000n;

describe('integers, floats and booleans (PVC schemaBuilder; DBZ_TEST schemasAndValuesForNumericType)', () => {
  it('maps int2/int4/int8/oid to INT16/INT32/INT64, bigint beyond 2^53 as bigint', () => {
    expect(describe_(converter(PgOid.INT2).schema)).toBe('?:INT16');
    expect(converter(PgOid.INT2).fromText('-32768')).toBe(-32768);
    expect(converter(PgOid.INT4).fromText('123456')).toBe(123456);
    expect(converter(PgOid.INT8).fromText('1234567890123')).toBe(1234567890123);
    expect(converter(PgOid.INT8).fromText('-9223372036854775808')).toBe(-9223372036854775808n);
    expect(describe_(converter(PgOid.OID).schema)).toBe('?:INT64');
    expect(converter(PgOid.OID).fromText('4000000000')).toBe(4_000_000_000);
  });

  it('reads float4 as the float32 value and float8 exactly, with NaN and infinities', () => {
    expect(describe_(converter(PgOid.FLOAT4).schema)).toBe('?:FLOAT32');
    expect(converter(PgOid.FLOAT4).fromText('3.3')).toBe(Math.fround(3.3));
    expect(converter(PgOid.FLOAT8).fromText('4.44')).toBe(4.44);
    expect(converter(PgOid.FLOAT8).fromText('NaN')).toBeNaN();
    expect(converter(PgOid.FLOAT4).fromText('-Infinity')).toBe(Number.NEGATIVE_INFINITY);
    expect(converter(PgOid.FLOAT8).fromText('Infinity')).toBe(Number.POSITIVE_INFINITY);
  });

  it('maps bool to BOOLEAN', () => {
    expect(describe_(converter(PgOid.BOOL, {}, -1, false).schema)).toBe(':BOOLEAN');
    expect([converter(PgOid.BOOL).fromText('t'), converter(PgOid.BOOL).fromText('f')]).toEqual([true, false]);
  });
});

describe('numeric (PVC numericSchema/convertDecimal; DBZ_TEST *EncodedNumericTypes)', () => {
  it('precise: Decimal with scale and connect.decimal.precision, values at the column scale', () => {
    const c = converter(PgOid.NUMERIC, {}, NUMERIC(3, 2));
    expect(describe_(c.schema)).toBe(
      '?org.apache.kafka.connect.data.Decimal:BYTES@1{"scale":"2","connect.decimal.precision":"3"}',
    );
    expect(c.fromText('1.10')).toEqual(new BigDecimal(110n, 2));
    expect(c.fromText('-0.05')).toEqual(new BigDecimal(-5n, 2));
    expect(converter(PgOid.NUMERIC, {}, NUMERIC(6, 4)).fromText('22.0000')).toEqual(
      new BigDecimal(220000n, 4),
    );
  });

  it('precise without precision: VariableScaleDecimal, trailing zeros stripped, never a negative scale', () => {
    const c = converter(PgOid.NUMERIC);
    expect(c.schema.name).toBe('io.debezium.data.VariableScaleDecimal');
    expect(c.schema.doc).toBe('Variable scaled decimal');
    expect(c.schema.fields().map((f) => `${f.name}:${f.schema.type}`)).toEqual([
      'scale:INT32',
      'value:BYTES',
    ]);
    const struct = (t: string) => c.fromText(t) as Struct;
    expect([struct('10.1111').get('scale'), struct('10.1111').get('value')]).toEqual([
      4,
      bytes(0x01, 0x8a, 0xf7),
    ]);
    expect([
      struct('22.2200').get('scale'),
      struct('1000').get('scale'),
      struct('1000').get('value'),
    ]).toEqual([2, 0, bytes(0x03, 0xe8)]);
    expect([struct('-1.5').get('scale'), struct('-1.5').get('value')]).toEqual([1, bytes(-15)]);
    expect([struct('0.00').get('scale'), struct('0.00').get('value')]).toEqual([0, bytes(0)]);
  });

  it('fails NaN and infinities in precise mode, as Debezium does', () => {
    expect(() => converter(PgOid.NUMERIC, {}, NUMERIC(5, 2)).fromText('NaN')).toThrow(DataError);
    expect(() => converter(PgOid.NUMERIC).fromText('Infinity')).toThrow(/decimal handling mode to 'string'/);
  });

  it("string: the plain digits at the column's scale; NaN and infinities by their enum names", () => {
    const fixed = converter(PgOid.NUMERIC, { decimal: 'string' }, NUMERIC(6, 4));
    const variable = converter(PgOid.NUMERIC, { decimal: 'string' });
    expect(describe_(fixed.schema)).toBe('?:STRING');
    expect([fixed.fromText('22.2200'), variable.fromText('22.2222'), variable.fromText('-0.000001')]).toEqual(
      ['22.2200', '22.2222', '-0.000001'],
    );
    expect(['NaN', 'Infinity', '-Infinity'].map(variable.fromText)).toEqual([
      'NAN',
      'POSITIVE_INFINITY',
      'NEGATIVE_INFINITY',
    ]);
  });

  it('double: FLOAT64, NaN and infinities as doubles', () => {
    const c = converter(PgOid.NUMERIC, { decimal: 'double' }, NUMERIC(4, 2));
    expect(describe_(c.schema)).toBe('?:FLOAT64');
    expect([c.fromText('22.22'), c.fromText('-1.10')]).toEqual([22.22, -1.1]);
    expect(c.fromText('NaN')).toBeNaN();
    expect(c.fromText('-Infinity')).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('money (PVC moneySchema/convertMoney, PostgresMoney; DBZ_TEST schemaAndValuesForMoneyTypes)', () => {
  it('precise: Decimal of money.fraction.digits without precision, rounded half up', () => {
    const c = converter(PgOid.MONEY);
    expect(describe_(c.schema)).toBe('?org.apache.kafka.connect.data.Decimal:BYTES@1{"scale":"2"}');
    expect([c.fromText('$1,234.11'), c.fromText('-$1,234.11')]).toEqual([
      new BigDecimal(123411n, 2),
      new BigDecimal(-123411n, 2),
    ]);
    const whole = converter(PgOid.MONEY, { moneyFractionDigits: 0 });
    expect([whole.fromText('$2.50'), whole.fromText('-$2.50'), whole.fromText('$2.49')]).toEqual([
      new BigDecimal(3n, 0),
      new BigDecimal(-3n, 0),
      new BigDecimal(2n, 0),
    ]);
  });

  it('string and double', () => {
    expect(converter(PgOid.MONEY, { decimal: 'string' }).fromText('-$1,234,567.50')).toBe('-1234567.50');
    expect(converter(PgOid.MONEY, { decimal: 'double' }).fromText('$0.10')).toBe(0.1);
  });
});

describe('bit and varbit (PVC convertBits; DBZ_TEST schemaAndValuesForBinTypes)', () => {
  it('bit(1) and varbit(1) are booleans', () => {
    expect(describe_(converter(PgOid.BIT, {}, 1).schema)).toBe('?:BOOLEAN');
    expect([converter(PgOid.BIT, {}, 1).fromText('0'), converter(PgOid.VARBIT, {}, 1).fromText('1')]).toEqual(
      [false, true],
    );
  });

  it('longer ones are Bits of the declared length, little-endian in as few bytes as needed', () => {
    expect(describe_(converter(PgOid.BIT, {}, 2).schema)).toBe(
      '?io.debezium.data.Bits:BYTES@1{"length":"2"}',
    );
    expect(converter(PgOid.BIT, {}, 2).fromText('11')).toEqual(bytes(3));
    expect(converter(PgOid.BIT, {}, 7).fromText('1000000')).toEqual(bytes(64));
    expect(converter(PgOid.BIT, {}, 2).fromText('00')).toEqual(bytes());
    expect(converter(PgOid.BIT, {}, 24).fromText('000000110000001000000001')).toEqual(bytes(1, 2, 3));
    expect(converter(PgOid.BIT, {}, 64).fromText(`1${'0'.repeat(63)}`)).toEqual(
      bytes(0, 0, 0, 0, 0, 0, 0, -128),
    );
  });

  it('unbounded varbit has length Integer.MAX_VALUE', () => {
    const c = converter(PgOid.VARBIT);
    expect(c.schema.parameters).toEqual({ length: '2147483647' });
    expect(c.fromText('101')).toEqual(bytes(5));
    expect(c.fromText('111011010001000110000001000000001')).toEqual(bytes(1, 2, 35, -38, 1));
    expect(c.fromText('')).toEqual(bytes());
  });
});

describe('text-like types (PVC schemaBuilder; DBZ_TEST schemasAndValuesForTextTypes, ForStringTypes)', () => {
  it('keeps the text, under the semantic names Debezium gives json, jsonb, xml, uuid and tsvector', () => {
    const cases: [number, string][] = [
      [PgOid.TEXT, '?:STRING'],
      [PgOid.VARCHAR, '?:STRING'],
      [PgOid.BPCHAR, '?:STRING'],
      [PgOid.CHAR, '?:STRING'],
      [PgOid.NAME, '?:STRING'],
      [PgOid.INET, '?:STRING'],
      [PgOid.CIDR, '?:STRING'],
      [PgOid.MACADDR, '?:STRING'],
      [PgOid.MACADDR8, '?:STRING'],
      [PgOid.INT4RANGE, '?:STRING'],
      [PgOid.TSRANGE, '?:STRING'],
      [CITEXT, '?:STRING'],
      [PgOid.JSON, '?io.debezium.data.Json:STRING@1'],
      [PgOid.JSONB, '?io.debezium.data.Json:STRING@1'],
      [PgOid.XML, '?io.debezium.data.Xml:STRING@1'],
      [PgOid.UUID, '?io.debezium.data.Uuid:STRING@1'],
      [PgOid.TSVECTOR, '?io.debezium.data.Tsvector:STRING@1'],
    ];
    expect(cases.map(([oid]) => describe_(converter(oid).schema))).toEqual(cases.map(([, s]) => s));
    expect(converter(PgOid.BPCHAR).fromText('cdef  ')).toBe('cdef  ');
    expect(converter(PgOid.TEXT).fromText('')).toBe('');
    expect(converter(PgOid.TSRANGE).fromText('["2019-03-31 15:30:00",infinity)')).toBe(
      '["2019-03-31 15:30:00",infinity)',
    );
  });

  it('maps enums to io.debezium.data.Enum with the labels in sort order', () => {
    const c = converter(MOOD);
    expect(describe_(c.schema)).toBe('?io.debezium.data.Enum:STRING@1{"allowed":"sad,ok,happy"}');
    expect(c.fromText('ok')).toBe('ok');
  });
});

describe('bytea and unknown types (JVC convertBinary*, PVC convertBinaryToBytes; DBZ_TEST schemaAndValueForByteaBytes)', () => {
  it('reads hex bytea in each binary.handling.mode', () => {
    const text = '\\x00fbff';
    expect(converter(PgOid.BYTEA).fromText(text)).toEqual(bytes(0, 0xfb, 0xff));
    expect(converter(PgOid.BYTEA).fromText('\\x')).toEqual(bytes());
    expect(describe_(converter(PgOid.BYTEA, { binary: 'base64' }).schema)).toBe('?:STRING');
    expect(converter(PgOid.BYTEA, { binary: 'base64' }).fromText(text)).toBe('APv/');
    expect(converter(PgOid.BYTEA, { binary: 'base64-url-safe' }).fromText(text)).toBe('APv_');
    expect(converter(PgOid.BYTEA, { binary: 'base64-url-safe' }).fromText('\\x01')).toBe('AQ==');
    expect(converter(PgOid.BYTEA, { binary: 'hex' }).fromText(text)).toBe('00fbff');
  });

  it('drops unknown types unless include.unknown.datatypes, then gives their text as bytes', () => {
    expect(
      columnConverter({ name: 'b', typeOid: 603, typeMod: -1, optional: true }, catalog, MODES),
    ).toBeUndefined();
    const c = converter(603, { includeUnknownDatatypes: true });
    expect(describe_(c.schema)).toBe('?:BYTES');
    expect(c.fromText('(1,1),(0,0)')).toEqual(new Uint8Array(Buffer.from('(1,1),(0,0)')));
    expect(converter(603, { includeUnknownDatatypes: true, binary: 'hex' }).fromText('(1,1)')).toBe(
      '28312c3129',
    );
  });
});

describe('date (JVC convertDate, TemporalPrecisionMode; DBZ_TEST schemaAndValuesForDateTimeTypes)', () => {
  it('adaptive: io.debezium.time.Date epoch days, BC dates proleptic', () => {
    const c = converter(PgOid.DATE);
    expect(describe_(c.schema)).toBe('?io.debezium.time.Date:INT32@1');
    expect(c.fromText('2016-11-04')).toBe(Date.UTC(2016, 10, 4) / 86_400_000);
    expect(c.fromText('1969-12-31')).toBe(-1);
    // 44 BC is year -43: new Date(Date.UTC(-43, 2, 15)) counts proleptic days too.
    expect(c.fromText('0044-03-15 BC')).toBe(Date.UTC(-43, 2, 15) / 86_400_000);
  });

  it("gives ±infinity Debezium's stand-in dates (-5877611-06-21 and -22), as ints", () => {
    // (int) LocalDate.parse("-5877611-06-21").toEpochDay(), as jshell prints it
    expect(converter(PgOid.DATE).fromText('infinity')).toBe(-2_147_472_692);
    expect(converter(PgOid.DATE).fromText('-infinity')).toBe(-2_147_472_691);
    expect(converter(PgOid.DATE, { time: 'isostring' }).fromText('infinity')).toBe('-5877611-06-21Z');
  });

  it('isostring and connect', () => {
    expect(describe_(converter(PgOid.DATE, { time: 'isostring' }).schema)).toBe(
      '?io.debezium.time.IsoDate:STRING@1',
    );
    expect(converter(PgOid.DATE, { time: 'isostring' }).fromText('0044-03-15 BC')).toBe('-0043-03-15Z');
    expect(converter(PgOid.DATE, { time: 'isostring' }).fromText('10000-01-01')).toBe('+10000-01-01Z');
    const connect = converter(PgOid.DATE, { time: 'connect' });
    expect(describe_(connect.schema)).toBe('?org.apache.kafka.connect.data.Date:INT32@1');
    expect(connect.fromText('2016-11-04')).toEqual(new Date(Date.UTC(2016, 10, 4)));
    expect(() => connect.fromText('infinity')).toThrow(/outside the range of a JavaScript Date/);
  });
});

describe('time (JVC convertTime, Strings.asDuration, MicroTime/Time/NanoTime/IsoTime)', () => {
  it('adaptive: MicroTime (Time for precision ≤ 3), 24:00:00 kept as a full day', () => {
    expect(describe_(converter(PgOid.TIME).schema)).toBe('?io.debezium.time.MicroTime:INT64@1');
    expect(converter(PgOid.TIME).fromText('13:51:30')).toBe(49_890_000_000);
    expect(converter(PgOid.TIME).fromText('13:51:30.000001')).toBe(49_890_000_001);
    expect(converter(PgOid.TIME).fromText('24:00:00')).toBe(86_400_000_000);
    expect(describe_(converter(PgOid.TIME, {}, 3).schema)).toBe('?io.debezium.time.Time:INT32@1');
    expect(converter(PgOid.TIME, {}, 3).fromText('13:51:30.123')).toBe(49_890_123);
  });

  it('the other modes', () => {
    expect(converter(PgOid.TIME, { time: 'adaptive_time_microseconds' }, 0).fromText('00:00:01')).toBe(
      1_000_000,
    );
    expect(converter(PgOid.TIME, { time: 'microseconds' }, 3).schema.name).toBe('io.debezium.time.MicroTime');
    expect(converter(PgOid.TIME, { time: 'nanoseconds' }).fromText('00:00:00.000001')).toBe(1000);
    const iso = converter(PgOid.TIME, { time: 'isostring' });
    expect([iso.fromText('13:51:30.120'), iso.fromText('24:00:00'), iso.fromText('00:00:00')]).toEqual([
      '13:51:30.12Z',
      '00:00:00Z',
      '00:00:00Z',
    ]);
    const connect = converter(PgOid.TIME, { time: 'connect' });
    expect(describe_(connect.schema)).toBe('?org.apache.kafka.connect.data.Time:INT32@1');
    expect(connect.fromText('00:00:01.999999')).toEqual(new Date(1999));
  });
});

describe('timestamp (PVC convertTimestampToLocalDateTime, JVC convertTimestamp; DBZ_TEST schemaAndValuesForDateTimeTypes)', () => {
  it('adaptive: MicroTimestamp, Timestamp for precision ≤ 3; exact microseconds before 1970', () => {
    const c = converter(PgOid.TIMESTAMP);
    expect(describe_(c.schema)).toBe('?io.debezium.time.MicroTimestamp:INT64@1');
    expect(c.fromText('2016-11-04 13:51:30.123456')).toBe(Number(micros('2016-11-04T13:51:30.123') + 456n));
    expect(c.fromText('1936-10-25 22:10:12.608')).toBe(Number(micros('1936-10-25T22:10:12.608')));
    expect(c.fromText('1969-12-31 23:59:59.999999')).toBe(-1);
    expect(c.fromText('294247-01-01 23:59:59.999999')).toBe(9_223_371_331_200_000_000n - 1n);
    expect(c.fromText('4713-12-31 23:59:59.999999 BC')).toBe(-210_831_897_600_000_001n);
    const millis = converter(PgOid.TIMESTAMP, {}, 3);
    expect(describe_(millis.schema)).toBe('?io.debezium.time.Timestamp:INT64@1');
    expect(millis.fromText('1969-12-31 23:59:59.999')).toBe(-1);
  });

  it('±infinity as PGStatement.DATE_POSITIVE/NEGATIVE_INFINITY (micros), Long.MAX/MIN in nanoseconds', () => {
    expect(converter(PgOid.TIMESTAMP).fromText('infinity')).toBe(9_223_372_036_825_200_000n);
    expect(converter(PgOid.TIMESTAMP).fromText('-infinity')).toBe(-9_223_372_036_832_400_000n);
    expect(converter(PgOid.TIMESTAMP, {}, 0).fromText('infinity')).toBe(9_223_372_036_825_200n);
    expect(converter(PgOid.TIMESTAMP, { time: 'isostring' }).fromText('infinity')).toBe(
      '+294247-01-10T04:00:25.2Z',
    );
    expect(converter(PgOid.TIMESTAMP, { time: 'nanoseconds' }).fromText('infinity')).toBe(2n ** 63n - 1n);
    expect(converter(PgOid.TIMESTAMP, { time: 'nanoseconds' }).fromText('-infinity')).toBe(-(2n ** 63n));
  });

  it('nanoseconds: NanoTimestamp; out of the INT64 range null for an optional column, an error otherwise', () => {
    const c = converter(PgOid.TIMESTAMP, { time: 'nanoseconds' });
    expect(describe_(c.schema)).toBe('?io.debezium.time.NanoTimestamp:INT64@1');
    expect(c.fromText('2016-11-04 13:51:30.123456')).toBe((micros('2016-11-04T13:51:30.123') + 456n) * 1000n);
    expect(c.fromText('1500-01-01 00:00:00')).toBeNull();
    expect(() =>
      converter(PgOid.TIMESTAMP, { time: 'nanoseconds' }, -1, false).fromText('1500-01-01 00:00:00'),
    ).toThrow(DataError);
  });

  it('isostring and connect', () => {
    const iso = converter(PgOid.TIMESTAMP, { time: 'isostring' });
    expect(describe_(iso.schema)).toBe('?io.debezium.time.IsoTimestamp:STRING@1');
    expect(iso.fromText('2016-11-04 13:51:30.120000')).toBe('2016-11-04T13:51:30.12Z');
    expect(iso.fromText('0001-01-01 00:00:00 BC')).toBe('0000-01-01T00:00:00Z');
    const connect = converter(PgOid.TIMESTAMP, { time: 'connect' });
    expect(describe_(connect.schema)).toBe('?org.apache.kafka.connect.data.Timestamp:INT64@1');
    expect(connect.fromText('1969-12-31 23:59:59.9999')).toEqual(new Date(-1));
  });
});

describe('timestamptz and timetz (PVC convertTimestampWithZone/convertTimeWithZone, ZonedTimestamp, ZonedTime)', () => {
  it('ZonedTimestamp in UTC with as many fraction digits as the column scale', () => {
    const c = converter(PgOid.TIMESTAMPTZ);
    expect(describe_(c.schema)).toBe('?io.debezium.time.ZonedTimestamp:STRING@1');
    expect(c.fromText('2016-11-04 11:51:30.123456+00')).toBe('2016-11-04T11:51:30.123456Z');
    expect(c.fromText('21016-11-04 06:51:30+00')).toBe('+21016-11-04T06:51:30.000000Z');
    expect(c.fromText('4714-12-31 23:59:59.999999+00 BC')).toBe('-4713-12-31T23:59:59.999999Z');
    expect(c.fromText('2020-01-01 01:30:00+05:30')).toBe('2019-12-31T20:00:00.000000Z');
    expect(converter(PgOid.TIMESTAMPTZ, {}, 3).fromText('2020-01-01 00:00:00.12+00')).toBe(
      '2020-01-01T00:00:00.120Z',
    );
    expect(converter(PgOid.TIMESTAMPTZ, {}, 0).fromText('2020-01-01 00:00:00+00')).toBe(
      '2020-01-01T00:00:00Z',
    );
    expect([c.fromText('infinity'), c.fromText('-infinity')]).toEqual(['infinity', '-infinity']);
  });

  it('ZonedTime shifted to UTC, fraction without trailing zeros', () => {
    const c = converter(PgOid.TIMETZ);
    expect(describe_(c.schema)).toBe('?io.debezium.time.ZonedTime:STRING@1');
    expect(c.fromText('13:51:30.123789+02')).toBe('11:51:30.123789Z');
    expect(c.fromText('13:51:30.120+02')).toBe('11:51:30.12Z');
    expect(c.fromText('01:00:00+02')).toBe('23:00:00Z');
    expect(() => c.fromText('24:00:00+00')).toThrow(DataError);
  });
});

describe('interval (PVC convertInterval, MicroDuration, Interval; DBZ_TEST schemaAndValuesForIntervalAsString)', () => {
  it('numeric: MicroDuration with 365.25/12 days a month', () => {
    const c = converter(PgOid.INTERVAL);
    expect(describe_(c.schema)).toBe('?io.debezium.time.MicroDuration:INT64@1');
    // MicroDuration.durationMicros(1, 2, 3, 4, 5, 6.78, DAYS_PER_MONTH_AVG), as jshell prints it
    expect(c.fromText('P1Y2M3DT4H5M6.78S')).toBe(37_091_106_780_000);
    expect(c.fromText('PT-0.5S')).toBe(-500_000);
    expect(c.fromText('PT0S')).toBe(0);
  });

  it('string: Interval ISO text, every field, seconds stripped of trailing zeros', () => {
    const c = converter(PgOid.INTERVAL, { interval: 'string' });
    expect(describe_(c.schema)).toBe('?io.debezium.time.Interval:STRING@1');
    expect(c.fromText('P1Y2M3DT4H5M6.78S')).toBe('P1Y2M3DT4H5M6.78S');
    expect(c.fromText('P-1Y-2M3DT-4H-5M-6.789S')).toBe('P-1Y-2M3DT-4H-5M-6.789S');
    expect(c.fromText('PT1H0.000001S')).toBe('P0Y0M0DT1H0M0.000001S');
    expect(c.fromText('PT0S')).toBe('P0Y0M0DT0H0M0S');
  });
});

describe('hstore (PVC convertHStore, HStoreConverter; DBZ_TEST schemaAndValueFieldFor*HStore*)', () => {
  it('json: a JSON object in Java HashMap order, NULL as null', () => {
    const c = converter(HSTORE);
    expect(describe_(c.schema)).toBe('?io.debezium.data.Json:STRING@1');
    expect(c.fromText('"key4"=>"val4", "key5"=>NULL')).toBe('{"key5":null,"key4":"val4"}');
    expect(c.fromText('"key1"=>"val1", "key2"=>"val2", "key3"=>"val3"')).toBe(
      '{"key1":"val1","key2":"val2","key3":"val3"}',
    );
    expect(c.fromText('"key 2"=>" ##123 78", "key_#1"=>"val 1"')).toBe(
      '{"key_#1":"val 1","key 2":" ##123 78"}',
    );
    expect(c.fromText('"q\\"uote"=>"back\\\\slash\u0001"')).toBe('{"q\\"uote":"back\\\\slash\\u0001"}');
    expect(c.fromText('')).toBe('{}');
    // 20 keys: a 32-slot table; the order java.util.HashMap.keySet() prints for these keys.
    const keys = Array.from({ length: 20 }, (_, i) => `k${(i * 7919) % 1000}`);
    const json = c.fromText(keys.map((k) => `"${k}"=>"v"`).join(', ')) as string;
    expect(Object.keys(JSON.parse(json))).toEqual(
      'k947 k704 k838 k0 k919 k190 k271 k28 k352 k461 k595 k433 k785 k542 k676 k514 k866 k623 k109 k757'.split(
        ' ',
      ),
    );
  });

  it('map: a map of optional strings', () => {
    const c = converter(HSTORE, { hstore: 'map' });
    expect(describe_(c.schema)).toBe('?:MAP<?:STRING>');
    expect(c.schema.keySchema).toBe(Schemas.STRING);
    expect([...(c.fromText('"a"=>"1", "b"=>NULL') as Map<string, string | null>)]).toEqual([
      ['a', '1'],
      ['b', null],
    ]);
  });
});

describe('point (PVC convertPoint, Point.createValue; DBZ_TEST schemaAndValuesForGeomTypes)', () => {
  it('is a Point struct with x, y and their WKB', () => {
    const c = converter(PgOid.POINT);
    expect(c.schema.name).toBe('io.debezium.data.geometry.Point');
    expect(c.schema.doc).toBe('Geometry (POINT)');
    expect(c.schema.fields().map((f) => describe_(f.schema))).toEqual([
      ':FLOAT64',
      ':FLOAT64',
      '?:BYTES',
      '?:INT32',
    ]);
    const point = c.fromText('(1.5,-2.25)') as Struct;
    expect([point.get('x'), point.get('y'), point.get('srid')]).toEqual([1.5, -2.25, null]);
    expect(Buffer.from(point.get('wkb') as Uint8Array).toString('hex')).toBe(
      '0101000000000000000000f83f00000000000002c0',
    );
  });
});

describe('arrays (PVC schemaBuilder/createArrayConverter; DBZ_TEST schemasAndValuesForArrayTypes)', () => {
  it('arrays of optional elements, with and without NULLs', () => {
    const ints = converter(PgOid.INT4_ARRAY);
    expect(describe_(ints.schema)).toBe('?:ARRAY<?:INT32>');
    expect(ints.fromText('{1,2,3}')).toEqual([1, 2, 3]);
    expect(ints.fromText('{1,NULL,3}')).toEqual([1, null, 3]);
    expect(ints.fromText('{}')).toEqual([]);
    expect(ints.fromText('[0:1]={4,5}')).toEqual([4, 5]);
    const texts = converter(PgOid.TEXT_ARRAY);
    expect(texts.fromText('{"a b",NULL,"NULL","x\\"y","back\\\\slash",""}')).toEqual([
      'a b',
      null,
      'NULL',
      'x"y',
      'back\\slash',
      '',
    ]);
    expect(converter(PgOid.BYTEA_ARRAY).fromText('{"\\\\x0102",NULL}')).toEqual([bytes(1, 2), null]);
    expect(converter(PgOid.INT8_ARRAY).fromText('{1550166368505037572}')).toEqual([1550166368505037572n]);
  });

  it('element schemas follow the array column: numeric(10,2)[], numeric[], timestamp(3)[], timestamptz[]', () => {
    expect(describe_(converter(PgOid.NUMERIC_ARRAY, {}, NUMERIC(10, 2)).schema)).toBe(
      '?:ARRAY<?org.apache.kafka.connect.data.Decimal:BYTES@1{"scale":"2","connect.decimal.precision":"10"}>',
    );
    expect(converter(PgOid.NUMERIC_ARRAY, {}, NUMERIC(10, 2)).fromText('{1.20,NULL}')).toEqual([
      new BigDecimal(120n, 2),
      null,
    ]);
    const varnum = converter(PgOid.NUMERIC_ARRAY).fromText('{1.1,2.22}') as Struct[];
    expect(varnum.map((s) => s.get('scale'))).toEqual([1, 2]);
    expect(describe_(converter(PgOid.TIMESTAMP_ARRAY, {}, 3).schema)).toBe(
      '?:ARRAY<?io.debezium.time.Timestamp:INT64@1>',
    );
    expect(converter(PgOid.TIMESTAMPTZ_ARRAY).fromText('{"2020-04-01 11:51:02+00"}')).toEqual([
      '2020-04-01T11:51:02.000000Z',
    ]);
    expect(converter(PgOid.UUID_ARRAY).schema.valueSchema?.name).toBe('io.debezium.data.Uuid');
    expect(describe_(converter(CITEXT + 1).schema)).toBe('?:ARRAY<?:STRING>');
    expect(describe_(converter(HSTORE + 1).schema)).toBe('?:ARRAY<?io.debezium.data.Json:STRING@1>');
  });

  it('enum arrays have required elements; tsvector[] too (Debezium builds those from the element type)', () => {
    const moods = converter(MOOD + 1);
    expect(describe_(moods.schema)).toBe('?:ARRAY<io.debezium.data.Enum:STRING@1{"allowed":"sad,ok,happy"}>');
    expect(moods.fromText('{sad,happy}')).toEqual(['sad', 'happy']);
    expect(describe_(converter(3643).schema)).toBe('?:ARRAY<io.debezium.data.Tsvector:STRING@1>');
  });

  it('drops the arrays Debezium has no schema for, and arrays of unknown elements unless asked', () => {
    const dropped = (oid: number, modes: Partial<HandlingModes> = {}) =>
      columnConverter({ name: 'a', typeOid: oid, typeMod: -1, optional: true }, catalog, {
        ...MODES,
        ...modes,
      });
    expect(
      [PgOid.INTERVAL_ARRAY, PgOid.POINT_ARRAY, 1020, MONEY_DOMAIN + 1].map((oid) => dropped(oid)),
    ).toEqual([undefined, undefined, undefined, undefined]);
    expect(dropped(PgOid.INTERVAL_ARRAY, { includeUnknownDatatypes: true })).toBeUndefined();
    expect(describe_(converter(1020, { includeUnknownDatatypes: true }).schema)).toBe('?:ARRAY<:BYTES>');
    // box arrays delimit with ';' (box text has commas)
    expect(
      converter(1020, { includeUnknownDatatypes: true, binary: 'hex' }).fromText('{(1,1),(0,0);(2,2),(1,1)}'),
    ).toEqual([Buffer.from('(1,1),(0,0)').toString('hex'), Buffer.from('(2,2),(1,1)').toString('hex')]);
  });

  it('gives bit[] the schema of one bit(n), whose values then fail (as in Debezium)', () => {
    const c = converter(PgOid.BIT_ARRAY, {}, 1);
    expect(describe_(c.schema)).toBe('?:BOOLEAN');
    expect(() => c.fromText('{1,0}')).toThrow(DataError);
  });

  it('refuses multi-dimensional arrays', () => {
    expect(() => converter(PgOid.INT4_ARRAY).fromText('{{1,2},{3,4}}')).toThrow(/Multi-dimensional/);
  });
});

describe('domains (PostgresConnection.doReadTableColumn: root type, the domain modifier; DBZ_TEST schemasAndValuesForDomainAliasTypes)', () => {
  it('maps a domain as its base type with the modifier the domain applies, through nested domains', () => {
    expect(describe_(converter(MONEY_DOMAIN).schema)).toBe(
      '?org.apache.kafka.connect.data.Decimal:BYTES@1{"scale":"2","connect.decimal.precision":"10"}',
    );
    expect(converter(NESTED_DOMAIN).fromText('1.50')).toEqual(new BigDecimal(150n, 2));
    expect(converter(BITS_DOMAIN).schema.parameters).toEqual({ length: '3' });
    expect(converter(BITS_DOMAIN).fromText('101')).toEqual(bytes(5));
  });
});

describe('unchanged TOAST values and NULLs (UnchangedToastedPlaceholder, PVC handleUnknownData, JVC convertValue)', () => {
  const placeholder = '__debezium_unavailable_value';
  const placeholderBytes = new Uint8Array(Buffer.from(placeholder));

  it('the placeholder in the shape of the column, null where Debezium cannot put it', () => {
    expect(converter(PgOid.TEXT).unavailable).toBe(placeholder);
    expect(converter(PgOid.JSONB).unavailable).toBe(placeholder);
    expect(converter(PgOid.BYTEA).unavailable).toEqual(placeholderBytes);
    expect(converter(PgOid.BYTEA, { binary: 'hex' }).unavailable).toBe(placeholder);
    expect(converter(PgOid.BYTEA, { binary: 'base64' }).unavailable).toBeNull();
    expect(converter(PgOid.NUMERIC).unavailable).toBeNull();
    expect(converter(PgOid.NUMERIC, { decimal: 'string' }).unavailable).toBe(placeholder);
    expect(converter(HSTORE).unavailable).toBe(`{"${placeholder}":"${placeholder}"}`);
    expect(converter(HSTORE, { hstore: 'map' }).unavailable).toEqual(new Map([[placeholder, placeholder]]));
    expect(converter(PgOid.TEXT_ARRAY).unavailable).toEqual([placeholder]);
    expect(converter(PgOid.INT4_ARRAY).unavailable).toEqual([...placeholderBytes]);
    expect(converter(PgOid.INT2_ARRAY).unavailable).toBeNull();
    // UUID.nameUUIDFromBytes("__debezium_unavailable_value".getBytes()), as jshell prints it
    expect(converter(PgOid.UUID_ARRAY).unavailable).toEqual(['b68a35a7-17ad-35b3-af2a-ae46edb4545a']);
  });

  it("a NULL is null, or Debezium's fallback for a required column (key-only before images)", () => {
    expect(converter(PgOid.INT4).nullValue).toBeNull();
    const required = (oid: number, modes: Partial<HandlingModes> = {}, typeMod = -1) =>
      converter(oid, modes, typeMod, false).nullValue;
    expect([
      required(PgOid.INT4),
      required(PgOid.TEXT),
      required(PgOid.BOOL),
      required(PgOid.TIMESTAMPTZ),
    ]).toEqual([0, '', false, '1970-01-01T00:00:00Z']);
    expect(required(PgOid.NUMERIC, {}, NUMERIC(5, 2))).toEqual(new BigDecimal(0n, 2));
    expect(required(PgOid.NUMERIC, { decimal: 'string' }, NUMERIC(5, 2))).toBe('0.00');
    expect(required(PgOid.INTERVAL, { interval: 'string' })).toBe('P0Y0M0DT0H0M0S');
    expect(required(PgOid.INT4_ARRAY)).toEqual([]);
  });
});

// TableSchemaBuilder, SchemaFactory, Envelope, PostgresSourceInfoStructMaker, AbstractTopicNamingStrategy:
// https://github.com/debezium/debezium/tree/v3.6.1.Final/debezium-connector-common/src/main/java/io/debezium
describe('event schemas', () => {
  const columns: PgColumn[] = [
    { name: 'id', typeOid: PgOid.INT4, typeMod: -1, optional: false },
    { name: 'note', typeOid: PgOid.TEXT, typeMod: -1, optional: true },
    { name: 'shape', typeOid: 603, typeMod: -1, optional: true },
    { name: 'price', typeOid: PgOid.NUMERIC, typeMod: NUMERIC(5, 2), optional: true },
  ];
  const schemas = tableSchemas({
    topic: 'shop.public.items',
    table: { schema: 'public', table: 'items' },
    columns,
    keyColumns: ['id'],
    catalog,
    modes: MODES,
  });

  it('names key, value and envelope after the topic; drops unknown-typed columns; envelope v2 in order', () => {
    expect(schemas.keySchema?.name).toBe('shop.public.items.Key');
    expect(schemas.keySchema?.fields().map((f) => describe_(f.schema))).toEqual([':INT32']);
    expect([schemas.valueSchema.name, schemas.valueSchema.optional]).toEqual([
      'shop.public.items.Value',
      true,
    ]);
    expect(schemas.valueSchema.fields().map((f) => f.name)).toEqual(['id', 'note', 'price']);
    expect(schemas.columns.map((c) => c.column.name)).toEqual(['id', 'note', 'price']);
    const env = schemas.envelopeSchema;
    expect([env.name, env.version]).toEqual(['shop.public.items.Envelope', 2]);
    expect(env.fields().map((f) => `${f.name}:${describe_(f.schema)}`)).toEqual([
      'before:?shop.public.items.Value:STRUCT',
      'after:?shop.public.items.Value:STRUCT',
      'source:io.debezium.connector.postgresql.Source:STRUCT@1',
      'transaction:?event.block:STRUCT@1',
      'op::STRING',
      'ts_ms:?:INT64',
      'ts_us:?:INT64',
      'ts_ns:?:INT64',
    ]);
    const noKey = tableSchemas({
      ...{ topic: 't', table: { schema: 'public', table: 't' } },
      columns,
      keyColumns: [],
      catalog,
      modes: MODES,
    });
    expect(noKey.keySchema).toBeNull();
    expect(noKey.key(new Map())).toBeNull();
  });

  it('keeps a key column left out of the value in the key, and refuses a key column it does not know', () => {
    const table = { schema: 'public', table: 'items' };
    const id: PgColumn = { name: 'id', typeOid: PgOid.INT8, typeMod: -1, optional: false };
    const excluded = tableSchemas({
      topic: 't',
      table,
      columns: columns.slice(1),
      keyColumns: [id],
      catalog,
      modes: MODES,
    });
    expect(excluded.valueSchema.fields().map((f) => f.name)).toEqual(['note', 'price']);
    expect(excluded.key(new Map([['id', '9007199254740993']]))?.get('id')).toBe(9007199254740993n);
    expect(() =>
      tableSchemas({ topic: 't', table, columns, keyColumns: ['nope'], catalog, modes: MODES }),
    ).toThrow(/Key column nope/);
  });

  it('fills rows: text converted, NULL, unchanged TOAST, a missing column is NULL', () => {
    const row = schemas.row(
      new Map<string, string | typeof UNCHANGED>([
        ['id', '7'],
        ['note', UNCHANGED],
        ['price', '1.50'],
      ]),
    );
    expect([row.get('id'), row.get('note'), row.get('price')]).toEqual([
      7,
      MODES.unavailablePlaceholder,
      new BigDecimal(150n, 2),
    ]);
    expect(schemas.key(new Map([['id', '7']]))?.get('id')).toBe(7);
    // A key-only old tuple: the required id is there, the rest NULL.
    expect(schemas.row(new Map([['id', '7']])).get('note')).toBeNull();
    expect(schemas.row(new Map()).get('id')).toBe(0);
  });

  it('throws conversion errors, or reports them and leaves the field null', () => {
    const bad = new Map([
      ['id', '1'],
      ['price', 'NaN'],
    ]);
    expect(() => schemas.row(bad)).toThrow(DataError);
    const errors: string[] = [];
    const lenient = tableSchemas({
      topic: 'shop.public.items',
      table: { schema: 'public', table: 'items' },
      columns,
      keyColumns: ['id'],
      catalog,
      modes: MODES,
      onConversionError: (column) => errors.push(column),
    });
    expect(lenient.row(bad).get('price')).toBeNull();
    expect(errors).toEqual(['price']);
  });

  it('source: fields in 3.6.1 order, snapshot enum defaulting to false, sequence as Debezium writes it', () => {
    expect(SOURCE_SCHEMA.fields().map((f) => `${f.name}:${describe_(f.schema)}`)).toEqual([
      'version::STRING',
      'connector::STRING',
      'name::STRING',
      'ts_ms::INT64',
      'snapshot:?io.debezium.data.Enum:STRING@1{"allowed":"true,first,first_in_data_collection,last_in_data_collection,last,false,incremental"}',
      'db::STRING',
      'sequence:?:STRING',
      'ts_us:?:INT64',
      'ts_ns:?:INT64',
      'schema::STRING',
      'table::STRING',
      'txId:?:INT64',
      'lsn:?:INT64',
      'xmin:?:INT64',
      'origin:?:STRING',
      'origin_lsn:?:INT64',
    ]);
    expect(SOURCE_SCHEMA.field('snapshot')?.schema.defaultValue).toBe('false');
    const base = { version: '3.6.1.Final', name: 'shop', db: 'test', schema: 'public', table: 'items' };
    const streamed = sourceStruct({
      ...base,
      tsUs: 1_700_000_000_123_456n,
      txId: 42,
      lsn: 24023128n,
      lastCommitLsn: 24023000n,
    });
    expect([streamed.get('ts_ms'), streamed.get('ts_us'), streamed.get('ts_ns')]).toEqual([
      1_700_000_000_123,
      1_700_000_000_123_456,
      1_700_000_000_123_456_000n,
    ]);
    expect([
      streamed.get('connector'),
      streamed.get('snapshot'),
      streamed.getWithoutDefault('snapshot'),
    ]).toEqual(['postgresql', 'false', null]);
    expect([streamed.get('sequence'), streamed.get('txId'), streamed.get('lsn')]).toEqual([
      '["24023000","24023128"]',
      42,
      24023128,
    ]);
    const incremental = sourceStruct({
      ...base,
      tsUs: 0n,
      snapshot: 'incremental',
      txId: 1,
      lsn: 5n,
      lastCommitLsn: null,
    });
    expect([
      incremental.get('snapshot'),
      incremental.get('txId'),
      incremental.get('lsn'),
      incremental.get('sequence'),
    ]).toEqual(['incremental', null, null, '[null,"5"]']);
  });

  it('envelopes carry before/after by operation and the processing time', () => {
    const source = sourceStruct({
      version: '3.6.1.Final',
      name: 'shop',
      db: 'test',
      schema: 'public',
      table: 'items',
      tsUs: 1n,
    });
    const row = schemas.row(new Map([['id', '1']]));
    const read = envelope(schemas, 'r', row, row, source, 1_700_000_000_000_001n);
    expect([
      read.get('op'),
      read.get('before'),
      read.get('after'),
      read.get('ts_ms'),
      read.get('ts_us'),
    ]).toEqual(['r', null, row, 1_700_000_000_000, 1_700_000_000_000_001]);
    expect(envelope(schemas, 'd', row, row, source, 0n).get('after')).toBeNull();
    expect(envelope(schemas, 't', row, row, source, 0n).get('before')).toBeNull();
    expect(valueEquals(envelope(schemas, 'u', row, row, source, 0n).get('before'), row)).toBe(true);
  });

  it('heartbeat schemas', () => {
    expect([
      HEARTBEAT_KEY_SCHEMA.name,
      HEARTBEAT_KEY_SCHEMA.version,
      HEARTBEAT_KEY_SCHEMA.fields()[0]?.name,
    ]).toEqual(['io.debezium.connector.common.ServerNameKey', 1, 'serverName']);
    expect(HEARTBEAT_VALUE_SCHEMA.fields().map((f) => `${f.name}:${describe_(f.schema)}`)).toEqual([
      'ts_ms::INT64',
    ]);
    expect(heartbeatKey('shop').get('serverName')).toBe('shop');
  });

  it("topicName: Debezium's sanitising", () => {
    expect(topicName('shop', 'public', 'items')).toBe('shop.public.items');
    expect(topicName('shop', 'Sales Ops', 'Zoë €')).toBe('shop.Sales_Ops.Zo___');
    expect(topicName('shop', 'public', '🚀')).toBe('shop.public.__');
    expect(topicName('shop', ' ', 'items', '_')).toBe('shop_items');
    expect(topicName('shop', 'public', 'x'.repeat(300))).toHaveLength(249);
    expect(topicName('.', '', '')).toBe('_');
    expect(topicName('..', '', '')).toBe('__');
  });
});
