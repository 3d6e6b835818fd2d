import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

const EnvSchema = z.object({
  PORT: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(3000),
  HOST: z.string().min(1, 'must not be empty').default('localhost'),
  DATA_DIR: z.string().min(1, 'must not be empty').default('data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters long').optional(),
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v, ctx): false | number | string[] => {
      const value = v.trim();
      if (/^(false|no|0)$/i.test(value) || value === '') return false;
      if (/^(true|yes)$/i.test(value)) return 1;
      if (/^\d{1,2}$/.test(value)) return Number(value);
      const list = value
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean);
      const bad = list.filter((a) => {
        const [ip, bits, ...rest] = a.split('/');
        if (rest.length > 0 || !ip || isIP(ip) === 0) return true;
        return bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= (isIP(ip) === 4 ? 32 : 128));
      });
      if (bad.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `must be false, a number of proxy hops (like 1), or proxy addresses (like 10.0.0.5,10.1.0.0/16); not ${bad.join(', ')}`,
        });
        return z.NEVER;
      }
      return list;
    }),
  /** Counts below this are suppressed wherever a governor or an officer sees figures. */
  SMALL_NUMBER_THRESHOLD: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be 1 (no suppression) or more')
    .max(20, 'must be 20 or less')
    .default(3),
  /** Encrypts backups of the embedded database (AES-256-GCM); keep it safe, away from the computer. */
  BACKUP_KEY: z.string().min(16, 'must be at least 16 characters long').optional(),
  BACKUP_KEEP_DAYS: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(3650, 'must be at most 3650')
    .default(14),
  /**
   * Keys the audit trail's chain (HMAC) and signs its checkpoints. Made and kept in DATA_DIR when not
   * given: set it from elsewhere so that whoever holds DATA_DIR does not hold it too.
   */
  AUDIT_KEY: z.string().min(32, 'must be at least 32 characters long').optional(),
  /** Where the signed checkpoints of the audit trail are written: somewhere the database's owner cannot write. */
  AUDIT_CHECKPOINT_DIR: z.string().min(1, 'must not be empty').optional(),
  /** A second URL, for a role that owns the tables: migrations run with it; the app uses DATABASE_URL. */
  MIGRATION_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  /** The mail server (SMTP). Without it, mail waits in each school's outbox for the SENCo to print or copy. */
  SMTP_HOST: z.string().min(1, 'must not be empty').optional(),
  SMTP_PORT: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be between 1 and 65535')
    .max(65535, 'must be between 1 and 65535')
    .optional(),
  /** tls: TLS from the start (port 465); starttls: upgraded, and required (587); none: only for a server on this machine. */
  SMTP_TLS: z.enum(['tls', 'starttls', 'none'], { message: 'must be tls, starttls or none' }).optional(),
  SMTP_USER: z.string().min(1, 'must not be empty').optional(),
  SMTP_PASSWORD: z.string().optional(),
  /** The address mail comes from, e.g. "OpenSEND <opensend@northshire.example>". */
  MAIL_FROM: z.string().min(3, 'must be an email address').optional(),
  /** The address people open OpenSEND at, for the links in mail (e.g. https://opensend.northshire.example). */
  PUBLIC_URL: z
    .string()
    .url('must be a web address such as https://opensend.example.org')
    .regex(/^https?:\/\//, 'must start with https:// or http://')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  sessionSecret: string;
  trustProxy: false | number | string[];
  logLevel: string;
  smallNumberThreshold: number;
  migrationDatabaseUrl: string | undefined;
  backupKey: string | undefined;
  backupKeepDays: number;
  auditKey: string;
  auditCheckpointDir: string;
  /** The mail server, or null: mail then waits in the outbox. */
  smtp: SmtpSettings | null;
  /** Where links in mail point (no trailing slash). */
  publicUrl: string;
}

/** How OpenSEND reaches its mail server. */
export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the start (port 465); otherwise STARTTLS is required unless `allowPlain` is set. */
  secure: boolean;
  user?: string | undefined;
  password?: string | undefined;
  from: string;
  /** Only for a mail server on the same machine or in tests: send without TLS. */
  allowPlain?: boolean;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/i;

