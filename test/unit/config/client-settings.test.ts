import { describe, expect, it } from 'vitest';
import { consumerSettings, overrideErrors, producerSettings } from '../../../lib/config/client-settings.js';

describe('client overrides onto kafkajs', () => {
  it('maps the consumer keys kafkajs has, and names the ones it has not', () => {
    // Act
    const settings = consumerSettings({
      'consumer.override.max.poll.records': '50',
      'consumer.override.auto.offset.reset': 'latest',
      'consumer.override.session.timeout.ms': '10000',
      'consumer.override.max.partition.fetch.bytes': '1048576',
      'consumer.override.isolation.level': 'read_uncommitted',
      'consumer.override.client.rack': 'use1-az1',
      'producer.override.acks': '1',
    });
    // Assess
    expect(settings).toEqual({
      options: {
        fromBeginning: false,
        sessionTimeout: 10_000,
        maxBytesPerPartition: 1_048_576,
        readUncommitted: true,
      },
      maxPollRecords: 50,
      ignored: ['client.rack'],
    });
  });

  it('keeps the shared idempotent producer when no producer key applies', () => {
    expect(producerSettings({ 'producer.override.linger.ms': '5' })).toEqual({ ignored: ['linger.ms'] });
  });

  it("turns idempotence off for acks other than all, as Kafka's producer does", () => {
    expect(producerSettings({ 'producer.override.acks': '1' }).options).toEqual({
      idempotent: false,
      acks: 1,
    });
    expect(producerSettings({ 'producer.override.compression.type': 'gzip' }).options).toEqual({
      idempotent: true,
      acks: -1,
      compression: 'gzip',
    });
  });

  it('refuses values kafkajs cannot honour, with Kafka-style messages', () => {
    // Act
    const consumer = overrideErrors('consumer', {
      'consumer.override.auto.offset.reset': 'none',
      'consumer.override.max.poll.records': '0',
    });
    const producer = overrideErrors('producer', { 'producer.override.compression.type': 'brotli' });
    const idempotent = overrideErrors('producer', {
      'producer.override.acks': '1',
      'producer.override.enable.idempotence': 'true',
    });
    // Assess
    expect(Object.fromEntries(consumer)).toEqual({
      'auto.offset.reset':
        'Invalid value none for configuration auto.offset.reset: kafkajs supports earliest and latest',
      'max.poll.records':
        'Invalid value 0 for configuration max.poll.records: Value must be a positive integer',
    });
    expect(producer.get('compression.type')).toBe(
      'Invalid value brotli for configuration compression.type: String must be one of: none, gzip, snappy, lz4, zstd',
    );
    expect(idempotent.get('enable.idempotence')).toBe(
      'Must set acks to all in order to use the idempotent producer.',
    );
  });
});
