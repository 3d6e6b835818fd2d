import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError } from './lock.ts';

describe('the PGlite directory lock', () => {
  it('refuses a second holder with a clear message, and frees on release', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'opensend-lock-'));
    const release = acquireDataDirLock(dir);
    expect(readFileSync(path.join(dir, 'opensend.lock'), 'utf8')).toBe(String(process.pid));
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
    expect(() => acquireDataDirLock(dir)).toThrow(/already using the database/);
    release();
    acquireDataDirLock(dir)();
  });

  it('takes over a lock left by a process that has gone', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'opensend-lock-'));
    writeFileSync(path.join(dir, 'opensend.lock'), '999999999');
    const release = acquireDataDirLock(dir);
    expect(readFileSync(path.join(dir, 'opensend.lock'), 'utf8')).toBe(String(process.pid));
    release();
  });
});
