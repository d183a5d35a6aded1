import { ConfigDef, ConfigError, ConfigType, type Schema, SchemaAndValue, Schemas } from '../api/index.js';
import { converterTypeKey, withConverterType } from './converter-config.js';
import { HeaderCapableConverter } from './header-capable-converter.js';

/** Java charset names (case-insensitive) to Node's encodings. */
const ENCODINGS: Record<string, BufferEncoding> = {
  'UTF-8': 'utf8',
  UTF8: 'utf8',
  'UTF-16LE': 'utf16le',
  'ISO-8859-1': 'latin1',
  LATIN1: 'latin1',
  'US-ASCII': 'ascii',
  ASCII: 'ascii',
};

const NULL_STRING = new SchemaAndValue(Schemas.OPTIONAL_STRING, null);

/**
 * Kafka's `org.apache.kafka.connect.storage.StringConverter`: writes `String(value)` in
 * `converter.encoding`, reads an optional STRING. Also a HeaderConverter.
 */
export class StringConverter extends HeaderCapableConverter {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.storage.StringConverter';
  static readonly CONFIG_DEF = new ConfigDef().define(converterTypeKey()).define({
    name: 'converter.encoding',
    type: ConfigType.STRING,
    defaultValue: 'UTF8',
    importance: 'HIGH',
    documentation: 'The name of the Java character set to use for encoding strings as byte arrays.',
    group: 'Converter',
    orderInGroup: 0,
    width: 'MEDIUM',
    displayName: 'Encoding',
  });

  readonly version = '3.9.1';
  #encoding: BufferEncoding = 'utf8';

  config(): ConfigDef {
    return StringConverter.CONFIG_DEF;
  }

  configure(configs: Readonly<Record<string, unknown>>, isKey?: boolean): void {
    const parsed = StringConverter.CONFIG_DEF.parse(withConverterType(configs, isKey));
    const name = String(parsed['converter.encoding']);
    const encoding = ENCODINGS[name.toUpperCase()];
    if (!encoding) throw new ConfigError('converter.encoding', name, 'Unsupported character set');
    this.#encoding = encoding;
  }

  fromConnectData(
    _topic: string,
    _headers: unknown,
    _schema: Schema | null,
    value: unknown,
  ): Uint8Array | null {
    if (value === null || value === undefined) return null;
    return Buffer.from(String(value), this.#encoding);
  }

  toConnectData(_topic: string, _headers: unknown, value: Uint8Array | null): SchemaAndValue {
    if (value === null) return NULL_STRING;
    const bytes = Buffer.isBuffer(value)
      ? value
      : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return new SchemaAndValue(Schemas.OPTIONAL_STRING, bytes.toString(this.#encoding));
  }
}
