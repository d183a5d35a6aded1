import { ConfigDef, type ConnectRecord, type Predicate } from '../../api/index.js';
import { SMT_VERSION } from '../util/config.js';

/** True when the record's value is null, i.e. a tombstone (Kafka's `RecordIsTombstone`). */
export class RecordIsTombstone implements Predicate {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.transforms.predicates.RecordIsTombstone';
  static readonly CONFIG_DEF = new ConfigDef();
  readonly version = SMT_VERSION;

  configure(_configs: Record<string, unknown>): void {}

  test(record: ConnectRecord): boolean {
    return record.value === null || record.value === undefined;
  }

  config(): ConfigDef {
    return RecordIsTombstone.CONFIG_DEF;
  }

  close(): void {}

  toString(): string {
    return 'RecordIsTombstone{}';
  }
}
