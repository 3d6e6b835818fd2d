import { type ChildProcess, spawn } from 'node:child_process';
import { ROOT } from './template.ts';

/**
 * The real `opensend` command on a PGlite directory, as `npm start` runs it: a free loopback port,
 * quiet logs, and never a DATABASE_URL from the surrounding environment.
 */
export function spawnOpensend(dataDir: string, args: string[] = ['serve']): ChildProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli/opensend.ts', ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
