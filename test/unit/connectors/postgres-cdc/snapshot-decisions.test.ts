import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../lib/api/index.js';
import { postgresConfigDef } from '../../../../lib/connectors/postgres-cdc/config.js';
import { filters } from '../../../../lib/connectors/postgres-cdc/filters.js';
import { flushableLsn, readOffset, resumeLsn } from '../../../../lib/connectors/postgres-cdc/offsets.js';
import type { SlotState } from '../../../../lib/connectors/postgres-cdc/slot.js';
import { needsSnapshot } from '../../../../lib/connectors/postgres-cdc/snapshot-mode.js';

const slot = (confirmed: bigint): SlotState => ({
  plugin: 'pgoutput',
  database: 'test',
  activePid: null,
  restartLsn: confirmed,
  confirmedFlushLsn: confirmed,
});
const streaming = readOffset({ lsn: 200, lsn_proc: 200, lsn_commit: 150, txId: 7 });
const unfinished = readOffset({
  lsn: 100,
  snapshot: 'INITIAL',
  last_snapshot_record: false,
  snapshot_completed: false,
});
const finished = readOffset({
  lsn: 100,
  snapshot: 'INITIAL',
  last_snapshot_record: true,
  snapshot_completed: true,
});

describe('snapshot.mode decisions (Debezium 3.6 semantics)', () => {
  it('initial: without an offset or with an unfinished snapshot only', () => {
    expect(needsSnapshot('initial', null, undefined)).toBe(true);
    expect(needsSnapshot('initial', unfinished, slot(100n))).toBe(true);
    expect(needsSnapshot('initial', finished, slot(100n))).toBe(false);
    expect(needsSnapshot('initial', streaming, slot(150n))).toBe(false);
  });

  it('no_data and the deprecated never: never', () => {
    expect(needsSnapshot('no_data', null, undefined)).toBe(false);
    expect(needsSnapshot('never', unfinished, undefined)).toBe(false);
  });

  it('when_needed: also when the slot is gone or already past the stored position', () => {
    expect(needsSnapshot('when_needed', streaming, slot(150n))).toBe(false);
    expect(needsSnapshot('when_needed', streaming, undefined)).toBe(true);
    expect(needsSnapshot('when_needed', streaming, slot(400n))).toBe(true);
  });

  it('always: whenever the slot is new (a task start in this runtime is every batch)', () => {
    expect(needsSnapshot('always', streaming, slot(150n))).toBe(false);
    expect(needsSnapshot('always', streaming, undefined)).toBe(true);
  });
});

describe('Debezium offsets', () => {
  it('reads Debezium 3.0’s boolean snapshot flag and string booleans', () => {
    expect(readOffset({ lsn: 5, snapshot: true, last_snapshot_record: 'true' })).toMatchObject({
      snapshot: 'INITIAL',
      last_snapshot_record: true,
    });
  });

  it('resumes from the last completed transaction, and confirms only completed ones', () => {
    expect(resumeLsn(streaming as NonNullable<typeof streaming>)).toBe(150n);
    expect(flushableLsn(streaming as NonNullable<typeof streaming>)).toBe(150n);
    expect(flushableLsn(unfinished as NonNullable<typeof unfinished>)).toBeUndefined();
    expect(flushableLsn(finished as NonNullable<typeof finished>)).toBe(100n);
  });
});

describe('filters', () => {
  const parse = (props: Record<string, string>) =>
    postgresConfigDef().parse({
      'database.hostname': 'h',
      'database.user': 'u',
      'database.dbname': 'd',
      'topic.prefix': 'p',
      ...props,
    });

  it('match whole identifiers, case-insensitively, and never the system schemas', () => {
    const f = filters(parse({ 'table.include.list': 'public\\.ord.*,inv\\.items' }));
    expect(f.captures({ schema: 'public', table: 'orders' })).toBe(true);
    expect(f.captures({ schema: 'PUBLIC', table: 'ORDERS' })).toBe(true);
    expect(f.captures({ schema: 'public', table: 'xorders' })).toBe(false);
    expect(f.captures({ schema: 'inv', table: 'items_old' })).toBe(false);
    expect(filters(parse({})).captures({ schema: 'pg_catalog', table: 'pg_class' })).toBe(false);
  });

  it('refuse an include and an exclude list together, and parse message.key.columns', () => {
    expect(() => filters(parse({ 'table.include.list': 'a', 'table.exclude.list': 'b' }))).toThrow(
      ConfigError,
    );
    const f = filters(
      parse({
        'message.key.columns': 'public.orders:a,b;inv.*:sku',
        'column.exclude.list': 'public\\.orders\\.secret',
      }),
    );
    expect(f.keyColumns({ schema: 'public', table: 'orders' })).toEqual(['a', 'b']);
    expect(f.keyColumns({ schema: 'inv', table: 'x' })).toEqual(['sku']);
    expect(f.keyColumns({ schema: 'other', table: 'x' })).toBeUndefined();
    expect(f.column({ schema: 'public', table: 'orders' }, 'secret')).toBe(false);
    expect(f.column({ schema: 'public', table: 'orders' }, 'total')).toBe(true);
  });

  it('config: decoderbufs is refused with the fix, an unset plugin.name is pgoutput, slot names are checked', () => {
    expect(() => parse({ 'plugin.name': 'decoderbufs' })).toThrow(/only pgoutput is supported/);
    expect(parse({})['plugin.name']).toBe('pgoutput');
    expect(() => parse({ 'slot.name': 'Bad-Name' })).toThrow(/slot names/);
    expect(parse({})['slot.name']).toBe('debezium');
    expect(parse({})['publication.name']).toBe('dbz_publication');
    expect(parse({})['snapshot.mode']).toBe('initial');
  });
});
