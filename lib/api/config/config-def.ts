import { ConfigError } from '../errors.js';
import { ConfigValue } from './config-value.js';
import { missingRequiredMessage, parseType } from './parse.js';
import {
  type ConfigKey,
  type ConfigKeyDef,
  hasDefault,
  NO_DEFAULT,
  type Recommender,
  type Validator,
  Width,
} from './types.js';

function errorMessage(e: unknown): string {
  if (e instanceof ConfigError) return e.message;
  throw e;
}

/**
 * A config spec (Kafka's `ConfigDef`): an ordered set of keys with types, defaults, validators and docs.
 * One spec drives parsing, `/config/validate` and the docs table. Keys keep their definition order.
 *
 * @example
 * const def = new ConfigDef()
 *   .define({ name: 'file', type: ConfigType.STRING, defaultValue: NO_DEFAULT,
 *             importance: Importance.HIGH, documentation: 'Source filename.' })
 *   .define({ name: 'batch.size', type: ConfigType.INT, defaultValue: 2000, validator: Range.atLeast(1),
 *             importance: Importance.LOW, documentation: 'Max records per poll.' });
 * const parsed = def.parse({ file: '/tmp/in.txt' }); // { file: '/tmp/in.txt', 'batch.size': 2000 }
 */
export class ConfigDef {
  readonly #keys = new Map<string, ConfigKey>();
  readonly #groups: string[] = [];

  /** A copy of `base` when given, so callers can extend a shared spec safely. */
  constructor(base?: ConfigDef) {
    if (base) for (const key of base.keys()) this.defineKey(key);
  }

  /**
   * Adds a key. The default is parsed and validated now, so a bad default fails at definition time.
   * @throws ConfigError `Configuration <name> is defined twice.`
   */
  define(def: ConfigKeyDef): this {
    const required = def.defaultValue === NO_DEFAULT;
    const defaultValue = required ? NO_DEFAULT : parseType(def.name, def.defaultValue, def.type);
    if (def.validator && !required) def.validator.ensureValid(def.name, defaultValue);
    return this.defineKey({
      name: def.name,
      type: def.type,
      defaultValue,
      importance: def.importance,
      documentation: def.documentation,
      validator: def.validator,
      group: def.group ?? null,
      orderInGroup: def.orderInGroup ?? -1,
      width: def.width ?? Width.NONE,
      displayName: def.displayName ?? def.name,
      dependents: def.dependents ?? [],
      recommender: def.recommender,
      internal: def.internal ?? false,
    });
  }

