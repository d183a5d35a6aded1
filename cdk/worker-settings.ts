import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct, type IConstruct } from 'constructs';
import {
  AWS_PROVIDER_PARAMS,
  awsProviderReach,
  DEFAULT_TASKS_MAX_LIMIT,
  PROVIDER_CLASSES,
  pluginPolicy,
  providerSpecs,
  WORKER_KEYS,
  WORKER_PROPERTIES_ENV,
  type WorkerProperties,
  workerLimits,
} from '../lib/config/worker-properties.js';
import { acknowledgeNag, nagResource } from './nag.js';

export interface WorkerSettingsProps {
  /**
   * The deployment's worker properties in Kafka's worker-config shape (`config.providers`,
   * `config.providers.<name>.class`/`.param.*`, `connector.client.config.override.policy`,
   * `tasks.max.limit`, `file.stream.enable`, `file.stream.allowed.paths`,
   * `http.sink.allow.private.networks`, `consumer.group.id.allowed.prefixes`; see
   * `lib/config/worker-properties.ts`). Validated here, so a bad declaration fails `cdk synth`.
   * @default {} (no config providers, FileStream connectors not registered, HTTP sink on public addresses only)
   */
  readonly workerProperties?: Record<string, string>;
  /**
   * The largest `tasks.max` one connector may ask for (`tasks.max.limit`), written into the worker
   * properties unless they set it themselves: one request cannot start more task runners than this.
   * @default 64
   */
  readonly tasksMaxLimit?: number;
  /**
   * Customer managed KMS keys (ARNs) that encrypt the secrets or SecureString parameters the providers
   * read; the functions may decrypt with them only through Secrets Manager or SSM (`kms:ViaService`).
   * @default none (AWS managed keys need no grant)
   */
  readonly providerKeyArns?: string[];
}

/**
 * What the deployment decides for every worker (docs/security.md): the worker properties, checked at synth
 * time, handed to the functions as one JSON variable ({@link WORKER_PROPERTIES_ENV}), and the IAM reach
 * of the AWS config providers: exactly the secrets and parameters their allowlists name, nothing when
 * no provider is declared.
 */
export class WorkerSettings extends Construct {
  /** The worker properties as the functions receive them. */
  readonly properties: WorkerProperties;
  /** Consumer group prefixes a sink may use (`connect-` first), for the MSK IAM group grants. */
  readonly groupIdPrefixes: string[];
  /** IAM resources the Secrets Manager providers may read: ARNs, or ARN patterns for names and prefixes. */
  readonly secretResources: string[];
  /** IAM resources (parameter ARNs or prefixes) the SSM providers may read. */
  readonly parameterResources: string[];
  private readonly keyArns: string[];
  /** Regions the AWS providers read from (their `region` param); undefined = the stack's. */
  private readonly regions = new Set<string | undefined>();

  constructor(scope: Construct, id: string, props: WorkerSettingsProps = {}) {
    super(scope, id);
    const given = props.workerProperties ?? {};
    const declaredLimit = given[WORKER_KEYS.tasksMaxLimit];
    if (
      declaredLimit !== undefined &&
      props.tasksMaxLimit !== undefined &&
      Number(declaredLimit) !== props.tasksMaxLimit
    )
      throw new Error(
        `tasksMaxLimit (${props.tasksMaxLimit}) and the worker property ${WORKER_KEYS.tasksMaxLimit} (${declaredLimit}) disagree: set one`,
      );
    this.properties = {
      ...given,
      [WORKER_KEYS.tasksMaxLimit]: declaredLimit ?? String(props.tasksMaxLimit ?? DEFAULT_TASKS_MAX_LIMIT),
    };
    // The runtime applies the same checks when it starts; here they fail the synth instead of a deploy.
    pluginPolicy(this.properties, true);
    this.groupIdPrefixes = workerLimits(this.properties).groupIdPrefixes;
    const { secrets, parameters } = this.awsReach();
    this.secretResources = secrets;
    this.parameterResources = parameters;
    this.keyArns = props.providerKeyArns ?? [];
    if (this.keyArns.length > 0 && secrets.length + parameters.length === 0)
      throw new Error(
        'providerKeyArns is set, but no secretsmanager or ssm config provider names anything to read',
      );
  }

  /** {@link WORKER_PROPERTIES_ENV} for the functions that read connector configs. */
  get environment(): Record<string, string> {
    return { [WORKER_PROPERTIES_ENV]: Stack.of(this).toJsonString(this.properties) };
  }

