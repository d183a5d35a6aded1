import {
  ConfigDef,
  ConfigType,
  Importance,
  lambdaValidator,
  NO_DEFAULT,
  parseType,
  Width,
} from '../api/config-def.js';
import { ConfigError } from '../api/errors.js';
import { PREDICATES_GROUP, pluginClassValidator, TRANSFORMS_GROUP } from './connector-config.js';
import type { PluginKind, ResolvePlugin } from './plugin-lookup.js';

interface Enrichable {
  kind: Extract<PluginKind, 'transformation' | 'predicate'>;
  aliasConfig: 'transforms' | 'predicates';
  group: string;
  displayKind: string;
}

const TRANSFORMS: Enrichable = {
  kind: 'transformation',
  aliasConfig: 'transforms',
  group: TRANSFORMS_GROUP,
  displayKind: 'Transformation',
};
const PREDICATES: Enrichable = {
  kind: 'predicate',
  aliasConfig: 'predicates',
  group: PREDICATES_GROUP,
  displayKind: 'Predicate',
};

/** Every transformation gets these implicitly; they mask an SMT's own keys of the same name. */
function implicitTransformKeys(): ConfigDef {
  return new ConfigDef()
    .define({
      name: 'predicate',
      type: ConfigType.STRING,
      defaultValue: null,
      importance: Importance.MEDIUM,
      documentation: 'The alias of a predicate used to determine whether to apply this transformation.',
    })
    .define({
      name: 'negate',
      type: ConfigType.BOOLEAN,
      defaultValue: false,
      importance: Importance.MEDIUM,
      documentation: 'Whether the configured predicate should be negated.',
    });
}

function negateWithoutPredicate(props: Readonly<Record<string, unknown>>, prefix: string): void {
  if (Object.hasOwn(props, `${prefix}negate`) && !Object.hasOwn(props, `${prefix}predicate`)) {
    throw new ConfigError(
      `Config '${prefix}negate' was provided but there is no config '${prefix}predicate' defining a predicate to be negated.`,
    );
  }
}

function enrichOne(
  def: ConfigDef,
  what: Enrichable,
  props: Readonly<Record<string, unknown>>,
  resolvePlugin: ResolvePlugin,
  requireFullConfig: boolean,
): void {
  const aliases = parseType(what.aliasConfig, props[what.aliasConfig], ConfigType.LIST);
  if (!Array.isArray(aliases)) return;
  const classCheck = pluginClassValidator(what.kind, resolvePlugin);
  for (const alias of new Set(aliases.map(String))) {
    const prefix = `${what.aliasConfig}.${alias}.`;
    const group = `${what.group}: ${alias}`;
    const typeConfig = `${prefix}type`;
    def.define({
      name: typeConfig,
      type: ConfigType.CLASS,
      defaultValue: NO_DEFAULT,
      validator: lambdaValidator((name, value) => {
        if (what.kind === 'transformation') negateWithoutPredicate(props, prefix);
        classCheck?.ensureValid(name, value);
      }, `valid configs for ${alias} ${what.kind}`),
      importance: Importance.HIGH,
      documentation: `Class for the '${alias}' ${what.kind}.`,
      group,
      orderInGroup: 0,
      width: Width.LONG,
      displayName: `${what.displayKind} type for ${alias}`,
    });
    const className = props[typeConfig];
    const plugin =
      className === undefined || className === null ? undefined : resolvePlugin(String(className).trim());
    if (!plugin || plugin.kind !== what.kind) {
      if (requireFullConfig) classCheck?.ensureValid(typeConfig, className ?? null);
      continue;
    }
    const child = what.kind === 'transformation' ? implicitTransformKeys() : new ConfigDef();
    for (const key of plugin.config().keys()) {
      if (!child.has(key.name)) child.defineKey(key);
    }
    def.embed(prefix, group, 1, child);
  }
}

/**
 * Kafka's `ConnectorConfig.enrich`: a copy of `base` with `transforms.<alias>.type` (+ `predicate`, `negate`
 * and the SMT's own keys) and `predicates.<alias>.type` (+ the predicate's keys) for every alias listed in
 * `props`, in groups `Transforms: <alias>` / `Predicates: <alias>`. With `requireFullConfig` false
 * (validation), an unknown class just leaves its keys out; its error shows on the `.type` key.
 */
export function enrichConnectorConfigDef(
  base: ConfigDef,
  props: Readonly<Record<string, unknown>>,
  resolvePlugin: ResolvePlugin,
  requireFullConfig = false,
): ConfigDef {
  const def = new ConfigDef(base);
  enrichOne(def, TRANSFORMS, props, resolvePlugin, requireFullConfig);
  enrichOne(def, PREDICATES, props, resolvePlugin, requireFullConfig);
  return def;
}
