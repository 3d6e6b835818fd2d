import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAgency, buildPupil, setUpWorld, TODAY, type World } from '../../../test/builders/index.ts';
import type { Database } from '../../db/client.ts';
import { auditEvent, concern as concernTable, registerEntry } from '../../db/schema/index.ts';
import type { Services } from '../index.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import type { ConcernInput } from './index.ts';

let database: Database;
let services: Services;
let w: World;

beforeAll(async () => {
  ({ database, services, w } = await setUpWorld());
});
afterAll(() => database.close());

const concern = (over: Partial<ConcernInput> = {}): ConcernInput => ({
  kind: 'send',
  concernDate: TODAY,
  reasons: 'Struggles to retain lesson content from one day to the next',
  classroomEvidence: 'Maths books and two observations',
  areasOfNeed: ['cognition_and_learning', 'communication_and_interaction'],
  interventionsTried: [
    { intervention: 'Precision teaching', frequency: 'Daily, 10 minutes', duration: '6 weeks' },
  ],
  ...over,
});

describe('raising a concern', () => {
  it('lets a class teacher raise a concern about a pupil in their class, with every field kept', async () => {
    const id = await services.concerns.raise(w.teacherA.actor, w.pupilA.id, concern());
    const found = await services.concerns.view(w.teacherA.actor, id);
    expect(found.concern).toMatchObject({
      kind: 'send',
      status: 'open',
      raisedBy: w.teacherA.actor.userId,
      raisedByName: 'Tara Teacher',
      raisedByRole: 'Class teacher',
      areasOfNeed: ['cognition_and_learning', 'communication_and_interaction'],
      interventionsTried: [
        { intervention: 'Precision teaching', frequency: 'Daily, 10 minutes', duration: '6 weeks' },
      ],
    });
    const audit = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'concern.raised'), eq(auditEvent.pupilId, w.pupilA.id)));
    expect(audit).toHaveLength(1);
  });

  it('lets anyone on the staff raise a concern about any pupil of the school, without reaching their SEN record', async () => {
    // Tara teaches Year 4; Eli is in Year 5. The office sees no SEN records at all.
    const found = await services.pupils.find(w.teacherA.actor, 'eva');
    expect(found.map((r) => r.id)).toEqual([w.pupilE.id]);
    expect(Object.keys(found[0] ?? {})).not.toContain('senStage');
    const byTeacher = await services.concerns.raise(w.teacherA.actor, w.pupilE.id, concern());
    const byOffice = await services.concerns.raise(
      w.office.actor,
      w.pupilK.id,
      concern({ kind: 'pastoral' }),
    );
    await expect(services.pupils.view(w.teacherA.actor, w.pupilE.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(services.register.list(w.office.actor, {})).rejects.toBeInstanceOf(ForbiddenError);
    // Each sees their own concern and what happens to it.
    expect((await services.concerns.view(w.teacherA.actor, byTeacher)).concern.pupilId).toBe(w.pupilE.id);
    expect((await services.concerns.view(w.office.actor, byOffice)).concern.pupilId).toBe(w.pupilK.id);
    // But not someone else's concern about a pupil they cannot reach.
    await expect(services.concerns.view(w.teacherB.actor, byOffice)).rejects.toBeInstanceOf(NotFoundError);
    // Another school's pupil is not theirs to raise a concern about.
    await expect(
      services.concerns.raise(w.teacherA.actor, w.otherPupil.id, concern()),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('keeps concerns from the governor', async () => {
    await expect(services.concerns.raise(w.governor.actor, w.pupilA.id, concern())).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(services.concerns.forReview(w.governor.actor)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('lets the SENCo record a concern a parent raised, naming them and how it came', async () => {
    const id = await services.concerns.recordFromOutside(w.senco.actor, w.pupilA.id, {
      ...concern({ kind: 'send' }),
      source: 'parent',
      raisedByName: 'Ada Adebayo (mother)',
      receivedVia: 'telephone',
    });
    const rows = await database.db.select().from(concernTable).where(eq(concernTable.id, id));
    expect(rows[0]).toMatchObject({
      source: 'parent',
      raisedByName: 'Ada Adebayo (mother)',
      receivedVia: 'telephone',
      raisedBy: null,
      recordedBy: w.senco.actor.userId,
    });
    await expect(
      services.concerns.recordFromOutside(w.teacherA.actor, w.pupilA.id, {
        ...concern(),
        source: 'parent',
        raisedByName: 'x',
        receivedVia: 'email',
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('refuses a concern dated before the pupil was born', async () => {
    await expect(
      services.concerns.raise(w.teacherA.actor, w.pupilA.id, concern({ concernDate: '1990-05-01' })),
    ).rejects.toThrow(/before Amara was born/);
  });

  it('refuses a future date', async () => {
    await expect(
      services.concerns.raise(w.teacherA.actor, w.pupilA.id, concern({ concernDate: '2027-05-01' })),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('reviewing a concern', () => {
  it('places the pupil at SEN support with a history entry linked to the concern, and the raiser sees the outcome', async () => {
    const p = await buildPupil(database.db, { schoolId: w.school.id, classId: w.classA.id });
    const id = await services.concerns.raise(w.teacherA.actor, p.id, concern());
    const { open } = await services.concerns.forReview(w.senco.actor);
    expect(open.map((c) => c.id)).toContain(id);
    await services.concerns.review(w.senco.actor, id, 1, {
      outcome: 'sen_support',
      actionTaken: 'Support plan with parents; letter home',
      agency: null,
      reviewedOn: TODAY,
      primaryNeed: 'MLD',
      secondaryNeed: null,
    });
    const entries = await database.db.select().from(registerEntry).where(eq(registerEntry.pupilId, p.id));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      stage: 'sen_support',
      primaryNeed: 'MLD',
      source: 'concern',
      concernId: id,
    });
    const mine = await services.concerns.raisedBy(w.teacherA.actor);
    expect(mine.find((c) => c.id === id)).toMatchObject({ status: 'reviewed', outcome: 'sen_support' });
    const seen = await services.concerns.view(w.teacherA.actor, id);
    expect(seen.concern.actionTaken).toBe('Support plan with parents; letter home');
  });

  it('needs a primary need for SEN support and saves nothing without one', async () => {
    const id = await services.concerns.raise(w.teacherA.actor, w.pupilA.id, concern({ kind: 'pastoral' }));
    await expect(
      services.concerns.review(w.senco.actor, id, 1, {
        outcome: 'sen_support',
        actionTaken: 'x',
        agency: null,
        reviewedOn: TODAY,
        primaryNeed: null,
        secondaryNeed: null,
      }),
    ).rejects.toBeInstanceOf(ValidationError);
    const still = await services.concerns.view(w.senco.actor, id);
    expect(still.concern.status).toBe('open');
  });

  it('adds to monitoring, records an agency referral, and refuses a stale second review', async () => {
    const p = await buildPupil(database.db, { schoolId: w.school.id, classId: w.classA.id });
    const id = await services.concerns.raise(w.teacherA.actor, p.id, concern());
    const review = {
      actionTaken: 'Monitor for six weeks',
      agency: null,
      reviewedOn: TODAY,
      primaryNeed: null,
      secondaryNeed: null,
    };
    await services.concerns.review(w.head.actor, id, 1, { ...review, outcome: 'monitoring' });
    expect((await services.pupils.view(w.senco.actor, p.id)).pupil.senStage).toBe('monitoring');
    const stale = services.concerns.review(w.senco.actor, id, 1, { ...review, outcome: 'no_further_action' });
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    // The refusal says who reviewed it and what they decided, so the SENCo's notes can be checked against it.
    await expect(stale).rejects.toMatchObject({
      current: { reviewedByName: 'Hana Head', outcome: 'monitoring' },
    });

    const id2 = await services.concerns.raise(w.teacherA.actor, p.id, concern());
    await services.concerns.review(w.senco.actor, id2, 1, {
      ...review,
      outcome: 'agency_referral',
      agency: 'Speech and language therapy',
    });
    expect((await services.concerns.view(w.senco.actor, id2)).concern.agency).toBe(
      'Speech and language therapy',
    );
  });

  it('is not open to class teachers', async () => {
    const id = await services.concerns.raise(w.teacherA.actor, w.pupilK.id, concern());
    await expect(
      services.concerns.review(w.teacherA.actor, id, 1, {
        outcome: 'no_further_action',
        actionTaken: 'x',
        agency: null,
        reviewedOn: TODAY,
        primaryNeed: null,
        secondaryNeed: null,
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('the SENCo’s review of a concern', () => {
  it('shows what is needed to decide: factors, earlier concerns and their outcomes, the register history', async () => {
    const p = await buildPupil(database.db, {
      schoolId: w.school.id,
      classId: w.classA.id,
      forename: 'Rosa',
      surname: 'Reyes',
      eal: true,
      pupilPremium: true,
      attendancePercent: 91.5,
    });
    const first = await services.concerns.raise(
      w.teacherA.actor,
      p.id,
      concern({ concernDate: '2026-10-01' }),
    );
    const firstView = await services.concerns.reviewForm(w.senco.actor, first);
    await services.concerns.review(w.senco.actor, first, firstView.concern.version, {
      outcome: 'monitoring',
      actionTaken: 'Watch over half a term',
      agency: null,
      reviewedOn: '2026-10-02',
      primaryNeed: null,
      secondaryNeed: null,
    });
    const second = await services.concerns.raise(w.teacherA.actor, p.id, concern({ kind: 'pastoral' }));
    const form = await services.concerns.reviewForm(w.senco.actor, second);
    expect(form.context).toMatchObject({
      senStage: 'monitoring',
      attendancePercent: 91.5,
      flags: ['pupilPremium', 'eal'],
      className: 'Year 4 Oak',
    });
    expect(form.earlierConcerns).toEqual([
      expect.objectContaining({ id: first, outcome: 'monitoring', status: 'reviewed' }),
    ]);
    expect(form.registerHistory).toEqual([
      expect.objectContaining({ changeKind: 'added_to_monitoring', effectiveDate: '2026-10-02' }),
    ]);
    expect(form.concern.interventionsTried).toHaveLength(1);
    expect(form.mayStartPlan).toBe(true);
  });

  it('starts a draft support plan in the same review, and refuses to with an outcome that is not SEN support or monitoring', async () => {
    const p = await buildPupil(database.db, { schoolId: w.school.id, classId: w.classA.id });
    const id = await services.concerns.raise(w.teacherA.actor, p.id, concern());
    const review = (over: object) =>
      services.concerns.review(w.senco.actor, id, 1, {
        outcome: 'sen_support',
        actionTaken: 'SEN support with a plan',
        agency: null,
        reviewedOn: TODAY,
        primaryNeed: 'MLD',
        secondaryNeed: null,
        startPlan: true,
        ...over,
      });
    await expect(review({ outcome: 'pastoral_support' })).rejects.toThrow(
      /can be started only when the pupil goes to SEN support or the monitoring list/,
    );
    const { planId } = await review({});
    expect(planId).toBeTruthy();
    const plan = await services.plans.view(w.senco.actor, planId!);
    expect(plan.plan).toMatchObject({ status: 'draft', pupilId: p.id, ownerName: 'Tara Teacher' });
    expect(plan.plan.needAreas).toEqual(['cognition_and_learning']);
    const rows = await database.db
      .select({ detail: auditEvent.detail })
      .from(auditEvent)
      .where(and(eq(auditEvent.pupilId, p.id), eq(auditEvent.action, 'plan.created')));
    expect(rows).toEqual([{ detail: { planId, concernId: id } }]);
  });
});

describe('a referral outcome chosen from the directory of outside agencies', () => {
  const referral = { outcome: 'agency_referral' as const, actionTaken: 'Referred', reviewedOn: TODAY };
  const none = { primaryNeed: null, secondaryNeed: null };

  it('offers the school’s services and its local authority’s, and keeps the chosen service’s name', async () => {
    const own = await buildAgency(database.db, w.school.id, {
      name: 'Oakfield Thrive',
      serviceKind: 'thrive',
    });
    const shared = await buildAgency(database.db, w.officer.organisationId, {
      ownerKind: 'organisation',
      name: 'Northshire EPS',
      serviceKind: 'educational_psychology',
    });
    const id = await services.concerns.raise(w.teacherA.actor, w.pupilA.id, concern());
    const form = await services.concerns.reviewForm(w.senco.actor, id);
    expect(form.directory.map((d) => d.id)).toEqual(expect.arrayContaining([own.id, shared.id]));
    await services.concerns.review(w.senco.actor, id, 1, {
      ...referral,
      ...none,
      agency: null,
      agencyId: shared.id,
    });
    const [row] = await database.db.select().from(concernTable).where(eq(concernTable.id, id));
    expect(row).toMatchObject({ outcome: 'agency_referral', agency: 'Northshire EPS' });
  });

  it('refuses another school’s service or an archived one, and saves nothing', async () => {
    const theirs = await buildAgency(database.db, w.otherSchool.id, { name: 'Elsewhere SALT' });
    const old = await buildAgency(database.db, w.school.id, {
      name: 'Closed clinic',
      archivedAt: new Date(),
    });
    const id = await services.concerns.raise(w.teacherA.actor, w.pupilA.id, concern());
    for (const agencyId of [theirs.id, old.id]) {
      const refused = services.concerns.review(w.senco.actor, id, 1, {
        ...referral,
        ...none,
        agency: null,
        agencyId,
      });
      await expect(refused).rejects.toBeInstanceOf(ValidationError);
    }
    await expect(
      services.concerns.review(w.senco.actor, id, 1, { ...referral, ...none, agency: null, agencyId: null }),
    ).rejects.toBeInstanceOf(ValidationError);
    const [row] = await database.db.select().from(concernTable).where(eq(concernTable.id, id));
    expect(row).toMatchObject({ status: 'open', version: 1, agency: null });
    // A name typed (an empty directory, or a caller that has no directory) still works.
    await services.concerns.review(w.senco.actor, id, 1, { ...referral, ...none, agency: 'School nurse' });
    const [after] = await database.db.select().from(concernTable).where(eq(concernTable.id, id));
    expect(after?.agency).toBe('School nurse');
  });
});
