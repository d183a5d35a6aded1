import { describe, expect, it } from 'vitest';
import {
  PG_EPOCH_UNIX_US,
  PgOutputDecoder,
  type Relation,
  UNCHANGED_TOAST,
} from '../../../../lib/connectors/postgres-cdc/pgoutput.js';

// Messages built byte by byte after
// https://www.postgresql.org/docs/15/protocol-logicalrep-message-formats.html
const byte = (c: string) => Buffer.from(c, 'latin1');
const int8 = (n: number) => Buffer.from([n]);
const int16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const uint32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const int64 = (n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(n);
  return b;
};
const cstring = (s: string) => Buffer.concat([Buffer.from(s, 'utf8'), int8(0)]);
const msg = (...parts: Buffer[]) => Buffer.concat(parts);

type Value = string | null | typeof UNCHANGED_TOAST;
const tuple = (values: Value[]) =>
  msg(
    int16(values.length),
    ...values.map((v) => {
      if (v === null) return byte('n');
      if (v === UNCHANGED_TOAST) return byte('u');
      const text = Buffer.from(v, 'utf8');
      return msg(byte('t'), int32(text.length), text);
    }),
  );

const relationMessage = (
  oid: number,
  schema: string,
  name: string,
  identity: string,
  columns: [flags: number, name: string, typeOid: number, typeMod: number][],
) =>
  msg(
    byte('R'),
    uint32(oid),
    cstring(schema),
    cstring(name),
    byte(identity),
    int16(columns.length),
    ...columns.map(([flags, col, type, mod]) => msg(int8(flags), cstring(col), uint32(type), int32(mod))),
  );

const ORDERS = relationMessage(16_390, 'shop', 'orders', 'd', [
  [1, 'id', 23, -1],
  [0, 'note', 25, -1],
  [0, 'price', 1700, 655_366],
]);
const orders: Relation = {
  oid: 16_390,
  schema: 'shop',
  name: 'orders',
  replicaIdentity: 'default',
  columns: [
    { name: 'id', isKey: true, typeOid: 23, typeMod: -1 },
    { name: 'note', isKey: false, typeOid: 25, typeMod: -1 },
    { name: 'price', isKey: false, typeOid: 1700, typeMod: 655_366 },
  ],
};

/** A decoder that has seen the Relation message of `orders`. */
function decoder(): PgOutputDecoder {
  const d = new PgOutputDecoder();
  d.decode(ORDERS);
  return d;
}

