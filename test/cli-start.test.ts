import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServer } from '../scripts/build-server.mjs';
import { entryToRun } from '../scripts/opensend.mjs';
import { freshPgliteDataDir } from './db.ts';
import { ROOT } from './template.ts';

/*
 * `npm start` runs OpenSEND from the bundle `npm install` makes (dist/opensend.mjs) while it is as new
 * as the sources, and from the sources through tsx as soon as any of them is newer: a change to the
 * code is never run stale.
 */

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGTERM');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('what npm start runs', () => {
  it('the bundle while it is as new as every source file, the sources once one is newer or without a bundle', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'opensend-entry-'));
    dirs.push(dir);
    mkdirSync(path.join(dir, 'src/web'), { recursive: true });
    mkdirSync(path.join(dir, 'dist'));
    const at = (file: string, seconds: number) => {
      writeFileSync(path.join(dir, file), '');
      utimesSync(path.join(dir, file), seconds, seconds);
    };
    at('src/main.ts', 1_000);
    at('src/web/app.ts', 2_000);
    expect(entryToRun(dir)).toBe('source');
    at('dist/opensend.mjs', 3_000);
    expect(entryToRun(dir)).toBe('bundle');
    // A test file changing does not make the bundle stale; a module changing does.
    at('src/web/app.test.ts', 4_000);
    expect(entryToRun(dir)).toBe('bundle');
    at('src/web/app.ts', 5_000);
    expect(entryToRun(dir)).toBe('source');
  });

  it('starts from the bundle and answers healthz, without a warning', async () => {
    await buildServer();
    expect(entryToRun()).toBe('bundle');
    const dataDir = await freshPgliteDataDir();
    dirs.push(dataDir);
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' };
    env.LOG_LEVEL = 'warn';
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, ['scripts/opensend.mjs', 'serve'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
    });
    child.stderr?.on('data', (d) => {
      out += d;
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not ready:\n${out}`)), 60_000);
      child.stdout?.on('data', () => {
        const found = /ready at (http:\/\/\S+)/.exec(out)?.[1];
        if (found) {
          clearTimeout(timer);
          resolve(found);
        }
      });
      child.on('exit', (code) => reject(new Error(`ended (${code}):\n${out}`)));
    });
    const health = await fetch(`${url}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok', database: 'pglite' });
    expect(out).not.toMatch(/Deprecation|FSTDEP|Warning:/);
    child.kill('SIGTERM');
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(0);
  }, 90_000);
});

/** Run a program to the end: its exit code and everything it printed. */
function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: tmpdir(), env, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, out: `${stdout}${stderr}` });
    });
  });
}

describe('the opensend command through a link', () => {
  it('runs as npx, npm i -g and node_modules/.bin run it: through a symbolic link to scripts/opensend.mjs', async () => {
    // As npm installs the bin: node_modules/.bin/opensend, a link to the package's scripts/opensend.mjs.
    const dir = mkdtempSync(path.join(tmpdir(), 'opensend-bin-'));
    dirs.push(dir);
    mkdirSync(path.join(dir, 'node_modules/.bin'), { recursive: true });
    const link = path.join(dir, 'node_modules/.bin/opensend');
    symlinkSync(path.join(ROOT, 'scripts/opensend.mjs'), link);
    const dataDir = await freshPgliteDataDir();
    dirs.push(dataDir);
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
    delete env.DATABASE_URL;

    const help = await run(link, ['--help'], env);
    expect(help.code, help.out).toBe(0);
    expect(help.out).toContain('opensend audit verify');
    // A command that does something, and its exit code: not a silent success.
    const verified = await run(process.execPath, [link, 'audit', 'verify'], env);
    expect(verified.code, verified.out).toBe(0);
    expect(verified.out).toContain('The audit trail is intact');
    const unknown = await run(link, ['no-such-command'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.out).toContain('Unknown command: no-such-command');
  }, 120_000);
});
