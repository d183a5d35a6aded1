import type { Duplex } from 'node:stream';
import type pg from 'pg';
import { formatLsn, parseLsn } from './lsn.js';
import { PG_EPOCH_UNIX_US, PgOutputDecoder, type PgOutputMessage } from './pgoutput.js';

// The streaming replication protocol over pg's replication mode:
// https://www.postgresql.org/docs/15/protocol-replication.html
// pg knows CopyBoth only as far as to pass its messages on: the Connection emits `replicationStart` for
// CopyBothResponse and `copyData` for each CopyData, while the START_REPLICATION query stays the active
// query until the server ends the copy (CommandComplete) or fails it (ErrorResponse).

export interface WalEvent {
  /** XLogData's WAL start of this message; for a Commit it is the transaction's end LSN. */
  lsn: bigint;
  message: PgOutputMessage;
}

export interface ReplicationOptions {
  /** Decoded events held at most; the socket pauses when full and resumes at half. */
  maxBufferedEvents?: number;
  /** How often a status update goes out unasked; well below wal_sender_timeout (60 s by default). */
  statusIntervalMs?: number;
}

/** The part of pg's Connection the copy stream needs (its typings declare less than it has). */
interface WireConnection {
  readonly stream: Duplex;
  on(event: 'copyData', listener: (message: { chunk: Buffer }) => void): void;
  once(event: 'replicationStart', listener: () => void): void;
  removeListener(event: 'replicationStart', listener: () => void): void;
  endCopyFrom(): void;
}

interface Waiter {
  resolve(event: WalEvent | null): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout;
}

const XLOG_DATA = 0x77; // 'w'
const KEEPALIVE = 0x6b; // 'k'
const CLOSE_WAIT_MS = 5_000;

// Every value stays the text PostgreSQL sent: no process-global pg type parser applies to this session.
const TEXT_TYPES = { getTypeParser: () => (text: string) => text } as unknown as pg.CustomTypesConfig;

// The drivers load on first use, as in the JDBC connector: a process that never streams never loads pg.
const loadPg = async () => (await import('pg')).default;

const identifier = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * One walsender session (`replication=database`): slot commands, then one pgoutput stream read through a
 * bounded buffer. The slot advances only to what the caller confirmed: every status update, asked for by
 * a keepalive or sent on the interval, reports the last confirmed LSN and nothing newer.
 */
export class ReplicationConnection {
  private readonly decoder = new PgOutputDecoder();
  private readonly events: WalEvent[] = [];
  /** XLogData read in the same socket chunk after the buffer filled: copies, decoded as room frees. */
  private readonly overflow: { lsn: bigint; data: Buffer }[] = [];
  private readonly maxBuffered: number;
  private readonly statusIntervalMs: number;
  private state: 'idle' | 'streaming' | 'closed' = 'idle';
  private streamEnd: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  private waiter: Waiter | null = null;
  private paused = false;
  private confirmed = 0n;
  private walEnd = 0n;
  private statusTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  /** The most decoded events ever held at once; never above maxBufferedEvents. */
  bufferedHighWater = 0;
  /** The most bytes of XLogData ever held undecoded: what one socket read brought past a full buffer. */
  readAheadHighWater = 0;
  private readAheadBytes = 0;

  private constructor(
    private readonly client: pg.Client,
    options: ReplicationOptions,
  ) {
    this.maxBuffered = Math.max(1, options.maxBufferedEvents ?? 10_000);
    this.statusIntervalMs = options.statusIntervalMs ?? 10_000;
    // A broken socket or a terminated walsender must reach next(), not become an unhandled 'error'.
    client.on('error', (error) => this.fail(error));
    client.on('end', () => this.fail(new Error('Replication connection closed')));
    this.wire.on('copyData', (message) => this.onCopyData(message.chunk));
  }

  /**
   * Connects with `replication: 'database'`. Startup `options` (`-c DateStyle=ISO -c TimeZone=UTC`) set the
   * walsender's session, so they shape pgoutput's text output as they would a query's.
   */
  static async open(
    config: pg.ClientConfig,
    options: ReplicationOptions = {},
  ): Promise<ReplicationConnection> {
    const pg = await loadPg();
    // pgoutput converts its text to the client encoding; the decoder reads UTF-8.
    const replication = { ...config, replication: 'database', client_encoding: 'UTF8', types: TEXT_TYPES };
    const client = new pg.Client(replication as pg.ClientConfig);
    const connection = new ReplicationConnection(client, options);
    try {
      await client.connect();
    } catch (error) {
      await connection.close();
      throw error;
    }
    return connection;
  }

