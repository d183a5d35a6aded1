/**
 * The vocabulary of a config spec, after Kafka's `ConfigDef.Type`, `Importance`, `Width`, `Validator` and
 * `Recommender`.
 */

/** The type of a config value; also the `type` string of `ConfigKeyInfo` in REST replies. */
export const ConfigType = {
  BOOLEAN: 'BOOLEAN',
  STRING: 'STRING',
  INT: 'INT',
  SHORT: 'SHORT',
  LONG: 'LONG',
  DOUBLE: 'DOUBLE',
  LIST: 'LIST',
  CLASS: 'CLASS',
  PASSWORD: 'PASSWORD',
} as const;
export type ConfigType = (typeof ConfigType)[keyof typeof ConfigType];

/** How likely a user is to need to change a key. */
export const Importance = { HIGH: 'HIGH', MEDIUM: 'MEDIUM', LOW: 'LOW' } as const;
export type Importance = (typeof Importance)[keyof typeof Importance];

/** A UI hint for the width of a value. */
export const Width = { NONE: 'NONE', SHORT: 'SHORT', MEDIUM: 'MEDIUM', LONG: 'LONG' } as const;
export type Width = (typeof Width)[keyof typeof Width];

/** Marks a key as required: it has no default, so leaving it out is an error. */
export const NO_DEFAULT: unique symbol = Symbol('NO_DEFAULT');
export type NoDefault = typeof NO_DEFAULT;

/**
 * A secret config value. It prints as `[hidden]` everywhere (logs, validate replies, error messages);
 * only {@link Password.value} gives the clear text.
 */
export class Password {
  static readonly HIDDEN = '[hidden]';
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The clear text. Never log it. */
  value(): string {
    return this.#value;
  }

  toString(): string {
    return Password.HIDDEN;
  }

  toJSON(): string {
    return Password.HIDDEN;
  }

  equals(other: unknown): boolean {
    return other instanceof Password && other.#value === this.#value;
  }
}

/**
 * Checks one parsed value. Throws a `ConfigError` (usually through `invalidValue`) when the value is not
 * acceptable. `value` may be `null` when the key is missing or failed to parse.
 */
export interface Validator {
  ensureValid(name: string, value: unknown): void;
  /** The "Valid Values" text of the docs table. */
  toString(): string;
}

/**
 * Supplies the recommended values and the visibility of a key from the other parsed values; used by
 * `ConfigDef.validate` only.
 */
export interface Recommender {
  validValues(name: string, parsed: Readonly<Record<string, unknown>>): unknown[];
  visible(name: string, parsed: Readonly<Record<string, unknown>>): boolean;
}

/** The options of `ConfigDef.define`. */
export interface ConfigKeyDef {
  name: string;
  type: ConfigType;
  /** The default, parsed like a supplied value; {@link NO_DEFAULT} makes the key required. */
  defaultValue: unknown;
  importance: Importance;
  documentation: string;
  validator?: Validator;
  /** @default null (ungrouped) */
  group?: string | null;
  /** @default -1 */
  orderInGroup?: number;
  /** @default Width.NONE */
  width?: Width;
  /** @default the key name */
  displayName?: string;
  /** @default [] */
  dependents?: readonly string[];
  recommender?: Recommender;
  /** Internal keys are hidden from docs. @default false */
  internal?: boolean;
}

/** A defined key, with its default already parsed. */
export interface ConfigKey {
  readonly name: string;
  readonly type: ConfigType;
  readonly defaultValue: unknown;
  readonly importance: Importance;
  readonly documentation: string;
  readonly validator: Validator | undefined;
  readonly group: string | null;
  readonly orderInGroup: number;
  readonly width: Width;
  readonly displayName: string;
  readonly dependents: readonly string[];
  readonly recommender: Recommender | undefined;
  readonly internal: boolean;
}

/** Whether a key has a default (is optional). */
export function hasDefault(key: ConfigKey): boolean {
  return key.defaultValue !== NO_DEFAULT;
}
