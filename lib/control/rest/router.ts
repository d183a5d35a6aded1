import { RestError } from '../errors.js';
import type { RestReply, RestRequest } from './types.js';

/** What a matched route gets: the request and its decoded path parameters. */
export interface RouteCall {
  request: RestRequest;
  params: Record<string, string>;
}

export interface Route {
  method: string;
  /** Segments; `:name` captures one (percent-decoded) segment. */
  path: string;
  handle(call: RouteCall): Promise<RestReply> | RestReply;
}

/**
 * Matches a request against `routes` as Jersey does: a path no route knows is 404 `HTTP 404 Not Found`;
 * a known path with another method is 405 `HTTP 405 Method Not Allowed`. A trailing slash is ignored.
 * Each segment is percent-decoded on its own, so `%2F` inside a connector name stays in that segment.
 */
export function router(routes: readonly Route[]): (request: RestRequest) => Promise<RestReply> {
  const compiled = routes.map((route) => ({ route, segments: split(route.path) }));
  return async (request) => {
    const segments = split(request.path).map(decode);
    let pathKnown = false;
    for (const { route, segments: pattern } of compiled) {
      const params = match(pattern, segments);
      if (!params) continue;
      pathKnown = true;
      if (route.method === request.method.toUpperCase()) return route.handle({ request, params });
    }
    if (pathKnown) throw new RestError(405, 'HTTP 405 Method Not Allowed');
    throw new RestError(404, 'HTTP 404 Not Found');
  };
}

function split(path: string): string[] {
  return path.split('/').filter((s, i, all) => s !== '' || (i > 0 && i < all.length - 1));
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function match(pattern: readonly string[], segments: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const s = segments[i] as string;
    if (p.startsWith(':')) params[p.slice(1)] = s;
    else if (p !== s) return undefined;
  }
  return params;
}
