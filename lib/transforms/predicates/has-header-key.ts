import {
  ConfigDef,
  ConfigType,
  type ConnectRecord,
  Importance,
  NO_DEFAULT,
  NonEmptyString,
  type Predicate,
} from '../../api/index.js';
import { SimpleConfig, SMT_VERSION } from '../util/config.js';

/** True when the record has at least one header named `name` (Kafka's `HasHeaderKey`). */
export class HasHeaderKey implements Predicate {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.transforms.predicates.HasHeaderKey';
  static readonly CONFIG_DEF = new ConfigDef().define({
    name: 'name',
    type: ConfigType.STRING,
    defaultValue: NO_DEFAULT,
    validator: NonEmptyString,
    importance: Importance.MEDIUM,
    documentation: 'The header name.',
  });
  readonly version = SMT_VERSION;
  #name = '';

  configure(configs: Record<string, unknown>): void {
    this.#name = new SimpleConfig(HasHeaderKey.CONFIG_DEF, configs).getString('name') as string;
  }

  test(record: ConnectRecord): boolean {
    return record.headers.allWithName(this.#name).length > 0;
  }

  config(): ConfigDef {
    return HasHeaderKey.CONFIG_DEF;
  }

  close(): void {}

  toString(): string {
    return `HasHeaderKey{name='${this.#name}'}`;
  }
}
