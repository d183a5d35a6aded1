import { ConfigDef, type ConnectRecord, type Transformation } from '../api/index.js';
import { SMT_VERSION } from './util/config.js';

/**
 * Drops every record (Kafka's `Filter`, KIP-585). Meant to be used with a predicate, e.g. with
 * `RecordIsTombstone` to drop tombstones, or negated `TopicNameMatches` to keep only some topics.
 */
export class Filter implements Transformation {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.transforms.Filter';
  static readonly CONFIG_DEF = new ConfigDef();
  readonly version = SMT_VERSION;

  configure(_configs: Record<string, unknown>): void {}

  apply(_record: ConnectRecord): null {
    return null;
  }

  config(): ConfigDef {
    return Filter.CONFIG_DEF;
  }

  close(): void {}
}
