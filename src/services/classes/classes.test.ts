import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPupil, buildStaff, setUpWorld, TODAY, type World } from '../../../test/builders/index.ts';
import type { Database } from '../../db/client.ts';
import { auditEvent, classTeacher, pupil, pupilClassMove, schoolClass } from '../../db/schema/index.ts';
import type { AuditAction } from '../../domain/audit.ts';
import { CONTEXT_FLAGS } from '../../domain/flags.ts';
import { chronology } from '../../web/features/pupils/view-models.ts';
import type { Services } from '../index.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';

let database: Database;
let services: Services;
let w: World;

beforeAll(async () => {
  ({ database, services, w } = await setUpWorld());
});
afterAll(() => database.close());

async function auditRows(action: AuditAction) {
  return database.db.select().from(auditEvent).where(eq(auditEvent.action, action));
}

async function fieldErrors(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).errors;
}

describe('adding and changing classes', () => {
  it('adds a mixed-age class with its teachers, keeping the lowest year group for ordering', async () => {
    const id = await services.classes.create(w.office.actor, {
      name: 'Hedgehogs',
      ncYears: [2, 1],
      teacherIds: [w.teacherB.actor.userId],
    });
    const [row] = await database.db.select().from(schoolClass).where(eq(schoolClass.id, id));
    expect(row).toMatchObject({
      name: 'Hedgehogs',
      ncYears: [1, 2],
      ncYear: 1,
      version: 1,
      archivedAt: null,
    });
    const teachers = await database.db.select().from(classTeacher).where(eq(classTeacher.classId, id));
    expect(teachers.map((t) => t.userId)).toEqual([w.teacherB.actor.userId]);
    const audit = (await auditRows('class.created')).find((r) => r.detail?.classId === id);
    expect(audit?.detail).toMatchObject({ name: 'Hedgehogs', ncYears: [1, 2] });
    const list = await services.classes.list(w.senco.actor);
    expect(list.inUse.find((c) => c.id === id)).toMatchObject({
      pupils: 0,
      teachers: [{ name: 'Tom Teacher' }],
    });
  });

  it('refuses a class name already in use, whatever its capitals, and saves nothing', async () => {
    const before = await database.db.select({ n: sql<number>`count(*)::int` }).from(schoolClass);
    const errors = await fieldErrors(
      services.classes.create(w.senco.actor, { name: 'year 4 oak ', ncYears: [4], teacherIds: [] }),
    );
    expect(errors).toEqual([
      { field: 'name', message: 'A class named Year 4 Oak is already in use: choose another name' },
    ]);
    const after = await database.db.select({ n: sql<number>`count(*)::int` }).from(schoolClass);
    expect(after[0]?.n).toBe(before[0]?.n);
  });

  it('refuses year groups outside the school’s, and a teacher without the class teacher role, all at once', async () => {
    const errors = await fieldErrors(
      services.classes.create(w.senco.actor, {
        name: 'Seniors',
        ncYears: [9],
        teacherIds: [w.ta.actor.userId],
      }),
    );
    expect(errors.map((e) => e.field)).toEqual(['ncYears', 'teacherIds']);
  });

  it('keeps the database’s own rule when two people add the same name at once', async () => {
    // The same rule held by the unique index, as a race would meet it: a field error, not a crash.
    await expect(
      database.db
        .insert(schoolClass)
        .values({ schoolId: w.school.id, id: crypto.randomUUID(), name: 'Year 4 Oak' }),
    ).rejects.toThrow();
  });

  it('changes a class with its version; a stale save is a conflict and changes nothing', async () => {
    const id = await services.classes.create(w.senco.actor, { name: 'Foxes', ncYears: [3], teacherIds: [] });
    await services.classes.update(w.senco.actor, id, 1, {
      name: 'Foxes Class',
      ncYears: [3, 4],
      teacherIds: [w.teacherA.actor.userId],
    });
    await expect(
      services.classes.update(w.office.actor, id, 1, { name: 'Badgers', ncYears: [3], teacherIds: [] }),
    ).rejects.toBeInstanceOf(ConflictError);
    const [row] = await database.db.select().from(schoolClass).where(eq(schoolClass.id, id));
    expect(row).toMatchObject({ name: 'Foxes Class', ncYears: [3, 4], version: 2 });
    const audit = (await auditRows('class.changed')).find((r) => r.detail?.classId === id);
    expect(audit?.detail?.changes).toEqual([
      { label: 'Name', from: 'Foxes', to: 'Foxes Class' },
      { label: 'Year groups', from: 'Year 3', to: 'Year 3 and Year 4' },
      { label: 'Teachers', from: '(none)', to: 'Tara Teacher' },
    ]);
    // Another name already in use is a field error on change too.
    const errors = await fieldErrors(
      services.classes.update(w.senco.actor, id, 2, { name: 'Year 5 Ash', ncYears: [3], teacherIds: [] }),
    );
    expect(errors[0]?.field).toBe('name');
  });

  it('is for the SENCo, head and office only', async () => {
    await expect(services.classes.list(w.teacherA.actor)).rejects.toBeInstanceOf(ForbiddenError);
    expect(() => services.classes.checkCanManage(w.governor.actor)).toThrow(ForbiddenError);
  });

  it('treats another school’s class as not found, and records the probe there', async () => {
    await expect(services.classes.get(w.senco.actor, w.otherClass.id)).rejects.toBeInstanceOf(NotFoundError);
    const probes = await database.db
      .select()
      .from(auditEvent)
      .where(
        and(
          eq(auditEvent.action, 'access.probe_from_other_school'),
          eq(auditEvent.schoolId, w.otherSchool.id),
        ),
      );
    expect(probes.some((p) => p.detail?.id === w.otherClass.id)).toBe(true);
  });
});

