import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

// DESIGN.md §2: who may import whom. Each rule names a layer (a path prefix) and the prefixes it may
// import from inside the project; anything else is a backward arrow.
const root = resolve(import.meta.dirname, '../..');
const RULES: { layer: string; may: string[] }[] = [
  { layer: 'lib/api/', may: ['lib/api/'] },
  { layer: 'lib/converters/', may: ['lib/api/', 'lib/converters/'] },
  { layer: 'lib/transforms/', may: ['lib/api/', 'lib/transforms/'] },
  { layer: 'lib/connectors/', may: ['lib/api/', 'lib/connectors/'] },
  { layer: 'lib/store/', may: ['lib/api/', 'lib/store/', 'lib/env.ts'] },
  { layer: 'lib/kafka/', may: ['lib/api/', 'lib/kafka/', 'lib/env.ts'] },
  { layer: 'cdk/', may: ['cdk/', 'lib/env.ts', 'lib/store/tables.ts', 'lib/runtime/metric-names.ts'] },
  { layer: 'lib/', may: ['lib/'] },
];
const VENDOR_EDGES: { pkg: RegExp; only: string[] }[] = [
  {
    pkg: /^@aws-sdk\/client-dynamodb|^@aws-sdk\/lib-dynamodb/,
    only: ['lib/store/', 'cdk/', 'test/', 'bench/'],
  },
  { pkg: /^kafkajs$/, only: ['lib/kafka/', 'test/', 'bench/'] },
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'";]*?from\s+['"]([^'"]+)['"]/g)].map(
    (m) => m[1] ?? '',
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

describe('the import arrows of DESIGN.md §2', () => {
  it('finds the project sources to check', () => {
    expect(files.some((f) => f.startsWith('lib/'))).toBe(true);
  });

  it('has no import that runs against a layer rule', () => {
    const violations: string[] = [];
    for (const file of files) {
      const rule = RULES.find((r) => file.startsWith(r.layer));
      for (const spec of imports(join(root, file))) {
        if (spec.startsWith('.')) {
          const target = relative(root, resolve(root, file, '..', spec))
            .split(sep)
            .join('/')
            .replace(/\.js$/, '.ts');
          if (rule && !rule.may.some((p) => target.startsWith(p))) violations.push(`${file} → ${target}`);
          if (file.startsWith('lib/') && /^(functions|local)\//.test(target))
            violations.push(`${file} → ${target}`);
        } else {
          const edge = VENDOR_EDGES.find((e) => e.pkg.test(spec));
          if (edge && !edge.only.some((p) => file.startsWith(p))) violations.push(`${file} → ${spec}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });
});
