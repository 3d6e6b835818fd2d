import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  buildClass,
  buildConcern,
  buildProvisionGroup,
  buildPupil,
  buildSchool,
  buildStaff,
  TODAY,
  useWorld,
} from '../../test/builders/index.ts';
import { auditEvent, auditEventPupil } from '../db/schema/index.ts';

/*
 * The home page's own parts: a new school's first steps, and the work of someone who works with
 * pupils outside their classes (a teaching assistant, a teacher delivering a group). Today is Friday
 * 20 November 2026.
 */
const world = useWorld();

describe('a new school’s first steps', () => {
  it('lists staff, classes, pupils and a first concern, ticks each off when done, and goes once all are', async () => {
    const { services, database } = world;
    const db = database.db;
    const school = await buildSchool(db, { name: 'New Primary' });
    const senco = await buildStaff(db, 'senco', { schoolId: school.id });
    const steps = async (actor = senco.actor) => (await services.home.overview(actor)).firstSteps;
    expect(await steps()).toEqual([
      { step: 'staff', done: false, may: true },
      { step: 'classes', done: false, may: true },
      { step: 'pupils', done: false, may: true },
      { step: 'concern', done: false, may: true },
    ]);
    const office = await buildStaff(db, 'office', { schoolId: school.id });
    const oak = await buildClass(db, school.id, 'Year 4 Oak', 4);
    expect((await steps())?.map((s) => [s.step, s.done])).toEqual([
      ['staff', true],
      ['classes', true],
      ['pupils', false],
      ['concern', false],
    ]);
    // The office sets up classes and pupils, but not staff: that step is someone else's.
    expect((await steps(office.actor))?.find((s) => s.step === 'staff')).toMatchObject({ may: false });
    // A teacher sets nothing up: no list for them.
    const teacher = await buildStaff(db, 'class_teacher', { schoolId: school.id, classIds: [oak.id] });
    expect(await steps(teacher.actor)).toBeNull();
    const kit = await buildPupil(db, { schoolId: school.id, classId: oak.id });
    expect((await steps())?.filter((s) => !s.done).map((s) => s.step)).toEqual(['concern']);
    await buildConcern(db, {
      schoolId: school.id,
      pupilId: kit.id,
      concernDate: TODAY,
      raiser: { userId: teacher.actor.userId, name: teacher.actor.name },
    });
    expect(await steps()).toBeNull();
  });
});

describe('the work of someone who works with pupils outside their classes', () => {
  it('lists a teaching assistant’s pupils (class, stage) and groups with the next session due, the listing audited', async () => {
    const { services, w, database } = world;
    // Two of this week's three sessions held, the last yesterday: the next is due today.
    const { id: groupId } = await buildProvisionGroup(database.db, {
      schoolId: w.school.id,
      name: 'Phonics: Year 4',
      deliverer: { userId: w.ta.actor.userId, name: 'Tia Assistant' },
      startDate: '2026-09-07',
      sessionsPerWeek: 3,
      minutesPerSession: 15,
      pupilIds: [w.pupilK.id],
      sessions: ['2026-11-16', '2026-11-19'],
    });
    const work = await services.home.ownWork(w.ta.actor, 'home');
    expect(work?.groups).toEqual([
      expect.objectContaining({ id: groupId, name: 'Phonics: Year 4', pupilsNow: 1, nextDue: TODAY }),
    ]);
    // Eli is assigned to Tia; Kit is in her group.
    expect(work?.pupils.map((p) => [p.forename, p.className, p.senStage, p.assigned])).toEqual([
      ['Eli', 'Year 5 Ash', 'ehc_plan', true],
      ['Kit', 'Year 4 Oak', 'sen_support', false],
    ]);
    await services.provision.recordSession(w.ta.actor, groupId, {
      heldOn: TODAY,
      presentPupilIds: [w.pupilK.id],
      note: null,
    });
    expect((await services.home.ownWork(w.ta.actor, 'home'))?.groups[0]?.nextDue).toBe('2026-11-23');
    // Each listing records the pupils it showed.
    const [row] = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.userId, w.ta.actor.userId), eq(auditEvent.action, 'dashboard.viewed')))
      .orderBy(auditEvent.id)
      .limit(1);
    expect(row!.detail).toMatchObject({ list: 'pupils_worked_with', page: 'home' });
    const shown = await database.db
      .select({ pupilId: auditEventPupil.pupilId })
      .from(auditEventPupil)
      .where(eq(auditEventPupil.eventId, row!.id));
    expect(shown.map((s) => s.pupilId).sort()).toEqual([w.pupilE.id, w.pupilK.id].sort());
  });

  it('gives nothing to those who neither work with pupils nor deliver groups', async () => {
    const { services, w } = world;
    expect(await services.home.ownWork(w.office.actor, 'home')).toBeNull();
    expect(await services.home.ownWork(w.governor.actor, 'home')).toBeNull();
    // A class teacher delivering no group: no pupils beyond the class, no groups.
    expect(await services.home.ownWork(w.teacherB.actor, 'home')).toEqual({
      pupils: [],
      groups: [],
      today: TODAY,
    });
    await expect(services.home.ownWork(w.officer.actor, 'home')).rejects.toThrow();
  });
});
