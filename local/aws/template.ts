import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asArray, Resolver, type Resource, type Template, type TemplateScope } from './intrinsics.js';

export { generatedName, type TemplateScope } from './intrinsics.js';

/**
 * What the simulator must run, read from a synthesized CloudFormation template: every
 * `AWS::Lambda::Function` with its settings, its aliases (`AWS::Lambda::Alias`), its asynchronous
 * invocation settings (`AWS::Lambda::EventInvokeConfig`) and the EventBridge schedules that target it
 * (`AWS::Events::Rule`). Values CloudFormation would compute at deploy time (`Ref`, `Fn::GetAtt`,
 * `Fn::Join`, `Fn::Sub`, …) are resolved to stand-ins that work locally; see docs/simulator/template.md.
 */

export interface SimulatedAlias {
  logicalId: string;
  name: string;
  /** `FunctionVersion` as a string, or undefined when it names a version resource (only `$LATEST` exists here). */
  functionVersion?: string;
}

export interface SimulatedSchedule {
  /** The `AWS::Events::Rule`'s logical id. */
  ruleLogicalId: string;
  /** `ScheduleExpression` as written: `rate(1 minute)` or `cron(…)`. */
  expression: string;
  /** A `rate(…)` expression in milliseconds; undefined for `cron(…)`. */
  rateMs?: number;
  /** `State` is `ENABLED` (CloudFormation's default when absent). */
  enabled: boolean;
  /** The alias or version the target's ARN names, when qualified. */
  qualifier?: string;
  /** The target's constant `Input` (JSON text), when set; otherwise EventBridge sends the scheduled event. */
  input?: string;
  /** The target's `RetryPolicy.MaximumRetryAttempts` (EventBridge's default is 185). */
  maximumRetryAttempts?: number;
  /** The target's `RetryPolicy.MaximumEventAgeInSeconds` (EventBridge's default is 86,400). */
  maximumEventAgeSeconds?: number;
}

/** `AWS::Lambda::EventInvokeConfig`: Lambda's async retries (default 2) and event age (default 6 h). */
export interface AsyncInvokeConfig {
  qualifier: string;
  maximumRetryAttempts?: number;
  maximumEventAgeSeconds?: number;
}

export interface UnresolvedValue {
  /** The environment variable that was left out. */
  name: string;
  /** The template expression that could not be resolved, as JSON. */
  expression: string;
}

export interface SimulatedFunction {
  logicalId: string;
  /** `FunctionName`, or the stand-in for the name CloudFormation would generate (`generatedName`). */
  name: string;
  generatedName: boolean;
  /** `arn:aws:lambda:<region>:<account>:function:<name>`. */
  arn: string;
  /** e.g. `index.handler`: module `index`, export `handler`. */
  handler: string;
  runtime: string;
  /** MB. Lambda's default 128 when absent. */
  memorySize: number;
  /** Seconds. Lambda's default 3 when absent. */
  timeout: number;
  /** Lambda's default `['x86_64']` when absent. */
  architectures: string[];
  /** `Environment.Variables`, resolved; a variable in `unresolved` is absent here. */
  environment: Record<string, string>;
  unresolved: UnresolvedValue[];
  /** `ReservedConcurrentExecutions`; undefined = the unreserved pool. */
  reservedConcurrency?: number;
  /** The log group `LoggingConfig.LogGroup` names, else Lambda's `/aws/lambda/<name>`. */
  logGroupName: string;
  description?: string;
  /** The code asset: `Code.S3Key` without `.zip`, and the `aws:asset:path` metadata when present. */
  asset?: { hash: string; path?: string };
  /** `Code.ZipFile`, when the code is inline. */
  inlineCode?: string;
  aliases: SimulatedAlias[];
  schedules: SimulatedSchedule[];
  asyncInvoke: AsyncInvokeConfig[];
}

/** Lambda's defaults for what a template may leave out. */
export const LAMBDA_DEFAULTS = { memorySize: 128, timeout: 3, architectures: ['x86_64'] } as const;

