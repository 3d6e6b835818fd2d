import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnOpensend } from './opensend-process.ts';

function output(child: ChildProcess): { text: () => string } {
  let text = '';
  child.stdout?.on('data', (d) => {
    text += d;
  });
  child.stderr?.on('data', (d) => {
    text += d;
  });
  return { text: () => text };
}

function waitFor(check: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () =>
      check() ? resolve() : Date.now() > until ? reject(new Error('timed out')) : setTimeout(tick, 50);
    tick();
  });
}

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGTERM');
});

describe('starting OpenSEND on PGlite', () => {
  it('creates and migrates the database on first start, answers healthz, and refuses a second process on the same directory', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'opensend-cli-'));
    const first = spawnOpensend(dataDir);
    children.push(first);
    const out = output(first);
    await waitFor(() => out.text().includes('OpenSEND is ready'), 60_000);
    const url = /ready at (http:\/\/[^ ]+)/.exec(out.text())?.[1];
    const health = await fetch(`${url}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok', database: 'pglite' });
    // It starts without a warning from Node or a deprecation from Fastify (FSTDEP…).
    expect(out.text()).not.toMatch(/Deprecation|FSTDEP|Warning:/);

    const second = spawnOpensend(dataDir);
    children.push(second);
    const secondOut = output(second);
    const code = await new Promise<number | null>((resolve) => second.on('exit', resolve));
    expect(code).toBe(1);
    expect(secondOut.text()).toMatch(/Another OpenSEND process \(pid \d+\) is already using the database/);

    // The first is unharmed.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    first.kill('SIGTERM');
    expect(await new Promise((resolve) => first.on('exit', resolve))).toBe(0);
  }, 90_000);
});
