import { topicCreationGroupFor, topicCreationGroups, usesTopicCreation } from '../config/topic-creation.js';
import type { KafkaAdmin } from '../kafka/admin.js';

/**
 * Creates the topics a source writes to when the connector asks for it (`topic.creation.*`, KIP-158), and
 * the DLQ topic (one partition, `errors.deadletterqueue.topic.replication.factor`). A replication factor
 * above the broker count falls back to the broker default, so a one-broker dev stack works with Kafka's
 * default of 3.
 */
export class TopicPreparer {
  private readonly done = new Set<string>();
  private readonly groups;

  constructor(
    private readonly admin: KafkaAdmin,
    connectorConfig: Readonly<Record<string, string>>,
    private readonly dlq: { topic: string; replicationFactor: number },
  ) {
    this.groups = usesTopicCreation(connectorConfig) ? topicCreationGroups(connectorConfig) : undefined;
  }

  async prepare(topics: readonly string[]): Promise<void> {
    for (const topic of topics) {
      if (this.done.has(topic)) continue;
      if (topic === this.dlq.topic) await this.create(topic, 1, this.dlq.replicationFactor, {});
      else if (this.groups) {
        const g = topicCreationGroupFor(topic, this.groups);
        await this.create(topic, g.partitions, g.replicationFactor, g.topicConfigs);
      }
      this.done.add(topic);
    }
  }

  private async create(topic: string, partitions: number, rf: number, configs: Record<string, string>) {
    try {
      await this.admin.createTopics([{ topic, numPartitions: partitions, replicationFactor: rf, configs }]);
    } catch (error) {
      if (
        !/replication factor|INVALID_REPLICATION_FACTOR/i.test(
          String((error as Error).message) + String((error as Error).cause),
        )
      )
        throw error;
      await this.admin.createTopics([{ topic, numPartitions: partitions, replicationFactor: -1, configs }]);
    }
  }
}
