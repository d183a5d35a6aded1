import { ConfigError } from '../../api/index.js';
import {
  COLUMN_EXCLUDE,
  COLUMN_INCLUDE,
  MESSAGE_KEY_COLUMNS,
  SCHEMA_EXCLUDE,
  SCHEMA_INCLUDE,
  SNAPSHOT_INCLUDE,
  TABLE_EXCLUDE,
  TABLE_INCLUDE,
} from './config.js';

export interface TableRef {
  schema: string;
  table: string;
}

export const tableKey = (t: TableRef) => `${t.schema}.${t.table}`;

/**
 * Debezium's include/exclude lists: comma-separated regular expressions, each compiled
 * case-insensitively and matched against the whole identifier (io.debezium.function.Predicates).
 */
function patterns(list: unknown, key: string): RegExp[] | null {
  if (list === null || list === undefined) return null;
  const items = (list as string[]).map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) return null;
  return items.map((p) => {
    try {
      return new RegExp(`^(?:${p})$`, 'i');
    } catch (e) {
      throw new ConfigError(`Invalid value ${p} for configuration ${key}: ${(e as Error).message}`);
    }
  });
}

function includeExclude(
  include: RegExp[] | null,
  exclude: RegExp[] | null,
  keys: [string, string],
): (id: string) => boolean {
  if (include && exclude)
    throw new ConfigError(`"${keys[0]}" and "${keys[1]}" are mutually exclusive: set only one of them`);
  if (include) return (id) => include.some((r) => r.test(id));
  if (exclude) return (id) => !exclude.some((r) => r.test(id));
  return () => true;
}

// Debezium's SystemTablesPredicate: never captured, whatever the lists say.
const BUILTIN_SCHEMAS = /^(pg_catalog|information_schema|pg_toast|pg_temp.*|pg_toast_temp.*)$/;
const isBuiltin = (t: TableRef) => BUILTIN_SCHEMAS.test(t.schema) || t.table === 'spatial_ref_sys';

export interface Filters {
  captures(table: TableRef): boolean;
  snapshots(table: TableRef): boolean;
  column(table: TableRef, column: string): boolean;
  /** The message.key.columns of a table, or undefined for its primary key. */
  keyColumns(table: TableRef): string[] | undefined;
}

/** The filters of a parsed config. */
export function filters(p: Record<string, unknown>): Filters {
  const schema = includeExclude(
    patterns(p[SCHEMA_INCLUDE], SCHEMA_INCLUDE),
    patterns(p[SCHEMA_EXCLUDE], SCHEMA_EXCLUDE),
    [SCHEMA_INCLUDE, SCHEMA_EXCLUDE],
  );
  const table = includeExclude(
    patterns(p[TABLE_INCLUDE], TABLE_INCLUDE),
    patterns(p[TABLE_EXCLUDE], TABLE_EXCLUDE),
    [TABLE_INCLUDE, TABLE_EXCLUDE],
  );
  const column = includeExclude(
    patterns(p[COLUMN_INCLUDE], COLUMN_INCLUDE),
    patterns(p[COLUMN_EXCLUDE], COLUMN_EXCLUDE),
    [COLUMN_INCLUDE, COLUMN_EXCLUDE],
  );
  const snapshot = patterns(p[SNAPSHOT_INCLUDE], SNAPSHOT_INCLUDE);
  const keys = messageKeyColumns(p[MESSAGE_KEY_COLUMNS] as string | null);
  const captures = (t: TableRef) => !isBuiltin(t) && schema(t.schema) && table(tableKey(t));
  return {
    captures,
    snapshots: (t) => captures(t) && (snapshot === null || snapshot.some((r) => r.test(tableKey(t)))),
    column: (t, c) => column(`${tableKey(t)}.${c}`),
    keyColumns: (t) => keys.find(([r]) => r.test(tableKey(t)))?.[1],
  };
}

/** `schema.table:c1,c2;schema.t2:c` (RelationalDatabaseConnectorConfig.MSG_KEY_COLUMNS). */
function messageKeyColumns(value: string | null): [RegExp, string[]][] {
  if (!value) return [];
  return value
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((entry) => {
      const colon = entry.lastIndexOf(':');
      if (colon <= 0)
        throw new ConfigError(
          `Invalid value ${value} for configuration ${MESSAGE_KEY_COLUMNS}: each entry is <fully-qualified table>:<column>[,<column>…]`,
        );
      const columns = entry
        .slice(colon + 1)
        .split(',')
        .map((c) => c.trim())
        .filter((c) => c !== '');
      return [new RegExp(`^(?:${entry.slice(0, colon)})$`, 'i'), columns];
    });
}
