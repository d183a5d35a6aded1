import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ISecurityGroup, IVpc, SubnetSelection } from 'aws-cdk-lib/aws-ec2';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { METRICS } from '../lib/config/metric-names.js';
import { BUNDLING } from './bundling.js';
import { acknowledgeNag } from './nag.js';

/** The repository root: entries, package-lock.json and node_modules (the local esbuild) live there. */
export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface ConnectFunctionProps {
  /** Entry file relative to the repository root, e.g. `functions/sink.ts` (one of `ENTRIES`). Required. */
  readonly entry: string;
  /** Powertools service name (`POWERTOOLS_SERVICE_NAME`). @default the construct id */
  readonly serviceName?: string;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** Extra environment, merged over the Powertools defaults. @default {} */
  readonly environment?: Record<string, string>;
  /** Powertools log level (`POWERTOOLS_LOG_LEVEL`). @default 'INFO' */
  readonly logLevel?: string;
  /** Retention of the function's log group. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** What happens to the log group when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** Reserved concurrency. @default none (unreserved account pool) */
  readonly reservedConcurrentExecutions?: number;
  /** VPC to run in (Kafka in private subnets). @default not in a VPC */
  readonly vpc?: IVpc;
  /** @default the VPC's private subnets */
  readonly vpcSubnets?: SubnetSelection;
  /** @default none (Lambda creates one when a VPC is given) */
  readonly securityGroups?: ISecurityGroup[];
  /** @default none */
  readonly description?: string;
  /**
   * Packages installed beside the bundle instead of bundled (loaded lazily at run time).
   * @default none
   */
  readonly nodeModules?: readonly string[];
}

/**
 * The one place that decides how a Serverless Connect function is built and run: esbuild ESM bundle
 * (minified, source maps, `createRequire` banner for CommonJS dependencies), arm64, nodejs24.x, an
 * explicit log group with retention, and the Powertools environment. Every function in the stack is one.
 */
export class ConnectFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: ConnectFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    // An own role whose only log permission is this function's log group, instead of the
    // AWSLambdaBasicExecutionRole managed policy (logs:* on every log group).
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    super(scope, id, {
      role,
      entry: join(PROJECT_ROOT, props.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      description: props.description,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      vpc: props.vpc,
      vpcSubnets: props.vpc ? props.vpcSubnets : undefined,
      securityGroups: props.securityGroups,
      logGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName ?? id,
        POWERTOOLS_METRICS_NAMESPACE: METRICS.namespace,
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
        // Stack traces point into the TypeScript sources through the bundled source maps.
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: BUNDLING.target,
        minify: BUNDLING.minify,
        sourceMap: BUNDLING.sourceMap,
        mainFields: [...BUNDLING.mainFields],
        banner: BUNDLING.banner,
        externalModules: [...BUNDLING.externalModules],
        ...(props.nodeModules?.length ? { nodeModules: [...props.nodeModules] } : {}),
      },
    });
    if (props.vpc)
      acknowledgeNag(
        role,
        'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
        'Lambda in a VPC needs to create and delete its ENIs; this AWS policy is the documented minimum and ENIs do not exist before Lambda creates them',
      );
  }
}
