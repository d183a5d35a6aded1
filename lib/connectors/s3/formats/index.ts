import type { FormatName, S3SinkConfig } from '../config.js';
import { avroFormat } from './avro-format.js';
import { byteArrayFormat } from './bytearray-format.js';
import type { RecordFormat } from './format.js';
import { jsonFormat } from './json-format.js';
import { parquetFormat } from './parquet-format.js';

export type { FileEncoder, RecordFormat } from './format.js';

/** The format a `format.class` (or `keys.format.class`, `headers.format.class`) names. */
export async function recordFormat(name: FormatName, c: S3SinkConfig): Promise<RecordFormat> {
  switch (name) {
    case 'json':
      return jsonFormat(c.decimalFormat, c.gzip);
    case 'bytearray':
      return byteArrayFormat(c.bytearrayExtension, c.bytearraySeparator, c.gzip);
    case 'avro':
      return avroFormat(c.avroCodec);
    case 'parquet':
      return parquetFormat(c.parquetCodec);
  }
}
