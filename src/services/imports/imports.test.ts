import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ctfBytes } from '../../../test/builders/ctf.ts';
import {
  buildClass,
  buildParent,
  buildPupil,
  buildSchool,
  buildStaff,
  MIS_HEADINGS,
  type MisRow,
  misCsv,
  misRowFor,
  setUpWorld,
  type World,
} from '../../../test/builders/index.ts';
import { databaseMigratedBefore } from '../../../test/db.ts';
import type { Database } from '../../db/client.ts';
import {
  auditEvent,
  parentCarer,
  pupil,
  pupilClassMove,
  pupilImport,
  pupilImportChange,
} from '../../db/schema/index.ts';
import { makeUpn } from '../../domain/upn.ts';
import type { Services } from '../index.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';

let database: Database;
let services: Services;
let w: World;

beforeAll(async () => {
  ({ database, services, w } = await setUpWorld());
});
afterAll(() => database.close());

let serial = 0;
/** A school of its own for each test: two classes, office staff, three pupils (one with a parent). */
async function school() {
  const db = database.db;
  const s = await buildSchool(db);
  const oak = await buildClass(db, s.id, 'Year 4 Oak', 4);
  const ash = await buildClass(db, s.id, 'Year 5 Ash', 5);
  const office = await buildStaff(db, 'office', { schoolId: s.id, name: 'Olu Office' });
  const senco = await buildStaff(db, 'senco', { schoolId: s.id, name: 'Sam Senco' });
  const upn = () => makeUpn('888', '4321', 21, ++serial);
  const amara = await buildPupil(db, {
    schoolId: s.id,
    classId: oak.id,
    upn: upn(),
    forename: 'Amara',
    surname: 'Adebayo',
    dateOfBirth: '2018-01-15',
  });
  const kit = await buildPupil(db, {
    schoolId: s.id,
    classId: oak.id,
    upn: upn(),
    forename: 'Kit',
    surname: 'Kowalski',
    dateOfBirth: '2018-05-10',
    sex: 'male',
  });
  const eli = await buildPupil(db, {
    schoolId: s.id,
    classId: ash.id,
    upn: upn(),
    forename: 'Eli',
    surname: 'Evans',
    dateOfBirth: '2017-03-02',
    sex: 'male',
  });
  const kasia = await buildParent(db, kit, {
    name: 'Kasia Kowalska',
    relationship: 'Mother',
    phone: '07700 900111',
  });
  return { s, oak, ash, office, senco, amara, kit, eli, kasia, upn };
}

/** A pupil of school() as the MIS would export them unchanged (their class included). */
function rowOf(
  t: Awaited<ReturnType<typeof school>>,
  p: { id?: string; upn: string; forename: string; surname: string; dateOfBirth: string; sex?: string },
  over: Partial<MisRow> = {},
): MisRow {
  return misRowFor(p, { className: p.id === t.eli.id ? 'Year 5 Ash' : 'Year 4 Oak', ...over });
}

const file = (rows: MisRow[], fileName = 'pupils.csv', headings?: Partial<Record<keyof MisRow, string>>) => ({
  fileName,
  data: Buffer.from(misCsv(rows, headings)),
});

async function count(table: typeof pupil | typeof parentCarer, schoolId: string) {
  const rows = await database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(table)
    .where(eq(table.schoolId, schoolId));
  return rows[0]?.n ?? 0;
}

