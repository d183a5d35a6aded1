import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// scripts/patch-kafkajs.mjs (postinstall) replaces kafkajs 2.2.4's quadratic grouping of a send's messages
// per partition and makes its encoder allocate without zero-filling (docs/runtime.md, Throughput and
// latency). The producer must load both, and their answers must be the originals'.
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
