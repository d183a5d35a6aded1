import type { Password } from '../../api/index.js';
import {
  CONNECTION_ATTEMPTS,
  CONNECTION_BACKOFF,
  CONNECTION_PASSWORD,
  CONNECTION_URL,
  CONNECTION_USER,
  DIALECT_NAME,
  QUOTE_SQL_IDENTIFIERS,
} from './common-config.js';
import { type ConnectionSpec, type DialectName, parseConnectionUrl } from './connection-url.js';
import { connect, type DbClient } from './db-client.js';
import { type Dialect, dialectFor, type QuoteMethod } from './dialect.js';

export interface Connection {
  spec: ConnectionSpec;
  dialect: Dialect;
  db: DbClient;
}

/** The connection spec of parsed connector config: the URL with `connection.user`/`password` over it. */
export function connectionSpec(parsed: Record<string, unknown>): ConnectionSpec {
  const spec = parseConnectionUrl(parsed[CONNECTION_URL] as string);
  const user = parsed[CONNECTION_USER] as string | null;
  const password = parsed[CONNECTION_PASSWORD] as Password | null;
  if (user) spec.user = user;
  if (password) spec.password = password.value();
  const forced = parsed[DIALECT_NAME] as string;
  if (forced) spec.dialect = forced as DialectName;
  return spec;
}

export async function openConnection(parsed: Record<string, unknown>): Promise<Connection> {
  const spec = connectionSpec(parsed);
  const db = await connect(spec, {
    attempts: parsed[CONNECTION_ATTEMPTS] as number,
    backoffMs: Number(parsed[CONNECTION_BACKOFF]),
  });
  const dialect = dialectFor(spec.dialect, parsed[QUOTE_SQL_IDENTIFIERS] as QuoteMethod, {
    noBackslashEscapes: db.noBackslashEscapes,
  });
  return { spec, db, dialect };
}
