/**
 * kafkajs against @platformatic/kafka on our two hot paths, same broker, same run (issue 13):
 *   produce: N records to a fresh 3-partition topic, idempotent, acks=all, in the calls
 *     RecordProducer.send makes of a source batch's 10k records (chunks under 0.88 × 1 MiB, awaited one
 *     after another), timed until the last one is acknowledged;
 *   consume + commit: the same N records in a fresh group, committing the next offsets after every 10k
 *     records as the sink runner does after each bounded poll (commits chained, fetching on meanwhile),
 *     timed from subscribe to the last commit; the group's committed offsets are checked afterwards.
 * 100 B and 1 KB values, no key, partitions assigned round-robin by us so both clients build the same
 * batches. The clients alternate for `runs` rounds after one warm-up round each. Prints records/s (wall
 * clock) and this process's CPU per record (user+system), medians with min–max, and the ratios
 * platformatic/kafkajs. Needs the dev stack (`npm run stack -- up`).
 *
 *   sh scripts/node.sh tsx bench/kafka-clients.ts [records=200000] [runs=5]
 */
import { Consumer as PltConsumer, Producer as PltProducer, ProduceAcks } from '@platformatic/kafka';
import type { Kafka } from 'kafkajs';
import { createKafka } from '../lib/kafka/client.js';

const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const [N = 200_000, RUNS = 5] = process.argv.slice(2).map(Number);
const POLL_RECORDS = 10_000; // the worker's batch.max.records default: one send, one commit
const CHUNK_BYTES = Math.floor(1024 * 1024 * 0.88); // RecordProducer's chunk under max.request.size
const PARTITIONS = 3;
const FETCH = { maxWaitMs: 500, maxBytesPerPartition: 8 * 1024 * 1024, maxBytes: 32 * 1024 * 1024 };
const id = Date.now().toString(36);
const kafka = createKafka({ brokers: BROKERS });

interface Sample {
  seconds: number;
  cpuMicros: number;
}
type Client = 'kafkajs' | 'platformatic';
interface ClientImpl {
  produce(topic: string, chunks: Chunk[]): Promise<void>;
  /** Answers the value bytes it read. */
  consume(topic: string, groupId: string, n: number): Promise<number>;
}
interface Chunk {
  partitions: number[];
  values: Buffer[];
}

/** The calls RecordProducer.send makes: 10k records per send, cut where the next would pass CHUNK_BYTES. */
function chunksOf(n: number, size: number): Chunk[] {
  const value = Buffer.alloc(size, 'x');
  const chunks: Chunk[] = [];
  for (let start = 0; start < n; start += POLL_RECORDS) {
    const end = Math.min(n, start + POLL_RECORDS);
    let chunk: Chunk = { partitions: [], values: [] };
    let bytes = 0;
    for (let i = start; i < end; i++) {
      const recordBytes = size + 70;
      if (chunk.values.length > 0 && bytes + recordBytes > CHUNK_BYTES) {
        chunks.push(chunk);
        chunk = { partitions: [], values: [] };
        bytes = 0;
      }
      bytes += recordBytes;
      chunk.partitions.push(i % PARTITIONS);
      chunk.values.push(value);
    }
    chunks.push(chunk);
  }
  return chunks;
}

/** Next offsets per partition, committed every POLL_RECORDS records and at the end, one commit at a time. */
class Committer {
  private pending = new Map<number, bigint>();
  private sincePoll = 0;
  private seen = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly n: number,
    private readonly commit: (next: Map<number, bigint>) => Promise<void>,
  ) {}

  /** Answers the commit chain once the n-th record was seen. */
  take(partition: number, offset: bigint, count: number): Promise<void> | undefined {
    this.pending.set(partition, offset + 1n);
    this.seen += count;
    this.sincePoll += count;
    if (this.sincePoll >= POLL_RECORDS || this.seen >= this.n) {
      const next = this.pending;
      this.pending = new Map();
      this.sincePoll = 0;
      this.chain = this.chain.then(() => this.commit(next));
    }
    return this.seen >= this.n ? this.chain : undefined;
  }
}

