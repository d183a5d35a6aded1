import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve, sep } from 'node:path';
import type { SimulatedFunction } from './template.js';

/**
 * The code a simulated function runs: the asset directory `cdk synth` staged in the cloud assembly
 * (`cdk.out/asset.<hash>`), which is byte for byte what `cdk deploy` zips and uploads: the esbuild bundle
 * (`index.mjs`, its source map) and, for functions with `nodeModules`, the installed `node_modules`.
 */

/**
 * The function's asset directory in a cloud assembly: the resource's `aws:asset:path` metadata (the CDK
 * CLI writes it), else the asset's `source.path` in a `*.assets.json` manifest (an in-process
 * `app.synth()` writes no asset metadata) when it is staged there, else `asset.<hash>`. Throws when
 * the function has no asset or the directory is not there (a synth with bundling skipped stages none).
 */
export function assetDirectory(fn: SimulatedFunction, cdkOut: string): string {
  if (!fn.asset) throw new Error(`${fn.logicalId} has no code asset (Code.S3Key)`);
  const candidates = [fn.asset.path, assetsManifestPath(cdkOut, fn.asset.hash), `asset.${fn.asset.hash}`];
  for (const candidate of candidates) {
    if (candidate === undefined) continue;
    const dir = isAbsolute(candidate) ? candidate : join(cdkOut, candidate);
    if (existsSync(dir) && statSync(dir).isDirectory()) return resolve(dir);
  }
  throw new Error(
    `${fn.logicalId}: asset ${fn.asset.hash} is not staged in ${cdkOut} (synthesized with bundling skipped?)`,
  );
}

function assetsManifestPath(cdkOut: string, hash: string): string | undefined {
  if (!existsSync(cdkOut)) return undefined;
  for (const file of readdirSync(cdkOut)) {
    if (!file.endsWith('.assets.json')) continue;
    const manifest = JSON.parse(readFileSync(join(cdkOut, file), 'utf8')) as {
      files?: Record<string, { source?: { path?: string } }>;
    };
    const path = manifest.files?.[hash]?.source?.path;
    // Staged assets are relative to the assembly; an absolute path is unstaged source (bundling
    // skipped: the project root), which is not what deploys.
    if (path !== undefined) return isAbsolute(path) ? undefined : path;
  }
  return undefined;
}

/** Where a function's handler is: its module file in the task root and the export path. */
export interface BundleEntry {
  /** The task root (`/var/task` on Lambda): the asset directory. */
  directory: string;
  /** The module file the runtime loads, e.g. `<directory>/index.mjs`. */
  file: string;
  /** The handler's property path in the module, e.g. `['handler']`. */
  exportPath: string[];
}

/**
 * Splits `Handler` as the Node.js runtime does: `[dir/]module.export[.nested]`, and finds the module
 * file in the runtime's order of extensions (none, `.js`, `.mjs`, `.cjs`). Throws when it is missing:
 * Lambda would fail every invocation with `Runtime.ImportModuleError`.
 */
export function bundleEntry(fn: SimulatedFunction, cdkOut: string): BundleEntry {
  const directory = assetDirectory(fn, cdkOut);
  const slash = fn.handler.lastIndexOf('/');
  const moduleRoot = slash < 0 ? '' : fn.handler.slice(0, slash);
  const [, moduleName, handlerPath] = /^([^.]*)\.(.*)$/.exec(fn.handler.slice(slash + 1)) ?? [];
  if (!moduleName || !handlerPath) throw new Error(`${fn.logicalId}: bad Handler '${fn.handler}'`);
  const base = join(directory, moduleRoot, moduleName);
  const file = ['', '.js', '.mjs', '.cjs']
    .map((ext) => base + ext)
    .find((f) => existsSync(f) && statSync(f).isFile());
  if (file === undefined)
    throw new Error(
      `${fn.logicalId}: no module ${moduleName}(.js|.mjs|.cjs) in ${join(directory, moduleRoot)}`,
    );
  return { directory, file, exportPath: handlerPath.split('.') };
}

/** The packages the `nodejs*.x` runtimes provide beside the function's code: the AWS SDK v3. */
export const RUNTIME_PROVIDED = /^@aws-sdk\//;

/**
 * The `node_modules` that stands in for the runtime's (`/var/runtime/node_modules` on Lambda): the one
 * this simulator resolves `@aws-sdk/client-lambda` from.
 */
export function runtimeModulesDirectory(): string {
  const resolved = createRequire(import.meta.url).resolve('@aws-sdk/client-lambda');
  const at = resolved.lastIndexOf(`${sep}node_modules${sep}`);
  if (at < 0) throw new Error(`@aws-sdk/client-lambda resolved outside a node_modules: ${resolved}`);
  return resolved.slice(0, at + sep.length + 'node_modules'.length);
}

