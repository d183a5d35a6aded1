import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { opensearchService } from './opensearch.js';
import { postgresService } from './postgres.js';
import {
  commandLine,
  type ManagedProcess,
  portOpen,
  runningPid,
  startDetached,
  stopProcess,
  waitFor,
} from './processes.js';
import { s3Service } from './s3mock.js';
import { dynamodbService, kafkaService, type Service, type ServiceName } from './services.js';
import { StackError, type StackSettings, stackSettings } from './settings.js';

export interface ServiceState {
  name: ServiceName;
  endpoint: string;
  /** `started`: this call started it; `reused`: ours and already running; `stopped`: not running. */
  state: 'started' | 'reused' | 'running' | 'stopped';
  pid?: number;
  ms?: number;
  /** One line to print when the running process is exposed beyond loopback (see `Service.exposure`). */
  warning?: string;
}

export interface Stack {
  settings: StackSettings;
  services: Service[];
}

/** What local mode (`npm start`) and a test's private stack run: the broker and the state store. */
export const LOCAL_MODE_SERVICES: readonly ServiceName[] = ['kafka', 'dynamodb'];
/**
 * The whole stack, as `npm run stack` and the integration tests' setup run it: PostgreSQL for the CDC
 * tests, S3Mock and OpenSearch for the sinks' tests.
 */
export const ALL_SERVICES: readonly ServiceName[] = [...LOCAL_MODE_SERVICES, 'postgres', 's3', 'opensearch'];

const SERVICES: Record<ServiceName, (settings: StackSettings) => Service> = {
  kafka: kafkaService,
  dynamodb: (settings) => dynamodbService(settings),
  postgres: postgresService,
  s3: (settings) => s3Service(settings),
  opensearch: opensearchService,
};

export function devStack(settings = stackSettings(), names = LOCAL_MODE_SERVICES): Stack {
  return { settings, services: names.map((name) => SERVICES[name](settings)) };
}

function managed(stack: Stack, service: Service): ManagedProcess {
  return {
    pidFile: join(stack.settings.dataDir, `${service.name}.pid`),
    marker: service.marker,
    stopSignal: service.stopSignal,
  };
}

/** Starts what is not running (in parallel), reuses what is, and waits until each really answers. */
export async function up(stack: Stack): Promise<ServiceState[]> {
  const results = await Promise.allSettled(stack.services.map((service) => upOne(stack, service)));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (!failed) return results.map((r) => (r as PromiseFulfilledResult<ServiceState>).value);
  // All or nothing: what this call started is stopped again, so a failed `up` leaves no process behind.
  await Promise.all(
    stack.services.map((service, i) => {
      const r = results[i];
      return r?.status === 'fulfilled' && r.value.state === 'started'
        ? stopProcess(managed(stack, service))
        : undefined;
    }),
  );
  throw failed.reason;
}

async function upOne(stack: Stack, service: Service): Promise<ServiceState> {
  const proc = managed(stack, service);
  const started = Date.now();
  const existing = runningPid(proc);
  if (existing !== undefined) {
    await waitFor(service.name, service.probe, 60_000, () => runningPid(proc) !== undefined);
    await service.provision?.();
    return {
      name: service.name,
      endpoint: service.endpoint,
      state: 'reused',
      pid: existing,
      ...exposure(service, existing),
    };
  }
  if (await portOpen(service.port)) {
    throw new StackError(
      `port ${service.port} (${service.name}) is already taken by another process: stop it, or choose another port ` +
        `(${service.portSetting}=...)`,
    );
  }
  const { command, args, cwd, env } = service.launch();
  const logFile = join(stack.settings.dataDir, 'logs', `${service.name}.log`);
  const pid = startDetached(proc, command, args, { logFile, cwd, env });
  try {
    await waitFor(service.name, service.probe, 90_000, () => runningPid(proc) !== undefined);
    await service.provision?.();
  } catch (error) {
    await stopProcess(proc);
    throw new StackError(
      `${service.name} failed to start (${(error as Error).message}); see ${logFile}${logTail(logFile)}`,
    );
  }
  return {
    name: service.name,
    endpoint: service.endpoint,
    state: 'started',
    pid,
    ms: Date.now() - started,
    ...exposure(service, pid),
  };
}

// Judged from the running process's own command line, so a reused one started by an older stack is caught too.
function exposure(service: Service, pid: number): Pick<ServiceState, 'warning'> {
  const warning = service.exposure?.(commandLine(pid) ?? '');
  return warning === undefined ? {} : { warning };
}

/** Stops exactly the processes this stack started (by pid file and command-line marker). */
export async function down(stack: Stack): Promise<ServiceState[]> {
  return Promise.all(
    stack.services.map(async (service) => {
      await stopProcess(managed(stack, service));
      return { name: service.name, endpoint: service.endpoint, state: 'stopped' as const };
    }),
  );
}

export function status(stack: Stack): ServiceState[] {
  return stack.services.map((service) => {
    const pid = runningPid(managed(stack, service));
    return pid === undefined
      ? { name: service.name, endpoint: service.endpoint, state: 'stopped' }
      : { name: service.name, endpoint: service.endpoint, state: 'running', pid, ...exposure(service, pid) };
  });
}

/** Stops one service of the stack and starts it again on the same data (the fault interface's restart). */
export async function restart(stack: Stack, name: string): Promise<ServiceState> {
  const service = stack.services.find((s) => s.name === name);
  if (!service) throw new StackError(`no service ${name} in the dev stack`);
  await stopProcess(managed(stack, service));
  // The process is gone, but the kernel may hold its listening port a moment longer.
  for (let i = 0; i < 200 && (await portOpen(service.port)); i++)
    await new Promise((r) => setTimeout(r, 100));
  return upOne(stack, service);
}

/** The last lines of a service's log, for an error that may outlive the log (a test's temporary dir). */
function logTail(logFile: string): string {
  try {
    const lines = readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    return lines.length === 0 ? '' : `; its last lines:\n${lines.slice(-8).join('\n').slice(-2_000)}`;
  } catch {
    return '';
  }
}
