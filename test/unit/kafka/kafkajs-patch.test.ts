import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// scripts/patch-kafkajs.mjs (postinstall) replaces kafkajs 2.2.4's quadratic grouping of a send's messages
// per partition, makes its encoder allocate without zero-filling and write varints in place, checksums
// record batches eight bytes a step, decodes records' offsets and timestamps without BigInt while they
// are safe numbers and stops its request queue's idle timer loop (docs/runtime.md, Throughput and
// latency). Each must be installed, and answer as the original does.
const require = createRequire(import.meta.url);
const installed = require.resolve('kafkajs/src/producer/groupMessagesPerPartition.js');
type Group = (args: {
  topic: string;
  partitionMetadata: { partitionId: number }[];
  messages: { partition?: number; value: string }[];
  partitioner: (args: { message: { partition?: number } }) => number;
}) => Record<string, { value: string }[]>;

/** The behaviour kafkajs specifies: every message under the partition the partitioner chose, in order. */
function reference(...[{ partitionMetadata, messages, partitioner }]: Parameters<Group>) {
  const result: Record<string, { value: string }[]> = {};
  if (partitionMetadata.length === 0) return result;
  for (const message of messages) {
    const p = partitioner({ message });
    result[p] = [...(result[p] ?? []), message];
  }
  return result;
}

describe('kafkajs, as installed', () => {
  it('groups messages with the replacement from scripts/kafkajs', () => {
    expect(readFileSync(installed, 'utf8')).toBe(
      readFileSync(
        new URL('../../../scripts/kafkajs/groupMessagesPerPartition.cjs', import.meta.url),
        'utf8',
      ),
    );
  });

  it('groups as the original does: per partition, in input order, nothing without metadata', () => {
    const group = require(installed) as Group;
    let seed = 7;
    const random = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    for (const partitions of [0, 1, 3, 12]) {
      const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId }));
      const messages = Array.from({ length: 2_000 }, (_, i) => ({
        partition: Math.floor(random() * Math.max(1, partitions)),
        value: `m${i}`,
      }));
      const args: Parameters<Group>[0] = {
        topic: 't',
        partitionMetadata,
        messages,
        partitioner: ({ message }) => message.partition ?? 0,
      };
      expect(group(args)).toEqual(reference(args));
    }
  });

  it('encodes with buffers it does not zero-fill, and shows only the bytes it wrote', () => {
    const encoderFile = require.resolve('kafkajs/src/protocol/encoder.js');
    expect(readFileSync(encoderFile, 'utf8')).not.toContain('Buffer.alloc(');
    type EncoderType = {
      writeInt8(v: number): EncoderType;
      writeInt32(v: number): EncoderType;
      writeString(v: string): EncoderType;
      writeBytes(v: Buffer): EncoderType;
      writeVarIntBytes(v: Buffer): EncoderType;
      buffer: Buffer;
    };
    const Encoder = require(encoderFile) as new (size?: number) => EncoderType;
    // Dirty the pool Buffer.allocUnsafe takes from, so left-over bytes would show.
    for (let i = 0; i < 64; i++) Buffer.allocUnsafe(512).fill(0xee);
    const value = Buffer.from('x'.repeat(3000)); // grows the buffer past its first 512 bytes, twice
    const encoded = new Encoder()
      .writeInt8(7)
      .writeInt32(-2)
      .writeString('topic')
      .writeBytes(Buffer.from([1, 2, 3]))
      .writeVarIntBytes(value).buffer;
    const varint = (n: number) => {
      const out: number[] = [];
      let z = (n << 1) ^ (n >> 31);
      while (z > 0x7f) {
        out.push((z & 0x7f) | 0x80);
        z >>>= 7;
      }
      out.push(z);
      return Buffer.from(out);
    };
    const int32 = Buffer.alloc(4);
    int32.writeInt32BE(-2);
    const expected = Buffer.concat([
      Buffer.from([7]),
      int32,
      Buffer.from([0, 5]),
      Buffer.from('topic'),
      Buffer.from([0, 0, 0, 3, 1, 2, 3]),
      varint(value.length),
      value,
    ]);
    expect(encoded.equals(expected)).toBe(true);
  });
});

