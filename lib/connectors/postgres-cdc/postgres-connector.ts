import { type ConnectorProps, type ExactlyOnceSupport, SourceConnector } from '../../api/index.js';
import { DEBEZIUM_VERSION, postgresConfigDef } from './config.js';
import { PostgresConnectorTask } from './postgres-task.js';

/**
 * Debezium's PostgreSQL connector (`io.debezium.connector.postgresql.PostgresConnector`): one task,
 * whatever tasks.max says, since one replication slot has one reader. Debezium's validate() also
 * connects and checks the user's roles; validation here is synchronous, so the task checks the roles
 * when it starts and fails with the same message.
 */
export class PostgresConnector extends SourceConnector {
  static readonly CLASS_NAME = 'io.debezium.connector.postgresql.PostgresConnector';
  private props: ConnectorProps = {};

  version = () => DEBEZIUM_VERSION;
  config = postgresConfigDef;
  taskClass = () => PostgresConnectorTask;

  start(props: ConnectorProps): void {
    this.props = props;
  }

  taskConfigs(_maxTasks: number): ConnectorProps[] {
    return [{ ...this.props }];
  }

  stop(): void {}

  override exactlyOnceSupport(_config: ConnectorProps): ExactlyOnceSupport | null {
    return 'SUPPORTED';
  }
}
