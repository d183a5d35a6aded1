import { constraint, invalid } from './lambda-errors.js';

/**
 * One page of `items` (already in their listing order) from `marker`, the opaque token a previous page
 * returned. The marker is the key of the next item, so deleting items between pages skips nothing.
 */
export function paginate<T>(
  items: readonly T[],
  key: (item: T) => string,
  query: URLSearchParams,
  pageCap: number,
): { page: T[]; nextMarker?: string } {
  const maxItems = query.get('MaxItems');
  const size = maxItems === null ? pageCap : Number(maxItems);
  if (!Number.isInteger(size) || size < 1 || size > 10_000) {
    throw constraint(maxItems, 'maxItems', 'have value between 1 and 10000');
  }
  const marker = query.get('Marker');
  let start = 0;
  if (marker !== null) {
    const from = Buffer.from(marker, 'base64url').toString();
    if (from === '') throw invalid(`Invalid pagination token: '${marker}'`);
    const at = items.findIndex((item) => key(item) >= from);
    start = at < 0 ? items.length : at;
  }
  // Lambda caps a page whatever MaxItems asks for (100 for ListEventSourceMappings, per its API reference).
  const page = items.slice(start, start + Math.min(size, pageCap));
  const next = items[start + page.length];
  return { page, nextMarker: next === undefined ? undefined : Buffer.from(key(next)).toString('base64url') };
}
