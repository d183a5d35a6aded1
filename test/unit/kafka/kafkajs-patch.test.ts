import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// scripts/patch-kafkajs.mjs (postinstall) replaces kafkajs 2.2.4's quadratic grouping of a send's messages
// per partition (docs/runtime.md, The Kafka client). The producer must load the replacement, and its
// answer must be the original's.
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
});
