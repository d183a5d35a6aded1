import { ConfigError, type Field, type Schema, Struct } from '../../api/index.js';
import { copySchemaBasics } from '../util/schema-util.js';

const TOP_LEVEL = new Set(['op', 'ts_ms', 'ts_us', 'ts_ns']);
const IN_TRANSACTION = new Set(['id', 'total_order', 'data_collection_order']);

/**
 * One `add.fields` / `add.headers` entry (Debezium's `AbstractExtractNewRecordState.FieldReference`):
 * where in the envelope it is read and the name it is written under. `struct.field` reads `field` of
 * that envelope struct, named `prefix + struct_field`; `field:NEW` is named `prefix + NEW`; a bare name
 * is read from `source`, except the envelope's own op/ts_* and the `transaction` ids. A field missing
 * from its struct is looked up at the envelope's top level (where another SMT may have put it).
 */
export class FieldReference {
  /** The envelope struct holding the field, `null` for the envelope itself. */
  readonly struct: string | null;
  readonly field: string;
  readonly newField: string;

  private constructor(key: string, prefix: string, entry: string) {
    const parts = splitJava(entry, ':');
    if (parts.length > 2) throw new ConfigError(key, entry, `Unexpected field name: ${entry}`);
    const path = splitJava(parts[0] ?? '', '.');
    // As upstream: `a.b.c` reads `b` of `a`; the rest is ignored.
    this.field = (path.length === 1 ? path[0] : path[1]) ?? '';
    this.struct = path.length === 1 ? hostOf(this.field) : (path[0] ?? '');
    const plain = path.length === 1 ? this.field : `${this.struct}_${this.field}`;
    this.newField = prefix + (parts.length === 2 ? parts[1] : plain);
  }

  /** The references of the parsed LIST value of `key`, in order. */
  static list(key: string, prefix: string, entries: readonly string[]): FieldReference[] {
    return entries.map((entry) => new FieldReference(key, prefix, entry.trim()));
  }

  /**
   * The schema of the added field or header: the source field's, copied without its default and made
   * optional; `undefined` when the envelope has no such field (then nothing is added).
   */
  schema(envelopeSchema: Schema): Schema | undefined {
    const field = this.#lookup(envelopeSchema);
    return field && copySchemaBasics(field.schema).optional().build();
  }

  /** The raw value (no default applied); `null` when its struct is null (`transaction` in snapshots). */
  value(envelope: Struct): unknown {
    const parent = this.struct === null ? envelope : envelope.getWithoutDefault(this.struct);
    if (!(parent instanceof Struct)) return null;
    return parent.schema.field(this.field)
      ? parent.getWithoutDefault(this.field)
      : envelope.getWithoutDefault(this.field);
  }

  #lookup(envelopeSchema: Schema): Field | undefined {
    // Upstream throws a NullPointerException when the struct is not in the envelope; we add nothing.
    const parent = this.struct === null ? envelopeSchema : envelopeSchema.field(this.struct)?.schema;
    if (!parent) return undefined;
    return parent.field(this.field) ?? envelopeSchema.field(this.field);
  }
}

function hostOf(field: string): string | null {
  if (TOP_LEVEL.has(field)) return null;
  return IN_TRANSACTION.has(field) ? 'transaction' : 'source';
}

/** Java's `String.split`: trailing empty strings are dropped, so `op:` is `op`. */
function splitJava(text: string, separator: string): string[] {
  const parts = text.split(separator);
  while (parts.length > 1 && parts.at(-1) === '') parts.pop();
  return parts;
}
