// Decoder of pgoutput's protocol version 1 messages, the payload of XLogData:
// https://www.postgresql.org/docs/15/protocol-logicalrep-message-formats.html
//
// Our own rather than the pg-logical-replication package's: that parser runs column values through pg's
// process-global type parsers (a timestamp becomes a JS Date and loses its microseconds) and turns an
// unchanged TOAST datum into `undefined`, indistinguishable from a missing column. Here every value stays
// the text PostgreSQL sent, and an unchanged TOAST datum is its own marker.

/** A TOAST-ed value the update did not change: PostgreSQL does not send it again. */
export const UNCHANGED_TOAST: unique symbol = Symbol('UNCHANGED_TOAST');

/** A column value as sent: text output (binary format is never requested), null, or unchanged TOAST. */
export type TupleValue = string | null | typeof UNCHANGED_TOAST;

export interface RelationColumn {
  name: string;
  /** Part of the replica identity (the primary key, the identity index, or every column with FULL). */
  isKey: boolean;
  typeOid: number;
  typeMod: number;
}

export interface Relation {
  oid: number;
  schema: string;
  name: string;
  replicaIdentity: 'default' | 'nothing' | 'full' | 'index';
  columns: RelationColumn[];
}

export type PgOutputMessage =
  | { tag: 'begin'; finalLsn: bigint; commitTimeUs: bigint /* µs since the Unix epoch */; xid: number }
  | { tag: 'commit'; commitLsn: bigint; endLsn: bigint; commitTimeUs: bigint }
  | { tag: 'origin'; lsn: bigint; name: string }
  | { tag: 'relation'; relation: Relation }
  | { tag: 'type'; oid: number; schema: string; name: string }
  | { tag: 'insert'; relation: Relation; new: TupleValue[] }
  | { tag: 'update'; relation: Relation; key?: TupleValue[]; old?: TupleValue[]; new: TupleValue[] }
  | { tag: 'delete'; relation: Relation; key?: TupleValue[]; old?: TupleValue[] }
  | { tag: 'truncate'; relations: Relation[]; cascade: boolean; restartIdentity: boolean }
  | { tag: 'message'; transactional: boolean; lsn: bigint; prefix: string; content: Buffer };

/** PostgreSQL timestamps count microseconds from 2000-01-01 00:00:00 UTC: that instant in Unix µs. */
export const PG_EPOCH_UNIX_US = 946_684_800_000_000n;

const REPLICA_IDENTITY: Record<string, Relation['replicaIdentity']> = {
  d: 'default',
  n: 'nothing',
  f: 'full',
  i: 'index',
};

// pgoutput writes an empty namespace for pg_catalog (Relation and Type messages).
const namespace = (sent: string) => (sent === '' ? 'pg_catalog' : sent);

/** Big-endian cursor over one message; reading past its end is a protocol error. */
class Reader {
  private offset = 0;
  constructor(private readonly data: Buffer) {}

  private take(n: number): number {
    const at = this.offset;
    if (at + n > this.data.length) throw new Error(`pgoutput message truncated at byte ${at} (+${n})`);
    this.offset += n;
    return at;
  }
  byte(): string {
    return String.fromCharCode(this.data[this.take(1)]!);
  }
  int8(): number {
    return this.data.readInt8(this.take(1));
  }
  int16(): number {
    return this.data.readInt16BE(this.take(2));
  }
  int32(): number {
    return this.data.readInt32BE(this.take(4));
  }
  uint32(): number {
    return this.data.readUInt32BE(this.take(4));
  }
  uint64(): bigint {
    return this.data.readBigUInt64BE(this.take(8));
  }
  timestampUs(): bigint {
    return this.data.readBigInt64BE(this.take(8)) + PG_EPOCH_UNIX_US;
  }
  cstring(): string {
    const end = this.data.indexOf(0, this.offset);
    if (end < 0) throw new Error(`pgoutput string not terminated at byte ${this.offset}`);
    const text = this.data.toString('utf8', this.offset, end);
    this.offset = end + 1;
    return text;
  }
  /** A copy: the data buffer may be a view into pg's reused read buffer. */
  bytes(n: number): Buffer {
    const at = this.take(n);
    return Buffer.from(this.data.subarray(at, at + n));
  }
  text(n: number): string {
    const at = this.take(n);
    return this.data.toString('utf8', at, at + n);
  }
  end(): void {
    if (this.offset !== this.data.length)
      throw new Error(`pgoutput message has ${this.data.length - this.offset} unread bytes`);
  }
}

/**
 * Decodes pgoutput messages in stream order. It keeps the relations the stream described: a change
 * names its table by OID only, and pgoutput sends a Relation message before the first change of a table
 * in the session and again after the table's definition changed.
 */