describe('importing pupils from the MIS', () => {
  it('previews new, changed, unchanged and missing pupils, then applies them in one go', async () => {
    const t = await school();
    const newUpn = t.upn();
    const rows = [
      rowOf(t, t.amara, { className: 'Year 4 Oak', yearGroup: 'Year 4' }),
      rowOf(t, t.kit, {
        className: 'Year 5 Ash',
        yearGroup: '4',
        fsm: 'Y',
        attendance: '93.5%',
        contactName: 'Kasia Kowalska',
        contactRelationship: 'Mother',
        contactPhone: '07700 900222',
        parentalResponsibility: 'Y',
      }),
      rowOf(
        t,
        { upn: newUpn, forename: 'Nia', surname: 'Newcomer', dateOfBirth: '2019-04-04' },
        {
          className: 'Year 4 Oak',
          yearGroup: 'Year 3',
          eal: 'Y',
          contactName: 'Nadia Newcomer',
          contactRelationship: 'Mother',
          contactEmail: 'Nadia@Families.example',
          parentalResponsibility: 'Yes',
        },
      ),
    ];
    const uploaded = await services.imports.upload(t.office.actor, file(rows));
    expect(uploaded.needsMapping).toBe(false);
    expect(uploaded.counts).toEqual({ rows: 3, new: 1, changed: 1, unchanged: 1, missing: 1, problems: 0 });
    // Nothing has changed yet.
    expect(await count(pupil, t.s.id)).toBe(3);

    const page = await services.imports.preview(t.office.actor, uploaded.importId);
    if (page.stage !== 'preview') throw new Error('expected a preview');
    expect(page.plan.changes[0]!.changes).toEqual([
      { label: 'Class', from: 'Year 4 Oak', to: 'Year 5 Ash' },
      { label: 'Attendance', from: '(none)', to: '93.5%' },
      { label: 'Free school meals (FSM)', from: 'No', to: 'Yes' },
      { label: 'Kasia Kowalska: telephone', from: '07700 900111', to: '07700 900222' },
    ]);
    expect(page.plan.missing.map((m) => m.name)).toEqual(['Eli Evans']);

    const applied = await services.imports.apply(t.office.actor, uploaded.importId, page.version);
    expect(applied).toEqual({ new: 1, changed: 1, left: 0, problems: 0 });

    const pupils = await database.db.select().from(pupil).where(eq(pupil.schoolId, t.s.id));
    expect(pupils).toHaveLength(4);
    const nia = pupils.find((p) => p.upn === newUpn)!;
    expect(nia).toMatchObject({
      forename: 'Nia',
      classId: t.oak.id,
      eal: true,
      ncYearOverride: null,
      leftOn: null,
    });
    expect(pupils.find((p) => p.id === t.kit.id)).toMatchObject({
      classId: t.ash.id,
      freeSchoolMeals: true,
      attendancePercent: 93.5,
      version: 2,
    });
    const eli = pupils.find((p) => p.id === t.eli.id)!;
    expect(eli.leftOn).toBeNull(); // missing from the file: offered as a leaver, never changed by itself
    const parents = await database.db.select().from(parentCarer).where(eq(parentCarer.schoolId, t.s.id));
    expect(parents.find((p) => p.pupilId === nia.id)).toMatchObject({
      name: 'Nadia Newcomer',
      email: 'nadia@families.example',
      parentalResponsibility: true,
      contactPriority: 1,
    });
    expect(parents.find((p) => p.id === t.kasia.id)).toMatchObject({ phone: '07700 900222', version: 2 });
    const moves = await database.db.select().from(pupilClassMove).where(eq(pupilClassMove.schoolId, t.s.id));
    expect(moves).toEqual([
      expect.objectContaining({
        pupilId: t.kit.id,
        fromClassId: t.oak.id,
        toClassId: t.ash.id,
        source: 'mis_import',
        movedOn: '2026-11-20',
        movedByName: 'Olu Office',
      }),
    ]);

    // One audited record of the import, and a row for each pupil it touched.
    const events = await database.db.select().from(auditEvent).where(eq(auditEvent.schoolId, t.s.id));
    const of = (action: string) => events.filter((e) => e.action === action);
    expect(of('import.previewed')).toHaveLength(1);
    expect(of('import.applied')).toHaveLength(1);
    expect(of('import.applied')[0]!.detail).toMatchObject({
      importId: uploaded.importId,
      fileName: 'pupils.csv',
      counts: { new: 1, changed: 1, unchanged: 1, missing: 1, problems: 0, left: 0 },
    });
    expect(of('pupil.created_from_import').map((e) => e.pupilId)).toEqual([nia.id]);
    expect(of('pupil.updated_from_import').map((e) => e.pupilId)).toEqual([t.kit.id]);
    const record = await database.db
      .select()
      .from(pupilImport)
      .where(and(eq(pupilImport.schoolId, t.s.id), eq(pupilImport.id, uploaded.importId)));
    expect(record[0]).toMatchObject({
      status: 'applied',
      uploadedByName: 'Olu Office',
      fileName: 'pupils.csv',
    });
    expect(record[0]!.appliedAt).not.toBeNull();

    // Each pupil's own import history, written with the change (the chronology reads it, not the audit trail).
    const history = await database.db
      .select()
      .from(pupilImportChange)
      .where(eq(pupilImportChange.schoolId, t.s.id));
    expect(history).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          pupilId: nia.id,
          importId: uploaded.importId,
          kind: 'added',
          fields: [],
          appliedBy: t.office.actor.userId,
          appliedByName: 'Olu Office',
        }),
        expect.objectContaining({
          pupilId: t.kit.id,
          importId: uploaded.importId,
          kind: 'updated',
          fields: ['Class', 'Attendance', 'Free school meals (FSM)', 'Kasia Kowalska: telephone'],
          appliedBy: t.office.actor.userId,
          appliedByName: 'Olu Office',
        }),
      ]),
    );
    expect(history).toHaveLength(2);

    // The pupil's chronology says where the change came from.
    const view = await services.pupils.view(t.senco.actor, t.kit.id);
    expect(view.imports).toEqual([
      {
        action: 'pupil.updated_from_import',
        date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        byName: 'Olu Office',
        labels: ['Class', 'Attendance', 'Free school meals (FSM)', 'Kasia Kowalska: telephone'],
      },
    ]);
    const added = await services.pupils.view(t.senco.actor, nia.id);
    expect(added.imports).toEqual([
      { action: 'pupil.created_from_import', date: expect.any(String), byName: 'Olu Office', labels: [] },
    ]);

    // Applying it again, or the same file again, changes nothing more.
    await expect(services.imports.apply(t.office.actor, uploaded.importId, page.version)).rejects.toThrow(
      /already been applied/,
    );
    const again = await services.imports.upload(t.office.actor, file(rows));
    expect(again.counts).toMatchObject({ new: 0, changed: 0, unchanged: 3, missing: 1 });
  });

  it('marks ticked missing pupils as left, with the date, and never deletes them', async () => {
    const t = await school();
    const uploaded = await services.imports.upload(
      t.office.actor,
      file([rowOf(t, t.amara), rowOf(t, t.kit)]),
    );
    expect(uploaded.counts).toMatchObject({ missing: 1, unchanged: 2 });
    await expect(
      services.imports.apply(t.office.actor, uploaded.importId, 1, { pupilIds: [t.eli.id], leftOn: null }),
    ).rejects.toMatchObject({
      errors: [{ field: 'leftOn', message: 'Enter the date the pupils you ticked left the school' }],
    });
    await expect(
      services.imports.apply(t.office.actor, uploaded.importId, 1, {
        pupilIds: [t.amara.id],
        leftOn: '2026-10-23',
      }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      services.imports.apply(t.office.actor, uploaded.importId, 1, {
        pupilIds: [t.eli.id],
        leftOn: '2026-12-01',
      }),
    ).rejects.toMatchObject({ errors: [{ message: 'The date they left must be today or in the past' }] });
    const result = await services.imports.apply(t.office.actor, uploaded.importId, 1, {
      pupilIds: [t.eli.id],
      leftOn: '2026-10-23',
    });
    expect(result).toMatchObject({ left: 1 });
    const rows = await database.db.select().from(pupil).where(eq(pupil.id, t.eli.id));
    expect(rows[0]).toMatchObject({ leftOn: '2026-10-23' });
    const left = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'pupil.left'), eq(auditEvent.pupilId, t.eli.id)));
    expect(left[0]!.detail).toMatchObject({ leftOn: '2026-10-23', importId: uploaded.importId });
    // A leaver in a later file is a problem row, not a change to their kept record.
    const later = await services.imports.upload(t.office.actor, file([rowOf(t, t.eli, { fsm: 'Y' })]));
    expect(later.counts).toMatchObject({ problems: 1, changed: 0 });
    expect(later.problems[0]!.messages[0]).toMatch(/left the school on 23 October 2026/);
  });

  it('applies nothing when a pupil changed after the preview, and nothing when a new UPN was taken meanwhile', async () => {
    const t = await school();
    const newUpn = t.upn();
    const rows = [
      rowOf(t, t.amara, { fsm: 'Y' }),
      rowOf(t, t.kit, { eal: 'Y' }),
      rowOf(t, { upn: newUpn, forename: 'Nia', surname: 'Newcomer', dateOfBirth: '2019-04-04' }),
    ];
    const first = await services.imports.upload(t.office.actor, file(rows));
    // Someone changes Amara on the web after the preview.
    const amara = await services.pupils.forEdit(t.office.actor, t.amara.id, { audit: false });
    await services.pupils.update(t.office.actor, t.amara.id, amara.pupil.version, {
      ...amara.pupil,
      flags: {
        pupilPremium: true,
        freeSchoolMeals: false,
        lookedAfter: false,
        previouslyLookedAfter: false,
        eal: false,
        serviceChild: false,
        youngCarer: false,
        medicalCondition: false,
      },
    });
    const before = await count(pupil, t.s.id);
    await expect(services.imports.apply(t.office.actor, first.importId, 1)).rejects.toThrow(
      /A pupil in this import was changed in OpenSEND after the preview \(Amara Adebayo\)\. Nothing was applied/,
    );
    expect(await count(pupil, t.s.id)).toBe(before);
    const kit = await database.db.select().from(pupil).where(eq(pupil.id, t.kit.id));
    expect(kit[0]!.eal).toBe(false);
    const status = await database.db.select().from(pupilImport).where(eq(pupilImport.id, first.importId));
    expect(status[0]!.status).toBe('previewed');

    // A fresh preview; then the new pupil's UPN is taken before it is applied: all or nothing again.
    const second = await services.imports.upload(t.office.actor, file(rows));
    await buildPupil(database.db, { schoolId: t.s.id, upn: newUpn, forename: 'Quick', surname: 'Typist' });
    await expect(services.imports.apply(t.office.actor, second.importId, 1)).rejects.toMatchObject({
      errors: [{ message: 'A pupil with this UPN already exists in this school' }],
    });
    const after = await database.db.select().from(pupil).where(eq(pupil.id, t.kit.id));
    expect(after[0]!.eal).toBe(false);
    const applied = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.schoolId, t.s.id), eq(auditEvent.action, 'import.applied')));
    expect(applied).toHaveLength(0);
  });

  it('lets only one of two people applying at once apply it', async () => {
    const t = await school();
    const uploaded = await services.imports.upload(
      t.office.actor,
      file([rowOf(t, t.amara, { eal: 'Y' }), rowOf(t, t.kit), rowOf(t, t.eli)]),
    );
    const results = await Promise.allSettled([
      services.imports.apply(t.office.actor, uploaded.importId, 1),
      services.imports.apply(t.senco.actor, uploaded.importId, 1),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(ConflictError);
    const events = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.schoolId, t.s.id), eq(auditEvent.action, 'pupil.updated_from_import')));
    expect(events).toHaveLength(1);
  });

  it('reports problem rows with their lines, applies the clean rows, and takes the corrected file', async () => {
    const t = await school();
    const bad = rowOf(t, { upn: t.upn(), forename: 'Bea', surname: 'Broken', dateOfBirth: '2019-02-02' });
    const wrongLetter = (bad.upn[0] === 'A' ? 'B' : 'A') + bad.upn.slice(1);
    const rows = [
      rowOf(t, t.amara),
      rowOf(t, t.kit),
      rowOf(t, t.eli),
      { ...bad, upn: wrongLetter },
      rowOf(
        t,
        { upn: t.upn(), forename: 'Cy', surname: 'Clean', dateOfBirth: '2019-03-03' },
        { className: 'Year 9 Z' },
      ),
    ];
    const uploaded = await services.imports.upload(t.office.actor, file(rows));
    expect(uploaded.counts).toMatchObject({ rows: 5, problems: 2, unchanged: 3, new: 0 });
    expect(uploaded.problems.map((p) => [p.line, p.name])).toEqual([
      [5, 'Bea Broken'],
      [6, 'Cy Clean'],
    ]);
    expect(uploaded.problems[0]!.messages[0]).toMatch(/^UPN check letter is wrong/);
    const fixed = await services.imports.upload(
      t.office.actor,
      file([...rows.slice(0, 3), bad, { ...rows[4]!, className: 'Year 4 Oak' }], 'pupils-fixed.csv'),
    );
    expect(fixed.counts).toMatchObject({ problems: 0, new: 2 });
    await services.imports.apply(t.office.actor, fixed.importId, 1);
    expect(await count(pupil, t.s.id)).toBe(5);
  });

  it('asks what unknown columns hold, and previews once they are mapped', async () => {
    const t = await school();
    const headings = { ...misRowHeadings(), surname: 'Family name (legal)', forename: 'Given name (legal)' };
    const uploaded = await services.imports.upload(
      t.office.actor,
      file([rowOf(t, t.amara)], 'x.csv', headings),
    );
    expect(uploaded.needsMapping).toBe(true);
    const columns = await services.imports.columns(t.office.actor, uploaded.importId);
    const unknown = columns.columns!.filter((c) => c.choice === null).map((c) => c.heading);
    expect(unknown).toEqual(['Family name (legal)', 'Given name (legal)']);
    expect(columns.columns![1]!.examples).toEqual(['Adebayo']);
    const choices = columns.columns!.map((c) => c.choice);
    await expect(
      services.imports.mapColumns(t.office.actor, uploaded.importId, 1, choices),
    ).rejects.toMatchObject({
      errors: [
        {
          field: 'column-1',
          message: 'Choose what the column “Family name (legal)” holds, or not to use it',
        },
        { field: 'column-2', message: 'Choose what the column “Given name (legal)” holds, or not to use it' },
        {
          field: 'form',
          message: expect.stringMatching(/^The file needs a column for Last name and First name/),
        },
      ],
    });
    const mapped = choices.map((c, i) => (i === 1 ? 'surname' : i === 2 ? 'forename' : c));
    const counts = await services.imports.mapColumns(t.office.actor, uploaded.importId, 1, mapped);
    expect(counts).toMatchObject({ unchanged: 1, missing: 2 });
    const page = await services.imports.preview(t.office.actor, uploaded.importId);
    expect(page).toMatchObject({ stage: 'preview', version: 2, canRemap: true });
    // The command line leaves unknown columns out instead of asking.
    const cli = await services.imports.upload(
      t.office.actor,
      file([rowOf(t, t.amara)], 'y.csv', {
        ...headings,
        surname: 'Surname',
        forename: 'Forename',
        eal: 'Favourite colour',
      }),
      {
        unknownColumns: 'ignore',
      },
    );
    expect(cli).toMatchObject({ needsMapping: false, ignored: ['Favourite colour'] });
  });

  it('refuses a file that is not a pupil CSV, saving nothing', async () => {
    const t = await school();
    const attempts: [string, Buffer, RegExp][] = [
      [
        'pupils.xlsx',
        Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]),
        /is a spreadsheet workbook, not a CSV file/,
      ],
      ['empty.csv', Buffer.alloc(0), /is empty/],
      ['headings.csv', Buffer.from('UPN,Surname,Forename,DOB,Sex\r\n'), /has column headings but no pupils/],
    ];
    for (const [fileName, data, message] of attempts) {
      await expect(services.imports.upload(t.office.actor, { fileName, data })).rejects.toThrow(message);
    }
    await expect(
      services.imports.upload(
        t.office.actor,
        file([rowOf(t, t.amara)], 'short.csv', { upn: 'UPN', surname: 'Surname' }),
        {
          unknownColumns: 'ignore',
        },
      ),
    ).rejects.toThrow(/^The file needs a column for First name, Date of birth and Sex/);
    const records = await database.db.select().from(pupilImport).where(eq(pupilImport.schoolId, t.s.id));
    expect(records).toHaveLength(0);
  });
});

