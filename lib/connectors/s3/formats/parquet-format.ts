import { brotliCompressSync, gzipSync, zstdCompressSync } from 'node:zlib';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import {
  type BigDecimal,
  DataError,
  LogicalNames,
  mapEntries,
  type Schema,
  Struct,
} from '../../../api/index.js';
import type { FileEncoder, RecordFormat } from './format.js';

type Codec = 'none' | 'snappy' | 'gzip' | 'brotli' | 'zstd';
type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]['schema'][number];

// Rows per row group: large enough for readers to skip well, small enough to bound the rows held in memory.
const ROW_GROUP_ROWS = 50_000;
const DAY_MS = 86_400_000;

// parquet-java's CompressionCodecName extensions (https://github.com/apache/parquet-java).
const EXTENSIONS: Record<Codec, string> = {
  none: '',
  snappy: '.snappy',
  gzip: '.gz',
  brotli: '.br',
  zstd: '.zstd',
};
const CODECS = {
  none: 'UNCOMPRESSED',
  snappy: 'SNAPPY',
  gzip: 'GZIP',
  brotli: 'BROTLI',
  zstd: 'ZSTD',
} as const;
const COMPRESSORS = {
  GZIP: (input: Uint8Array) => new Uint8Array(gzipSync(input)),
  BROTLI: (input: Uint8Array) => new Uint8Array(brotliCompressSync(input)),
  ZSTD: (input: Uint8Array) => new Uint8Array(zstdCompressSync(input)),
};

/**
 * Confluent's `ParquetFormat` (`ParquetRecordWriterProvider`, which writes through parquet-avro):
 * the Parquet schema is the first record's Connect schema as parquet-avro would map Connect's Avro
 * schema — structs as groups, optional as OPTIONAL, strings UTF8, Decimal as DECIMAL bytes (precision
 * 64 unless the schema says), Date/Time/Timestamp as DATE/TIME_MILLIS/TIMESTAMP_MILLIS, maps as MAP
 * key_value groups — written with hyparquet-writer, `parquet.codec` per page
 * (https://github.com/confluentinc/kafka-connect-storage-cloud/blob/v12.1.9/kafka-connect-s3/src/main/java/io/confluent/connect/s3/format/parquet/ParquetRecordWriterProvider.java).
 * Lists use Parquet's standard three-level LIST layout (README, Differences).
 */
export function parquetFormat(codec: Codec): RecordFormat {
  return {
    extension: `${EXTENSIONS[codec]}.parquet`,
    gzip: false,
    enveloped: () => true,
    encoder: () => new ParquetFileEncoder(codec),
  };
}

class ParquetFileEncoder implements FileEncoder {
  private out?: ByteWriter;
  private writer?: ParquetWriter;
  private schema?: Schema;
  private rows: unknown[][] = [];

  constructor(private readonly codec: Codec) {}

  write(schema: Schema | null, value: unknown): Uint8Array | null {
    if (!this.writer) {
      if (schema?.type !== 'STRUCT') throw new DataError('ParquetFormat needs records with a Struct schema');
      this.schema = schema;
      this.rows = schema.fields().map(() => []);
      this.out = new ByteWriter();
      this.writer = new ParquetWriter({
        writer: this.out,
        schema: parquetSchema(schema),
        codec: CODECS[this.codec],
        compressors: COMPRESSORS,
        createdBy: 'serverless-connect s3 sink (hyparquet-writer)',
      });
    }
    if (!(value instanceof Struct)) throw new DataError('ParquetFormat needs Struct values');
    const fields = (this.schema as Schema).fields();
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i] as (typeof fields)[number];
      (this.rows[i] as unknown[]).push(parquetValue(f.schema, value.get(f)));
    }
    return (this.rows[0]?.length ?? 0) >= ROW_GROUP_ROWS ? this.flushRowGroup() : this.drain();
  }

  end(): Uint8Array | null {
    if (!this.writer) return null;
    const rows = this.flushRowGroup();
    this.writer.finish();
    const footer = this.drain() as Uint8Array;
    return rows ? Buffer.concat([rows, footer]) : footer;
  }

  private flushRowGroup(): Uint8Array | null {
    const count = this.rows[0]?.length ?? 0;
    if (count > 0) {
      const columnData = (this.schema as Schema)
        .fields()
        .map((f, i) => ({ name: f.name, data: this.rows[i] as unknown[] }));
      this.writer?.write({ columnData: columnData as never, rowGroupSize: count });
      this.rows = this.rows.map(() => []);
    }
    return this.drain();
  }

  /** The bytes written since the last call; the writer's offsets keep counting the whole file. */
  private drain(): Uint8Array | null {
    const out = this.out as ByteWriter;
    if (out.index === 0) return null;
    const bytes = out.getBytes().slice();
    out.index = 0;
    return bytes;
  }
}

