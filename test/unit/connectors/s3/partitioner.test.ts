import { describe, expect, it } from 'vitest';
import { ConfigError, SchemaBuilder, Schemas, SinkRecord, Struct } from '../../../../lib/api/index.js';
import { PARTITIONER_CLASSES, type PartitionerSettings } from '../../../../lib/connectors/s3/config.js';
import {
  bucketStart,
  JodaFormatter,
  nextTimeAdjustedByDay,
} from '../../../../lib/connectors/s3/joda-time.js';
import { fileBaseKey } from '../../../../lib/connectors/s3/object-keys.js';
import { createPartitioner } from '../../../../lib/connectors/s3/partitioner.js';
import {
  PartitionError,
  parseTimestampText,
  timestampExtractor,
} from '../../../../lib/connectors/s3/timestamp-extractor.js';

const BASE: PartitionerSettings = {
  className: PARTITIONER_CLASSES.default,
  fieldNames: [],
  durationMs: -1,
  pathFormat: '',
  locale: '',
  timezone: '',
  extractor: 'Wallclock',
  timestampField: 'timestamp',
  directoryDelim: '/',
};
const ORDER = SchemaBuilder.struct()
  .name('Order')
  .field('region', Schemas.STRING)
  .field('shard', Schemas.INT32)
  .field('vip', Schemas.BOOLEAN)
  .field('price', Schemas.FLOAT64)
  .field('meta', SchemaBuilder.struct().field('country', Schemas.OPTIONAL_STRING).optional().build())
  .field('ts', Schemas.INT64)
  .build();
// 2024-05-01T13:45:10.123Z
const T = Date.UTC(2024, 4, 1, 13, 45, 10, 123);

function order(country: string | null = 'fr', ts = T): Struct {
  const meta = new Struct(ORDER.field('meta')?.schema as never).put('country', country);
  return new Struct(ORDER)
    .put('region', 'eu')
    .put('shard', 7)
    .put('vip', true)
    .put('price', 1.5)
    .put('meta', meta)
    .put('ts', ts);
}

function record(
  value: unknown,
  extra: Partial<ConstructorParameters<typeof SinkRecord>[0]> = {},
): SinkRecord {
  return new SinkRecord({
    topic: 'orders',
    kafkaPartition: 3,
    kafkaOffset: 42,
    valueSchema: ORDER,
    value,
    timestamp: T,
    ...extra,
  });
}

describe('DefaultPartitioner and object keys', () => {
  it('encodes partition=<p> and names files <topics.dir>/<topic>/partition=<p>/<topic>+<p>+<offset padded to 10>', () => {
    const p = createPartitioner(BASE);
    const encoded = p.encodePartition(record(order()), 0);
    const layout = { topicsDir: 'topics', directoryDelim: '/', fileDelim: '+', zeroPadWidth: 10 };
    expect(encoded).toBe('partition=3');
    expect(
      fileBaseKey(layout, p.partitionedPath('orders', encoded), { topic: 'orders', partition: 3 }, 1200),
    ).toBe('topics/orders/partition=3/orders+3+0000001200');
  });

  it('leaves out a blank topics.dir and follows the delimiters and pad width', () => {
    const p = createPartitioner({ ...BASE, directoryDelim: '#' });
    const layout = { topicsDir: '  ', directoryDelim: '#', fileDelim: '_', zeroPadWidth: 3 };
    expect(fileBaseKey(layout, p.partitionedPath('t', 'partition=0'), { topic: 't', partition: 0 }, 7)).toBe(
      't#partition=0#t_0_007',
    );
    expect(fileBaseKey({ ...layout, zeroPadWidth: 3 }, 't#x', { topic: 't', partition: 0 }, 123456)).toBe(
      't#x#t_0_123456',
    );
  });
});

