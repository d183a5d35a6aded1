import { type ConnectorProps, SinkConnector, type SinkOffsetChange } from '../../api/index.js';
import { httpConfigDef, VERSION } from './config.js';
import { HttpSinkTask } from './http-sink-task.js';

/**
 * POSTs batches of records as a JSON array to a URL (class `serverless.connect.http.HttpSinkConnector`,
 * alias `HttpSink`). `tasks.max` identical tasks; offsets live in the consumer group only.
 */
export class HttpSinkConnector extends SinkConnector {
  static readonly CLASS_NAME = 'serverless.connect.http.HttpSinkConnector';
  private props: ConnectorProps = {};

  version = () => VERSION;
  config = httpConfigDef;
  taskClass = () => HttpSinkTask;

  start(props: ConnectorProps): void {
    httpConfigDef().parse(props);
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
