import { type ConnectRecord, DataError, LogicalNames, type Schema, Struct } from '../../api/index.js';

/** A record that cannot be placed in a partition (Confluent's `PartitionException`): tolerable by the DLQ. */
export class PartitionError extends DataError {
  constructor(message: string) {
    super(message);
    this.name = 'PartitionError';
  }
}

/** The time of a record, in epoch ms (Confluent's `TimestampExtractor`); `null` when it has none. */
export interface TimestampExtractor {
  readonly name: 'Wallclock' | 'Record' | 'RecordField';
  extract(record: ConnectRecord, now: number): number | null;
}

const NUMERIC_TIMESTAMP = /^-?[0-9]{1,19}$/;

/**
 * Confluent's three extractors (`TimeBasedPartitioner.{Wallclock,Record,RecordField}TimestampExtractor`,
 * https://github.com/confluentinc/kafka-connect-storage-common/blob/v12.0.12/partitioner/src/main/java/io/confluent/connect/storage/partitioner/TimeBasedPartitioner.java).
 */
export function timestampExtractor(
  name: TimestampExtractor['name'],
  timestampField: string,
): TimestampExtractor {
  switch (name) {
    case 'Wallclock':
      return { name, extract: (_record, now) => now };
    case 'Record':
      return { name, extract: (record) => record.timestamp };
    case 'RecordField':
      return { name, extract: (record) => fieldTimestamp(record, timestampField) };
  }
}

function fieldTimestamp(record: ConnectRecord, fieldName: string): number {
  const value = record.value;
  if (value instanceof Struct) {
    const schema = nestedField(record.valueSchema as Schema, fieldName);
    const v = nestedValue(value, fieldName);
    if (v === null || v === undefined) throw new PartitionException(fieldName);
    if (schema.name === LogicalNames.TIMESTAMP) return (v as Date).getTime();
    switch (schema.type) {
      case 'INT32':
      case 'INT64':
        return Number(v);
      case 'STRING':
        return parseTimestampText(v as string);
      default:
        throw new PartitionException(fieldName);
    }
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const v = nestedValue(value, fieldName);
    if (typeof v === 'number' || typeof v === 'bigint') return Number(v);
    if (typeof v === 'string') return parseTimestampText(v);
    if (v instanceof Date) return v.getTime();
    throw new PartitionException(fieldName);
  }
  throw new PartitionError('Error encoding partition.');
}

class PartitionException extends PartitionError {
  constructor(fieldName: string) {
    super(`Error extracting timestamp from record field: ${fieldName}`);
  }
}

/** Epoch ms from digits, else ISO-8601 (Joda's `ISODateTimeFormat.dateTimeParser()`, UTC when no offset). */
export function parseTimestampText(text: string): number {
  if (NUMERIC_TIMESTAMP.test(text)) return Number(text);
  const m =
    /^([+-]?\d{4,})(?:-(\d{2})(?:-(\d{2}))?)?(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(
      text.trim(),
    );
  if (!m) throw new PartitionError(`Invalid format: "${text}"`);
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo ?? 1) - 1, Number(d ?? 1));
  date.setUTCHours(
    Number(h ?? 0),
    Number(mi ?? 0),
    Number(s ?? 0),
    Number((frac ?? '0').padEnd(3, '0').slice(0, 3)),
  );
  let offset = 0;
  if (zone && zone !== 'Z') {
    const digits = zone.replace(':', '');
    offset =
      (zone.startsWith('-') ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || 0));
  }
  return date.getTime() - offset * 60_000;
}

/** The field a dotted path names (Confluent's `DataUtils.getNestedField`); `undefined` when absent. */
export function nestedFieldOrUndefined(schema: Schema, path: string): Schema | undefined {
  let current: Schema | undefined = schema;
  for (const name of path.split('.')) {
    if (current?.type !== 'STRUCT') return undefined;
    current = current.field(name)?.schema;
  }
  return current;
}

function nestedField(schema: Schema, path: string): Schema {
  const field = nestedFieldOrUndefined(schema, path);
  if (!field) throw new DataError(`Field '${path}' is not present in the schema.`);
  return field;
}

/** The value at a dotted path of a Struct or a map (Confluent's `DataUtils.getNestedFieldValue`). */
export function nestedValue(value: unknown, path: string): unknown {
  let current = value;
  for (const name of path.split('.')) {
    if (current instanceof Struct) current = current.get(name);
    else if (current instanceof Map) current = current.get(name);
    else if (current !== null && typeof current === 'object')
      current = (current as Record<string, unknown>)[name];
    else throw new DataError(`Cannot access field '${name}' of '${path}': not a struct or map.`);
  }
  return current;
}
