// postinstall: two per-record costs and an idle loop of kafkajs 2.2.4 (no release since 2023) removed in
// place, each only in the exact file it knows (by SHA-256), so a different kafkajs is left alone and said
// so; running it again is a no-op (docs/runtime.md, Throughput and latency):
// - producer/groupMessagesPerPartition.js copied a partition's array for every message added (quadratic;
//   the open upstream PR tulios/kafkajs#1576): replaced by scripts/kafkajs/groupMessagesPerPartition.cjs;
// - protocol/encoder.js zero-fills every buffer it allocates (one per record, and each time one grows),
//   though only the bytes it wrote are ever read (`buffer` slices to the write offset): allocUnsafe.
// - network/requestQueue/index.js re-arms a 1 ms timer after every check of its pending requests, even
//   with none pending and no throttle (a negative delay, so Node 24 prints TimeoutNegativeWarning): every
//   connection spins for its whole life, ~35 ms of CPU a second each while idle (tulios/kafkajs#1704,
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

const PATCHES = [
  {
    file: 'producer/groupMessagesPerPartition.js',
    original: 'ea72357721fbf67770b5e06b9bf4260faa1e60f3affb556bff2cc7892c1881fb',
    patched: sha256(grouping),
    apply: () => grouping,
  },
  {
    file: 'protocol/encoder.js',
    original: '9977889e184a9e910e4f6098c36ec6a0ca36c183aa6ead0f24191b6aa1c9a777',
    patched: '315d41b5defc8e8bebb8d1e68ad2c818084654eea640162ea8c21a0bc5aec57f',
    apply: (text) => text.replaceAll('Buffer.alloc(', 'Buffer.allocUnsafe('),
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
  if (sha256(current) !== original) {
    console.warn(`patch-kafkajs: ${target} is not kafkajs 2.2.4's; left unpatched (see docs/runtime.md)`);
    continue;
  }
  const next = apply(current);
  if (sha256(next) !== patched) throw new Error(`patch-kafkajs: ${file} did not patch as expected`);
  writeFileSync(target, next);
  console.log(`patch-kafkajs: ${file} patched`);
}