/** `rate(N minute|minutes|hour|hours|day|days)` in ms; undefined for anything else (`cron(…)`). */
export function rateMs(expression: string): number | undefined {
  const match = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/.exec(expression.trim());
  const [, count, unit] = match ?? [];
  if (count === undefined || unit === undefined) return undefined;
  const ms = { minute: 60_000, hour: 3_600_000, day: 86_400_000 }[unit.replace(/s$/, '') as 'minute'];
  return Number(count) * ms;
}

/** The functions of a synthesized template (the JSON object of `<Stack>.template.json`). */
export function readFunctions(template: object, scope: TemplateScope = {}): SimulatedFunction[] {
  const t = template as Template;
  const resources = t.Resources ?? {};
  const resolver = new Resolver(t, {
    stackName: scope.stackName ?? stackNameFromMetadata(resources) ?? 'Stack',
    region: scope.region ?? 'us-east-1',
    accountId: scope.accountId ?? '000000000000',
    physicalNames: scope.physicalNames ?? {},
  });
  const functions = new Map<string, SimulatedFunction>();
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    functions.set(logicalId, readFunction(logicalId, resource, resolver));
  }
  for (const [logicalId, resource] of Object.entries(resources)) {
    const props = resource.Properties ?? {};
    if (resource.Type === 'AWS::Lambda::Alias') {
      const target = resolver.functionOf(props.FunctionName);
      const fn = target && functions.get(target.logicalId);
      if (!fn) continue;
      const version = props.FunctionVersion;
      fn.aliases.push({
        logicalId,
        name: String(resolver.tryResolve(props.Name) ?? logicalId),
        functionVersion: typeof version === 'string' ? version : undefined,
      });
    } else if (resource.Type === 'AWS::Lambda::EventInvokeConfig') {
      const target = resolver.functionOf(props.FunctionName);
      const fn = target && functions.get(target.logicalId);
      if (!fn) continue;
      fn.asyncInvoke.push({
        qualifier: String(resolver.tryResolve(props.Qualifier) ?? '$LATEST'),
        maximumRetryAttempts: optionalNumber(props.MaximumRetryAttempts),
        maximumEventAgeSeconds: optionalNumber(props.MaximumEventAgeInSeconds),
      });
    } else if (resource.Type === 'AWS::Events::Rule') {
      const expression = resolver.tryResolve(props.ScheduleExpression);
      if (typeof expression !== 'string') continue;
      for (const target of asArray(props.Targets)) {
        const t = (target ?? {}) as Record<string, unknown>;
        const ref = resolver.functionOf(t.Arn);
        const fn = ref && functions.get(ref.logicalId);
        if (!fn) continue;
        const retry = (t.RetryPolicy ?? {}) as Record<string, unknown>;
        fn.schedules.push({
          ruleLogicalId: logicalId,
          expression,
          rateMs: rateMs(expression),
          enabled: (props.State ?? 'ENABLED') === 'ENABLED',
          qualifier: ref.qualifier,
          input: typeof t.Input === 'string' ? t.Input : undefined,
          maximumRetryAttempts: optionalNumber(retry.MaximumRetryAttempts),
          maximumEventAgeSeconds: optionalNumber(retry.MaximumEventAgeInSeconds),
        });
      }
    }
  }
  return [...functions.values()];
}

