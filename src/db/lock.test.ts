import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../test/template.ts';
import { acquireDataDirLock, DataDirLockedError, readLock } from './lock.ts';

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function lockDir(): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'opensend-lock-'));
  dirs.push(dir);
  return { dir, file: path.join(dir, 'opensend.lock') };
}

/** State and start time of a process, from /proc (Linux). */
function stat(pid: number): { state: string; started: string } {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0]!, started: fields[19]! };
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (d) => {
      text += d;
      if (text.includes('\n')) resolve(text.split('\n')[0]!.trim());
    });
    child.on('exit', (code) => reject(new Error(`exited ${code} before writing a line`)));
  });
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

/** A live process that is not OpenSEND. */
async function unrelatedProcess(): Promise<number> {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  children.push(child);
  await new Promise((resolve) => child.on('spawn', resolve));
  return child.pid!;
}

const LINUX = process.platform === 'linux';

describe('the PGlite directory lock', () => {
  it('refuses a second holder with a clear message, and frees on release', () => {
    const { dir, file } = lockDir();
    const release = acquireDataDirLock(dir);
    expect(readLock(file)?.pid).toBe(process.pid);
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
    expect(() => acquireDataDirLock(dir)).toThrow(/already using the database/);
    release();
    acquireDataDirLock(dir)();
  });

  it('takes over a lock left by a process that has gone', () => {
    const { dir, file } = lockDir();
    writeFileSync(file, '999999999');
    const release = acquireDataDirLock(dir);
    expect(readLock(file)?.pid).toBe(process.pid);
    release();
  });

  it('takes over a lock naming a live process that is not OpenSEND (pid 1 in a container, a reused pid)', async () => {
    const other = await unrelatedProcess();
    for (const pid of [1, other]) {
      for (const content of [
        String(pid), // as earlier versions wrote it: pid alone, so the command line decides
        JSON.stringify({ pid, started: '1', instance: 'from-a-process-long-gone' }),
      ]) {
        const { dir, file } = lockDir();
        writeFileSync(file, content);
        const release = acquireDataDirLock(dir);
        expect(readLock(file)?.pid, content).toBe(process.pid);
        release();
      }
    }
  });

  it('takes over a lock naming our own pid that we did not take (an earlier process with the same pid)', () => {
    for (const content of [
      String(process.pid),
      JSON.stringify({ pid: process.pid, started: null, instance: 'an-earlier-life' }),
    ]) {
      const { dir, file } = lockDir();
      writeFileSync(file, content);
      const release = acquireDataDirLock(dir);
      expect(readLock(file)?.instance, content).toMatch(/^[0-9a-f-]{36}$/);
      release();
    }
  });

  it('takes over a lock held by a process that died and has not been reaped (a zombie, as just after kill -9)', async () => {
    if (!LINUX) {
      expect(process.platform).not.toBe('linux'); // zombies are read from /proc
      return;
    }
    // `sleep 0` exits at once; its parent is then `sleep 30`, which never reaps it.
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 30'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    children.push(parent);
    const zombie = Number(await firstLine(parent));
    await until(() => stat(zombie).state === 'Z');
    for (const content of [
      String(zombie),
      // Even with its true start time: it is dead.
      JSON.stringify({ pid: zombie, started: stat(zombie).started, instance: 'x' }),
    ]) {
      const { dir, file } = lockDir();
      writeFileSync(file, content);
      const release = acquireDataDirLock(dir);
      expect(readLock(file)?.pid, content).toBe(process.pid);
      release();
    }
  });

  it('refuses while another live OpenSEND process holds the lock, with the clear message', async () => {
    const { dir, file } = lockDir();
    const holder = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        "const { acquireDataDirLock } = await import('./src/db/lock.ts'); acquireDataDirLock(process.argv[1]); console.log('locked'); setInterval(() => {}, 1000);",
        dir,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(holder);
    expect(await firstLine(holder)).toBe('locked');
    const message = new RegExp(
      `Another OpenSEND process \\(pid ${holder.pid}\\) is already using the database in ${dir}`,
    );
    expect(() => acquireDataDirLock(dir)).toThrow(message);
    if (LINUX) {
      // A lock written by an earlier version (pid alone) is honoured too: that process runs OpenSEND
      // (its command line names the folder, opensend-lock-…).
      writeFileSync(file, String(holder.pid));
      expect(() => acquireDataDirLock(dir)).toThrow(message);
    }
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.on('exit', resolve));
    acquireDataDirLock(dir)();
  });
});
