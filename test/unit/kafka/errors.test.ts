import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { asKafkaError, KafkaError, kafkaRetry } from '../../../lib/kafka/errors.js';

const { KafkaJSError } = kafkajs;

describe('kafkaRetry', () => {
  it('retries a retriable error (a coordinator still loading) until the call succeeds', async () => {
    let calls = 0;
    const answer = await kafkaRetry(
      'fetch group offsets',
      async () => {
        calls++;
        if (calls < 3)
          throw new KafkaJSError('This is not the correct coordinator for this group', { retriable: true });
        return 'offsets';
      },
      { backoffMs: 1 },
    );
    expect(answer).toBe('offsets');
    expect(calls).toBe(3);
  });

  it('gives up after its attempts with the last error, still marked retriable', async () => {
    let calls = 0;
    const failing = kafkaRetry(
      'fetch group offsets',
      async () => {
        calls++;
        throw new KafkaJSError('The coordinator is loading', { retriable: true });
      },
      { attempts: 4, backoffMs: 1 },
    );
    await expect(failing).rejects.toMatchObject({
      name: 'KafkaError',
      retriable: true,
      message: 'fetch group offsets failed: The coordinator is loading',
    });
    expect(calls).toBe(4);
  });

  it('does not retry what kafkajs marks final', async () => {
    let calls = 0;
    const failing = kafkaRetry(
      'set group offsets',
      async () => {
        calls++;
        throw new KafkaJSError('The consumer group must have no running instances', { retriable: false });
      },
      { backoffMs: 1 },
    );
    await expect(failing).rejects.toBeInstanceOf(KafkaError);
    expect(calls).toBe(1);
  });
});

describe('asKafkaError', () => {
  it("makes a consumer's crash a KafkaError, retriable when kafkajs says so (a coordinator still loading)", () => {
    const crash = new KafkaJSError(
      "The coordinator is loading and hence can't process requests for this group",
      {
        retriable: true,
      },
    );
    const error = asKafkaError('consumer', crash);
    expect(error).toBeInstanceOf(KafkaError);
    expect(error.retriable).toBe(true);
    expect(error.cause).toBe(crash);
  });
});
