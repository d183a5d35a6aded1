// postinstall: per-record costs and an idle loop of kafkajs 2.2.4 (no release since 2023) removed in place,
// each only in the exact file it knows (by SHA-256), so a different kafkajs is left alone and said so;
// running it again is a no-op (docs/runtime.md, Throughput and latency):
// - producer/groupMessagesPerPartition.js copied a partition's array for every message added (quadratic;
//   the open upstream PR tulios/kafkajs#1576): replaced by scripts/kafkajs/groupMessagesPerPartition.cjs;
// - protocol/encoder.js zero-filled every buffer it allocates (one per record, and each time one grows),
//   though only the bytes it wrote are ever read: allocUnsafe. It wrote each varint through an array and
//   a Buffer (six a record): now in place. A small varlong (a record's timestamp delta) went through
//   64-bit Longs: now written as the varint it equals;
// - protocol/recordBatch/crc32C/crc32C.js checksummed a byte a step: scripts/kafkajs/crc32C.cjs, eight;
// - protocol/recordBatch/record/v0/decoder.js computed every consumed record's timestamp and offset in
//   BigInt-backed Longs: scripts/kafkajs/recordDecoder.cjs uses plain numbers while they are safe;
// - network/requestQueue/index.js re-armed a 1 ms timer after every check of its pending requests, even
//   with none pending and no throttle (a negative delay, so Node 24 prints TimeoutNegativeWarning): every
//   connection spun for its whole life, ~35 ms of CPU a second each while idle (tulios/kafkajs#1704,
//   #1751; upstream PRs #1755 and #1768 are open and unreleased). With nothing pending it now schedules
//   nothing: a request that has to wait schedules its own check when it is queued.
// Plain Node (no TypeScript): it runs inside `npm ci`, before the project's Node 24 is on PATH.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const kafkajs = join(root, 'node_modules', 'kafkajs', 'src');
const sha256 = (text) => createHash('sha256').update(text).digest('hex');
const grouping = readFileSync(join(root, 'scripts', 'kafkajs', 'groupMessagesPerPartition.cjs'), 'utf8');
const crc32C = readFileSync(join(root, 'scripts', 'kafkajs', 'crc32C.cjs'), 'utf8');
const recordDecoder = readFileSync(join(root, 'scripts', 'kafkajs', 'recordDecoder.cjs'), 'utf8');

/** `text` with `from` replaced by `to`, which must occur exactly once. */
function replaceOnce(text, from, to) {
  if (text.split(from).length !== 2) throw new Error(`patch-kafkajs: expected one ${JSON.stringify(from)}`);
  return text.replace(from, () => to);
}

// A varint written straight into the encoder's buffer, not through an array and a Buffer per varint
// (six a record). The same bytes: a 32-bit value takes at most 5.
const VARINT_IN_PLACE = [
  `  writeUVarInt(value) {
    const byteArray = []
    while ((value & UNSIGNED_INT32_MAX_NUMBER) !== 0) {
      byteArray.push((value & OTHER_BITS) | MOST_SIGNIFICANT_BIT)
      value >>>= 7
    }
    byteArray.push(value & OTHER_BITS)
    this.writeBufferInternal(Buffer.from(byteArray))
    return this
  }`,
  `  writeUVarInt(value) {
    // Serverless Connect (scripts/patch-kafkajs.mjs): written in place, at most 5 bytes.
    this.ensureAvailable(5)
    while ((value & UNSIGNED_INT32_MAX_NUMBER) !== 0) {
      this.buf[this.offset++] = (value & OTHER_BITS) | MOST_SIGNIFICANT_BIT
      value >>>= 7
    }
    this.buf[this.offset++] = value & OTHER_BITS
    return this
  }`,
];
// A varlong of an integer within ±2^30 (a record's timestamp delta) zigzags to the same value as a varint
// does: no 64-bit Long objects for it.
const SMALL = `typeof value === 'number' && value >= -0x40000000 && value < 0x40000000 && Number.isInteger(value)`;
const VARLONG_FAST = [
  `  writeVarLong(value) {
    const byteArray = []`,
  `  writeVarLong(value) {
    // Serverless Connect (scripts/patch-kafkajs.mjs): a small integer is a varint.
    if (${SMALL}) return this.writeVarInt(value)
    const byteArray = []`,
];
const SIZE_OF_VARLONG_FAST = [
  `  static sizeOfVarLong(value) {
    let longValue`,
  `  static sizeOfVarLong(value) {
    // Serverless Connect (scripts/patch-kafkajs.mjs): a small integer is a varint.
    if (${SMALL}) return Encoder.sizeOfVarInt(value)
    let longValue`,
];

