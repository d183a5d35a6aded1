import { connect } from 'node:net';
import { postgresBinaries } from '../local/stack/postgres.js';
import { stackSettings } from '../local/stack/settings.js';
import { ALL_SERVICES, devStack, down, up } from '../local/stack/stack.js';

/** The services the integration tests need besides the dev stack, and what to install when one is away. */
const SERVICES = [
  {
    name: 'PostgreSQL',
    port: 5432,
    install:
      'install and start PostgreSQL (apt-get install postgresql), trust auth for 127.0.0.1, database test',
  },
  {
    name: 'MariaDB',
    port: 3306,
    install:
      'install and start MariaDB (apt-get install mariadb-server), root without password, database test',
  },
];

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: 2_000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

/**
 * Brings the dev stack up for integration tests when it is not running, and stops it afterwards only
 * if this run started it: a stack the developer started stays up.
 */
export default async function setup(): Promise<() => Promise<void>> {
  for (const service of SERVICES) {
    if (!(await answers(service.port)))
      throw new Error(`${service.name} is not answering on 127.0.0.1:${service.port}: ${service.install}`);
  }
  const stack = devStack(stackSettings(), ALL_SERVICES);
  // The stack's own PostgreSQL (wal_level=logical, for the CDC tests) runs from the machine's binaries:
  // without them the run stops here, before anything starts, with the one line saying what to install.
  postgresBinaries(stack.settings.pgBinDir);
  const states = await up(stack);
  // Stops only what this run started: a service that was already running (the developer's) stays up.
  const startedHere = devStack(
    stack.settings,
    states.filter((s) => s.state === 'started').map((s) => s.name),
  );
  return async () => {
    if (!process.env.SC_KEEP_STACK) await down(startedHere);
  };
}
