import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The cloud assembly local mode runs: `cdk synth` with bundling on, exactly as before `cdk deploy`,
 * into `.data/cdk.out`. It is built again only when the app's sources, the lock file or the context
 * changed since the last one, so a restart costs no bundling.
 */
export async function synthForLocal(options: {
  root: string;
  outdir: string;
  context: Record<string, string>;
}): Promise<{ cdkOut: string; reused: boolean; ms: number }> {
  const started = Date.now();
  const cdkOut = resolve(options.outdir);
  const stampFile = join(cdkOut, '.local-synth-stamp');
  const stamp = sourcesStamp(options.root, options.context);
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
    return { cdkOut, reused: true, ms: Date.now() - started };
  }
  const args = ['synth', '--quiet', '--output', cdkOut];
  for (const [key, value] of Object.entries(options.context)) args.push('-c', `${key}=${value}`);
  const cdk = join(options.root, 'node_modules', 'aws-cdk', 'bin', 'cdk');
  const child = spawn(process.execPath, [cdk, ...args], {
    cwd: options.root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (d: Buffer) => (output += d));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  if (code !== 0) throw new Error(`cdk synth failed (exit ${code}):\n${output.slice(-4000)}`);
  writeFileSync(stampFile, stamp);
  return { cdkOut, reused: false, ms: Date.now() - started };
}

/** What the assembly depends on: every source file's path, size and mtime, the lock file and the context. */
function sourcesStamp(root: string, context: Record<string, string>): string {
  const hash = createHash('sha256').update(JSON.stringify(context));
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else hash.update(`${path}:${stat.size}:${stat.mtimeMs}\n`);
    }
  };
  for (const dir of ['cdk', 'functions', 'lib']) walk(join(root, dir));
  for (const file of ['package-lock.json', 'cdk.json', 'tsconfig.json']) {
    const path = join(root, file);
    if (existsSync(path)) hash.update(readFileSync(path));
  }
  return hash.digest('hex');
}
