import { type ConnectorProps, SinkConnector, type SinkOffsetChange } from '../../api/index.js';
import type { AddressPolicy } from './address-policy.js';
import { httpConfigDef, VERSION } from './config.js';
import { type HttpSinkOptions, httpSinkTaskClass } from './http-sink-task.js';

/**
 * POSTs batches of records as a JSON array to a URL (class `serverless.connect.http.HttpSinkConnector`,
 * alias `HttpSink`). `tasks.max` identical tasks; offsets live in the consumer group only.
 *
 * The deployment's address policy comes in through the constructor (`plugins(policy)` passes
 * `httpAllowPrivateNetworks`) and reaches the URL check and the tasks; a connector built without one
 * reaches public addresses only.
 */
export class HttpSinkConnector extends SinkConnector {
  static readonly CLASS_NAME = 'serverless.connect.http.HttpSinkConnector';
  private props: ConnectorProps = {};
  private readonly options: HttpSinkOptions;

  constructor(options: HttpSinkOptions = { allowPrivateNetworks: false }) {
    super();
    this.options = options;
  }

  version = () => VERSION;
  config = () => httpConfigDef(this.policy());
  taskClass = () => httpSinkTaskClass(this.options);

  start(props: ConnectorProps): void {
    httpConfigDef(this.policy()).parse(props);
    this.props = props;
  }

  taskConfigs(maxTasks: number): Record<string, string>[] {
    return Array.from({ length: maxTasks }, () => ({ ...this.props }));
  }

  stop(): void {}

  private policy(): AddressPolicy {
    return { allowPrivateNetworks: this.options.allowPrivateNetworks };
  }

  override alterOffsets(_config: ConnectorProps, _offsets: readonly SinkOffsetChange[]): boolean {
    return true;
  }
}
