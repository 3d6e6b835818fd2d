import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPupil, setUpWorld, type World } from '../../../test/builders/index.ts';
import type { Database } from '../../db/client.ts';
import { attainmentResult, auditEvent, auditEventPupil } from '../../db/schema/index.ts';
import type { AuditAction } from '../../domain/audit.ts';
import { schoolPupilsBelowTrajectory } from '../../repositories/attainment.ts';
import type { Services } from '../index.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { cellField, type GridCell } from './index.ts';

let database: Database;
let services: Services;
let w: World;

beforeAll(async () => {
  ({ database, services, w } = await setUpWorld());
});
afterAll(() => database.close());

const AUTUMN = { academicYear: 2026, term: 'autumn' as const };
const LAST_SUMMER = { academicYear: 2025, term: 'summer' as const };

async function auditRows(action: AuditAction) {
  return database.db.select().from(auditEvent).where(eq(auditEvent.action, action));
}

async function shownBy(event: { id: number } | undefined) {
  const rows = await database.db
    .select({ pupilId: auditEventPupil.pupilId })
    .from(auditEventPupil)
    .where(eq(auditEventPupil.eventId, event!.id));
  return rows.map((r) => r.pupilId);
}

async function rejection(promise: Promise<unknown>) {
  return promise.then(
    () => null,
    (e: unknown) => e,
  );
}

async function subjectIds() {
  const { inUse } = await services.attainment.subjects(w.senco.actor);
  return Object.fromEntries(inUse.map((s) => [s.name, s.id])) as Record<string, string>;
}

async function savedValue(
  pupilId: string,
  subjectId: string,
  term: { academicYear: number; term: 'autumn' | 'spring' | 'summer' } = AUTUMN,
) {
  const rows = await database.db
    .select()
    .from(attainmentResult)
    .where(
      and(
        eq(attainmentResult.pupilId, pupilId),
        eq(attainmentResult.subjectId, subjectId),
        eq(attainmentResult.academicYear, term.academicYear),
        eq(attainmentResult.term, term.term),
      ),
    );
  return rows[0] ?? null;
}

const cell = (pupilId: string, subjectId: string, value: string, shown = '', version: number | null = null) =>
  ({ pupilId, subjectId, value, shown, version }) satisfies GridCell;

describe('subjects and scales', () => {
  it('starts the school on reading, writing and maths on bands, and adds and changes a subject', async () => {
    const { inUse } = await services.attainment.subjects(w.assessmentLead.actor);
    expect(inUse.map((s) => s.name)).toEqual(['Reading', 'Writing', 'Maths']);
    expect(await auditRows('attainment.subjects_started')).toHaveLength(1);
    const id = await services.attainment.addSubject(w.assessmentLead.actor, {
      name: 'Spelling',
      scale: 'score',
      bands: null,
      expectedBand: null,
      scoreMin: 70,
      scoreMax: 141,
      scoreExpected: 100,
      stepsPerYear: null,
    });
    const bad = await rejection(
      services.attainment.changeSubject(w.assessmentLead.actor, id, 1, {
        name: 'Spelling',
        scale: 'score',
        bands: null,
        expectedBand: null,
        scoreMin: 141,
        scoreMax: 70,
        scoreExpected: 100,
        stepsPerYear: null,
      }),
    );
    expect((bad as ValidationError).errors[0]!.field).toBe('scoreMax');
    const stale = await rejection(
      services.attainment.changeSubject(w.assessmentLead.actor, id, 7, {
        name: 'Spelling test',
        scale: 'score',
        bands: null,
        expectedBand: null,
        scoreMin: 70,
        scoreMax: 141,
        scoreExpected: 100,
        stepsPerYear: null,
      }),
    );
    expect(stale).toBeInstanceOf(ConflictError);
    expect(await services.attainment.archiveSubject(w.assessmentLead.actor, id, 1)).toBe('Spelling');
    expect((await services.attainment.subjects(w.senco.actor)).archived.map((s) => s.name)).toEqual([
      'Spelling',
    ]);
    expect(await auditRows('attainment.subject_archived')).toHaveLength(1);
  });

  it('is refused to a class teacher', async () => {
    expect(await rejection(services.attainment.subjects(w.teacherA.actor))).toBeInstanceOf(ForbiddenError);
  });
});

