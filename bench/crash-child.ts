/**
 * One local-mode worker for bench/crash-trials.ts: the stack under the simulator on free ports, with the
 * tables, Lambda state and data directory the parent names, so that a SIGKILLed child's successor finds
 * everything where the dead one left it, as `npm start` after a crash does. Prints `ready <api url>`.
 */
import { join } from 'node:path';
import { startLocalAws } from '../local/local-aws.js';

const env = process.env;
const aws = await startLocalAws({
  root: process.cwd(),
  outdir: join(process.cwd(), '.data', 'cdk.out-crash'),
  brokers: env.KAFKA_BROKERS ?? '127.0.0.1:9092',
  dynamodbEndpoint: env.DYNAMODB_ENDPOINT ?? 'http://127.0.0.1:8000',
  apiPort: 0,
  lambdaPort: 0,
  faultPort: null,
  tickMs: 1_000,
  tableSuffix: env.CRASH_TABLE_SUFFIX,
  // As npm start: a start after a killed one frees the leases that start held.
  instance: { dataDir: env.CRASH_DIR ?? '/tmp' },
  workerProperties: { 'file.stream.enable': 'true', 'file.stream.allowed.paths': env.CRASH_DIR ?? '/tmp' },
  environment: { POWERTOOLS_LOG_LEVEL: 'ERROR' },
  simulator: {
    lambda: { stateFile: env.CRASH_LAMBDA_STATE },
    onLog: () => {},
  },
});
process.stdout.write(`ready ${aws.apiUrl}\n`);
process.on('SIGTERM', () => void aws.close().then(() => process.exit(0)));
