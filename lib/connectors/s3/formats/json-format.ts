import {
  BigDecimal,
  bigintToBytes,
  DataError,
  LogicalNames,
  mapEntries,
  type Schema,
  Struct,
} from '../../../api/index.js';
import type { RecordFormat } from './format.js';

const NEWLINE = Buffer.from('\n');
const DAY_MS = 86_400_000;

/**
 * Confluent's `JsonFormat`: JSON lines, one document per record
 * (https://github.com/confluentinc/kafka-connect-storage-cloud/blob/v12.1.9/kafka-connect-s3/src/main/java/io/confluent/connect/s3/format/json/JsonRecordWriterProvider.java).
 * A Struct is written as Kafka's `JsonConverter` with `schemas.enable=false` writes it (no envelope;
 * logical types as their underlying numbers; decimals per `json.decimal.format`); any other value as
 * Jackson writes it (a string quoted, a map as an object, bytes as base64).
 */
export function jsonFormat(decimalFormat: 'BASE64' | 'NUMERIC', gzip: boolean): RecordFormat {
  return {
    extension: gzip ? '.json.gz' : '.json',
    gzip,
    enveloped: (view) => view === 'headers',
    encoder: () => ({
      write(schema, value) {
        const text = value instanceof Struct ? connectJson(schema, value, decimalFormat) : jacksonJson(value);
        return Buffer.concat([Buffer.from(text), NEWLINE]);
      },
      end: () => null,
    }),
  };
}

/** Kafka's `JsonConverter.convertToJson` (schemas disabled), as text. */
export function connectJson(schema: Schema | null, value: unknown, decimals: 'BASE64' | 'NUMERIC'): string {
  if (value === null || value === undefined) {
    const fallback = schema?.defaultValue;
    return fallback === undefined || fallback === null ? 'null' : connectJson(schema, fallback, decimals);
  }
  if (!schema) return jacksonJson(value);
  switch (schema.name) {
    case LogicalNames.DECIMAL: {
      const d = value as BigDecimal;
      return decimals === 'NUMERIC'
        ? d.toString()
        : JSON.stringify(Buffer.from(bigintToBytes(d.unscaled)).toString('base64'));
    }
    case LogicalNames.DATE:
      return String(Math.floor((value as Date).getTime() / DAY_MS));
    case LogicalNames.TIME:
    case LogicalNames.TIMESTAMP:
      return String((value as Date).getTime());
  }
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'INT64':
      return String(value);
    case 'FLOAT32':
    case 'FLOAT64':
      return double(value as number);
    case 'BOOLEAN':
    case 'STRING':
      return JSON.stringify(value);
    case 'BYTES':
      return JSON.stringify(Buffer.from(value as Uint8Array).toString('base64'));
    case 'ARRAY':
      return `[${(value as unknown[]).map((v) => connectJson(schema.valueSchema ?? null, v, decimals)).join(',')}]`;
    case 'MAP': {
      const entries = [...mapEntries(value as Map<unknown, unknown>)];
      if (schema.keySchema?.type === 'STRING') {
        const members = entries.map(
          ([k, v]) => `${JSON.stringify(String(k))}:${connectJson(schema.valueSchema ?? null, v, decimals)}`,
        );
        return `{${members.join(',')}}`;
      }
      const pairs = entries.map(
        ([k, v]) =>
          `[${connectJson(schema.keySchema ?? null, k, decimals)},${connectJson(schema.valueSchema ?? null, v, decimals)}]`,
      );
      return `[${pairs.join(',')}]`;
    }
    case 'STRUCT': {
      if (!(value instanceof Struct))
        throw new DataError(`Not a Struct for schema ${schema.name ?? 'STRUCT'}`);
      const members = schema
        .fields()
        .map((f) => `${JSON.stringify(f.name)}:${connectJson(f.schema, value.get(f), decimals)}`);
      return `{${members.join(',')}}`;
    }
  }
}

/** Jackson's `ObjectMapper` defaults for schemaless values (dates as epoch ms, bytes as base64). */
export function jacksonJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return number(value);
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (value instanceof BigDecimal) return value.toString();
  if (value instanceof Date) return String(value.getTime());
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  if (value instanceof Struct) return connectJson(value.schema, value, 'BASE64');
  if (Array.isArray(value)) return `[${value.map(jacksonJson).join(',')}]`;
  const members = [...mapEntries(value as Record<string, unknown>)].map(
    ([k, v]) => `${JSON.stringify(String(k))}:${jacksonJson(v)}`,
  );
  return `{${members.join(',')}}`;
}

/** Jackson quotes the non-finite numbers ("NaN", "Infinity"). */
function number(n: number): string {
  return Number.isFinite(n) ? String(n) : JSON.stringify(String(n));
}

/** A FLOAT32/FLOAT64 as Java prints a double: integral values below 10^7 keep their `.0`. */
function double(n: number): string {
  return Number.isInteger(n) && Math.abs(n) < 1e7 ? `${n}.0` : number(n);
}
