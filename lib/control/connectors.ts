import { AlreadyExistsError, NotFoundError } from '../api/errors.js';
import { connectorNameError, isStorableConnectorName } from '../config/connector-name.js';
import { addConfigErrors } from '../config/limits.js';
import { mappedTopic, sinkGroupId } from '../config/sink-routing.js';
import { invalidConfigMessage } from '../config/validate-connector.js';
import type { WorkerLimits } from '../config/worker-properties.js';
import { ConflictError, type ConnectorRecord, MissingError, type TargetState } from '../store/index.js';
import type { HerderContext } from './context.js';
import { type ConnectorInfo, connectorInfo, type TaskInfo } from './entities.js';
import { BadRequestError, RestError, STALE_CONFIG_MESSAGE } from './errors.js';
import { dropSinkMapping, syncSinkMapping } from './sink-sync.js';
import { writeStatuses } from './statuses.js';
import { computeTaskConfigs } from './task-configs.js';
import { type RawConfig, validateConfig } from './validate.js';

/** POST's `initial_state` (KIP-980), case-insensitive, mapped onto the target state. */
export const INITIAL_STATES: Record<string, TargetState> = {
  RUNNING: 'STARTED',
  PAUSED: 'PAUSED',
  STOPPED: 'STOPPED',
};

/** What the writes need beyond the shared context: the worker's limits (`createHerder`'s `limits`). */
export type WriteContext = HerderContext & { limits?: WorkerLimits };

export interface CreateRequest {
  name: string;
  config: RawConfig;
  /** `RUNNING` | `PAUSED` | `STOPPED`, any case; absent = RUNNING. */
  initialState?: string;
}

/** POST /connectors: 409 when the name is taken, else the new connector's info. */
export async function createConnector(ctx: WriteContext, request: CreateRequest): Promise<ConnectorInfo> {
  const name = javaTrim(request.name);
  const targetState = parseInitialState(request.initialState);
  const config = await checkedConfig(ctx, name, request.config, { create: true });
  const record = await createRecord(ctx, name, config, targetState);
  if (!record) throw new AlreadyExistsError(`Connector ${name} already exists`);
  return connectorInfo(record);
}

/** PUT /connectors/{c}/config: an upsert that keeps the target state; `created` tells 201 from 200. */
export async function putConnectorConfig(
  ctx: WriteContext,
  name: string,
  raw: RawConfig,
): Promise<{ created: boolean; info: ConnectorInfo }> {
  // A name no table can hold cannot exist: this PUT is a create, and the name rule refuses it.
  const exists = isStorableConnectorName(name) && (await ctx.store.configs.get(name)) !== undefined;
  const config = await checkedConfig(ctx, name, raw, { create: !exists });
  if (!exists) {
    const record = await createRecord(ctx, name, config, 'STARTED');
    if (record) return { created: true, info: connectorInfo(record) };
    // Someone created it between our read and our create: this PUT becomes an update of theirs.
  }
  return { created: false, info: connectorInfo(await updateRecord(ctx, name, config)) };
}

/** PATCH /connectors/{c}/config (KIP-477): merge, `null` removes a key, then a validated replace. */
export async function patchConnectorConfig(
  ctx: WriteContext,
  name: string,
  patch: RawConfig,
): Promise<ConnectorInfo> {
  const current = await ctx.store.configs.get(name);
  if (!current) throw new NotFoundError(`Connector ${name} not found`);
  const merged: Record<string, string> = { ...current.config };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  const config = await checkedConfig(ctx, name, merged, { create: false });
  return connectorInfo(await updateRecord(ctx, name, config));
}

/** DELETE /connectors/{c}: config and statuses go; offsets and the sink's consumer group stay (as Kafka). */
export async function deleteConnector(ctx: HerderContext, name: string): Promise<void> {
  const record = await ctx.store.configs.get(name);
  if (!record) throw new NotFoundError(`Connector ${name} not found`);
  try {
    await ctx.store.configs.delete(name);
  } catch (error) {
    if (error instanceof MissingError) throw new NotFoundError(`Connector ${name} not found`);
    throw error;
  }
  await ctx.store.status.deleteAll(name);
  if (record.type === 'sink') await dropSinkMapping(ctx, name);
}

export async function getConnector(ctx: HerderContext, name: string): Promise<ConnectorRecord> {
  const record = await ctx.store.configs.get(name);
  if (!record) throw new NotFoundError(`Connector ${name} not found`);
  return record;
}

export async function taskInfos(ctx: HerderContext, name: string): Promise<TaskInfo[]> {
  const record = await getConnector(ctx, name);
  return record.taskConfigs.map((config, task) => ({ id: { connector: name, task }, config }));
}

/** The deprecated `tasks-config` view: `{"<c>-<n>": config}`. */
export async function tasksConfig(
  ctx: HerderContext,
  name: string,
): Promise<Record<string, Record<string, string>>> {
  const record = await getConnector(ctx, name);
  return Object.fromEntries(record.taskConfigs.map((config, task) => [`${name}-${task}`, config]));
}

function parseInitialState(value: string | undefined): TargetState {
  if (value === undefined || value === null) return 'STARTED';
  const state = INITIAL_STATES[String(value).toUpperCase()];
  if (!state) {
    throw new BadRequestError(`Invalid initial_state '${value}'; it must be one of RUNNING, PAUSED, STOPPED`);
  }
  return state;
}