describe('kafkajs record encoding, as installed', () => {
  type Enc = {
    writeVarInt(v: number): Enc;
    writeUVarInt(v: number): Enc;
    writeVarLong(v: number | bigint): Enc;
    buffer: Buffer;
  };
  type EncoderClass = (new () => Enc) & { sizeOfVarLong(v: number): number; sizeOfVarInt(v: number): number };
  const Encoder = require(require.resolve('kafkajs/src/protocol/encoder.js')) as EncoderClass;
  const Decoder = require(require.resolve('kafkajs/src/protocol/decoder.js')) as new (
    b: Buffer,
  ) => { readVarInt(): number; readVarLong(): { toString(): string } };

  /** LEB128 of the zigzag of `v` as a 64-bit integer: the protocol's varint and varlong. */
  const reference = (v: bigint, bits: 32n | 64n) => {
    let z = BigInt.asUintN(Number(bits), (v << 1n) ^ (v >> (bits - 1n)));
    const out: number[] = [];
    while (z >= 0x80n) {
      out.push(Number(z & 0x7fn) | 0x80);
      z >>= 7n;
    }
    out.push(Number(z));
    return Buffer.from(out);
  };
  const ints = [
    0,
    1,
    -1,
    63,
    -64,
    64,
    -65,
    8191,
    -8192,
    2 ** 20,
    2 ** 30 - 1,
    -(2 ** 30),
    2 ** 31 - 1,
    -(2 ** 31),
  ];
  const longs = [
    ...ints,
    2 ** 30,
    -(2 ** 30) - 1,
    2 ** 40,
    -(2 ** 40),
    1_796_150_000_000,
    -1_796_150_000_000,
  ];

  it('writes varints in place, the bytes of the protocol, which its decoder reads back', () => {
    const source = readFileSync(require.resolve('kafkajs/src/protocol/encoder.js'), 'utf8');
    expect(source).toContain('this.buf[this.offset++] = value & OTHER_BITS');
    expect(source).toContain('a small integer is a varint');
    for (const v of ints) {
      const encoded = new Encoder().writeVarInt(v).buffer;
      expect(encoded.equals(reference(BigInt(v), 32n)), `varint ${v}`).toBe(true);
      expect(new Decoder(encoded).readVarInt()).toBe(v);
    }
    for (const v of longs) {
      const encoded = new Encoder().writeVarLong(v).buffer;
      expect(encoded.equals(reference(BigInt(v), 64n)), `varlong ${v}`).toBe(true);
      expect(Encoder.sizeOfVarLong(v)).toBe(encoded.length);
      expect(new Decoder(encoded).readVarLong().toString()).toBe(String(v));
    }
  });

  it('checksums with the replacement from scripts/kafkajs, the CRC-32C of any bytes at any alignment', () => {
    const file = require.resolve('kafkajs/src/protocol/recordBatch/crc32C/crc32C.js');
    expect(readFileSync(file, 'utf8')).toBe(
      readFileSync(new URL('../../../scripts/kafkajs/crc32C.cjs', import.meta.url), 'utf8'),
    );
    const crc32C = require(file) as (b: Buffer) => number;
    const bytewise = (b: Buffer) => {
      let crc = 0xffffffff;
      for (const byte of b) {
        crc ^= byte;
        for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
      }
      return (crc ^ 0xffffffff) >>> 0;
    };
    expect(crc32C(Buffer.from('123456789'))).toBe(0xe3069283); // the standard check value
    const bytes = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 151 + 7) & 0xff));
    for (let offset = 0; offset < 8; offset++) {
      for (const length of [0, 1, 3, 7, 8, 9, 15, 16, 17, 64, 255, 291]) {
        const slice = bytes.subarray(offset, offset + length);
        expect(crc32C(slice), `offset ${offset}, length ${length}`).toBe(bytewise(slice));
      }
    }
  });
});

