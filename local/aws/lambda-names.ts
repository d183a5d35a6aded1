import { constraint } from './lambda-errors.js';

/** Where the simulated Lambda lives: ARNs are built from it, and ARNs naming elsewhere name nothing here. */
export interface LambdaScope {
  region: string;
  accountId: string;
}

/** A `FunctionName` as the caller wrote it, split into its parts. */
export interface FunctionRef {
  name: string;
  /** The alias (or `$LATEST`) after the last `:`, when the caller qualified the name. */
  qualifier?: string;
  /** The region and account an ARN named; a bare name means the simulator's own. */
  region?: string;
  accountId?: string;
}

// The pattern from the API reference (NamespacedFunctionName): a name, `name:qualifier`, a partial ARN
// `123456789012:function:name[:qualifier]` or a full ARN. Anchored here; the API reference states it bare.
const FUNCTION_NAME =
  /^(?:arn:aws[a-zA-Z-]*:lambda:)?(?:([a-z]{2}(?:-gov)?-[a-z]+-\d):)?(?:(\d{12}):)?(?:function:)?([a-zA-Z0-9-_]+)(?::(\$LATEST|[a-zA-Z0-9-_]+))?$/;

/** Parses a `FunctionName`; a malformed one is refused as Lambda refuses it (400). */
export function parseFunctionName(value: unknown, field = 'FunctionName'): FunctionRef {
  const match = typeof value === 'string' && value.length <= 140 ? FUNCTION_NAME.exec(value) : null;
  const [, region, accountId, name, qualifier] = match ?? [];
  // A bare name is capped at 64 characters; only an ARN may use the 140.
  if (name === undefined || name.length > 64) {
    throw constraint(value, field, `satisfy regular expression pattern: ${FUNCTION_NAME.source}`);
  }
  return { name, qualifier, region, accountId };
}

/** `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`. */
export function functionArn(scope: LambdaScope, name: string, qualifier?: string): string {
  const base = `arn:aws:lambda:${scope.region}:${scope.accountId}:function:${name}`;
  return qualifier === undefined ? base : `${base}:${qualifier}`;
}

/** Whether an ARN-form name points at another region or account, where this simulator holds nothing. */
export function isElsewhere(scope: LambdaScope, ref: FunctionRef): boolean {
  return (
    (ref.region !== undefined && ref.region !== scope.region) ||
    (ref.accountId !== undefined && ref.accountId !== scope.accountId)
  );
}

// Alias names (model `Alias`): 1-128 characters of [a-zA-Z0-9-_], not all digits (that is a version).
const ALIAS_NAME = /^(?!\d+$)[a-zA-Z0-9-_]{1,128}$/;

/** Refuses an alias name Lambda would refuse. */
export function checkAliasName(value: unknown): string {
  if (typeof value !== 'string' || !ALIAS_NAME.test(value)) {
    throw constraint(value, 'name', 'satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)');
  }
  return value;
}
