import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export class DataDirLockedError extends Error {}

/** What the lock file says about the process that took it. */
export interface LockHolder {
  pid: number;
  /** The process's start time in clock ticks since boot (/proc/<pid>/stat field 22), where known. */
  started: string | null;
  /** A random id for this taking of the lock, also kept in memory by the process that holds it. */
  instance: string | null;
}

/** The lock ids this process holds now. */
const held = new Set<string>();

/**
 * PGlite has no lock of its own: two processes on one directory would corrupt it. Take a lock file
 * naming this process; refuse to start while the process it names still runs; take over a stale one.
 * A lock is stale when the process has gone, has died but not yet been reaped (a zombie, as after
 * `kill -9`), or is another process that now has the same pid (its start time differs).
 */
export function acquireDataDirLock(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'opensend.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readLock(file);
      if (holder && holderIsRunning(holder)) {
        throw new DataDirLockedError(
          `Another OpenSEND process (pid ${holder.pid}) is already using the database in ${dataDir}. ` +
            'Stop that process first, or set DATA_DIR to a different folder.',
        );
      }
      rmSync(file, { force: true }); // stale: the process that held it has gone
      continue;
    }
    const me: LockHolder = { pid: process.pid, started: startTimeOf(process.pid), instance: randomUUID() };
    try {
      writeSync(fd, `${JSON.stringify(me)}\n`);
    } finally {
      closeSync(fd);
    }
    held.add(me.instance!);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      held.delete(me.instance!);
      rmSync(file, { force: true });
    };
  }
  throw new DataDirLockedError(`Could not take the lock on ${dataDir}: try again`);
}

/** The lock file's holder; null when it has gone meanwhile or says nothing usable (a crash while writing it). */
export function readLock(file: string): LockHolder | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  // Earlier versions wrote the pid alone.
  if (/^\d+$/.test(text)) return { pid: Number(text), started: null, instance: null };
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder>;
    if (!Number.isInteger(parsed.pid)) return null;
    return {
      pid: parsed.pid!,
      started: typeof parsed.started === 'string' ? parsed.started : null,
      instance: typeof parsed.instance === 'string' ? parsed.instance : null,
    };
  } catch {
    return null;
  }
}

/** Is the process the lock names still running, and still the one that took the lock? */
export function holderIsRunning(holder: LockHolder): boolean {
  if (!Number.isInteger(holder.pid) || holder.pid <= 0) return false;
  // Our own pid: ours only if we took it; otherwise an earlier process that had our pid (a restarted container).
  if (holder.pid === process.pid) return holder.instance !== null && held.has(holder.instance);
  const stat = procStat(holder.pid);
  if (stat === 'gone') return false;
  if (stat === null) return isAlive(holder.pid); // no /proc (not Linux): the pid is all we can check
  if (stat.state === 'Z' || stat.state === 'X') return false; // dead, not yet reaped by its parent
  if (holder.started !== null) return stat.started === holder.started;
  return isOpensendCommand(holder.pid); // a lock from a version that wrote no start time
}

const HAS_PROC = existsSync('/proc/self/stat');

/** State and start time from /proc/<pid>/stat; 'gone' when there is no such process; null without /proc. */
function procStat(pid: number): { state: string; started: string } | 'gone' | null {
  if (!HAS_PROC) return null;
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : null;
  }
  // "pid (command) state ppid …": the command may hold spaces and brackets, so split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const started = fields[19]; // field 22 of the whole line
  return state && started ? { state, started } : null;
}

function startTimeOf(pid: number): string | null {
  const stat = procStat(pid);
  return stat && stat !== 'gone' ? stat.started : null;
}

/** Node running OpenSEND (`node … src/cli/opensend.ts serve`, or the installed `opensend` command). */
function isOpensendCommand(pid: number): boolean {
  let args: string[];
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return isAlive(pid);
  }
  const program = path.basename(args[0] ?? '');
  return /node/i.test(program) && args.slice(1).some((a) => /opensend/i.test(a));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
