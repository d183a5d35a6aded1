import { stackSettings } from './settings.js';
import { ALL_SERVICES, devStack, down, type ServiceState, status, up } from './stack.js';

// `npm run stack -- up|down|status`: the local Kafka broker, DynamoDB Local, the CDC tests' PostgreSQL and
// the sink tests' S3Mock and OpenSearch.
const command = process.argv[2] ?? 'status';
const stack = devStack(stackSettings(), ALL_SERVICES);

function print(states: ServiceState[]): void {
  for (const s of states) {
    const extra = [s.pid ? `pid ${s.pid}` : '', s.ms !== undefined ? `${(s.ms / 1000).toFixed(1)}s` : '']
      .filter(Boolean)
      .join(', ');
    console.log(`${s.name.padEnd(10)} ${s.state.padEnd(8)} ${s.endpoint}${extra ? ` (${extra})` : ''}`);
  }
  for (const s of states) if (s.warning) console.warn(`warning: ${s.warning}`);
}

try {
  if (command === 'up') print(await up(stack));
  else if (command === 'down') print(await down(stack));
  else if (command === 'status') print(status(stack));
  else {
    console.error(`unknown command '${command}': use up, down or status`);
    process.exitCode = 2;
  }
} catch (error) {
  console.error(`stack ${command}: ${(error as Error).message}`);
  process.exitCode = 1;
}
