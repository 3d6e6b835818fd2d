import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { testServices } from '../../test/builders/index.ts';
import { buildSchool } from '../../test/builders/schools.ts';
import { freshDatabase } from '../../test/db.ts';
import { TEST_AUDIT_KEY, withDatabase } from '../../test/template.ts';
import { intact } from '../services/audit/verify.ts';
import { MIGRATIONS_FOLDER, openPostgres } from './client.ts';
import { auditEvent, letterTemplate, pupil } from './schema/index.ts';

describe('migrations', () => {
  it('can run again on a migrated database without harm', async () => {
    const database = await freshDatabase();
    await database.migrate();
    const rows = await database.db.select({ n: sql<number>`count(*)::int` }).from(auditEvent);
    expect(rows).toHaveLength(1);
    await database.close();
  });

  it('lets two instances start together on one empty PostgreSQL database (advisory lock)', async () => {
    const url = process.env.DATABASE_URL;
    if (!url) {
      // On PGlite one process owns the directory (see the lock-file test); the lock matters on PostgreSQL.
      expect(url).toBeUndefined();
      return;
    }
    const name = `opensend_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const a = await openPostgres(withDatabase(url, name), 2);
    const b = await openPostgres(withDatabase(url, name), 2);
    await Promise.all([a.migrate(), b.migrate()]);
    const pupils = await a.db.select({ n: sql<number>`count(*)::int` }).from(pupil);
    expect(pupils[0]?.n).toBe(0);
    await a.close();
    await b.close();
    await admin.query(`drop database ${name} with (force)`);
    await admin.end();
  });

  it('survives PostgreSQL terminating an idle pooled connection', async () => {
    const url = process.env.DATABASE_URL;
    if (!url) {
      expect(url).toBeUndefined(); // PGlite has no connections to lose
      return;
    }
    const errors: string[] = [];
    const name = `opensend_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const database = await openPostgres(withDatabase(url, name), {
      poolSize: 1,
      onConnectionError: (e) => errors.push(e.message),
    });
    const before = (await database.db.execute(sql`select pg_backend_pid() as pid`)) as unknown as {
      rows: { pid: number }[];
    };
    await admin.query('select pg_terminate_backend($1)', [before.rows[0]!.pid]);
    for (let i = 0; i < 50 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(errors.join()).toMatch(/terminat/);
    const after = (await database.db.execute(sql`select 1 as one`)) as unknown as { rows: { one: number }[] };
    expect(after.rows[0]?.one).toBe(1);
    await database.close();
    await admin.query(`drop database ${name} with (force)`);
    await admin.end();
  });
});

describe('the migration of stored letter templates to {{plan.nameWithArticle}}', () => {
  it('changes "a {{plan.name}}" in a school’s templates, moves their version on, and leaves the rest as written', async () => {
    const file = readdirSync(MIGRATIONS_FOLDER).find((f) => f.endsWith('_letter_plan_name_with_article.sql'));
    const migration = readFileSync(path.join(MIGRATIONS_FOLDER, file!), 'utf8');
    const database = await freshDatabase();
    try {
      const { id: schoolId } = await buildSchool(database.db);
      const row = (id: string, body: string, slip: string | null) => ({
        schoolId,
        id,
        kind: 'register_placement' as const,
        name: id,
        body,
        slip,
        version: 3,
      });
      const ids = [1, 2, 3].map(() => crypto.randomUUID()) as [string, string, string];
      await database.db
        .insert(letterTemplate)
        .values([
          row(
            ids[0],
            'Sam will be given a {{plan.name}} with up to 4 targets; a copy of the {{plan.name}}.',
            'Your a {{ plan.name }}',
          ),
          row(ids[1], 'Sam will be given an {{plan.name}}.', null),
          row(ids[2], 'Data {{plan.name}} and a {{plan.startDate}}.', null),
        ]);
      await database.db.execute(sql.raw(migration));
      const after = new Map((await database.db.select().from(letterTemplate)).map((t) => [t.id, t] as const));
      expect(after.get(ids[0])).toMatchObject({
        body: 'Sam will be given {{plan.nameWithArticle}} with up to 4 targets; a copy of the {{plan.name}}.',
        slip: 'Your {{plan.nameWithArticle}}',
        version: 4,
      });
      expect(after.get(ids[1])).toMatchObject({ body: 'Sam will be given an {{plan.name}}.', version: 3 });
      expect(after.get(ids[2])).toMatchObject({
        body: 'Data {{plan.name}} and a {{plan.startDate}}.',
        version: 3,
      });
    } finally {
      await database.close();
    }
  });
});

describe('running as a role that does not own the tables', () => {
  it('migrates with a second URL, and leaves the app role unable to alter, disable or empty the audit trail', async () => {
    const url = process.env.DATABASE_URL;
    if (!url) {
      // PGlite has one user, who owns everything: the separation applies on PostgreSQL.
      expect(url).toBeUndefined();
      return;
    }
    const suffix = randomBytes(4).toString('hex');
    const name = `opensend_test_${suffix}`;
    const role = `opensend_app_${suffix}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create role ${role} login password 'app-password-${suffix}'`);
    await admin.query(`create database ${name}`);
    const ownerUrl = withDatabase(url, name);
    const appUrl = new URL(ownerUrl);
    appUrl.username = role;
    appUrl.password = `app-password-${suffix}`;
    const database = await openPostgres(appUrl.toString(), {
      poolSize: 2,
      migrationUrl: ownerUrl,
      auditKey: TEST_AUDIT_KEY,
    });
    try {
      await database.migrate();
      // The app works: it can write school data and append to the trail.
      await database.db.execute(
        sql`insert into school (id, name, urn, la_code, establishment_number, phase) values (gen_random_uuid(), 'Role Test', '999999', '999', '9999', 'primary')`,
      );
      await database.db.execute(sql`insert into audit_event (action) values ('audit.verified')`);
      // And check it: the keyed chain, and the safeguards it reads from the catalogue as a role owning nothing.
      expect(intact(await testServices(database).admin.verifyAudit({ osUser: 'test', requestId: 'r' }))).toBe(
        true,
      );
      // It cannot change, remove or hide what the trail holds (the database's own reason, under the query's).
      const refusal = (query: Promise<unknown>) =>
        query.then(
          () => 'allowed',
          (e: Error & { cause?: Error }) => e.cause?.message ?? e.message,
        );
      expect(await refusal(database.db.execute(sql`alter table audit_event disable trigger user`))).toMatch(
        /must be owner/,
      );
      expect(await refusal(database.db.execute(sql`delete from audit_event`))).toMatch(/permission denied/);
      expect(await refusal(database.db.execute(sql`update audit_event set action = 'x'`))).toMatch(
        /permission denied/,
      );
      expect(await refusal(database.db.execute(sql`truncate audit_event`))).toMatch(/permission denied/);
      expect(await refusal(database.db.execute(sql`drop table pupil`))).toMatch(/must be owner/);
    } finally {
      await database.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.query(`drop role if exists ${role}`);
      await admin.end();
    }
  });
});