describe('FieldPartitioner', () => {
  const field = (names: string[]) =>
    createPartitioner({ ...BASE, className: PARTITIONER_CLASSES.field, fieldNames: names });

  it('joins <field>=<value> for each field with the directory delimiter, dotted names included', () => {
    expect(field(['region', 'shard', 'vip', 'meta.country']).encodePartition(record(order()), 0)).toBe(
      'region=eu/shard=7/vip=true/meta.country=fr',
    );
  });

  it('writes <field>=null for a null value', () => {
    expect(field(['meta.country']).encodePartition(record(order(null)), 0)).toBe('meta.country=null');
  });

  it('refuses a field of another type and a value that is not a Struct (PartitionException)', () => {
    expect(() => field(['price']).encodePartition(record(order()), 0)).toThrow(PartitionError);
    expect(() =>
      field(['region']).encodePartition(record({ region: 'eu' }, { valueSchema: null }), 0),
    ).toThrow(PartitionError);
  });

  it('fails for a field the schema does not have', () => {
    expect(() => field(['missing']).encodePartition(record(order()), 0)).toThrow(
      "Field 'missing' is not present in the schema.",
    );
  });
});

describe('time-based partitioners', () => {
  const time = (s: Partial<PartitionerSettings>) =>
    createPartitioner({
      ...BASE,
      className: PARTITIONER_CLASSES.timeBased,
      locale: 'en',
      timezone: 'UTC',
      extractor: 'Record',
      ...s,
    });

  it('Hourly and Daily: year=/month=/day=[/hour=] of the record time in the time zone', () => {
    const hourly = createPartitioner({
      ...BASE,
      className: PARTITIONER_CLASSES.hourly,
      locale: 'en',
      timezone: 'UTC',
      extractor: 'Record',
    });
    const daily = createPartitioner({
      ...BASE,
      className: PARTITIONER_CLASSES.daily,
      locale: 'en',
      timezone: 'Asia/Tokyo',
      extractor: 'Record',
    });
    expect(hourly.encodePartition(record(order()), 0)).toBe('year=2024/month=05/day=01/hour=13');
    expect(daily.encodePartition(record(order(), { timestamp: Date.UTC(2024, 4, 1, 20) }), 0)).toBe(
      'year=2024/month=05/day=02',
    );
  });

  it('TimeBased: buckets of partition.duration.ms in local time, path.format as Joda prints it, trailing delimiter dropped', () => {
    const p = time({
      durationMs: 15 * 60_000,
      pathFormat: "'dt'=YYYY-MM-dd/'t'=HHmm/",
      timezone: 'America/New_York',
    });
    expect(p.encodePartition(record(order()), 0)).toBe('dt=2024-05-01/t=0945');
  });

  it('RecordField reads INT64, ISO text and numeric text from the value, Wallclock uses now', () => {
    const ts = time({
      durationMs: 3_600_000,
      pathFormat: 'HH',
      extractor: 'RecordField',
      timestampField: 'ts',
    });
    expect(ts.encodePartition(record(order('fr', Date.UTC(2024, 0, 1, 5))), 0)).toBe('05');
    const map = time({
      durationMs: 3_600_000,
      pathFormat: 'HH',
      extractor: 'RecordField',
      timestampField: 'at.when',
    });
    expect(
      map.encodePartition(record({ at: { when: '2024-01-01T07:30:00+02:00' } }, { valueSchema: null }), 0),
    ).toBe('05');
    expect(
      map.encodePartition(
        record({ at: { when: String(Date.UTC(2024, 0, 1, 9)) } }, { valueSchema: null }),
        0,
      ),
    ).toBe('09');
    const wall = time({ durationMs: 3_600_000, pathFormat: 'HH', extractor: 'Wallclock' });
    expect(wall.encodePartition(record(order()), Date.UTC(2024, 0, 1, 22, 59))).toBe('22');
  });

  it('refuses a record without a timestamp (PartitionException)', () => {
    const p = time({ durationMs: 3_600_000, pathFormat: 'HH' });
    expect(() => p.encodePartition(record(order(), { timestamp: null }), 0)).toThrow(PartitionError);
  });

  it('refuses the configs Confluent refuses, with its messages', () => {
    const errors = [
      [{ durationMs: -1, pathFormat: 'HH' }, 'Partition duration needs to be a positive.'],
      [{ durationMs: 1000, pathFormat: '' }, 'Path format cannot be empty.'],
      [{ durationMs: 1000, pathFormat: 'HH', locale: '' }, 'Locale cannot be empty.'],
      [{ durationMs: 1000, pathFormat: 'HH', timezone: '' }, 'Timezone cannot be empty.'],
      [
        { durationMs: 1000, pathFormat: 'HH', timezone: 'Mars/Olympus' },
        "The datetime zone id 'Mars/Olympus' is not recognised",
      ],
      [{ durationMs: 1000, pathFormat: 'HH q' }, 'Illegal pattern component: q'],
    ] as const;
    for (const [settings, message] of errors) {
      expect(() => time(settings)).toThrow(ConfigError);
      expect(() => time(settings)).toThrow(message);
    }
  });
});

