import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

// docs/architecture.md: who may import whom. Each rule names a layer (a path prefix) and
// the prefixes it may import from inside the project; `types` lists what it may import with `import type`
// only. Every source file must fall under a rule, so a new folder cannot slip past unchecked.
const root = resolve(import.meta.dirname, '../..');
const PLUGINS = ['lib/connectors/', 'lib/converters/', 'lib/transforms/'];
const TIER_BELOW_WORKER = [
  'lib/api/',
  'lib/config/',
  'lib/store/',
  'lib/kafka/',
  'lib/plugins.ts',
  'lib/env.ts',
];
const RULES: { layer: string; may: string[]; types?: string[] }[] = [
  { layer: 'lib/api/', may: ['lib/api/'] },
  { layer: 'lib/converters/', may: ['lib/api/', 'lib/converters/'] },
  { layer: 'lib/transforms/', may: ['lib/api/', 'lib/transforms/'] },
  { layer: 'lib/connectors/', may: ['lib/api/', 'lib/connectors/'] },
  { layer: 'lib/env.ts', may: [] },
  { layer: 'lib/store/', may: ['lib/api/', 'lib/store/', 'lib/env.ts'] },
  { layer: 'lib/kafka/', may: ['lib/api/', 'lib/kafka/', 'lib/env.ts'] },
  {
    layer: 'lib/config/',
    may: ['lib/api/', 'lib/config/', 'lib/env.ts'],
    types: ['lib/store/ports.ts', 'lib/kafka/'],
  },
  { layer: 'lib/plugins.ts', may: ['lib/api/', 'lib/config/', ...PLUGINS] },
  { layer: 'lib/runtime/', may: ['lib/runtime/', ...TIER_BELOW_WORKER, ...PLUGINS] },
  { layer: 'lib/control/', may: ['lib/control/', ...TIER_BELOW_WORKER] },
  { layer: 'functions/', may: ['functions/', 'lib/control/', 'lib/runtime/', ...TIER_BELOW_WORKER] },
  // The Lambda simulator simulates AWS, not us: it knows our functions only through the template and
  // their bundles (docs/lambda-simulator.md).
  { layer: 'local/aws/', may: ['local/aws/'] },
  { layer: 'local/', may: ['local/', 'functions/', 'lib/control/', 'lib/runtime/', ...TIER_BELOW_WORKER] },
  {
    layer: 'cdk/',
    may: [
      'cdk/',
      'lib/env.ts',
      'lib/store/tables.ts',
      'lib/config/metric-names.ts',
      'lib/config/worker-properties.ts',
    ],
  },
];
const VENDOR_EDGES: { pkg: RegExp; only: string[] }[] = [
  {
    pkg: /^@aws-sdk\/client-dynamodb|^@aws-sdk\/lib-dynamodb/,
    only: ['lib/store/', 'cdk/', 'test/', 'bench/'],
  },
  // The simulator's event source mapping pollers are Lambda's own Kafka consumers, not ours.
  { pkg: /^kafkajs$/, only: ['lib/kafka/', 'local/aws/', 'test/', 'bench/'] },
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function imports(file: string): { spec: string; typeOnly: boolean }[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)(\s+type\b)?[^'";]*?from\s+['"]([^'"]+)['"]/g)].map(
    (m) => ({ spec: m[2] ?? '', typeOnly: m[1] !== undefined }),
  );
}

const files = ['lib', 'cdk', 'functions', 'local']
  .flatMap((d) => {
    try {
      return sources(join(root, d));
    } catch {
      return [];
    }
  })
  .map((f) => relative(root, f).split(sep).join('/'));

describe('the import arrows of docs/architecture.md', () => {
  it('finds the project sources to check', () => {
    expect(files.some((f) => f.startsWith('lib/'))).toBe(true);
  });

  it('puts every source file under a layer rule', () => {
    expect(files.filter((f) => !RULES.some((r) => f.startsWith(r.layer)))).toEqual([]);
  });

  it('has no import that runs against a layer rule', () => {
    const violations: string[] = [];
    for (const file of files) {
      const rule = RULES.find((r) => file.startsWith(r.layer));
      for (const { spec, typeOnly } of imports(join(root, file))) {
        if (spec.startsWith('.')) {
          const target = relative(root, resolve(root, file, '..', spec))
            .split(sep)
            .join('/')
            .replace(/\.js$/, '.ts');
          const allowed = [...(rule?.may ?? []), ...(typeOnly ? (rule?.types ?? []) : [])];
          if (!allowed.some((p) => target.startsWith(p))) violations.push(`${file} → ${target}`);
        } else {
          const edge = VENDOR_EDGES.find((e) => e.pkg.test(spec));
          if (edge && !edge.only.some((p) => file.startsWith(p))) violations.push(`${file} → ${spec}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('catches a backward arrow (the rules are not vacuous)', () => {
    const rule = RULES.find((r) => 'lib/api/x.ts'.startsWith(r.layer));
    expect(rule?.may.some((p) => 'lib/runtime/task-runner.ts'.startsWith(p))).toBe(false);
    const config = RULES.find((r) => 'lib/config/x.ts'.startsWith(r.layer));
    expect(config?.may.some((p) => 'lib/kafka/client.ts'.startsWith(p))).toBe(false);
  });
});
