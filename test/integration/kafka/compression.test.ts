import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaAdmin } from '../../../lib/kafka/admin.js';
import { BoundedConsumer } from '../../../lib/kafka/bounded-consumer.js';
import { createKafka } from '../../../lib/kafka/client.js';
import type { CompressionType } from '../../../lib/kafka/compression.js';
import { RecordProducer } from '../../../lib/kafka/producer.js';
import { ensureJars } from '../../../local/stack/jars.js';
import { stackSettings } from '../../../local/stack/settings.js';
import { KAFKA_BROKERS, uniqueName } from '../../support/services.js';
import { type ConnectFixture, connectFixture } from '../connectors/support.js';

// Both ways against Apache Kafka's own Java code (3.9.1, from the dev stack's jars): its console producer
// writes each codec and our consumer reads it; our producer writes each codec and Kafka's log dumper (it
// decompresses every batch as a Java consumer does) reads it back and names the codec stored.
const CODECS: CompressionType[] = ['gzip', 'snappy', 'lz4', 'zstd'];
const N = 60;
const kafka = createKafka({ brokers: KAFKA_BROKERS });
const admin = new KafkaAdmin(kafka);
let jars: string;
beforeAll(() => {
  jars = ensureJars(stackSettings(), 'kafka');
});
afterAll(() => admin.disconnect());

/**
 * N distinct values of about 2 kB of varied words, so a batch spans several LZ4 (64 KiB) and snappy-java
 * (32 KiB) blocks.
 */
function values(tag: string): string[] {
  const words = ['kafka', 'connect', 'lambda', 'record', 'offset', 'batch', 'codec', 'frame'];
  return Array.from({ length: N }, (_, i) => {
    let seed = i + 1;
    const parts = [`${tag}-${i}`];
    while (parts.join(' ').length < 2_000) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      parts.push(`${words[seed % words.length]}${seed % 997}`);
    }
    return parts.join(' ');
  });
}

