import { afterEach, describe, expect, it } from 'vitest';
import {
  forgetSecrets,
  HIDDEN,
  redact,
  redactDeep,
  redactError,
  redactingLog,
  rememberSecret,
} from '../../../lib/config/redaction.js';
import { trace } from '../../../lib/config/trace.js';

describe('the one redaction rule', () => {
  afterEach(forgetSecrets);

  it('hides every remembered value wherever it appears in a message, longest first', () => {
    rememberSecret('hunter2-long');
    rememberSecret('hunter2-long-er');

    expect(redact('Invalid value hunter2-long-er for configuration tasks.max; also hunter2-long')).toBe(
      `Invalid value ${HIDDEN} for configuration tasks.max; also ${HIDDEN}`,
    );
  });

  it('hides the JSON-escaped form and each line of a multi-line secret (a PEM key)', () => {
    rememberSecret('pa"ss\\word');
    rememberSecret('-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END KEY-----');

    expect(redact(JSON.stringify({ m: 'pa"ss\\word' }))).toBe(`{"m":"${HIDDEN}"}`);
    expect(redact('bad key line MIIEvQIBADANBgkqhkiG9w0BAQEFAASC')).toBe(`bad key line ${HIDDEN}`);
  });

  it('leaves values shorter than four characters alone rather than garbling every message', () => {
    rememberSecret('abc');

    expect(redact('abcdef')).toBe('abcdef');
  });

  it('reaches strings inside replies, errors with their causes, traces and log lines', () => {
    rememberSecret('s3cr3t-value');
    const error = new Error('connect to db as s3cr3t-value failed', {
      cause: new Error('auth s3cr3t-value'),
    });
    const lines: unknown[] = [];
    const log = redactingLog({
      info: (m: string, e?: object) => lines.push([m, e]),
      error: (m: string, e?: object) => lines.push([m, e]),
    });

    const reply = redactDeep({ configs: [{ value: { errors: ['Invalid value s3cr3t-value'] } }] });
    const text = trace(new Error('x s3cr3t-value', { cause: new Error('y s3cr3t-value') }));
    log.error('task failed s3cr3t-value', { error: String(error), cause: error.cause });
    redactError(error);

    expect(JSON.stringify(reply)).not.toContain('s3cr3t-value');
    expect(text).not.toContain('s3cr3t-value');
    expect(text).toContain('Caused by:');
    expect(JSON.stringify(lines)).not.toContain('s3cr3t-value');
    expect(`${error.message} ${(error.cause as Error).message} ${error.stack}`).not.toContain('s3cr3t-value');
  });

  it('hides credentials in URLs in traces and log lines, but not in values a caller reads back', () => {
    const error = new Error('Cannot connect to jdbc:postgresql://app:pl4in-pw@db:5432/x');
    const lines: unknown[] = [];
    const log = redactingLog({ info: () => {}, error: (m: string, e?: object) => lines.push([m, e]) });

    log.error('failed', { url: 'http://user:pl4in-pw@api.example/v1' });

    expect(trace(error)).toContain('jdbc:postgresql://app:[hidden]@db:5432/x');
    expect(JSON.stringify(lines)).not.toContain('pl4in-pw');
    expect(redactDeep({ 'connection.url': 'jdbc:mysql://db/x?password=pl4in-pw' })).toEqual({
      'connection.url': 'jdbc:mysql://db/x?password=pl4in-pw',
    });
  });
});
