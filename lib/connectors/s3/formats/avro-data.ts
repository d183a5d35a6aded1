import {
  type BigDecimal,
  bigintToBytes,
  DataError,
  LogicalNames,
  mapEntries,
  type Schema,
  Struct,
} from '../../../api/index.js';

const NAMESPACE = 'io.confluent.connect.avro';
const DAY_MS = 86_400_000;

/** An Avro schema as JSON. */
export type AvroSchema = string | Record<string, unknown> | AvroSchema[];

/**
 * Connect schemas as Avro schemas, as Confluent's `AvroData.fromConnectSchema` builds them with its
 * defaults (connect.meta.data on): `connect.*` properties, INT8/INT16 as int with `connect.type`,
 * the logical types, unnamed structs as `ConnectDefault`, `ConnectDefault2`, … in
 * `io.confluent.connect.avro`, optional schemas as a union with null first, maps without string keys
 * as arrays of `MapEntry` records
 * (https://github.com/confluentinc/schema-registry/blob/master/avro-data/src/main/java/io/confluent/connect/avro/AvroData.java).
 */
export function avroSchema(schema: Schema): AvroSchema {
  return new AvroSchemaBuilder().build(schema);
}

class AvroSchemaBuilder {
  private unnamed = 0;
  private entries = 0;

  build(schema: Schema, forField = false): AvroSchema {
    const base = this.nonOptional(schema);
    if (!schema.optional) return base;
    return forField && schema.defaultValue !== undefined && schema.defaultValue !== null
      ? [base, 'null']
      : ['null', base];
  }

  private nonOptional(schema: Schema): AvroSchema {
    const meta: Record<string, unknown> = {};
    if (schema.doc !== undefined) meta['connect.doc'] = schema.doc;
    if (schema.version !== undefined) meta['connect.version'] = schema.version;
    if (schema.parameters && Object.keys(schema.parameters).length > 0)
      meta['connect.parameters'] = schema.parameters;
    switch (schema.name) {
      case LogicalNames.DECIMAL: {
        const scale = Number(schema.parameters?.scale ?? 0);
        const precision = Number(schema.parameters?.['connect.decimal.precision'] ?? 64);
        return {
          type: 'bytes',
          scale,
          precision,
          ...meta,
          'connect.name': schema.name,
          logicalType: 'decimal',
        };
      }
      case LogicalNames.DATE:
        return { type: 'int', ...meta, 'connect.name': schema.name, logicalType: 'date' };
      case LogicalNames.TIME:
        return { type: 'int', ...meta, 'connect.name': schema.name, logicalType: 'time-millis' };
      case LogicalNames.TIMESTAMP:
        return { type: 'long', ...meta, 'connect.name': schema.name, logicalType: 'timestamp-millis' };
    }
    const named =
      schema.name !== undefined && schema.type !== 'STRUCT' ? { 'connect.name': schema.name } : {};
    const primitive = (type: string, extra: Record<string, unknown> = {}) => {
      const props = { ...extra, ...meta, ...named };
      return Object.keys(props).length === 0 ? type : { type, ...props };
    };
    switch (schema.type) {
      case 'INT8':
        return primitive('int', { 'connect.type': 'int8' });
      case 'INT16':
        return primitive('int', { 'connect.type': 'int16' });
      case 'INT32':
        return primitive('int');
      case 'INT64':
        return primitive('long');
      case 'FLOAT32':
        return primitive('float');
      case 'FLOAT64':
        return primitive('double');
      case 'BOOLEAN':
        return primitive('boolean');
      case 'STRING':
        return primitive('string');
      case 'BYTES':
        return primitive('bytes');
      case 'ARRAY':
        return { type: 'array', items: this.build(schema.valueSchema as Schema), ...meta, ...named };
      case 'MAP': {
        const keys = schema.keySchema as Schema;
        const values = schema.valueSchema as Schema;
        if (keys.type === 'STRING' && !keys.optional)
          return { type: 'map', values: this.build(values), ...meta, ...named };
        const name = this.entries++ === 0 ? 'MapEntry' : `MapEntry${this.entries}`;
        const entry = {
          type: 'record',
          name,
          namespace: NAMESPACE,
          fields: [
            { name: 'key', type: this.build(keys) },
            { name: 'value', type: this.build(values) },
          ],
        };
        return { type: 'array', items: entry, ...meta, ...named };
      }
      case 'STRUCT': {
        const full =
          schema.name ??
          (this.unnamed++ === 0
            ? `${NAMESPACE}.ConnectDefault`
            : `${NAMESPACE}.ConnectDefault${this.unnamed}`);
        const dot = full.lastIndexOf('.');
        const fields = schema.fields().map((f) => {
          const field: Record<string, unknown> = { name: f.name, type: this.build(f.schema, true) };
          if (f.schema.defaultValue !== undefined) field.default = avroDefault(f.schema);
          else if (f.schema.optional) field.default = null;
          return field;
        });
        return {
          type: 'record',
          name: dot < 0 ? full : full.slice(dot + 1),
          ...(dot < 0 ? {} : { namespace: full.slice(0, dot) }),
          fields,
          ...meta,
          ...(schema.name === undefined ? {} : { 'connect.name': schema.name }),
        };
      }
    }
  }
}

/** A field default in Avro's JSON encoding (bytes as ISO-8859-1 text). */
function avroDefault(schema: Schema): unknown {
  const v = avroValue(schema, schema.defaultValue);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('latin1');
  if (typeof v === 'bigint') return Number(v);
  return v;
}

/** A Connect value as the value avsc writes for {@link avroSchema}'s schema (`AvroData.fromConnectData`). */
export function avroValue(schema: Schema, value: unknown): unknown {
  if (value === null || value === undefined) {
    if (schema.defaultValue !== undefined && schema.defaultValue !== null)
      return avroValue(schema, schema.defaultValue);
    if (schema.optional) return null;
    throw new DataError(`Conversion error: null value for field that is required and has no default value`);
  }
  switch (schema.name) {
    case LogicalNames.DECIMAL:
      return Buffer.from(bigintToBytes((value as BigDecimal).unscaled));
    case LogicalNames.DATE:
      return Math.floor((value as Date).getTime() / DAY_MS);
    case LogicalNames.TIME:
    case LogicalNames.TIMESTAMP:
      return (value as Date).getTime();
  }
  switch (schema.type) {
    case 'BYTES':
      return Buffer.from(value as Uint8Array);
    case 'ARRAY':
      return (value as unknown[]).map((v) => avroValue(schema.valueSchema as Schema, v));
    case 'MAP': {
      const keys = schema.keySchema as Schema;
      const values = schema.valueSchema as Schema;
      const entries = [...mapEntries(value as Map<unknown, unknown>)];
      if (keys.type === 'STRING' && !keys.optional)
        return Object.fromEntries(entries.map(([k, v]) => [String(k), avroValue(values, v)]));
      return entries.map(([k, v]) => ({ key: avroValue(keys, k), value: avroValue(values, v) }));
    }
    case 'STRUCT': {
      if (!(value instanceof Struct)) throw new DataError('Struct schema with a value that is not a Struct');
      const out: Record<string, unknown> = {};
      for (const f of schema.fields()) out[f.name] = avroValue(f.schema, value.get(f));
      return out;
    }
    default:
      return value;
  }
}
