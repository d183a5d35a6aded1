import { describe, expect, it } from 'vitest';
import { successMessage } from '../../../lib/control/offsets.js';
import { parseSinkOffsets, parseSourceOffsets } from '../../../lib/control/offsets-parse.js';

describe('parseSinkOffsets', () => {
  it('accepts numbers and numeric strings, and null offsets as resets', () => {
    // Act
    const parsed = parseSinkOffsets([
      { partition: { kafka_topic: 't', kafka_partition: '3' }, offset: { kafka_offset: '17' } },
      { partition: { kafka_topic: 't', kafka_partition: 4 }, offset: null },
    ]);
    // Assess
    expect(parsed).toEqual([
      { topic: 't', partition: 3, offset: 17 },
      { topic: 't', partition: 4, offset: null },
    ]);
  });

  it.each([
    [{ offset: null }, 'The partition for a sink connector offset cannot be null or missing'],
    [
      { partition: { kafka_partition: 1 } },
      "The partition for a sink connector offset must contain the keys 'kafka_topic' and 'kafka_partition'",
    ],
    [
      { partition: { kafka_topic: null, kafka_partition: 1 } },
      'Kafka topic names must be valid strings and may not be null',
    ],
    [
      { partition: { kafka_topic: 't', kafka_partition: null } },
      'Kafka partitions must be valid numbers and may not be null',
    ],
    [
      { partition: { kafka_topic: 't', kafka_partition: 'x' } },
      "Failed to parse the following Kafka partition value in the provided offsets: 'x'. Partition values for sink connectors need to be integers.",
    ],
    [
      { partition: { kafka_topic: 't', kafka_partition: 0 }, offset: { other: 1 } },
      "The offset for a sink connector should either be null or contain the key 'kafka_offset'",
    ],
  ])("refuses %j with Kafka's message", (entry, message) => {
    // Act / Assess
    expect(() => parseSinkOffsets([entry])).toThrow(expect.objectContaining({ status: 400, message }));
  });
});

describe('parseSourceOffsets', () => {
  it('keeps primitive maps and null offsets', () => {
    // Act
    const parsed = parseSourceOffsets([
      { partition: { f: 'a' }, offset: { p: 1, ok: true, n: null } },
      { partition: { f: 'b' } },
    ]);
    // Assess
    expect(parsed).toEqual([
      { partition: { f: 'a' }, offset: { p: 1, ok: true, n: null } },
      { partition: { f: 'b' }, offset: null },
    ]);
  });

  it('refuses a non-map and a nested value', () => {
    // Act / Assess
    expect(() => parseSourceOffsets([{ partition: [1] }])).toThrow('Offsets must be specified as a Map');
    expect(() => parseSourceOffsets([{ partition: { a: [1] } }])).toThrow(
      'Offsets may only contain primitive types as values, but field a contains ARRAY',
    );
    expect(() => parseSourceOffsets([{ offset: {} }])).toThrow('Source partitions may not be null');
  });
});

describe('successMessage', () => {
  it("words Kafka's two messages for altered and reset", () => {
    // Act / Assess
    expect(successMessage(true, 'reset')).toBe('The offsets for this connector have been reset successfully');
    expect(successMessage(false, 'altered')).toBe(
      'The Connect framework-managed offsets for this connector have been altered successfully. However, if this connector manages offsets externally, they will need to be manually altered in the system that the connector uses.',
    );
  });
});
