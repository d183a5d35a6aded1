import {
  ConfigDef,
  type HeaderConverter,
  type Schema,
  SchemaAndValue,
  Schemas,
  Values,
} from '../api/index.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Kafka's `org.apache.kafka.connect.storage.SimpleHeaderConverter`, the default header converter: writes
 * `Values.convertToString` as UTF-8 and reads with `Values.parseString`'s type inference, falling back to
 * BYTES when the bytes cannot be read.
 */
export class SimpleHeaderConverter implements HeaderConverter {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.storage.SimpleHeaderConverter';
  static readonly CONFIG_DEF = new ConfigDef();

  readonly version = '3.9.1';

  config(): ConfigDef {
    return SimpleHeaderConverter.CONFIG_DEF;
  }

  configure(_configs: Readonly<Record<string, unknown>>): void {
    // Nothing to configure, as in Kafka.
  }

  toConnectHeader(_topic: string, _headerKey: string, value: Uint8Array | null): SchemaAndValue {
    if (value === null) return SchemaAndValue.NULL;
    try {
      const text = decoder.decode(value);
      if (text === '') return new SchemaAndValue(Schemas.STRING, text);
      return Values.parseString(text);
    } catch {
      return new SchemaAndValue(Schemas.BYTES, value);
    }
  }

  fromConnectHeader(
    _topic: string,
    _headerKey: string,
    schema: Schema | null,
    value: unknown,
  ): Uint8Array | null {
    if (value === null || value === undefined) return null;
    const text = Values.convertToString(schema, value);
    return text === null ? null : Buffer.from(text, 'utf8');
  }
}
