import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpWorld, type World } from '../../../test/builders/index.ts';
import type { Database } from '../../db/client.ts';
import { auditEvent } from '../../db/schema/index.ts';
import type { Services } from '../index.ts';
import { ForbiddenError, NotFoundError } from '../kernel/errors.ts';

let database: Database;
let services: Services;
let w: World;

beforeAll(async () => {
  ({ database, services, w } = await setUpWorld());
  await services.pupils.view(w.teacherA.actor, w.pupilK.id);
  await services.pupils.list(w.teacherA.actor, {}, 1);
});
afterAll(() => database.close());

describe('the audit trail', () => {
  it('is append-only: the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    await expect(database.db.execute(sql`update audit_event set action = 'x'`)).rejects.toThrow();
    await expect(database.db.execute(sql`delete from audit_event`)).rejects.toThrow();
    await expect(database.db.execute(sql`truncate audit_event`)).rejects.toThrow();
    await expect(database.db.execute(sql`delete from audit_event_pupil`)).rejects.toThrow();
    const n = await database.db.select({ n: sql<number>`count(*)::int` }).from(auditEvent);
    expect(n[0]?.n).toBeGreaterThan(0);
  });

  it('shows those with the audit section who has seen a pupil, and nobody else', async () => {
    const trail = await services.audit.pupilTrail(w.head.actor, w.pupilK.id);
    expect(
      trail.events.some(
        (e) => e.action === 'pupil.viewed' && e.userName === 'Tara Teacher' && e.role === 'class_teacher',
      ),
    ).toBe(true);
    await expect(services.audit.pupilTrail(w.teacherA.actor, w.pupilK.id)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });

  it('records a refusal by role (a governor asking for a pupil) and an unreachable record, one row each', async () => {
    await expect(services.pupils.view(w.governor.actor, w.pupilK.id)).rejects.toBeInstanceOf(ForbiddenError);
    const refused = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'access.refused'), eq(auditEvent.userId, w.governor.actor.userId)));
    expect(refused).toHaveLength(1);
    expect(refused[0]?.detail).toMatchObject({ where: 'pupils.view' });
    await expect(services.staff.get(w.senco.actor, w.otherSenco.actor.userId)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const probe = await database.db
      .select()
      .from(auditEvent)
      .where(
        and(
          eq(auditEvent.action, 'access.probe_from_other_school'),
          eq(auditEvent.schoolId, w.otherSchool.id),
        ),
      );
    expect(probe.map((p) => p.userId)).toContain(w.senco.actor.userId);
  });

  it('filters the school’s whole trail by person, pupil and action, and says what changed', async () => {
    const found = await services.pupils.forEdit(w.senco.actor, w.pupilA.id);
    const p = found.pupil;
    await services.pupils.update(w.senco.actor, w.pupilA.id, p.version, {
      upn: p.upn,
      forename: p.forename,
      surname: p.surname,
      preferredName: 'Mara',
      dateOfBirth: p.dateOfBirth,
      sex: p.sex,
      classId: w.classB.id,
      ncYearOverride: null,
      admissionDate: null,
      flags: {
        pupilPremium: false,
        freeSchoolMeals: false,
        lookedAfter: false,
        previouslyLookedAfter: false,
        eal: false,
        serviceChild: false,
        youngCarer: false,
        medicalCondition: false,
      },
      medicalNotes: null,
      attendancePercent: null,
    });
    const trail = await services.audit.schoolTrail(
      w.head.actor,
      { userId: w.senco.actor.userId, pupilId: w.pupilA.id, actions: ['pupil.updated'] },
      1,
    );
    expect(trail.events).toHaveLength(1);
    expect(trail.events[0]?.detail).toMatchObject({
      changes: expect.arrayContaining([
        { label: 'Preferred name', from: '(none)', to: 'Mara' },
        { label: 'Class', from: 'Year 4 Oak', to: 'Year 5 Ash' },
      ]),
    });
    await expect(services.audit.schoolTrail(w.teacherA.actor, {}, 1)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('a complaint about the viewer on the trail', () => {
  it('leaves out the complaint’s events (recorded, viewed, listed with the pupil) for the person it is about, on the pupil’s and the school’s trail', async () => {
    const about = await services.complaints.create(w.head.actor, {
      kind: 'formal',
      receivedOn: '2026-11-02',
      complainantName: 'Erin’s father',
      complainantRelationship: 'Father',
      pupilId: w.pupilE.id,
      summary: 'About the SENCo',
      aboutUserIds: [w.senco.actor.userId],
      handledBy: null,
    });
    const other = await services.complaints.create(w.head.actor, {
      kind: 'concern',
      receivedOn: '2026-11-02',
      complainantName: 'Erin’s mother',
      complainantRelationship: 'Mother',
      pupilId: w.pupilE.id,
      summary: 'About nobody',
      aboutUserIds: [],
      handledBy: null,
    });
    await services.complaints.get(w.head.actor, about);
    await services.complaints.list(w.head.actor);
    const ofComplaint = (events: { action: string; detail: Record<string, unknown> | null }[], id: string) =>
      events.filter(
        (e) =>
          e.action.startsWith('complaint.') &&
          (e.detail?.complaintId === id ||
            (Array.isArray(e.detail?.complaintIds) && e.detail.complaintIds.includes(id))),
      );
    const headTrail = await services.audit.pupilTrail(w.head.actor, w.pupilE.id);
    expect(
      ofComplaint(headTrail.events, about)
        .map((e) => e.action)
        .sort(),
    ).toEqual(['complaint.listed', 'complaint.recorded', 'complaint.viewed']);
    const sencoTrail = await services.audit.pupilTrail(w.senco.actor, w.pupilE.id);
    expect(ofComplaint(sencoTrail.events, about)).toEqual([]);
    expect(ofComplaint(sencoTrail.events, other).map((e) => e.action)).toEqual(['complaint.recorded']);
    const school = await services.audit.schoolTrail(w.senco.actor, { pupilId: w.pupilE.id }, 1);
    expect(ofComplaint(school.events, about)).toEqual([]);
    const all = await services.audit.schoolTrail(w.senco.actor, {}, 1);
    expect(ofComplaint(all.events, about)).toEqual([]);
    expect(ofComplaint((await services.audit.schoolTrail(w.head.actor, {}, 1)).events, about).length).toBe(3);
  });
});

describe('tamper evidence', () => {
  it('chains every row to the one before it in its school, and finds the first row someone changed', async () => {
    expect((await services.admin.verifyAudit({ osUser: 'test', requestId: 'r' })).broken).toEqual([]);
    // Someone who owns the tables turns the triggers off and rewrites history.
    const victim = (
      await database.db
        .select()
        .from(auditEvent)
        .where(and(eq(auditEvent.schoolId, w.school.id), eq(auditEvent.action, 'pupil.viewed')))
        .limit(1)
    )[0]!;
    await database.db.execute(sql`alter table audit_event disable trigger user`);
    await database.db.execute(
      sql`update audit_event set user_id = ${w.head.actor.userId} where id = ${victim.id}`,
    );
    await database.db.execute(sql`alter table audit_event enable trigger user`);
    const { broken } = await services.admin.verifyAudit({ osUser: 'test', requestId: 'r' });
    expect(broken).toEqual([
      {
        id: victim.id,
        schoolId: w.school.id,
        chainSeq: victim.chainSeq,
        schoolName: 'Oakfield Primary',
        organisationId: null,
        organisationName: null,
        reason: 'content',
      },
    ]);
  });
});
