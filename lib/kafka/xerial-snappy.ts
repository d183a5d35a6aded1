/**
 * Snappy as Kafka's Java client writes it: snappy-java's framing (a 16-byte header, then blocks of at most
 * 32 KiB, each compressed on its own and preceded by its length as a big-endian int32), see
 * https://github.com/xerial/snappy-java/blob/v1.1.10.5/src/main/java/org/xerial/snappy/SnappyOutputStream.java.
 * Readers also meet plain snappy (what kafkajs-snappy and some other clients write), which Java's reader
 * accepts too: a payload without the header is one raw snappy block.
 */
const MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]); // \x82SNAPPY\0
/** The magic, then snappy-java's stream version and the oldest version that can read it, both 1. */
const HEADER = Buffer.concat([MAGIC, Buffer.from([0, 0, 0, 1, 0, 0, 0, 1])]);
const BLOCK_BYTES = 32 * 1024;

const snappyjs = () => import('snappyjs');

export async function snappyCompress(data: Buffer): Promise<Buffer> {
  const { compress } = await snappyjs();
  const parts: Buffer[] = [HEADER];
  for (let start = 0; start < data.length; start += BLOCK_BYTES) {
    const block = compress(data.subarray(start, start + BLOCK_BYTES));
    const length = Buffer.allocUnsafe(4);
    length.writeInt32BE(block.length);
    parts.push(length, block);
  }
  return Buffer.concat(parts);
}

export async function snappyDecompress(data: Buffer): Promise<Buffer> {
  const { uncompress } = await snappyjs();
  if (data.length < HEADER.length || !data.subarray(0, MAGIC.length).equals(MAGIC)) return uncompress(data);
  const blocks: Buffer[] = [];
  for (let at = HEADER.length; at < data.length; ) {
    const length = data.readInt32BE(at);
    blocks.push(uncompress(data.subarray(at + 4, at + 4 + length)));
    at += 4 + length;
  }
  return Buffer.concat(blocks);
}
