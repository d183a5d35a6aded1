import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What the simulator must run, read from a synthesized CloudFormation template: every
 * `AWS::Lambda::Function` with its settings, its aliases (`AWS::Lambda::Alias`), its asynchronous
 * invocation settings (`AWS::Lambda::EventInvokeConfig`) and the EventBridge schedules that target it
 * (`AWS::Events::Rule`). Values CloudFormation would compute at deploy time (`Ref`, `Fn::GetAtt`,
 * `Fn::Join`, `Fn::Sub`, …) are resolved to stand-ins that work locally; see docs/lambda-simulator.md,
 * "Functions from the template".
 */

/** Where the stack is deployed, for ARNs and pseudo parameters (the Lambda API's defaults). */
export interface TemplateScope {
  /** Stack name, for `AWS::StackName` and generated names. @default from `aws:cdk:path` metadata, else `Stack` */
  stackName?: string;
  /** @default 'us-east-1' */
  region?: string;
  /** @default '000000000000' */
  accountId?: string;
  /**
   * Physical names by logical id, overriding every other rule (e.g. local mode's own table names).
   * @default none
   */
  physicalNames?: Record<string, string>;
}

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

interface Resource {
  Type?: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}

interface Template {
  Resources?: Record<string, Resource>;
  Parameters?: Record<string, { Type?: string; Default?: unknown }>;
}

/** Raised inside resolution; caught per value, which then becomes `unresolved`. */
class Unresolvable extends Error {}

/** Lambda's defaults for what a template may leave out. */
export const LAMBDA_DEFAULTS = { memorySize: 128, timeout: 3, architectures: ['x86_64'] } as const;

const NAME_LIMIT = 64;

/**
 * The deterministic stand-in for a name CloudFormation generates: `<stack>-<logicalId>-<SUFFIX>`, where
 * CloudFormation's SUFFIX is random and SUFFIX here is the first 12 characters of the SHA-256 of
 * `<stack>/<logicalId>` in upper-case base 36. Over 64 characters, the stack part is shortened first,
 * then the logical id, as CloudFormation shortens the middle and keeps the suffix.
 */
export function generatedName(stackName: string, logicalId: string, limit = NAME_LIMIT): string {
  const digest = createHash('sha256').update(`${stackName}/${logicalId}`).digest();
  const suffix = BigInt(`0x${digest.toString('hex')}`)
    .toString(36)
    .toUpperCase()
    .slice(0, 12);
  let stack = stackName;
  let id = logicalId;
  const over = () => stack.length + id.length + suffix.length + 2 - limit;
  if (over() > 0) stack = stack.slice(0, Math.max(1, stack.length - over()));
  if (over() > 0) id = id.slice(0, Math.max(1, id.length - over()));
  return `${stack}-${id}-${suffix}`;
}

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

/**
 * Resolves intrinsic functions to local stand-ins. What a `Ref` or `Fn::GetAtt` yields depends on the
 * resource type, as CloudFormation documents it; only the types below are known, anything else is
 * unresolvable.
 */
class Resolver {
  readonly #resources: Record<string, Resource>;
  readonly #parameters: Record<string, { Type?: string; Default?: unknown }>;

  constructor(
    template: Template,
    readonly scope: Required<TemplateScope>,
  ) {
    this.#resources = template.Resources ?? {};
    this.#parameters = template.Parameters ?? {};
  }

  functionArn(name: string): string {
    return `arn:aws:lambda:${this.scope.region}:${this.scope.accountId}:function:${name}`;
  }

  /** The physical name of a resource: an override, the name property the type has, else generated. */
  physicalName(logicalId: string): string {
    const override = this.scope.physicalNames[logicalId];
    if (override !== undefined) return override;
    const resource = this.#resources[logicalId];
    const nameProperty = resource?.Type ? NAME_PROPERTIES[resource.Type] : undefined;
    const named = nameProperty ? this.tryResolve(resource?.Properties?.[nameProperty]) : undefined;
    if (typeof named === 'string') return named;
    // An unnamed table keeps its logical id (readable in DynamoDB Local); other resources get the
    // stand-in for CloudFormation's generated name.
    if (resource?.Type === 'AWS::DynamoDB::Table') return logicalId;
    return generatedName(this.scope.stackName, logicalId);
  }

