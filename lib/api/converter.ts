import type { ConfigDef } from './config-def.js';
import type { Schema } from './data/schema.js';
import type { SchemaAndValue } from './data/schema-and-value.js';
import type { ConnectHeaders } from './header.js';

/**
 * Turns Connect data into the bytes of a Kafka record key or value and back (Kafka's `Converter`).
 *
 * The runtime creates one instance per connector and role, calls `configure` once before any conversion,
 * then calls the conversions for every record; they must not keep per-record state. Failures are
 * `DataError`s (the record is subject to `errors.tolerance`).
 */
export interface Converter {
  /**
   * Called once, before use. `configs` are the converter's properties without their prefix;
   * `isKey` tells key from value converters.
   */
  configure(configs: Readonly<Record<string, unknown>>, isKey: boolean): void;
  /** Serialises; `null` for a tombstone (no schema and no value). */
  fromConnectData(
    topic: string,
    headers: ConnectHeaders | null,
    schema: Schema | null,
    value: unknown,
  ): Uint8Array | null;
  /** Deserialises; `null` bytes give `SchemaAndValue.NULL`. */
  toConnectData(topic: string, headers: ConnectHeaders | null, value: Uint8Array | null): SchemaAndValue;
  /** The converter's config spec, for validation and docs. */
  config(): ConfigDef;
}

/**
 * Turns header values into bytes and back (Kafka's `HeaderConverter`); configured once (with
 * `converter.type=header`), then called for every header of every record.
 */
export interface HeaderConverter {
  configure(configs: Readonly<Record<string, unknown>>): void;
  /** Deserialises one header value; `null` bytes give `SchemaAndValue.NULL`. */
  toConnectHeader(topic: string, headerKey: string, value: Uint8Array | null): SchemaAndValue;
  /** Serialises one header value; `null` for a null value. */
  fromConnectHeader(
    topic: string,
    headerKey: string,
    schema: Schema | null,
    value: unknown,
  ): Uint8Array | null;
  config(): ConfigDef;
}

/** Kafka's `ConverterType`: which role a converter instance plays (`converter.type`). */
export const ConverterType = { KEY: 'key', VALUE: 'value', HEADER: 'header' } as const;
export type ConverterType = (typeof ConverterType)[keyof typeof ConverterType];

/** The `converter.type` property the runtime sets (Kafka's `ConverterConfig.TYPE_CONFIG`). */
export const CONVERTER_TYPE_CONFIG = 'converter.type';
