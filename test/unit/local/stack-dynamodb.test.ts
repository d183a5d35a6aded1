import { describe, expect, it } from 'vitest';
import {
  hostJava,
  LAUNCHER_CLASS,
  launcherClasses,
  startedLockedDown,
} from '../../../local/stack/loopback.js';
import { dynamodbService } from '../../../local/stack/services.js';
import { stackSettings } from '../../../local/stack/settings.js';

const settings = stackSettings({ SC_DATA_DIR: '/tmp/sc-unit', DYNAMODB_PORT: '18123' });
const MAIN = 'com.amazonaws.services.dynamodbv2.local.main.ServerRunner';

describe('the dev stack’s DynamoDB Local', () => {
  it('runs through the loopback launcher with a CORS allow-list no browser origin matches', () => {
    // Prepare
    const service = dynamodbService(settings, { compiles: () => true });
    // Act
    const args = service.args('/jars');
    // Assess
    const cp = args.indexOf('-cp');
    expect(args.slice(cp, cp + 4)).toEqual([
      '-cp',
      `${launcherClasses(settings.cacheDir, '/jars')}:/jars/*`,
      LAUNCHER_CLASS,
      MAIN,
    ]);
    expect(args.slice(args.indexOf('-cors'), args.indexOf('-cors') + 2)).toEqual(['-cors', 'none']);
    expect(args.slice(-2)).toEqual(['-port', '18123']);
    // The pid-file marker is in the command line either way, so `up` recognises (and reuses) its process.
    expect(['java', ...args].join(' ')).toContain(service.marker);
    expect(service.exposure?.(['java', ...args].join(' '))).toBeUndefined();
  });

  it('falls back to DynamoDB Local as it comes where java cannot run a source file, and says so', () => {
    // Prepare
    const service = dynamodbService(settings, { compiles: () => false });
    // Act
    const args = service.args('/jars');
    const warning = service.exposure?.(['java', ...args].join(' '));
    // Assess
    expect(args).not.toContain(LAUNCHER_CLASS);
    expect(args.slice(args.indexOf('-cp'), args.indexOf('-cp') + 3)).toEqual(['-cp', '/jars/*', MAIN]);
    expect(args).toContain(MAIN);
    expect(args).toContain('-cors');
    expect(['java', ...args].join(' ')).toContain(service.marker);
    expect(warning).toBe(
      'DynamoDB Local on port 18123 listens on every network interface, not just 127.0.0.1, because this java ' +
        'cannot compile local/stack/LoopbackDynamoDB.java (no jdk.compiler module): install a JDK 17+, not a bare JRE',
    );
  });

  it('warns about a running DynamoDB Local an older stack started without the launcher', () => {
    // Prepare
    const service = dynamodbService(settings, { compiles: () => true });
    const older = `java -cp /jars/* ${MAIN} -sharedDb -disableTelemetry -dbPath /x -port 18123`;
    // Act
    const warning = service.exposure?.(older);
    // Assess
    expect(startedLockedDown(older)).toBe(false);
    expect(warning).toContain('started without the loopback launcher');
    expect(warning).toContain('npm run stack -- down');
  });

  it('probes this machine’s java once', () => {
    // Act
    const first = hostJava.compiles();
    // Assess
    expect(typeof first).toBe('boolean');
    expect(hostJava.compiles()).toBe(first);
  });
});
