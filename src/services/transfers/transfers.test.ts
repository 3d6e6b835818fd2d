import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ctfBytes, testUpn } from '../../../test/builders/ctf.ts';
import { buildPupil, TODAY, useWorld } from '../../../test/builders/index.ts';
import { auditEvent, parentCarer, pupil, pupilImport, registerEntry } from '../../db/schema/index.ts';
import { readCtf } from '../../domain/ctf/read.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';

const t = useWorld();

const upload = (file: Parameters<typeof ctfBytes>[0], fileName = '8884321_CTF_9991234_001.xml') => ({
  fileName,
  data: ctfBytes(file),
});

const pupilByUpn = async (upn: string) =>
  (await t.database.db.select().from(pupil).where(eq(pupil.upn, upn)))[0];

const entriesOf = (pupilId: string) =>
  t.database.db
    .select()
    .from(registerEntry)
    .where(eq(registerEntry.pupilId, pupilId))
    .orderBy(registerEntry.effectiveDate);

const actions = async (action: string) =>
  t.database.db
    .select()
    .from(auditEvent)
    .where(eq(auditEvent.action, action as never));

const versionOf = async (importId: string) =>
  (await t.database.db.select().from(pupilImport).where(eq(pupilImport.id, importId)))[0]!.version;

describe('a Common Transfer File in', () => {
  it('adds a new pupil with contacts and their SEN history, from the latest entry to the register', async () => {
    const { services, w } = t;
    const upn = testUpn();
    const importId = await services.transfers.previewCtf(
      w.senco.actor,
      upload({
        pupils: [
          {
            upn,
            forename: 'Nia',
            surname: 'Newcomer',
            dob: '2017-06-01',
            sen: [
              ['2023-01-10', 'K'],
              ['2024-09-05', 'E'],
            ],
            needs: [
              ['SLCN', 1, '2023-01-10', '2024-09-04'],
              ['ASD', 1, '2024-09-05'],
            ],
            contacts: [{ title: 'Ms', forename: 'Nora', surname: 'Newcomer', phone: '01632 960002' }],
          },
        ],
      }),
    );
    // The preview changes no pupil.
    expect(await pupilByUpn(upn)).toBeUndefined();
    const preview = await services.transfers.ctfImport(w.senco.actor, importId);
    expect(preview.status).toBe('previewed');
    expect(preview.plan.pupils[0]).toMatchObject({
      position: 1,
      status: 'new',
      sets: { stage: 'ehc_plan', primaryNeed: 'ASD' },
    });

    const result = await services.transfers.applyCtf(w.senco.actor, importId, {
      version: await versionOf(importId),
      historyFor: [],
    });
    expect(result).toEqual({ created: 1, historyAdded: 0 });
    const added = (await pupilByUpn(upn))!;
    expect((await services.transfers.ctfImport(w.senco.actor, importId)).plan.pupils[0]?.pupilId).toBe(
      added.id,
    );
    expect(added).toMatchObject({
      forename: 'Nia',
      senStage: 'ehc_plan',
      primaryNeed: 'ASD',
      secondaryNeed: null,
      // Joined the school the day the file was applied (the CTF does not say when they start here).
      admissionDate: TODAY,
    });
    const entries = await entriesOf(added.id);
    expect(
      entries.map((e) => [e.effectiveDate, e.fromStage, e.stage, e.primaryNeed, e.source, e.reason]),
    ).toEqual([
      ['2023-01-10', 'none', 'sen_support', 'SLCN', 'ctf', 'From Hillside Primary CTF'],
      ['2024-09-05', 'sen_support', 'ehc_plan', 'ASD', 'ctf', 'From Hillside Primary CTF'],
    ]);
    const parents = await t.database.db.select().from(parentCarer).where(eq(parentCarer.pupilId, added.id));
    expect(parents).toMatchObject([
      { name: 'Ms Nora Newcomer', relationship: 'Parent', phone: '01632 960002' },
    ]);
    expect((await actions('pupil.created_from_ctf')).map((a) => a.pupilId)).toContain(added.id);
    expect((await actions('ctf.imported')).at(-1)?.detail).toMatchObject({
      created: 1,
      source: 'Hillside Primary',
    });
    // On the register and in the record's history.
    const register = await services.register.list(w.senco.actor, {});
    expect(register.rows.map((r) => r.upn)).toContain(upn);
    const record = await services.pupils.view(w.senco.actor, added.id);
    expect(record.history.map((h) => h.reason)).toEqual([
      'From Hillside Primary CTF',
      'From Hillside Primary CTF',
    ]);
    // Applying twice is refused.
    await expect(
      services.transfers.applyCtf(w.senco.actor, importId, {
        version: await versionOf(importId),
        historyFor: [],
      }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('offers the new SEN history of pupils already here, never overwriting what the school recorded', async () => {
    const { services, w, database } = t;
    const fresh = await buildPupil(database.db, {
      schoolId: w.school.id,
      surname: 'Fresh',
      dateOfBirth: '2017-02-02',
    });
    const kept = await buildPupil(database.db, {
      schoolId: w.school.id,
      surname: 'Kept',
      dateOfBirth: '2017-02-02',
      stage: 'sen_support',
      primaryNeed: 'SPLD',
    });
    const history = {
      sen: [['2024-01-08', 'K']] as [string, string][],
      needs: [['MLD', 1]] as [string, number][],
    };
    const file = {
      pupils: [
        { upn: fresh.upn, surname: 'Fresh', dob: '2017-02-02', ...history },
        { upn: kept.upn, surname: 'Kept', dob: '2017-02-02', ...history },
        { upn: w.pupilA.upn, surname: 'Someone-Else', dob: '2017-02-02', ...history },
        { upn: 'B123456789012', surname: 'Broken' },
      ],
    };
    const importId = await services.transfers.previewCtf(w.senco.actor, upload(file));
    const { plan } = await services.transfers.ctfImport(w.senco.actor, importId);
    expect(plan.pupils.map((p) => [p.position, p.status])).toEqual([
      [1, 'history'],
      [2, 'history'],
      [3, 'problem'],
      [4, 'problem'],
    ]);
    expect(plan.pupils[2]!.problems[0]).toMatch(/check the UPN with the other school/);
    expect(plan.pupils[3]!.problems[0]).toMatch(/check letter/);
    expect(plan.pupils[0]!.sets).toMatchObject({ stage: 'sen_support', primaryNeed: 'MLD' });
    expect(plan.pupils[1]!.sets).toBeNull();
    // Only the pupils the person ticks get the history.
    await services.transfers.applyCtf(w.senco.actor, importId, {
      version: await versionOf(importId),
      historyFor: [fresh.id, kept.id],
    });
    expect(await pupilByUpn(fresh.upn)).toMatchObject({ senStage: 'sen_support', primaryNeed: 'MLD' });
    // The school's own position for Kept stays (SPLD); the file's history is added beside it.
    expect(await pupilByUpn(kept.upn)).toMatchObject({ senStage: 'sen_support', primaryNeed: 'SPLD' });
    expect((await entriesOf(kept.id)).map((e) => [e.effectiveDate, e.primaryNeed, e.source])).toEqual([
      ['2024-01-08', 'MLD', 'ctf'],
    ]);
    // The same file again has nothing new for them.
    const again = await services.transfers.previewCtf(w.senco.actor, upload(file));
    const second = await services.transfers.ctfImport(w.senco.actor, again);
    expect(second.plan.pupils.slice(0, 2).map((p) => p.status)).toEqual(['unchanged', 'unchanged']);
  });

  it('refuses a file that is not a CTF, saving nothing', async () => {
    const { services, w, database } = t;
    const before = (await database.db.select().from(pupilImport)).length;
    for (const data of [
      Buffer.from(''),
      Buffer.from('UPN,Surname\n'),
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]),
      Buffer.from(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><CTfile>&e;</CTfile>',
      ),
    ]) {
      await expect(
        services.transfers.previewCtf(w.senco.actor, { fileName: 'x.xml', data }),
      ).rejects.toMatchObject({
        errors: [{ field: 'file' }],
      });
    }
    expect((await database.db.select().from(pupilImport)).length).toBe(before);
  });

  it('keeps the file’s name without the hidden characters a browser may send in it', async () => {
    const { services, w, database } = t;
    const importId = await services.transfers.previewCtf(
      w.senco.actor,
      upload({ pupils: [{}] }, 'in\u0000\u202Ecoming\r\n.xml'),
    );
    const [stored] = await database.db.select().from(pupilImport).where(eq(pupilImport.id, importId));
    expect(stored?.fileName).toBe('incoming.xml');
  });

  it('applies all or nothing: an error part-way leaves the school as it was', async () => {
    const { services, w, database } = t;
    const first = testUpn();
    const second = testUpn();
    const importId = await services.transfers.previewCtf(
      w.senco.actor,
      upload({ pupils: [{ upn: first, sen: [['2024-01-08', 'K']], needs: [['SPLD', 1]] }, { upn: second }] }),
    );
    // Between the preview and the apply, someone adds a pupil with the second UPN by hand.
    await buildPupil(database.db, { schoolId: w.school.id, upn: second });
    await expect(
      services.transfers.applyCtf(w.senco.actor, importId, {
        version: await versionOf(importId),
        historyFor: [],
      }),
    ).rejects.toMatchObject({ errors: [{ field: 'upn' }] });
    expect(await pupilByUpn(first)).toBeUndefined();
    expect((await services.transfers.ctfImport(w.senco.actor, importId)).status).toBe('previewed');
    // A stale version is a conflict, not a second apply.
    await expect(
      services.transfers.applyCtf(w.senco.actor, importId, { version: 99, historyFor: [] }),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('is for those who write the SEN register, in their own school', async () => {
    const { services, w } = t;
    // The command line acts with the named person's own roles, not every role held in the school.
    const office = await services.admin.actorForCommand(w.office.email, { osUser: 'test', requestId: 'r' });
    expect(office.roles).toEqual(['office']);
    const file = upload({ pupils: [{}] });
    await expect(services.transfers.previewCtf(w.office.actor, file)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(services.transfers.previewCtf(w.teacherA.actor, file)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    const importId = await services.transfers.previewCtf(w.senco.actor, file);
    await expect(services.transfers.ctfImport(w.otherSenco.actor, importId)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      services.transfers.applyCtf(w.otherSenco.actor, importId, { version: 1, historyFor: [] }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('leavers and a Common Transfer File out', () => {
  it('records a leaver: read-only, out of lists and counts, shown with a "leavers" filter, kept to DOB + 31', async () => {
    const { services, w, database } = t;
    const p = await buildPupil(database.db, {
      schoolId: w.school.id,
      surname: 'Leaving',
      dateOfBirth: '2016-03-04',
      admissionDate: '2020-09-03',
    });
    await services.register.changePosition(w.senco.actor, p.id, {
      version: 1,
      stage: 'sen_support',
      primaryNeed: 'SLCN',
      secondaryNeed: null,
      effectiveDate: '2024-02-01',
      reason: 'Speech and language assessment',
    });
    const input = { leftOn: '2026-11-13', destination: 'Hillside Secondary', destinationUrn: '654321' };
    const version = (await pupilByUpn(p.upn))!.version;
    await expect(
      services.transfers.recordLeaving(w.senco.actor, p.id, { ...input, version, leftOn: '2027-01-05' }),
    ).rejects.toMatchObject({
      errors: [{ field: 'leftOn', message: expect.stringMatching(/end of this term/) }],
    });
    await expect(
      services.transfers.recordLeaving(w.senco.actor, p.id, { ...input, version, leftOn: '2020-09-01' }),
    ).rejects.toMatchObject({
      errors: [{ field: 'leftOn', message: expect.stringMatching(/joined the school/) }],
    });
    await expect(
      services.transfers.recordLeaving(w.teacherA.actor, p.id, { ...input, version }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      services.transfers.recordLeaving(w.senco.actor, w.otherPupil.id, { ...input, version: 1 }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await services.transfers.recordLeaving(w.office.actor, p.id, { ...input, version });
    expect(await pupilByUpn(p.upn)).toMatchObject({
      leftOn: '2026-11-13',
      destination: 'Hillside Secondary',
    });
    expect((await actions('pupil.left')).map((a) => a.pupilId)).toContain(p.id);

    const onRoll = await services.pupils.list(w.senco.actor, { search: 'Leaving' }, 1);
    expect(onRoll.total).toBe(0);
    const leavers = await services.pupils.list(w.senco.actor, { search: 'Leaving', leavers: true }, 1);
    expect(leavers.rows.map((r) => r.id)).toEqual([p.id]);
    // Read-only: no change goes through, and the page offers none.
    await expect(
      services.pupils.update(w.senco.actor, p.id, 2, {
        upn: p.upn,
        forename: 'X',
        surname: 'Leaving',
        preferredName: null,
        dateOfBirth: '2016-03-04',
        sex: 'female',
        classId: null,
        ncYearOverride: null,
        admissionDate: null,
        flags: {} as never,
        medicalNotes: null,
        attendancePercent: null,
      }),
    ).rejects.toMatchObject({
      errors: [{ message: expect.stringMatching(/left the school on 13 November 2026/) }],
    });
    const page = await services.pupils.view(w.senco.actor, p.id);
    expect(page.actions).toMatchObject({ editDetails: false, changeRegister: false, recordLeaving: false });
    expect(page.leaver).toMatchObject({ leftOn: '2026-11-13', keptUntil: '2047-03-04', keptAtLeast: false });
    // The office, who cannot see the SEN register, is told only the shorter period, as a minimum.
    const office = await services.pupils.view(w.office.actor, p.id);
    expect(office.leaver).toMatchObject({ keptUntil: '2041-03-04', keptAtLeast: true });
    await expect(services.transfers.leavingForm(w.senco.actor, p.id)).rejects.toBeInstanceOf(ValidationError);
  });

  it('makes a CTF for leavers going to one school, numbered, named and recorded, that reads back', async () => {
    const { services, w, database } = t;
    const leaver = async (surname: string, destination: string | null) => {
      const p = await buildPupil(database.db, {
        schoolId: w.school.id,
        surname,
        dateOfBirth: '2015-10-10',
        admissionDate: '2019-09-04',
      });
      await services.register.changePosition(w.senco.actor, p.id, {
        version: 1,
        stage: 'sen_support',
        primaryNeed: 'SLCN',
        secondaryNeed: null,
        effectiveDate: '2023-01-10',
        reason: 'x',
      });
      await services.register.changePosition(w.senco.actor, p.id, {
        version: 2,
        stage: 'ehc_plan',
        primaryNeed: 'ASD',
        secondaryNeed: 'SLCN',
        effectiveDate: '2024-09-05',
        reason: 'Plan issued',
      });
      await database.db.insert(parentCarer).values({
        schoolId: w.school.id,
        id: crypto.randomUUID(),
        pupilId: p.id,
        name: 'Pat Parent-Smith',
        relationship: 'Mother',
        phone: '07700 900222',
        email: 'pat@families.example',
      });
      await services.transfers.recordLeaving(w.senco.actor, p.id, {
        version: 3,
        leftOn: '2026-11-06',
        destination,
        destinationUrn: null,
      });
      return p;
    };
    const a = await leaver('Abroad', null);
    const b = await leaver('Bound', 'Hillside Secondary');
    const options = await services.transfers.ctfExportOptions(w.senco.actor);
    expect(options.leavers.map((l) => l.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    await expect(
      services.transfers.produceCtf(w.senco.actor, { pupilIds: [a.id, b.id], destination: null }),
    ).rejects.toMatchObject({ errors: [{ message: expect.stringMatching(/same destination/) }] });
    await expect(
      services.transfers.produceCtf(w.senco.actor, { pupilIds: [w.pupilK.id], destination: null }),
    ).rejects.toMatchObject({ errors: [{ message: 'Select pupils from the list of leavers' }] });
    await expect(
      services.transfers.produceCtf(w.office.actor, { pupilIds: [a.id], destination: null }),
    ).rejects.toBeInstanceOf(ForbiddenError);

    // A history that breaks the census rules (NSA with an EHC plan, written before the rules held) is refused.
    const broken = await buildPupil(database.db, {
      schoolId: w.school.id,
      surname: 'Broken',
      leftOn: '2026-11-02',
    });
    await database.db.insert(registerEntry).values({
      schoolId: w.school.id,
      id: crypto.randomUUID(),
      pupilId: broken.id,
      effectiveDate: '2024-01-08',
      fromStage: 'none',
      stage: 'ehc_plan',
      primaryNeed: 'NSA',
      changeKind: 'ehc_plan_recorded',
      reason: 'x',
      decidedByName: 'x',
      source: 'register',
    });
    await expect(
      services.transfers.produceCtf(w.senco.actor, { pupilIds: [broken.id], destination: null }),
    ).rejects.toMatchObject({
      errors: [{ field: 'pupilIds', message: expect.stringMatching(/cannot be made until .*NSA/) }],
    });

    const school = w.school;
    const first = await services.transfers.produceCtf(w.senco.actor, { pupilIds: [a.id], destination: null });
    expect(first.fileName).toBe(`${school.laCode}${school.establishmentNumber}_CTF_MMMXXXX_001.xml`);
    const second = await services.transfers.produceCtf(w.senco.actor, {
      pupilIds: [b.id],
      destination: { la: '888', estab: '4321' },
    });
    expect(second.fileName).toBe(`${school.laCode}${school.establishmentNumber}_CTF_8884321_002.xml`);

    const file = await services.transfers.downloadCtf(w.senco.actor, second.exportId);
    expect(file.fileName).toBe(second.fileName);
    const back = readCtf(Buffer.from(file.xml), '2026-11-20');
    if (!back.ok) throw new Error(back.message);
    expect(back.header.destination).toEqual({ la: '888', estab: '4321' });
    expect(back.header.source).toMatchObject({ name: 'Oakfield Primary', la: school.laCode });
    expect(back.pupils[0]!.problems).toEqual([]);
    expect(back.pupils[0]!.pupil).toMatchObject({
      upn: b.upn,
      surname: 'Bound',
      contacts: [{ forename: 'Pat', surname: 'Parent-Smith', relationship: 'PAR', phones: ['07700 900222'] }],
      senHistory: {
        provisions: [
          { startDate: '2023-01-10', provision: 'K' },
          { startDate: '2024-09-05', provision: 'E' },
        ],
      },
    });
    expect((await actions('ctf.exported')).length).toBe(2);
    expect((await actions('ctf.downloaded')).length).toBe(1);
    // Each pupil's record shows the file.
    const page = await services.pupils.view(w.senco.actor, b.id);
    expect(page.ctfExports).toMatchObject([{ fileName: second.fileName, destination: 'Hillside Secondary' }]);
    // Another school's file is not found.
    await expect(services.transfers.downloadCtf(w.otherSenco.actor, second.exportId)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const byUpn = await services.transfers.leaverIdsByUpn(w.senco.actor, [a.upn]);
    expect(byUpn).toEqual([a.id]);
    await expect(services.transfers.leaverIdsByUpn(w.senco.actor, [w.pupilK.upn])).rejects.toBeInstanceOf(
      ValidationError,
    );
    const rows = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'ctf.exported'), eq(auditEvent.schoolId, w.school.id)));
    expect(rows[0]?.detail).toMatchObject({ fileName: first.fileName });
  });
});
