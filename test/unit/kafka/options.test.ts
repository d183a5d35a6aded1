import { describe, expect, it } from 'vitest';
import { ENV } from '../../../lib/env.js';
import { kafkaOptionsFromEnv } from '../../../lib/kafka/options.js';

// Secrets Manager cannot be reached here: the reader is the function the Lambda passes in, so a test
// supplies the secret text directly.
const secrets: Record<string, string> = {
  'arn:scram': JSON.stringify({ username: 'connect', password: 's3cret' }),
  'arn:mtls': JSON.stringify({ certificate: 'CERT', privateKey: 'KEY', caCertificate: 'CA' }),
};
const readSecret = async (arn: string) => secrets[arn] ?? '';

describe('Kafka connection options from the environment', () => {
  it('reports a secret that is not JSON without quoting it (JSON.parse would)', async () => {
    const env = { [ENV.kafkaAuth]: 'scram-sha-512', [ENV.kafkaSecretArn]: 'arn:broken' };

    const error = await kafkaOptionsFromEnv(env, async () => 'hunter2-not-json').catch((e: Error) => e);

    expect(String(error)).toContain('The secret arn:broken (KAFKA_SECRET_ARN) is not a JSON object');
    expect(String(error)).not.toContain('hunter2');
  });

  it('defaults to plaintext brokers on loopback', async () => {
    expect(await kafkaOptionsFromEnv({}, readSecret)).toEqual({
      brokers: ['127.0.0.1:9092'],
      ssl: undefined,
    });
  });

  it('reads SASL/SCRAM credentials from the secret and turns TLS on', async () => {
    const options = await kafkaOptionsFromEnv(
      {
        [ENV.kafkaBrokers]: 'b-1:9096, b-2:9096',
        [ENV.kafkaAuth]: 'scram-sha-512',
        [ENV.kafkaSecretArn]: 'arn:scram',
      },
      readSecret,
    );
    expect(options).toEqual({
      brokers: ['b-1:9096', 'b-2:9096'],
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'connect', password: 's3cret' },
    });
  });

  it('builds mutual TLS from the PEMs in the secret', async () => {
    const options = await kafkaOptionsFromEnv(
      { [ENV.kafkaAuth]: 'mtls', [ENV.kafkaSecretArn]: 'arn:mtls' },
      readSecret,
    );
    expect(options.ssl).toEqual({ cert: 'CERT', key: 'KEY', ca: ['CA'] });
  });

  it('signs MSK IAM with an OAUTHBEARER token provider', async () => {
    const options = await kafkaOptionsFromEnv({ [ENV.kafkaAuth]: 'msk-iam', AWS_REGION: 'eu-west-1' });
    expect(options.ssl).toBe(true);
    expect(options.sasl).toMatchObject({ mechanism: 'oauthbearer' });
    expect(typeof (options.sasl as { oauthBearerProvider?: unknown }).oauthBearerProvider).toBe('function');
  });

  it('signs an MSK IAM token with the signer it loads on first use (offline, from static credentials)', async () => {
    // Prepare: credentials from the environment, so the signer's default chain needs no network.
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_REGION: 'eu-west-1',
    });
    try {
      const options = await kafkaOptionsFromEnv({ [ENV.kafkaAuth]: 'msk-iam', AWS_REGION: 'eu-west-1' });
      const provider = (options.sasl as { oauthBearerProvider: () => Promise<{ value: string }> })
        .oauthBearerProvider;
      // Act
      const { value } = await provider();
      // Assess: a presigned kafka-cluster:Connect URL, base64url-encoded, as MSK expects.
      const url = new URL(Buffer.from(value, 'base64url').toString('utf8'));
      expect(url.hostname).toBe('kafka.eu-west-1.amazonaws.com');
      expect(url.searchParams.get('Action')).toBe('kafka-cluster:Connect');
      expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^AKIDEXAMPLE\//);
    } finally {
      process.env = saved;
    }
  });

  it('refuses an unknown mechanism and a SCRAM setting without its secret, saying what is missing', async () => {
    await expect(kafkaOptionsFromEnv({ [ENV.kafkaAuth]: 'kerberos' })).rejects.toThrow(
      "unknown KAFKA_AUTH 'kerberos': use none, scram-sha-512, scram-sha-256, mtls or msk-iam",
    );
    await expect(kafkaOptionsFromEnv({ [ENV.kafkaAuth]: 'scram-sha-256' }, readSecret)).rejects.toThrow(
      'KAFKA_AUTH=scram-sha-256 needs KAFKA_SECRET_ARN',
    );
  });
});