describe('PgOutputDecoder', () => {
  it('decodes Begin and Commit: LSNs, the xid as unsigned, times from the 2000 epoch to Unix µs', () => {
    // Prepare
    const d = new PgOutputDecoder();
    const begin = msg(byte('B'), int64(0x16_b374_d848n), int64(1_234_567n), uint32(0xffff_fffe));
    const commit = msg(byte('C'), int8(0), int64(0x16_b374_d848n), int64(0x16_b374_d878n), int64(-1n));
    // Act + Assess
    expect(d.decode(begin)).toEqual({
      tag: 'begin',
      finalLsn: 0x16_b374_d848n,
      commitTimeUs: 946_684_800_000_000n + 1_234_567n,
      xid: 4_294_967_294,
    });
    expect(d.decode(commit)).toEqual({
      tag: 'commit',
      commitLsn: 0x16_b374_d848n,
      endLsn: 0x16_b374_d878n,
      commitTimeUs: PG_EPOCH_UNIX_US - 1n,
    });
  });

  it('decodes Origin and Type (an empty namespace is pg_catalog)', () => {
    const d = new PgOutputDecoder();
    expect(d.decode(msg(byte('O'), int64(42n), cstring('node_a')))).toEqual({
      tag: 'origin',
      lsn: 42n,
      name: 'node_a',
    });
    expect(d.decode(msg(byte('Y'), uint32(3_000_000_000), cstring(''), cstring('mood')))).toEqual({
      tag: 'type',
      oid: 3_000_000_000,
      schema: 'pg_catalog',
      name: 'mood',
    });
    expect(d.decode(msg(byte('Y'), uint32(16_500), cstring('shop'), cstring('mood')))).toMatchObject({
      schema: 'shop',
    });
  });

  it('decodes a Relation: identity, columns in order with key flag, type OID and modifier', () => {
    const d = new PgOutputDecoder();
    expect(d.decode(ORDERS)).toEqual({ tag: 'relation', relation: orders });
    for (const [code, identity] of [
      ['n', 'nothing'],
      ['f', 'full'],
      ['i', 'index'],
    ]) {
      const relation = d.decode(relationMessage(1, 'public', 't', code!, [])) as { relation: Relation };
      expect(relation.relation.replicaIdentity).toBe(identity);
    }
  });

  it('decodes an Insert into text values, null and UTF-8 as sent, in column order', () => {
    const d = decoder();
    const insert = msg(byte('I'), uint32(16_390), byte('N'), tuple(['7', 'größer €', null]));
    expect(d.decode(insert)).toEqual({ tag: 'insert', relation: orders, new: ['7', 'größer €', null] });
  });

  it('decodes an unchanged TOAST datum as UNCHANGED_TOAST, distinct from null and from text', () => {
    const d = decoder();
    const update = msg(byte('U'), uint32(16_390), byte('N'), tuple(['7', UNCHANGED_TOAST, '']));
    const decoded = d.decode(update);
    expect(decoded).toEqual({ tag: 'update', relation: orders, new: ['7', UNCHANGED_TOAST, ''] });
    expect(decoded).not.toHaveProperty('key');
    expect(decoded).not.toHaveProperty('old');
  });

  it("decodes an Update's key tuple ('K') and old tuple ('O') into key and old", () => {
    const d = decoder();
    const keyed = msg(
      byte('U'),
      uint32(16_390),
      byte('K'),
      tuple(['7', null, null]),
      byte('N'),
      tuple(['8', 'a', '1.50']),
    );
    const full = msg(
      byte('U'),
      uint32(16_390),
      byte('O'),
      tuple(['7', 'a', '1.00']),
      byte('N'),
      tuple(['7', 'a', '1.50']),
    );
    expect(d.decode(keyed)).toEqual({
      tag: 'update',
      relation: orders,
      key: ['7', null, null],
      new: ['8', 'a', '1.50'],
    });
    expect(d.decode(full)).toEqual({
      tag: 'update',
      relation: orders,
      old: ['7', 'a', '1.00'],
      new: ['7', 'a', '1.50'],
    });
  });

  it("decodes a Delete's key ('K') or old ('O') tuple", () => {
    const d = decoder();
    expect(d.decode(msg(byte('D'), uint32(16_390), byte('K'), tuple(['7', null, null])))).toEqual({
      tag: 'delete',
      relation: orders,
      key: ['7', null, null],
    });
    expect(d.decode(msg(byte('D'), uint32(16_390), byte('O'), tuple(['7', 'a', '1.00'])))).toEqual({
      tag: 'delete',
      relation: orders,
      old: ['7', 'a', '1.00'],
    });
  });

  it('decodes a Truncate: its relations and the CASCADE / RESTART IDENTITY bits', () => {
    const d = decoder();
    d.decode(relationMessage(16_400, 'shop', 'lines', 'f', [[1, 'id', 20, -1]]));
    const truncate = (options: number) =>
      msg(byte('T'), uint32(2), int8(options), uint32(16_390), uint32(16_400));
    expect(d.decode(truncate(0))).toMatchObject({ tag: 'truncate', cascade: false, restartIdentity: false });
    expect(d.decode(truncate(1))).toMatchObject({ cascade: true, restartIdentity: false });
    expect(d.decode(truncate(3))).toMatchObject({ cascade: true, restartIdentity: true });
    const decoded = d.decode(truncate(2)) as { relations: Relation[]; restartIdentity: boolean };
    expect(decoded.relations.map((r) => r.name)).toEqual(['orders', 'lines']);
    expect(decoded.restartIdentity).toBe(true);
  });

  it('decodes a logical decoding Message into a copy of its content', () => {
    // Prepare
    const d = new PgOutputDecoder();
    const content = Buffer.from([0, 1, 2, 255]);
    const raw = msg(byte('M'), int8(1), int64(99n), cstring('audit'), int32(content.length), content);
    // Act
    const decoded = d.decode(raw);
    raw.fill(0);
    // Assess
    expect(decoded).toEqual({ tag: 'message', transactional: true, lsn: 99n, prefix: 'audit', content });
    expect(d.decode(msg(byte('M'), int8(0), int64(5n), cstring(''), int32(0)))).toEqual({
      tag: 'message',
      transactional: false,
      lsn: 5n,
      prefix: '',
      content: Buffer.alloc(0),
    });
  });

  it('replaces a cached relation when a new Relation message describes it again', () => {
    const d = decoder();
    d.decode(relationMessage(16_390, 'shop', 'orders', 'f', [[1, 'id', 23, -1]]));
    expect(d.decode(msg(byte('I'), uint32(16_390), byte('N'), tuple(['1'])))).toMatchObject({
      relation: { replicaIdentity: 'full', columns: [{ name: 'id' }] },
      new: ['1'],
    });
  });

  it('refuses what it cannot decode faithfully', () => {
    const d = decoder();
    // A change of a relation never described.
    expect(() => d.decode(msg(byte('I'), uint32(1), byte('N'), tuple(['1'])))).toThrow(/no Relation message/);
    // A tuple whose column count differs from its relation's.
    expect(() => d.decode(msg(byte('I'), uint32(16_390), byte('N'), tuple(['1'])))).toThrow(/1 columns/);
    // A binary value (never requested).
    const binary = msg(
      byte('I'),
      uint32(16_390),
      byte('N'),
      int16(3),
      byte('b'),
      int32(1),
      int8(1),
      byte('n'),
      byte('n'),
    );
    expect(() => d.decode(binary)).toThrow(/binary/);
    // Truncated and over-long messages.
    expect(() => d.decode(msg(byte('B'), int64(1n)))).toThrow(/truncated/);
    expect(() => d.decode(msg(byte('O'), int64(1n), Buffer.from('no end')))).toThrow(/not terminated/);
    expect(() => d.decode(msg(byte('O'), int64(1n), cstring('x'), int8(0)))).toThrow(/unread/);
    // Message types of protocol version 2 and beyond.
    expect(() => d.decode(msg(byte('S'), uint32(1), int8(1)))).toThrow(
      /Unsupported pgoutput message type 'S'/,
    );
    expect(() => d.decode(relationMessage(2, 'public', 't', 'x', []))).toThrow(/replica identity 'x'/);
  });
});
