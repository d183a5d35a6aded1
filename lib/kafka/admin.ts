import type { Admin, ITopicConfig, Kafka } from 'kafkajs';
import { kafkaCall, kafkaRetry } from './errors.js';
import type { TopicPartitionOffset } from './types.js';

export interface NewTopic {
  topic: string;
  /** -1 = broker default. */
  numPartitions: number;
  /** -1 = broker default. */
  replicationFactor: number;
  configs?: Record<string, string>;
}

/** The admin operations the control plane and runtime need, with kafkajs kept inside. */
export class KafkaAdmin {
  private readonly admin: Admin;
  private connected?: Promise<void>;

  constructor(kafka: Kafka) {
    this.admin = kafka.admin();
  }

  private ready(): Promise<void> {
    this.connected ??= kafkaCall('admin connect', () => this.admin.connect());
    return this.connected;
  }

  async clusterId(): Promise<string> {
    await this.ready();
    return (await kafkaCall('describe cluster', () => this.admin.describeCluster())).clusterId;
  }

  async listTopics(): Promise<string[]> {
    await this.ready();
    return kafkaCall('list topics', () => this.admin.listTopics());
  }

  /** Creates the topics that do not exist yet; answers the names it created. */
  async createTopics(topics: NewTopic[]): Promise<string[]> {
    if (topics.length === 0) return [];
    await this.ready();
    const existing = new Set(await this.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length === 0) return [];
    const specs: ITopicConfig[] = missing.map((t) => ({
      topic: t.topic,
      numPartitions: t.numPartitions,
      replicationFactor: t.replicationFactor,
      configEntries: Object.entries(t.configs ?? {}).map(([name, value]) => ({ name, value })),
    }));
    try {
      await kafkaCall('create topics', () =>
        this.admin.createTopics({ topics: specs, waitForLeaders: true }),
      );
    } catch (error) {
      // Another runner may have created it between our list and create: that is success.
      if (!/already exists/i.test((error as Error).message)) throw error;
    }
    return missing.map((t) => t.topic);
  }

  /** A topic's partition count and its explicitly set configs. */
  async describeTopic(topic: string): Promise<{ partitions: number; configs: Record<string, string> }> {
    await this.ready();
    const metadata = await kafkaCall('fetch topic metadata', () =>
      this.admin.fetchTopicMetadata({ topics: [topic] }),
    );
    const described = await kafkaCall('describe configs', () =>
      this.admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: topic }] }),
    );
    const configs: Record<string, string> = {};
    for (const entry of described.resources[0]?.configEntries ?? []) {
      if (!entry.isDefault) configs[entry.configName] = entry.configValue;
    }
    return { partitions: metadata.topics[0]?.partitions.length ?? 0, configs };
  }

  /** Committed offsets of a consumer group (only partitions with a commit). */
  async groupOffsets(groupId: string): Promise<TopicPartitionOffset[]> {
    await this.ready();
    const topics = await kafkaRetry('fetch group offsets', () => this.admin.fetchOffsets({ groupId }));
    return topics
      .flatMap((t) =>
        t.partitions
          .filter((p) => Number(p.offset) >= 0)
          .map((p) => ({ topic: t.topic, partition: p.partition, offset: Number(p.offset) })),
      )
      .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  }

  /** Sets committed offsets; Kafka refuses while the group has active members. */
  async setGroupOffsets(groupId: string, offsets: TopicPartitionOffset[]): Promise<void> {
    await this.ready();
    for (const [topic, list] of groupBy(offsets, (o) => o.topic)) {
      const partitions = list.map((o) => ({ partition: o.partition, offset: String(o.offset) }));
      await kafkaRetry('set group offsets', () => this.admin.setOffsets({ groupId, topic, partitions }));
    }
  }

  /** Moves a group's committed offset to the start of the log (a reset, as a deleted offset would with earliest). */
  async resetGroupOffsets(
    groupId: string,
    partitions: { topic: string; partition: number }[],
  ): Promise<void> {
    await this.ready();
    const offsets: TopicPartitionOffset[] = [];
    for (const [topic, list] of groupBy(partitions, (p) => p.topic)) {
      const low = await kafkaCall('fetch topic offsets', () => this.admin.fetchTopicOffsets(topic));
      for (const p of list) {
        const found = low.find((l) => l.partition === p.partition);
        offsets.push({ topic, partition: p.partition, offset: Number(found?.low ?? 0) });
      }
    }
    await this.setGroupOffsets(groupId, offsets);
  }

  /** Deletes the whole consumer group (all its committed offsets); absent groups are fine. */
  async deleteGroup(groupId: string): Promise<void> {
    await this.ready();
    try {
      await kafkaRetry('delete group', () => this.admin.deleteGroups([groupId]));
    } catch (error) {
      if (!groupNotFound(error)) throw error;
    }
  }

  /** Total lag of a group over the partitions it has committed: end offset minus committed offset. */
  async groupLag(groupId: string): Promise<number> {
    const committed = await this.groupOffsets(groupId);
    let lag = 0;
    for (const [topic, list] of groupBy(committed, (o) => o.topic)) {
      const ends = await kafkaCall('fetch topic offsets', () => this.admin.fetchTopicOffsets(topic));
      for (const o of list)
        lag += Math.max(0, Number(ends.find((e) => e.partition === o.partition)?.high ?? 0) - o.offset);
    }
    return lag;
  }

  async disconnect(): Promise<void> {
    this.connected = undefined;
    await this.admin.disconnect().catch(() => {});
  }
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k) ?? [];
    list.push(item);
    map.set(k, list);
  }
  return map;
}

/**
 * A group that does not exist is already deleted. kafkajs's `KafkaJSDeleteGroupsError` says only "Error in
 * DeleteGroups"; the code is in `groups[].error.type` of the error (our KafkaError's cause).
 */
function groupNotFound(error: unknown): boolean {
  const cause = (error as { cause?: unknown }).cause as
    | { groups?: { error?: { type?: string } }[]; message?: string }
    | undefined;
  if (cause?.groups?.some((g) => g.error?.type === 'GROUP_ID_NOT_FOUND')) return true;
  return /does not exist|GROUP_ID_NOT_FOUND/i.test(`${(error as Error).message} ${cause?.message ?? ''}`);
}
