import { describe, expect, it } from 'vitest';
import {
  eventRecord,
  type KafkaRecord,
  partitionKey,
  recordJsonBytes,
} from '../../../local/aws/kafka-event.js';

// The simulated mapping cuts a batch at Lambda's 6 MB from recordJsonBytes, counted without serialising.
const exact = (r: KafkaRecord) =>
  Buffer.byteLength(JSON.stringify(eventRecord(r))) + Buffer.byteLength(partitionKey(r)) + 8;

describe('recordJsonBytes', () => {
  it('counts exactly what the record adds to the event, for every shape of record', () => {
    const records: KafkaRecord[] = [];
    let seed = 11;
    const random = (n: number) => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => random(256)));
    for (let i = 0; i < 300; i++) {
      records.push({
        topic: ['orders', 't"quoted\\', 'ünïcode-топик', 'a'][random(4)]!,
        partition: random(1000),
        offset: random(2 ** 31) * random(4096),
        timestamp: 1_700_000_000_000 + random(10 ** 9),
        timestampType: random(2) ? 'CREATE_TIME' : 'LOG_APPEND_TIME',
        key: random(3) ? bytes(random(40)) : null,
        value: random(5) ? bytes(random(3000)) : null,
        headers: Array.from({ length: random(3) }, () => [
          ['h', 'trace-id', 'é"\n'][random(3)]!,
          bytes(random(20)),
        ]),
      });
    }
    for (const r of records) expect(recordJsonBytes(r)).toBe(exact(r));
  });
});
