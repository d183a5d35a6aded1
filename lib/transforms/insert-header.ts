import {
  ConfigDef,
  ConfigType,
  type ConnectRecord,
  Importance,
  NO_DEFAULT,
  NonNullValidator,
  type SchemaAndValue,
  type Transformation,
  Values,
} from '../api/index.js';
import { SimpleConfig, SMT_VERSION } from './util/config.js';

const HEADER_FIELD = 'header';
const VALUE_LITERAL_FIELD = 'value.literal';

/**
 * Adds a header with a fixed value to every record (Kafka's `InsertHeader`). The literal is parsed with
 * `Values.parseString`, so `42` becomes an INT8 header, `true` a BOOLEAN, `2024-01-31` a Date.
 */
export class InsertHeader implements Transformation {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.transforms.InsertHeader';
  static readonly CONFIG_DEF = new ConfigDef()
    .define({
      name: HEADER_FIELD,
      type: ConfigType.STRING,
      defaultValue: NO_DEFAULT,
      validator: NonNullValidator,
      importance: Importance.HIGH,
      documentation: 'The name of the header.',
    })
    .define({
      name: VALUE_LITERAL_FIELD,
      type: ConfigType.STRING,
      defaultValue: NO_DEFAULT,
      validator: NonNullValidator,
      importance: Importance.HIGH,
      documentation: 'The literal value that is to be set as the header value on all records.',
    });
  readonly version = SMT_VERSION;
  #header = '';
  #literal: SchemaAndValue | undefined;

  configure(configs: Record<string, unknown>): void {
    const config = new SimpleConfig(InsertHeader.CONFIG_DEF, configs);
    this.#header = config.getString(HEADER_FIELD) as string;
    this.#literal = Values.parseString(config.getString(VALUE_LITERAL_FIELD));
  }

  apply<R extends ConnectRecord>(record: R): R {
    const headers = record.headers.duplicate();
    headers.add(this.#header, this.#literal?.value ?? null, this.#literal?.schema ?? null);
    return record.with({ headers });
  }

  config(): ConfigDef {
    return InsertHeader.CONFIG_DEF;
  }

  close(): void {}
}
