import {
  type ConfigDef,
  ConnectHeaders,
  type ConnectRecord,
  type Schema,
  SchemaBuilder,
  SchemaBuilderError,
  Struct,
  type Transformation,
} from '../../api/index.js';
import { ExtractFieldValue } from '../extract-field.js';
import { InsertFieldValue } from '../insert-field.js';
import { REPLACE_NULL_WITH_DEFAULT_CONFIG, SimpleConfig } from '../util/config.js';
import { requireStruct } from '../util/requirements.js';
import { copySchemaBasics } from '../util/schema-util.js';
import { FieldDropper } from './drop-fields.js';
import {
  ADD_FIELDS,
  ADD_FIELDS_PREFIX,
  ADD_HEADERS,
  ADD_HEADERS_PREFIX,
  CONFIG_DEF,
  DELETED_FIELD,
  type DeleteTombstoneHandling,
  DROP_FIELDS_FROM_KEY,
  DROP_FIELDS_HEADER,
  DROP_FIELDS_KEEP_SCHEMA_COMPATIBLE,
  HANDLE_TOMBSTONE_DELETES,
  parseMode,
  ROUTE_BY_FIELD,
  rejectLegacyKeys,
} from './extract-new-record-state-config.js';
import { FieldReference } from './field-reference.js';

const PURPOSE = 'source field insertion';
const ENVELOPE_SUFFIX = '.Envelope';

function extract(field: 'after' | 'before'): ExtractFieldValue {
  const delegate = new ExtractFieldValue();
  delegate.configure({ field });
  return delegate;
}

function insertDeleted(value: 'true' | 'false', replaceNullWithDefault: boolean): InsertFieldValue {
  const delegate = new InsertFieldValue();
  delegate.configure({
    'static.field': DELETED_FIELD,
    'static.value': value,
    [REPLACE_NULL_WITH_DEFAULT_CONFIG]: replaceNullWithDefault,
  });
  return delegate;
}

/**
 * Debezium's `io.debezium.transforms.ExtractNewRecordState` (3.6.1.Final): unwraps a change event
 * envelope (value schema named `*.Envelope`) to its row state, for sinks that mirror a table.
 * Creates, updates and reads become the `after` struct; deletes and tombstones follow
 * `delete.tombstone.handling.mode`; truncates and messages (no `before`, no `after`) are dropped; other
 * records, schemaless ones included, pass unchanged. `add.fields` appends envelope fields to the value,
 * `add.headers` adds them as headers (a tombstone gets only `op`, as `d`). The key is never touched,
 * except by `drop.fields.from.key`.
 *
 * Upstream:
 * https://github.com/debezium/debezium/blob/v3.6.1.Final/debezium-connect-plugins/src/main/java/io/debezium/transforms/ExtractNewRecordState.java
 * and its `AbstractExtractNewRecordState.java` and `extractnewstate/DefaultDeleteHandlingStrategy.java`.
 */
export class ExtractNewRecordState implements Transformation {
  static readonly CLASS_NAME = 'io.debezium.transforms.ExtractNewRecordState';
  static readonly CONFIG_DEF = CONFIG_DEF;
  readonly version = '3.6.1.Final';
  #mode: DeleteTombstoneHandling = 'tombstone';
  #routeByField: string | null = null;
  #addedFields: FieldReference[] = [];
  #addedHeaders: FieldReference[] = [];
  #dropper: FieldDropper | null = null;
  readonly #after = extract('after');
  readonly #before = extract('before');
  #removed = insertDeleted('true', true);
  #updated = insertDeleted('false', true);
  // Keyed by schema identity, weakly, so schemas no longer in use go with their records.
  #headerSchemas = new WeakMap<Schema, [FieldReference, Schema][]>();
  // By the unwrapped value's schema, then the envelope's: together they decide the added fields.
  #valueSchemas = new WeakMap<Schema, WeakMap<Schema, UpdatedSchema>>();