describe('the class attainment grid', () => {
  it('shows the class’s pupils on roll with the subjects, audited with the pupils shown', async () => {
    const grid = await services.attainment.grid(w.teacherA.actor, w.classA.id);
    expect(grid.termLabel).toBe('Autumn 2026');
    expect(grid.pupils.map((p) => p.id).sort()).toEqual([w.pupilA.id, w.pupilK.id].sort());
    expect(grid.subjects.map((s) => s.name)).toEqual(['Reading', 'Writing', 'Maths']);
    const rows = await auditRows('attainment.grid_viewed');
    expect(await shownBy(rows.at(-1))).toEqual(expect.arrayContaining([w.pupilA.id, w.pupilK.id]));
  });

  it('saves the changed cells in one go, with the NC year and the grid as source', async () => {
    const s = await subjectIds();
    await database.db.insert(attainmentResult).values({
      schoolId: w.school.id,
      id: crypto.randomUUID(),
      pupilId: w.pupilA.id,
      subjectId: s.Reading!,
      ...LAST_SUMMER,
      scale: 'bands',
      value: 1,
      recordedByName: 'Someone',
    });
    const result = await services.attainment.saveGrid(w.teacherA.actor, w.classA.id, undefined, [
      cell(w.pupilA.id, s.Reading!, 'exs'),
      cell(w.pupilA.id, s.Maths!, 'WTS'),
      cell(w.pupilK.id, s.Reading!, 's4'),
      cell(w.pupilK.id, s.Writing!, ''),
    ]);
    expect(result.pupils).toBe(2);
    const saved = await savedValue(w.pupilA.id, s.Reading!);
    expect(saved).toMatchObject({
      scale: 'bands',
      value: 2,
      source: 'grid',
      ncYear: 4,
      recordedByName: 'Tara Teacher',
    });
    expect(await savedValue(w.pupilK.id, s.Reading!)).toMatchObject({ scale: 'steps', value: 4 });
    const grid = await services.attainment.grid(w.teacherA.actor, w.classA.id);
    const a = grid.pupils.find((p) => p.id === w.pupilA.id)!;
    expect(a.cells[0]).toMatchObject({ saved: { code: 'EXS', version: 1 }, previous: 'WTS' });
    const recorded = await auditRows('attainment.results_recorded');
    expect(recorded.map((r) => r.pupilId).sort()).toEqual([w.pupilA.id, w.pupilK.id].sort());
  });

  it('names each wrong cell and saves nothing when any is wrong', async () => {
    const s = await subjectIds();
    const error = await rejection(
      services.attainment.saveGrid(w.teacherA.actor, w.classA.id, undefined, [
        cell(w.pupilA.id, s.Writing!, 'EXS'),
        cell(w.pupilK.id, s.Maths!, 'brilliant'),
      ]),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors).toEqual([
      { field: cellField(w.pupilK.id, s.Maths!), message: expect.stringContaining('Kit') },
    ]);
    expect(await savedValue(w.pupilA.id, s.Writing!)).toBeNull();
  });

  it('refuses a save over someone else’s, showing their value; an untouched cell keeps theirs', async () => {
    const s = await subjectIds();
    await services.attainment.saveGrid(w.senco.actor, w.classA.id, undefined, [
      cell(w.pupilA.id, s.Writing!, 'GDS'),
    ]);
    const error = await rejection(
      services.attainment.saveGrid(w.teacherA.actor, w.classA.id, undefined, [
        cell(w.pupilA.id, s.Writing!, 'WTS'),
        cell(w.pupilA.id, s.Maths!, 'EXS', 'WTS', 1),
      ]),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).current).toEqual({
      cells: { [cellField(w.pupilA.id, s.Writing!)]: expect.stringContaining('GDS') },
    });
    expect((await savedValue(w.pupilA.id, s.Maths!))!.value).toBe(1);
    // Left as it was shown (empty) while someone saved it: theirs is kept, no conflict.
    await services.attainment.saveGrid(w.teacherA.actor, w.classA.id, undefined, [
      cell(w.pupilA.id, s.Writing!, ''),
    ]);
    expect((await savedValue(w.pupilA.id, s.Writing!))!.value).toBe(3);
  });

  it('clears a saved result when its cell is emptied, audited', async () => {
    const s = await subjectIds();
    const saved = await savedValue(w.pupilA.id, s.Maths!);
    await services.attainment.saveGrid(w.teacherA.actor, w.classA.id, undefined, [
      cell(w.pupilA.id, s.Maths!, '', 'WTS', saved!.version),
    ]);
    expect(await savedValue(w.pupilA.id, s.Maths!)).toBeNull();
    const cleared = await auditRows('attainment.results_cleared');
    expect(cleared.at(-1)).toMatchObject({ pupilId: w.pupilA.id });
  });

  it('is not found for another school’s class or a teacher of another class, refused to a TA (audited)', async () => {
    expect(await rejection(services.attainment.grid(w.senco.actor, w.otherClass.id))).toBeInstanceOf(
      NotFoundError,
    );
    expect(await rejection(services.attainment.grid(w.teacherB.actor, w.classA.id))).toBeInstanceOf(
      NotFoundError,
    );
    expect(
      await rejection(services.attainment.saveGrid(w.teacherB.actor, w.classA.id, undefined, [])),
    ).toBeInstanceOf(NotFoundError);
    const before = (await auditRows('access.refused')).length;
    expect(await rejection(services.attainment.grid(w.ta.actor, w.classB.id))).toBeInstanceOf(ForbiddenError);
    expect((await auditRows('access.refused')).length).toBe(before + 1);
  });

  it('refuses a term still to come', async () => {
    expect(
      await rejection(
        services.attainment.grid(w.teacherA.actor, w.classA.id, { academicYear: 2026, term: 'summer' }),
      ),
    ).toBeInstanceOf(NotFoundError);
  });
});