  private get wire(): WireConnection {
    return this.client.connection as unknown as WireConnection;
  }

  async identifySystem(): Promise<{ systemId: string; timeline: number; xlogpos: bigint; dbname: string }> {
    const row = (await this.client.query('IDENTIFY_SYSTEM')).rows[0];
    return {
      systemId: row.systemid,
      timeline: Number(row.timeline),
      xlogpos: parseLsn(row.xlogpos),
      dbname: row.dbname,
    };
  }

  /**
   * CREATE_REPLICATION_SLOT ... LOGICAL pgoutput with an exported snapshot; the snapshot stays valid until
   * the next command on this connection. (EXPORT_SNAPSHOT is the syntax every version from 10 on accepts.)
   */
  async createSlot(
    name: string,
    opts: { temporary?: boolean } = {},
  ): Promise<{ consistentPoint: bigint; snapshotName: string }> {
    const temporary = opts.temporary ? ' TEMPORARY' : '';
    const sql = `CREATE_REPLICATION_SLOT ${identifier(name)}${temporary} LOGICAL pgoutput EXPORT_SNAPSHOT`;
    const row = (await this.client.query(sql)).rows[0];
    return { consistentPoint: parseLsn(row.consistent_point), snapshotName: row.snapshot_name };
  }

  /**
   * Starts pgoutput (protocol version 1) from `startLsn`; 0 means the slot's confirmed_flush_lsn. Resolves
   * once CopyBoth started; rejects with PostgreSQL's error (slot missing or active, unknown publication).
   */
  async startStreaming(
    slot: string,
    startLsn: bigint,
    opts: { publications: string[]; messages: boolean },
  ): Promise<void> {
    if (this.state !== 'idle') throw new Error(`Replication connection is ${this.state}, not idle`);
    if (opts.publications.length === 0) throw new Error('startStreaming needs at least one publication');
    // publication_names is a list of identifiers inside one string literal.
    const options = [
      `proto_version '1'`,
      `publication_names ${literal(opts.publications.map(identifier).join(','))}`,
      // The option exists from PostgreSQL 14 on; asking for no messages leaves it out.
      ...(opts.messages ? [`messages 'true'`] : []),
    ];
    const sql = `START_REPLICATION SLOT ${identifier(slot)} LOGICAL ${formatLsn(startLsn)} (${options.join(', ')})`;
    await new Promise<void>((resolve, reject) => {
      const started = () => {
        this.state = 'streaming';
        this.statusTimer = setInterval(() => this.sendStatus().catch(() => {}), this.statusIntervalMs);
        this.statusTimer.unref();
        resolve();
      };
      this.wire.once('replicationStart', started);
      this.streamEnd = this.client.query(sql).then(
        () => this.fail(new Error('The server ended the replication stream')),
        (error: Error) => {
          this.wire.removeListener('replicationStart', started);
          if (this.state === 'idle') reject(error);
          else this.fail(error);
        },
      );
    });
  }