  /** The value, or undefined when some part of it cannot be resolved here. */
  tryResolve(value: unknown): unknown {
    try {
      return this.resolve(value);
    } catch (error) {
      if (error instanceof Unresolvable) return undefined;
      throw error;
    }
  }

  /** The function (and qualifier) a `FunctionName` or target `Arn` names, by its logical id. */
  functionOf(value: unknown): { logicalId: string; qualifier?: string } | undefined {
    if (value === null || typeof value !== 'object') {
      // A literal name or ARN: match it against the functions' names.
      if (typeof value !== 'string') return undefined;
      const [base, qualifier] = splitQualifier(value);
      for (const [id, r] of Object.entries(this.#resources)) {
        if (r.Type !== 'AWS::Lambda::Function') continue;
        const name = this.physicalName(id);
        if (base === name || base === this.functionArn(name)) return { logicalId: id, qualifier };
      }
      return undefined;
    }
    const v = value as Record<string, unknown>;
    const ref = v.Ref;
    if (typeof ref === 'string') {
      const r = this.#resources[ref];
      if (r?.Type === 'AWS::Lambda::Function') return { logicalId: ref };
      if (r?.Type === 'AWS::Lambda::Alias') {
        const target = this.functionOf(r.Properties?.FunctionName);
        const name = this.tryResolve(r.Properties?.Name);
        return target && { logicalId: target.logicalId, qualifier: typeof name === 'string' ? name : ref };
      }
      return undefined;
    }
    const getAtt = getAttParts(v['Fn::GetAtt']);
    if (getAtt && getAtt[1] === 'Arn' && this.#resources[getAtt[0]]?.Type === 'AWS::Lambda::Function')
      return { logicalId: getAtt[0] };
    // A Join/Sub that builds an ARN: resolve it and match the text.
    const text = this.tryResolve(value);
    return typeof text === 'string' ? this.functionOf(text) : undefined;
  }

  resolve(value: unknown): unknown {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    const entries = Object.entries(value as Record<string, unknown>);
    const [only] = entries;
    if (entries.length !== 1 || only === undefined)
      return Object.fromEntries(entries.map(([k, v]) => [k, this.resolve(v)]));
    const [key, arg] = only;
    switch (key) {
      case 'Ref':
        return this.ref(String(arg));
      case 'Fn::GetAtt': {
        const parts = getAttParts(arg);
        if (!parts) throw new Unresolvable();
        return this.getAtt(parts[0], parts[1]);
      }
      case 'Fn::Join': {
        const [delimiter, list] = asArray(arg);
        const items = this.resolve(list);
        if (typeof delimiter !== 'string' || !Array.isArray(items)) throw new Unresolvable();
        return items.map((i) => this.scalar(i)).join(delimiter);
      }
      case 'Fn::Sub':
        return this.sub(arg);
      case 'Fn::Select': {
        const [index, list] = asArray(arg);
        const items = this.resolve(list);
        const i = Number(this.resolve(index));
        if (!Array.isArray(items) || !Number.isInteger(i) || i < 0 || i >= items.length)
          throw new Unresolvable();
        return items[i];
      }
      case 'Fn::Split': {
        const [delimiter, source] = asArray(arg);
        const text = this.resolve(source);
        if (typeof delimiter !== 'string' || typeof text !== 'string') throw new Unresolvable();
        return text.split(delimiter);
      }
      default:
        // Fn::If, Fn::ImportValue, Fn::GetAZs, Fn::FindInMap, …: not simulated.
        if (key.startsWith('Fn::')) throw new Unresolvable();
        return { [key]: this.resolve(arg) };
    }
  }

  scalar(value: unknown): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new Unresolvable();
  }

  ref(name: string): unknown {
    const { region, accountId, stackName } = this.scope;
    switch (name) {
      case 'AWS::Region':
        return region;
      case 'AWS::AccountId':
        return accountId;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return stackName;
      case 'AWS::StackId':
        return `arn:aws:cloudformation:${region}:${accountId}:stack/${stackName}/00000000-0000-0000-0000-000000000000`;
      case 'AWS::NoValue':
      case 'AWS::NotificationARNs':
        throw new Unresolvable();
    }
    const parameter = this.#parameters[name];
    if (parameter) {
      // An SSM-typed parameter is read at deploy time; a plain one takes its default.
      if (parameter.Type?.startsWith('AWS::') || parameter.Default === undefined) throw new Unresolvable();
      return parameter.Default;
    }
    const resource = this.#resources[name];
    if (!resource) throw new Unresolvable();
    if (this.scope.physicalNames[name] !== undefined) return this.scope.physicalNames[name];
    switch (resource.Type) {
      case 'AWS::DynamoDB::Table':
      case 'AWS::Lambda::Function':
      case 'AWS::Logs::LogGroup':
      case 'AWS::Events::Rule':
      case 'AWS::IAM::Role':
        return this.physicalName(name);
      case 'AWS::Lambda::Alias': {
        const target = this.functionOf(resource.Properties?.FunctionName);
        if (!target) throw new Unresolvable();
        const alias = this.scalar(this.resolve(resource.Properties?.Name));
        return `${this.functionArn(this.physicalName(target.logicalId))}:${alias}`;
      }
      default:
        throw new Unresolvable();
    }
  }

  getAtt(logicalId: string, attribute: string): unknown {
    const resource = this.#resources[logicalId];
    const { region, accountId } = this.scope;
    if (!resource) throw new Unresolvable();
    const key = `${resource.Type}.${attribute}`;
    switch (key) {
      case 'AWS::Lambda::Function.Arn':
        return this.functionArn(this.physicalName(logicalId));
      case 'AWS::DynamoDB::Table.Arn':
        return `arn:aws:dynamodb:${region}:${accountId}:table/${this.physicalName(logicalId)}`;
      case 'AWS::Logs::LogGroup.Arn':
        return `arn:aws:logs:${region}:${accountId}:log-group:${this.physicalName(logicalId)}:*`;
      case 'AWS::Events::Rule.Arn':
        return `arn:aws:events:${region}:${accountId}:rule/${this.physicalName(logicalId)}`;
      case 'AWS::IAM::Role.Arn':
        return `arn:aws:iam::${accountId}:role/${this.physicalName(logicalId)}`;
      default:
        throw new Unresolvable();
    }
  }

  sub(arg: unknown): string {
    const [text, variables] = typeof arg === 'string' ? [arg, {}] : asArray(arg);
    if (typeof text !== 'string') throw new Unresolvable();
    const vars = (variables ?? {}) as Record<string, unknown>;
    // `${!Literal}` is the literal `${Literal}`.
    return text.replace(/\$\{(!?)([^}]*)\}/g, (_, bang: string, name: string) => {
      if (bang) return `\${${name}}`;
      if (name in vars) return this.scalar(this.resolve(vars[name]));
      const dot = name.indexOf('.');
      if (dot > 0 && !name.startsWith('AWS::')) {
        return this.scalar(this.getAtt(name.slice(0, dot), name.slice(dot + 1)));
      }
      return this.scalar(this.ref(name));
    });
  }
}

/** The property that names a resource of each type CloudFormation lets you name. */
const NAME_PROPERTIES: Record<string, string> = {
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::Events::Rule': 'Name',
  'AWS::IAM::Role': 'RoleName',
};

function getAttParts(arg: unknown): [string, string] | undefined {
  if (typeof arg === 'string') {
    const dot = arg.indexOf('.');
    return dot > 0 ? [arg.slice(0, dot), arg.slice(dot + 1)] : undefined;
  }
  const [id, attribute] = asArray(arg);
  return typeof id === 'string' && typeof attribute === 'string' ? [id, attribute] : undefined;
}

/** `name:qualifier` or `arn:…:function:name:qualifier` → [unqualified, qualifier]. */
function splitQualifier(value: string): [string, string | undefined] {
  const parts = value.split(':');
  const qualified = value.startsWith('arn:') ? parts.length === 8 : parts.length === 2;
  return qualified ? [parts.slice(0, -1).join(':'), parts[parts.length - 1]] : [value, undefined];
}

function stackNameFromMetadata(resources: Record<string, Resource>): string | undefined {
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

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
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
