import { createHash } from 'node:crypto';

/**
 * CloudFormation's intrinsic functions (`Ref`, `Fn::GetAtt`, `Fn::Join`, `Fn::Sub`, …) resolved to stand-ins
 * that work locally, and the names CloudFormation would generate; see docs/simulator/template.md.
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

export interface Resource {
  Type?: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}

export interface Template {
  Resources?: Record<string, Resource>;
  Parameters?: Record<string, { Type?: string; Default?: unknown }>;
}

/** Raised inside resolution; caught per value, which then becomes `unresolved`. */
class Unresolvable extends Error {}

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

/**
 * Resolves intrinsic functions to local stand-ins. What a `Ref` or `Fn::GetAtt` yields depends on the
 * resource type, as CloudFormation documents it; only the types below are known, anything else is
 * unresolvable.
 */
export class Resolver {
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
export function splitQualifier(value: string): [string, string | undefined] {
  const parts = value.split(':');
  const qualified = value.startsWith('arn:') ? parts.length === 8 : parts.length === 2;
  return qualified ? [parts.slice(0, -1).join(':'), parts[parts.length - 1]] : [value, undefined];
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
