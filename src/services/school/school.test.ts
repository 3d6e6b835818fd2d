import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildClass,
  buildPupil,
  buildSchool,
  buildStaff,
  setUpWorld,
  TODAY,
  type World,
} from '../../../test/builders/index.ts';
import type { Database } from '../../db/client.ts';
import {
  auditEvent,
  classTeacher,
  concern,
  pupil,
  pupilClassMove,
  registerEntry,
  school,
  schoolClass,
} from '../../db/schema/index.ts';
import type { RollOverChoices } from '../../domain/roll-over.ts';
import { createServices, type Services } from '../index.ts';
import { fixedClock } from '../kernel/clock.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';

let database: Database;
let services: Services;
let w: World;

beforeAll(async () => {
  ({ database, services, w } = await setUpWorld());
});
afterAll(() => database.close());

async function errorOf(promise: Promise<unknown>) {
  return promise.then(
    () => null,
    (e: unknown) => e as Error,
  );
}

describe('the school’s details', () => {
  const details = {
    name: 'Oakfield Primary School',
    urn: '',
    laCode: '999',
    establishmentNumber: '2001',
    phase: 'primary' as const,
    lowestNcYear: -1,
    highestNcYear: 6,
  };

  it('are changed with a version and audited with what changed, old to new', async () => {
    const before = await services.school.details(w.office.actor);
    expect(before.range).toEqual({ lowest: -1, highest: 6 });
    await services.school.updateDetails(w.office.actor, before.school.version, {
      ...details,
      urn: before.school.urn,
      lowestNcYear: 0,
    });
    const after = await services.school.details(w.office.actor);
    expect(after.school).toMatchObject({
      name: 'Oakfield Primary School',
      lowestNcYear: 0,
      version: before.school.version + 1,
    });
    const [row] = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'school.details_changed'), eq(auditEvent.schoolId, w.school.id)));
    expect(row?.detail?.changes).toEqual([
      { label: 'School name', from: 'Oakfield Primary', to: 'Oakfield Primary School' },
      { label: 'Establishment number', from: w.school.establishmentNumber, to: '2001' },
      { label: 'Youngest year group', from: 'Nursery', to: 'Reception' },
    ]);
  });

  it('refuse a stale save, keeping what the other person saved', async () => {
    const current = await services.school.details(w.senco.actor);
    const error = await errorOf(
      services.school.updateDetails(w.senco.actor, current.school.version - 1, {
        ...details,
        urn: current.school.urn,
        name: 'Old',
      }),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect((await services.school.details(w.senco.actor)).school.name).toBe('Oakfield Primary School');
  });

  it('refuse a URN another school has, an upside-down range, and a range leaving a class outside', async () => {
    const current = await services.school.details(w.senco.actor);
    const urn = await errorOf(
      services.school.updateDetails(w.senco.actor, current.school.version, {
        ...details,
        urn: w.otherSchool.urn,
      }),
    );
    expect((urn as ValidationError).errors).toEqual([
      { field: 'urn', message: 'A school with this URN already exists' },
    ]);
    const range = await errorOf(
      services.school.updateDetails(w.senco.actor, current.school.version, {
        ...details,
        urn: current.school.urn,
        lowestNcYear: 6,
        highestNcYear: 0,
      }),
    );
    expect((range as ValidationError).errors[0]?.field).toBe('highestNcYear');
    const outside = await errorOf(
      services.school.updateDetails(w.senco.actor, current.school.version, {
        ...details,
        urn: current.school.urn,
        highestNcYear: 4,
      }),
    );
    expect((outside as ValidationError).errors[0]?.message).toMatch(
      /^Year 5 Ash teaches Year 5: change its year groups/,
    );
  });

  it('are for the SENCo, head and office only', async () => {
    await expect(services.school.details(w.teacherA.actor)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(services.school.rollOverStart(w.governor.actor)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('give the pupil list its year groups, and a filter for pupils outside them', async () => {
    const older = await buildPupil(database.db, {
      schoolId: w.school.id,
      ncYearOverride: 8,
      surname: 'Older',
    });
    const list = await services.pupils.list(w.senco.actor, { outsideYearGroups: true }, 1);
    expect(list.yearGroups).toEqual({ lowest: 0, highest: 6 });
    expect(list.rows.map((r) => r.id)).toEqual([older.id]);
  });
});

/*
 * A small primary for the roll-over, on 20 July 2027 (the roll-over to 2027/28 opened on 1 July):
 * Reception to Year 6, classes set up for 2026/27.
 */
const JULY = '2027-07-20';
const YEAR_OF = {
  r: '2021-12-01',
  y1: '2020-12-01',
  y3: '2018-12-01',
  y4: '2017-12-01',
  y5: '2016-12-01',
  y6: '2015-12-01',
};

async function smallSchool(db: Database['db']) {
  const s = await buildSchool(db, {
    name: 'Little Brook Primary',
    lowestNcYear: 0,
    highestNcYear: 6,
    rolledOverTo: 2026,
  });
  const robins = await buildClass(db, s.id, 'Robins', 0);
  await db
    .update(schoolClass)
    .set({ ncYears: [0, 1] })
    .where(eq(schoolClass.id, robins.id));
  const oak = await buildClass(db, s.id, 'Oak', 3);
  const ash = await buildClass(db, s.id, 'Ash', 4);
  const elm = await buildClass(db, s.id, 'Elm', 5);
  const willow = await buildClass(db, s.id, 'Willow', 6);
  const senco = await buildStaff(db, 'senco', { schoolId: s.id, name: 'Sal Senco' });
  const oakTeacher = await buildStaff(db, 'class_teacher', {
    schoolId: s.id,
    classIds: [oak.id],
    name: 'Olive Oak',
  });
  const p = (
    surname: string,
    dateOfBirth: string,
    classId: string | null,
    extra: Parameters<typeof buildPupil>[1] = {},
  ) => buildPupil(db, { schoolId: s.id, surname, forename: 'Pat', dateOfBirth, classId, ...extra });
  const pupils = {
    reception: await p('Reed', YEAR_OF.r, robins.id),
    yearOne: await p('Rowe', YEAR_OF.y1, robins.id),
    oak1: await p('Oates', YEAR_OF.y3, oak.id),
    oakSen: await p('Owens', YEAR_OF.y3, oak.id, { stage: 'sen_support', primaryNeed: 'SLCN' }),
    // Taught in Year 3 although their date of birth says Year 4.
    oakOverride: await p('Ogden', YEAR_OF.y4, oak.id, { ncYearOverride: 3 }),
    elm1: await p('Ellis', YEAR_OF.y5, elm.id),
    leaver: await p('Wells', YEAR_OF.y6, willow.id, { stage: 'ehc_plan', primaryNeed: 'ASD' }),
    stayer: await p('Webb', YEAR_OF.y6, willow.id),
    noClass: await p('Nash', YEAR_OF.y3, null),
  };
  return { school: s, classes: { robins, oak, ash, elm, willow }, senco, oakTeacher, pupils };
}

type Small = Awaited<ReturnType<typeof smallSchool>>;

/** Everything the roll-over could change, to compare before and after a refused or failed apply. */
async function snapshot(db: Database['db'], schoolId: string) {
  const [pupils, classes, schools, moves, audits, teachers] = await Promise.all([
    db.select().from(pupil).where(eq(pupil.schoolId, schoolId)).orderBy(asc(pupil.id)),
    db.select().from(schoolClass).where(eq(schoolClass.schoolId, schoolId)).orderBy(asc(schoolClass.id)),
    db.select().from(school).where(eq(school.id, schoolId)),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(pupilClassMove)
      .where(eq(pupilClassMove.schoolId, schoolId)),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditEvent)
      .where(
        and(
          eq(auditEvent.schoolId, schoolId),
          sql`${auditEvent.action} not like 'access.%'`,
          sql`${auditEvent.action} <> 'school.roll_over_previewed'`,
        ),
      ),
    db
      .select()
      .from(classTeacher)
      .where(eq(classTeacher.schoolId, schoolId))
      .orderBy(asc(classTeacher.classId)),
  ]);
  return { pupils, classes, schools, moves, audits, teachers };
}

describe('the year-end roll-over', () => {
  let july: Services;
  let t: Small;
  let historyBefore: number;

  beforeAll(async () => {
    july = createServices(database, fixedClock(JULY));
    t = await smallSchool(database.db);
    // SEN history and a concern, to show they are untouched.
    await july.register.changePosition(t.senco.actor, t.pupils.oak1.id, {
      stage: 'monitoring',
      primaryNeed: null,
      secondaryNeed: null,
      effectiveDate: '2027-03-01',
      reason: 'Watching reading closely.',
      version: 1,
    });
    await july.concerns.raise(t.oakTeacher.actor, t.pupils.oakSen.id, {
      kind: 'send',
      concernDate: '2027-06-01',
      reasons: 'Reasons',
      classroomEvidence: 'Evidence',
      areasOfNeed: ['communication_and_interaction'],
      interventionsTried: [],
    });
    historyBefore = (
      await database.db.select().from(registerEntry).where(eq(registerEntry.schoolId, t.school.id))
    ).length;
  });

  const applyInput = async (services: Services, choices?: Partial<RollOverChoices>) => {
    const preview = await services.school.rollOverPreview(t.senco.actor, 2027, { audit: false });
    if (preview.kind !== 'preview') throw new Error(`no preview: ${preview.kind}`);
    return {
      academicYear: 2027,
      version: preview.version,
      fingerprint: preview.fingerprint,
      choices: { ...preview.suggested, ...choices },
    };
  };

  it('opens on 1 July for the next year, and not before', async () => {
    const june = createServices(database, fixedClock('2027-06-30'));
    const early = await june.school.rollOverPreview(t.senco.actor, 2027, { audit: false });
    expect(early).toMatchObject({
      kind: 'closed',
      problem: 'The roll-over to 2027/28 opens on 1 July 2027.',
    });
    const start = await july.school.rollOverStart(t.senco.actor);
    expect(start.status).toEqual({ kind: 'open', fromYear: 2026, toYear: 2027, late: false });
    const wrongYear = await july.school.rollOverPreview(t.senco.actor, 2028, { audit: false });
    expect(wrongYear.kind).toBe('closed');
  });

  it('previews each class with its pupils’ new year groups, suggested classes and the leavers', async () => {
    const preview = await july.school.rollOverPreview(t.senco.actor, null, { audit: true });
    if (preview.kind !== 'preview') throw new Error(preview.kind);
    const byKey = Object.fromEntries(preview.groups.map((g) => [g.key, g]));
    const c = t.classes;
    // Reception stays in the mixed Reception/Year 1 class; Year 1 has no class teaching Year 2 yet.
    expect(byKey[`${c.robins.id}_1`]?.suggested).toEqual({ kind: 'class', classId: c.robins.id });
    expect(byKey[`${c.robins.id}_2`]?.suggested).toEqual({ kind: 'class', classId: c.robins.id });
    // Oak's Year 3 (and its pupil taught out of year group) go to Ash, which teaches Year 4.
    expect(byKey[`${c.oak.id}_4`]?.pupils.map((p) => [p.name, p.before, p.after])).toEqual(
      [
        ['Ogden, Pat', 3, 4],
        ['Oates, Pat', 3, 4],
        ['Owens, Pat', 3, 4],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(byKey[`${c.oak.id}_4`]?.suggested).toEqual({ kind: 'class', classId: c.ash.id });
    expect(byKey.none_4?.suggested).toEqual({ kind: 'class', classId: c.ash.id });
    expect(preview.leavers.map((l) => l.name)).toEqual(['Webb, Pat', 'Wells, Pat']);
    expect(preview.suggested.leftOn).toBe('2027-08-31');
    if (!preview.outcome.ok) throw new Error('the suggestions should make a plan');
    expect(preview.outcome.plan.summary).toMatchObject({ movingUp: 7, leaving: 2, overridesMovedUp: 1 });
    const audit = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'school.roll_over_previewed'), eq(auditEvent.schoolId, t.school.id)));
    expect(audit).toHaveLength(1);
  });

  it('changes nothing when the apply fails half-way (a class name made by someone else meanwhile)', async () => {
    const input = await applyInput(july, {
      destinations: {
        ...(await applyInput(july)).choices.destinations,
        [`${t.classes.robins.id}_2`]: { kind: 'new', name: 'Hazel' },
      },
    });
    const before = await snapshot(database.db, t.school.id);
    // Someone else makes a class called Hazel while the roll-over runs: here, the moment the roll-over
    // has moved the first pupils up (after the preview and the checks).
    await database.db.execute(
      sql.raw(`create function make_hazel() returns trigger language plpgsql as $$
      begin
        insert into school_class (school_id, id, name, nc_years) values ('${t.school.id}', gen_random_uuid(), 'Hazel', '[2]');
        return null;
      end $$`),
    );
    await database.db.execute(
      sql.raw(
        'create trigger make_hazel after update on pupil for each statement execute function make_hazel()',
      ),
    );
    try {
      const error = await errorOf(july.school.rollOverApply(t.senco.actor, input));
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors[0]?.message).toMatch(
        /^A class with one of the new names was made by someone else while the roll-over to 2027\/28 was being applied, so nothing has been changed/,
      );
    } finally {
      await database.db.execute(sql.raw('drop trigger make_hazel on pupil'));
      await database.db.execute(sql.raw('drop function make_hazel()'));
    }
    expect(await snapshot(database.db, t.school.id)).toEqual(before);
  });

  it('refuses a preview made before pupils changed, and changes nothing', async () => {
    const input = await applyInput(july);
    const late = await buildPupil(database.db, {
      schoolId: t.school.id,
      surname: 'Newby',
      dateOfBirth: YEAR_OF.y5,
      classId: t.classes.elm.id,
    });
    const before = await snapshot(database.db, t.school.id);
    const error = await errorOf(july.school.rollOverApply(t.senco.actor, input));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error?.message).toMatch(/^Pupils or classes changed while you were checking/);
    expect(await snapshot(database.db, t.school.id)).toEqual(before);
    // Out of the roll again, so that the next previews match the school as built.
    await database.db.update(pupil).set({ leftOn: '2027-07-01' }).where(eq(pupil.id, late.id));
  });

  it('refuses choices that break the rules, listing them all, and changes nothing', async () => {
    const input = await applyInput(july, { leftOn: '2027-09-02' });
    const before = await snapshot(database.db, t.school.id);
    const error = await errorOf(july.school.rollOverApply(t.senco.actor, input));
    expect((error as ValidationError).errors).toEqual([
      {
        field: 'leftOn',
        message: 'The leaving date must be in 2026/27: from 1 September 2026 to 31 August 2027',
      },
    ]);
    expect(await snapshot(database.db, t.school.id)).toEqual(before);
  });

  it('applies everything in one go, touching nothing of any SEN record', async () => {
    const c = t.classes;
    const base = await applyInput(july);
    const senBefore = await database.db
      .select({
        id: pupil.id,
        senStage: pupil.senStage,
        primaryNeed: pupil.primaryNeed,
        secondaryNeed: pupil.secondaryNeed,
      })
      .from(pupil)
      .where(eq(pupil.schoolId, t.school.id))
      .orderBy(asc(pupil.id));
    const concernsBefore = await database.db.select().from(concern).where(eq(concern.schoolId, t.school.id));
    const result = await july.school.rollOverApply(t.senco.actor, {
      ...base,
      choices: {
        ...base.choices,
        destinations: { ...base.choices.destinations, [`${c.robins.id}_2`]: { kind: 'new', name: 'Hazel' } },
        leaving: new Set([t.pupils.leaver.id]),
        destinationForAll: 'Brook Academy',
        destinationOf: {},
      },
    });
    expect(result).toEqual({
      academicYear: 2027,
      counts: {
        movingUp: 7,
        changedClass: 6,
        toNoClass: 0,
        left: 1,
        stayingOn: 1,
        overridesMovedUp: 1,
        classesCreated: 1,
        classYearGroupsChanged: 0,
      },
    });
    const rows = Object.fromEntries(
      (await database.db.select().from(pupil).where(eq(pupil.schoolId, t.school.id))).map((r) => [r.id, r]),
    );
    const hazel = (
      await database.db
        .select()
        .from(schoolClass)
        .where(and(eq(schoolClass.schoolId, t.school.id), eq(schoolClass.name, 'Hazel')))
    )[0]!;
    expect(hazel).toMatchObject({ ncYears: [2], ncYear: 2 });
    const p = t.pupils;
    expect(rows[p.reception.id]?.classId).toBe(c.robins.id);
    expect(rows[p.yearOne.id]?.classId).toBe(hazel.id);
    expect(rows[p.oak1.id]?.classId).toBe(c.ash.id);
    expect(rows[p.oakOverride.id]).toMatchObject({ classId: c.ash.id, ncYearOverride: 4 });
    expect(rows[p.noClass.id]?.classId).toBe(c.ash.id);
    expect(rows[p.elm1.id]?.classId).toBe(c.willow.id);
    expect(rows[p.leaver.id]).toMatchObject({
      leftOn: '2027-08-31',
      destination: 'Brook Academy',
      classId: null,
    });
    expect(rows[p.stayer.id]).toMatchObject({ leftOn: null, classId: c.willow.id, ncYearOverride: 6 });
    const [s] = await database.db.select().from(school).where(eq(school.id, t.school.id));
    expect(s?.rolledOverTo).toBe(2027);

    // Moves are dated from the start of the new year, with the roll-over as their source.
    const moves = await database.db
      .select()
      .from(pupilClassMove)
      .where(eq(pupilClassMove.schoolId, t.school.id));
    expect(moves.filter((m) => m.movedOn === '2027-09-01' && m.source === 'roll_over')).toHaveLength(6);
    expect(moves.find((m) => m.pupilId === p.leaver.id)).toMatchObject({
      fromClassId: c.willow.id,
      toClassId: null,
      movedOn: '2027-08-31',
    });

    // Audited: the roll-over with its counts, each leaver, each move.
    const audits = await database.db.select().from(auditEvent).where(eq(auditEvent.schoolId, t.school.id));
    expect(audits.find((a) => a.action === 'school.rolled_over')?.detail).toEqual({
      academicYear: 2027,
      from: 2026,
      counts: result.counts,
    });
    expect(audits.filter((a) => a.action === 'pupil.left').map((a) => a.pupilId)).toEqual([p.leaver.id]);
    expect(audits.filter((a) => a.action === 'pupil.class_moved')).toHaveLength(6);

    // Nothing SEN-related changed: stages, needs, history, concerns.
    const senAfter = await database.db
      .select({
        id: pupil.id,
        senStage: pupil.senStage,
        primaryNeed: pupil.primaryNeed,
        secondaryNeed: pupil.secondaryNeed,
      })
      .from(pupil)
      .where(eq(pupil.schoolId, t.school.id))
      .orderBy(asc(pupil.id));
    expect(senAfter).toEqual(senBefore);
    expect(
      (await database.db.select().from(registerEntry).where(eq(registerEntry.schoolId, t.school.id))).length,
    ).toBe(historyBefore);
    expect(await database.db.select().from(concern).where(eq(concern.schoolId, t.school.id))).toEqual(
      concernsBefore,
    );
  });

  it('counts year groups in the new year at once, and the class teacher’s reach follows the new classes', async () => {
    const list = await july.pupils.list(t.senco.actor, { classId: t.classes.ash.id }, 1);
    expect(list.rows.map((r) => r.ncYear)).toEqual([4, 4, 4, 4]);
    // Oak's teacher taught Year 3: their pupils have moved on to Ash.
    const teacherList = await july.pupils.list(t.oakTeacher.actor, {}, 1);
    expect(teacherList.rows).toEqual([]);
    const page = await july.pupils.view(t.senco.actor, t.pupils.oak1.id);
    expect(page.rolledOverTo).toBe(2027);
  });

  it('is never applied twice: a second apply (or a second person) is refused and changes nothing', async () => {
    const preview = await july.school.rollOverPreview(t.senco.actor, 2027, { audit: false });
    expect(preview.kind).toBe('done');
    const before = await snapshot(database.db, t.school.id);
    const error = await errorOf(
      july.school.rollOverApply(t.senco.actor, {
        academicYear: 2027,
        version: 1,
        fingerprint: '0'.repeat(32),
        choices: {
          destinations: {},
          leaving: new Set(),
          leftOn: null,
          destinationForAll: null,
          destinationOf: {},
          updateYearGroups: false,
        },
      }),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(error?.message).toMatch(/already been rolled over to 2027\/28/);
    expect(await snapshot(database.db, t.school.id)).toEqual(before);
    const start = await july.school.rollOverStart(t.senco.actor);
    expect(start.status).toEqual({ kind: 'not_yet', fromYear: 2027, toYear: 2028, opensOn: '2028-07-01' });
  });

  it('refuses a second person applying from the same preview while the first applies (the school’s version)', async () => {
    const other = await smallSchool(database.db);
    const preview = await july.school.rollOverPreview(other.senco.actor, 2027, { audit: false });
    if (preview.kind !== 'preview') throw new Error(preview.kind);
    // Someone changes the school's details between this preview and its apply.
    const d = await july.school.details(other.senco.actor);
    await july.school.updateDetails(other.senco.actor, d.school.version, {
      name: 'Little Brook',
      urn: d.school.urn,
      laCode: d.school.laCode,
      establishmentNumber: d.school.establishmentNumber,
      phase: 'primary',
      lowestNcYear: 0,
      highestNcYear: 6,
    });
    const error = await errorOf(
      july.school.rollOverApply(other.senco.actor, {
        academicYear: 2027,
        version: preview.version,
        fingerprint: preview.fingerprint,
        choices: preview.suggested,
      }),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(error?.message).toMatch(/^Someone changed the school’s details/);
  });

  it('does not reach another school', async () => {
    await expect(july.classes.get(t.senco.actor, w.classA.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(TODAY).toBe('2026-11-20');
  });
});
