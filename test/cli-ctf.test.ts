import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openPgliteDirectory } from '../src/db/client.ts';
import { auditEvent, pupil } from '../src/db/schema/index.ts';
import { readCtf } from '../src/domain/ctf/read.ts';
import { ctfXml, testUpn } from './builders/ctf.ts';
import { buildPupil, buildSchool, buildStaff } from './builders/index.ts';
import { freshPgliteDataDir } from './db.ts';
import { runOpensend } from './opensend-process.ts';

describe('Common Transfer Files on the command line', () => {
  it('previews a CTF without changing anything, applies it with --apply, and writes a leaver’s CTF', async () => {
    const dataDir = await freshPgliteDataDir();
    let database = await openPgliteDirectory(dataDir);
    const school = await buildSchool(database.db, { name: 'Riverside Primary' });
    await buildStaff(database.db, 'senco', { schoolId: school.id, email: 'senco@riverside.example' });
    const leaver = await buildPupil(database.db, {
      schoolId: school.id,
      surname: 'Outbound',
      leftOn: '2026-10-01',
      destination: 'Abroad',
    });
    await database.close();

    const work = mkdtempSync(path.join(tmpdir(), 'opensend-ctf-'));
    const upn = testUpn();
    const file = path.join(work, '8884321_CTF_9991234_001.xml');
    writeFileSync(
      file,
      ctfXml({
        pupils: [
          { upn, forename: 'Cleo', surname: 'Commandline', sen: [['2024-01-08', 'K']], needs: [['SEMH', 1]] },
          { upn: 'B123456789012', surname: 'Broken' },
        ],
      }),
    );

    const preview = await runOpensend(dataDir, ['import', 'ctf', file, '--as', 'senco@riverside.example']);
    expect(preview.code, preview.out).toBe(0);
    expect(preview.out).toContain('Pupil 1 in the file, Cleo Commandline');
    expect(preview.out).toContain(
      'new pupil, at SEN support (K), Social, emotional and mental health (SEMH)',
    );
    expect(preview.out).toMatch(/Pupil 2 in the file, Sam Broken .*left out\n.*check letter/);
    expect(preview.out).toContain('No pupil was changed');
    database = await openPgliteDirectory(dataDir);
    expect(await database.db.select().from(pupil).where(eq(pupil.upn, upn))).toHaveLength(0);
    await database.close();

    const applied = await runOpensend(dataDir, [
      'import',
      'ctf',
      file,
      '--as',
      'senco@riverside.example',
      '--apply',
    ]);
    expect(applied.code, applied.out).toBe(0);
    expect(applied.out).toContain('Applied: 1 pupils added');
    database = await openPgliteDirectory(dataDir);
    expect((await database.db.select().from(pupil).where(eq(pupil.upn, upn)))[0]).toMatchObject({
      senStage: 'sen_support',
      primaryNeed: 'SEMH',
    });
    const audited = await database.db.select().from(auditEvent).where(eq(auditEvent.action, 'ctf.imported'));
    expect(audited.length).toBeGreaterThan(0);
    await database.close();

    const out = mkdtempSync(path.join(tmpdir(), 'opensend-ctf-out-'));
    const exported = await runOpensend(dataDir, [
      'export',
      'ctf',
      '--as',
      'senco@riverside.example',
      '--pupil',
      leaver.upn,
      '--out',
      out,
    ]);
    expect(exported.code, exported.out).toBe(0);
    const name = `${school.laCode}${school.establishmentNumber}_CTF_MMMXXXX_001.xml`;
    expect(exported.out).toContain(name);
    const target = path.join(out, name);
    expect(existsSync(target)).toBe(true);
    const back = readCtf(readFileSync(target), '2099-01-01');
    expect(back.ok && back.pupils[0]?.upn).toBe(leaver.upn);

    const notLeaver = await runOpensend(dataDir, [
      'export',
      'ctf',
      '--as',
      'senco@riverside.example',
      '--pupil',
      upn,
    ]);
    expect(notLeaver.code).toBe(1);
    expect(notLeaver.out).toContain(`No pupil who has left has the UPN ${upn}`);
  }, 120_000);
});
