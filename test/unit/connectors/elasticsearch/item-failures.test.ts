import { describe, expect, it } from 'vitest';
import { failureKind, itemFailure, verdict } from '../../../../lib/connectors/elasticsearch/item-failures.js';
import { settingsOf } from './settings-fixture.js';

const mapperError = itemFailure(400, {
  type: 'document_parsing_exception',
  reason: 'failed to parse field [n] of type [long]',
  caused_by: { type: 'illegal_argument_exception', reason: 'For input string: "x"' },
});
const conflict = itemFailure(409, {
  type: 'version_conflict_engine_exception',
  reason: 'current version [9] is higher',
});
const rejected = itemFailure(429, { type: 'es_rejected_execution_exception', reason: 'queue full' });
const other = itemFailure(404, { type: 'index_not_found_exception', reason: 'no such index' });

describe('failed bulk items', () => {
  it('are told apart by the error types of their chain', () => {
    expect(failureKind(mapperError)).toBe('malformed');
    expect(failureKind(conflict)).toBe('version-conflict');
    expect(failureKind(rejected)).toBe('retriable');
    expect(failureKind(other)).toBe('other');
    expect(mapperError.message).toBe(
      'document_parsing_exception: failed to parse field [n] of type [long]; caused by illegal_argument_exception: For input string: "x"',
    );
  });

  it('follow Confluent’s rules: malformed reported then per behaviour, external conflicts dropped', () => {
    const s = (b: string) => settingsOf('confluent', { 'behavior.on.malformed.documents': b });
    expect(verdict('malformed', mapperError, true, s('ignore'))).toEqual({
      report: true,
      warn: null,
      fail: null,
    });
    expect(verdict('malformed', mapperError, true, s('warn')).warn).not.toBeNull();
    expect(verdict('malformed', mapperError, true, s('fail')).fail).toBe(
      'Indexing record failed. Please check DLQ topic for errors.',
    );
    expect(verdict('version-conflict', conflict, true, s('fail'))).toEqual({
      report: false,
      warn: null,
      fail: null,
    });
    expect(verdict('version-conflict', conflict, false, s('fail'))).toMatchObject({
      report: true,
      fail: null,
    });
    expect(verdict('other', other, true, s('ignore'))).toMatchObject({
      report: true,
      fail: expect.any(String),
    });
  });

  it('follow Aiven’s: behavior.on.malformed.documents and behavior.on.version.conflict, report only when asked', () => {
    const s = (m: string, v: string) =>
      settingsOf('aiven', { 'behavior.on.malformed.documents': m, 'behavior.on.version.conflict': v });
    expect(verdict('malformed', mapperError, false, s('ignore', 'fail'))).toEqual({
      report: false,
      warn: null,
      fail: null,
    });
    expect(verdict('malformed', mapperError, false, s('report', 'fail'))).toMatchObject({
      report: true,
      fail: null,
    });
    expect(verdict('version-conflict', conflict, true, s('ignore', 'fail')).fail).toMatch(
      /^One of the item in the bulk response failed. Reason: version_conflict_engine_exception/,
    );
    expect(verdict('version-conflict', conflict, true, s('fail', 'warn'))).toMatchObject({
      report: false,
      fail: null,
    });
    expect(verdict('other', other, false, s('ignore', 'ignore')).fail).toMatch(/aborted/);
  });
});