function misRowHeadings() {
  return { upn: 'UPN', surname: 'Surname', forename: 'Forename', dateOfBirth: 'DOB', sex: 'Sex' } as Partial<
    Record<keyof MisRow, string>
  >;
}

describe('parental responsibility an export does not give', () => {
  it('is asked, not saved as “No”: the apply needs the school’s choice by relationship and uses it, all or nothing', async () => {
    const t = await school();
    // An export with contacts but no parental-responsibility column (a school's own report, say).
    const { parentalResponsibility: _pr, ...headings } = MIS_HEADINGS;
    const newcomer = (n: number, name: string, relationship: string) =>
      rowOf(
        t,
        { upn: t.upn(), forename: `New${n}`, surname: 'Family', dateOfBirth: '2019-04-04' },
        { contactName: name, contactRelationship: relationship },
      );
    const rows = [
      newcomer(1, 'Mona Mother', 'Mother'),
      newcomer(2, 'Fred Father', 'Father'),
      newcomer(3, 'Gail Gran', 'Grandmother'),
      // Kit's mother is already in OpenSEND with parental responsibility: she keeps it.
      rowOf(t, t.kit, {
        contactName: 'Kasia Kowalska',
        contactRelationship: 'Mother',
        contactPhone: '07700 900999',
      }),
    ];
    const uploaded = await services.imports.upload(t.office.actor, file(rows, 'no-pr.csv', headings));
    expect(uploaded.responsibility).toEqual({
      noColumn: true,
      contacts: 3,
      kinds: [
        { kind: 'father', label: 'Father', count: 1, usual: true },
        { kind: 'grandmother', label: 'Grandmother', count: 1, usual: false },
        { kind: 'mother', label: 'Mother', count: 1, usual: true },
      ],
    });
    const before = await count(parentCarer, t.s.id);
    const fieldOf = async (promise: Promise<unknown>) => {
      const error = await promise.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).errors;
    };
    // Not asked (an old form, a script): refused, nothing saved.
    expect(await fieldOf(services.imports.apply(t.office.actor, uploaded.importId, 1))).toEqual([
      {
        field: 'responsibility',
        message: 'Choose who holds parental responsibility: the file does not say for 3 parents and carers',
      },
    ]);
    // A relationship that is not in the file: refused.
    expect(
      await fieldOf(
        services.imports.apply(t.office.actor, uploaded.importId, 1, undefined, ['mother', 'uncle']),
      ),
    ).toEqual([{ field: 'responsibility', message: 'Choose relationships from the list' }]);
    expect(await count(parentCarer, t.s.id)).toBe(before);
    expect(await count(pupil, t.s.id)).toBe(3);

    await services.imports.apply(t.office.actor, uploaded.importId, 1, undefined, ['mother', 'father']);
    const parents = await database.db.select().from(parentCarer).where(eq(parentCarer.schoolId, t.s.id));
    const held = (name: string) => parents.find((p) => p.name === name)?.parentalResponsibility;
    expect(held('Mona Mother')).toBe(true);
    expect(held('Fred Father')).toBe(true);
    expect(held('Gail Gran')).toBe(false);
    expect(held('Kasia Kowalska')).toBe(true);
    const [applied] = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.schoolId, t.s.id), eq(auditEvent.action, 'import.applied')));
    expect(applied!.detail).toMatchObject({
      parentalResponsibility: { notInFile: 3, heldBy: ['Father', 'Mother'] },
    });
  });

  it('asks nothing when the file gives it for everyone', async () => {
    const t = await school();
    const row = rowOf(
      t,
      { upn: t.upn(), forename: 'Given', surname: 'Family', dateOfBirth: '2019-04-04' },
      { contactName: 'Gina Given', contactRelationship: 'Aunt', parentalResponsibility: 'Y' },
    );
    const uploaded = await services.imports.upload(t.office.actor, file([row]));
    expect(uploaded.responsibility).toBeNull();
    await services.imports.apply(t.office.actor, uploaded.importId, 1);
    const [gina] = await database.db.select().from(parentCarer).where(eq(parentCarer.name, 'Gina Given'));
    expect(gina!.parentalResponsibility).toBe(true);
  });
});

