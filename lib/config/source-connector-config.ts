import {
  CaseInsensitiveValidString,
  ConfigDef,
  ConfigType,
  Importance,
  lambdaValidator,
  NonEmptyString,
  Range,
  Width,
} from '../api/config-def.js';
import {
  aliasValidator,
  connectorConfigDef,
  EXACTLY_ONCE_SUPPORT_GROUP,
  OFFSETS_TOPIC_GROUP,
  TOPIC_CREATION_GROUP,
} from './connector-config.js';
import type { ResolvePlugin } from './plugin-lookup.js';

/** Source connectors' keys (Kafka's `SourceConnectorConfig.configDef()`). */
export function sourceConnectorConfigDef(resolvePlugin?: ResolvePlugin): ConfigDef {
  let order = 0;
  const atLeastZero = Range.atLeast(0);
  return new ConfigDef(connectorConfigDef(resolvePlugin))
    .define({
      name: 'topic.creation.groups',
      type: ConfigType.LIST,
      defaultValue: [],
      validator: aliasValidator('topic creation group'),
      importance: Importance.LOW,
      documentation: 'Groups of configurations for topics created by source connectors',
      group: TOPIC_CREATION_GROUP,
      orderInGroup: ++order,
      width: Width.LONG,
      displayName: 'Topic Creation Groups',
    })
    .define({
      name: 'exactly.once.support',
      type: ConfigType.STRING,
      defaultValue: 'requested',
      validator: CaseInsensitiveValidString.in('requested', 'required'),
      importance: Importance.MEDIUM,
      documentation:
        'Permitted values are requested, required. If set to "required", forces a preflight check for the connector to ensure that it can provide exactly-once semantics with the given configuration. Some connectors may be capable of providing exactly-once semantics but not signal to Connect that they support this; in that case, documentation for the connector should be consulted carefully before creating it, and the value for this property should be set to "requested". Additionally, if the value is set to "required" but the worker that performs preflight validation does not have exactly-once support enabled for source connectors, requests to create or validate the connector will fail.',
      group: EXACTLY_ONCE_SUPPORT_GROUP,
      orderInGroup: ++order,
      width: Width.SHORT,
      displayName: 'Exactly once support',
    })
    .define({
      name: 'transaction.boundary',
      type: ConfigType.STRING,
      defaultValue: 'poll',
      validator: CaseInsensitiveValidString.in('poll', 'interval', 'connector'),
      importance: Importance.MEDIUM,
      documentation:
        "Permitted values are: poll, interval, connector. If set to 'poll', a new producer transaction will be started and committed for every batch of records that each task from this connector provides to Connect. If set to 'connector', relies on connector-defined transaction boundaries; note that not all connectors are capable of defining their own transaction boundaries, and in that case, attempts to instantiate a connector with this value will fail. Finally, if set to 'interval', commits transactions only after a user-defined time interval has passed.",
      group: EXACTLY_ONCE_SUPPORT_GROUP,
      orderInGroup: ++order,
      width: Width.SHORT,
      displayName: 'Transaction Boundary',
    })
    .define({
      name: 'transaction.boundary.interval.ms',
      type: ConfigType.LONG,
      defaultValue: null,
      validator: lambdaValidator((name, value) => {
        if (value !== null) atLeastZero.ensureValid(name, value);
      }, atLeastZero.toString()),
      importance: Importance.LOW,
      documentation:
        "If 'transaction.boundary' is set to 'interval', determines the interval for producer transaction commits by connector tasks. If unset, defaults to the value of the worker-level 'offset.flush.interval.ms' property. It has no effect if a different transaction.boundary is specified.",
      group: EXACTLY_ONCE_SUPPORT_GROUP,
      orderInGroup: ++order,
      width: Width.SHORT,
      displayName: 'Transaction boundary interval',
    })
    .define({
      name: 'offsets.storage.topic',
      type: ConfigType.STRING,
      defaultValue: null,
      validator: NonEmptyString,
      importance: Importance.LOW,
      documentation:
        "The name of a separate offsets topic to use for this connector. If empty or not specified, the worker’s global offsets topic name will be used. If specified, the offsets topic will be created if it does not already exist on the Kafka cluster targeted by this connector (which may be different from the one used for the worker's global offsets topic if the bootstrap.servers property of the connector's producer has been overridden from the worker's). Only applicable in distributed mode; in standalone mode, setting this property will have no effect.",
      group: OFFSETS_TOPIC_GROUP,
      orderInGroup: 1,
      width: Width.LONG,
      displayName: 'Offsets topic',
    });
}
