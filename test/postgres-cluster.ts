import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface PostgresCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  /** Start it again after a stop (waits until it accepts connections). */
  start(): void;
  /** `fast` ends every session cleanly; `immediate` is as abrupt as a crash (recovery on next start). */
  stop(mode?: 'fast' | 'immediate'): void;
  /** Stop it if it is running and delete its files. */
  remove(): void;
}

/**
 * A throwaway PostgreSQL cluster of our own on a loopback port, from Debian's packages: for
 * benchmarks run without DATABASE_URL, and for tests that stop and restart PostgreSQL (never the
 * cluster DATABASE_URL points at). As root it runs as the `postgres` user, as PostgreSQL requires.
 */
export async function throwawayPostgres(): Promise<PostgresCluster> {
  const port = await freePort();
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(a) - Number(b)) : [];
  const version = versions.at(-1);
  if (!version) throw new Error('Set DATABASE_URL, or install PostgreSQL (apt-get install -y postgresql).');
  const bin = path.join(root, version, 'bin');
  const dir = mkdtempSync(path.join(tmpdir(), 'opensend-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (command: string) => {
    if (asRoot) execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', command], { stdio: 'pipe' });
    else execFileSync('/bin/sh', ['-c', command], { stdio: 'pipe' });
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  run(`${bin}/initdb -D ${dir} -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 > /dev/null`);
  let running = false;
  const start = () => {
    run(
      `${bin}/pg_ctl -D ${dir} -l ${dir}/server.log -o "-p ${port} -c listen_addresses=127.0.0.1 -k ${dir}" -w start > /dev/null`,
    );
    running = true;
  };
  const stop = (mode: 'fast' | 'immediate' = 'fast') => {
    run(`${bin}/pg_ctl -D ${dir} -m ${mode} -w stop > /dev/null`);
    running = false;
  };
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    remove() {
      if (running) stop('immediate');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
