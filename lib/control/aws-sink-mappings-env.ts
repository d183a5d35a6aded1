import type { LambdaClient, SourceAccessConfiguration } from '@aws-sdk/client-lambda';
import { CONTROL_ENV, ENV } from '../env.js';
import { awsSinkMappings } from './aws-sink-mappings.js';
import type { SinkMappings } from './sink-mappings.js';

/**
 * The mappings of the deployment described by the environment (SINK_FUNCTION_NAME, the Kafka source and
 * its access), or undefined when sinks are polled (no sink function). The control plane and the
 * dispatcher's reconciler build the same one.
 */
export function awsSinkMappingsFromEnv(
  env: NodeJS.ProcessEnv,
  client: Pick<LambdaClient, 'send'>,
): SinkMappings | undefined {
  const functionName = env[ENV.sinkFunction];
  if (!functionName) return undefined;
  const access: SourceAccessConfiguration[] = [];
  const auth = env[ENV.kafkaAuth] ?? 'none';
  const secret = env[ENV.kafkaSecretArn];
  const authType = {
    'scram-sha-512': 'SASL_SCRAM_512_AUTH',
    'scram-sha-256': 'SASL_SCRAM_256_AUTH',
    mtls: 'CLIENT_CERTIFICATE_TLS_AUTH',
  }[auth];
  if (authType && secret) access.push({ Type: authType as SourceAccessConfiguration['Type'], URI: secret });
  const arn = env[CONTROL_ENV.mskClusterArn];
  if (!arn) {
    for (const id of list(env[CONTROL_ENV.esmSubnets]))
      access.push({ Type: 'VPC_SUBNET', URI: `subnet:${id}` });
    for (const id of list(env[CONTROL_ENV.esmSecurityGroups]))
      access.push({ Type: 'VPC_SECURITY_GROUP', URI: `security_group:${id}` });
  }
  return awsSinkMappings({
    client,
    functionName,
    source: arn
      ? { mskClusterArn: arn, accessConfigurations: access }
      : { bootstrapServers: list(env[ENV.kafkaBrokers]), accessConfigurations: access },
  });
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
