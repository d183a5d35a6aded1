import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pomVersion } from './jars.js';
import { compileLauncher, hostJava, type JavaRuntime, type Launcher, launcherClasses } from './loopback.js';
import { type JvmService, jvm } from './services.js';
import { StackError, type StackSettings } from './settings.js';

const MAIN = 'com.adobe.testing.s3mock.S3MockApplication';

/** LoopbackS3Mock.java, which Spring Boot runs as a context initializer because spring.factories names it. */
export const S3MOCK_LAUNCHER: Launcher = {
  source: fileURLToPath(new URL('./LoopbackS3Mock.java', import.meta.url)),
  className: 'LoopbackS3Mock',
  resources: {
    'META-INF/spring.factories': 'org.springframework.context.ApplicationContextInitializer=LoopbackS3Mock\n',
  },
};

/**
 * Adobe's S3Mock, the S3 API over plain HTTP for the S3 sinks' tests, reachable from this machine only:
 * S3Mock itself listens on every interface and has no option against it, so LoopbackS3Mock.java binds
 * it to 127.0.0.1 and refuses non-loopback Host headers (docs/local-mode-security.md). Without a JDK to
 * compile that, it is not started at all. Objects live in `<dataDir>/s3` and are kept across restarts,
 * as a real bucket keeps them when a connector's test restarts the server under it.
 */
export function s3Service(s: StackSettings, java: JavaRuntime = hostJava): JvmService {
  const dir = join(s.dataDir, 's3');
  // The executable jar, extracted once beside it: its libraries become plain jars on the classpath (in
  // the jar's own order, by its manifest), which the launcher compiles against.
  const app = (jarDir: string) => join(jarDir, 'extracted');
  const appJar = (jarDir: string) => join(app(jarDir), `s3mock-${pomVersion(s.pom, 's3mock')}-exec.jar`);
  return jvm(s, 's3mock', {
    name: 's3',
    port: s.s3Port,
    portSetting: 'S3_PORT',
    marker: MAIN,
    endpoint: `http://127.0.0.1:${s.s3Port}`,
    cwd: dir,
    prepare(jarDir) {
      if (!java.compiles())
        throw new StackError(
          'this java cannot compile local/stack/LoopbackS3Mock.java (no jdk.compiler module), without which S3Mock ' +
            'would listen on every network interface: install a JDK 17+, not a bare JRE',
        );
      mkdirSync(dir, { recursive: true });
      extract(join(jarDir, `s3mock-${pomVersion(s.pom, 's3mock')}-exec.jar`), app(jarDir));
      compileLauncher(s.cacheDir, app(jarDir), S3MOCK_LAUNCHER);
    },
    args: (jarDir) => [
      '-Xms64m',
      '-Xmx384m',
      // A test double: starting fast on a busy 2-core CI machine (a third of the time) beats peak speed.
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      '-cp',
      `${launcherClasses(s.cacheDir, app(jarDir), S3MOCK_LAUNCHER)}${delimiter}${appJar(jarDir)}`,
      MAIN,
      `--server.port=${s.s3Port}`,
      // Plain HTTP on the one port; S3Mock's HTTPS connector (a self-signed certificate) is not started.
      '--server.ssl.enabled=false',
      `--com.adobe.testing.s3mock.store.root=${dir}`,
      // Without it S3Mock empties its root on a clean shutdown.
      '--com.adobe.testing.s3mock.store.retainFilesOnExit=true',
    ],
    probe: async () => {
      // GET / is ListBuckets.
      const response = await fetch(`http://127.0.0.1:${s.s3Port}/`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`GET / answered ${response.status}`);
    },
  });
}

/** Spring Boot's own extraction (`-Djarmode=tools`), into a scratch directory renamed into place. */
function extract(jar: string, into: string): void {
  if (existsSync(into)) return;
  const scratch = `${into}.tmp-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  const result = spawnSync('java', ['-Djarmode=tools', '-jar', jar, 'extract', '--destination', scratch], {
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    rmSync(scratch, { recursive: true, force: true });
    const detail = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-2).join(' | ');
    throw new StackError(`extracting ${jar} failed: ${detail}`);
  }
  try {
    renameSync(scratch, into);
  } catch {
    // Another `up` renamed its copy first; theirs is as good as ours.
    rmSync(scratch, { recursive: true, force: true });
  }
}
