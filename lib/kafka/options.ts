import { ENV } from '../env.js';
import type { KafkaOptions } from './client.js';

/** Reads a secret's string value (Secrets Manager on AWS); injected so this module stays SDK-free. */
export type SecretReader = (arn: string) => Promise<string>;

/**
 * Builds kafkajs connection options from the environment the CDK sets (names in lib/env.ts):
 * `KAFKA_AUTH` = `none` | `scram-sha-512` | `scram-sha-256` | `mtls` | `msk-iam`.
 * - SCRAM: the secret holds `{"username","password"}` (the shape MSK's SCRAM secrets use).
 * - mTLS: the secret holds `{"certificate","privateKey","caCertificate"?}` in PEM.
 * - MSK IAM: OAUTHBEARER tokens signed with the function's role by aws-msk-iam-sasl-signer-js.
 */
export async function kafkaOptionsFromEnv(
  env: NodeJS.ProcessEnv,
  readSecret?: SecretReader,
): Promise<KafkaOptions> {
  const brokers = (env[ENV.kafkaBrokers] ?? '127.0.0.1:9092')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  const auth = env[ENV.kafkaAuth] ?? 'none';
  const tls = env[ENV.kafkaTls] === 'true' || auth !== 'none';
  const secretArn = env[ENV.kafkaSecretArn];
  const secret = async () => {
    if (!secretArn || !readSecret) throw new Error(`${ENV.kafkaAuth}=${auth} needs ${ENV.kafkaSecretArn}`);
    const text = await readSecret(secretArn);
    try {
      return JSON.parse(text) as Record<string, string>;
    } catch {
      // JSON.parse quotes the text it could not parse: the secret must not reach a log or a trace.
      throw new Error(`The secret ${secretArn} (${ENV.kafkaSecretArn}) is not a JSON object`);
    }
  };
  switch (auth) {
    case 'none':
      return { brokers, ssl: tls || undefined };
    case 'scram-sha-512':
    case 'scram-sha-256': {
      const { username = '', password = '' } = await secret();
      const sasl =
        auth === 'scram-sha-512'
          ? { mechanism: 'scram-sha-512' as const, username, password }
          : { mechanism: 'scram-sha-256' as const, username, password };
      return { brokers, ssl: true, sasl };
    }
    case 'mtls': {
      const s = await secret();
      return {
        brokers,
        ssl: { cert: s.certificate, key: s.privateKey, ca: s.caCertificate ? [s.caCertificate] : undefined },
      };
    }
    case 'msk-iam': {
      const region = env.AWS_REGION ?? 'us-east-1';
      return {
        brokers,
        ssl: true,
        sasl: {
          mechanism: 'oauthbearer',
          // The signer (and the STS client and credential chain it brings) loads with the first token,
          // so deployments without MSK IAM never load it.
          oauthBearerProvider: async () => {
            const { generateAuthToken } = await import('aws-msk-iam-sasl-signer-js');
            return { value: (await generateAuthToken({ region })).token };
          },
        },
      };
    }
    default:
      throw new Error(
        `unknown ${ENV.kafkaAuth} '${auth}': use none, scram-sha-512, scram-sha-256, mtls or msk-iam`,
      );
  }
}