export interface ProbeOptions {
  /** Merged over the function's environment (endpoints, say). @default none */
  environment?: Record<string, string>;
  /** @default 'us-east-1' */
  region?: string;
  /** @default runtimeModulesDirectory() */
  runtimeModules?: string;
  /** @default process.execPath (the tests and scripts/node.sh run Node 24, as nodejs24.x does) */
  node?: string;
  /** @default 30_000 */
  timeoutMs?: number;
}

export interface ProbeResult {
  /** The handler export's `typeof`; `'function'` when the bundle is runnable. */
  handlerType: string;
  /** The `import()` of the module file: the bundle's cold load, in ms. */
  loadMs: number;
  /** Spawn to exit of the child process (Node's own start included), in ms. */
  processMs: number;
  /** The runtime-provided packages (`RUNTIME_PROVIDED`) the load took from the runtime, sorted. */
  fromRuntime: string[];
  /** The load error, when `import()` threw. */
  error?: string;
}

// Runs in the child: keeps the bundle to what Lambda gives it (its own directory and the runtime's SDK),
// then imports it once and reports. Bare specifiers imported from the task root must resolve inside it;
// only RUNTIME_PROVIDED ones fall back to the runtime's node_modules. Without this, Node would walk up
// from cdk.out into the repository's node_modules and hide a package the bundle forgot.
const PROBE = `
import { createRequire, isBuiltin, registerHooks } from 'node:module';
import { pathToFileURL } from 'node:url';
const [file, taskRoot, runtimeModules, providedSource, exportPath] = JSON.parse(process.env.__PROBE);
delete process.env.__PROBE;
const root = pathToFileURL(taskRoot + '/').href;
const runtimeParent = pathToFileURL(runtimeModules + '/../probe.mjs').href;
const runtimeRequire = createRequire(runtimeParent);
const provided = new RegExp(providedSource);
const fromRuntime = new Set();
const bare = (s) => !isBuiltin(s) && !/^(\\.|\\/|file:|data:|node:)/.test(s);
registerHooks({
  resolve(specifier, context, next) {
    if (!bare(specifier) || !context.parentURL?.startsWith(root)) return next(specifier, context);
    if (provided.test(specifier)) {
      try { const r = next(specifier, context); if (r.url.startsWith(root)) return r; } catch {}
      fromRuntime.add(specifier);
      // require() resolves from the parent module, not from parentURL: resolve it from the runtime's.
      if (context.conditions?.includes('require'))
        return { url: pathToFileURL(runtimeRequire.resolve(specifier)).href, shortCircuit: true };
      return next(specifier, { ...context, parentURL: runtimeParent });
    }
    const r = next(specifier, context);
    if (r.url.startsWith(root)) return r;
    const error = new Error("Cannot find package '" + specifier + "' imported from " + context.parentURL +
      ": it is neither in the function's code nor provided by the runtime");
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  },
});
const started = performance.now();
let result;
try {
  const mod = await import(pathToFileURL(file).href);
  const loadMs = performance.now() - started;
  const handler = exportPath.reduce((o, k) => (o == null ? undefined : o[k]), mod);
  result = { handlerType: typeof handler, loadMs };
} catch (e) {
  result = { handlerType: 'undefined', loadMs: performance.now() - started, error: String(e?.stack ?? e) };
}
result.fromRuntime = [...fromRuntime].sort();
process.stdout.write('\\n__probe__' + JSON.stringify(result) + '\\n');
process.exit(0);
`;

/**
 * Loads a function's bundle in a fresh Node process, as an execution environment's init would, without
 * invoking it: the task root as working directory, a clean environment (the function's variables and
 * the runtime's reserved ones; `AWS_ENDPOINT_URL` points at a closed port so nothing reaches AWS), and
 * only the bundle's own modules plus the runtime's SDK resolvable.
 */
export async function probeBundle(
  fn: SimulatedFunction,
  cdkOut: string,
  options: ProbeOptions = {},
): Promise<ProbeResult> {
  const entry = bundleEntry(fn, cdkOut);
  const region = options.region ?? 'us-east-1';
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    LAMBDA_TASK_ROOT: entry.directory,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: fn.logGroupName,
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    ...fn.environment,
    ...options.environment,
    __PROBE: JSON.stringify([
      entry.file,
      entry.directory,
      options.runtimeModules ?? runtimeModulesDirectory(),
      RUNTIME_PROVIDED.source,
      entry.exportPath,
    ]),
  };
  const started = performance.now();
  const child = spawn(options.node ?? process.execPath, ['--input-type=module', '-e', PROBE], {
    cwd: entry.directory,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
  const code = await new Promise<number | null>((done) => child.on('close', done));
  clearTimeout(timer);
  const processMs = performance.now() - started;
  const line = stdout.split('\n').find((l) => l.startsWith('__probe__'));
  if (line === undefined)
    throw new Error(`${fn.logicalId}: the probe exited (${code}) without a result: ${stderr.slice(-2000)}`);
  return { ...(JSON.parse(line.slice('__probe__'.length)) as Omit<ProbeResult, 'processMs'>), processMs };
}