function kafkajsClient(kafka: Kafka): ClientImpl {
  return {
    async produce(topic, chunks) {
      // RecordProducer's settings: idempotent (acks=all), 5 in flight.
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 5 });
      await producer.connect();
      await time.start();
      for (const { partitions, values } of chunks) {
        const messages = values.map((value, i) => ({ key: null, value, partition: partitions[i] }));
        await producer.sendBatch({ topicMessages: [{ topic, messages }], acks: -1 });
      }
      time.stop();
      await producer.disconnect();
    },
    async consume(topic, groupId, n) {
      // BoundedConsumer's settings.
      const consumer = kafka.consumer({
        groupId,
        maxWaitTimeInMs: FETCH.maxWaitMs,
        maxBytesPerPartition: FETCH.maxBytesPerPartition,
        maxBytes: FETCH.maxBytes,
        allowAutoTopicCreation: false,
      });
      await consumer.connect();
      await time.start();
      let bytes = 0;
      await new Promise<void>((resolve, reject) => {
        const committer = new Committer(n, (next) =>
          consumer.commitOffsets(
            [...next].map(([partition, offset]) => ({ topic, partition, offset: String(offset) })),
          ),
        );
        consumer
          .subscribe({ topic, fromBeginning: true })
          .then(() =>
            consumer.run({
              autoCommit: false,
              eachBatchAutoResolve: false,
              eachBatch: async ({ batch, resolveOffset }) => {
                for (const m of batch.messages) bytes += m.value?.length ?? 0;
                const last = batch.messages.at(-1);
                if (!last) return;
                resolveOffset(last.offset);
                committer
                  .take(batch.partition, BigInt(last.offset), batch.messages.length)
                  ?.then(resolve, reject);
              },
            }),
          )
          .catch(reject);
      });
      time.stop();
      await consumer.disconnect();
      return bytes;
    },
  };
}

const platformatic: ClientImpl = {
  async produce(topic, chunks) {
    const producer = new PltProducer({
      clientId: `bench-plt-${id}`,
      bootstrapBrokers: BROKERS,
      idempotent: true,
      acks: ProduceAcks.ALL,
      autocreateTopics: false,
    });
    // Connected, producer id taken and the topic's metadata known, as kafkajs's connect leaves it.
    await producer.initIdempotentProducer({});
    await producer.metadata({ topics: [topic] });
    await time.start();
    for (const { partitions, values } of chunks) {
      await producer.send({
        messages: values.map((value, i) => ({ topic, value, partition: partitions[i]! })),
      });
    }
    time.stop();
    await producer.close();
  },
  async consume(topic, groupId, n) {
    const consumer = new PltConsumer({
      clientId: `bench-plt-${id}`,
      groupId,
      bootstrapBrokers: BROKERS,
      maxWaitTime: FETCH.maxWaitMs,
      maxBytesPerPartition: FETCH.maxBytesPerPartition,
      maxBytes: FETCH.maxBytes,
    });
    await consumer.metadata({ topics: [topic] });
    await time.start();
    const stream = await consumer.consume({
      topics: [topic],
      mode: 'committed',
      fallbackMode: 'earliest',
      autocommit: false,
    });
    const epochs = new Map<number, number>();
    const committer = new Committer(n, (next) =>
      consumer.commit({
        offsets: [...next].map(([partition, offset]) => ({
          topic,
          partition,
          offset,
          leaderEpoch: epochs.get(partition) ?? -1,
        })),
      }),
    );
    let bytes = 0;
    await new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      stream.on('data', (m) => {
        bytes += m.value?.length ?? 0;
        epochs.set(m.partition, m.leaderEpoch);
        committer.take(m.partition, m.offset, 1)?.then(resolve, reject);
      });
    });
    time.stop();
    await stream.close();
    await consumer.close();
    return bytes;
  },
};

/** The clock and CPU meter of the current run; `start` also collects garbage left by the last one. */
const time = {
  wall: 0,
  cpu: { user: 0, system: 0 } as NodeJS.CpuUsage,
  sample: undefined as Sample | undefined,
  async start(): Promise<void> {
    await new Promise((r) => setImmediate(r));
    this.wall = performance.now();
    this.cpu = process.cpuUsage();
  },
  stop(): void {
    const cpu = process.cpuUsage(this.cpu);
    this.sample = { seconds: (performance.now() - this.wall) / 1000, cpuMicros: cpu.user + cpu.system };
  },
};

const admin = kafka.admin();
await admin.connect();

