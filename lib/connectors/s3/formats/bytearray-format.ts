import { DataError } from '../../../api/index.js';
import type { RecordFormat } from './format.js';

/**
 * Confluent's `ByteArrayFormat`: the raw bytes of each value (they must be bytes, as from
 * `ByteArrayConverter`), each followed by `format.bytearray.separator`
 * (https://github.com/confluentinc/kafka-connect-storage-cloud/blob/v12.1.9/kafka-connect-s3/src/main/java/io/confluent/connect/s3/format/bytearray/ByteArrayRecordWriterProvider.java).
 */
export function byteArrayFormat(extension: string, separator: Uint8Array, gzip: boolean): RecordFormat {
  return {
    extension: gzip ? `${extension}.gz` : extension,
    gzip,
    enveloped: () => false,
    encoder: () => ({
      write(_schema, value) {
        if (!(value instanceof Uint8Array))
          throw new DataError(
            `ByteArrayFormat needs bytes (ByteArrayConverter); got ${value === null ? 'null' : typeof value}`,
          );
        const out = new Uint8Array(value.length + separator.length);
        out.set(value, 0);
        out.set(separator, value.length);
        return out;
      },
      end: () => null,
    }),
  };
}