const PATCHES = [
  {
    file: 'producer/groupMessagesPerPartition.js',
    original: 'ea72357721fbf67770b5e06b9bf4260faa1e60f3affb556bff2cc7892c1881fb',
    patched: sha256(grouping),
    apply: () => grouping,
  },
  {
    file: 'protocol/encoder.js',
    // The original, and the file as an earlier version of this script left it (allocUnsafe only).
    original: [
      '9977889e184a9e910e4f6098c36ec6a0ca36c183aa6ead0f24191b6aa1c9a777',
      '315d41b5defc8e8bebb8d1e68ad2c818084654eea640162ea8c21a0bc5aec57f',
    ],
    patched: 'c8c5bc11a028c101d8cf900de63e1c9e258a7a360d11344068520a2d4413a88b',
    apply: (text) =>
      replaceOnce(
        replaceOnce(
          replaceOnce(text.replaceAll('Buffer.alloc(', 'Buffer.allocUnsafe('), ...VARINT_IN_PLACE),
          ...VARLONG_FAST,
        ),
        ...SIZE_OF_VARLONG_FAST,
      ),
  },
  {
    file: 'protocol/recordBatch/record/v0/decoder.js',
    original: '86d740054c8be29b02873bf2871eb43ba5004af94324610541dbab2d9fabcc65',
    patched: sha256(recordDecoder),
    apply: () => recordDecoder,
  },
  {
    file: 'protocol/recordBatch/crc32C/crc32C.js',
    original: '1c09c7a44e7a207f2dabb920e6bf9f6b1b3fd9cc023e959a9e91ba83e5b6f61a',
    patched: sha256(crc32C),
    apply: () => crc32C,
  },
  {
    file: 'network/requestQueue/index.js',
    original: 'b55986089c14f8f7bfc377922e2e65b3e4c1e7c7af2752d3b10a75dfe9e9260c',
    patched: '6249ed176e78eb71448270d267cc1d71b011cb21bbf950ca0d898bd31a4225b9',
    apply: (text) =>
      text.replace(
        '        scheduleAt = scheduleAt > 0 ? scheduleAt : CHECK_PENDING_REQUESTS_INTERVAL\n      }\n',
        '        scheduleAt = scheduleAt > 0 ? scheduleAt : CHECK_PENDING_REQUESTS_INTERVAL\n      } else if (scheduleAt <= 0) {\n        return\n      }\n',
      ),
  },
];

for (const { file, original, patched, apply } of PATCHES) {
  const target = join(kafkajs, file);
  if (!existsSync(target)) {
    console.log(`patch-kafkajs: ${file} is not installed; nothing to patch`);
    continue;
  }
  const current = readFileSync(target, 'utf8');
  if (sha256(current) === patched) continue;
  if (![original].flat().includes(sha256(current))) {
    console.warn(`patch-kafkajs: ${target} is not kafkajs 2.2.4's; left unpatched (see docs/runtime.md)`);
    continue;
  }
  const next = apply(current);
  if (sha256(next) !== patched)
    throw new Error(`patch-kafkajs: ${file} did not patch as expected (SHA-256 ${sha256(next)})`);
  writeFileSync(target, next);
  console.log(`patch-kafkajs: ${file} patched`);
}
