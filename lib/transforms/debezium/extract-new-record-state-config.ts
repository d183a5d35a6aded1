/**
 * The keys of Debezium's `ExtractNewRecordState` (3.6.1.Final), from
 * https://github.com/debezium/debezium/blob/v3.6.1.Final/debezium-connect-plugins/src/main/java/io/debezium/transforms/ExtractNewRecordStateConfigDefinition.java
 * and the drop-fields keys of `ExtractNewRecordState.java` beside it.
 */
import {
  ConfigDef,
  ConfigError,
  ConfigType,
  Importance,
  invalidValue,
  type Validator,
  Width,
} from '../../api/index.js';
import { defineReplaceNullWithDefault } from '../util/config.js';

export const HANDLE_TOMBSTONE_DELETES = 'delete.tombstone.handling.mode';
export const ROUTE_BY_FIELD = 'route.by.field';
export const ADD_FIELDS_PREFIX = 'add.fields.prefix';
export const ADD_FIELDS = 'add.fields';
export const ADD_HEADERS_PREFIX = 'add.headers.prefix';
export const ADD_HEADERS = 'add.headers';
export const DROP_FIELDS_HEADER = 'drop.fields.header.name';
export const DROP_FIELDS_FROM_KEY = 'drop.fields.from.key';
export const DROP_FIELDS_KEEP_SCHEMA_COMPATIBLE = 'drop.fields.keep.schema.compatible';

/** The field the rewrite modes add: the STRING `"true"` on deletes, `"false"` on the other events. */
export const DELETED_FIELD = '__deleted';
const METADATA_FIELD_PREFIX = '__';

export const DELETE_TOMBSTONE_MODES = [
  'drop',
  'tombstone',
  'rewrite',
  'rewrite-with-tombstone',
  'delete-to-tombstone',
] as const;
export type DeleteTombstoneHandling = (typeof DELETE_TOMBSTONE_MODES)[number];

/** Debezium's `EnumRecommender`: trimmed, case-insensitive, with its message. */
const DeleteTombstoneMode: Validator = {
  ensureValid(name, value) {
    if (parseMode(value) === undefined) {
      throw invalidValue(name, value, `Value must be one of ${DELETE_TOMBSTONE_MODES.join(', ')}`);
    }
  },
  toString: () => `[${DELETE_TOMBSTONE_MODES.join(', ')}]`,
};

export function parseMode(value: unknown): DeleteTombstoneHandling | undefined {
  if (typeof value !== 'string') return undefined;
  const mode = value.trim().toLowerCase();
  return DELETE_TOMBSTONE_MODES.find((m) => m === mode);
}

const FIELD_LIST_DOC =
  "Each listed field, prefixed (`__op`, or `__source_ts_ms` for `source.ts_ms`); 'field:NAME' names it " +
  'NAME after the prefix (case-sensitive). A bare name is read from `source`, except op, ts_ms, ts_us, ' +
  'ts_ns (the envelope) and id, total_order, data_collection_order (`transaction`).';