async function freshTopic(name: string): Promise<string> {
  await admin.createTopics({ topics: [{ topic: name, numPartitions: PARTITIONS }], waitForLeaders: true });
  return name;
}

/** The group's committed offsets must cover every record, or the run timed the wrong thing. */
async function checkCommitted(groupId: string, topic: string, n: number): Promise<void> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const total = (offsets?.partitions ?? []).reduce((sum, p) => sum + Number(p.offset), 0);
  if (total !== n) throw new Error(`${groupId} committed ${total} of ${n} records on ${topic}`);
}

const clients: Record<Client, ClientImpl> = { kafkajs: kafkajsClient(kafka), platformatic };

/** One produce and one consume of n records by one client; answers both samples. */
async function round(client: Client, size: number, n: number, tag: string): Promise<[Sample, Sample]> {
  const impl = clients[client];
  const topic = await freshTopic(`bench-clients-${id}-${client}-${size}-${tag}`);
  await impl.produce(topic, chunksOf(n, size));
  const produced = time.sample!;
  const ends = await admin.fetchTopicOffsets(topic);
  const written = ends.reduce((sum, p) => sum + Number(p.high), 0);
  if (written !== n) throw new Error(`${client} wrote ${written} of ${n} records to ${topic}`);
  const groupId = `${topic}-group`;
  const bytes = await impl.consume(topic, groupId, n);
  const consumed = time.sample!;
  if (bytes !== n * size) throw new Error(`${client} read ${bytes} bytes of ${n * size} from ${topic}`);
  await checkCommitted(groupId, topic, n);
  return [produced, consumed];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (x: number, digits = 0) =>
  x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

interface Stats {
  rps: number;
  rpsMin: number;
  rpsMax: number;
  cpu: number;
  cpuMin: number;
  cpuMax: number;
}
function stats(samples: Sample[]): Stats {
  const rps = samples.map((s) => N / s.seconds);
  const cpu = samples.map((s) => s.cpuMicros / N);
  return {
    rps: median(rps),
    rpsMin: Math.min(...rps),
    rpsMax: Math.max(...rps),
    cpu: median(cpu),
    cpuMin: Math.min(...cpu),
    cpuMax: Math.max(...cpu),
  };
}

console.log(
  `kafkajs 2.2.4 vs @platformatic/kafka 2.12.1, Node ${process.versions.node}, ${fmt(N)} records × ${RUNS} runs, ${BROKERS.join(',')}`,
);
for (const client of ['kafkajs', 'platformatic'] as const) await round(client, 100, 20_000, 'warmup');

for (const size of [100, 1024]) {
  const samples: Record<Client, { produce: Sample[]; consume: Sample[] }> = {
    kafkajs: { produce: [], consume: [] },
    platformatic: { produce: [], consume: [] },
  };
  for (let run = 0; run < RUNS; run++) {
    // Alternate which client goes first, so neither always meets the broker right after the other.
    const order: Client[] = run % 2 === 0 ? ['kafkajs', 'platformatic'] : ['platformatic', 'kafkajs'];
    for (const client of order) {
      const [produced, consumed] = await round(client, size, N, String(run));
      samples[client].produce.push(produced);
      samples[client].consume.push(consumed);
    }
  }
  for (const path of ['produce', 'consume'] as const) {
    const label = path === 'produce' ? 'produce (acks=all, idempotent)' : 'consume + commit';
    console.log(`${label}, ${size === 100 ? '100 B' : '1 KB'} records`);
    const s = { kafkajs: stats(samples.kafkajs[path]), platformatic: stats(samples.platformatic[path]) };
    for (const client of ['kafkajs', 'platformatic'] as const) {
      const c = s[client];
      console.log(
        `  ${client.padEnd(12)} ${fmt(c.rps).padStart(9)} records/s (${fmt(c.rpsMin)}–${fmt(c.rpsMax)})   ${fmt(c.cpu, 2)} µs CPU/record (${fmt(c.cpuMin, 2)}–${fmt(c.cpuMax, 2)})`,
      );
    }
    console.log(
      `  platformatic/kafkajs: records/s ×${fmt(s.platformatic.rps / s.kafkajs.rps, 2)}, CPU per record ×${fmt(s.platformatic.cpu / s.kafkajs.cpu, 2)}`,
    );
  }
}
await admin.disconnect();
