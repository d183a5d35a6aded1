import type { MethodModel, ResourceModel, RestApiModel } from './api-gateway-template.js';

/**
 * How API Gateway (REST) maps a request path to a resource and method; see docs/simulator/api-gateway.md.
 */

export interface Route {
  resource: ResourceModel;
  method: MethodModel;
  /** `pathParameters`, or null when the resource has none. */
  pathParameters: Record<string, string> | null;
  /** The path below the stage, segments decoded as `decodeSegment` does: the event's `path`. */
  path: string;
}

/**
 * The request path (no query) with the stage prefix removed: `/v1/connectors` and `/connectors` are
 * the same request. Undefined when a segment's percent-encoding is malformed.
 */
export function stagePath(rawPath: string, stageName: string): string | undefined {
  const prefix = `/${stageName}`;
  const below =
    rawPath === prefix ? '/' : rawPath.startsWith(`${prefix}/`) ? rawPath.slice(prefix.length) : rawPath;
  try {
    return below.split('/').map(decodeSegment).join('/');
  } catch {
    return undefined;
  }
}

/**
 * A path segment as API Gateway passes it on: percent-decoded, except `%2F`, which stays encoded so that
 * the segment stays one segment (as sent, in its case). A `+` stays a `+` (it means a space only in
 * a query string).
 */
export function decodeSegment(segment: string): string {
  return segment
    .split(/(%2F)/i)
    .map((part, i) => (i % 2 === 1 ? part : decodeURIComponent(part)))
    .join('');
}

/**
 * The most specific resource that has the method (or `ANY`): at each level a literal part before a
 * `{param}`, before a greedy `{proxy+}`; undefined when none does (API Gateway's 403 "Missing
 * Authentication Token"). A trailing slash is ignored; an empty segment inside the path matches nothing.
 */
export function route(api: RestApiModel, path: string, httpMethod: string): Route | undefined {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const segments = trimmed === '/' ? [] : trimmed.slice(1).split('/');
  if (segments.some((s) => s === '')) return undefined;
  for (const candidate of candidates(api.resources, segments)) {
    const method = candidate.resource.methods.get(httpMethod) ?? candidate.resource.methods.get('ANY');
    if (!method) continue;
    const params = candidate.params;
    return {
      resource: candidate.resource,
      method,
      pathParameters: Object.keys(params).length ? params : null,
      path,
    };
  }
  return undefined;
}

interface Candidate {
  resource: ResourceModel;
  params: Record<string, string>;
}

/** Every resource matching `segments`, the most specific first. */
function candidates(resources: ResourceModel[], segments: string[]): Candidate[] {
  const found: Candidate[] = [];
  const walk = (depth: number, prefix: string[], params: Record<string, string>): void => {
    const children = resources.filter(
      (r) => r.parts.length === depth + 1 && prefix.every((p, i) => r.parts[i] === p),
    );
    if (depth === segments.length) {
      const self = resources.find(
        (r) => r.parts.length === depth && prefix.every((p, i) => r.parts[i] === p),
      );
      if (self) found.push({ resource: self, params });
    }
    const segment = segments[depth];
    if (segment === undefined) return;
    const kind = (part: string) => (/^\{.+\+\}$/.test(part) ? 2 : /^\{.+\}$/.test(part) ? 1 : 0);
    const ordered = [...children].sort((a, b) => kind(a.parts[depth] ?? '') - kind(b.parts[depth] ?? ''));
    for (const child of ordered) {
      const part = child.parts[depth] ?? '';
      const next = [...prefix, part];
      if (kind(part) === 0) {
        if (part === segment) walk(depth + 1, next, params);
      } else if (kind(part) === 1) {
        walk(depth + 1, next, { ...params, [part.slice(1, -1)]: segment });
      } else {
        found.push({
          resource: child,
          params: { ...params, [part.slice(1, -2)]: segments.slice(depth).join('/') },
        });
      }
    }
  };
  walk(0, [], {});
  return found;
}