describe('kafkajs record decoding, as installed', () => {
  const file = require.resolve('kafkajs/src/protocol/recordBatch/record/v0/decoder.js');
  type Decoded = {
    timestamp: string;
    offset: string;
    key: Buffer | null;
    value: Buffer | null;
    headers: unknown;
  };
  const decode = require(file) as (d: unknown, context: Record<string, unknown>) => Decoded;
  const Decoder = require(require.resolve('kafkajs/src/protocol/decoder.js')) as new (
    b: Buffer,
  ) => {
    readVarIntBytes(): Buffer;
  };
  const encodeRecord = require(require.resolve('kafkajs/src/protocol/recordBatch/record/v0/index.js')) as (
    r: Record<string, unknown>,
  ) => { buffer: Buffer };
  /** The record as the batch decoder hands it over: a decoder over its bytes, its length read. */
  const recordDecoder = (r: Record<string, unknown>) =>
    new Decoder(new Decoder(encodeRecord(r).buffer).readVarIntBytes());

  it('is the replacement from scripts/kafkajs', () => {
    expect(readFileSync(file, 'utf8')).toBe(
      readFileSync(new URL('../../../scripts/kafkajs/recordDecoder.cjs', import.meta.url), 'utf8'),
    );
  });

  it('gives every timestamp and offset the 64-bit sum would, numbers or not', () => {
    const bases = ['0', '1796150000000', '9007199254740000', '9007199254740993', '9223372036854775000'];
    const deltas = [0, 1, -1, 127, -128, 2 ** 20, 2 ** 27 - 1, -(2 ** 27), 2 ** 27, 2 ** 40, -(2 ** 40)];
    for (const base of bases) {
      for (const delta of deltas) {
        const offsetDelta = Math.abs(delta) < 2 ** 31 ? delta : 7;
        const record = decode(recordDecoder({ offsetDelta, timestampDelta: delta, key: null, value: 'v' }), {
          firstOffset: base,
          firstTimestamp: base,
          timestampType: 0,
          maxTimestamp: '5',
        });
        expect(record.timestamp, `${base} + ${delta}`).toBe(String(BigInt(base) + BigInt(delta)));
        expect(record.offset, `${base} + ${offsetDelta}`).toBe(String(BigInt(base) + BigInt(offsetDelta)));
      }
    }
  });

  it("keeps the original's key, value, repeated headers and log-append time", () => {
    const record = decode(
      recordDecoder({
        offsetDelta: 3,
        timestampDelta: 9,
        key: Buffer.from('k'),
        value: null,
        headers: { a: ['1', '2'], b: '3' },
      }),
      { firstOffset: '10', firstTimestamp: '100', timestampType: 1, maxTimestamp: '555' },
    );
    expect(record).toMatchObject({ offset: '13', timestamp: '555', key: Buffer.from('k'), value: null });
    expect(record.headers).toEqual({ a: [Buffer.from('1'), Buffer.from('2')], b: Buffer.from('3') });
  });
});

describe('kafkajs request queue, as installed', () => {
  type Entry = {
    correlationId: number;
    apiKey: number;
    apiName: string;
    apiVersion: number;
    resolve: () => void;
    reject: () => void;
  };
  type Queue = {
    push(request: { entry: Entry; expectResponse: boolean; sendRequest: () => void }): void;
    fulfillRequest(response: { correlationId: number; payload: Buffer; size: number }): void;
    maybeThrottle(ms: number): void;
    destroy(): void;
    throttleCheckTimeoutId: unknown;
  };
  const RequestQueue = require(require.resolve('kafkajs/src/network/requestQueue/index.js')) as new (
    options: Record<string, unknown>,
  ) => Queue;
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  const queue = (maxInFlightRequests: number | null = null) =>
    new RequestQueue({
      maxInFlightRequests,
      requestTimeout: 30_000,
      enforceRequestTimeout: false,
      clientId: 'test',
      broker: '127.0.0.1:9092',
      logger: quiet,
    });
  const entry = (correlationId: number): Entry => ({
    correlationId,
    apiKey: 3,
    apiName: 'Metadata',
    apiVersion: 6,
    resolve: () => {},
    reject: () => {},
  });
  const until = async (condition: () => boolean) => {
    for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  };

  it('arms no timer once a response leaves nothing pending (the original spun a 1 ms loop per connection)', () => {
    // Prepare
    const q = queue();
    // Act
    q.push({ entry: entry(1), expectResponse: true, sendRequest: () => {} });
    q.fulfillRequest({ correlationId: 1, payload: Buffer.alloc(0), size: 0 });
    // Assess
    expect(q.throttleCheckTimeoutId).toBeNull();
    q.destroy();
  });

  it('still sends a request kept waiting by the in-flight limit or a throttle', async () => {
    // Prepare
    const sent: number[] = [];
    const q = queue(1);
    const push = (id: number) =>
      q.push({ entry: entry(id), expectResponse: true, sendRequest: () => sent.push(id) });
    // Act: 2 waits for 1's response; 3 waits out a 30 ms throttle with nothing else in flight.
    push(1);
    push(2);
    q.fulfillRequest({ correlationId: 1, payload: Buffer.alloc(0), size: 0 });
    q.fulfillRequest({ correlationId: 2, payload: Buffer.alloc(0), size: 0 });
    q.maybeThrottle(30);
    push(3);
    const whileThrottled = [...sent];
    await until(() => sent.includes(3));
    // Assess
    expect(whileThrottled).toEqual([1, 2]);
    expect(sent).toEqual([1, 2, 3]);
    q.destroy();
  });
});
