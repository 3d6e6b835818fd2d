import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const dataDir = () => mkdtempSync(path.join(tmpdir(), 'opensend-config-'));

describe('configuration', () => {
  it('has working defaults and keeps a generated session secret', () => {
    const dir = dataDir();
    const a = loadConfig({ DATA_DIR: dir });
    expect(a).toMatchObject({ port: 3000, host: 'localhost', databaseUrl: undefined });
    expect(a.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ DATA_DIR: dir }).sessionSecret).toBe(a.sessionSecret);
  });

  it('keeps a generated audit key in DATA_DIR unless AUDIT_KEY is given, and checkpoints beside it unless moved', () => {
    const dir = dataDir();
    const a = loadConfig({ DATA_DIR: dir });
    expect(a.auditKey.length).toBeGreaterThanOrEqual(32);
    expect(a.auditKey).not.toBe(a.sessionSecret);
    expect(loadConfig({ DATA_DIR: dir }).auditKey).toBe(a.auditKey);
    expect(a.auditCheckpointDir).toBe(path.join(dir, 'audit-checkpoints'));
    const given = loadConfig({
      DATA_DIR: dir,
      AUDIT_KEY: 'an audit key kept away from the data directory',
      AUDIT_CHECKPOINT_DIR: '/mnt/elsewhere/checkpoints',
    });
    expect(given).toMatchObject({
      auditKey: 'an audit key kept away from the data directory',
      auditCheckpointDir: '/mnt/elsewhere/checkpoints',
    });
    expect(() => loadConfig({ DATA_DIR: dir, AUDIT_KEY: 'too short' })).toThrow(
      /AUDIT_KEY must be at least 32 characters/,
    );
  });

  it('names every wrong setting in plain words', () => {
    try {
      loadConfig({ DATA_DIR: dataDir(), PORT: 'eighty', DATABASE_URL: 'mysql://x', SESSION_SECRET: 'short' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toMatch(/PORT must be a number/);
      expect(message).toMatch(/DATABASE_URL must start with postgres/);
      expect(message).toMatch(/SESSION_SECRET must be at least 32 characters/);
    }
  });
});
