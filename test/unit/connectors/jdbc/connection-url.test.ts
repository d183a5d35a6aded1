import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../lib/api/index.js';
import { parseConnectionUrl, redactUrl } from '../../../../lib/connectors/jdbc/connection-url.js';

describe('parseConnectionUrl', () => {
  it('maps a PostgreSQL URL with parameters onto host, port, database and credentials', () => {
    // Act
    const spec = parseConnectionUrl(
      'jdbc:postgresql://db.example:5433/shop?user=app&password=p%40ss&sslmode=require',
    );
    // Assess
    expect(spec).toEqual({
      dialect: 'PostgreSqlDatabaseDialect',
      host: 'db.example',
      port: 5433,
      database: 'shop',
      user: 'app',
      password: 'p@ss',
      params: { sslmode: 'require' },
    });
  });

  it('takes default ports, the first of several hosts and user info before @', () => {
    expect(parseConnectionUrl('jdbc:mysql://a,b:3307/db')).toMatchObject({
      dialect: 'MySqlDatabaseDialect',
      host: 'a',
      port: 3306,
      database: 'db',
    });
    expect(parseConnectionUrl('jdbc:mariadb://root:pw@127.0.0.1/test')).toMatchObject({
      host: '127.0.0.1',
      user: 'root',
      password: 'pw',
      database: 'test',
    });
    expect(parseConnectionUrl('jdbc:postgresql:local')).toMatchObject({
      host: 'localhost',
      port: 5432,
      database: 'local',
    });
    expect(parseConnectionUrl('jdbc:postgresql://[::1]:6000/x')).toMatchObject({ host: '::1', port: 6000 });
  });

  it('refuses other databases with a ConfigError on connection.url', () => {
    expect(() => parseConnectionUrl('jdbc:oracle:thin:@host:1521:db')).toThrow(ConfigError);
  });

  it('hides passwords when a URL is shown', () => {
    expect(redactUrl('jdbc:mysql://u:secret@h/db?password=x&a=1')).toBe(
      'jdbc:mysql://u:[hidden]@h/db?password=[hidden]&a=1',
    );
  });
});