  /** Adds an already-built key (its default is taken as parsed). */
  defineKey(key: ConfigKey): this {
    if (this.#keys.has(key.name)) throw new ConfigError(`Configuration ${key.name} is defined twice.`);
    if (key.group !== null && !this.#groups.includes(key.group)) this.#groups.push(key.group);
    this.#keys.set(key.name, key);
    return this;
  }

  /**
   * Adds every key of `child` with `keyPrefix` before its name, in group `groupPrefix` (or
   * `groupPrefix: <child group>`), ordered from `startingOrd` (Kafka's `ConfigDef.embed`). Validators and
   * recommenders still see the unprefixed name, as in Kafka.
   */
  embed(keyPrefix: string, groupPrefix: string, startingOrd: number, child: ConfigDef): this {
    let order = startingOrd;
    for (const key of child.sortedByGroup()) {
      this.defineKey({
        ...key,
        name: keyPrefix + key.name,
        validator: key.validator && embeddedValidator(keyPrefix, key.validator),
        group: groupPrefix + (key.group === null ? '' : `: ${key.group}`),
        orderInGroup: order++,
        dependents: key.dependents.map((d) => keyPrefix + d),
        recommender: key.recommender && embeddedRecommender(keyPrefix, key.recommender),
      });
    }
    return this;
  }

  /** The keys in definition order. */
  keys(): ConfigKey[] {
    return [...this.#keys.values()];
  }

  /** The key names in definition order. */
  names(): string[] {
    return [...this.#keys.keys()];
  }

  /** The groups in order of first definition. */
  groups(): string[] {
    return [...this.#groups];
  }

  key(name: string): ConfigKey | undefined {
    return this.#keys.get(name);
  }

  has(name: string): boolean {
    return this.#keys.has(name);
  }

  /** Keys sorted by group (ungrouped first), then order in group, then name (Kafka's `sortedConfigsByGroup`). */
  sortedByGroup(): ConfigKey[] {
    const rank = (g: string | null) => (g === null ? -1 : this.#groups.indexOf(g));
    return this.keys().sort(
      (a, b) =>
        rank(a.group) - rank(b.group) ||
        a.orderInGroup - b.orderInGroup ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
  }

  /**
   * Parses and validates every defined key; keys not defined here are ignored.
   * @returns the parsed values by key name (defaults filled in)
   * @throws ConfigError at the first bad value or missing required key, with Kafka's wording
   */
  parse(props: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const undefinedDependents = this.undefinedDependents();
    if (undefinedDependents.length > 0) {
      throw new ConfigError(
        `Some configurations in are referred in the dependents, but not defined: ${undefinedDependents.join(',')}`,
      );
    }
    const values: Record<string, unknown> = {};
    for (const key of this.#keys.values()) {
      let value: unknown;
      if (Object.hasOwn(props, key.name)) value = parseType(key.name, props[key.name], key.type);
      else if (!hasDefault(key)) throw new ConfigError(missingRequiredMessage(key.name));
      else value = key.defaultValue;
      key.validator?.ensureValid(key.name, value);
      values[key.name] = value;
    }
    return values;
  }

  /**
   * Validates `props` without throwing (Kafka's `ConfigDef.validateAll`): one {@link ConfigValue} per
   * defined key, in definition order, each with its parsed value (or default), its error messages, and
   * its recommended values and visibility from the key's recommender.
   */
  validateAll(props: Readonly<Record<string, unknown>>): Map<string, ConfigValue> {
    const values = new Map<string, ConfigValue>();
    const parsed: Record<string, unknown> = {};
    for (const key of this.#keys.values()) {
      const config = new ConfigValue(key.name);
      let value: unknown = null;
      if (Object.hasOwn(props, key.name)) {
        try {
          value = parseType(key.name, props[key.name], key.type);
        } catch (e) {
          config.addErrorMessage(errorMessage(e));
        }
      } else if (!hasDefault(key)) {
        config.addErrorMessage(missingRequiredMessage(key.name));
      } else {
        value = key.defaultValue;
      }
      if (key.validator) {
        try {
          key.validator.ensureValid(key.name, value);
        } catch (e) {
          config.addErrorMessage(errorMessage(e));
        }
      }
      config.value = value;
      parsed[key.name] = value;
      values.set(key.name, config);
    }
    for (const name of this.undefinedDependents()) {
      const config = new ConfigValue(name, { visible: false });
      values.set(name, config.addErrorMessage(`${name} is referred in the dependents, but not defined.`));
    }
    // Recommenders run once everything is parsed, since they may look at other keys.
    for (const key of this.#keys.values()) {
      if (!key.recommender) continue;
      const config = values.get(key.name) as ConfigValue;
      try {
        config.recommendedValues = key.recommender.validValues(key.name, parsed);
        config.visible = key.recommender.visible(key.name, parsed);
      } catch (e) {
        config.addErrorMessage(errorMessage(e));
      }
    }
    return values;
  }

  /** {@link validateAll} as a list. */
  validate(props: Readonly<Record<string, unknown>>): ConfigValue[] {
    return [...this.validateAll(props).values()];
  }

  private undefinedDependents(): string[] {
    const missing = new Set<string>();
    for (const key of this.#keys.values()) {
      for (const d of key.dependents) if (!this.#keys.has(d)) missing.add(d);
    }
    return [...missing];
  }
}

function embeddedValidator(prefix: string, base: Validator): Validator {
  return {
    ensureValid: (name, value) => base.ensureValid(name.slice(prefix.length), value),
    toString: () => base.toString(),
  };
}

function embeddedRecommender(prefix: string, base: Recommender): Recommender {
  const unprefixed = (parsed: Readonly<Record<string, unknown>>) =>
    Object.fromEntries(
      Object.entries(parsed)
        .filter(([k]) => k.startsWith(prefix))
        .map(([k, v]) => [k.slice(prefix.length), v]),
    );
  return {
    validValues: (name, parsed) => base.validValues(name.slice(prefix.length), unprefixed(parsed)),
    visible: (name, parsed) => base.visible(name.slice(prefix.length), unprefixed(parsed)),
  };
}
