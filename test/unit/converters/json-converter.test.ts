import { describe, expect, it } from 'vitest';
import {
  BigDecimal,
  ConnectDate,
  ConnectTime,
  ConnectTimestamp,
  DataError,
  Decimal,
  type Schema,
  SchemaBuilder,
  Schemas,
  Struct,
  valueEquals,
} from '../../../lib/api/index.js';
import { JsonConverter } from '../../../lib/converters/index.js';

const text = (bytes: Uint8Array | null): string => Buffer.from(bytes as Uint8Array).toString('utf8');
const bytes = (s: string): Uint8Array => Buffer.from(s, 'utf8');

function converter(configs: Record<string, string> = {}): JsonConverter {
  const c = new JsonConverter();
  c.configure(configs, false);
  return c;
}

describe('JsonConverter writing', () => {
  it('writes a string with its schema in the envelope exactly as Kafka does', () => {
    // Prepare
    const c = converter();

    // Act
    const out = c.fromConnectData('t', null, Schemas.STRING, 'hi');

    // Assess
    expect(text(out)).toBe('{"schema":{"type":"string","optional":false},"payload":"hi"}');
  });

  it('writes a struct schema with field names, float/double names, logical metadata and defaults', () => {
    // Prepare
    const schema = SchemaBuilder.struct()
      .name('r')
      .field('f', Schemas.FLOAT32)
      .field('d', SchemaBuilder.float64().optional().defaultValue(1.5))
      .field('ts', ConnectTimestamp.builder().optional())
      .build();
    const value = new Struct(schema).put('f', 2).put('ts', new Date(5));

    // Act
    const out = converter().fromConnectData('t', null, schema, value);

    // Assess
    expect(text(out)).toBe(
      '{"schema":{"type":"struct","fields":[{"type":"float","optional":false,"field":"f"},' +
        '{"type":"double","optional":true,"default":1.5,"field":"d"},' +
        '{"type":"int64","optional":true,"name":"org.apache.kafka.connect.data.Timestamp","version":1,"field":"ts"}],' +
        '"optional":false,"name":"r"},"payload":{"f":2.0,"d":1.5,"ts":5}}',
    );
  });

  it('writes a decimal as Base64 by default and as a number with decimal.format=NUMERIC', () => {
    // Prepare
    const schema = Decimal.schema(2);
    const value = BigDecimal.parse('1.56'); // unscaled 156 = 0x009c

    // Act
    const base64 = converter({ 'schemas.enable': 'false' }).fromConnectData('t', null, schema, value);
    const numeric = converter({ 'schemas.enable': 'false', 'decimal.format': 'numeric' }).fromConnectData(
      't',
      null,
      schema,
      value,
    );

    // Assess
    expect(text(base64)).toBe('"AJw="');
    expect(text(numeric)).toBe('1.56');
  });

  it('writes maps with non-string keys as arrays of pairs and bytes as Base64', () => {
    // Prepare
    const schema = SchemaBuilder.map(Schemas.INT32, Schemas.BYTES).build();
    const value = new Map([[1, Uint8Array.from([1, 2, 3])]]);

    // Act
    const out = converter({ 'schemas.enable': 'false' }).fromConnectData('t', null, schema, value);

    // Assess
    expect(text(out)).toBe('[[1,"AQID"]]');
  });

  it('writes a tombstone for no schema and no value', () => {
    // Prepare
    const c = converter();

    // Act
    const out = c.fromConnectData('t', null, null, null);

    // Assess
    expect(out).toBeNull();
  });

  it('writes null as the schema default unless replace.null.with.default=false', () => {
    // Prepare
    const schema = SchemaBuilder.int32().optional().defaultValue(42).build();

    // Act
    const replaced = converter({ 'schemas.enable': 'false' }).fromConnectData('t', null, schema, null);
    const kept = converter({
      'schemas.enable': 'false',
      'replace.null.with.default': 'false',
    }).fromConnectData('t', null, schema, null);

    // Assess
    expect(text(replaced)).toBe('42');
    expect(text(kept)).toBe('null');
  });

  it("refuses null for a required field without default with Kafka's message", () => {
    // Prepare
    const c = converter();

    // Act
    const act = () => c.fromConnectData('t', null, Schemas.INT32, null);

    // Assess
    expect(act).toThrow(
      new DataError('Conversion error: null value for field that is required and has no default value'),
    );
  });

  it('writes schemaless values, keeping big integers exact and not copying plain JSON', () => {
    // Prepare
    const value = { a: 1, b: [true, 'x'], big: 12345678901234567890n, raw: Uint8Array.from([255]) };

    // Act
    const out = converter({ 'schemas.enable': 'false' }).fromConnectData('t', null, null, value);

    // Assess
    expect(text(out)).toBe('{"a":1,"b":[true,"x"],"big":12345678901234567890,"raw":"/w=="}');
  });
});

