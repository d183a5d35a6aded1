import { NotFoundError } from '../../api/errors.js';
import { isStorableConnectorName } from '../../config/connector-name.js';
import { RestError } from '../errors.js';
import type { Herder } from '../herder.js';
import type { Expansion } from '../list.js';
import { configMap, createRequest, flag } from './body.js';
import { type Route, router } from './router.js';
import type { RestReply, RestRequest } from './types.js';

const ok = (body: unknown, status = 200): RestReply => ({ status, body });
const empty = (status: number): RestReply => ({ status });
const done = async (action: Promise<void>, status: number): Promise<RestReply> => {
  await action;
  return empty(status);
};

/** Kafka's task ids are Java ints: anything else is a JAX-RS conversion failure, 404. */
function taskId(value: string | undefined): number {
  if (value === undefined || !/^-?\d+$/.test(value) || Math.abs(Number(value)) > 2 ** 31 - 1) {
    throw new RestError(404, 'HTTP 404 Not Found');
  }
  return Number(value);
}

function location(name: string): Record<string, string> {
  return { Location: `/connectors/${encodeURIComponent(name)}` };
}

/** Every path of Kafka Connect's REST API (docs/rest-api.md) onto the herder; `forward` is accepted and ignored everywhere. */
export function routes(herder: Herder): Route[] {
  const c = '/connectors/:connector';
  return [
    { method: 'GET', path: '/', handle: async () => ok(await herder.serverInfo()) },
    {
      method: 'GET',
      path: '/health',
      handle: async () => {
        const { status, body } = await herder.health();
        return ok(body, status);
      },
    },
    {
      method: 'GET',
      path: '/connectors',
      handle: async ({ request }) => {
        const expand = request.query.expand;
        if (!expand || expand.length === 0) return ok(await herder.listConnectors());
        const known = expand.filter((e): e is Expansion => e === 'status' || e === 'info');
        return ok(await herder.expandConnectors(known));
      },
    },
    {
      method: 'POST',
      path: '/connectors',
      handle: async ({ request }) => {
        const info = await herder.createConnector(createRequest(request.body));
        return { status: 201, body: info, headers: location(info.name) };
      },
    },
    { method: 'GET', path: c, handle: async ({ params }) => ok(await herder.connectorInfo(name(params))) },
    {
      method: 'DELETE',
      path: c,
      handle: ({ params }) => done(herder.deleteConnector(name(params)), 204),
    },
    {
      method: 'GET',
      path: `${c}/config`,
      handle: async ({ params }) => ok(await herder.connectorConfig(name(params))),
    },
    {
      method: 'PUT',
      path: `${c}/config`,
      handle: async ({ params, request }) => {
        const { created, info } = await herder.putConnectorConfig(newName(params), configMap(request.body));
        return created ? { status: 201, body: info, headers: location(info.name) } : ok(info);
      },
    },
    {
      method: 'PATCH',
      path: `${c}/config`,
      handle: async ({ params, request }) =>
        ok(await herder.patchConnectorConfig(name(params), configMap(request.body))),
    },
    {
      method: 'GET',
      path: `${c}/status`,
      handle: async ({ params }) => ok(await herder.connectorStatus(name(params))),
    },
    {
      method: 'GET',
      path: `${c}/tasks`,
      handle: async ({ params }) => ok(await herder.taskInfos(name(params))),
    },
    {
      method: 'GET',
      path: `${c}/tasks-config`,
      handle: async ({ params }) => ok(await herder.tasksConfig(name(params))),
    },
    {
      method: 'GET',
      path: `${c}/tasks/:task/status`,
      handle: async ({ params }) => ok(await herder.taskStatus(name(params), taskId(params.task))),
    },
    {
      method: 'POST',
      path: `${c}/tasks/:task/restart`,
      handle: ({ params }) => done(herder.restartTask(name(params), taskId(params.task)), 204),
    },
    {
      method: 'POST',
      path: `${c}/restart`,
      handle: async ({ params, request }) => {
        const includeTasks = flag(request.query, 'includeTasks', false);
        const onlyFailed = flag(request.query, 'onlyFailed', false);
        const accepted = await herder.restartConnector(name(params), { includeTasks, onlyFailed });
        return accepted ? ok(accepted, 202) : empty(204);
      },
    },
    {
      method: 'PUT',
      path: `${c}/pause`,
      handle: ({ params }) => done(herder.pauseConnector(name(params)), 202),
    },
    {
      method: 'PUT',
      path: `${c}/resume`,
      handle: ({ params }) => done(herder.resumeConnector(name(params)), 202),
    },
    {
      method: 'PUT',
      path: `${c}/stop`,
      handle: ({ params }) => done(herder.stopConnector(name(params)), 204),
    },
    {
      method: 'GET',
      path: `${c}/topics`,
      handle: async ({ params }) => ok(await herder.activeTopics(name(params))),
    },
    {
      method: 'PUT',
      path: `${c}/topics/reset`,
      handle: ({ params }) => done(herder.resetActiveTopics(name(params)), 202),
    },
    {
      method: 'GET',
      path: `${c}/offsets`,
      handle: async ({ params }) => ok(await herder.getOffsets(name(params))),
    },
    {
      method: 'PATCH',
      path: `${c}/offsets`,
      handle: async ({ params, request }) => ok(await herder.alterOffsets(name(params), request.body)),
    },
    {
      method: 'DELETE',
      path: `${c}/offsets`,
      handle: async ({ params }) => ok(await herder.resetOffsets(name(params))),
    },
    {
      method: 'GET',
      path: '/connector-plugins',
      handle: ({ request }) => ok(herder.listPlugins(flag(request.query, 'connectorsOnly', true))),
    },
    {
      method: 'GET',
      path: '/connector-plugins/:plugin/config',
      handle: ({ params }) => ok(herder.pluginConfig(params.plugin as string)),
    },
    {
      method: 'PUT',
      path: '/connector-plugins/:plugin/config/validate',
      handle: async ({ params, request }) =>
        ok(await herder.validatePluginConfig(params.plugin as string, configMap(request.body))),
    },
    { method: 'GET', path: '/admin/loggers', handle: () => ok(herder.loggers()) },
    {
      method: 'GET',
      path: '/admin/loggers/:logger',
      handle: ({ params }) => ok(herder.logger(params.logger as string)),
    },
    {
      method: 'PUT',
      path: '/admin/loggers/:logger',
      handle: ({ params, request }) => {
        const level = (request.body as { level?: unknown } | null | undefined)?.level;
        const affected = herder.setLoggerLevel(params.logger as string, level);
        // Kafka: an unknown scope is treated as `worker`; `cluster` answers 204.
        return request.query.scope?.[0]?.toLowerCase() === 'cluster' ? empty(204) : ok(affected);
      },
    },
  ];
}

/** A connector's name from the path: one no table can hold cannot exist, so 404 without asking the store. */
function name(params: Record<string, string>): string {
  const connector = params.connector as string;
  if (!isStorableConnectorName(connector)) throw new NotFoundError(`Connector ${connector} not found`);
  return connector;
}

/** The name of PUT …/config, which may create: the herder's name rule answers 400 for a bad one. */
function newName(params: Record<string, string>): string {
  return params.connector as string;
}

/** The whole REST API over a herder: request in, reply out; errors are thrown for `errorReply`. */
export function restApi(herder: Herder): (request: RestRequest) => Promise<RestReply> {
  return router(routes(herder));
}
