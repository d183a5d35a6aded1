import { randomUUID } from 'node:crypto';
import { invalid, LambdaApiError, notFound } from './lambda-errors.js';
import {
  checkAliasName,
  type FunctionRef,
  functionArn,
  isElsewhere,
  type LambdaScope,
  parseFunctionName,
} from './lambda-names.js';
import { paginate } from './pagination.js';

export interface Alias {
  name: string;
  functionVersion: string;
  description: string;
  revisionId: string;
}

/** A function a `FunctionName` resolved to: its name, its qualifier if any, and the ARN with it. */
export interface ResolvedFunction {
  name: string;
  qualifier?: string;
  arn: string;
}

/**
 * The functions this Lambda holds and their aliases. Functions have only `$LATEST`: versions are not
 * simulated, so an alias can point only there.
 */
export class FunctionRegistry {
  readonly #functions = new Map<string, Map<string, Alias>>();

  constructor(readonly scope: LambdaScope) {}

  /** Aliases restored from a saved state, by function; they come back when their function is registered. */
  readonly #restored = new Map<string, Alias[]>();

  register(name: string): void {
    if (parseFunctionName(name).name !== name) throw new Error(`'${name}' is not a bare function name`);
    if (!this.#functions.has(name)) {
      this.#functions.set(name, new Map((this.#restored.get(name) ?? []).map((a) => [a.name, a])));
      this.#restored.delete(name);
    }
  }

  /** Every alias, by function (those restored but not registered again included), for saving. */
  snapshot(): Record<string, Alias[]> {
    const out: Record<string, Alias[]> = Object.fromEntries(this.#restored);
    for (const [fn, aliases] of this.#functions) out[fn] = [...aliases.values()];
    return out;
  }

  /** Aliases saved earlier: a function's come back when it is registered (a function gone keeps none). */
  restore(saved: Record<string, Alias[]>): void {
    for (const [fn, aliases] of Object.entries(saved)) {
      const live = this.#functions.get(fn);
      if (live) for (const a of aliases) live.set(a.name, a);
      else this.#restored.set(fn, aliases);
    }
  }

  /**
   * The function (and alias, when qualified) a `FunctionName` names, or `onMissing` when either does not
   * exist: operations on the function itself answer 404; CreateEventSourceMapping answers 400.
   */
  resolve(ref: FunctionRef, onMissing: (message: string) => LambdaApiError = notFound): ResolvedFunction {
    const aliases = isElsewhere(this.scope, ref) ? undefined : this.#functions.get(ref.name);
    const arn = functionArn(this.scope, ref.name, ref.qualifier);
    if (aliases === undefined) throw onMissing(`Function not found: ${arn}`);
    if (ref.qualifier !== undefined && ref.qualifier !== '$LATEST' && !aliases.has(ref.qualifier)) {
      throw onMissing(`Function not found: ${arn}`);
    }
    return { name: ref.name, qualifier: ref.qualifier, arn };
  }

  createAlias(functionName: string, body: Record<string, unknown>): Record<string, unknown> {
    const fn = this.#unqualified(functionName);
    const name = checkAliasName(body.Name);
    const version = body.FunctionVersion;
    if (version !== '$LATEST') {
      throw typeof version === 'string' && /^\d+$/.test(version)
        ? notFound(`Function not found: ${functionArn(this.scope, fn, version)}`)
        : invalid(`Invalid FunctionVersion '${String(version)}': only $LATEST exists here`);
    }
    const description = body.Description ?? '';
    if (typeof description !== 'string' || description.length > 256) {
      throw invalid('Description must be a string of at most 256 characters');
    }
    if (body.RoutingConfig !== undefined)
      throw invalid('RoutingConfig is not simulated: there are no versions');
    const aliases = this.#aliases(fn);
    if (aliases.has(name)) {
      throw new LambdaApiError(
        'ResourceConflictException',
        `Alias already exists: ${functionArn(this.scope, fn, name)}`,
      );
    }
    const alias = { name, functionVersion: version, description, revisionId: randomUUID() };
    aliases.set(name, alias);
    return this.#view(fn, alias);
  }

  getAlias(functionName: string, aliasName: string): Record<string, unknown> {
    const fn = this.#unqualified(functionName);
    const alias = this.#aliases(fn).get(aliasName);
    if (alias === undefined) throw notFound(`Alias not found: ${functionArn(this.scope, fn, aliasName)}`);
    return this.#view(fn, alias);
  }

  /** AWS answers 204 for an alias that does not exist (its model lists no ResourceNotFoundException). */
  deleteAlias(functionName: string, aliasName: string): void {
    this.#aliases(this.#unqualified(functionName)).delete(aliasName);
  }

  listAliases(functionName: string, query: URLSearchParams): Record<string, unknown> {
    const fn = this.#unqualified(functionName);
    const version = query.get('FunctionVersion');
    const all = [...this.#aliases(fn).values()]
      .filter((a) => version === null || a.functionVersion === version)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const { page, nextMarker } = paginate(all, (a) => a.name, query, 50);
    return { Aliases: page.map((a) => this.#view(fn, a)), NextMarker: nextMarker };
  }

  /** The function an alias operation's path names; it takes no qualifier there. */
  #unqualified(functionName: string): string {
    const ref = parseFunctionName(functionName);
    if (ref.qualifier !== undefined)
      throw invalid(`FunctionName '${functionName}' must not be qualified here`);
    return this.resolve(ref).name;
  }

  #aliases(fn: string): Map<string, Alias> {
    return this.#functions.get(fn) as Map<string, Alias>;
  }

  #view(fn: string, alias: Alias): Record<string, unknown> {
    return {
      AliasArn: functionArn(this.scope, fn, alias.name),
      Name: alias.name,
      FunctionVersion: alias.functionVersion,
      Description: alias.description,
      RevisionId: alias.revisionId,
    };
  }
}
