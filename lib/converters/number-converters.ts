import { ConfigDef, DataError, describeValue, type Schema, SchemaAndValue, Schemas } from '../api/index.js';
import { converterTypeKey, withConverterType } from './converter-config.js';
import { HeaderCapableConverter } from './header-capable-converter.js';

/** How one number type is written and read: Kafka's big-endian serializers. */
interface NumberCodec {
  /** Kafka's type name in messages (`short`, `integer`, ...). */
  typeName: string;
  /** Kafka's deserializer class, named in size errors. */
  deserializerName: string;
  size: number;
  schema: Schema;
  /** Whether a JS value is acceptable. */
  accepts(value: unknown): boolean;
  write(view: DataView, value: unknown): void;
  read(view: DataView): unknown;
}

const inRange = (value: unknown, min: number, max: number): boolean =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

/**
 * The base of Kafka's number converters (`NumberConverter`): one codec, no schema checks, null ↔ null.
 * Each converter is both a Converter and a HeaderConverter.
 */
abstract class NumberConverter extends HeaderCapableConverter {
  static readonly CONFIG_DEF = new ConfigDef().define(converterTypeKey());
  readonly version = '3.9.1';

  protected constructor(private readonly codec: NumberCodec) {
    super();
  }

  config(): ConfigDef {
    return NumberConverter.CONFIG_DEF;
  }

  configure(configs: Readonly<Record<string, unknown>>, isKey?: boolean): void {
    NumberConverter.CONFIG_DEF.parse(withConverterType(configs, isKey));
  }

  fromConnectData(
    _topic: string,
    _headers: unknown,
    _schema: Schema | null,
    value: unknown,
  ): Uint8Array | null {
    if (value === null || value === undefined) return null;
    if (!this.codec.accepts(value)) {
      throw new DataError(`Failed to serialize to ${this.codec.typeName} (was ${describeValue(value)}): `);
    }
    const bytes = Buffer.alloc(this.codec.size);
    this.codec.write(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), value);
    return bytes;
  }

  toConnectData(_topic: string, _headers: unknown, value: Uint8Array | null): SchemaAndValue {
    if (value === null) return new SchemaAndValue(this.codec.schema, null);
    if (value.byteLength !== this.codec.size) {
      throw new DataError(`Failed to deserialize ${this.codec.typeName}: `, {
        cause: new Error(`Size of data received by ${this.codec.deserializerName} is not ${this.codec.size}`),
      });
    }
    return new SchemaAndValue(
      this.codec.schema,
      this.codec.read(new DataView(value.buffer, value.byteOffset, value.byteLength)),
    );
  }
}

/** Kafka's `ShortConverter`: INT16, 2 bytes big-endian. */
export class ShortConverter extends NumberConverter {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.converters.ShortConverter';
  constructor() {
    super({
      typeName: 'short',
      deserializerName: 'ShortDeserializer',
      size: 2,
      schema: Schemas.OPTIONAL_INT16,
      accepts: (v) => inRange(v, -32768, 32767),
      write: (view, v) => view.setInt16(0, v as number),
      read: (view) => view.getInt16(0),
    });
  }
}

/** Kafka's `IntegerConverter`: INT32, 4 bytes big-endian. */
export class IntegerConverter extends NumberConverter {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.converters.IntegerConverter';
  constructor() {
    super({
      typeName: 'integer',
      deserializerName: 'IntegerDeserializer',
      size: 4,
      schema: Schemas.OPTIONAL_INT32,
      accepts: (v) => inRange(v, -2147483648, 2147483647),
      write: (view, v) => view.setInt32(0, v as number),
      read: (view) => view.getInt32(0),
    });
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Kafka's `LongConverter`: INT64, 8 bytes big-endian; reads a number when safe, else a bigint. */
export class LongConverter extends NumberConverter {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.converters.LongConverter';
  constructor() {
    super({
      typeName: 'long',
      deserializerName: 'LongDeserializer',
      size: 8,
      schema: Schemas.OPTIONAL_INT64,
      accepts: (v) =>
        (typeof v === 'number' && Number.isSafeInteger(v)) ||
        (typeof v === 'bigint' && v >= INT64_MIN && v <= INT64_MAX),
      write: (view, v) => view.setBigInt64(0, BigInt(v as number | bigint)),
      read: (view) => {
        const v = view.getBigInt64(0);
        return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
      },
    });
  }
}

/** Kafka's `FloatConverter`: FLOAT32, 4 bytes IEEE 754 big-endian. */
export class FloatConverter extends NumberConverter {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.converters.FloatConverter';
  constructor() {
    super({
      typeName: 'float',
      deserializerName: 'FloatDeserializer',
      size: 4,
      schema: Schemas.OPTIONAL_FLOAT32,
      accepts: (v) => typeof v === 'number',
      write: (view, v) => view.setFloat32(0, v as number),
      read: (view) => view.getFloat32(0),
    });
  }
}

/** Kafka's `DoubleConverter`: FLOAT64, 8 bytes IEEE 754 big-endian. */
export class DoubleConverter extends NumberConverter {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.converters.DoubleConverter';
  constructor() {
    super({
      typeName: 'double',
      deserializerName: 'DoubleDeserializer',
      size: 8,
      schema: Schemas.OPTIONAL_FLOAT64,
      accepts: (v) => typeof v === 'number',
      write: (view, v) => view.setFloat64(0, v as number),
      read: (view) => view.getFloat64(0),
    });
  }
}

/** Kafka's `BooleanConverter`: BOOLEAN, one byte, 1 for true and 0 for false. */
export class BooleanConverter extends NumberConverter {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.converters.BooleanConverter';
  constructor() {
    super({
      typeName: 'boolean',
      deserializerName: 'BooleanDeserializer',
      size: 1,
      schema: Schemas.OPTIONAL_BOOLEAN,
      accepts: (v) => typeof v === 'boolean',
      write: (view, v) => view.setUint8(0, v ? 1 : 0),
      read: (view) => view.getUint8(0) !== 0,
    });
  }
}