/** The Parquet schema (depth-first elements) of a Struct schema, as parquet-avro derives it. */
export function parquetSchema(schema: Schema): SchemaElement[] {
  const name = schema.name ? schema.name.slice(schema.name.lastIndexOf('.') + 1) : 'ConnectDefault';
  const fields = schema.fields();
  return [{ name, num_children: fields.length }, ...fields.flatMap((f) => element(f.name, f.schema))];
}

function element(name: string, schema: Schema): SchemaElement[] {
  const repetition_type = schema.optional ? 'OPTIONAL' : 'REQUIRED';
  switch (schema.name) {
    case LogicalNames.DECIMAL:
      return [
        {
          name,
          repetition_type,
          type: 'BYTE_ARRAY',
          converted_type: 'DECIMAL',
          scale: Number(schema.parameters?.scale ?? 0),
          precision: Number(schema.parameters?.['connect.decimal.precision'] ?? 64),
        },
      ];
    case LogicalNames.DATE:
      return [{ name, repetition_type, type: 'INT32', converted_type: 'DATE' }];
    case LogicalNames.TIME:
      return [{ name, repetition_type, type: 'INT32', converted_type: 'TIME_MILLIS' }];
    case LogicalNames.TIMESTAMP:
      return [{ name, repetition_type, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' }];
  }
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
      return [{ name, repetition_type, type: 'INT32' }];
    case 'INT64':
      return [{ name, repetition_type, type: 'INT64' }];
    case 'FLOAT32':
      return [{ name, repetition_type, type: 'FLOAT' }];
    case 'FLOAT64':
      return [{ name, repetition_type, type: 'DOUBLE' }];
    case 'BOOLEAN':
      return [{ name, repetition_type, type: 'BOOLEAN' }];
    case 'STRING':
      return [{ name, repetition_type, type: 'BYTE_ARRAY', converted_type: 'UTF8' }];
    case 'BYTES':
      return [{ name, repetition_type, type: 'BYTE_ARRAY' }];
    case 'STRUCT': {
      const fields = schema.fields();
      return [
        { name, repetition_type, num_children: fields.length },
        ...fields.flatMap((f) => element(f.name, f.schema)),
      ];
    }
    case 'ARRAY':
      return [
        { name, repetition_type, num_children: 1, converted_type: 'LIST' },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        ...element('element', schema.valueSchema as Schema),
      ];
    case 'MAP': {
      const keys = schema.keySchema as Schema;
      if (keys.type !== 'STRING' || keys.optional) {
        // Confluent's AvroData writes such a map as an array of {key, value} records.
        return [
          { name, repetition_type, num_children: 1, converted_type: 'LIST' },
          { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
          { name: 'element', repetition_type: 'REQUIRED', num_children: 2 },
          ...element('key', keys),
          ...element('value', schema.valueSchema as Schema),
        ];
      }
      return [
        { name, repetition_type, num_children: 1, converted_type: 'MAP' },
        { name: 'key_value', repetition_type: 'REPEATED', num_children: 2 },
        { name: 'key', repetition_type: 'REQUIRED', type: 'BYTE_ARRAY', converted_type: 'UTF8' },
        ...element('value', schema.valueSchema as Schema),
      ];
    }
  }
}

/** A Connect value as hyparquet-writer takes it for {@link parquetSchema}'s element. */
function parquetValue(schema: Schema, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (schema.name) {
    case LogicalNames.DECIMAL:
      return (value as BigDecimal).unscaled;
    case LogicalNames.DATE:
      return Math.floor((value as Date).getTime() / DAY_MS);
    case LogicalNames.TIME:
      return (value as Date).getTime();
    case LogicalNames.TIMESTAMP:
      return BigInt((value as Date).getTime());
  }
  switch (schema.type) {
    case 'INT64':
      return BigInt(value as number | bigint);
    case 'STRUCT': {
      const s = value as Struct;
      const out: Record<string, unknown> = {};
      for (const f of schema.fields()) out[f.name] = parquetValue(f.schema, s.get(f));
      return out;
    }
    case 'ARRAY':
      return (value as unknown[]).map((v) => parquetValue(schema.valueSchema as Schema, v));
    case 'MAP':
      return [...mapEntries(value as Map<unknown, unknown>)].map(([k, v]) => ({
        key: parquetValue(schema.keySchema as Schema, k),
        value: parquetValue(schema.valueSchema as Schema, v),
      }));
    default:
      return value;
  }
}
