import { App } from 'aws-cdk-lib';
import { buildApp } from '../../cdk/app.js';
import type { ServerlessConnectStack } from '../../cdk/serverless-connect-stack.js';

export const MSK_ARN =
  'arn:aws:kafka:eu-west-1:123456789012:cluster/demo/0b5c1a6e-1111-2222-3333-444455556666-7';
export const SCRAM_SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_connect-AbCdEf';
export const BASIC_SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:connect-basic-AbCdEf';

/**
 * The app as `cdk synth` builds it, from context. Bundling is skipped (`aws:cdk:bundling-stacks`: none):
 * the templates do not depend on bundle contents, and `npm run synth` bundles every function for real.
 */
export function synthStack(context: Record<string, unknown> = {}): {
  app: App;
  stack: ServerlessConnectStack;
} {
  const app = new App({
    context: { 'aws:cdk:bundling-stacks': [], bootstrapServers: 'b-1.kafka:9092', ...context },
  });
  return { app, stack: buildApp(app) };
}

/** The MSK variant: IAM auth, VPC placement, HTTP Basic in front of the API. */
export const MSK_CONTEXT = {
  bootstrapServers: '',
  mskClusterArn: MSK_ARN,
  kafkaAuth: 'msk-iam',
  vpcId: 'vpc-0123456789abcdef0',
  subnetIds: 'subnet-0123456789abcdef0,subnet-0123456789abcdef1',
  basicAuthSecretArn: BASIC_SECRET,
};

/** Config providers as a deployment declares them: Secrets Manager (a name, an ARN, a prefix) and SSM. */
export const PROVIDER_PROPERTIES = {
  'config.providers': 'secretsmanager,ssm',
  'config.providers.secretsmanager.class':
    'com.amazonaws.kafka.config.providers.SecretsManagerConfigProvider',
  'config.providers.secretsmanager.param.allowed.secrets': `db-creds,${SCRAM_SECRET},team-a/*`,
  'config.providers.ssm.class': 'com.amazonaws.kafka.config.providers.SsmParamStoreConfigProvider',
  'config.providers.ssm.param.allowed.parameters': '/connect/db/password,/connect/app/*',
};
export const PROVIDER_KEY = 'arn:aws:kms:eu-west-1:123456789012:key/0b5c1a6e-1111-2222-3333-444455556666';