describe('trajectories and the early-identification list', () => {
  it('requires a reason where a trajectory differs from the peers’, and records it', async () => {
    const s = await subjectIds();
    const missing = await rejection(
      services.attainment.setTrajectory(w.senco.actor, w.pupilK.id, s.Reading!, {
        scale: 'steps',
        endValue: 'S10',
        reason: null,
        version: null,
      }),
    );
    expect((missing as ValidationError).errors[0]!.field).toBe('reason');
    await services.attainment.setTrajectory(w.senco.actor, w.pupilK.id, s.Reading!, {
      scale: 'steps',
      endValue: 'S10',
      reason: 'Working below Year 4 in reading; small steps agreed at the plan review',
      version: null,
    });
    const stale = await rejection(
      services.attainment.setTrajectory(w.senco.actor, w.pupilK.id, s.Reading!, {
        scale: 'steps',
        endValue: 'S9',
        reason: 'Changed',
        version: null,
      }),
    );
    expect(stale).toBeInstanceOf(ConflictError);
    const page = await services.attainment.pupilProgress(w.teacherA.actor, w.pupilK.id);
    const reading = page.subjects.find((x) => x.subject.name === 'Reading')!;
    expect(reading.trajectory).toMatchObject({ endValue: 10, scale: 'steps' });
    expect(reading.progress.set).toBe(true);
    expect(await auditRows('attainment.trajectory_set')).toHaveLength(1);
    expect(await rejection(services.attainment.pupilProgress(w.teacherA.actor, w.pupilE.id))).toBeInstanceOf(
      NotFoundError,
    );
  });

  it('lists pupils below their trajectory, for the school and a teacher’s class', async () => {
    const s = await subjectIds();
    const behind = await buildPupil(database.db, {
      schoolId: w.school.id,
      classId: w.classB.id,
      forename: 'Bea',
      surname: 'Behind',
      dateOfBirth: '2016-10-10',
    });
    await database.db.insert(attainmentResult).values([
      {
        schoolId: w.school.id,
        id: crypto.randomUUID(),
        pupilId: behind.id,
        subjectId: s.Maths!,
        ...LAST_SUMMER,
        scale: 'bands',
        value: 2,
        recordedByName: 'Someone',
      },
      {
        schoolId: w.school.id,
        id: crypto.randomUUID(),
        pupilId: behind.id,
        subjectId: s.Maths!,
        ...AUTUMN,
        scale: 'bands',
        value: 1,
        recordedByName: 'Someone',
      },
    ]);
    const school = await services.attainment.belowTrajectory(w.head.actor);
    expect(school.pupils.map((p) => p.id)).toContain(behind.id);
    expect(await shownBy((await auditRows('attainment.below_trajectory_listed')).at(-1))).toContain(
      behind.id,
    );
    const bea = school.pupils.find((p) => p.id === behind.id)!;
    expect(bea.subjects.map((x) => x.name)).toEqual(['Maths']);
    expect(bea.senStage).toBe('none');
    const mine = await services.attainment.belowTrajectory(w.teacherA.actor);
    expect(mine.pupils.map((p) => p.id)).not.toContain(behind.id);
    const filtered = await services.attainment.belowTrajectory(w.head.actor, { classId: w.classA.id });
    expect(filtered.pupils.map((p) => p.id)).not.toContain(behind.id);
    const counted = await schoolPupilsBelowTrajectory(database.db, w.school.id, 2026);
    expect(counted.map((p) => p.id)).toContain(behind.id);
  });
});

