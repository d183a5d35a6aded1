import { randomBytes } from 'node:crypto';

/**
 * Environment variables Lambda sets itself and refuses in a function's configuration
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html).
 */
const RESERVED = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

/** The runtime the CDK app deploys (`Runtime.NODEJS_24_X`). */
export const EXECUTION_ENV = 'AWS_Lambda_nodejs24.x';

/** Refuses a function environment that sets a key Lambda reserves, as CreateFunction does. */
export function refuseReserved(name: string, own: Readonly<Record<string, string>>): void {
  const used = Object.keys(own).filter((key) => RESERVED.has(key));
  if (used.length > 0)
    throw new Error(`${name}: the environment sets keys Lambda reserves for itself: ${used.join(', ')}`);
}

/**
 * What an execution environment's process sees: Lambda's unreserved defaults (which the function's own
 * variables may override), the function's own, then what Lambda sets itself. Nothing else of the parent's
 * environment but PATH, so a secret there cannot leak into a function.
 */
export function lambdaVariables(v: {
  own: Readonly<Record<string, string>>;
  name: string;
  handler: string;
  region: string;
  memoryMb: number;
  home: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  logStreamName: string;
  taskRoot: string;
  runtimeDir: string;
}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    HOME: v.home,
    ...v.own,
    _HANDLER: v.handler,
    AWS_REGION: v.region,
    AWS_DEFAULT_REGION: v.region,
    AWS_EXECUTION_ENV: EXECUTION_ENV,
    AWS_LAMBDA_FUNCTION_NAME: v.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(v.memoryMb),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${v.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: v.logStreamName,
    AWS_ACCESS_KEY_ID: v.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: v.credentials.secretAccessKey,
    ...(v.credentials.sessionToken ? { AWS_SESSION_TOKEN: v.credentials.sessionToken } : {}),
    LAMBDA_TASK_ROOT: v.taskRoot,
    LAMBDA_RUNTIME_DIR: v.runtimeDir,
  };
}

/** `YYYY/MM/DD/[$LATEST]<32 hex>`, the stream each environment writes to (`AWS_LAMBDA_LOG_STREAM_NAME`). */
export function logStreamName(now: Date): string {
  const date = now.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${date}/[$LATEST]${randomBytes(16).toString('hex')}`;
}
