// biome-ignore-all lint/suspicious/noTemplateCurlyInString: config-provider placeholders are literal ${…} text
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerConfigProviders } from '../../../lib/config/providers/worker-providers.js';
import { PROVIDER_CLASSES } from '../../../lib/config/worker-properties.js';
import { createKafka } from '../../../lib/kafka/client.js';
import { RecordProducer } from '../../../lib/kafka/producer.js';
import { createDynamoClient } from '../../../lib/store/dynamo-client.js';
import { type Moto, motoAvailable, startMoto } from '../../support/moto.js';
import { DYNAMODB_ENDPOINT, KAFKA_BROKERS, uniqueName } from '../../support/services.js';
import { type ConnectFixture, connectFixture, readTopic } from '../connectors/support.js';

// The canary (security issue, item 2): one secret value delivered through every enabled provider — env,
// file, directory, and Secrets Manager and SSM on moto when the machine has it — then every way a config
// value can come back out is exercised: validate errors, create errors, a task failing with the value in its
// message, a record error sent to the DLQ with context headers and logged with errors.log.include.messages.
// Everything the system says or writes on its own account is scanned: REST replies, the worker's and the
// control API's log lines, status traces, DLQ records and headers, and the state tables.
const CANARY = `canary-${randomBytes(12).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'sc-canary-'));
writeFileSync(join(dir, 'secrets.properties'), `token=${CANARY}\n`);
writeFileSync(join(dir, 'db-password'), CANARY);
const noMoto = motoAvailable();
if (noMoto) console.log(`canary: Secrets Manager and SSM providers skipped: ${noMoto}`);

let cf: ConnectFixture;
let moto: Moto | undefined;
const replies: string[] = [];
const printed: string[] = [];
const restoreOutput: (() => void)[] = [];
const savedEnv = { ...process.env };

/** Every placeholder that resolves to the canary, one per enabled provider. */
const placeholders: string[] = [
  '${env:SC_CANARY_SECRET}',
  `\${file:${join(dir, 'secrets.properties')}:token}`,
  `\${dir:${dir}:db-password}`,
];

beforeAll(async () => {
  process.env.SC_CANARY_SECRET = CANARY;
  const properties: Record<string, string> = {
    'config.providers': 'env,file,dir',
    'config.providers.env.class': PROVIDER_CLASSES.env,
    'config.providers.env.param.allowlist.pattern': 'SC_CANARY_.*',
    'config.providers.file.class': PROVIDER_CLASSES.file,
    'config.providers.file.param.allowed.paths': dir,
    'config.providers.dir.class': PROVIDER_CLASSES.directory,
    'config.providers.dir.param.allowed.paths': dir,
  };
  if (!noMoto) {
    moto = await startMoto();
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'canary-test',
      AWS_SECRET_ACCESS_KEY: 'canary-test',
      AWS_REGION: 'us-east-1',
    });
    const aws = { endpoint: moto.endpoint, region: 'us-east-1' };
    const secret = await new SecretsManagerClient(aws).send(
      new CreateSecretCommand({ Name: 'connect/canary', SecretString: JSON.stringify({ password: CANARY }) }),
    );
    await new SSMClient(aws).send(
      new PutParameterCommand({ Name: '/connect/canary', Value: CANARY, Type: 'SecureString' }),
    );
    Object.assign(properties, {
      'config.providers': 'env,file,dir,secretsmanager,ssm',
      'config.providers.secretsmanager.class': PROVIDER_CLASSES.secretsManager,
      'config.providers.secretsmanager.param.allowed.secrets': 'connect/*',
      'config.providers.ssm.class': PROVIDER_CLASSES.ssm,
      'config.providers.ssm.param.allowed.parameters': '/connect/*',
    });
    placeholders.push(`\${secretsmanager:${secret.ARN}:password}`, '${ssm::/connect/canary}');
  }
  const providers = workerConfigProviders(properties, { awsEndpoint: moto?.endpoint });
  // The control API's Powertools logger and anything else printing go to stdout/stderr: capture them.
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      printed.push(String(chunk));
      return write(chunk, ...rest);
    }) as typeof stream.write;
    restoreOutput.push(() => {
      stream.write = write;
    });
  }
  cf = await connectFixture('canary', { providers, logLevel: 'DEBUG' });
}, 60_000);

afterAll(async () => {
  for (const restore of restoreOutput) restore();
  process.env = savedEnv;
  await cf?.dispose();
  await moto?.stop();
});

async function call(method: string, path: string, body?: unknown) {
  const reply = await cf.call(method, path, body);
  replies.push(JSON.stringify(reply.body ?? null));
  return reply;
}

describe('a canary secret delivered through every enabled provider', () => {
  it('resolves through each provider (the scan below would be vacuous otherwise)', async () => {
    for (const placeholder of placeholders) {
      const reply = await call('PUT', '/connector-plugins/FileStreamSource/config/validate', {
        'connector.class': 'FileStreamSource',
        name: 'canary-check',
        topic: 't',
        'tasks.max': placeholder,
      });
      const tasksMax = reply.body.configs.find(
        (c: { value: { name: string } }) => c.value.name === 'tasks.max',
      );
      // The value was resolved (it failed validation as a non-integer) and reported hidden.
      expect(tasksMax.value.errors.join(' '), placeholder).toMatch(
        /Invalid value \[hidden\] for configuration tasks\.max/,
      );
      expect(tasksMax.value.value, placeholder).toBe(placeholder);
    }
  });

  it('comes out of create errors, a failing task and a DLQ record hidden, and appears nowhere', async () => {
    // Create with a bad value: the 400's message is built from the resolved value.
    for (const placeholder of placeholders) {
      const bad = await call('POST', '/connectors', {
        name: uniqueName('canary-bad'),
        config: {
          'connector.class': 'FileStreamSource',
          topic: 't',
          file: '/tmp/x',
          'tasks.max': placeholder,
        },
      });
      expect(bad.status).toBe(400);
    }
    // A task that fails with the value in its error: its file's directory does not exist and the path holds
    // the secret, so the open error quotes it.
    const failing = uniqueName('canary-fail');
    await cf.create(failing, {
      'connector.class': 'FileStreamSink',
      topics: uniqueName('canary-none'),
      file: `/nonexistent/${placeholders.join('/')}/out.txt`,
      'tasks.max': '1',
    });
    // A record error whose message quotes a config value, tolerated, logged with messages, sent to the DLQ.
    const topic = uniqueName('canary-in');
    const dlq = uniqueName('canary-dlq');
    const kafka = createKafka({ brokers: KAFKA_BROKERS });
    const producer = new RecordProducer(kafka);
    await producer.send([{ topic, key: null, value: Buffer.from('{"amount":5}'), headers: [] }]);
    await producer.disconnect();
    const sink = uniqueName('canary-sink');
    await cf.create(sink, {
      'connector.class': 'FileStreamSink',
      topics: topic,
      file: join(dir, 'out.txt'),
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
      transforms: 'mask',
      'transforms.mask.type': 'org.apache.kafka.connect.transforms.MaskField$Value',
      'transforms.mask.fields': 'amount',
      'transforms.mask.replacement': placeholders[0] as string,
      'errors.tolerance': 'all',
      'errors.log.enable': 'true',
      'errors.log.include.messages': 'true',
      'errors.deadletterqueue.topic.name': dlq,
      'errors.deadletterqueue.topic.replication.factor': '1',
      'errors.deadletterqueue.context.headers.enable': 'true',
    });
    await cf.until(async () => {
      const status = await call('GET', `/connectors/${failing}/status`);
      return status.body?.tasks?.[0]?.state === 'FAILED';
    });
    await cf.until(async () => cf.errors.some((e) => e.includes(sink) && e.includes('TRANSFORMATION')));
    const dead = await readTopic(dlq);
    const status = await call('GET', `/connectors/${failing}/status`);
    await call('GET', `/connectors/${failing}/config`);
    await call('GET', `/connectors/${failing}/tasks`);
    await call('GET', `/connectors/${sink}/status`);
    await call('GET', '/connectors?expand=status&expand=info');

    // The failure really carries the value, hidden.
    expect(status.body.tasks[0].trace).toContain('[hidden]');
    const headers = Object.fromEntries(
      (dead[0]?.headers ?? []).map((h) => [h.key, h.value?.toString() ?? '']),
    );
    expect(headers['__connect.errors.exception.message']).toContain('Unable to convert [hidden]');

    const dynamo = createDynamoClient({ endpoint: DYNAMODB_ENDPOINT });
    const tables = Object.values(cf.tables);
    const stored: string[] = [];
    for (const TableName of tables) {
      const scan = await dynamo.send(new ScanCommand({ TableName }));
      stored.push(JSON.stringify(scan.Items ?? []));
    }
    dynamo.destroy();
    const everything = {
      replies: replies.join('\n'),
      logs: cf.logs.join('\n'),
      printed: printed.join(''),
      dlq: dead
        .map(
          (r) =>
            `${r.value?.toString()} ${JSON.stringify(r.headers.map((h) => [h.key, h.value?.toString()]))}`,
        )
        .join('\n'),
      stored: stored.join('\n'),
    };
    // The scan is not vacuous: each source holds something.
    expect(everything.replies.length).toBeGreaterThan(1000);
    expect(everything.dlq).toContain('__connect.errors.exception.message');
    expect(everything.logs).not.toBe('');
    for (const [where, text] of Object.entries(everything)) {
      expect(text.includes(CANARY), `the canary was found in ${where}`).toBe(false);
    }
  }, 120_000);
});