  /** The next event, waiting at most `timeoutMs`; null when none arrived in time. */
  next(timeoutMs: number): Promise<WalEvent | null> {
    if (this.waiter) return Promise.reject(new Error('next() is already waiting'));
    const event = this.take();
    if (event) return Promise.resolve(event);
    // Events read before a failure come first; the failure follows them.
    if (this.failure) return Promise.reject(this.failure);
    if (this.state !== 'streaming')
      return Promise.reject(new Error(`Replication connection is ${this.state}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        resolve(null);
      }, timeoutMs);
      this.waiter = { resolve, reject, timer };
    });
  }

  /** Standby status update: written = flushed = applied = lsn. Only call with an LSN the caller has durably stored. */
  async confirm(flushLsn: bigint): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.state !== 'streaming') throw new Error(`Replication connection is ${this.state}, not streaming`);
    if (flushLsn > this.confirmed) this.confirmed = flushLsn;
    await this.sendStatus();
  }

  /** Highest WAL end the server reported (XLogData / keepalive), for lag. */
  serverWalEnd(): bigint {
    return this.walEnd;
  }

  /** Ends CopyBoth cleanly (CopyDone) and the connection; idempotent; never throws on a broken connection. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    clearInterval(this.statusTimer);
    const waiter = this.waiter;
    this.waiter = null;
    if (waiter) {
      clearTimeout(waiter.timer);
      waiter.resolve(null);
    }
    if (this.state === 'streaming' && !this.failure) {
      // The server answers CopyDone with its own, CommandComplete and ReadyForQuery: read them.
      this.paused = false;
      this.wire.stream.resume();
      this.wire.endCopyFrom();
      await within(this.streamEnd, CLOSE_WAIT_MS);
    }
    this.state = 'closed';
    this.events.length = 0;
    this.overflow.length = 0;
    this.readAheadBytes = 0;
    try {
      if (!(await within(this.client.end(), CLOSE_WAIT_MS))) this.wire.stream.destroy();
    } catch {
      // Already broken: nothing left to end.
    }
  }

  private onCopyData(data: Buffer): void {
    if (this.state !== 'streaming' || this.failure || this.closing) return;
    if (data[0] === XLOG_DATA) {
      this.noteWalEnd(data.readBigUInt64BE(9));
      this.receive(data.readBigUInt64BE(1), data.subarray(25));
    } else if (data[0] === KEEPALIVE) {
      this.noteWalEnd(data.readBigUInt64BE(1));
      if (data[17] === 1) this.sendStatus().catch(() => {});
    } else {
      this.fail(new Error(`Unexpected replication message type 0x${data[0]?.toString(16)}`));
    }
  }

  private receive(lsn: bigint, payload: Buffer): void {
    if (this.overflow.length > 0 || this.events.length >= this.maxBuffered) {
      // pg's read buffer may be reused for the next chunk: keep a copy.
      this.overflow.push({ lsn, data: Buffer.from(payload) });
      this.readAheadBytes += payload.length;
      this.readAheadHighWater = Math.max(this.readAheadHighWater, this.readAheadBytes);
      return;
    }
    const event = this.decode(lsn, payload);
    if (!event) return;
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = null;
      clearTimeout(waiter.timer);
      waiter.resolve(event);
      return;
    }
    this.events.push(event);
    this.bufferedHighWater = Math.max(this.bufferedHighWater, this.events.length);
    if (this.events.length >= this.maxBuffered && !this.paused) {
      this.paused = true;
      this.wire.stream.pause();
    }
  }

  private take(): WalEvent | undefined {
    const event = this.events.shift();
    while (this.overflow.length > 0 && this.events.length < this.maxBuffered) {
      const { lsn, data } = this.overflow.shift()!;
      this.readAheadBytes -= data.length;
      const next = this.decode(lsn, data);
      if (next) this.events.push(next);
    }
    if (this.paused && this.overflow.length === 0 && this.events.length <= this.maxBuffered / 2) {
      this.paused = false;
      if (!this.closing) this.wire.stream.resume();
    }
    return event;
  }

  private decode(lsn: bigint, payload: Buffer): WalEvent | undefined {
    try {
      return { lsn, message: this.decoder.decode(payload) };
    } catch (error) {
      // Nothing after an undecodable message can be trusted.
      this.overflow.length = 0;
      this.readAheadBytes = 0;
      this.fail(error as Error);
      return undefined;
    }
  }

  private noteWalEnd(lsn: bigint): void {
    if (lsn > this.walEnd) this.walEnd = lsn;
  }

  /** 'r': written, flushed, applied (all the confirmed LSN), the client clock, no reply wanted. */
  private sendStatus(): Promise<void> {
    if (this.state !== 'streaming' || this.failure) return Promise.resolve();
    const update = Buffer.alloc(34);
    update.write('r', 0, 'latin1');
    update.writeBigUInt64BE(this.confirmed, 1);
    update.writeBigUInt64BE(this.confirmed, 9);
    update.writeBigUInt64BE(this.confirmed, 17);
    update.writeBigInt64BE(BigInt(Date.now()) * 1000n - PG_EPOCH_UNIX_US, 25);
    return this.writeCopyData(update);
  }

  // pg's sendCopyFromChunk gives no completion; writing the CopyData frame here lets confirm() know
  // the update reached the socket (or why not).
  private writeCopyData(payload: Buffer): Promise<void> {
    const frame = Buffer.alloc(5 + payload.length);
    frame.write('d', 0, 'latin1');
    frame.writeInt32BE(4 + payload.length, 1);
    payload.copy(frame, 5);
    return new Promise((resolve, reject) => {
      this.wire.stream.write(frame, (error) => (error ? reject(error) : resolve()));
    });
  }

  private fail(error: Error): void {
    if (this.failure || this.closing) return;
    this.failure = error;
    clearInterval(this.statusTimer);
    // A waiting next() means nothing is buffered: the failure is its answer.
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = null;
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
  }
}

/** Whether `promise` settled within `ms` (its rejection counts as settled). */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
