import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openPgliteDirectory } from '../../src/db/client.ts';
import { buildWorld, testServices } from '../builders/index.ts';
import { freshPgliteDataDir } from '../db.ts';
import { runOpensend, spawnOpensend } from '../opensend-process.ts';

/*
 * A wrong AUDIT_KEY (a typing mistake, another installation's key, DATA_DIR/audit-key lost and made
 * again) must not poison the trail: an entry linked with it could never be verified, and the trail is
 * append-only, so it could never be taken out either. `opensend audit verify` with a wrong key reports,
 * says the key looks wrong, and writes nothing; the server and the other commands refuse to start.
 */

const WRONG = 'not the key this audit trail was written with, at all';

/** A DATA_DIR with a school and some of its trail, written with the key kept in DATA_DIR/audit-key. */
async function schoolWithTrail(): Promise<string> {
  const dataDir = await freshPgliteDataDir();
  const database = await openPgliteDirectory(dataDir);
  const w = await buildWorld(database);
  const services = testServices(database);
  await services.pupils.view(w.senco.actor, w.pupilK.id);
  await services.pupils.list(w.senco.actor, {}, 1);
  await database.close();
  return dataDir;
}

async function entries(dataDir: string): Promise<number> {
  const database = await openPgliteDirectory(dataDir);
  try {
    const rows = (await database.db.execute(sql`select count(*)::int as n from audit_event`)) as unknown as {
      rows: { n: number }[];
    };
    return Number(rows.rows[0]?.n);
  } finally {
    await database.close();
  }
}

describe('a wrong AUDIT_KEY', () => {
  it('audit verify with it says the key looks wrong and writes nothing; verify with the right key still finds the trail intact', async () => {
    const dataDir = await schoolWithTrail();
    const before = await entries(dataDir);
    const wrong = await runOpensend(dataDir, ['audit', 'verify'], { AUDIT_KEY: WRONG });
    expect(wrong.code, wrong.out).toBe(2);
    expect(wrong.out).toContain('The audit key looks wrong');
    expect(wrong.out).toContain('Nothing was written to the audit trail');
    expect(await entries(dataDir)).toBe(before);

    const right = await runOpensend(dataDir, ['audit', 'verify']);
    expect(right.code, right.out).toBe(0);
    expect(right.out).toContain('The audit trail is intact');
    // And the right key's check is recorded, as always.
    expect(await entries(dataDir)).toBe(before + 1);
  }, 120_000);

  it('the server refuses to start with it, and the other commands to run, writing nothing', async () => {
    const dataDir = await schoolWithTrail();
    const before = await entries(dataDir);
    const child = spawnOpensend(dataDir, ['serve'], { env: { AUDIT_KEY: WRONG } });
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
    });
    child.stderr?.on('data', (d) => {
      out += d;
    });
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.stdout?.on('data', () => {
        if (out.includes('OpenSEND is ready')) child.kill('SIGTERM');
      });
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(out).not.toContain('OpenSEND is ready');
    expect(code, out).toBe(1);
    expect(out).toContain('OpenSEND cannot start. The audit key (AUDIT_KEY');
    expect(out).toContain('is not the key this audit trail was written with');

    const reset = await runOpensend(dataDir, ['reset-password', 'nobody@school.example'], {
      AUDIT_KEY: WRONG,
    });
    expect(reset.code).toBe(1);
    expect(reset.out).toContain('is not the key this audit trail was written with');
    expect(await entries(dataDir)).toBe(before);
    expect((await runOpensend(dataDir, ['audit', 'verify'])).code).toBe(0);
  }, 150_000);
});
