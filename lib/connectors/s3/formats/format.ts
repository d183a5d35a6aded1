import type { Schema, SinkRecord } from '../../../api/index.js';

/**
 * One file being written in some format: each record's bytes as soon as the format can give them (a
 * line of JSON, an Avro block, a Parquet row group), then the rest when the file is committed. The
 * bytes go straight to the object's upload.
 */
export interface FileEncoder {
  write(schema: Schema | null, value: unknown, record: SinkRecord): Uint8Array | null;
  end(): Uint8Array | null;
}

/** A `format.class` (Confluent's `RecordWriterProvider`): its extension and an encoder per file. */
export interface RecordFormat {
  /** The whole extension, e.g. `.json.gz`, `.avro`, `.snappy.parquet`. */
  readonly extension: string;
  /** Whether the upload gzips the whole object (JsonFormat and ByteArrayFormat with s3.compression.type=gzip). */
  readonly gzip: boolean;
  /** Whether key and header views are wrapped in a struct for this format. */
  enveloped(view: 'key' | 'headers'): boolean;
  /** `key` names the object; formats with a random element (Avro's sync marker) derive it from the key. */
  encoder(key: string): FileEncoder;
}