describe('uploads never applied', () => {
  it('are removed a week after they were made, MIS exports and transfer files alike, each removal audited in its school', async () => {
    const t = await school();
    const rows = [rowOf(t, t.amara), rowOf(t, t.kit)];
    const left = await services.imports.upload(t.office.actor, file(rows, 'left.csv'));
    const discarded = await services.imports.upload(t.office.actor, file(rows, 'discarded.csv'));
    await services.imports.discard(t.office.actor, discarded.importId);
    const applied = await services.imports.upload(t.office.actor, file(rows, 'applied.csv'));
    await services.imports.apply(t.office.actor, applied.importId, 1);
    const recent = await services.imports.upload(t.office.actor, file(rows, 'recent.csv'));
    const ctf = await services.transfers.previewCtf(t.senco.actor, {
      fileName: '8884321_CTF_9991234_001.xml',
      data: ctfBytes({ pupils: [{}] }),
    });
    const now = new Date();
    const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);
    const age = async (id: string, days: number) =>
      database.db
        .update(pupilImport)
        .set({ createdAt: daysAgo(days) })
        .where(and(eq(pupilImport.schoolId, t.s.id), eq(pupilImport.id, id)));
    for (const id of [left.importId, discarded.importId, applied.importId, ctf]) await age(id, 8);
    await age(recent.importId, 6);

    expect(await services.imports.clearUnapplied(now)).toBe(3);
    const kept = await database.db
      .select({ fileName: pupilImport.fileName })
      .from(pupilImport)
      .where(eq(pupilImport.schoolId, t.s.id));
    expect(kept.map((k) => k.fileName).sort()).toEqual(['applied.csv', 'recent.csv']);
    const expired = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.schoolId, t.s.id), eq(auditEvent.action, 'import.expired')));
    expect(expired.map((e) => (e.detail as { fileName: string }).fileName).sort()).toEqual([
      '8884321_CTF_9991234_001.xml',
      'discarded.csv',
      'left.csv',
    ]);
    expect(expired.every((e) => e.userId === null)).toBe(true);
    // The recent one goes once it too is a week old; a second run finds nothing more.
    expect(await services.imports.clearUnapplied(now)).toBe(0);
    expect(await services.imports.clearUnapplied(new Date(now.getTime() + 2 * 86_400_000))).toBe(1);
  });

  it('can be discarded by the person, transfer files too: audited, and applying one afterwards is refused', async () => {
    const t = await school();
    const ctf = await services.transfers.previewCtf(t.senco.actor, {
      fileName: '8884321_CTF_9991234_002.xml',
      data: ctfBytes({ pupils: [{}] }),
    });
    await services.transfers.discardCtf(t.senco.actor, ctf);
    await services.transfers.discardCtf(t.senco.actor, ctf); // twice: nothing more happens
    const [row] = await database.db.select().from(pupilImport).where(eq(pupilImport.id, ctf));
    expect(row!.status).toBe('discarded');
    await expect(
      services.transfers.applyCtf(t.senco.actor, ctf, { version: row!.version, historyFor: [] }),
    ).rejects.toThrow(/discarded/);
    const events = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.schoolId, t.s.id), eq(auditEvent.action, 'import.discarded')));
    expect(events).toHaveLength(1);
    expect(events[0]!.detail).toMatchObject({ importId: ctf, kind: 'ctf' });
    await expect(services.transfers.discardCtf(t.office.actor, ctf)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(services.transfers.discardCtf(w.otherSenco.actor, ctf)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('a discarded upload', () => {
  /** Everything the database keeps of an upload, as text: no pupil of the file may be in it. */
  const stored = async (id: string) => {
    const [row] = await database.db.select().from(pupilImport).where(eq(pupilImport.id, id));
    return { row: row!, text: JSON.stringify(row) };
  };

  it('keeps none of the pupils it held, MIS export (previewed or waiting for its columns) and transfer file alike', async () => {
    const t = await school();
    const newcomer = {
      upn: makeUpn('888', '4321', 21, ++serial),
      forename: 'Nadia',
      surname: 'Newcomerson',
      dateOfBirth: '2018-03-09',
    };
    const rows = [
      rowOf(t, t.amara),
      rowOf(t, newcomer, { contactName: 'Carla Contactly', contactPhone: '01632 960123' }),
    ];
    const previewed = await services.imports.upload(t.office.actor, file(rows, 'previewed.csv'));
    const unmapped = await services.imports.upload(
      t.office.actor,
      file(rows, 'unmapped.csv', { ...MIS_HEADINGS, surname: 'Family name (legal)' }),
    );
    expect(unmapped.needsMapping).toBe(true);
    const ctf = await services.transfers.previewCtf(t.senco.actor, {
      fileName: '8884321_CTF_9991234_003.xml',
      data: ctfBytes({
        pupils: [{ upn: newcomer.upn, surname: 'Newcomerson', forename: 'Nadia', dob: '2018-03-09' }],
      }),
    });
    for (const id of [previewed.importId, unmapped.importId, ctf]) {
      const before = await stored(id);
      expect(before.text).toContain('Newcomerson');
    }
    await services.imports.discard(t.office.actor, previewed.importId);
    await services.imports.discard(t.office.actor, unmapped.importId);
    await services.transfers.discardCtf(t.senco.actor, ctf);
    for (const id of [previewed.importId, unmapped.importId, ctf]) {
      const after = await stored(id);
      for (const kept of [
        'Newcomerson',
        'Nadia',
        newcomer.upn,
        '2018-03-09',
        'Carla',
        '01632 960123',
        'Adebayo',
        t.amara.upn,
      ])
        expect(after.text, `${after.row.fileName} keeps ${kept}`).not.toContain(kept);
      expect(after.row).toMatchObject({ status: 'discarded', uploadedByName: expect.any(String) });
    }
    // What the list of recent imports shows stays: name, who, when, counts, discarded.
    const recent = (await services.imports.overview(t.office.actor)).imports;
    expect(recent.find((r) => r.id === previewed.importId)).toMatchObject({
      fileName: 'previewed.csv',
      status: 'discarded',
      uploadedByName: 'Olu Office',
      counts: expect.objectContaining({ new: 1 }),
    });
    // The preview says it was discarded and shows no pupil; the columns page has none to show.
    const page = await services.imports.preview(t.office.actor, previewed.importId);
    expect(page).toMatchObject({ stage: 'discarded', import: { fileName: 'previewed.csv' } });
    expect(JSON.stringify(page)).not.toContain('Newcomerson');
    expect((await services.imports.columns(t.office.actor, unmapped.importId)).columns).toBeNull();
    const transfer = await services.transfers.ctfImport(t.senco.actor, ctf);
    expect(transfer.plan.pupils).toEqual([]);
    expect(transfer.plan.source.name).toBeTruthy();
  });

  it('discarded before this change is cleared by the migration, and nothing else is', async () => {
    const old = await databaseMigratedBefore('clear_discarded_imports');
    try {
      const s = await buildSchool(old.db);
      const row = (id: string, kind: 'mis_csv' | 'ctf', status: string, plan: unknown) =>
        sql`(${s.id}, ${id}, ${`${id}.file`}, ${kind}, ${status}, '{"new": 1}'::jsonb, ${JSON.stringify(plan)}::jsonb, '{"UPN": "upn"}'::jsonb, 'Olu Office')`;
      const ids = {
        misDiscarded: randomUUID(),
        ctfDiscarded: randomUUID(),
        misPreviewed: randomUUID(),
        ctfApplied: randomUUID(),
      };
      const misPlan = {
        stage: 'preview',
        plan: { creates: [{ values: { surname: 'Heldover' } }] },
        source: null,
      };
      const ctfPlan = {
        source: { name: 'Old School', la: '888', estab: '4321' },
        warning: 'for another school',
        pupils: [{ name: 'Heldover Pupil' }],
      };
      await old.db.execute(sql`insert into pupil_import
        (school_id, id, file_name, kind, status, counts, plan, mapping, uploaded_by_name) values
        ${row(ids.misDiscarded, 'mis_csv', 'discarded', misPlan)},
        ${row(ids.ctfDiscarded, 'ctf', 'discarded', ctfPlan)},
        ${row(ids.misPreviewed, 'mis_csv', 'previewed', misPlan)},
        ${row(ids.ctfApplied, 'ctf', 'applied', ctfPlan)}`);
      await old.migrate();
      const after = Object.fromEntries(
        (await old.db.select().from(pupilImport).where(eq(pupilImport.schoolId, s.id))).map((r) => [r.id, r]),
      );
      expect(after[ids.misDiscarded]).toMatchObject({ plan: null, mapping: null, counts: { new: 1 } });
      expect(after[ids.ctfDiscarded]!.plan).toEqual({
        source: { name: 'Old School', la: '888', estab: '4321' },
        warning: null,
        pupils: [],
      });
      expect(after[ids.misPreviewed]!.plan).toEqual(misPlan);
      expect(after[ids.ctfApplied]!.plan).toEqual(ctfPlan);
    } finally {
      await old.close();
    }
  });
});

describe('who may import', () => {
  it('refuses those without the capability, and answers not found for another school’s import', async () => {
    const upload = () => ({ fileName: 'p.csv', data: Buffer.from(misCsv([misRowFor(w.pupilA)])) });
    await expect(services.imports.upload(w.teacherA.actor, upload())).rejects.toBeInstanceOf(ForbiddenError);
    await expect(services.imports.upload(w.governor.actor, upload())).rejects.toBeInstanceOf(ForbiddenError);
    const refused = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'access.refused'), eq(auditEvent.userId, w.teacherA.actor.userId)));
    expect(refused.length).toBeGreaterThan(0);
    const theirs = await services.imports.upload(w.otherSenco.actor, {
      fileName: 'p.csv',
      data: Buffer.from(misCsv([misRowFor(w.otherPupil)])),
    });
    await expect(services.imports.preview(w.senco.actor, theirs.importId)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(services.imports.apply(w.senco.actor, theirs.importId, 1)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(services.imports.discard(w.office.actor, theirs.importId)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('gives the command line the named person’s own roles, not those of everyone in their school', async () => {
    const runner = { osUser: 'test', requestId: 'command-test' };
    const teacher = await services.admin.actorForCommand(w.teacherA.email, runner);
    expect(teacher.roles).toEqual(['class_teacher']);
    await expect(
      services.imports.upload(teacher, {
        fileName: 'p.csv',
        data: Buffer.from(misCsv([misRowFor(w.pupilA)])),
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    const both = await services.admin.actorForCommand(w.teacherTa.email, runner);
    expect(both.roles).toEqual(['class_teacher', 'teaching_assistant']);
  });

  it('lets the SENCo, the head and the office import; discarding one stops it being applied', async () => {
    const mine = await services.imports.upload(w.head.actor, {
      fileName: 'p.csv',
      data: Buffer.from(misCsv([misRowFor(w.pupilA, { eal: 'Y' })])),
    });
    await services.imports.discard(w.office.actor, mine.importId);
    await expect(services.imports.apply(w.senco.actor, mine.importId, 1)).rejects.toThrow(/discarded/);
  });
});