describe('moving pupils, and a class teacher’s reach following them', () => {
  it('moves chosen pupils on a date, recorded for each pupil and in their chronology', async () => {
    const newTeacher = await buildStaff(database.db, 'class_teacher', {
      schoolId: w.school.id,
      name: 'Nell New',
    });
    const nest = await services.classes.create(w.senco.actor, {
      name: 'Year 4 Nest',
      ncYears: [4],
      teacherIds: [newTeacher.actor.userId],
    });
    // Before: Tara (Year 4 Oak) sees Kit; Nell sees nobody.
    await services.pupils.view(w.teacherA.actor, w.pupilK.id);
    await expect(services.pupils.view(newTeacher.actor, w.pupilK.id)).rejects.toBeInstanceOf(NotFoundError);

    const result = await services.classes.movePupils(w.office.actor, w.classA.id, {
      pupilIds: [w.pupilK.id],
      toClassId: nest,
      movedOn: '2026-11-16',
    });
    expect(result).toEqual({ moved: 1, toName: 'Year 4 Nest', fromName: 'Year 4 Oak' });

    // The reach follows the class: Nell now sees Kit, Tara no longer does.
    const seen = await services.pupils.view(newTeacher.actor, w.pupilK.id);
    expect(seen.className).toBe('Year 4 Nest');
    await expect(services.pupils.view(w.teacherA.actor, w.pupilK.id)).rejects.toBeInstanceOf(NotFoundError);
    const list = await services.pupils.list(newTeacher.actor, {}, 1);
    expect(list.rows.map((r) => r.id)).toEqual([w.pupilK.id]);

    const moves = await database.db
      .select()
      .from(pupilClassMove)
      .where(eq(pupilClassMove.pupilId, w.pupilK.id));
    expect(moves).toHaveLength(1);
    expect(moves[0]).toMatchObject({
      fromClassId: w.classA.id,
      toClassId: nest,
      movedOn: '2026-11-16',
      source: 'class_change',
      movedBy: w.office.actor.userId,
      movedByName: 'Olu Office',
    });
    const audits = (await auditRows('pupil.class_moved')).filter((r) => r.pupilId === w.pupilK.id);
    expect(audits[0]?.detail).toMatchObject({
      changes: [{ label: 'Class', from: 'Year 4 Oak', to: 'Year 4 Nest' }],
      movedOn: '2026-11-16',
    });
    const page = await services.pupils.view(w.senco.actor, w.pupilK.id);
    const item = chronology(page).find((c) => c.title === 'Moved from Year 4 Oak to Year 4 Nest');
    expect(item).toMatchObject({ date: '2026-11-16', by: 'Olu Office' });
  });

  it('gives a class teacher put on another class that class’s pupils at once', async () => {
    await expect(services.pupils.view(w.teacherA.actor, w.pupilE.id)).rejects.toBeInstanceOf(NotFoundError);
    const ash = await services.classes.forEdit(w.senco.actor, w.classB.id);
    await services.classes.update(w.senco.actor, w.classB.id, ash.schoolClass.version, {
      name: 'Year 5 Ash',
      ncYears: [5],
      teacherIds: [...ash.schoolClass.teachers.map((t) => t.userId), w.teacherA.actor.userId],
    });
    const seen = await services.pupils.view(w.teacherA.actor, w.pupilE.id);
    expect(seen.pupil.id).toBe(w.pupilE.id);
    const home = await services.home.overview(w.teacherA.actor);
    expect(home.classes.map((c) => c.name)).toContain('Year 5 Ash');
  });

  it('refuses a move with nothing chosen, to the same class, or dated in the future, all at once', async () => {
    const errors = await fieldErrors(
      services.classes.movePupils(w.senco.actor, w.classB.id, {
        pupilIds: [],
        toClassId: w.classB.id,
        movedOn: '2026-12-25',
      }),
    );
    expect(errors.map((e) => e.field)).toEqual(['pupilIds', 'toClassId', 'movedOn']);
  });

  it('says who someone else moved meanwhile, and moves nobody', async () => {
    const p1 = await buildPupil(database.db, {
      schoolId: w.school.id,
      classId: w.classB.id,
      surname: 'Stays',
    });
    const p2 = await buildPupil(database.db, {
      schoolId: w.school.id,
      classId: w.classA.id,
      surname: 'Gone',
    });
    const error = await services.classes
      .movePupils(w.senco.actor, w.classB.id, { pupilIds: [p1.id, p2.id], toClassId: null, movedOn: TODAY })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toMatch(/Pupil\d+ Gone is no longer in Year 5 Ash/);
    const [row] = await database.db.select().from(pupil).where(eq(pupil.id, p1.id));
    expect(row?.classId).toBe(w.classB.id);
  });

  it('moves one pupil from their record; a stale form is a conflict, a leaver is refused', async () => {
    const p = await buildPupil(database.db, { schoolId: w.school.id, classId: w.classB.id });
    const form = await services.classes.forPupil(w.head.actor, p.id);
    expect(form.className).toBe('Year 5 Ash');
    const moved = await services.classes.changeClass(w.head.actor, p.id, {
      fromClassId: w.classB.id,
      toClassId: w.classA.id,
      movedOn: TODAY,
    });
    expect(moved.toName).toBe('Year 4 Oak');
    await expect(
      services.classes.changeClass(w.head.actor, p.id, {
        fromClassId: w.classB.id,
        toClassId: null,
        movedOn: TODAY,
      }),
    ).rejects.toBeInstanceOf(ConflictError);
    const leaver = await buildPupil(database.db, {
      schoolId: w.school.id,
      classId: w.classA.id,
      leftOn: '2026-07-20',
    });
    const errors = await fieldErrors(
      services.classes.changeClass(w.head.actor, leaver.id, {
        fromClassId: w.classA.id,
        toClassId: null,
        movedOn: TODAY,
      }),
    );
    expect(errors[0]?.message).toMatch(/left the school on 20 July 2026/);
    await expect(services.classes.forPupil(w.senco.actor, w.otherPupil.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('records a new class chosen on the details form as a move too', async () => {
    const p = await buildPupil(database.db, {
      schoolId: w.school.id,
      classId: w.classA.id,
      dateOfBirth: '2018-02-02',
    });
    const [row] = await database.db.select().from(pupil).where(eq(pupil.id, p.id));
    await services.pupils.update(w.office.actor, p.id, row!.version, {
      upn: row!.upn,
      forename: row!.forename,
      surname: row!.surname,
      preferredName: null,
      dateOfBirth: row!.dateOfBirth,
      sex: row!.sex,
      classId: w.classB.id,
      ncYearOverride: null,
      admissionDate: null,
      flags: Object.fromEntries(CONTEXT_FLAGS.map((f) => [f, false])) as Record<
        (typeof CONTEXT_FLAGS)[number],
        boolean
      >,
      medicalNotes: null,
      attendancePercent: null,
    });
    const moves = await database.db.select().from(pupilClassMove).where(eq(pupilClassMove.pupilId, p.id));
    expect(moves).toMatchObject([{ fromClassId: w.classA.id, toClassId: w.classB.id, movedOn: TODAY }]);
  });

  it('puts pupils with no class in a class teaching their year group', async () => {
    const loose = await buildPupil(database.db, {
      schoolId: w.school.id,
      classId: null,
      dateOfBirth: '2017-03-03',
    });
    const page = await services.classes.get(w.senco.actor, w.classB.id);
    expect(page.unplaced.map((p) => p.id)).toContain(loose.id);
    await services.classes.addPupils(w.senco.actor, w.classB.id, { pupilIds: [loose.id], movedOn: TODAY });
    const [row] = await database.db.select().from(pupil).where(eq(pupil.id, loose.id));
    expect(row?.classId).toBe(w.classB.id);
    // A second try finds them already placed.
    await expect(
      services.classes.addPupils(w.senco.actor, w.classB.id, { pupilIds: [loose.id], movedOn: TODAY }),
    ).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('archiving a class', () => {
  it('is refused while pupils are in it, saying how many and where to move them', async () => {
    const view = await services.classes.forArchive(w.senco.actor, w.classB.id);
    expect(view.problem).toMatch(/^Year 5 Ash still has \d+ pupils\. Move them all to another class first/);
    const errors = await fieldErrors(services.classes.archive(w.senco.actor, w.classB.id));
    expect(errors[0]?.message).toBe(view.problem);
    const [row] = await database.db.select().from(schoolClass).where(eq(schoolClass.id, w.classB.id));
    expect(row?.archivedAt).toBeNull();
  });

  it('archives an empty class: no longer offered, its teachers no longer teach it, its name free again', async () => {
    const id = await services.classes.create(w.senco.actor, {
      name: 'Owls',
      ncYears: [2],
      teacherIds: [w.teacherA.actor.userId],
    });
    expect(await services.classes.archive(w.senco.actor, id)).toBe('Owls');
    const teachers = await database.db.select().from(classTeacher).where(eq(classTeacher.classId, id));
    expect(teachers).toEqual([]);
    const options = await services.pupils.editorOptions(w.office.actor);
    expect(options.classes.map((c) => c.id)).not.toContain(id);
    const staff = await services.staff.get(w.senco.actor, w.teacherA.actor.userId);
    expect(staff.classes.map((c) => c.id)).not.toContain(id);
    const list = await services.classes.list(w.senco.actor);
    expect(list.archived.map((c) => c.name)).toEqual(['Owls']);
    // The name can be used again, and archiving twice says so.
    await services.classes.create(w.senco.actor, { name: 'Owls', ncYears: [2], teacherIds: [] });
    const errors = await fieldErrors(services.classes.archive(w.senco.actor, id));
    expect(errors[0]?.message).toBe('Owls is already archived');
  });
});