export const CONFIG_DEF = defineReplaceNullWithDefault(
  new ConfigDef()
    .define({
      name: HANDLE_TOMBSTONE_DELETES,
      type: ConfigType.STRING,
      defaultValue: 'tombstone',
      validator: DeleteTombstoneMode,
      importance: Importance.MEDIUM,
      width: Width.MEDIUM,
      displayName: 'Handle delete and tombstone records',
      documentation:
        'How to handle delete events and tombstones: drop - remove both; tombstone (default) - a delete ' +
        'becomes a record with a null value, tombstones are dropped; rewrite - a delete becomes its ' +
        "`before` state with `__deleted`='true', tombstones are dropped; rewrite-with-tombstone - as " +
        'rewrite, tombstones kept; delete-to-tombstone - a delete becomes a tombstone (null value and ' +
        'schema), tombstones are dropped.',
    })
    .define({
      name: ROUTE_BY_FIELD,
      type: ConfigType.STRING,
      defaultValue: '',
      importance: Importance.LOW,
      width: Width.LONG,
      displayName: 'Route by field name',
      documentation: 'The column whose value replaces the topic name.',
    })
    .define({
      name: ADD_FIELDS_PREFIX,
      type: ConfigType.STRING,
      defaultValue: METADATA_FIELD_PREFIX,
      importance: Importance.LOW,
      width: Width.SHORT,
      displayName: 'Field prefix to be added to each field.',
      documentation: 'The prefix of each added field.',
    })
    .define({
      name: ADD_FIELDS,
      type: ConfigType.LIST,
      defaultValue: '',
      importance: Importance.LOW,
      width: Width.LONG,
      displayName: 'Adds the specified field(s) to the message if they exist.',
      documentation: `Envelope fields to append to the value as optional fields. ${FIELD_LIST_DOC}`,
    })
    .define({
      name: ADD_HEADERS_PREFIX,
      type: ConfigType.STRING,
      defaultValue: METADATA_FIELD_PREFIX,
      importance: Importance.LOW,
      width: Width.SHORT,
      displayName: 'Header prefix to be added to each header.',
      documentation: 'The prefix of each added header.',
    })
    .define({
      name: ADD_HEADERS,
      type: ConfigType.LIST,
      defaultValue: '',
      importance: Importance.LOW,
      width: Width.LONG,
      displayName: 'Adds the specified fields to the header if they exist.',
      documentation: `Envelope fields to add as headers. ${FIELD_LIST_DOC}`,
    })
    .define({
      name: DROP_FIELDS_HEADER,
      type: ConfigType.STRING,
      defaultValue: null,
      importance: Importance.LOW,
      width: Width.SHORT,
      displayName: 'Specifies a header that contains a list of field names to be removed',
      documentation: 'The header whose value, a list of field names, is removed from the event value.',
    })
    .define({
      name: DROP_FIELDS_FROM_KEY,
      type: ConfigType.BOOLEAN,
      defaultValue: false,
      importance: Importance.LOW,
      width: Width.SHORT,
      displayName: 'Specifies whether the fields to be dropped should also be omitted from the key',
      documentation: 'Whether the fields of the drop-fields header are removed from the key too.',
    })
    .define({
      name: DROP_FIELDS_KEEP_SCHEMA_COMPATIBLE,
      type: ConfigType.BOOLEAN,
      defaultValue: true,
      importance: Importance.LOW,
      width: Width.SHORT,
      displayName: "Specifies if fields are dropped, will the event's schemas be compatible",
      documentation:
        'true: only optional fields are dropped, so the schemas stay compatible; false: every listed ' +
        'field is dropped.',
    }),
);

const LEGACY_DROP_TOMBSTONES = 'drop.tombstones';
const LEGACY_DELETE_HANDLING = 'delete.handling.mode';

// What Debezium 3.1's `LegacyDeleteHandlingStrategy` did, by `drop.tombstones` then `delete.handling.mode`
// (defaults true and drop). `drop`/`none` with tombstones kept have no 3.2+ equivalent.
const LEGACY_EQUIVALENTS = new Map<string, DeleteTombstoneHandling>([
  ['true drop', 'drop'],
  ['true none', 'tombstone'],
  ['true rewrite', 'rewrite'],
  ['false rewrite', 'rewrite-with-tombstone'],
]);

/**
 * Refuses the keys Debezium 3.2 removed (DBZ-6068) when `delete.tombstone.handling.mode` is absent:
 * 3.6.1 ignores them, so a 3.1 config would silently switch to `tombstone`. With the new key set they
 * are ignored, as 3.1 and 3.6.1 both do. The message names the equivalent mode when there is one.
 */
export function rejectLegacyKeys(configs: Readonly<Record<string, unknown>>): void {
  if (configs[HANDLE_TOMBSTONE_DELETES] != null) return;
  const dropTombstones = configs[LEGACY_DROP_TOMBSTONES];
  const deleteHandling = configs[LEGACY_DELETE_HANDLING];
  if (dropTombstones == null && deleteHandling == null) return;
  const legacy = `${String(dropTombstones ?? true).trim()} ${String(deleteHandling ?? 'drop').trim()}`;
  const mode = LEGACY_EQUIVALENTS.get(legacy.toLowerCase());
  const advice = mode
    ? `use ${HANDLE_TOMBSTONE_DELETES}=${mode} instead`
    : `no ${HANDLE_TOMBSTONE_DELETES} does the same; choose one of ${DELETE_TOMBSTONE_MODES.join(', ')}`;
  const [name, value] =
    deleteHandling != null
      ? [LEGACY_DELETE_HANDLING, deleteHandling]
      : [LEGACY_DROP_TOMBSTONES, dropTombstones];
  throw new ConfigError(name, value, `${name} was removed in Debezium 3.2; ${advice}`);
}
