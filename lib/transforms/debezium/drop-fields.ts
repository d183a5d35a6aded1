import { type ConnectRecord, DataError, type Schema } from '../../api/index.js';
import { ReplaceFieldKey, ReplaceFieldValue } from '../replace-field.js';

/**
 * `drop.fields.header.name` (Debezium's `ExtractNewRecordState.dropFields`): removes the fields that
 * header lists (its first occurrence, a list of names) from the value and, with `drop.fields.from.key`,
 * from the key, through Kafka's `ReplaceField` as upstream does. With `keepSchemaCompatible` only the
 * optional fields among them go, so the schemas stay compatible.
 */
export class FieldDropper {
  constructor(
    private readonly headerName: string,
    private readonly fromKey: boolean,
    private readonly keepSchemaCompatible: boolean,
  ) {}

  apply<R extends ConnectRecord>(record: R): R {
    const names = this.#listedNames(record);
    if (names.length === 0) return record;
    let result = record;
    if (this.fromKey && result.key !== null) {
      result = exclude(new ReplaceFieldKey(), result, this.#droppable(result.keySchema, names));
    }
    if (result.value !== null) {
      result = exclude(new ReplaceFieldValue(), result, this.#droppable(result.valueSchema, names));
    }
    return result;
  }

  #listedNames(record: ConnectRecord): string[] {
    const header = record.headers.allWithName(this.headerName)[0];
    if (header?.value === null || header?.value === undefined) return [];
    if (!Array.isArray(header.value)) {
      throw new DataError(`Header ${this.headerName} must hold a list of field names`);
    }
    return header.value.map(String);
  }

  #droppable(schema: Schema | null, names: readonly string[]): readonly string[] {
    if (!this.keepSchemaCompatible) return names;
    // Without a schema no field is known to be optional, so none is dropped (upstream would throw).
    if (!schema) return [];
    return schema
      .fields()
      .filter((f) => f.schema.optional && names.includes(f.name))
      .map((f) => f.name);
  }
}

function exclude<R extends ConnectRecord>(
  delegate: ReplaceFieldKey | ReplaceFieldValue,
  record: R,
  names: readonly string[],
): R {
  if (names.length === 0) return record;
  delegate.configure({ exclude: [...names] });
  return delegate.apply(record);
}
