import type { HerderContext } from './context.js';
import { type ConnectorInfo, type ConnectorStateInfo, connectorInfo } from './entities.js';
import { statusView } from './status.js';

export type Expansion = 'status' | 'info';

export interface ExpandedConnector {
  status?: ConnectorStateInfo;
  info?: ConnectorInfo;
}

/** GET /connectors: the names, sorted. */
export async function listConnectors(ctx: HerderContext): Promise<string[]> {
  return ctx.store.configs.list();
}

/**
 * GET /connectors?expand=status&expand=info: `{name: {status?, info?}}` with only the asked keys. A
 * connector whose asked status is missing (just deleted, or created this instant) is left out, as Kafka.
 * With only unknown expansions the maps are empty.
 */
export async function expandConnectors(
  ctx: HerderContext,
  expand: readonly Expansion[],
): Promise<Record<string, ExpandedConnector>> {
  const records = await ctx.store.configs.listAll();
  const entries = await Promise.all(
    records.map(async (record): Promise<[string, ExpandedConnector] | undefined> => {
      const out: ExpandedConnector = {};
      if (expand.includes('status')) {
        const status = await statusView(ctx, record.name, record);
        if (!status) return undefined;
        out.status = status;
      }
      if (expand.includes('info')) out.info = connectorInfo(record);
      return [record.name, out];
    }),
  );
  return Object.fromEntries(
    entries
      .filter((e): e is [string, ExpandedConnector] => e !== undefined)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}
