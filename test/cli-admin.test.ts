import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openPgliteDirectory } from '../src/db/client.ts';
import { appUser, auditEvent } from '../src/db/schema/index.ts';
import { buildSchool, buildStaff, testServices } from './builders/index.ts';
import { freshPgliteDataDir } from './db.ts';
import { runOpensend } from './opensend-process.ts';

describe('the command line for whoever runs the server', () => {
  it('resets a forgotten password to a one-time one, creates a SENCo, and checks the audit trail against a checkpoint', async () => {
    const dataDir = await freshPgliteDataDir();
    let database = await openPgliteDirectory(dataDir);
    const school = await buildSchool(database.db, { name: 'Hillside Primary' });
    const senco = await buildStaff(database.db, 'senco', {
      schoolId: school.id,
      email: 'only.senco@hillside.example',
    });
    await database.close();

    const reset = await runOpensend(dataDir, ['reset-password', 'only.senco@hillside.example']);
    expect(reset.code, reset.out).toBe(0);
    const password = /One-time password: (\S+)/.exec(reset.out)?.[1];
    expect(password).toBeTruthy();
    expect((await runOpensend(dataDir, ['reset-password', 'nobody@hillside.example'])).out).toMatch(
      /no account with the email/,
    );

    const created = await runOpensend(dataDir, [
      'create-senco',
      '--school',
      school.urn,
      '--email',
      'new.senco@hillside.example',
      '--name',
      'Nia Senco',
    ]);
    expect(created.code, created.out).toBe(0);
    expect(created.out).toContain('is now a SENCo of Hillside Primary');

    database = await openPgliteDirectory(dataDir);
    const services = testServices(database);
    const signedIn = await services.auth.signIn(
      { email: 'only.senco@hillside.example', password: password!, address: '192.0.2.5' },
      'r',
    );
    expect(signedIn).toMatchObject({ ok: true, mustChangePassword: true });
    const rows = await database.db.select().from(auditEvent).where(eq(auditEvent.userId, senco.actor.userId));
    expect(rows.map((r) => [r.action, r.schoolId])).toEqual(
      expect.arrayContaining([
        ['account.password_reset_by_command', null],
        ['account.password_reset_by_command', school.id],
      ]),
    );
    const newAccount = await database.db
      .select()
      .from(appUser)
      .where(eq(appUser.email, 'new.senco@hillside.example'));
    expect(newAccount[0]?.mustChangePassword).toBe(true);
    await database.close();

    const intact = await runOpensend(dataDir, ['audit', 'verify']);
    expect(intact.code, intact.out).toBe(0);
    expect(intact.out).toContain('The audit trail is intact');
    expect(intact.out).toContain('No checkpoint to compare with');

    // A checkpoint, kept by default in DATA_DIR/audit-checkpoints (AUDIT_CHECKPOINT_DIR moves it).
    const checkpoint = await runOpensend(dataDir, ['audit', 'checkpoint']);
    expect(checkpoint.code, checkpoint.out).toBe(0);
    expect(checkpoint.out).toMatch(/Checkpoint of the audit trail written to .*audit-checkpoints/);
    // The newest entry of the school deleted: every link still follows, but the checkpoint saw it.
    database = await openPgliteDirectory(dataDir);
    await database.db.execute(sql`alter table audit_event disable trigger user`);
    await database.db.execute(
      sql`delete from audit_event where id = (select max(id) from audit_event where school_id = ${school.id})`,
    );
    await database.db.execute(sql`alter table audit_event enable trigger user`);
    await database.close();
    const shorter = await runOpensend(dataDir, ['audit', 'verify']);
    expect(shorter.code, shorter.out).toBe(2);
    expect(shorter.out).toMatch(
      /Hillside Primary: entries were deleted from the end: the checkpoint saw \d+ entries, the chain now has \d+/,
    );

    // Someone who owns the database files turns the triggers off and deletes a row.
    database = await openPgliteDirectory(dataDir);
    await database.db.execute(sql`alter table audit_event disable trigger user`);
    await database.db.execute(
      sql`delete from audit_event where id = (select min(id) from audit_event where school_id = ${school.id})`,
    );
    await database.db.execute(sql`alter table audit_event enable trigger user`);
    await database.close();
    const tampered = await runOpensend(dataDir, ['audit', 'verify']);
    expect(tampered.code).toBe(2);
    expect(tampered.out).toMatch(/The audit trail has been changed[\s\S]*Hillside Primary: entry \d+/);
  }, 90_000);
});
