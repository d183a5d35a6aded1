import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateAliasCommand,
  CreateEventSourceMappingCommand,
  DeleteAliasCommand,
  DeleteEventSourceMappingCommand,
  type EventSourceMappingConfiguration,
  GetEventSourceMappingCommand,
  type LambdaClient,
  ListAliasesCommand,
  type ListAliasesCommandOutput,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
  type UpdateEventSourceMappingCommandInput,
} from '@aws-sdk/client-lambda';
import { eventSourceMappingGroupIdProblem } from '../config/connector-name.js';
import { sinkAlias } from '../config/sink-routing.js';
import { createInput, groupOf, type KafkaEventSource } from './esm-mapping-input.js';
import type {
  MappingSnapshot,
  MappingView,
  ReconcileReport,
  SinkMappingSpec,
  SinkMappings,
} from './sink-mappings.js';

export interface AwsSinkMappingsOptions {
  /** Only `send` is used; tests pass a fake that records commands. */
  client: Pick<LambdaClient, 'send'>;
  /** Name or ARN of the sink function the mappings invoke. */
  functionName: string;
  source: KafkaEventSource;
  /**
   * Records per batch handed to the sink function when the connector sets no
   * `consumer.override.max.poll.records`: Lambda's most, since every invocation has a fixed cost (a
   * Kafka Connect sink polls 500 at a time, but in a loop that has none). The 6 MB payload cap still
   * bounds a batch of large records. @default 10000
   */
  batchSize?: number;
  /** How long `ensure` waits for a replaced mapping to finish `Deleting`. @default 5000 */
  replaceWaitMs?: number;
  /**
   * How long an update waits for a mapping in `Creating`, `Enabling`, `Disabling` or `Updating` to
   * settle, since Lambda refuses to change it meanwhile (ResourceInUseException). A mapping being
   * disabled stays `Disabling` until its poller has stopped, which on AWS can take a while. @default 10000
   */
  settleWaitMs?: number;
}

/** The largest `BatchSize` Lambda accepts for a Kafka event source mapping. */
const ESM_MAX_BATCH_SIZE = 10_000;

/**
 * SinkMappings on Lambda event source mappings. Lambda allows one topic per Kafka mapping, so a sink
 * connector with one topic gets exactly one mapping, in group `connect-<name>`, invoking the connector's
 * own alias of the sink function (`sinkAlias`, pointing at `$LATEST`): the alias is how the function
 * knows whose batch it got. A sink with several topics or `topics.regex` gets none and is driven by the
 * bounded kafkajs poller instead. A mapping's topic cannot be updated, so a topic change deletes it and
 * creates a new one. Every call is idempotent: "already exists" and "not found" count as done.
 */