  configure(configs: Record<string, unknown>): void {
    rejectLegacyKeys(configs);
    const config = new SimpleConfig(CONFIG_DEF, configs);
    this.#mode = parseMode(config.getString(HANDLE_TOMBSTONE_DELETES)) ?? 'tombstone';
    this.#routeByField = config.getString(ROUTE_BY_FIELD) || null;
    const fieldsPrefix = config.getString(ADD_FIELDS_PREFIX) ?? '';
    const headersPrefix = config.getString(ADD_HEADERS_PREFIX) ?? '';
    this.#addedFields = FieldReference.list(ADD_FIELDS, fieldsPrefix, nonEmpty(config.getList(ADD_FIELDS)));
    this.#addedHeaders = FieldReference.list(
      ADD_HEADERS,
      headersPrefix,
      nonEmpty(config.getList(ADD_HEADERS)),
    );
    const dropHeader = config.getString(DROP_FIELDS_HEADER);
    this.#dropper = dropHeader
      ? new FieldDropper(
          dropHeader,
          config.getBoolean(DROP_FIELDS_FROM_KEY),
          config.getBoolean(DROP_FIELDS_KEEP_SCHEMA_COMPATIBLE),
        )
      : null;
    const replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG);
    this.#removed = insertDeleted('true', replaceNullWithDefault);
    this.#updated = insertDeleted('false', replaceNullWithDefault);
    this.close();
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const isTombstone = record.value === null;
    if (!isTombstone && !record.valueSchema?.name?.endsWith(ENVELOPE_SUFFIX)) return record;
    if (isTombstone) return this.#mode === 'rewrite-with-tombstone' ? this.#addHeaders(record) : null;
    const withHeaders = this.#addHeaders(record);
    const envelope = requireStruct(record.value, PURPOSE);
    const after = this.#after.apply(withHeaders);
    if (after.value !== null) return this.#unwrapChange(after, envelope);
    const before = this.#before.apply(withHeaders);
    // Neither state: a truncate or a logical decoding message, which upstream drops.
    if (before.value === null) return null;
    return this.#unwrapDelete(withHeaders, after, before, envelope);
  }

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  close(): void {
    this.#headerSchemas = new WeakMap();
    this.#valueSchemas = new WeakMap();
  }

  /** A create, update or read: the `after` state. */
  #unwrapChange<R extends ConnectRecord>(after: R, envelope: Struct): R {
    let result = this.#isRewrite() ? this.#updated.apply(after) : after;
    if (this.#routeByField) {
      const topic = requireStruct(result.value, PURPOSE).getString(this.#routeByField);
      result = withTopic(result, topic);
    }
    result = this.#addFields(result, envelope);
    return this.#dropper ? this.#dropper.apply(result) : result;
  }

  /** A delete, per the mode; `null` drops it. `after` and `before` are the record unwrapped to each. */
  #unwrapDelete<R extends ConnectRecord>(record: R, after: R, before: R, envelope: Struct): R | null {
    let result: R;
    switch (this.#mode) {
      case 'drop':
        return null;
      case 'tombstone':
        // As upstream: the value is null but the schema stays the row's, which the JDBC sink reads as
        // a delete; a real tombstone has neither.
        result = after;
        break;
      case 'delete-to-tombstone':
        result = record.with({ valueSchema: null, value: null });
        break;
      case 'rewrite':
      case 'rewrite-with-tombstone':
        result = this.#removed.apply(before);
        break;
    }
    if (this.#routeByField) {
      const state = requireStruct(envelope.getStruct('before'), PURPOSE);
      result = withTopic(result, state.getString(this.#routeByField));
    }
    if (this.#dropper) result = this.#dropper.apply(result);
    return result.value === null ? result : this.#addFields(result, envelope);
  }

  #isRewrite(): boolean {
    return this.#mode === 'rewrite' || this.#mode === 'rewrite-with-tombstone';
  }

  /** The `add.headers` of the envelope, after the record's own; a tombstone gets only `op`, as `d`. */
  #addHeaders<R extends ConnectRecord>(record: R): R {
    if (this.#addedHeaders.length === 0) return record;
    const headers = new ConnectHeaders(record.headers);
    if (record.value === null) {
      for (const ref of this.#addedHeaders) if (ref.field === 'op') headers.addString(ref.newField, 'd');
    } else {
      const envelope = requireStruct(record.value, PURPOSE);
      for (const [ref, schema] of this.#headersOf(envelope.schema)) {
        headers.add(ref.newField, ref.value(envelope), schema);
      }
    }
    return record.with({ headers });
  }

  /** The `add.headers` this envelope schema has, with their header schemas. */
  #headersOf(envelopeSchema: Schema): [FieldReference, Schema][] {
    let found = this.#headerSchemas.get(envelopeSchema);
    if (!found) {
      found = present(this.#addedHeaders, envelopeSchema);
      this.#headerSchemas.set(envelopeSchema, found);
    }
    return found;
  }

  /**
   * Appends the `add.fields` found in the envelope as optional fields. Runs on every unwrapped struct,
   * as upstream, so its schema is always a rebuilt copy: same name and fields, not optional.
   */
  #addFields<R extends ConnectRecord>(record: R, envelope: Struct): R {
    const value = requireStruct(record.value, PURPOSE);
    const { schema, added } = this.#updatedSchema(value.schema, envelope.schema);
    const updated = new Struct(schema);
    for (const field of value.schema.fields()) updated.put(field.name, value.getWithoutDefault(field.name));
    for (const [ref] of added) updated.put(ref.newField, ref.value(envelope));
    return record.with({ valueSchema: schema, value: updated });
  }

  #updatedSchema(valueSchema: Schema, envelopeSchema: Schema): UpdatedSchema {
    let byEnvelope = this.#valueSchemas.get(valueSchema);
    if (!byEnvelope) {
      byEnvelope = new WeakMap();
      this.#valueSchemas.set(valueSchema, byEnvelope);
    }
    let updated = byEnvelope.get(envelopeSchema);
    if (!updated) {
      const added = present(this.#addedFields, envelopeSchema);
      const builder = copySchemaBasics(valueSchema, SchemaBuilder.struct());
      for (const field of valueSchema.fields()) builder.field(field.name, field.schema);
      for (const [ref, schema] of added) {
        // Kafka's SchemaBuilder refuses a second field of one name; ours does not check.
        if (builder.fields().some((f) => f.name === ref.newField)) {
          throw new SchemaBuilderError(
            `Cannot create field because of field name duplication ${ref.newField}`,
          );
        }
        builder.field(ref.newField, schema);
      }
      updated = { schema: builder.build(), added };
      byEnvelope.set(envelopeSchema, updated);
    }
    return updated;
  }
}

interface UpdatedSchema {
  schema: Schema;
  /** The `add.fields` the envelope has, with their field schemas. */
  added: [FieldReference, Schema][];
}

/** The references found in the envelope schema, each with the schema of what it adds. */
function present(refs: readonly FieldReference[], envelopeSchema: Schema): [FieldReference, Schema][] {
  return refs.flatMap((ref) => {
    const schema = ref.schema(envelopeSchema);
    return schema ? [[ref, schema] as [FieldReference, Schema]] : [];
  });
}

/** Debezium's `setTopic`: a null or blank field value keeps the topic. */
function withTopic<R extends ConnectRecord>(record: R, topic: string | null): R {
  return topic === null || topic.trim() === '' ? record : record.with({ topic });
}

/** Upstream splits the raw string, so an empty entry (`op,,lsn`) names no field; it adds nothing. */
function nonEmpty(entries: readonly string[]): string[] {
  return entries.filter((e) => e.trim() !== '');
}
