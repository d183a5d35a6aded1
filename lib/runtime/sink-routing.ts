import type { ConnectorRecord } from '../store/ports.js';

const topicsOf = (r: ConnectorRecord) =>
  (r.config.topics ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);

/**
 * The one rule deciding which sink connectors an event source mapping feeds on AWS (the control plane
 * creates the mapping, the dispatcher leaves the task alone, the sink function routes batches by it):
 * a sink with exactly one topic and no `topics.regex`, and — because a mapping's event does not say which
 * consumer group it came from — only the oldest such sink of each topic. Every other sink is driven by
 * the dispatcher with a bounded kafkajs consumer in its `connect-<name>` group.
 */
export function mappedTopic(record: ConnectorRecord, all: readonly ConnectorRecord[]): string | undefined {
  if (record.type !== 'sink' || (record.config['topics.regex'] ?? '').trim() !== '') return undefined;
  const topics = topicsOf(record);
  if (topics.length !== 1) return undefined;
  const owner = sinkForTopic(all, topics[0]!);
  return owner?.name === record.name ? topics[0] : undefined;
}

/** The sink connector whose mapping consumes `topic`, if any. */
export function sinkForTopic(all: readonly ConnectorRecord[], topic: string): ConnectorRecord | undefined {
  return all
    .filter((r) => r.type === 'sink' && (r.config['topics.regex'] ?? '').trim() === '')
    .filter((r) => {
      const t = topicsOf(r);
      return t.length === 1 && t[0] === topic;
    })
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.name.localeCompare(b.name))[0];
}