describe('Joda-Time pieces', () => {
  it('prints pattern letters as Joda does', () => {
    const f = (pattern: string, zone = 'UTC', locale = 'en') =>
      new JodaFormatter(pattern, zone, locale).format(T);
    expect(f('YYYY-MM-dd HH:mm:ss.SSS')).toBe('2024-05-01 13:45:10.123');
    expect(f("yy 'o''clock' ''")).toBe("24 o'clock '");
    expect(f('MMM MMMM EEE EEEE D')).toBe('May May Wed Wednesday 122');
    expect(f('MMMM', 'UTC', 'fr')).toBe('mai');
    expect(f('h a k K')).toBe('1 PM 13 1');
    expect(f('xxxx-ww-e')).toBe('2024-18-3');
    expect(f('HH Z ZZ', 'Asia/Kolkata')).toBe('19 +0530 +05:30');
  });

  it('buckets across a DST change in local time and maps a local time in the gap after it', () => {
    // 2024-03-10 02:00 does not exist in New York: the 1 h bucket of 03:30 local starts at 03:00 EDT.
    const at = Date.UTC(2024, 2, 10, 7, 30); // 03:30 EDT
    expect(new Date(bucketStart(3_600_000, at, 'America/New_York')).toISOString()).toBe(
      '2024-03-10T07:00:00.000Z',
    );
    // A day bucket starts at local midnight.
    expect(new Date(bucketStart(86_400_000, at, 'America/New_York')).toISOString()).toBe(
      '2024-03-10T05:00:00.000Z',
    );
  });

  it('schedules the next rotation from local midnight, never past the next midnight', () => {
    const now = Date.UTC(2024, 4, 1, 13, 45);
    expect(new Date(nextTimeAdjustedByDay(now, 3_600_000, 'UTC')).toISOString()).toBe(
      '2024-05-01T14:00:00.000Z',
    );
    expect(new Date(nextTimeAdjustedByDay(now, 7 * 3_600_000, 'Europe/Paris')).toISOString()).toBe(
      '2024-05-01T19:00:00.000Z',
    );
    expect(new Date(nextTimeAdjustedByDay(now, 48 * 3_600_000, 'UTC')).toISOString()).toBe(
      '2024-05-02T00:00:00.000Z',
    );
  });

  it('parses timestamps as Confluent’s RecordField does', () => {
    expect(parseTimestampText('1714571110123')).toBe(T);
    expect(parseTimestampText('2024-05-01T13:45:10.123Z')).toBe(T);
    expect(parseTimestampText('2024-05-01')).toBe(Date.UTC(2024, 4, 1));
    expect(() => parseTimestampText('May 1st')).toThrow(PartitionError);
    expect(timestampExtractor('Record', 'x').extract(record(order()), 0)).toBe(T);
  });
});
