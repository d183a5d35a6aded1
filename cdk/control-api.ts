import { Duration } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  type IResource,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  type RequestAuthorizer,
  RestApi,
  TokenAuthorizer,
} from 'aws-cdk-lib/aws-apigateway';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { AUTH_ENV, CONTROL_ENV, ENV } from '../lib/env.js';
import { ApiFirewall, RATE_LIMIT, REQUEST_SIZE_LIMIT } from './api-firewall.js';
import { ENTRIES, LAZY_MODULES } from './bundling.js';
import { ConnectFunction } from './connect-function.js';
import type { KafkaConnectivity } from './kafka-connectivity.js';
import { acknowledgeNag } from './nag.js';
import { grantSinkMappings } from './sink-mapping-grants.js';
import type { StateTables } from './state-tables.js';
import type { WorkerSettings } from './worker-settings.js';

/** Kafka Connect's REST paths and methods (lib/control/rest/routes.ts), as API Gateway resources. */
export const CONNECT_ROUTES: Record<string, string[]> = {
  '/': ['GET'],
  '/health': ['GET'],
  '/connectors': ['GET', 'POST'],
  '/connectors/{connector}': ['GET', 'DELETE'],
  '/connectors/{connector}/config': ['GET', 'PUT', 'PATCH'],
  '/connectors/{connector}/status': ['GET'],
  '/connectors/{connector}/tasks': ['GET'],
  '/connectors/{connector}/tasks-config': ['GET'],
  '/connectors/{connector}/tasks/{task}/status': ['GET'],
  '/connectors/{connector}/tasks/{task}/restart': ['POST'],
  '/connectors/{connector}/restart': ['POST'],
  '/connectors/{connector}/pause': ['PUT'],
  '/connectors/{connector}/resume': ['PUT'],
  '/connectors/{connector}/stop': ['PUT'],
  '/connectors/{connector}/topics': ['GET'],
  '/connectors/{connector}/topics/reset': ['PUT'],
  '/connectors/{connector}/offsets': ['GET', 'PATCH', 'DELETE'],
  '/connector-plugins': ['GET'],
  '/connector-plugins/{plugin}/config': ['GET'],
  '/connector-plugins/{plugin}/config/validate': ['PUT'],
  '/admin/loggers': ['GET'],
  '/admin/loggers/{logger}': ['GET', 'PUT'],
};

