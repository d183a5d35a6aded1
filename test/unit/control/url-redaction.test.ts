import { describe, expect, it } from 'vitest';
import { redactUrlCredentials } from '../../../lib/config/url-redaction.js';

describe('redactUrlCredentials', () => {
  it('hides the password of user:password@ in any scheme, keeping the user and the rest', () => {
    expect(redactUrlCredentials('HTTP 500 from POST https://bob:s3cret@api.example.com/hook: no')).toBe(
      'HTTP 500 from POST https://bob:[hidden]@api.example.com/hook: no',
    );
    expect(redactUrlCredentials('jdbc:postgresql://app:pw@db:5432/orders')).toBe(
      'jdbc:postgresql://app:[hidden]@db:5432/orders',
    );
    expect(redactUrlCredentials('jdbc:mysql://root:p@ss@word@127.0.0.1:3306/test ok')).toBe(
      'jdbc:mysql://root:[hidden]@127.0.0.1:3306/test ok',
    );
    expect(redactUrlCredentials('two: a://x:1@h b://y:2@i')).toBe('two: a://x:[hidden]@h b://y:[hidden]@i');
    expect(redactUrlCredentials('mongodb://:only-password@h/')).toBe('mongodb://:[hidden]@h/');
  });

  it('hides password parameters of MySQL, PostgreSQL, SQL Server and Oracle URLs', () => {
    expect(redactUrlCredentials('jdbc:mysql://h:3306/db?user=root&password=secret&useSSL=false')).toBe(
      'jdbc:mysql://h:3306/db?user=root&password=[hidden]&useSSL=false',
    );
    expect(redactUrlCredentials('jdbc:postgresql://h/db?password=x&sslpassword=y')).toBe(
      'jdbc:postgresql://h/db?password=[hidden]&sslpassword=[hidden]',
    );
    expect(
      redactUrlCredentials('jdbc:sqlserver://h:1433;databaseName=d;user=sa;Password=Str0ng;encrypt=true'),
    ).toBe('jdbc:sqlserver://h:1433;databaseName=d;user=sa;Password=[hidden];encrypt=true');
    expect(redactUrlCredentials('Server=h;Uid=me;Pwd=abc;')).toBe('Server=h;Uid=me;Pwd=[hidden];');
    expect(redactUrlCredentials('jdbc:oracle:thin:scott/tiger@//db:1521/XE')).toBe(
      'jdbc:oracle:thin:scott/[hidden]@//db:1521/XE',
    );
    expect(redactUrlCredentials('Invalid value "x?passwd=a b" for configuration connection.url')).toBe(
      'Invalid value "x?passwd=[hidden] b" for configuration connection.url',
    );
  });

  it('leaves text without credentials alone, and hidden text hidden', () => {
    for (const text of [
      'https://api.example.com/hook?token-count=3',
      'http://user@host/ (no password)',
      'mailto:a@b.c',
      'a password is required',
      'password: none',
      'http://[::1]:8080/x',
      'file:///etc/passwd',
    ]) {
      expect(redactUrlCredentials(text)).toBe(text);
    }
    const once = redactUrlCredentials('jdbc:mysql://u:p@h/d?password=q');
    expect(redactUrlCredentials(once)).toBe(once);
  });

  it('runs in linear time on long hostile text (it sees every error message, which may quote a 1 MB value)', () => {
    const started = Date.now();
    for (const text of [
      'x'.repeat(1_000_000),
      `http://${'u'.repeat(1_000_000)}`,
      `jdbc:oracle:thin:${'u'.repeat(1_000_000)}`,
    ])
      redactUrlCredentials(text);
    // Quadratic patterns took 1.5 s for 40 kB; these take well under a second for 3 MB.
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
