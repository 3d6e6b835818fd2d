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

  it('has no mail server unless SMTP_HOST is set, and links to where it runs', () => {
    const config = loadConfig({ DATA_DIR: dataDir(), PORT: '3100' });
    expect(config.smtp).toBeNull();
    expect(config.publicUrl).toBe('http://localhost:3100');
  });

  it('reads the mail server: STARTTLS on 587 unless told, TLS on 465, the public address without a trailing slash', () => {
    const base = {
      DATA_DIR: dataDir(),
      SMTP_HOST: 'smtp.northshire.example',
      MAIL_FROM: 'OpenSEND <opensend@northshire.example>',
      PUBLIC_URL: 'https://opensend.northshire.example/',
    };
    expect(loadConfig(base)).toMatchObject({
      smtp: { host: 'smtp.northshire.example', port: 587, secure: false, allowPlain: false },
      publicUrl: 'https://opensend.northshire.example',
    });
    expect(
      loadConfig({ ...base, SMTP_PORT: '465', SMTP_USER: 'opensend', SMTP_PASSWORD: 'pw' }).smtp,
    ).toMatchObject({
      port: 465,
      secure: true,
      user: 'opensend',
      password: 'pw',
    });
    expect(
      loadConfig({ ...base, SMTP_HOST: 'localhost', SMTP_PORT: '25', SMTP_TLS: 'none' }).smtp,
    ).toMatchObject({
      secure: false,
      allowPlain: true,
    });
  });

  it('refuses mail settings that would fail later or send in the clear, naming each', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig({ DATA_DIR: dataDir(), ...env });
        return '';
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
    };
    expect(problems({ MAIL_FROM: 'a@b.example' })).toMatch(/SMTP_HOST must be set too when MAIL_FROM is set/);
    const message = problems({
      SMTP_HOST: 'smtp.example.org',
      SMTP_TLS: 'none',
      SMTP_USER: 'u',
    });
    expect(message).toMatch(/SMTP_TLS may be none only for a mail server on this machine/);
    expect(message).toMatch(/MAIL_FROM must be set/);
    expect(message).toMatch(/SMTP_PASSWORD must be set when SMTP_USER is/);
    expect(message).toMatch(/PUBLIC_URL must be set when SMTP_HOST is/);
    expect(problems({ PUBLIC_URL: 'ftp://files.example' })).toMatch(
      /PUBLIC_URL must start with https:\/\/ or http:\/\//,
    );
    expect(
      problems({
        SMTP_HOST: 'smtp.example.org',
        MAIL_FROM: 'not an address',
        PUBLIC_URL: 'https://x.example',
      }),
    ).toMatch(/MAIL_FROM must be an email address/);
    expect(problems({ SMTP_HOST: 'smtp.example.org', MAIL_FROM: 'a@b.example', SMTP_TLS: 'maybe' })).toMatch(
      /SMTP_TLS must be tls, starttls or none/,
    );
  });
});
