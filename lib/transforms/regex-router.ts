import {
  ConfigDef,
  ConfigType,
  type ConnectRecord,
  Importance,
  NO_DEFAULT,
  type Transformation,
} from '../api/index.js';
import { SimpleConfig, SMT_VERSION } from './util/config.js';
import { compileJavaRegex, expandReplacement, wholeMatch } from './util/java-regex.js';
import { JavaRegex } from './util/regex-validator.js';

/**
 * Renames the topic when the whole topic matches `regex` (Java's `matches()`), to `replacement` with
 * Java's `$1` / `${name}` references (Kafka's `RegexRouter`). Other records pass unchanged.
 *
 * @example
 * // regex=(.*)-(\d+), replacement=$1 : 'orders-42' → 'orders'
 */
export class RegexRouter implements Transformation {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.transforms.RegexRouter';
  static readonly CONFIG_DEF = new ConfigDef()
    .define({
      name: 'regex',
      type: ConfigType.STRING,
      defaultValue: NO_DEFAULT,
      validator: JavaRegex,
      importance: Importance.HIGH,
      documentation: 'Regular expression to use for matching.',
    })
    .define({
      name: 'replacement',
      type: ConfigType.STRING,
      defaultValue: NO_DEFAULT,
      importance: Importance.HIGH,
      documentation: 'Replacement string.',
    });
  readonly version = SMT_VERSION;
  #regex = /$^/;
  #replacement = '';

  configure(configs: Record<string, unknown>): void {
    const config = new SimpleConfig(RegexRouter.CONFIG_DEF, configs);
    this.#regex = compileJavaRegex(config.getString('regex') as string);
    this.#replacement = config.getString('replacement') as string;
  }

  apply<R extends ConnectRecord>(record: R): R {
    const match = wholeMatch(this.#regex, record.topic);
    if (!match) return record;
    // The match spans the whole topic, so replaceFirst is the expanded replacement.
    return record.with({ topic: expandReplacement(this.#replacement, match) });
  }

  config(): ConfigDef {
    return RegexRouter.CONFIG_DEF;
  }

  close(): void {}
}
