import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPupil, setUpWorld, TODAY, type World } from '../../test/builders.ts';
import type { Database } from '../db/client.ts';
import { auditEvent, registerEntry } from '../db/schema.ts';
import type { ConcernInput } from './concerns.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors.ts';
import type { Services } from './index.ts';

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

  it('refuses a concern about a pupil the teacher does not teach', async () => {
    await expect(services.concerns.raise(w.teacherA.actor, w.pupilE.id, concern())).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      services.concerns.raise(w.teacherA.actor, w.otherPupil.id, concern()),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('keeps concerns from office staff and the governor', async () => {
    await expect(services.concerns.raise(w.office.actor, w.pupilA.id, concern())).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(services.concerns.forReview(w.governor.actor)).rejects.toBeInstanceOf(ForbiddenError);
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
    await expect(
      services.concerns.review(w.senco.actor, id, 1, { ...review, outcome: 'no_further_action' }),
    ).rejects.toBeInstanceOf(ConflictError);

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