export interface ControlApiProps {
  /** The state tables. Required. */
  readonly tables: StateTables;
  /** Kafka settings, placement and grants. Required. */
  readonly kafka: KafkaConnectivity;
  /** The deployment's worker properties and config provider reach (validation resolves providers). Required. */
  readonly worker: WorkerSettings;
  /** The sink function whose event source mappings the control plane manages. @default none (sinks are polled) */
  readonly sinkFunction?: IFunction;
  /** The dispatcher, started after each change to connectors. @default none (the schedule alone) */
  readonly dispatcher?: IFunction;
  /** Secret `{"username","password"}`: HTTP Basic through a Lambda authorizer instead of AWS_IAM. @default none (AWS_IAM) */
  readonly basicAuthSecretArn?: string;
  /**
   * How long the authorizer keeps the Basic secret before reading it again: a rotated-out password is
   * refused at most this long after the rotation, plus `basicAuthResultsCacheTtl`.
   * @default Duration.minutes(5)
   */
  readonly basicAuthSecretTtl?: Duration;
  /**
   * How long API Gateway caches an authorizer decision per `Authorization` header; at most
   * `basicAuthSecretTtl` (at most 1 hour); zero turns the cache off.
   * @default basicAuthSecretTtl
   */
  readonly basicAuthResultsCacheTtl?: Duration;
  /** Steady-state requests per second of the stage. @default 50 */
  readonly throttlingRateLimit?: number;
  /** @default 100 */
  readonly throttlingBurstLimit?: number;
  /** Largest request body accepted (AWS WAF size constraint, at most 64 KiB); 0 drops the size rule. @default 65536 */
  readonly maxRequestBodyBytes?: number;
  /** Requests per IP address per `rateWindowSeconds` before AWS WAF blocks it (10 and up). @default 300 */
  readonly rateLimit?: number;
  /** @default 300 (5 minutes) */
  readonly rateWindowSeconds?: 60 | 120 | 300 | 600;
  /** Log the requests WAF blocks (credential headers redacted). @default false */
  readonly logBlockedRequests?: boolean;
  /** @default 'v1' */
  readonly stageName?: string;
  /** `GET /`'s commit. @default 'unknown' */
  readonly gitCommit?: string;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default Duration.seconds(29) (API Gateway's integration timeout) */
  readonly timeout?: Duration;
  /** Retention of the function's and the access logs. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

/**
 * The Kafka Connect REST API: API Gateway REST with Kafka Connect's paths, AWS_IAM on every method (or
 * HTTP Basic through a Lambda authorizer), access and execution logs (neither holds a request header),
 * throttling, and an AWS WAF web ACL (per-IP rate limit, body size limit), in front of the one
 * control-api function.
 */
export class ControlApi extends Construct {
  readonly function: ConnectFunction;
  readonly api: RestApi;
  readonly firewall: ApiFirewall;

  constructor(scope: Construct, id: string, props: ControlApiProps) {
    super(scope, id);
    const { tables, kafka, worker, sinkFunction } = props;
    this.function = new ConnectFunction(this, 'Function', {
      entry: ENTRIES.controlApi,
      nodeModules: LAZY_MODULES,
      serviceName: 'control-api',
      description: 'Serverless Connect: Kafka Connect REST API',
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(29),
      logRetention: props.logRetention,
      vpc: kafka.vpc,
      vpcSubnets: kafka.subnets,
      securityGroups: kafka.securityGroups,
      environment: {
        ...tables.environment,
        ...kafka.environment,
        ...worker.environment,
        ...(sinkFunction
          ? { [ENV.sinkFunction]: sinkFunction.functionName, ...kafka.controlEnvironment }
          : {}),
        [CONTROL_ENV.gitCommit]: props.gitCommit ?? 'unknown',
        ...(props.dispatcher ? { [CONTROL_ENV.dispatcherFunction]: props.dispatcher.functionName } : {}),
      },
    });
    // Started after each change to connectors, so new tasks need not wait for the schedule: the function
    // itself, none of its versions or aliases (grantInvoke would add `:*`).
    if (props.dispatcher)
      this.function.addToRolePolicy(
        new PolicyStatement({
          actions: ['lambda:InvokeFunction'],
          resources: [props.dispatcher.functionArn],
        }),
      );
    tables.grantReadWriteData(this.function);
    kafka.grantAdmin(this.function);
    worker.grantConfigProviders(this.function);
    if (sinkFunction)
      grantSinkMappings(this.function, sinkFunction, {
        mappings: ['lambda:GetEventSourceMapping'],
        aliases: ['lambda:GetAlias'],
      });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
    });
    this.api = new RestApi(this, 'Api', {
      description: 'Serverless Connect: Kafka Connect REST API',
      cloudWatchRole: true,
      deployOptions: {
        stageName: props.stageName ?? 'v1',
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        // Access logs are built from $context variables only, which hold no request header (the
        // Authorization header included); execution logs are errors only, never full request data.
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        throttlingRateLimit: props.throttlingRateLimit ?? 50,
        throttlingBurstLimit: props.throttlingBurstLimit ?? 100,
      },
    });
    const authorizer = props.basicAuthSecretArn ? this.basicAuthorizer(props) : undefined;
    const integration = new LambdaIntegration(this.function, { allowTestInvoke: false });
    for (const [path, methods] of Object.entries(CONNECT_ROUTES)) {
      const resource: IResource = path === '/' ? this.api.root : this.api.root.resourceForPath(path);
      for (const method of methods)
        resource.addMethod(method, integration, {
          authorizationType: authorizer ? AuthorizationType.CUSTOM : AuthorizationType.IAM,
          authorizer,
        });
    }
    acknowledgeNag(
      this.api,
      'COG4',
      authorizer
        ? 'HTTP Basic through a Lambda authorizer, for Kafka Connect tools that cannot sign requests (opt-in)'
        : 'Every method uses AWS_IAM (SigV4): callers are IAM principals, as for any AWS API; no user pool is involved',
    );
    acknowledgeNag(
      this.api,
      'APIG2',
      'The control plane validates every body as Kafka Connect does and answers 400/422 with {error_code, message}; an API Gateway model would duplicate it with different errors',
    );
    acknowledgeNag(
      this.api,
      'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      "API Gateway's account-level role for execution logs (APIG6); the AWS policy is the documented one",
    );
    this.firewall = new ApiFirewall(this, 'Firewall', {
      stage: this.api.deploymentStage,
      maxBodyBytes: props.maxRequestBodyBytes ?? REQUEST_SIZE_LIMIT,
      rateLimit: props.rateLimit ?? RATE_LIMIT,
      rateWindowSeconds: props.rateWindowSeconds,
      logBlockedRequests: props.logBlockedRequests,
      logRetention: props.logRetention,
    });
  }

  private basicAuthorizer(props: ControlApiProps): TokenAuthorizer | RequestAuthorizer {
    // A rotated-out password works at most secretTtl (this container's copy) + resultsTtl (API
    // Gateway's cached Allow) after the rotation; a cache longer than the secret's would dominate it.
    const secretTtl = props.basicAuthSecretTtl ?? Duration.minutes(5);
    const resultsTtl = props.basicAuthResultsCacheTtl ?? secretTtl;
    if (resultsTtl.toSeconds() > secretTtl.toSeconds())
      throw new Error(
        `ControlApi basicAuthResultsCacheTtl (${resultsTtl.toSeconds()} s) must not exceed basicAuthSecretTtl (${secretTtl.toSeconds()} s)`,
      );
    const secret = Secret.fromSecretCompleteArn(this, 'BasicAuthSecret', props.basicAuthSecretArn ?? '');
    const fn = new ConnectFunction(this, 'BasicAuth', {
      entry: ENTRIES.basicAuth,
      serviceName: 'basic-auth',
      description: 'Serverless Connect: HTTP Basic authorizer for the REST API',
      memorySize: 256,
      timeout: Duration.seconds(10),
      logRetention: props.logRetention,
      environment: {
        [AUTH_ENV.basicAuthSecretArn]: secret.secretArn,
        [AUTH_ENV.basicAuthSecretTtlSeconds]: String(secretTtl.toSeconds()),
      },
    });
    secret.grantRead(fn);
    return new TokenAuthorizer(this, 'BasicAuthorizer', {
      handler: fn,
      identitySource: 'method.request.header.Authorization',
      resultsCacheTtl: resultsTtl,
    });
  }
}

/** The tag esm-mapping-input.ts puts on each mapping (its CONNECTOR_TAG; a test keeps the two equal). */
export { CONNECTOR_TAG } from './sink-mapping-grants.js';
