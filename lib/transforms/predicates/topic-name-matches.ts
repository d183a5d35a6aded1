import {
  ConfigDef,
  ConfigError,
  ConfigType,
  type ConnectRecord,
  composite,
  Importance,
  NO_DEFAULT,
  NonEmptyString,
  type Predicate,
} from '../../api/index.js';
import { SimpleConfig, SMT_VERSION } from '../util/config.js';
import { compileJavaRegex, wholeMatch } from '../util/java-regex.js';
import { JavaRegex } from '../util/regex-validator.js';

/** True when the whole topic name matches `pattern` (Kafka's `TopicNameMatches`). */
export class TopicNameMatches implements Predicate {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches';
  static readonly CONFIG_DEF = new ConfigDef().define({
    name: 'pattern',
    type: ConfigType.STRING,
    defaultValue: NO_DEFAULT,
    validator: composite(NonEmptyString, JavaRegex),
    importance: Importance.MEDIUM,
    documentation: "A Java regular expression for matching against the name of a record's topic.",
  });
  readonly version = SMT_VERSION;
  #pattern = /$^/;

  configure(configs: Record<string, unknown>): void {
    const value = new SimpleConfig(TopicNameMatches.CONFIG_DEF, configs).getString('pattern') as string;
    try {
      this.#pattern = compileJavaRegex(value);
    } catch (e) {
      throw new ConfigError(
        'pattern',
        value,
        `entry must be a Java-compatible regular expression: ${(e as Error).message}`,
      );
    }
  }

  test(record: ConnectRecord): boolean {
    return typeof record.topic === 'string' && wholeMatch(this.#pattern, record.topic) !== null;
  }

  config(): ConfigDef {
    return TopicNameMatches.CONFIG_DEF;
  }

  close(): void {}

  toString(): string {
    return `TopicNameMatches{pattern=${this.#pattern.source}}`;
  }
}
