import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { BUNDLING, ENTRIES, LAZY_MODULES } from '../cdk/bundling.js';
import { PROJECT_ROOT } from '../cdk/connect-function.js';

/** Where the bundles land; bench/cold-init.ts loads them from here. */
export const BUNDLE_DIR = join(PROJECT_ROOT, '.data', 'bundles');

/** Bundles one entry exactly as ConnectFunction does (same BUNDLING object) and returns the file. */
export async function bundle(name: keyof typeof ENTRIES): Promise<string> {
  const outfile = join(BUNDLE_DIR, name, 'index.mjs');
  mkdirSync(join(BUNDLE_DIR, name), { recursive: true });
  await build({
    entryPoints: [join(PROJECT_ROOT, ENTRIES[name])],
    outfile,
    bundle: true,
    platform: BUNDLING.platform,
    target: BUNDLING.target,
    format: BUNDLING.format,
    minify: BUNDLING.minify,
    sourcemap: BUNDLING.sourceMap,
    mainFields: [...BUNDLING.mainFields],
    banner: { js: BUNDLING.banner },
    // The JDBC drivers are installed beside the bundles that may need them, never bundled.
    external: [...BUNDLING.externalModules, ...LAZY_MODULES],
    logLevel: 'error',
  });
  return outfile;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(
    `function       bundle     source map   (goal < 1024 KB; @aws-sdk/* from the runtime; ${LAZY_MODULES.join(', ')} installed beside controlApi, taskRunner and sink, loaded on first use)`,
  );
  for (const name of Object.keys(ENTRIES) as (keyof typeof ENTRIES)[]) {
    const file = await bundle(name);
    const size = statSync(file).size;
    const flag = size >= 1024 * 1024 ? '  over the 1 MB goal' : '';
    console.log(
      `${name.padEnd(14)} ${kb(size).padStart(9)}  ${kb(statSync(`${file}.map`).size).padStart(11)}${flag}`,
    );
  }
}
