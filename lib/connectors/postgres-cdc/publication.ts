import type pg from 'pg';
import { ConnectError } from '../../api/index.js';
import type { AutocreateMode } from './config.js';
import { quoteIdent, quoteTable } from './database.js';
import type { TableRef } from './filters.js';

/**
 * Makes sure the publication pgoutput streams exists, as Debezium's `initPublication` does per
 * publication.autocreate.mode. `filtered` also keeps an existing publication's tables in step with the
 * filters at each start, so a new table the filters select is streamed from then on.
 */
export async function ensurePublication(
  client: pg.ClientBase,
  name: string,
  mode: AutocreateMode,
  tables: TableRef[],
): Promise<void> {
  const { rows } = await client.query<{ puballtables: boolean }>(
    'SELECT puballtables FROM pg_publication WHERE pubname = $1',
    [name],
  );
  const existing = rows[0];
  const list = tables.map(quoteTable).join(', ');
  if (existing) {
    if (mode !== 'filtered') return;
    if (existing.puballtables)
      throw new ConnectError(
        `publication ${name} is FOR ALL TABLES; publication.autocreate.mode=filtered needs a publication of its own tables: drop it or use all_tables`,
      );
    if (tables.length === 0) return;
    await client.query(`ALTER PUBLICATION ${quoteIdent(name)} SET TABLE ${list}`);
    return;
  }
  switch (mode) {
    case 'disabled':
      throw new ConnectError(
        `publication ${name} does not exist and publication.autocreate.mode=disabled: create it (CREATE PUBLICATION ${name} FOR TABLE …)`,
      );
    case 'all_tables':
      await client.query(`CREATE PUBLICATION ${quoteIdent(name)} FOR ALL TABLES`);
      return;
    case 'filtered':
      if (tables.length === 0)
        throw new ConnectError(
          `no table matches the filters, so publication ${name} cannot be created (filtered)`,
        );
      await client.query(`CREATE PUBLICATION ${quoteIdent(name)} FOR TABLE ${list}`);
      return;
    case 'no_tables':
      await client.query(`CREATE PUBLICATION ${quoteIdent(name)}`);
      return;
  }
}