export class PgOutputDecoder {
  private readonly relations = new Map<number, Relation>();

  decode(data: Buffer): PgOutputMessage {
    const r = new Reader(data);
    const message = this.read(r, r.byte());
    r.end();
    return message;
  }

  private read(r: Reader, tag: string): PgOutputMessage {
    switch (tag) {
      case 'B':
        return { tag: 'begin', finalLsn: r.uint64(), commitTimeUs: r.timestampUs(), xid: r.uint32() };
      case 'C':
        r.int8(); // flags, unused
        return { tag: 'commit', commitLsn: r.uint64(), endLsn: r.uint64(), commitTimeUs: r.timestampUs() };
      case 'O':
        return { tag: 'origin', lsn: r.uint64(), name: r.cstring() };
      case 'R':
        return { tag: 'relation', relation: this.readRelation(r) };
      case 'Y':
        return { tag: 'type', oid: r.uint32(), schema: namespace(r.cstring()), name: r.cstring() };
      case 'I': {
        const relation = this.relation(r.uint32());
        expectKind(r, 'N');
        return { tag: 'insert', relation, new: readTuple(r, relation) };
      }
      case 'U': {
        const relation = this.relation(r.uint32());
        let kind = r.byte();
        const message: Extract<PgOutputMessage, { tag: 'update' }> = { tag: 'update', relation, new: [] };
        if (kind === 'K' || kind === 'O') {
          message[kind === 'K' ? 'key' : 'old'] = readTuple(r, relation);
          kind = r.byte();
        }
        if (kind !== 'N') throw new Error(`pgoutput Update: expected a new tuple ('N'), got '${kind}'`);
        message.new = readTuple(r, relation);
        return message;
      }
      case 'D': {
        const relation = this.relation(r.uint32());
        const kind = r.byte();
        if (kind !== 'K' && kind !== 'O')
          throw new Error(`pgoutput Delete: expected a key ('K') or old ('O') tuple, got '${kind}'`);
        return { tag: 'delete', relation, [kind === 'K' ? 'key' : 'old']: readTuple(r, relation) };
      }
      case 'T': {
        const count = r.uint32();
        const options = r.int8();
        const relations = Array.from({ length: count }, () => this.relation(r.uint32()));
        return {
          tag: 'truncate',
          relations,
          cascade: (options & 1) !== 0,
          restartIdentity: (options & 2) !== 0,
        };
      }
      case 'M': {
        const transactional = (r.int8() & 1) !== 0;
        const lsn = r.uint64();
        const prefix = r.cstring();
        return { tag: 'message', transactional, lsn, prefix, content: r.bytes(r.uint32()) };
      }
      default:
        // Stream*, Prepare and the like come only with proto_version ≥ 2 or options we never request.
        throw new Error(`Unsupported pgoutput message type '${tag}'`);
    }
  }

  private readRelation(r: Reader): Relation {
    const oid = r.uint32();
    const schema = namespace(r.cstring());
    const name = r.cstring();
    const identity = r.byte();
    const replicaIdentity = REPLICA_IDENTITY[identity];
    if (!replicaIdentity)
      throw new Error(`pgoutput Relation ${schema}.${name}: replica identity '${identity}'`);
    // Fields in wire order: flags, name, type OID, type modifier.
    const columns: RelationColumn[] = Array.from({ length: r.int16() }, () => ({
      isKey: (r.int8() & 1) !== 0,
      name: r.cstring(),
      typeOid: r.uint32(),
      typeMod: r.int32(),
    }));
    const relation: Relation = { oid, schema, name, replicaIdentity, columns };
    this.relations.set(oid, relation);
    return relation;
  }

  private relation(oid: number): Relation {
    const relation = this.relations.get(oid);
    if (!relation)
      throw new Error(`pgoutput change for relation ${oid}, which no Relation message described`);
    return relation;
  }
}

function expectKind(r: Reader, expected: string): void {
  const kind = r.byte();
  if (kind !== expected) throw new Error(`pgoutput: expected tuple '${expected}', got '${kind}'`);
}

function readTuple(r: Reader, relation: Relation): TupleValue[] {
  const count = r.int16();
  if (count !== relation.columns.length)
    throw new Error(
      `pgoutput tuple of ${relation.schema}.${relation.name} has ${count} columns, its Relation ${relation.columns.length}`,
    );
  const values: TupleValue[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const kind = r.byte();
    if (kind === 't') values[i] = r.text(r.uint32());
    else if (kind === 'n') values[i] = null;
    else if (kind === 'u') values[i] = UNCHANGED_TOAST;
    else
      throw new Error(
        `pgoutput column ${relation.columns[i]?.name}: value kind '${kind}' (binary is never requested)`,
      );
  }
  return values;
}
