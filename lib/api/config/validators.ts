import { ConfigError } from '../errors.js';
import { invalidValue } from './parse.js';
import type { Validator } from './types.js';

/** Kafka's `Range`: a numeric lower (and upper) bound. */
export class Range implements Validator {
  private constructor(
    private readonly min: number | undefined,
    private readonly max: number | undefined,
  ) {}

  /** `Value must be at least <min>` below the bound. */
  static atLeast(min: number): Range {
    return new Range(min, undefined);
  }

  /** Also `Value must be no more than <max>` above the upper bound. */
  static between(min: number, max: number): Range {
    return new Range(min, max);
  }

  ensureValid(name: string, value: unknown): void {
    if (value === null || value === undefined) throw invalidValue(name, null, 'Value must be non-null');
    const n = Number(value);
    if (this.min !== undefined && n < this.min)
      throw invalidValue(name, value, `Value must be at least ${this.min}`);
    if (this.max !== undefined && n > this.max) {
      throw invalidValue(name, value, `Value must be no more than ${this.max}`);
    }
  }

  toString(): string {
    if (this.min === undefined && this.max === undefined) return '[...]';
    if (this.min === undefined) return `[...,${this.max}]`;
    if (this.max === undefined) return `[${this.min},...]`;
    return `[${this.min},...,${this.max}]`;
  }
}

/** Kafka's `ValidString.in(...)`: an exact, case-sensitive choice. */
export class ValidString implements Validator {
  private constructor(readonly validStrings: readonly string[]) {}

  static in(...validStrings: string[]): ValidString {
    return new ValidString(validStrings);
  }

  ensureValid(name: string, value: unknown): void {
    if (typeof value !== 'string' || !this.validStrings.includes(value)) {
      throw invalidValue(name, value, `String must be one of: ${this.validStrings.join(', ')}`);
    }
  }

  toString(): string {
    return `[${this.validStrings.join(', ')}]`;
  }
}

/** Kafka's `CaseInsensitiveValidString.in(...)`; messages list the choices upper-cased. */
export class CaseInsensitiveValidString implements Validator {
  private readonly validStrings: readonly string[];

  private constructor(validStrings: readonly string[]) {
    this.validStrings = [...new Set(validStrings.map((s) => s.toUpperCase()))];
  }

  static in(...validStrings: string[]): CaseInsensitiveValidString {
    return new CaseInsensitiveValidString(validStrings);
  }

  ensureValid(name: string, value: unknown): void {
    if (typeof value !== 'string' || !this.validStrings.includes(value.toUpperCase())) {
      throw invalidValue(
        name,
        value,
        `String must be one of (case insensitive): ${this.validStrings.join(', ')}`,
      );
    }
  }

  toString(): string {
    return `(case insensitive) [${this.validStrings.join(', ')}]`;
  }
}

/**
 * Kafka's `ValidList`: `in(...)` checks each element against the choices (empty list allowed);
 * `anyNonDuplicateValues(emptyAllowed, nullAllowed)` only checks emptiness, nulls and duplicates.
 */
export class ValidList implements Validator {
  private constructor(
    private readonly validStrings: readonly string[],
    private readonly emptyAllowed: boolean,
    private readonly nullAllowed: boolean,
  ) {}

  static in(...validStrings: string[]): ValidList {
    return new ValidList(validStrings, true, false);
  }

  static anyNonDuplicateValues(emptyAllowed: boolean, nullAllowed: boolean): ValidList {
    return new ValidList([], emptyAllowed, nullAllowed);
  }