describe('importing attainment from the MIS', () => {
  const file = (text: string) => ({ fileName: 'assessments.csv', data: Buffer.from(text) });

  it('previews what a file adds and changes and which rows are wrong, and imports nothing while any is', async () => {
    const csv = [
      'UPN,Subject,Academic Year,Term,Result',
      `${w.pupilA.upn},Reading,2025/26,Summer,GDS`,
      `${w.pupilK.upn},maths,2026,autumn,S5`,
      'Z999999999999,Reading,2026,Autumn,EXS',
      `${w.pupilA.upn},Science,2026,Autumn,EXS`,
      `${w.pupilA.upn},Writing,2026,Autumn,top`,
    ].join('\n');
    const preview = await services.attainment.previewImport(w.assessmentLead.actor, file(csv));
    expect(preview.summary).toMatchObject({ wrong: 3 });
    expect(preview.rows.slice(0, 3).map((r) => r.outcome)).toEqual([
      { kind: 'wrong', problem: 'No pupil of the school has the UPN Z999999999999' },
      { kind: 'wrong', problem: expect.stringContaining('Science is not one of the school’s subjects') },
      { kind: 'wrong', problem: expect.stringContaining('Enter one of BLW') },
    ]);
    const before = (await database.db.select().from(attainmentResult)).length;
    const refused = await rejection(services.attainment.applyImport(w.assessmentLead.actor, file(csv)));
    expect((refused as ValidationError).errors[0]!.message).toContain(
      '3 rows have problems: nothing was imported',
    );
    expect((await database.db.select().from(attainmentResult)).length).toBe(before);

    const good = csv.split('\n').slice(0, 3).join('\n');
    const applied = await services.attainment.applyImport(w.assessmentLead.actor, file(good));
    expect(applied).toMatchObject({ add: 1, change: 1, wrong: 0, pupils: 2 });
    const s = await subjectIds();
    expect(await savedValue(w.pupilA.id, s.Reading!, LAST_SUMMER)).toMatchObject({
      value: 3,
      source: 'import',
    });
    expect(await savedValue(w.pupilK.id, s.Maths!)).toMatchObject({
      scale: 'steps',
      value: 5,
      source: 'import',
    });
    expect((await auditRows('attainment.imported')).map((r) => r.pupilId).sort()).toEqual(
      [w.pupilA.id, w.pupilK.id].sort(),
    );
  });

  it('refuses files that are not CSV or lack columns, in plain words, and is refused to a teacher', async () => {
    const nul = await rejection(
      services.attainment.previewImport(w.senco.actor, file('UPN,Subject\nA\u0000,B')),
    );
    expect((nul as ValidationError).errors[0]!.message).toContain('control character');
    const pdf = await rejection(services.attainment.previewImport(w.senco.actor, file('%PDF-1.4 something')));
    expect((pdf as ValidationError).errors[0]!.message).toContain('is a PDF');
    const columns = await rejection(
      services.attainment.previewImport(w.senco.actor, file('UPN,Subject\nA,B')),
    );
    expect((columns as ValidationError).errors[0]!.message).toContain(
      'no column for Academic year, Term, Value',
    );
    expect(
      await rejection(services.attainment.previewImport(w.teacherA.actor, file('UPN,Subject\nA,B'))),
    ).toBeInstanceOf(ForbiddenError);
  });
});
