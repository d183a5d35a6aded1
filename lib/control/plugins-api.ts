import { type ConfigInfos, type ConfigKeyInfo, configKeyInfos } from '../api/config-def.js';
import { NotFoundError } from '../api/errors.js';
import { sinkConnectorConfigDef } from '../config/sink-connector-config.js';
import { sourceConnectorConfigDef } from '../config/source-connector-config.js';
import type { PluginInfo } from '../plugins.js';
import type { HerderContext } from './context.js';
import { BadRequestError } from './errors.js';
import { type RawConfig, validateConfig } from './validate.js';

/** GET /connector-plugins: connectors only by default (`connectorsOnly=true`), in Kafka's order. */
export function listPlugins(ctx: HerderContext, connectorsOnly: boolean): PluginInfo[] {
  return connectorsOnly ? ctx.plugins.list(['sink', 'source']) : ctx.plugins.list();
}

/**
 * GET /connector-plugins/{p}/config: a connector's own keys, then the framework's keys it does not
 * define; other plugins list only their own. 404 `Unknown plugin <p>.`.
 */
export function pluginConfig(ctx: HerderContext, plugin: string): ConfigKeyInfo[] {
  const entry = ctx.plugins.find(plugin);
  if (!entry) throw new NotFoundError(`Unknown plugin ${plugin}.`);
  const own = ctx.plugins.configDef(entry).keys();
  if (entry.kind !== 'source' && entry.kind !== 'sink') return configKeyInfos(own);
  const base = entry.kind === 'sink' ? sinkConnectorConfigDef() : sourceConnectorConfigDef();
  const names = new Set(own.map((k) => k.name));
  return configKeyInfos([...own, ...base.keys().filter((k) => !names.has(k.name))]);
}

/**
 * PUT /connector-plugins/{p}/config/validate: 200 with `ConfigInfos` even when invalid. The body's
 * `connector.class` decides; the path segment must only agree with it (Kafka's suffix check).
 */
export async function validatePluginConfig(
  ctx: HerderContext,
  plugin: string,
  raw: RawConfig,
): Promise<ConfigInfos> {
  const included = raw['connector.class'];
  if (included !== undefined && included !== null && !normalized(included).endsWith(normalized(plugin))) {
    throw new BadRequestError(`Included connector type ${included} does not match request type ${plugin}`);
  }
  return validateConfig(ctx, raw);
}

function normalized(name: string): string {
  return name.endsWith('Connector') ? name.slice(0, -'Connector'.length) : name;
}