  ensureValid(name: string, value: unknown): void {
    if (value === null || value === undefined) {
      if (this.nullAllowed) return;
      throw new ConfigError(`Configuration '${name}' values must not be null.`);
    }
    const values = value as unknown[];
    if (!this.emptyAllowed && values.length === 0) {
      const valid = this.validStrings.length === 0 ? 'any non-empty value' : this.toString();
      throw new ConfigError(`Configuration '${name}' must not be empty. Valid values include: ${valid}`);
    }
    if (new Set(values).size !== values.length) {
      throw new ConfigError(`Configuration '${name}' values must not be duplicated.`);
    }
    for (const v of values) {
      if (typeof v !== 'string') continue;
      if (v === '') throw new ConfigError(`Configuration '${name}' values must not be empty.`);
      if (this.validStrings.length > 0 && !this.validStrings.includes(v)) {
        throw invalidValue(name, v, `String must be one of: ${this.validStrings.join(', ')}`);
      }
    }
  }

  toString(): string {
    return this.validStrings.length > 0 ? `[${this.validStrings.join(', ')}]` : '';
  }
}

/** Kafka's `NonEmptyString`: null passes, `""` gives `String must be non-empty`. */
export const NonEmptyString: Validator = {
  ensureValid(name, value) {
    if (value === '') throw invalidValue(name, value, 'String must be non-empty');
  },
  toString: () => 'non-empty string',
};

/** Kafka's `NonEmptyStringWithoutControlChars` (connector names): no empty string, no ISO control characters. */
export const NonEmptyStringWithoutControlChars: Validator = {
  ensureValid(name, value) {
    if (typeof value !== 'string') return;
    if (value === '') throw invalidValue(name, value, 'String may not be empty');
    const found: number[] = [];
    for (let i = 0; i < value.length; i++) {
      const code = value.codePointAt(i) as number;
      if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) found.push(code);
    }
    if (found.length > 0) {
      throw invalidValue(
        name,
        value,
        `String may not contain control sequences but had the following ASCII chars: ${found.join(', ')}`,
      );
    }
  },
  toString: () => 'non-empty string without ISO control characters',
};

/** Kafka's `NonNullValidator`: `entry must be non null`. */
export const NonNullValidator: Validator = {
  ensureValid(name, value) {
    if (value === null || value === undefined) throw invalidValue(name, 'null', 'entry must be non null');
  },
  toString: () => 'non-null string',
};

/**
 * A regex that must compile (Kafka's `RegexValidator`, used for `topics.regex`). Java and JavaScript regex
 * syntax differ in corners; we check with JavaScript's engine. Null passes.
 */
export const Regex: Validator = {
  ensureValid(name, value) {
    if (value === null || value === undefined) return;
    try {
      new RegExp(String(value));
    } catch (e) {
      throw invalidValue(name, value, `Invalid regex: ${(e as Error).message}`);
    }
  },
  toString: () => 'valid regex',
};

/**
 * A CLASS value must name a known plugin: `Class <name> could not be found.` as Kafka says when
 * `Class.forName` fails. The lookup is injected (the plugin registry lives outside `lib/api`). Null passes.
 *
 * @example
 * const exists = ClassExists.using((name) => registry.has(name));
 */
export class ClassExists implements Validator {
  private constructor(private readonly lookup: (className: string) => boolean) {}

  static using(lookup: (className: string) => boolean): ClassExists {
    return new ClassExists(lookup);
  }

  ensureValid(name: string, value: unknown): void {
    if (value === null || value === undefined) return;
    if (!this.lookup(String(value)))
      throw invalidValue(name, value, `Class ${String(value)} could not be found.`);
  }

  toString(): string {
    return '';
  }
}

/** Kafka's `CompositeValidator.of(...)`: runs each in turn; the first failure wins. */
export function composite(...validators: Validator[]): Validator {
  return {
    ensureValid(name, value) {
      for (const v of validators) v.ensureValid(name, value);
    },
    toString: () => validators.map(String).join(', '),
  };
}

/** Kafka's `LambdaValidator.with(...)`. */
export function lambdaValidator(
  ensureValid: (name: string, value: unknown) => void,
  description = '',
): Validator {
  return { ensureValid, toString: () => description };
}
