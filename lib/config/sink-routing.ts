import { createHash } from 'node:crypto';
import { singleTopic } from '../api/sink.js';
import type { ConnectorRecord } from '../store/ports.js';

/**
 * The one rule deciding which sink connectors an event source mapping feeds on AWS (the control plane
 * creates the mapping, the dispatcher leaves the task alone, the sink function routes batches by it):
 * a sink with exactly one topic and no `topics.regex`, because a Kafka mapping reads one topic. Every
 * other sink is driven by the dispatcher with a bounded kafkajs consumer in its `connect-<name>` group.
 */
export function mappedTopic(record: ConnectorRecord): string | undefined {
  return record.type === 'sink' ? singleTopic(record.config) : undefined;
}

/**
 * A sink connector's consumer group: `connect-<name>`, as Kafka Connect names it, unless the config sets
 * `consumer.override.group.id`. The poller, the event source mapping and the offsets API all use this.
 */
export function sinkGroupId(record: Pick<ConnectorRecord, 'name' | 'config'>): string {
  return record.config['consumer.override.group.id']?.trim() || `connect-${record.name}`;
}

/**
 * The sink function's alias that a connector's mapping invokes. A mapping's event does not say which
 * mapping (or consumer group) it came from, but the invoked function ARN carries the alias, so each
 * connector gets its own alias and batches are routed by it. Hashed: connector names may hold any
 * character, aliases only `[a-zA-Z0-9-_]`.
 */
export function sinkAlias(connector: string): string {
  return `sc-${createHash('sha256').update(connector).digest('hex').slice(0, 40)}`;
}

/** The alias of an invoked function ARN (`arn:aws:lambda:<region>:<account>:function:<name>:<alias>`). */
export function aliasOf(invokedFunctionArn: string | undefined): string | undefined {
  return invokedFunctionArn?.split(':')[7];
}
