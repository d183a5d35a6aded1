/**
 * LZ4 as Kafka writes and reads it: the LZ4 frame format with independent blocks of at most 64 KiB and no
 * checksums (https://github.com/apache/kafka/blob/3.9.1/clients/src/main/java/org/apache/kafka/common/compress/Lz4BlockOutputStream.java).
 * Java's reader refuses a frame of dependent blocks, which is what lz4js's own `compress` writes, so the
 * frame is put together here around lz4js's block compressor; lz4js's frame reader takes any frame.
 */
const MAGIC = 0x184d2204;
/**
 * Blocks stop short of the 64 KiB the frame declares: lz4js lets a block's last match start 10 bytes before
 * its end, where the format wants 12 (MFLIMIT), and decoders (Java's, the reference one) check that against
 * the declared maximum, so ending 16 bytes short of it keeps every block valid for them.
 */
const BLOCK_BYTES = 64 * 1024 - 16;
/** FLG (version 1, independent blocks), BD (64 KiB blocks), HC (second byte of xxh32 of FLG and BD). */
const DESCRIPTOR = [0x60, 0x40, 0x82];
const STORED = 0x80000000;

// Loaded on first use: lz4js allocates 5 MiB of buffers when it loads, which no function should pay for
// unless it meets LZ4.
const lz4js = () => import('lz4js');

export async function lz4Compress(data: Buffer): Promise<Buffer> {
  const { compressBlock, compressBound } = await lz4js();
  const blocks = Math.ceil(data.length / BLOCK_BYTES);
  const frame = Buffer.allocUnsafe(4 + DESCRIPTOR.length + blocks * (4 + compressBound(BLOCK_BYTES)) + 4);
  frame.writeUInt32LE(MAGIC, 0);
  frame.set(DESCRIPTOR, 4);
  let at = 4 + DESCRIPTOR.length;
  const hashTable = new Uint32Array(1 << 16);
  for (let start = 0; start < data.length; start += BLOCK_BYTES) {
    const block = data.subarray(start, start + BLOCK_BYTES);
    hashTable.fill(0); // a fresh table per block keeps every match inside its block
    const size = compressBlock(block, frame.subarray(at + 4), 0, block.length, hashTable);
    if (size > 0 && size < block.length) {
      frame.writeUInt32LE(size, at);
      at += 4 + size;
    } else {
      // Incompressible: stored as it is, as Java does when compressing does not make it smaller.
      frame.writeUInt32LE((STORED | block.length) >>> 0, at);
      block.copy(frame, at + 4);
      at += 4 + block.length;
    }
  }
  frame.writeUInt32LE(0, at); // end mark
  return frame.subarray(0, at + 4);
}

export async function lz4Decompress(frame: Buffer): Promise<Buffer> {
  const { decompress } = await lz4js();
  const data = decompress(frame);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