function java(mainClass: string, args: string[], stdin = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('java', ['-cp', join(jars, '*'), mainClass, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${mainClass} exited ${code}: ${stderr}`)),
    );
    child.stdin.end(stdin);
  });
}

/** What Kafka's DumpLogSegments reads from partition 0 of each topic: the codecs of its batches and its values. */
async function dumpLogs(topics: string[]): Promise<Map<string, { codecs: Set<string>; values: string[] }>> {
  const logDir = join(stackSettings().dataDir, 'kafka', 'logs');
  const files = topics.map((t) => join(logDir, `${t}-0`, '00000000000000000000.log'));
  const out = await java('kafka.tools.DumpLogSegments', ['--files', files.join(','), '--print-data-log']);
  const dumps = new Map(topics.map((t) => [t, { codecs: new Set<string>(), values: [] as string[] }]));
  let current: { codecs: Set<string>; values: string[] } | undefined;
  for (const line of out.split('\n')) {
    const file = /^Dumping (.*)$/.exec(line)?.[1];
    if (file) current = dumps.get(topics[files.indexOf(file)]!);
    const codec = / compresscodec: (\S+)/.exec(line)?.[1];
    if (codec) current?.codecs.add(codec);
    const payload = /^\| offset: .* payload: (.*)$/.exec(line)?.[1];
    if (payload !== undefined) current?.values.push(payload);
  }
  return dumps;
}

async function consumeAll(topic: string, count: number): Promise<string[]> {
  const consumer = new BoundedConsumer(kafka, { groupId: uniqueName('compression'), topics: [topic] });
  try {
    const got: string[] = [];
    const deadline = Date.now() + 20_000;
    while (got.length < count && Date.now() < deadline) {
      const batch = await consumer.poll({ maxRecords: 1_000, maxBytes: 16 << 20, maxWaitMs: 5_000 });
      got.push(...batch.map((r) => r.value?.toString() ?? '<null>'));
    }
    return got;
  } finally {
    await consumer.stop();
  }
}

async function createTopics(topics: string[]): Promise<void> {
  await admin.createTopics(topics.map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })));
}

describe('compression codecs against Apache Kafka 3.9.1', () => {
  it("reads every codec that Kafka's console producer writes", async () => {
    // Prepare
    const topics = Object.fromEntries(CODECS.map((c) => [c, uniqueName(`from-java-${c}`)]));
    await createTopics(Object.values(topics));
    // Act: ConsoleProducer takes its codec from --compression-codec (it overrides compression.type).
    await Promise.all(
      CODECS.map((codec) =>
        java(
          'kafka.tools.ConsoleProducer',
          ['--bootstrap-server', KAFKA_BROKERS[0]!, '--topic', topics[codec]!]
            .concat(['--compression-codec', codec, '--batch-size', String(1 << 20), '--timeout', '500'])
            .concat(['--producer-property', `batch.size=${1 << 20}`]),
          `${values(codec).join('\n')}\n`,
        ),
      ),
    );
    const read = await Promise.all(CODECS.map((codec) => consumeAll(topics[codec]!, N)));
    const stored = await dumpLogs(Object.values(topics));
    // Assess: every value exactly, from batches Kafka stored with that codec.
    CODECS.forEach((codec, i) => {
      expect(read[i], codec).toEqual(values(codec));
      expect([...stored.get(topics[codec]!)!.codecs], codec).toEqual([codec]);
    });
  });

  it('writes every codec so that Kafka reads it back', async () => {
    // Prepare
    const topics = Object.fromEntries(CODECS.map((c) => [c, uniqueName(`to-java-${c}`)]));
    await createTopics(Object.values(topics));
    // Act: one send per codec, so each partition gets one batch of about 120 kB.
    await Promise.all(
      CODECS.map(async (compression) => {
        const producer = new RecordProducer(kafka, { compression });
        try {
          await producer.send(
            values(compression).map((v) => ({
              topic: topics[compression]!,
              partition: 0,
              key: null,
              value: Buffer.from(v),
              headers: [],
            })),
          );
        } finally {
          await producer.disconnect();
        }
      }),
    );
    const stored = await dumpLogs(Object.values(topics));
    const readBack = await Promise.all(CODECS.map((codec) => consumeAll(topics[codec]!, N)));
    // Assess
    CODECS.forEach((codec, i) => {
      const dump = stored.get(topics[codec]!)!;
      expect([...dump.codecs], codec).toEqual([codec]);
      expect(dump.values, codec).toEqual(values(codec));
      expect(readBack[i], codec).toEqual(values(codec));
    });
  });

  describe('through a connector config', () => {
    let fx: ConnectFixture;
    beforeAll(async () => {
      fx = await connectFixture('compression');
    });
    afterAll(() => fx.dispose());

    it('accepts producer.override.compression.type=zstd and the source lands its records compressed', async () => {
      // Prepare
      const dir = mkdtempSync(join(tmpdir(), 'sc-compression-'));
      const file = join(dir, 'in.txt');
      const lines = values('source');
      writeFileSync(file, `${lines.join('\n')}\n`);
      const topic = uniqueName('zstd-source');
      await createTopics([topic]);
      // Act
      await fx.create(uniqueName('zstd-src'), {
        'connector.class': 'FileStreamSource',
        file,
        topic,
        'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'producer.override.compression.type': 'zstd',
      });
      const consumer = new BoundedConsumer(kafka, { groupId: uniqueName('compression'), topics: [topic] });
      const read: string[] = [];
      try {
        await fx.until(async () => {
          const batch = await consumer.poll({ maxRecords: 1_000, maxBytes: 16 << 20, maxWaitMs: 500 });
          read.push(...batch.map((r) => r.value?.toString() ?? '<null>'));
          return read.length >= N;
        });
      } finally {
        await consumer.stop();
      }
      const dump = (await dumpLogs([topic])).get(topic)!;
      // Assess
      expect(read).toEqual(lines);
      expect([...dump.codecs]).toEqual(['zstd']);
      expect(dump.values).toEqual(lines);
    });
  });
});
