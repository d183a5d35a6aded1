import { promisify } from 'node:util';
import zlib from 'node:zlib';
import kafkajs, { type CompressionTypes as KafkajsCompression } from 'kafkajs';
import { lz4Compress, lz4Decompress } from './lz4-frame.js';
import { snappyCompress, snappyDecompress } from './xerial-snappy.js';

// kafkajs is CommonJS: Node's ESM loader finds no named export for these, so take them off the default.
const { CompressionCodecs, CompressionTypes } = kafkajs;

/** Kafka's `compression.type` values; every one can be read and written. */
export type CompressionType = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

const KAFKAJS: Record<CompressionType, KafkajsCompression> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

export function kafkajsCompression(type: CompressionType = 'none'): KafkajsCompression {
  return KAFKAJS[type];
}

type Transform = (data: Buffer) => Promise<Buffer>;

/** kafkajs's codec shape: it hands `compress` its encoder (the batch's records) and `decompress` the bytes. */
const codec = (compress: Transform, decompress: Transform) => () => ({
  compress: (encoder: { buffer: Buffer }) => compress(encoder.buffer),
  decompress,
});

/**
 * kafkajs implements only gzip; these fill in the other three codecs of its registry, which every kafkajs
 * client of the process consults. zstd is Node's own (zlib, Node >= 22.15), at Kafka's default level 3.
 */
export function registerCompressionCodecs(): void {
  CompressionCodecs[CompressionTypes.Snappy] = codec(snappyCompress, snappyDecompress);
  CompressionCodecs[CompressionTypes.LZ4] = codec(lz4Compress, lz4Decompress);
  CompressionCodecs[CompressionTypes.ZSTD] = codec(
    promisify(zlib.zstdCompress),
    promisify(zlib.zstdDecompress),
  );
}
