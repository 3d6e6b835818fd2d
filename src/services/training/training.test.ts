import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPupil, setUpWorld, TODAY, type World } from '../../../test/builders/index.ts';
import type { Database } from '../../db/client.ts';
import { appUser, auditEvent, membershipRole, staffTraining } from '../../db/schema/index.ts';
import type { AuditAction } from '../../domain/audit.ts';
import type { Services } from '../index.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import type { TrainingInput } from './index.ts';

let database: Database;
let services: Services;
let w: World;

beforeAll(async () => {
  ({ database, services, w } = await setUpWorld());
});
afterAll(() => database.close());

const auditRows = (action: AuditAction) =>
  database.db.select().from(auditEvent).where(eq(auditEvent.action, action));

const course = (over: Partial<TrainingInput> = {}): TrainingInput => ({
  course: 'Zones of Regulation',
  completedOn: '2026-10-05',
  hours: 3,
  area: 'social_emotional_and_mental_health',
  provider: 'The SENCo (school-based INSET)',
  notes: null,
  ...over,
});

describe('staff training', () => {
  it('records an INSET for three members of staff at once, audited once', async () => {
    const people = [w.teacherA, w.teacherB, w.ta].map((p) => p.actor.userId);
    const made = await services.training.record(w.senco.actor, people, course());
    expect(made).toEqual({ count: 3, names: ['Tara Teacher', 'Tia Assistant', 'Tom Teacher'] });
    const audit = (await auditRows('training.recorded')).at(-1);
    expect(audit?.detail).toMatchObject({ course: 'Zones of Regulation', staff: made.names });
    const mine = await services.training.own(w.ta.actor);
    expect(mine.records.map((r) => r.course)).toEqual(['Zones of Regulation']);
    expect(mine.totalHours).toBe(3);
  });

  it('totals this academic year by area of need and by person, and leaves out last year', async () => {
    await services.training.record(
      w.senco.actor,
      [w.teacherA.actor.userId],
      course({ course: 'Old course', completedOn: '2026-07-10', hours: 10 }),
    );
    await services.training.record(
      w.senco.actor,
      [w.teacherA.actor.userId],
      course({ course: 'Phonics catch-up', area: 'cognition_and_learning', hours: 1.5 }),
    );
    const page = await services.training.school(w.head.actor);
    expect(page.yearLabel).toBe('2026/27');
    expect(page.records.map((r) => r.course)).not.toContain('Old course');
    const tara = page.people.find((p) => p.name === 'Tara Teacher');
    expect(tara).toMatchObject({ hours: 4.5, courses: 2 });
    const semh = page.needs.find((n) => n.area === 'social_emotional_and_mental_health');
    expect(semh?.hours).toBe(9);
    const last = await services.training.school(w.head.actor, 2025);
    expect(last.records.map((r) => r.course)).toEqual(['Old course']);
  });

  it('flags an area of the register’s needs with no training done or planned', async () => {
    // Kit (speech, language and communication) and Eli (autism) are on the register: communication and interaction.
    const before = await services.training.school(w.senco.actor);
    const ci = before.needs.find((n) => n.area === 'communication_and_interaction');
    expect(ci?.pupils).toBeGreaterThanOrEqual(2);
    expect(ci?.gap).toMatch(/no training in it has been done this year and none is planned/);
    await services.training.addPlanItem(w.senco.actor, {
      title: 'Attention Autism for teaching assistants',
      area: 'communication_and_interaction',
      audience: 'All teaching assistants',
      term: 'spring',
      status: 'planned',
      notes: null,
    });
    const after = await services.training.school(w.senco.actor);
    expect(after.needs.find((n) => n.area === 'communication_and_interaction')?.gap).toBeNull();
    expect(after.plan.map((p) => p.title)).toContain('Attention Autism for teaching assistants');
  });

  it('counts a pupil on the register by their primary need only, not those who have left', async () => {
    await buildPupil(database.db, { schoolId: w.school.id, stage: 'sen_support', primaryNeed: 'VI' });
    await buildPupil(database.db, {
      schoolId: w.school.id,
      stage: 'sen_support',
      primaryNeed: 'HI',
      leftOn: '2026-07-20',
    });
    const page = await services.training.school(w.senco.actor);
    expect(page.needs.find((n) => n.area === 'sensory_and_physical')?.pupils).toBe(1);
  });

  it('changes and deletes a record at its version; a stale save is a conflict', async () => {
    await services.training.record(
      w.senco.actor,
      [w.office.actor.userId],
      course({ course: 'Data protection and SEN records', area: 'general' }),
    );
    const [row] = await database.db
      .select()
      .from(staffTraining)
      .where(eq(staffTraining.course, 'Data protection and SEN records'));
    const id = row!.id;
    expect(row?.needArea).toBeNull();
    await services.training.updateTraining(
      w.head.actor,
      id,
      1,
      course({ course: 'Data protection', area: 'general', hours: 2 }),
    );
    await expect(
      services.training.updateTraining(w.senco.actor, id, 1, course({ course: 'Mine' })),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(services.training.deleteTraining(w.senco.actor, id, 1)).rejects.toBeInstanceOf(
      ConflictError,
    );
    await services.training.deleteTraining(w.senco.actor, id, 2);
    expect(await database.db.select().from(staffTraining).where(eq(staffTraining.id, id))).toEqual([]);
    expect((await auditRows('training.deleted')).at(-1)?.detail).toMatchObject({ course: 'Data protection' });
  });

  it('refuses a date in the future, nobody chosen, and another school’s staff', async () => {
    await expect(
      services.training.record(w.senco.actor, [w.ta.actor.userId], course({ completedOn: '2026-12-01' })),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(services.training.record(w.senco.actor, [], course())).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(
      services.training.record(w.senco.actor, [w.otherSenco.actor.userId], course()),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('is managed by the SENCo and head only (refusals audited); another school’s ids are not found', async () => {
    for (const who of [w.teacherA, w.ta, w.office, w.governor]) {
      await expect(services.training.school(who.actor)).rejects.toBeInstanceOf(ForbiddenError);
      await expect(services.training.record(who.actor, [who.actor.userId], course())).rejects.toBeInstanceOf(
        ForbiddenError,
      );
    }
    await services.training.record(
      w.otherSenco.actor,
      [w.otherSenco.actor.userId],
      course({ course: 'Elsewhere' }),
    );
    const [other] = await database.db
      .select()
      .from(staffTraining)
      .where(eq(staffTraining.course, 'Elsewhere'));
    await expect(services.training.getTraining(w.senco.actor, other!.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(services.training.person(w.senco.actor, w.otherSenco.actor.userId)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('the SENCO’s qualification', () => {
  it('counts down to three years from taking up the post, for the NPQ from September 2024', async () => {
    const id = await services.training.recordSencoAppointment(w.head.actor, {
      userId: w.senco.actor.userId,
      appointedOn: '2025-09-01',
      qualification: 'npq_senco',
      startedOn: '2025-10-01',
      achievedOn: null,
      provider: 'Best Practice Network',
      endedOn: null,
    });
    const countdowns = await services.training.sencoCountdowns(w.head.actor);
    expect(countdowns).toEqual([
      {
        id,
        text: 'Sam Senco must achieve the NPQ for SENCOs by 1 September 2028: 21 months left',
        overdue: false,
      },
    ]);
    const found = await services.training.getSencoAppointment(w.senco.actor, id);
    await services.training.updateSencoAppointment(w.head.actor, id, found.version, {
      ...found.appointment,
      achievedOn: '2026-11-01',
    });
    expect(await services.training.sencoCountdowns(w.head.actor)).toEqual([]);
    await expect(
      services.training.updateSencoAppointment(w.head.actor, id, found.version, { ...found.appointment }),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('refuses the National Award for a SENCo who took up the post from 1 September 2024', async () => {
    const before = (await services.training.sencoAppointments(w.head.actor)).length;
    const error = await services.training
      .recordSencoAppointment(w.head.actor, {
        userId: w.senco.actor.userId,
        appointedOn: '2024-09-01',
        qualification: 'national_award',
        startedOn: null,
        achievedOn: null,
        provider: null,
        endedOn: null,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors).toContainEqual({
      field: 'qualification',
      message:
        'A SENCo who took up the post on or after 1 September 2024 must achieve the NPQ for SENCOs, not the National Award for SEN Co-ordination',
    });
    expect(await services.training.sencoAppointments(w.head.actor)).toHaveLength(before);
  });

  it('is recorded only for a member of staff with the SENCo role', async () => {
    const error = await services.training
      .recordSencoAppointment(w.head.actor, {
        userId: w.teacherA.actor.userId,
        appointedOn: TODAY,
        qualification: null,
        startedOn: null,
        achievedOn: null,
        provider: null,
        endedOn: null,
      })
      .catch((e: unknown) => e);
    expect((error as ValidationError).errors[0]?.field).toBe('userId');
  });

  it('is ended after the person lost the SENCo role, and one person has one open appointment at a time', async () => {
    const teacher = w.teacherA.actor.userId;
    const role = { schoolId: w.school.id, userId: teacher, role: 'senco' as const };
    await database.db.insert(membershipRole).values(role);
    const input = {
      userId: teacher,
      appointedOn: '2024-09-01',
      qualification: null,
      startedOn: null,
      achievedOn: null,
      provider: null,
      endedOn: null,
    };
    const id = await services.training.recordSencoAppointment(w.head.actor, input);
    const overlapping = await services.training
      .recordSencoAppointment(w.head.actor, { ...input, appointedOn: '2025-09-01' })
      .catch((e: unknown) => e);
    expect((overlapping as ValidationError).errors).toEqual([
      {
        field: 'userId',
        message: 'Tara Teacher already has an open appointment from 1 September 2024: end it first',
      },
    ]);
    await database.db
      .delete(membershipRole)
      .where(
        and(
          eq(membershipRole.schoolId, w.school.id),
          eq(membershipRole.userId, teacher),
          eq(membershipRole.role, 'senco'),
        ),
      );
    const found = await services.training.getSencoAppointment(w.head.actor, id);
    await services.training.updateSencoAppointment(w.head.actor, id, found.version, {
      ...found.appointment,
      endedOn: '2026-10-31',
    });
    expect((await services.training.getSencoAppointment(w.head.actor, id)).appointment.endedOn).toBe(
      '2026-10-31',
    );
  });

  it('refuses a post taken up before the National Award began, and implausible dates', async () => {
    const error = await services.training
      .recordSencoAppointment(w.head.actor, {
        userId: w.senco.actor.userId,
        appointedOn: '2009-08-31',
        qualification: 'national_award',
        startedOn: '1999-09-01',
        achievedOn: null,
        provider: null,
        endedOn: '2028-01-01',
      })
      .catch((e: unknown) => e);
    expect((error as ValidationError).errors.map((e) => e.field).sort()).toEqual([
      'appointedOn',
      'endedOn',
      'startedOn',
      // Sam Senco's appointment from 1 September 2025 is still open.
      'userId',
    ]);
    const training = await services.training
      .record(w.head.actor, [w.ta.actor.userId], course({ completedOn: '1999-06-30' }))
      .catch((e: unknown) => e);
    expect((training as ValidationError).errors[0]?.field).toBe('completedOn');
  });
});

describe('the edges of staff training', () => {
  it('refuses training for a member of staff turned off, and shows this year for a year out of range', async () => {
    await database.db
      .update(appUser)
      .set({ disabledAt: new Date() })
      .where(eq(appUser.id, w.teacherB.actor.userId));
    try {
      const error = await services.training
        .record(w.senco.actor, [w.teacherB.actor.userId], course())
        .catch((e: unknown) => e);
      expect((error as ValidationError).errors[0]?.message).toBe(
        'Tom Teacher is turned off in OpenSEND: training is recorded for staff working here now',
      );
    } finally {
      await database.db
        .update(appUser)
        .set({ disabledAt: null })
        .where(eq(appUser.id, w.teacherB.actor.userId));
    }
    const made = await services.training.record(w.senco.actor, [w.ta.actor.userId.toUpperCase()], course());
    expect(made.names).toEqual(['Tia Assistant']);
    expect((await services.training.school(w.senco.actor, 1999)).academicYear).toBe(2026);
    expect((await services.training.school(w.senco.actor, 2040)).academicYear).toBe(2026);
    const first = await services.training.school(w.senco.actor, 2000);
    expect(first).toMatchObject({ academicYear: 2000, hasYearBefore: false });
  });
});
