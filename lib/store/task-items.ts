import { s } from './codec.js';
import type { RawItem } from './errors.js';
import type { DynamoRequests } from './requests.js';
import { STATUS_PK, STATUS_SK } from './status-item.js';
import { TASK_STATUS_PREFIX } from './tables.js';

/**
 * The task items (`task#NNNN`) of one connector's status partition, every page, strongly consistent;
 * `projection` names the attributes to read (the key is always read).
 */
export async function queryTaskItems(
  requests: DynamoRequests,
  table: string,
  connector: string,
  projection?: readonly string[],
): Promise<RawItem[]> {
  const names: Record<string, string> = { '#pk': STATUS_PK, '#sk': STATUS_SK };
  for (const [i, name] of (projection ?? []).entries()) names[`#p${i}`] = name;
  return requests.queryAll({
    TableName: table,
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: { ':pk': s(connector), ':prefix': s(TASK_STATUS_PREFIX) },
    ...(projection
      ? { ProjectionExpression: ['#pk', '#sk', ...projection.map((_, i) => `#p${i}`)].join(', ') }
      : {}),
    ConsistentRead: true,
  });
}

/** The task id of a task item (`task#0003` → 3). */
export function taskIdOf(item: RawItem): number {
  return Number((item[STATUS_SK]?.S ?? '').slice(TASK_STATUS_PREFIX.length));
}
