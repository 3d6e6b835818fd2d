import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openPgliteDirectory } from '../src/db/client.ts';
import { auditEvent, parentCarer, pupil, pupilImport } from '../src/db/schema/index.ts';
import { makeUpn } from '../src/domain/upn.ts';
import {
  buildClass,
  buildPupil,
  buildSchool,
  buildStaff,
  MIS_HEADINGS,
  misCsv,
  misRowFor,
} from './builders/index.ts';
import { freshPgliteDataDir } from './db.ts';
import { runOpensend } from './opensend-process.ts';

describe('opensend import pupils', () => {
  it('previews without changing anything, prints each problem with its line, and applies with --apply', async () => {
    const dataDir = await freshPgliteDataDir();
    let database = await openPgliteDirectory(dataDir);
    const school = await buildSchool(database.db, { name: 'Hillside Primary' });
    await buildClass(database.db, school.id, 'Year 4 Oak', 4);
    const office = await buildStaff(database.db, 'office', {
      schoolId: school.id,
      email: 'office@hillside.example',
    });
    await buildStaff(database.db, 'class_teacher', {
      schoolId: school.id,
      email: 'teacher@hillside.example',
    });
    const amara = await buildPupil(database.db, {
      schoolId: school.id,
      upn: makeUpn('999', '3333', 22, 1),
      forename: 'Amara',
      surname: 'Adebayo',
      dateOfBirth: '2018-01-15',
    });
    await database.close();

    const nia = misRowFor(
      { upn: makeUpn('999', '3333', 22, 2), forename: 'Nia', surname: 'Newcomer', dateOfBirth: '2019-04-04' },
      { className: 'Year 4 Oak' },
    );
    const bad = { ...nia, upn: 'A12', forename: 'Bea', surname: 'Broken' };
    const dir = mkdtempSync(path.join(tmpdir(), 'opensend-import-'));
    const withProblem = path.join(dir, 'pupils.csv');
    writeFileSync(withProblem, misCsv([misRowFor(amara, { eal: 'Y' }), bad, nia]));
    const clean = path.join(dir, 'clean.csv');
    writeFileSync(clean, misCsv([misRowFor(amara, { eal: 'Y' }), nia]));

    const preview = await runOpensend(dataDir, [
      'import',
      'pupils',
      withProblem,
      '--as',
      'office@hillside.example',
    ]);
    expect(preview.code, preview.out).toBe(1);
    expect(preview.out).toContain('pupils.csv: 3 rows.');
    expect(preview.out).toMatch(/New pupils\s+1\n/);
    expect(preview.out).toMatch(/Pupils with changes\s+1\n/);
    expect(preview.out).toMatch(/Rows with problems\s+1\n/);
    expect(preview.out).toContain('Line 3 (Bea Broken): UPN must be 13 characters');
    expect(preview.out).toContain('Nothing was changed. Run again with --apply');

    database = await openPgliteDirectory(dataDir);
    const count = async () =>
      (
        await database.db
          .select({ n: sql<number>`count(*)::int` })
          .from(pupil)
          .where(eq(pupil.schoolId, school.id))
      )[0]!.n;
    expect(await count()).toBe(1);
    expect((await database.db.select().from(pupilImport)).map((i) => i.status)).toEqual(['previewed']);
    await database.close();

    const refused = await runOpensend(dataDir, [
      'import',
      'pupils',
      clean,
      '--as',
      'teacher@hillside.example',
      '--apply',
    ]);
    expect(refused.code, refused.out).toBe(1);
    expect(refused.out).toContain('You do not have permission to do this');
    const applied = await runOpensend(dataDir, [
      'import',
      'pupils',
      clean,
      '--as',
      'office@hillside.example',
      '--school',
      school.urn,
      '--apply',
    ]);
    expect(applied.code, applied.out).toBe(0);
    expect(applied.out).toContain('Applied: 1 pupil added, 1 updated.');

    database = await openPgliteDirectory(dataDir);
    expect(await count()).toBe(2);
    const events = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.schoolId, school.id), eq(auditEvent.userId, office.actor.userId)));
    const actions = events.map((e) => e.action);
    expect(actions.filter((a) => a === 'import.applied')).toHaveLength(1);
    expect(actions.filter((a) => a === 'pupil.created_from_import')).toHaveLength(1);
    expect(actions.filter((a) => a === 'pupil.updated_from_import')).toHaveLength(1);
    expect(events.find((e) => e.action === 'import.applied')?.requestId).toMatch(/^command-/);
    await database.close();
  }, 120_000);

  it('names the relationships the file gives no parental responsibility for, and applies only with --responsibility', async () => {
    const dataDir = await freshPgliteDataDir();
    let database = await openPgliteDirectory(dataDir);
    const school = await buildSchool(database.db, { name: 'Parkside Primary' });
    await buildStaff(database.db, 'office', { schoolId: school.id, email: 'office@parkside.example' });
    await database.close();
    const row = (n: number, name: string, relationship: string) =>
      misRowFor(
        {
          upn: makeUpn('999', '4444', 22, n),
          forename: `Pupil${n}`,
          surname: 'Family',
          dateOfBirth: '2019-04-04',
        },
        { contactName: name, contactRelationship: relationship },
      );
    const { parentalResponsibility: _pr, ...headings } = MIS_HEADINGS;
    const dir = mkdtempSync(path.join(tmpdir(), 'opensend-import-pr-'));
    const csv = path.join(dir, 'no-pr.csv');
    writeFileSync(csv, misCsv([row(1, 'Mia Mum', 'Mother'), row(2, 'Gus Grandad', 'Grandfather')], headings));
    const args = ['import', 'pupils', csv, '--as', 'office@parkside.example', '--apply'];

    const refused = await runOpensend(dataDir, args);
    expect(refused.code, refused.out).toBe(1);
    expect(refused.out).toContain(
      'Parental responsibility: the file does not say for 2 parents and carers it adds: Grandfather (1), Mother (1).',
    );
    expect(refused.out).toContain('--responsibility "Mother"');
    expect(refused.out).toContain('Nothing was changed.');
    const wrong = await runOpensend(dataDir, [...args, '--responsibility', 'Mother,Uncle']);
    expect(wrong.code, wrong.out).toBe(1);
    expect(wrong.out).toContain('Not a relationship in this file: uncle. Nothing was changed.');

    const applied = await runOpensend(dataDir, [...args, '--responsibility', 'mother']);
    expect(applied.code, applied.out).toBe(0);
    database = await openPgliteDirectory(dataDir);
    const parents = await database.db
      .select({ name: parentCarer.name, pr: parentCarer.parentalResponsibility })
      .from(parentCarer)
      .where(eq(parentCarer.schoolId, school.id));
    expect(Object.fromEntries(parents.map((p) => [p.name, p.pr]))).toEqual({
      'Mia Mum': true,
      'Gus Grandad': false,
    });
    await database.close();
  }, 120_000);
});
