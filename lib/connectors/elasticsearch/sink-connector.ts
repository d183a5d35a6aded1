import {
  ConfigError,
  type ConfigValue,
  type ConnectorProps,
  SinkConnector,
  type SinkOffsetChange,
} from '../../api/index.js';
import type { AddressGuard } from '../http/address-policy.js';
import { VERSION } from './config-keys.js';
import { type ConnectorSpec, validateConfig } from './connector-spec.js';
import type { SearchSinkTask } from './sink-task.js';

/**
 * What the Confluent and Aiven classes share: `spec` decides keys, defaults and rules. `tasks.max`
 * identical tasks; offsets live in the consumer group only (so the REST API may alter them).
 *
 * The deployment's address policy comes in through the constructor (`plugins(policy)` passes
 * `httpAllowPrivateNetworks`) and reaches the tasks; a connector built without one reaches public
 * addresses only.
 */
export abstract class SearchSinkConnector extends SinkConnector {
  protected abstract readonly spec: ConnectorSpec;
  private props: ConnectorProps = {};

  constructor(protected readonly guard: AddressGuard = { allowPrivateNetworks: false }) {
    super();
  }

  version = () => VERSION;
  config = () => this.spec.configDef();
  abstract override taskClass(): new () => SearchSinkTask;

  override validate(props: ConnectorProps): ConfigValue[] {
    return validateConfig(this.spec, props);
  }

  start(props: ConnectorProps): void {
    const errors = this.validate(props).flatMap((v) => v.errorMessages);
    if (errors.length > 0) throw new ConfigError([...new Set(errors)].join(' '));
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
