import type { PermissionModel } from './api-gateway-template.js';
import type { Resolver, Resource } from './intrinsics.js';

/**
 * The `AWS::Lambda::Permission`s that let `apigateway.amazonaws.com` invoke a function, with their
 * `SourceArn` resolved: without one, API Gateway's invocation is refused (a 500 to the client). See
 * docs/simulator/api-gateway.md.
 */

export function readPermissions(
  entries: [string, Resource][],
  resolver: Resolver,
  ids: Record<string, string>,
): PermissionModel[] {
  const permissions: PermissionModel[] = [];
  for (const [, r] of entries) {
    const props = r.Properties ?? {};
    if (props.Principal !== 'apigateway.amazonaws.com' || props.Action !== 'lambda:InvokeFunction') continue;
    const fn = resolver.functionOf(props.FunctionName);
    if (!fn) continue;
    const source =
      props.SourceArn === undefined ? undefined : resolver.tryResolve(substituteRefs(props.SourceArn, ids));
    if (props.SourceArn !== undefined && typeof source !== 'string') continue;
    permissions.push({
      functionName: resolver.physicalName(fn.logicalId),
      sourceArn: source as string | undefined,
    });
  }
  return permissions;
}

/** `{Ref: <REST API | stage | authorizer>}` → its id, so the Resolver (which knows no API Gateway type) can do the rest. */
function substituteRefs(value: unknown, ids: Record<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => substituteRefs(v, ids));
  if (value === null || typeof value !== 'object') return value;
  const ref = (value as Record<string, unknown>).Ref;
  if (typeof ref === 'string' && ref in ids) return ids[ref];
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteRefs(v, ids)]));
}
