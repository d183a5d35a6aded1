import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stackSettings } from '../../../local/stack/settings.js';
import { devStack, down, restart, type Stack, up } from '../../../local/stack/stack.js';
import { freePort } from '../../support/moto.js';

/**
 * A dev stack of a test file's own — Kafka and DynamoDB Local on free loopback ports, data in a
 * temporary directory — so that the file can restart them as a fault without touching the shared stack
 * the other test files run against.
 */
export interface PrivateStack {
  brokers: string;
  dynamodbEndpoint: string;
  restart(service: 'kafka' | 'dynamodb'): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrivateStack(): Promise<PrivateStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sc-private-stack-'));
  const [kafkaPort, controllerPort, dynamodbPort] = [await freePort(), await freePort(), await freePort()];
  const stack: Stack = devStack(
    stackSettings({
      ...process.env,
      SC_DATA_DIR: dataDir,
      KAFKA_PORT: String(kafkaPort),
      KAFKA_CONTROLLER_PORT: String(controllerPort),
      DYNAMODB_PORT: String(dynamodbPort),
    }),
  );
  await up(stack);
  return {
    brokers: `127.0.0.1:${kafkaPort}`,
    dynamodbEndpoint: `http://127.0.0.1:${dynamodbPort}`,
    async restart(service) {
      await restart(stack, service);
    },
    async stop() {
      await down(stack);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
