import {
  ConfigDef,
  ConfigType,
  type ConnectRecord,
  Importance,
  NO_DEFAULT,
  type Transformation,
} from '../api/index.js';
import { NonEmptyList, SimpleConfig, SMT_VERSION } from './util/config.js';

const HEADERS_FIELD = 'headers';

/** Removes every header whose key is in `headers` (Kafka's `DropHeaders`). */
export class DropHeaders implements Transformation {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.transforms.DropHeaders';
  static readonly CONFIG_DEF = new ConfigDef().define({
    name: HEADERS_FIELD,
    type: ConfigType.LIST,
    defaultValue: NO_DEFAULT,
    validator: NonEmptyList,
    importance: Importance.HIGH,
    documentation: 'The name of the headers to be removed.',
  });
  readonly version = SMT_VERSION;
  #headers = new Set<string>();

  configure(configs: Record<string, unknown>): void {
    this.#headers = new Set(new SimpleConfig(DropHeaders.CONFIG_DEF, configs).getList(HEADERS_FIELD));
  }

  apply<R extends ConnectRecord>(record: R): R {
    return record.with({ headers: [...record.headers].filter((h) => !this.#headers.has(h.key)) });
  }

  config(): ConfigDef {
    return DropHeaders.CONFIG_DEF;
  }

  close(): void {}
}
