import { createHash } from 'node:crypto';
import { crc32, deflateRawSync } from 'node:zlib';
import type avro from 'avsc';
import { snappyCompress } from 'hyparquet-writer/src/snappy.js';
import { DataError, type Schema, schemaEquals } from '../../../api/index.js';
import { type AvroSchema, avroSchema, avroValue } from './avro-data.js';
import type { FileEncoder, RecordFormat } from './format.js';

// Avro's DataFileWriter default sync interval: a block is written once it holds this many bytes.
const BLOCK_BYTES = 64_000;
const MAGIC = Buffer.from([0x4f, 0x62, 0x6a, 0x01]);

type Avsc = typeof avro;

/** avsc and the types every file uses; loaded with the first Avro format, not with the bundle. */
async function loadAvsc() {
  const avsc: Avsc = (await import('avsc')).default;
  // Avro longs beyond 2^53 arrive as bigint (lib/api INT64); avsc's documented way to carry them.
  const long = avsc.types.LongType.__with({
    fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
    toBuffer: (n: bigint | number) => {
      const buf = Buffer.alloc(8);
      buf.writeBigInt64LE(BigInt(n));
      return buf;
    },
    fromJSON: (n: number | bigint) => BigInt(n),
    toJSON: (n: bigint) => Number(n),
    isValid: (n: unknown) => typeof n === 'bigint' || Number.isSafeInteger(n),
    compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
  });
  return {
    avsc,
    long,
    longEncoding: avsc.Type.forSchema('long'),
    meta: avsc.Type.forSchema({ type: 'map', values: 'bytes' }),
  };
}
type Avro = Awaited<ReturnType<typeof loadAvsc>>;
let loaded: Promise<Avro> | undefined;

/**
 * Confluent's `AvroFormat`: an Avro object container file per object, whose writer schema is the
 * first record's Connect schema through {@link avroSchema}, blocks compressed with `avro.codec`
 * (https://github.com/confluentinc/kafka-connect-storage-cloud/blob/v12.1.9/kafka-connect-s3/src/main/java/io/confluent/connect/s3/format/avro/AvroRecordWriterProvider.java).
 * The sync marker is derived from the object key rather than drawn at random, so a file written
 * again after a crash has the same bytes.
 */
export async function avroFormat(codec: 'null' | 'deflate' | 'snappy'): Promise<RecordFormat> {
  loaded ??= loadAvsc();
  const avro = await loaded;
  return {
    extension: '.avro',
    gzip: false,
    enveloped: () => false,
    encoder: (key) =>
      new AvroFileEncoder(avro, codec, createHash('sha256').update(key).digest().subarray(0, 16)),
  };
}

class AvroFileEncoder implements FileEncoder {
  private type?: avro.Type;
  private schema?: Schema | null;
  private block: Buffer[] = [];
  private blockBytes = 0;
  private blockCount = 0;

  constructor(
    private readonly avro: Avro,
    private readonly codec: 'null' | 'deflate' | 'snappy',
    private readonly sync: Buffer,
  ) {}

  write(schema: Schema | null, value: unknown): Uint8Array | null {
    let header: Buffer | null = null;
    if (this.type === undefined) {
      this.schema = schema;
      const writer = schema ? avroSchema(schema) : schemalessError();
      this.type = this.avro.avsc.Type.forSchema(
        writer as avro.Schema,
        {
          registry: { long: this.avro.long },
        } as never,
      );
      header = this.header(writer);
    } else if (schema !== this.schema && !(schema && this.schema && schemaEquals(schema, this.schema))) {
      throw new DataError('AvroFormat: a record with another schema in the same file');
    }
    const bytes = this.type.toBuffer(avroValue(schema as Schema, value));
    this.block.push(bytes);
    this.blockBytes += bytes.length;
    this.blockCount++;
    const block = this.blockBytes >= BLOCK_BYTES ? this.flushBlock() : null;
    if (header && block) return Buffer.concat([header, block]);
    return header ?? block;
  }

  end(): Uint8Array | null {
    return this.blockCount > 0 ? this.flushBlock() : null;
  }

  private header(writer: AvroSchema): Buffer {
    const meta = this.avro.meta.toBuffer({
      'avro.schema': Buffer.from(JSON.stringify(writer)),
      'avro.codec': Buffer.from(this.codec),
    });
    return Buffer.concat([MAGIC, meta, this.sync]);
  }

  private flushBlock(): Buffer {
    const raw = Buffer.concat(this.block);
    const data = compress(this.codec, raw);
    const out = Buffer.concat([
      this.avro.longEncoding.toBuffer(this.blockCount),
      this.avro.longEncoding.toBuffer(data.length),
      data,
      this.sync,
    ]);
    this.block = [];
    this.blockBytes = 0;
    this.blockCount = 0;
    return out;
  }
}

function schemalessError(): never {
  throw new DataError('AvroFormat needs records with a schema');
}

/** Avro's codecs: deflate is raw deflate; snappy is a snappy block followed by the big-endian CRC-32 of the input. */
function compress(codec: 'null' | 'deflate' | 'snappy', raw: Buffer): Buffer {
  if (codec === 'deflate') return deflateRawSync(raw);
  if (codec === 'snappy') {
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(raw));
    return Buffer.concat([Buffer.from(snappyCompress(raw)), crc]);
  }
  return raw;
}
