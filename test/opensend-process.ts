import { type ChildProcess, spawn } from 'node:child_process';
import { ROOT } from './template.ts';

const COMMAND = ['--import', 'tsx', 'src/cli/opensend.ts'];

function opensendEnv(
  dataDir: string,
  databaseUrl: string | undefined,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...extra,
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  return env;
}

/**
 * The real `opensend` command on a PGlite directory, as `npm start` runs it: a free loopback port,
 * quiet logs, and never a DATABASE_URL from the surrounding environment; on PostgreSQL only when
 * given `databaseUrl`.
 */
export function spawnOpensend(
  dataDir: string,
  args: string[] = ['serve'],
  options: { databaseUrl?: string; env?: Record<string, string> } = {},
): ChildProcess {
  return spawn(process.execPath, [...COMMAND, ...args], {
    cwd: ROOT,
    env: opensendEnv(dataDir, options.databaseUrl, options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Run the real `opensend` command to the end (`env` added to its environment): its output and exit code. */
export function runOpensend(
  dataDir: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string }> {
  const child = spawnOpensend(dataDir, args, { env });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

export interface RunningOpensend {
  /** The process we spawned: OpenSEND itself, or the parent that never reaps it. */
  child: ChildProcess;
  /** OpenSEND's own pid. */
  pid: number;
  baseUrl: string;
  /** Everything it has printed so far, stdout and stderr. */
  output(): string;
  /** performance.now() when it was spawned. */
  spawnedAt: number;
  /** Milliseconds from spawn to "OpenSEND is ready". */
  readyMs: number;
  /** Kill OpenSEND at once (SIGKILL); a parent that never reaps it stays until `child` is killed. */
  kill(): void;
}

export interface StartOptions {
  databaseUrl?: string;
  /**
   * Run OpenSEND under a parent that never reaps it (a shell that then becomes `sleep`), so that
   * once killed it stays a zombie holding its pid, as when a supervisor is slow to notice.
   */
  unreapedParent?: boolean;
  timeoutMs?: number;
  /** Added to its environment. */
  env?: Record<string, string>;
}

/** `opensend serve`, resolved once it says it is ready; rejects with its output if it ends first. */
export function startOpensend(dataDir: string, options: StartOptions = {}): Promise<RunningOpensend> {
  const started = performance.now();
  const child = options.unreapedParent
    ? spawn(
        'sh',
        ['-c', '"$@" & echo "opensend pid $!"; exec sleep 600', 'sh', process.execPath, ...COMMAND, 'serve'],
        {
          cwd: ROOT,
          env: opensendEnv(dataDir, options.databaseUrl, options.env),
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      )
    : spawnOpensend(dataDir, ['serve'], options);
  let text = '';
  let ready = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`opensend serve was not ready in time:\n${text}`));
    }, options.timeoutMs ?? 60_000);
    const onData = (chunk: Buffer) => {
      text += chunk;
      const url = /OpenSEND is ready at (http:\/\/\S+)/.exec(text)?.[1];
      if (!url || ready) return;
      ready = true;
      clearTimeout(timer);
      const pid = options.unreapedParent ? Number(/opensend pid (\d+)/.exec(text)?.[1]) : child.pid!;
      resolve({
        child,
        pid,
        baseUrl: url,
        output: () => text,
        spawnedAt: started,
        readyMs: performance.now() - started,
        kill() {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // already gone
          }
        },
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`opensend serve ended (${code ?? signal}) before it was ready:\n${text}`));
    });
  });
}
