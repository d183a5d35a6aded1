import { invalidValue, type Validator } from '../../api/index.js';
import { compileJavaRegex } from './java-regex.js';

/** Kafka's transforms `RegexValidator`: `Invalid value x for configuration regex: Invalid regex: ...`. */
export const JavaRegex: Validator = {
  ensureValid(name, value) {
    if (value === null || value === undefined) return;
    try {
      compileJavaRegex(String(value));
    } catch (e) {
      throw invalidValue(name, value, `Invalid regex: ${(e as Error).message}`);
    }
  },
  toString: () => 'valid regex',
};
