/**
 * Field paths of KIP-821 (Kafka's `SingleFieldPath` and `FieldSyntaxVersion`): `V1` takes the name as
 * is; `V2` reads `a.b.c` as nested steps, with backticks around a step that contains dots
 * (`` `a.b`.c ``) and `\`` for a backtick inside one.
 */
import {
  CaseInsensitiveValidString,
  type ConfigDef,
  ConfigError,
  ConfigType,
  type Field,
  Importance,
  type Schema,
  type Struct,
} from '../../api/index.js';
import type { ConnectMap } from './requirements.js';
import { requireMapOrNull, requireStructOrNull } from './requirements.js';

export const FIELD_SYNTAX_VERSION_CONFIG = 'field.syntax.version';
export const FieldSyntaxVersion = { V1: 'V1', V2: 'V2' } as const;
export type FieldSyntaxVersion = (typeof FieldSyntaxVersion)[keyof typeof FieldSyntaxVersion];

/** Adds `field.syntax.version` (STRING, `V1`, case-insensitive V1/V2) to a spec. */
export function appendFieldSyntaxVersion(def: ConfigDef): ConfigDef {
  return def.define({
    name: FIELD_SYNTAX_VERSION_CONFIG,
    type: ConfigType.STRING,
    defaultValue: FieldSyntaxVersion.V1,
    validator: CaseInsensitiveValidString.in('V1', 'V2'),
    importance: Importance.HIGH,
    documentation:
      'Defines the version of the syntax to access fields. If set to `V1`, then the field paths are limited to ' +
      'access the elements at the root level of the struct or map. If set to `V2`, the syntax will support ' +
      'accessing nested elements. To access nested elements, dotted notation is used. If dots are already ' +
      'included in the field name, then backtick pairs can be used to wrap field names containing dots.',
  });
}

/** The syntax version from a parsed config value. */
export function fieldSyntaxVersion(value: string | null): FieldSyntaxVersion {
  const upper = (value ?? '').toUpperCase();
  if (upper === 'V1' || upper === 'V2') return upper;
  throw new ConfigError(FIELD_SYNTAX_VERSION_CONFIG, value, 'Unrecognized field syntax version');
}

function incomplete(path: string, at: number): ConfigError {
  return new ConfigError(
    `Incomplete backtick pair in path: [${path}], consider adding a backslash before backtick at position ${at} to escape it`,
  );
}

function parseV2(path: string): string[] {
  const steps: string[] = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] !== '`') {
      const dot = path.indexOf('.', i);
      steps.push(dot < 0 ? path.slice(i) : path.slice(i, dot));
      i = dot < 0 ? path.length : dot + 1;
      continue;
    }
    const opened = i;
    let start = i + 1;
    let step = '';
    i = start;
    for (;;) {
      i = path.indexOf('`', i);
      if (i < 0) throw incomplete(path, opened);
      const escaped = path[i - 1] === '\\';
      if (i >= path.length - 1) {
        if (escaped) throw incomplete(path, opened);
        steps.push(step + path.slice(start, i));
        i++;
        break;
      }
      if (path[i + 1] !== '.') {
        i++;
        continue;
      }
      if (escaped) {
        step += `${path.slice(start, i - 1)}\``;
        start = ++i;
        continue;
      }
      steps.push(step + path.slice(start, i));
      i += 2;
      break;
    }
  }
  if (path.endsWith('.')) steps.push('');
  return steps;
}

export class SingleFieldPath {
  readonly steps: readonly string[];

  constructor(
    readonly path: string,
    version: FieldSyntaxVersion,
  ) {
    this.steps = version === FieldSyntaxVersion.V1 ? [path] : parseV2(path);
  }

  /** The field at this path in a struct schema, or undefined. */
  fieldFrom(schema: Schema | null): Field | undefined {
    let current = schema;
    for (const [i, step] of this.steps.entries()) {
      if (current?.type !== 'STRUCT') return undefined;
      const field = current.field(step);
      if (!field || i === this.steps.length - 1) return field;
      current = field.schema;
    }
    return undefined;
  }

  /** The value at this path in a Struct (its default when `withDefault`), or null when absent. */
  valueFromStruct(struct: Struct | null, withDefault: boolean): unknown {
    let current = struct;
    for (const step of this.steps.slice(0, -1)) {
      if (!current?.schema.field(step)) return null;
      current = requireStructOrNull(current.get(step), 'nested field access');
    }
    const last = this.steps.at(-1) as string;
    if (!current?.schema.field(last)) return null;
    return withDefault ? current.get(last) : current.getWithoutDefault(last);
  }

  /** The value at this path in a schemaless map, or null when absent. */
  valueFromMap(map: ConnectMap | null): unknown {
    let current = map;
    for (const step of this.steps.slice(0, -1)) {
      if (!current) return null;
      current = requireMapOrNull(current[step], 'nested field access');
    }
    return current?.[this.steps.at(-1) as string] ?? null;
  }
}
