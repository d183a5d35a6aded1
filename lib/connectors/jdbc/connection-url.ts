import { ConfigError } from '../../api/index.js';

/** The database products this connector speaks, each through its Node driver (`pg`, `mysql2`). */
export const DialectName = { POSTGRES: 'PostgreSqlDatabaseDialect', MYSQL: 'MySqlDatabaseDialect' } as const;
export type DialectName = (typeof DialectName)[keyof typeof DialectName];

/** A JDBC URL parsed onto what a Node driver needs. */
export interface ConnectionSpec {
  dialect: DialectName;
  host: string;
  port: number;
  database: string;
  user?: string;
  password?: string;
  /** Remaining URL parameters (`ssl`, `sslmode`, `currentSchema`, …), as given. */
  params: Record<string, string>;
}

const PREFIXES: { prefix: string; dialect: DialectName; port: number }[] = [
  { prefix: 'jdbc:postgresql:', dialect: DialectName.POSTGRES, port: 5432 },
  { prefix: 'jdbc:mysql:', dialect: DialectName.MYSQL, port: 3306 },
  { prefix: 'jdbc:mariadb:', dialect: DialectName.MYSQL, port: 3306 },
];

/**
 * Parses `jdbc:postgresql://host[:port]/db?k=v&…`, `jdbc:postgresql:db`, `jdbc:mysql://…` and
 * `jdbc:mariadb://…` (user info before `@` is accepted too). Of several hosts (`h1,h2`) the first is used.
 * `user` and `password` parameters become credentials; `connection.user`/`connection.password` override them.
 *
 * @example
 * parseConnectionUrl('jdbc:postgresql://db:5433/shop?user=app&sslmode=require')
 * // { dialect: 'PostgreSqlDatabaseDialect', host: 'db', port: 5433, database: 'shop', user: 'app', params: { sslmode: 'require' } }
 */
export function parseConnectionUrl(url: string): ConnectionSpec {
  const trimmed = url.trim();
  const match = PREFIXES.find((p) => trimmed.toLowerCase().startsWith(p.prefix));
  if (!match) {
    throw new ConfigError(
      'connection.url',
      url,
      'Unsupported JDBC URL: expected jdbc:postgresql://, jdbc:mysql:// or jdbc:mariadb://',
    );
  }
  let rest = trimmed.slice(match.prefix.length);
  const q = rest.indexOf('?');
  const query = q >= 0 ? rest.slice(q + 1) : '';
  rest = q >= 0 ? rest.slice(0, q) : rest;
  const params: Record<string, string> = {};
  for (const pair of query.split('&').filter(Boolean)) {
    const eq = pair.indexOf('=');
    const key = decodeURIComponent(eq >= 0 ? pair.slice(0, eq) : pair);
    params[key] = decodeURIComponent(eq >= 0 ? pair.slice(eq + 1) : '');
  }
  let host = 'localhost';
  let port = match.port;
  let database = '';
  let user: string | undefined;
  let password: string | undefined;
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    let authority = slash >= 0 ? rest.slice(2, slash) : rest.slice(2);
    database = slash >= 0 ? decodeURIComponent(rest.slice(slash + 1)) : '';
    const at = authority.lastIndexOf('@');
    if (at >= 0) {
      const info = authority.slice(0, at);
      const colon = info.indexOf(':');
      user = decodeURIComponent(colon >= 0 ? info.slice(0, colon) : info);
      password = colon >= 0 ? decodeURIComponent(info.slice(colon + 1)) : undefined;
      authority = authority.slice(at + 1);
    }
    const first = authority.split(',')[0] ?? '';
    const hostPort = /^(\[[^\]]+\]|[^:]*)(?::(\d+))?$/.exec(first);
    if (!hostPort) throw new ConfigError('connection.url', url, 'Invalid host or port');
    if (hostPort[1]) host = hostPort[1].replace(/^\[|\]$/g, '');
    if (hostPort[2]) port = Number(hostPort[2]);
  } else {
    database = decodeURIComponent(rest);
  }
  if (params.user !== undefined) user = params.user;
  if (params.password !== undefined) password = params.password;
  delete params.user;
  delete params.password;
  const spec: ConnectionSpec = { dialect: match.dialect, host, port, database, params };
  if (user !== undefined) spec.user = user;
  if (password !== undefined) spec.password = password;
  return spec;
}

/** The URL with any password parameter or user-info password masked, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/(password=)[^&]*/gi, '$1[hidden]').replace(/(\/\/[^:/@]+:)[^@/]*@/, '$1[hidden]@');
}
