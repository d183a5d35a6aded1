import type { SinkOffsetChange, SourceOffsetChange } from '../api/index.js';

type OffsetMap = SourceOffsetChange['partition'];

import { BadRequestError } from './errors.js';

export type SinkChange = SinkOffsetChange;
export type SourceChange = SourceOffsetChange;

/**
 * Kafka's `SinkUtils.parseSinkConnectorOffsets`: partitions `{kafka_topic, kafka_partition}`, offsets
 * `{kafka_offset}` or null; partition and offset may be JSON numbers or numeric strings. Kafka's messages.
 */
export function parseSinkOffsets(list: readonly unknown[]): SinkChange[] {
  return list.map((entry) => {
    const { partition, offset } = (entry ?? {}) as { partition?: unknown; offset?: unknown };
    if (partition === null || partition === undefined) {
      throw new BadRequestError('The partition for a sink connector offset cannot be null or missing');
    }
    const p = partition as Record<string, unknown>;
    if (typeof partition !== 'object' || !('kafka_topic' in p) || !('kafka_partition' in p)) {
      throw new BadRequestError(
        "The partition for a sink connector offset must contain the keys 'kafka_topic' and 'kafka_partition'",
      );
    }
    if (p.kafka_topic === null)
      throw new BadRequestError('Kafka topic names must be valid strings and may not be null');
    if (p.kafka_partition === null) {
      throw new BadRequestError('Kafka partitions must be valid numbers and may not be null');
    }
    const topic = String(p.kafka_topic);
    const partitionNumber = integer(p.kafka_partition);
    if (partitionNumber === undefined || partitionNumber > 2 ** 31 - 1 || partitionNumber < -(2 ** 31)) {
      throw new BadRequestError(
        `Failed to parse the following Kafka partition value in the provided offsets: '${String(p.kafka_partition)}'. Partition values for sink connectors need to be integers.`,
      );
    }
    if (offset === null || offset === undefined) return { topic, partition: partitionNumber, offset: null };
    if (typeof offset !== 'object' || !('kafka_offset' in (offset as object))) {
      throw new BadRequestError(
        "The offset for a sink connector should either be null or contain the key 'kafka_offset'",
      );
    }
    const raw = (offset as Record<string, unknown>).kafka_offset;
    const value = integer(raw);
    if (value === undefined) {
      throw new BadRequestError(
        `Failed to parse the following Kafka offset value in the provided offsets: '${String(raw)}'. Offset values for sink connectors need to be integers.`,
      );
    }
    return { topic, partition: partitionNumber, offset: value };
  });
}

/**
 * Source offsets: partitions and offsets are maps of String keys to primitive values (Kafka's
 * `OffsetUtils.validateFormat`); a null offset deletes. Kafka answers these DataExceptions with 500;
 * they are bad input, so 400 here.
 */
export function parseSourceOffsets(list: readonly unknown[]): SourceChange[] {
  return list.map((entry) => {
    const { partition, offset } = (entry ?? {}) as { partition?: unknown; offset?: unknown };
    if (partition === null || partition === undefined)
      throw new BadRequestError('Source partitions may not be null');
    validateFormat(partition);
    if (offset === null || offset === undefined) return { partition: partition as OffsetMap, offset: null };
    validateFormat(offset);
    return { partition: partition as OffsetMap, offset: offset as OffsetMap };
  });
}

function validateFormat(data: unknown): void {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new BadRequestError('Offsets must be specified as a Map');
  }
  for (const [key, value] of Object.entries(data)) {
    if (value === null) continue;
    const type = typeof value;
    if (type !== 'string' && type !== 'number' && type !== 'boolean') {
      const schemaType = Array.isArray(value) ? 'ARRAY' : 'MAP';
      throw new BadRequestError(
        `Offsets may only contain primitive types as values, but field ${key} contains ${schemaType}`,
      );
    }
  }
}

/** A safe integer from a JSON number or a numeric string; undefined otherwise. */
function integer(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^[+-]?\d+$/.test(value.trim())) {
    const n = Number(value.trim());
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}