/** The SMTP settings from the environment, or the settings that are wrong and why. */
function smtpSettings(e: z.infer<typeof EnvSchema>): { smtp: SmtpSettings | null; problems: string[] } {
  const problems: string[] = [];
  if (!e.SMTP_HOST) {
    const stray = (['SMTP_PORT', 'SMTP_TLS', 'SMTP_USER', 'SMTP_PASSWORD', 'MAIL_FROM'] as const).filter(
      (name) => e[name] !== undefined,
    );
    if (stray.length > 0)
      problems.push(
        `  SMTP_HOST must be set too when ${stray.join(', ')} ${stray.length === 1 ? 'is' : 'are'} set`,
      );
    return { smtp: null, problems };
  }
  const tls = e.SMTP_TLS ?? (e.SMTP_PORT === 465 ? 'tls' : 'starttls');
  if (tls === 'none' && !LOOPBACK.test(e.SMTP_HOST))
    problems.push(
      '  SMTP_TLS may be none only for a mail server on this machine (localhost): mail would cross the network unencrypted',
    );
  if (!e.MAIL_FROM) problems.push('  MAIL_FROM must be set when SMTP_HOST is (the address mail comes from)');
  else if (!/^[^<>]*<?[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>?$/.test(e.MAIL_FROM))
    problems.push('  MAIL_FROM must be an email address, such as OpenSEND <opensend@school.example>');
  if (e.SMTP_USER && e.SMTP_PASSWORD === undefined)
    problems.push('  SMTP_PASSWORD must be set when SMTP_USER is');
  if (!e.PUBLIC_URL)
    problems.push(
      '  PUBLIC_URL must be set when SMTP_HOST is (the address people open OpenSEND at, for the links in mail)',
    );
  return {
    smtp: {
      host: e.SMTP_HOST,
      port: e.SMTP_PORT ?? (tls === 'tls' ? 465 : 587),
      secure: tls === 'tls',
      user: e.SMTP_USER,
      password: e.SMTP_PASSWORD,
      from: e.MAIL_FROM ?? '',
      allowPlain: tls === 'none',
    },
    problems,
  };
}

export class ConfigError extends Error {}

/**
 * Read the environment once, validate it and fail fast with a message that names each wrong setting.
 * Without SESSION_SECRET or AUDIT_KEY, one is made on first start and kept (readable only by its owner)
 * in DATA_DIR.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')} ${issue.message}`);
    throw new ConfigError(`OpenSEND cannot start: these settings are wrong:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const { smtp, problems } = smtpSettings(e);
  if (problems.length > 0)
    throw new ConfigError(`OpenSEND cannot start: these settings are wrong:\n${problems.join('\n')}`);
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    sessionSecret: e.SESSION_SECRET ?? storedSessionSecret(dataDir),
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    smallNumberThreshold: e.SMALL_NUMBER_THRESHOLD,
    migrationDatabaseUrl: e.MIGRATION_DATABASE_URL,
    backupKey: e.BACKUP_KEY,
    backupKeepDays: e.BACKUP_KEEP_DAYS,
    auditKey: e.AUDIT_KEY ?? storedAuditKey(dataDir),
    auditCheckpointDir: path.resolve(e.AUDIT_CHECKPOINT_DIR ?? path.join(dataDir, 'audit-checkpoints')),
    smtp,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
  };
}

/** DATA_DIR as `loadConfig` resolves it, without making anything in it; null when it is not valid. */
export function configuredDataDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const parsed = EnvSchema.shape.DATA_DIR.safeParse(env.DATA_DIR);
  return parsed.success ? path.resolve(parsed.data) : null;
}

/** The files `loadConfig` makes in DATA_DIR when their settings are not given. */
export const STORED_SECRETS = ['session-secret', 'audit-key'] as const;

/** A secret made on first start and kept in DATA_DIR, readable only by its owner. */
function storedSecret(dataDir: string, name: string): string {
  const file = path.join(dataDir, name);
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length < 32)
      throw new ConfigError(`OpenSEND cannot start: ${file} holds a secret shorter than 32 characters`);
    return secret;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return secret;
}

function storedSessionSecret(dataDir: string): string {
  return storedSecret(dataDir, 'session-secret');
}

/**
 * The audit key kept in DATA_DIR when AUDIT_KEY is not set. On PGlite whoever holds DATA_DIR then holds
 * the key too: an operator who wants the chain to stand against them sets AUDIT_KEY from elsewhere.
 */
export function storedAuditKey(dataDir: string): string {
  return storedSecret(path.resolve(dataDir), 'audit-key');
}