  /**
   * Read access to what the AWS config providers may resolve, for the functions that resolve them (the
   * control API validates and shows offsets, the task runner and the sink run tasks). Not a construct
   * grant: `Secret.grantRead` and `StringParameter.grantRead` add DescribeSecret / GetParameterHistory
   * the providers never call, and take neither name prefixes nor patterns.
   */
  grantConfigProviders(grantee: IGrantable): void {
    const stack = Stack.of(this);
    if (this.secretResources.length > 0)
      Grant.addToPrincipal({
        grantee,
        actions: ['secretsmanager:GetSecretValue'],
        resourceArns: this.secretResources,
      });
    if (this.parameterResources.length > 0)
      Grant.addToPrincipal({
        grantee,
        actions: ['ssm:GetParameter', 'ssm:GetParameters'],
        resourceArns: this.parameterResources,
      });
    if (this.keyArns.length > 0)
      Grant.addToPrincipal({
        grantee,
        actions: ['kms:Decrypt'],
        resourceArns: this.keyArns,
        conditions: {
          StringEquals: {
            'kms:ViaService': [...this.regions].flatMap((region = stack.region) => [
              `secretsmanager.${region}.${stack.urlSuffix}`,
              `ssm.${region}.${stack.urlSuffix}`,
            ]),
          },
        },
      });
    for (const resource of [...this.secretResources, ...this.parameterResources])
      if (resource.includes('*') && Construct.isConstruct(grantee.grantPrincipal))
        acknowledgeNag(
          grantee.grantPrincipal as IConstruct,
          `IAM5[Resource::${nagResource(stack, resource)}]`,
          'A prefix the deployment itself declared in a config provider allowlist (allowed.secrets / allowed.parameters); the provider refuses any other name before calling AWS',
        );
  }

  /** Per declared provider (each may name its own `region`), its allowlist as IAM resources. */
  private awsReach(): { secrets: string[]; parameters: string[] } {
    const stack = Stack.of(this);
    const secrets: string[] = [];
    const parameters: string[] = [];
    for (const spec of providerSpecs(this.properties)) {
      const region = spec.params.region?.trim() || undefined;
      // awsProviderReach is the one reading of the allowlists; asked per provider for its region.
      const prefix = `config.providers.${spec.name}.`;
      const own = Object.fromEntries(Object.entries(this.properties).filter(([k]) => k.startsWith(prefix)));
      const isSecrets = spec.className === PROVIDER_CLASSES.secretsManager;
      if (!isSecrets && spec.className !== PROVIDER_CLASSES.ssm) continue;
      const reach = awsProviderReach({ ...own, [WORKER_KEYS.configProviders]: spec.name });
      const named = isSecrets ? reach.secrets : reach.parameters;
      if (named.length === 0) {
        const key = isSecrets ? AWS_PROVIDER_PARAMS.allowedSecrets : AWS_PROVIDER_PARAMS.allowedParameters;
        throw new Error(
          `Config provider ${spec.name} names nothing in ${prefix}param.${key}: on AWS its functions may read only what is named there`,
        );
      }
      this.regions.add(region);
      if (isSecrets) secrets.push(...named.map((n) => secretArn(stack, n, region)));
      else parameters.push(...named.map((n) => parameterArn(stack, n, region)));
    }
    return { secrets: [...new Set(secrets)], parameters: [...new Set(parameters)] };
  }
}

/**
 * A secret as IAM names it. An ARN stays as written; a name gets Secrets Manager's random suffix
 * (`-??????`, as CDK's `Secret.fromSecretNameV2`), unless it ends in `*`, which covers the suffix.
 */
function secretArn(stack: Stack, name: string, region: string | undefined): string {
  if (Token.isUnresolved(name) || name.startsWith('arn:')) return name;
  return stack.formatArn({
    service: 'secretsmanager',
    resource: 'secret',
    resourceName: name.endsWith('*') ? name : `${name}-??????`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    region,
  });
}

/** A parameter (`/a/b`) or prefix (`/a/*`) as IAM names it: `arn:…:parameter/a/b`. An ARN stays. */
function parameterArn(stack: Stack, name: string, region: string | undefined): string {
  if (Token.isUnresolved(name) || name.startsWith('arn:')) return name;
  return stack.formatArn({
    service: 'ssm',
    resource: 'parameter',
    resourceName: name.replace(/^\//, ''),
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    region,
  });
}
