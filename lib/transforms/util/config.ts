import { type ConfigDef, ConfigType, Importance, invalidValue, type Validator } from '../../api/index.js';

/** Kafka's SMT version, reported by `/connector-plugins`. */
export const SMT_VERSION = '3.9.1';

export const REPLACE_NULL_WITH_DEFAULT_CONFIG = 'replace.null.with.default';

/** Adds Kafka's `replace.null.with.default` key (BOOLEAN, default true). */
export function defineReplaceNullWithDefault(def: ConfigDef): ConfigDef {
  return def.define({
    name: REPLACE_NULL_WITH_DEFAULT_CONFIG,
    type: ConfigType.BOOLEAN,
    defaultValue: true,
    importance: Importance.MEDIUM,
    documentation:
      'Whether to replace fields that have a default value and that are null to the default value. ' +
      'When set to true, the default value is used, otherwise null is used.',
  });
}

/** Kafka's `NonEmptyListValidator`: `Invalid value [] for configuration x: Empty list`. */
export const NonEmptyList: Validator = {
  ensureValid(name, value) {
    if (value === null || value === undefined || (value as unknown[]).length === 0) {
      throw invalidValue(name, value, 'Empty list');
    }
  },
  toString: () => 'non-empty list',
};

/** Kafka's `SimpleConfig`: parse and validate props against a spec; typed getters by key. */
export class SimpleConfig {
  readonly #values: Record<string, unknown>;

  constructor(def: ConfigDef, props: Readonly<Record<string, unknown>>) {
    this.#values = def.parse(props);
  }

  getString(name: string): string | null {
    return (this.#values[name] as string | null) ?? null;
  }
  getList(name: string): string[] {
    return (this.#values[name] as string[] | null) ?? [];
  }
  getBoolean(name: string): boolean {
    return this.#values[name] as boolean;
  }
  getInt(name: string): number | null {
    return (this.#values[name] as number | null) ?? null;
  }
}
