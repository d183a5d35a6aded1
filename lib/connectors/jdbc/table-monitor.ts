import { listTables } from './catalog.js';
import type { Connection } from './connection.js';
import { DialectName } from './connection-url.js';
import { fullName, parseTableName, type TableId } from './table-id.js';

export interface TableFilter {
  whitelist: readonly string[];
  blacklist: readonly string[];
  types: readonly string[];
  schemaPattern: string | null;
}

/** Whether a configured name (`t`, `s.t`, `db.s.t`) names this table. */
export function matchesTable(name: string, id: TableId, dialect: DialectName): boolean {
  const want = parseTableName(name, dialect === DialectName.MYSQL ? 2 : 3);
  return (
    want.table === id.table &&
    (want.schema === undefined || want.schema === id.schema) &&
    (want.catalog === undefined || want.catalog === id.catalog)
  );
}

/** The tables to copy: listed by the catalog, then whitelisted or blacklisted (Confluent's TableMonitorThread). */
export async function tablesToCopy(conn: Connection, filter: TableFilter): Promise<TableId[]> {
  const all = await listTables(conn.db, conn.spec.dialect, {
    types: filter.types,
    schemaPattern: filter.schemaPattern,
  });
  const d = conn.spec.dialect;
  if (filter.whitelist.length > 0)
    return all.filter((t) => filter.whitelist.some((w) => matchesTable(w, t, d)));
  return all.filter((t) => !filter.blacklist.some((b) => matchesTable(b, t, d)));
}

/**
 * Watches the table list every `table.poll.interval.ms` and calls `onChange` when tables appear or go
 * (Confluent's TableMonitorThread). It lives as long as the connector instance; the timer does not keep
 * the process alive.
 */
export class TableMonitor {
  private timer?: NodeJS.Timeout;
  private known: string;

  constructor(
    private readonly list: () => Promise<TableId[]>,
    initial: readonly TableId[],
    private readonly onChange: (tables: TableId[]) => void,
    private readonly onError: (error: unknown) => void = () => {},
  ) {
    this.known = key(initial);
  }

  start(intervalMs: number): void {
    if (intervalMs <= 0) return;
    this.timer = setInterval(() => void this.check(), intervalMs);
    this.timer.unref();
  }

  /** Lists once; answers whether the set changed (and then calls `onChange`). */
  async check(): Promise<boolean> {
    try {
      const tables = await this.list();
      const next = key(tables);
      if (next === this.known) return false;
      this.known = next;
      this.onChange(tables);
      return true;
    } catch (error) {
      this.onError(error);
      return false;
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

const key = (tables: readonly TableId[]) => tables.map(fullName).sort().join('\n');
