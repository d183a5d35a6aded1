import {
  CaseInsensitiveValidString,
  ConfigDef,
  ConfigType,
  DataError,
  type Schema,
  SchemaAndValue,
} from '../api/index.js';
import { converterTypeKey, withConverterType } from './converter-config.js';
import { HeaderCapableConverter } from './header-capable-converter.js';
import { parseJson } from './json-number.js';
import { jsonToSchema, schemaToJson } from './json-schema.js';
import { DecimalFormat, fromJson, type JsonValueOptions, toJson } from './json-values.js';
import { LruCache } from './lru-cache.js';

const ENVELOPE_ERROR =
  'JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional ' +
  'fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.';

const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * Kafka's `org.apache.kafka.connect.json.JsonConverter`: JSON with an optional `{"schema","payload"}`
 * envelope. Also a HeaderConverter.
 *
 * @example
 * const converter = new JsonConverter();
 * converter.configure({ 'schemas.enable': 'false' }, false);
 * converter.fromConnectData('t', null, null, { a: 1 }); // bytes of {"a":1}
 */
export class JsonConverter extends HeaderCapableConverter {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.json.JsonConverter';
  static readonly CONFIG_DEF = new ConfigDef()
    .define(converterTypeKey())
    .define({
      name: 'schemas.enable',
      type: ConfigType.BOOLEAN,
      defaultValue: true,
      importance: 'HIGH',
      documentation: 'Include schemas within each of the serialized values and keys.',
      group: 'Schemas',
      orderInGroup: 0,
      width: 'MEDIUM',
      displayName: 'Enable Schemas',
    })
    .define({
      name: 'schemas.cache.size',
      type: ConfigType.INT,
      defaultValue: 1000,
      importance: 'HIGH',
      documentation: 'The maximum number of schemas that can be cached in this converter instance.',
      group: 'Schemas',
      orderInGroup: 1,
      width: 'MEDIUM',
      displayName: 'Schema Cache Size',
    })
    .define({
      name: 'decimal.format',
      type: ConfigType.STRING,
      defaultValue: DecimalFormat.BASE64,
      importance: 'LOW',
      validator: CaseInsensitiveValidString.in(DecimalFormat.BASE64, DecimalFormat.NUMERIC),
      documentation:
        "Controls which format this converter will serialize decimals in. This value is case insensitive and can be either 'BASE64' (default) or 'NUMERIC'",
      group: 'Serialization',
      orderInGroup: 0,
      width: 'MEDIUM',
      displayName: 'Decimal Format',
    })
    .define({
      name: 'replace.null.with.default',
      type: ConfigType.BOOLEAN,
      defaultValue: true,
      importance: 'LOW',
      documentation:
        'Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.',
      group: 'Serialization',
      orderInGroup: 1,
      width: 'MEDIUM',
      displayName: 'Replace null with default',
    });

  readonly version = '3.9.1';
  #schemasEnabled = true;
  #options: JsonValueOptions = { decimalFormat: DecimalFormat.BASE64, replaceNullWithDefault: true };
  #toJsonCache = new LruCache<Schema, string>(1000);
  #fromJsonCache = new LruCache<string, Schema>(1000);

  config(): ConfigDef {
    return JsonConverter.CONFIG_DEF;
  }

  /** `isKey` given: a key or value converter; omitted: a header converter (HeaderConverter's configure). */
  configure(configs: Readonly<Record<string, unknown>>, isKey?: boolean): void {
    const parsed = JsonConverter.CONFIG_DEF.parse(withConverterType(configs, isKey));
    this.#schemasEnabled = parsed['schemas.enable'] as boolean;
    this.#options = {
      decimalFormat: String(parsed['decimal.format']).toUpperCase() as DecimalFormat,
      replaceNullWithDefault: parsed['replace.null.with.default'] as boolean,
    };
    const cacheSize = parsed['schemas.cache.size'] as number;
    this.#toJsonCache = new LruCache(cacheSize);
    this.#fromJsonCache = new LruCache(cacheSize);
  }

  fromConnectData(
    _topic: string,
    _headers: unknown,
    schema: Schema | null,
    value: unknown,
  ): Uint8Array | null {
    if (schema === null && (value === null || value === undefined)) return null;
    const payload = toJson(schema, value, this.#options);
    let text: string;
    try {
      const payloadText = JSON.stringify(payload);
      text = this.#schemasEnabled
        ? `{"schema":${this.#schemaText(schema)},"payload":${payloadText}}`
        : payloadText;
    } catch (e) {
      throw new DataError('Converting Kafka Connect data to byte[] failed due to serialization error: ', {
        cause: e,
      });
    }
    return Buffer.from(text, 'utf8');
  }

  toConnectData(_topic: string, _headers: unknown, value: Uint8Array | null): SchemaAndValue {
    if (value === null) return SchemaAndValue.NULL;
    const text = decoder.decode(value);
    if (!this.#schemasEnabled) {
      if (text.trim() === '') return SchemaAndValue.NULL;
      return new SchemaAndValue(null, fromJson(null, this.#parse(text, false), this.#options));
    }
    const envelope =
      text.trim() === '' ? undefined : this.#parse(text, text.includes('connect.data.Decimal'));
    if (
      typeof envelope !== 'object' ||
      envelope === null ||
      Array.isArray(envelope) ||
      Object.keys(envelope).length !== 2 ||
      !('schema' in envelope) ||
      !('payload' in envelope)
    ) {
      throw new DataError(ENVELOPE_ERROR);
    }
    const { schema: schemaNode, payload } = envelope as { schema: unknown; payload: unknown };
    const schema = this.#schemaOf(schemaNode);
    return new SchemaAndValue(schema, fromJson(schema, payload, this.#options));
  }

  /** The schema's JSON text, cached by schema identity (schemas are immutable and usually reused). */
  #schemaText(schema: Schema | null): string {
    if (schema === null) return 'null';
    let text = this.#toJsonCache.get(schema);
    if (text === undefined) {
      text = JSON.stringify(schemaToJson(schema, this.#options));
      this.#toJsonCache.set(schema, text);
    }
    return text;
  }

  #schemaOf(node: unknown): Schema | null {
    if (node === null || node === undefined) return null;
    let key: string | undefined;
    try {
      key = JSON.stringify(node);
    } catch {
      key = undefined; // a bigint default: not worth caching
    }
    const cached = key === undefined ? undefined : this.#fromJsonCache.get(key);
    if (cached) return cached;
    const schema = jsonToSchema(node, this.#options) as Schema;
    if (key !== undefined) this.#fromJsonCache.set(key, schema);
    return schema;
  }

  #parse(text: string, keepDecimals: boolean): unknown {
    try {
      return parseJson(text, keepDecimals);
    } catch (e) {
      throw new DataError('Converting byte[] to Kafka Connect data failed due to serialization error: ', {
        cause: e,
      });
    }
  }
}