export function awsSinkMappings(options: AwsSinkMappingsOptions): SinkMappings {
  const { functionName } = options;
  // Every Lambda API call goes through here, so a snapshot and a reconcile can say what they cost.
  let sent = 0;
  const client = {
    send: ((command: never) => {
      sent++;
      return options.client.send(command);
    }) as Pick<LambdaClient, 'send'>['send'],
  };
  const qualified = (connector: string) => `${functionName}:${sinkAlias(connector)}`;
  // The function's name, whether it was given by name or by ARN: mappings carry the full ARN.
  const bareName = functionName.startsWith('arn:') ? functionName.split(':')[6] : functionName;
  const batchSizeOf = (spec: SinkMappingSpec) =>
    // `max.poll.records` is an upper bound, and a Kafka mapping takes at most 10,000 records a batch.
    Math.min(spec.batchSize ?? options.batchSize ?? ESM_MAX_BATCH_SIZE, ESM_MAX_BATCH_SIZE);
  const matches = (m: { topic?: string; groupId?: string }, topic: string, spec: SinkMappingSpec) =>
    m.topic === topic && m.groupId === spec.groupId;

  /** The connector's mappings: those invoking its alias. */
  async function find(connector: string): Promise<EventSourceMappingConfiguration[]> {
    const found: EventSourceMappingConfiguration[] = [];
    let Marker: string | undefined;
    do {
      const page = await client.send(
        new ListEventSourceMappingsCommand({ FunctionName: qualified(connector), Marker }),
      );
      found.push(...(page.EventSourceMappings ?? []));
      Marker = page.NextMarker;
    } while (Marker);
    return found;
  }

  async function remove(mappings: EventSourceMappingConfiguration[]): Promise<void> {
    for (const m of mappings) {
      await idempotent(() => client.send(new DeleteEventSourceMappingCommand({ UUID: m.UUID })));
    }
  }

  async function removeAll(connector: string): Promise<void> {
    await remove(await find(connector));
    await idempotent(() =>
      client.send(new DeleteAliasCommand({ FunctionName: functionName, Name: sinkAlias(connector) })),
    );
  }

  /**
   * Waits (bounded) until the mappings deleted are gone: a `Deleting` mapping still holds its consumer
   * group, so a replacement in the same group is refused until then.
   */
  async function gone(connector: string, uuids: readonly (string | undefined)[]): Promise<void> {
    const end = Date.now() + (options.replaceWaitMs ?? 5_000);
    for (let wait = 100; ; wait = Math.min(wait * 2, 1_000)) {
      const left = (await find(connector)).filter((m) => uuids.includes(m.UUID));
      if (left.length === 0 || Date.now() + wait > end) return;
      await sleep(wait);
    }
  }

  /**
   * Runs `update` once the mapping has settled (`Enabled` or `Disabled`), waiting a bounded time while
   * it is in a transitional state; a ResourceInUseException (another caller changed it just before)
   * sends it back to waiting. At the end it is tried once more whatever the state, so Lambda's own
   * refusal says why; a mapping deleted meanwhile needs nothing.
   */
  async function whenSettled(
    mapping: EventSourceMappingConfiguration,
    update: (settled: EventSourceMappingConfiguration) => Promise<unknown>,
  ): Promise<void> {
    const end = Date.now() + (options.settleWaitMs ?? 10_000);
    let current = mapping;
    for (let wait = 100; ; wait = Math.min(wait * 2, 1_000)) {
      const last = Date.now() + wait > end;
      if (last || isSettled(current.State)) {
        try {
          await update(current);
          return;
        } catch (error) {
          if (last || (error as { name?: string }).name !== 'ResourceInUseException') throw error;
        }
      }
      await sleep(wait);
      try {
        current = await client.send(new GetEventSourceMappingCommand({ UUID: current.UUID }));
      } catch (error) {
        if ((error as { name?: string }).name === 'ResourceNotFoundException') return;
        throw error;
      }
    }
  }

  async function createAlias(connector: string): Promise<void> {
    await idempotent(() =>
      client.send(
        new CreateAliasCommand({
          FunctionName: functionName,
          Name: sinkAlias(connector),
          FunctionVersion: '$LATEST',
          Description: `Serverless Connect sink connector ${connector}`.slice(0, 256),
        }),
      ),
    );
  }

  /** Enabled and BatchSize as `spec` wants them, in one update; nothing when they already are. */
  async function align(mapping: MappingView, spec: SinkMappingSpec): Promise<boolean> {
    const update = alignment(mapping, spec);
    if (update === undefined) return false;
    await client.send(new UpdateEventSourceMappingCommand(update));
    return true;
  }

  /** The update that gives `mapping` the Enabled and BatchSize `spec` wants; undefined when it has them. */
  function alignment(
    mapping: MappingView,
    spec: SinkMappingSpec,
  ): UpdateEventSourceMappingCommandInput | undefined {
    const update: UpdateEventSourceMappingCommandInput = { UUID: mapping.uuid };
    if (isEnabled(mapping.state) !== spec.enabled) update.Enabled = spec.enabled;
    if (mapping.batchSize !== undefined && mapping.batchSize !== batchSizeOf(spec))
      update.BatchSize = batchSizeOf(spec);
    return update.Enabled === undefined && update.BatchSize === undefined ? undefined : update;
  }

  async function create(connector: string, topic: string, spec: SinkMappingSpec): Promise<void> {
    try {
      await client.send(
        new CreateEventSourceMappingCommand(
          createInput(options.source, qualified(connector), connector, topic, spec, batchSizeOf(spec)),
        ),
      );
    } catch (error) {
      // The SDK sends a create again when its reply is lost (a timeout, a reset); the second one
      // finds the group taken by the first. That is done, if the mapping is the one meant here.
      if ((error as { name?: string }).name !== 'ResourceConflictException') throw error;
      const now = (await find(connector)).map(view);
      if (!now.some((m) => matches(m, topic, spec) && m.state !== 'Deleting')) throw error;
    }
  }

  return {
    groupIdProblem: eventSourceMappingGroupIdProblem,
    feedsSinks: true,
    async ensure(connector: string, spec: SinkMappingSpec) {
      const topic = spec.topics.length === 1 ? spec.topics[0] : undefined;
      if (topic === undefined) return removeAll(connector);
      const existing = await find(connector);
      // Topic and group cannot be updated on a mapping: a change replaces it.
      const keep = existing.filter((m) => matches(view(m), topic, spec) && m.State !== 'Deleting');
      const replaced = existing.filter((m) => !keep.includes(m));
      await remove(replaced);
      if (keep.length > 0) {
        for (const m of keep) {
          if (alignment(view(m), spec) !== undefined)
            await whenSettled(m, (settled) => align(view(settled), spec));
        }
        return;
      }
      await createAlias(connector);
      // The replacement takes the same group: wait for the old mapping to let go of it. Should it take
      // longer, the create fails here and the dispatcher's reconciler makes the mapping on a later tick.
      if (replaced.length > 0)
        await gone(
          connector,
          replaced.map((m) => m.UUID),
        );
      await create(connector, topic, spec);
    },
    async setEnabled(connector: string, enabled: boolean) {
      for (const m of await find(connector)) {
        // Already so, or on its way there; a mapping being deleted is left to its fate.
        if (m.State === 'Deleting' || m.State === (enabled ? 'Enabling' : 'Disabling')) continue;
        if (isSettled(m.State) && isEnabled(m.State) === enabled) continue;
        await whenSettled(m, async (settled) => {
          if (isEnabled(settled.State) === enabled) return;
          await client.send(new UpdateEventSourceMappingCommand({ UUID: m.UUID, Enabled: enabled }));
        });
      }
    },
    remove: removeAll,

    async snapshot(): Promise<MappingSnapshot> {
      const before = sent;
      const mappings: MappingView[] = [];
      // One List for the whole deployment, not one per connector: the mappings of every function in the
      // account and region, kept when they invoke a connector alias of our sink function.
      let Marker: string | undefined;
      do {
        const page = await client.send(new ListEventSourceMappingsCommand({ Marker, MaxItems: 100 }));
        for (const m of page.EventSourceMappings ?? []) {
          const [, , , , , , fn, qualifier] = (m.FunctionArn ?? '').split(':');
          if (fn === bareName && qualifier?.startsWith(ALIAS_PREFIX)) mappings.push(view(m));
        }
        Marker = page.NextMarker;
      } while (Marker);
      const aliases: string[] = [];
      Marker = undefined;
      do {
        const page: ListAliasesCommandOutput = await client.send(
          new ListAliasesCommand({ FunctionName: functionName, Marker }),
        );
        for (const a of page.Aliases ?? []) if (a.Name?.startsWith(ALIAS_PREFIX)) aliases.push(a.Name);
        Marker = page.NextMarker;
      } while (Marker);
      return { mappings, aliases, calls: sent - before };
    },

    async reconcile(snapshot, wanted): Promise<ReconcileReport> {
      const before = sent;
      const report: ReconcileReport = {
        created: [],
        deleted: [],
        aliasesDeleted: [],
        updated: [],
        errors: [],
        calls: snapshot.calls,
      };
      const attempt = async (what: string, call: () => Promise<unknown>): Promise<boolean> => {
        try {
          await call();
          return true;
        } catch (error) {
          report.errors.push(`${what}: ${(error as Error).name}: ${(error as Error).message}`);
          return false;
        }
      };
      const byAlias = new Map<string, MappingView[]>();
      for (const m of snapshot.mappings) byAlias.set(m.alias, [...(byAlias.get(m.alias) ?? []), m]);
      const wantedAliases = new Map([...wanted.keys()].map((c) => [sinkAlias(c), c]));
      const settled = (m: MappingView) => m.state === 'Enabled' || m.state === 'Disabled';
      const drop = async (m: MappingView) => {
        if (m.state === 'Deleting') return;
        if (await attempt(`delete mapping ${m.uuid}`, () => deleteMapping(client, m.uuid)))
          report.deleted.push(m.uuid);
      };

      for (const [connector, spec] of wanted) {
        const topic = spec.topics.length === 1 ? spec.topics[0] : undefined;
        const mine = byAlias.get(sinkAlias(connector)) ?? [];
        const keep = topic === undefined ? [] : mine.filter((m) => matches(m, topic, spec));
        for (const m of mine.filter((m) => !keep.includes(m))) await drop(m);
        if (topic === undefined) continue;
        const live = keep.filter((m) => m.state !== 'Deleting');
        if (live.length === 0) {
          // Missing (a create that failed half-way, a mapping deleted by hand): made again. A group
          // still held by a mapping being deleted refuses it; the next tick tries again.
          const made = await attempt(`create mapping of ${connector}`, async () => {
            if (!snapshot.aliases.includes(sinkAlias(connector))) await createAlias(connector);
            await create(connector, topic, spec);
          });
          if (made) report.created.push(connector);
          continue;
        }
        for (const m of live.filter(settled)) {
          const differs = isEnabled(m.state) !== spec.enabled || m.batchSize !== batchSizeOf(spec);
          if (differs && (await attempt(`update mapping ${m.uuid} of ${connector}`, () => align(m, spec))))
            report.updated.push(m.uuid);
        }
      }
      // Orphans: mappings and aliases of connectors that no longer exist (or are no longer mapped).
      for (const [alias, mappings] of byAlias) {
        if (!wantedAliases.has(alias)) for (const m of mappings) await drop(m);
      }
      for (const alias of snapshot.aliases) {
        if (wantedAliases.has(alias)) continue;
        const done = await attempt(`delete alias ${alias}`, () =>
          idempotent(() => client.send(new DeleteAliasCommand({ FunctionName: functionName, Name: alias }))),
        );
        if (done) report.aliasesDeleted.push(alias);
      }
      report.calls += sent - before;
      return report;
    },
  };
}

const ALIAS_PREFIX = 'sc-';

function isEnabled(state: string | undefined): boolean {
  return state !== 'Disabled' && state !== 'Disabling';
}

/** Whether Lambda accepts a change to a mapping in `state` (it refuses one in transition). */
function isSettled(state: string | undefined): boolean {
  return state === 'Enabled' || state === 'Disabled';
}

async function deleteMapping(client: Pick<LambdaClient, 'send'>, UUID: string): Promise<void> {
  await idempotent(() => client.send(new DeleteEventSourceMappingCommand({ UUID })));
}

function view(m: EventSourceMappingConfiguration): MappingView {
  return {
    uuid: m.UUID ?? '',
    alias: (m.FunctionArn ?? '').split(':')[7] ?? '',
    topic: m.Topics?.[0],
    groupId: groupOf(m),
    state: m.State,
    batchSize: m.BatchSize,
  };
}

/** Runs a create or delete whose goal may already be reached (a retried request, a concurrent one). */
async function idempotent(call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name !== 'ResourceNotFoundException' && name !== 'ResourceConflictException') throw error;
  }
}
