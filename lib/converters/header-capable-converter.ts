import type { ConfigDef, Converter, HeaderConverter, Schema, SchemaAndValue } from '../api/index.js';

/**
 * A Converter that also serves as a HeaderConverter, as Kafka's String, ByteArray, number and JSON
 * converters do: a header value is converted exactly like a record value of the same topic.
 */
export abstract class HeaderCapableConverter implements Converter, HeaderConverter {
  abstract configure(configs: Readonly<Record<string, unknown>>, isKey?: boolean): void;
  abstract config(): ConfigDef;
  abstract fromConnectData(
    topic: string,
    headers: unknown,
    schema: Schema | null,
    value: unknown,
  ): Uint8Array | null;
  abstract toConnectData(topic: string, headers: unknown, value: Uint8Array | null): SchemaAndValue;

  toConnectHeader(topic: string, _headerKey: string, value: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, null, value);
  }

  fromConnectHeader(
    topic: string,
    _headerKey: string,
    schema: Schema | null,
    value: unknown,
  ): Uint8Array | null {
    return this.fromConnectData(topic, null, schema, value);
  }
}