describe('JsonConverter reading', () => {
  it("rejects an envelope with extra fields with Kafka's exact message", () => {
    // Prepare
    const c = converter();

    // Act
    const act = () => c.toConnectData('t', null, bytes('{"schema":null,"payload":1,"x":2}'));

    // Assess
    expect(act).toThrow(
      new DataError(
        'JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.',
      ),
    );
  });

  it('requires a type in every schema', () => {
    // Prepare
    const c = converter();

    // Act
    const act = () => c.toConnectData('t', null, bytes('{"schema":{"optional":true},"payload":1}'));

    // Assess
    expect(act).toThrow("Schema must contain 'type' field");
  });

  it('infers schemaless values: integers as INT64 (exact when big), floats, objects as plain maps', () => {
    // Prepare
    const c = converter({ 'schemas.enable': 'false' });

    // Act
    const result = c.toConnectData(
      't',
      null,
      bytes('{"n":1,"f":1.5,"big":12345678901234567890,"l":[null,"s"]}'),
    );

    // Assess
    expect(result.schema).toBeNull();
    expect(result.value).toEqual({ n: 1, f: 1.5, big: 12345678901234567890n, l: [null, 's'] });
  });

  it('reads null bytes as no schema and no value', () => {
    // Prepare
    const c = converter();

    // Act
    const result = c.toConnectData('t', null, null);

    // Assess
    expect(result.schema).toBeNull();
    expect(result.value).toBeNull();
  });

  it('reads optional only when the schema says true and fills null from the default', () => {
    // Prepare
    const c = converter();

    // Act
    const result = c.toConnectData(
      't',
      null,
      bytes('{"schema":{"type":"int32","optional":"yes","default":7},"payload":null}'),
    );

    // Assess
    expect(result.schema?.optional).toBe(false);
    expect(result.value).toBe(7);
  });

  it('reads a NUMERIC decimal keeping every digit', () => {
    // Prepare
    const c = converter();
    const json =
      '{"schema":{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,' +
      '"parameters":{"scale":"20"}},"payload":1.23456789012345678901}';

    // Act
    const result = c.toConnectData('t', null, bytes(json));

    // Assess
    expect((result.value as BigDecimal).toString()).toBe('1.23456789012345678901');
  });

  it('rejects a string map encoded as an array', () => {
    // Prepare
    const c = converter();
    const json =
      '{"schema":{"type":"map","keys":{"type":"string","optional":false},"values":{"type":"int32","optional":false},"optional":false},"payload":[]}';

    // Act
    const act = () => c.toConnectData('t', null, bytes(json));

    // Assess
    expect(act).toThrow('Maps with string fields should be encoded as JSON objects, but found ARRAY');
  });
});

describe('JsonConverter round trips', () => {
  const inner = SchemaBuilder.struct().name('inner').field('x', Schemas.OPTIONAL_STRING).build();
  const everything = SchemaBuilder.struct()
    .name('com.example.All')
    .version(3)
    .doc('all types')
    .field('i8', Schemas.INT8)
    .field('i16', Schemas.INT16)
    .field('i32', Schemas.INT32)
    .field('i64', Schemas.INT64)
    .field('big', Schemas.INT64)
    .field('f32', Schemas.FLOAT32)
    .field('f64', Schemas.FLOAT64)
    .field('bool', Schemas.BOOLEAN)
    .field('str', Schemas.STRING)
    .field('bytes', Schemas.BYTES)
    .field('opt', Schemas.OPTIONAL_STRING)
    .field('dflt', SchemaBuilder.string().defaultValue('d').build())
    .field('arr', SchemaBuilder.array(inner).build())
    .field('smap', SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build())
    .field('imap', SchemaBuilder.map(Schemas.INT32, SchemaBuilder.array(Schemas.STRING)).build())
    .field('dec', Decimal.schema(3))
    .field('date', ConnectDate.SCHEMA)
    .field('time', ConnectTime.SCHEMA)
    .field('ts', ConnectTimestamp.SCHEMA)
    .build();
  const value = new Struct(everything)
    .put('i8', -128)
    .put('i16', 32767)
    .put('i32', -2147483648)
    .put('i64', 1_700_000_000_000)
    .put('big', 9223372036854775807n)
    .put('f32', Math.fround(0.1))
    .put('f64', 0.1)
    .put('bool', true)
    .put('str', 'héllo "q"')
    .put('bytes', Uint8Array.from([0, 1, 254, 255]))
    .put('arr', [new Struct(inner).put('x', 'a'), new Struct(inner)])
    .put('smap', { a: 1, b: 2 })
    .put('imap', new Map([[5, ['x', 'y']]]))
    .put('dec', BigDecimal.parse('-12345678901234567890.123'))
    .put('date', new Date('2024-02-29T00:00:00Z'))
    .put('time', new Date(45_296_789))
    .put('ts', new Date('2024-02-29T12:34:56.789Z'));

  it.each(['BASE64', 'NUMERIC'])(
    'round-trips every type of the data model with decimal.format=%s',
    (format) => {
      // Prepare
      const c = converter({ 'decimal.format': format });

      // Act
      const out = c.fromConnectData('t', null, everything, value);
      const back = c.toConnectData('t', null, out);

      // Assess
      expect(back.schema && (back.schema as Schema).name).toBe('com.example.All');
      const struct = back.value as Struct;
      const differing = everything.fields().filter((f) => !valueEquals(struct.get(f), value.get(f)));
      expect(differing.map((f) => f.name)).toEqual([]);
      expect(struct.get('dflt')).toBe('d');
    },
  );

  it('round-trips schemas through the cache to equal schemas', () => {
    // Prepare
    const c = converter();
    const out = c.fromConnectData('t', null, everything, value);

    // Act
    const first = c.toConnectData('t', null, out).schema;
    const second = c.toConnectData('t', null, out).schema;

    // Assess
    expect(second).toBe(first);
    expect(text(c.fromConnectData('t', null, first, value))).toBe(text(out));
  });

  it('works as a header converter', () => {
    // Prepare
    const c = new JsonConverter();
    c.configure({ 'schemas.enable': 'false' });

    // Act
    const out = c.fromConnectHeader('t', 'h', Schemas.INT32, 5);
    const back = c.toConnectHeader('t', 'h', out);

    // Assess
    expect(text(out)).toBe('5');
    expect(back.value).toBe(5);
  });
});