/**
 * The name rule of `checkAndPutConnectorConfigName`, then full validation (the worker's limits
 * included, on resolved values) and, for a new connector, the name rule of `connector-name.ts`: 400
 * before anything is written, every problem in Kafka's "Connector configuration is invalid…" message.
 * An existing connector keeps its name, so a name stored before the rule can still be updated.
 */
async function checkedConfig(
  ctx: WriteContext,
  name: string,
  raw: RawConfig,
  options: { create: boolean },
): Promise<Record<string, string>> {
  const included = raw.name;
  if (included !== undefined && included !== null && included !== name) {
    throw new BadRequestError(
      `Connector name configuration (${included}) doesn't match connector name in the URL (${name})`,
    );
  }
  const config = { ...raw, name };
  const infos = await validateConfig(ctx, config);
  const nameError = options.create ? connectorNameError(name) : undefined;
  const nameReported = infos.configs.some((c) => c.value?.name === 'name' && c.value.errors.length > 0);
  if (nameError && !nameReported) addConfigErrors(infos, new Map([['name', nameError]]), config);
  const groupError = mappingGroupError(ctx, name, config);
  if (groupError) addConfigErrors(infos, new Map([groupError]), config);
  const message = invalidConfigMessage(infos);
  if (message) throw new BadRequestError(message);
  return config as Record<string, string>;
}

/**
 * On AWS a sink fed by an event source mapping consumes in `connect-<name>` (or its group override), and
 * Lambda takes fewer characters there than Kafka does: refused before the config is stored, on the key
 * that decides the group, rather than stored and never run.
 */
function mappingGroupError(
  ctx: HerderContext,
  name: string,
  config: Readonly<Record<string, string | null>>,
): [string, string] | undefined {
  const check = ctx.sinkMappings.groupIdProblem;
  if (!check) return undefined;
  const strings = config as Record<string, string>;
  const record = { name, config: strings, type: ctx.plugins.connectorType(strings['connector.class'] ?? '') };
  if (record.type !== 'sink' || mappedTopic(record as ConnectorRecord) === undefined) return undefined;
  const problem = check(sinkGroupId(record));
  if (!problem) return undefined;
  return [strings['consumer.override.group.id']?.trim() ? 'consumer.override.group.id' : 'name', problem];
}

/** Stores a new connector and its first statuses; undefined when the name is taken. */
async function createRecord(
  ctx: HerderContext,
  name: string,
  config: Record<string, string>,
  targetState: TargetState,
): Promise<ConnectorRecord | undefined> {
  const computed = targetState === 'STOPPED' ? { taskConfigs: [] } : await computeTaskConfigs(ctx, config);
  const type = ctx.plugins.connectorType(config['connector.class'] ?? '');
  let record: ConnectorRecord;
  try {
    record = await ctx.store.configs.create({
      name,
      config,
      type,
      targetState,
      taskConfigs: computed.taskConfigs,
    });
  } catch (error) {
    // Closes the double-create race: the conditional put lets exactly one creator win.
    if (error instanceof ConflictError) return undefined;
    throw error;
  }
  await writeStatuses(ctx, record, { failure: 'failure' in computed ? computed.failure : undefined });
  await syncSinkMapping(ctx, record);
  return record;
}

/** Replaces the config of an existing connector, keeping its target state; generation + 1. */
async function updateRecord(
  ctx: HerderContext,
  name: string,
  config: Record<string, string>,
): Promise<ConnectorRecord> {
  const before = await ctx.store.configs.get(name);
  if (!before) throw new NotFoundError(`Connector ${name} not found`);
  const computed = before.targetState === 'STOPPED' ? undefined : await computeTaskConfigs(ctx, config);
  const type = ctx.plugins.connectorType(config['connector.class'] ?? '');
  let previousTaskCount = 0;
  let record: ConnectorRecord;
  try {
    record = await ctx.store.configs.update(
      name,
      (current) => {
        previousTaskCount = current.taskConfigs.length;
        // A stop that landed meanwhile wins over our task configs: STOPPED means none. A connector that
        // fails keeps its tasks, as Kafka's keep running when reconfiguration fails.
        const taskConfigs =
          current.targetState === 'STOPPED'
            ? []
            : computed?.failure
              ? current.taskConfigs
              : (computed?.taskConfigs ?? []);
        return { ...current, config, type, taskConfigs };
      },
      { maxAttempts: ctx.maxAttempts },
    );
  } catch (error) {
    if (error instanceof MissingError) throw new NotFoundError(`Connector ${name} not found`);
    if (error instanceof ConflictError) throw new RestError(409, STALE_CONFIG_MESSAGE, { cause: error });
    throw error;
  }
  await writeStatuses(ctx, record, { failure: computed?.failure, previousTaskCount });
  await syncSinkMapping(ctx, record);
  return record;
}

/** Java's `String.trim`: strips every char up to U+0020 at both ends, control characters included. */
export function javaTrim(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && value.charCodeAt(start) <= 0x20) start++;
  while (end > start && value.charCodeAt(end - 1) <= 0x20) end--;
  return value.slice(start, end);
}
