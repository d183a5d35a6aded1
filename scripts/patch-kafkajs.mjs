// postinstall: replaces one quadratic function of kafkajs 2.2.4 (no release since 2023; the fix is the open
// upstream PR tulios/kafkajs#1576) with scripts/kafkajs/groupMessagesPerPartition.cjs. Patches only the exact
// file it knows (by SHA-256), so a different kafkajs is left alone and said so; running it twice is a no-op.
// Plain Node (no TypeScript): it runs inside `npm ci`, before the project's Node 24 is on PATH.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'node_modules', 'kafkajs', 'src', 'producer', 'groupMessagesPerPartition.js');
const replacement = readFileSync(join(root, 'scripts', 'kafkajs', 'groupMessagesPerPartition.cjs'));
const ORIGINAL_SHA256 = 'ea72357721fbf67770b5e06b9bf4260faa1e60f3affb556bff2cc7892c1881fb';

if (!existsSync(target)) {
  console.log('patch-kafkajs: kafkajs is not installed; nothing to patch');
} else {
  const current = readFileSync(target);
  if (current.equals(replacement)) {
    // already patched
  } else if (
    createHash('sha256').update(current).digest('hex') === ORIGINAL_SHA256 ||
    current.toString().startsWith("// Serverless Connect's replacement") // an earlier version of ours
  ) {
    writeFileSync(target, replacement);
    console.log('patch-kafkajs: producer/groupMessagesPerPartition.js made linear (tulios/kafkajs#1576)');
  } else {
    console.warn(`patch-kafkajs: ${target} is not kafkajs 2.2.4's; left unpatched (see docs/runtime.md)`);
  }
}
