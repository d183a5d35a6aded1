import { randomInt } from 'node:crypto';
import {
  ConnectHeaders,
  type ConnectorProps,
  Schemas,
  SourceConnector,
  SourceRecord,
  SourceTask,
  type Struct,
} from '../../api/index.js';
import {
  CURRENT_ITERATION,
  datagenConfigDef,
  ITERATIONS,
  KAFKA_TOPIC,
  MAX_INTERVAL,
  QUICKSTART,
  RANDOM_SEED,
  SCHEMA_KEYFIELD,
  TASK_GENERATION,
  TASK_ID,
  VERSION,
} from './config.js';
import { QUICKSTARTS, type Quickstart } from './quickstarts.js';
import { foldSeed, SeededRandom } from './random.js';

/** Records one poll may answer, so a poll returns well within a second even with max.interval=0. */
const MAX_PER_POLL = 1_000;
/** Longest a poll waits for the next record's time. */
const MAX_WAIT_MS = 500;

/**
 * Generates mock data: Confluent's `io.confluent.kafka.connect.datagen.DatagenConnector`. Each of
 * `tasks.max` tasks generates `iterations` records with its own random stream.
 */
export class DatagenConnector extends SourceConnector {
  static readonly CLASS_NAME = 'io.confluent.kafka.connect.datagen.DatagenConnector';
  private props: ConnectorProps = {};

  version = () => VERSION;
  config = datagenConfigDef;
  taskClass = () => DatagenTask;

  start(props: ConnectorProps): void {
    datagenConfigDef().parse(props);
    this.props = props;
  }

  taskConfigs(maxTasks: number): Record<string, string>[] {
    return Array.from({ length: maxTasks }, (_, i) => ({ ...this.props, [TASK_ID]: String(i) }));
  }

  stop(): void {}
}

/**
 * One task's generator. Offsets as Confluent's: partition `{task.id}`, offset `{task.generation,
 * current.iteration, random.seed}` — the state to resume from, so a restart continues the same sequence.
 * The generator is re-seeded after every record, so the stored seed is the whole random state.
 */
export class DatagenTask extends SourceTask {
  private quickstart!: Quickstart;
  private topic = '';
  private keyField = '';
  private maxInterval = 0;
  private iterations = 0;
  private taskId = 0;
  private generation = 0;
  private count = 0;
  private random!: SeededRandom;
  private nextAt = 0;
  private restored = false;
  private stopped = false;

  version = () => VERSION;

  start(props: Readonly<Record<string, string>>): void {
    const p = datagenConfigDef().parse(props);
    this.quickstart = QUICKSTARTS[String(p[QUICKSTART]).toLowerCase()] as Quickstart;
    this.topic = p[KAFKA_TOPIC] as string;
    this.keyField = (p[SCHEMA_KEYFIELD] as string) || this.quickstart.keyField;
    this.maxInterval = Number(p[MAX_INTERVAL]);
    this.iterations = p[ITERATIONS] as number;
    this.taskId = Number.parseInt(props[TASK_ID] ?? '0', 10);
    const seed = p[RANDOM_SEED];
    this.random = new SeededRandom(seed === null ? randomInt(2 ** 32) : foldSeed(seed as number));
    // Each task advances the stream by its id, so tasks with one seed still generate different data.
    if (seed !== null) for (let i = 0; i < this.taskId; i++) this.random.reseed(this.random.nextUint32());
  }

  private get partition() {
    return { [TASK_ID]: this.taskId };
  }

  async poll(): Promise<SourceRecord[] | null> {
    if (!this.restored) {
      const offset = await this.context.offsetStorageReader().offset(this.partition);
      if (offset) {
        this.generation = Number(offset[TASK_GENERATION]);
        this.count = Number(offset[CURRENT_ITERATION]);
        this.random.reseed(Number(offset[RANDOM_SEED]));
      }
      this.restored = true;
    }
    // Confluent fails the task once iterations are done; here the task simply goes idle.
    if (this.stopped || (this.iterations > 0 && this.count >= this.iterations)) return null;
    const wait = this.nextAt - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, Math.min(wait, MAX_WAIT_MS)));
    const records: SourceRecord[] = [];
    while (records.length < MAX_PER_POLL && this.nextAt <= Date.now()) {
      if (this.iterations > 0 && this.count >= this.iterations) break;
      records.push(this.generate());
      this.nextAt =
        (this.nextAt || Date.now()) + (this.maxInterval > 0 ? Math.random() * this.maxInterval : 0);
    }
    return records;
  }

  private generate(): SourceRecord {
    const value = this.quickstart.generate(this.random, this.count);
    const key = String((value as Struct).get(this.keyField) ?? '');
    const seed = this.random.nextUint32();
    this.random.reseed(seed);
    const headers = new ConnectHeaders()
      .addLong(TASK_GENERATION, this.generation)
      .addLong(TASK_ID, this.taskId)
      .addLong(CURRENT_ITERATION, this.count);
    const record = new SourceRecord({
      sourcePartition: this.partition,
      sourceOffset: {
        [TASK_GENERATION]: this.generation + 1,
        [CURRENT_ITERATION]: this.count + 1,
        [RANDOM_SEED]: seed,
      },
      topic: this.topic,
      keySchema: Schemas.STRING,
      key,
      valueSchema: this.quickstart.schema,
      value,
      headers,
    });
    this.count++;
    return record;
  }

  stop(): void {
    this.stopped = true;
  }
}
