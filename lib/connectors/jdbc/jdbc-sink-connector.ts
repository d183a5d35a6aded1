import {
  ConfigError,
  type ConfigValue,
  type ConnectorProps,
  SinkConnector,
  type SinkOffsetChange,
} from '../../api/index.js';
import { VERSION } from './common-config.js';
import { parseConnectionUrl } from './connection-url.js';
import { JdbcSinkTask } from './jdbc-sink-task.js';
import { DELETE_ENABLED, INSERT_MODE, PK_MODE, sinkConfigDef } from './sink-config.js';

/**
 * Writes topics into tables: Confluent's `io.confluent.connect.jdbc.JdbcSinkConnector`, for PostgreSQL and
 * MySQL/MariaDB. `tasks.max` identical tasks; offsets live in the consumer group only.
 */
export class JdbcSinkConnector extends SinkConnector {
  static readonly CLASS_NAME = 'io.confluent.connect.jdbc.JdbcSinkConnector';
  private props: ConnectorProps = {};

  version = () => VERSION;
  config = sinkConfigDef;
  taskClass = () => JdbcSinkTask;

  override validate(props: ConnectorProps): ConfigValue[] {
    const values = super.validate(props);
    const byName = new Map(values.map((v) => [v.name, v]));
    const pkMode = byName.get(PK_MODE)?.value;
    if (byName.get(DELETE_ENABLED)?.value === true && pkMode !== 'record_key') {
      byName
        .get(DELETE_ENABLED)
        ?.addErrorMessage("Primary key mode must be 'record_key' when delete support is enabled");
    }
    const insertMode = byName.get(INSERT_MODE)?.value;
    if ((insertMode === 'upsert' || insertMode === 'update') && pkMode === 'none') {
      byName.get(PK_MODE)?.addErrorMessage(`insert.mode ${insertMode} needs a primary key: set pk.mode`);
    }
    const url = byName.get('connection.url');
    if (url?.value && url.errorMessages.length === 0) {
      try {
        parseConnectionUrl(String(url.value));
      } catch (error) {
        url.addErrorMessage((error as Error).message);
      }
    }
    return values;
  }

  start(props: ConnectorProps): void {
    const errors = this.validate(props).flatMap((v) => v.errorMessages);
    if (errors.length > 0) throw new ConfigError(errors.join(' '));
    this.props = props;
  }

  taskConfigs(maxTasks: number): Record<string, string>[] {
    return Array.from({ length: maxTasks }, () => ({ ...this.props }));
  }

  stop(): void {}

  override alterOffsets(_config: ConnectorProps, _offsets: readonly SinkOffsetChange[]): boolean {
    return true;
  }
}
