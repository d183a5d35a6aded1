import { ConfigError, DataError, type Schema, Schemas, type SinkRecord, Struct } from '../../api/index.js';
import type { PkMode } from './sink-config.js';

/** One destination column: its name, the Connect schema it comes from, whether it is part of the key. */
export interface ColumnSpec {
  name: string;
  schema: Schema;
  isKey: boolean;
}

/** The columns a record writes (Confluent's `FieldsMetadata`), keys first; `id` tells layouts apart. */
export interface Layout {
  keys: ColumnSpec[];
  values: ColumnSpec[];
  id: string;
}

export interface LayoutConfig {
  pkMode: PkMode;
  pkFields: readonly string[];
  fieldsWhitelist: readonly string[];
}

const KAFKA_PK = ['__connect_topic', '__connect_partition', '__connect_offset'];
const KAFKA_SCHEMAS = [Schemas.STRING, Schemas.INT32, Schemas.INT64];

function structFields(schema: Schema | null, what: string): readonly { name: string; schema: Schema }[] {
  if (schema?.type !== 'STRUCT') {
    throw new DataError(
      `Sink connector requires records with a non-null Struct ${what} and non-null Struct schema, found ${schema?.type ?? 'no schema'}`,
    );
  }
  return schema.fields();
}

/** The layout of a record (a tombstone has key columns only). */
export function layoutOf(record: SinkRecord, c: LayoutConfig): Layout {
  const tombstone = record.value === null;
  let keys: ColumnSpec[] = [];
  let valueFields = tombstone ? [] : structFields(record.valueSchema, 'value');
  switch (c.pkMode) {
    case 'none':
      break;
    case 'kafka': {
      const names = c.pkFields.length > 0 ? c.pkFields : KAFKA_PK;
      if (names.length !== 3) {
        throw new ConfigError(
          'pk.fields',
          names.join(','),
          'pk.mode kafka needs exactly 3 names (topic, partition, offset)',
        );
      }
      keys = names.map((name, i) => ({ name, schema: KAFKA_SCHEMAS[i] as Schema, isKey: true }));
      break;
    }
    case 'record_key': {
      const ks = record.keySchema;
      if (!ks) throw new DataError('pk.mode record_key requires records with a key schema');
      if (ks.type === 'STRUCT') {
        const all = ks.fields();
        const chosen = c.pkFields.length > 0 ? c.pkFields : all.map((f) => f.name);
        keys = chosen.map((name) => {
          const f = all.find((x) => x.name === name);
          if (!f) throw new DataError(`PK field not in key schema: ${name}`);
          return { name, schema: f.schema, isKey: true };
        });
      } else {
        if (c.pkFields.length !== 1) {
          throw new ConfigError(
            `Need exactly one PK column defined since the key schema for records is a primitive type, defined columns are: [${c.pkFields.join(', ')}]`,
          );
        }
        keys = [{ name: c.pkFields[0] as string, schema: ks, isKey: true }];
      }
      break;
    }
    case 'record_value': {
      const chosen = c.pkFields.length > 0 ? c.pkFields : valueFields.map((f) => f.name);
      keys = chosen.map((name) => {
        const f = valueFields.find((x) => x.name === name);
        if (!f) throw new DataError(`PK field not in value schema: ${name}`);
        return { name, schema: f.schema, isKey: true };
      });
      break;
    }
  }
  const keyNames = new Set(keys.map((k) => k.name));
  if (c.fieldsWhitelist.length > 0)
    valueFields = valueFields.filter((f) => c.fieldsWhitelist.includes(f.name));
  const values = valueFields
    .filter((f) => !keyNames.has(f.name))
    .map((f) => ({ name: f.name, schema: f.schema, isKey: false }));
  const sig = (s: ColumnSpec) => `${s.name}:${s.schema.type}:${s.schema.name ?? ''}:${s.schema.optional}`;
  return { keys, values, id: `${keys.map(sig).join(',')}|${values.map(sig).join(',')}` };
}

/** The key values of a record, in layout order. */
export function keyValues(record: SinkRecord, layout: Layout, c: LayoutConfig): unknown[] {
  switch (c.pkMode) {
    case 'kafka':
      return [record.topic, record.kafkaPartition, record.kafkaOffset];
    case 'record_key':
      return record.key instanceof Struct
        ? layout.keys.map((k) => (record.key as Struct).get(k.name))
        : [record.key];
    case 'record_value':
      return layout.keys.map((k) => (record.value as Struct).get(k.name));
    default:
      return [];
  }
}

/** The non-key values of a record, in layout order. */
export function fieldValues(record: SinkRecord, layout: Layout): unknown[] {
  const value = record.value as Struct;
  return layout.values.map((f) => value.get(f.name));
}