function readFunction(logicalId: string, resource: Resource, resolver: Resolver): SimulatedFunction {
  const props = resource.Properties ?? {};
  const name = resolver.physicalName(logicalId);
  const environment: Record<string, string> = {};
  const unresolved: UnresolvedValue[] = [];
  const variables = ((props.Environment ?? {}) as Record<string, unknown>).Variables ?? {};
  for (const [key, value] of Object.entries(variables as Record<string, unknown>)) {
    const resolved = resolver.tryResolve(value);
    if (typeof resolved === 'string') environment[key] = resolved;
    else if (typeof resolved === 'number' || typeof resolved === 'boolean')
      environment[key] = String(resolved);
    else unresolved.push({ name: key, expression: JSON.stringify(value) });
  }
  const code = (props.Code ?? {}) as Record<string, unknown>;
  const s3Key = resolver.tryResolve(code.S3Key);
  const assetPath = resource.Metadata?.['aws:asset:path'];
  const logGroup = resolver.tryResolve(((props.LoggingConfig ?? {}) as Record<string, unknown>).LogGroup);
  const architectures = asArray(props.Architectures).filter((a): a is string => typeof a === 'string');
  return {
    logicalId,
    name,
    generatedName:
      !(logicalId in resolver.scope.physicalNames) &&
      typeof resolver.tryResolve(props.FunctionName) !== 'string',
    arn: resolver.functionArn(name),
    handler: String(props.Handler ?? ''),
    runtime: String(props.Runtime ?? ''),
    memorySize: optionalNumber(props.MemorySize) ?? LAMBDA_DEFAULTS.memorySize,
    timeout: optionalNumber(props.Timeout) ?? LAMBDA_DEFAULTS.timeout,
    architectures: architectures.length ? architectures : [...LAMBDA_DEFAULTS.architectures],
    environment,
    unresolved,
    reservedConcurrency: optionalNumber(props.ReservedConcurrentExecutions),
    logGroupName: typeof logGroup === 'string' ? logGroup : `/aws/lambda/${name}`,
    description: typeof props.Description === 'string' ? props.Description : undefined,
    asset:
      typeof s3Key === 'string'
        ? {
            hash: s3Key.replace(/\.zip$/, ''),
            path: typeof assetPath === 'string' ? assetPath : undefined,
          }
        : undefined,
    inlineCode: typeof code.ZipFile === 'string' ? code.ZipFile : undefined,
    aliases: [],
    schedules: [],
    asyncInvoke: [],
  };
}

/** The stack name the first `aws:cdk:path` metadata starts with (`<Stack>/<construct path>`). */
export function stackNameFromMetadata(resources: Record<string, Resource>): string | undefined {
  for (const r of Object.values(resources)) {
    const path = r.Metadata?.['aws:cdk:path'];
    if (typeof path === 'string' && path.includes('/')) return path.slice(0, path.indexOf('/'));
  }
  return undefined;
}

function optionalNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

/** A stack of a cloud assembly (`cdk.out`): its name and its template. */
export interface AssemblyStack {
  stackName: string;
  /** The assembly directory the template and its assets are in. */
  cdkOut: string;
  template: object;
}

/**
 * Reads a stack's template from a cloud assembly through `manifest.json` (the stack's
 * `aws:cloudformation:stack` artifact), by stack name or the only stack there is.
 */
export function readAssemblyStack(cdkOut: string, stackName?: string): AssemblyStack {
  const manifestFile = join(cdkOut, 'manifest.json');
  if (!existsSync(manifestFile)) throw new Error(`${cdkOut} is not a cloud assembly: no manifest.json`);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
    artifacts?: Record<string, { type?: string; properties?: { templateFile?: string; stackName?: string } }>;
  };
  const stacks = Object.entries(manifest.artifacts ?? {})
    .filter(([, a]) => a.type === 'aws:cloudformation:stack' && a.properties?.templateFile)
    .map(([id, a]) => ({ name: a.properties?.stackName ?? id, file: a.properties?.templateFile ?? '' }));
  const chosen = stackName === undefined ? stacks : stacks.filter((s) => s.name === stackName);
  const [stack] = chosen;
  if (chosen.length !== 1 || stack === undefined) {
    const names = stacks.map((s) => s.name).join(', ') || 'none';
    throw new Error(
      stackName === undefined
        ? `${cdkOut} holds ${stacks.length} stacks (${names}); name one`
        : `${cdkOut} holds no stack ${stackName} (stacks: ${names})`,
    );
  }
  const template = JSON.parse(readFileSync(join(cdkOut, stack.file), 'utf8')) as object;
  return { stackName: stack.name, cdkOut, template };
}
