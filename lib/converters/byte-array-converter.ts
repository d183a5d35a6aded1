import { ConfigDef, DataError, describeValue, type Schema, SchemaAndValue, Schemas } from '../api/index.js';
import { converterTypeKey, withConverterType } from './converter-config.js';
import { HeaderCapableConverter } from './header-capable-converter.js';

/**
 * Kafka's `org.apache.kafka.connect.converters.ByteArrayConverter`: passes bytes through; the schema must
 * be null or BYTES. Also a HeaderConverter.
 */
export class ByteArrayConverter extends HeaderCapableConverter {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.converters.ByteArrayConverter';
  static readonly CONFIG_DEF = new ConfigDef().define(converterTypeKey());

  readonly version = '3.9.1';

  config(): ConfigDef {
    return ByteArrayConverter.CONFIG_DEF;
  }

  configure(configs: Readonly<Record<string, unknown>>, isKey?: boolean): void {
    ByteArrayConverter.CONFIG_DEF.parse(withConverterType(configs, isKey));
  }

  fromConnectData(
    _topic: string,
    _headers: unknown,
    schema: Schema | null,
    value: unknown,
  ): Uint8Array | null {
    if (schema && schema.type !== 'BYTES') {
      throw new DataError(`Invalid schema type for ByteArrayConverter: ${schema.type}`);
    }
    if (value === null || value === undefined) return null;
    if (!(value instanceof Uint8Array)) {
      throw new DataError(
        `ByteArrayConverter is not compatible with objects of type ${describeValue(value)}`,
      );
    }
    return value;
  }

  toConnectData(_topic: string, _headers: unknown, value: Uint8Array | null): SchemaAndValue {
    return new SchemaAndValue(Schemas.OPTIONAL_BYTES, value);
  }
}
