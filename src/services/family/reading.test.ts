import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildFamily,
  buildFinalPlan,
  buildLetter,
  buildOfficer,
  buildPlan,
  buildProvisionGroup,
  TODAY,
  useWorld,
} from '../../../test/builders/index.ts';
import { auditEvent, ehcPlan, planReview } from '../../db/schema/index.ts';
import { addDays } from '../../domain/dates.ts';
import { insertPlanVersion } from '../../repositories/ehc-plans.ts';
import { familyReadsOf } from '../../repositories/family-reading.ts';
import { ForbiddenError, NotFoundError } from '../kernel/errors.ts';

const world = useWorld();
type Family = Awaited<ReturnType<typeof buildFamily>>;

/** A family at the world's school, with a plan in place, a draft, an earlier plan reviewed, letters and a group. */
let family: Family;
let current: Awaited<ReturnType<typeof buildPlan>>;
let draft: Awaited<ReturnType<typeof buildPlan>>;
let earlier: Awaited<ReturnType<typeof buildPlan>>;
let sent: Awaited<ReturnType<typeof buildLetter>>;
let later: Awaited<ReturnType<typeof buildLetter>>;

beforeAll(async () => {
  const { db } = world.database;
  family = await buildFamily(db, { schoolId: world.w.school.id, forename: 'Nia' });
  const pupil = { id: family.pupil.id, schoolId: family.schoolId };
  earlier = await buildPlan(db, {
    pupilId: pupil.id,
    schoolId: pupil.schoolId,
    status: 'closed',
    startDate: '2026-04-20',
    reviewDate: '2026-07-10',
    targets: ['Count to twenty'],
  });
  await db.insert(planReview).values({
    schoolId: pupil.schoolId,
    id: randomUUID(),
    planId: earlier.id,
    pupilId: pupil.id,
    heldOn: '2026-07-10',
    attendees: 'Mother, class teacher, SENCo',
    pupilViews: 'I like counting with the blocks',
    parentsViews: 'She counts the stairs at home',
    progress: 'as_expected',
    decision: 'new_plan',
    decisionNotes: 'STAFF ONLY decision note',
    reviewedByName: 'Sam Senco',
  });
  current = await buildPlan(db, {
    pupilId: pupil.id,
    schoolId: pupil.schoolId,
    targets: ['Ask for help with a hand up', 'Read ten tricky words'],
    note: 'STAFF NOTE: tired on Mondays',
    desiredOutcomes: 'Nia will join in with class talk',
    parentsSupportAtHome: 'Read the word cards together each evening',
    areasOfConcern: 'WORKING FIELD: areas of concern',
    reviewDate: '2026-12-18',
  });
  draft = await buildPlan(db, {
    pupilId: pupil.id,
    schoolId: pupil.schoolId,
    status: 'draft',
    targets: ['DRAFT TARGET not agreed'],
  });
  await buildProvisionGroup(db, {
    schoolId: pupil.schoolId,
    pupilIds: [pupil.id],
    name: 'Talk Boost group',
    deliverer: { userId: world.w.ta.actor.userId, name: 'Tia Assistant' },
    sessionsPerWeek: 3,
    minutesPerSession: 20,
  });
  const letterPupil = { ...pupil, forename: 'Nia', surname: family.pupil.surname };
  sent = await buildLetter(db, { pupil: letterPupil, kind: 'plan_shared', sentOn: '2026-11-02' });
  later = await buildLetter(db, { pupil: letterPupil, sentOn: addDays(TODAY, 3) });
});

describe('the support plan a parent reads', () => {
  it('is the plan in place as agreed: its targets and the child’s groups, never the draft, the notes or the working fields', async () => {
    const page = await world.services.familyReading.plan(family.mother.actor, family.pupil.id);
    expect(page.plan?.id).toBe(current.id);
    expect(page.targets.map((t) => t.target)).toEqual([
      'Ask for help with a hand up',
      'Read ten tricky words',
    ]);
    expect(page.provision).toEqual([
      expect.objectContaining({
        interventionName: expect.any(String),
        sessionsPerWeek: 3,
        minutesPerSession: 20,
        delivererName: 'Tia Assistant',
      }),
    ]);
    expect(page.hasEarlierPlans).toBe(true);
    const shown = JSON.stringify(page);
    for (const hidden of ['DRAFT TARGET', 'STAFF NOTE', 'WORKING FIELD', draft.id]) {
      expect(shown).not.toContain(hidden);
    }
  });

  it('says there is no plan when only a draft exists', async () => {
    const { db } = world.database;
    const other = await buildFamily(db, { schoolId: world.w.school.id });
    await buildPlan(db, { pupilId: other.pupil.id, schoolId: other.schoolId, status: 'draft' });
    const page = await world.services.familyReading.plan(other.father.actor, other.pupil.id);
    expect(page.plan).toBeNull();
    expect(page.targets).toEqual([]);
  });

  it('records each parent’s read: the mother and the separated father, each a receipt of their own', async () => {
    const { db } = world.database;
    await world.services.familyReading.plan(family.mother.actor, family.pupil.id);
    await world.services.familyReading.plan(family.father.actor, family.pupil.id);
    const rows = await db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'family.read'), eq(auditEvent.pupilId, family.pupil.id)));
    const readers = new Set(
      rows.filter((r) => r.detail?.id === current.id).map((r) => `${r.userId} ${r.schoolId} ${r.role}`),
    );
    expect(readers).toEqual(
      new Set([
        `${family.mother.actor.userId} ${family.schoolId} parent`,
        `${family.father.actor.userId} ${family.schoolId} parent`,
      ]),
    );
    const reads = await familyReadsOf(db, family.schoolId, family.pupil.id, 'plan', current.id);
    expect(reads.map((r) => [r.name, r.relationship])).toEqual([
      [family.motherCarer.name, 'Mother'],
      [family.fatherCarer.name, 'Father'],
    ]);
    expect(reads[0]?.times).toBeGreaterThanOrEqual(2);
  });

  it('lists the earlier plans with how each went, and opens one with the views recorded at its review', async () => {
    const list = await world.services.familyReading.plans(family.mother.actor, family.pupil.id);
    expect(list.plans.map((p) => [p.id, p.review?.decision])).toEqual([[earlier.id, 'new_plan']]);
    const page = await world.services.familyReading.earlierPlan(
      family.mother.actor,
      family.pupil.id,
      earlier.id,
    );
    expect(page.review).toMatchObject({
      parentsViews: 'She counts the stairs at home',
      pupilViews: 'I like counting with the blocks',
      progress: 'as_expected',
    });
    expect(JSON.stringify(page)).not.toContain('STAFF ONLY');
    // The plan in place and the draft are not "earlier plans".
    for (const id of [current.id, draft.id]) {
      await expect(
        world.services.familyReading.earlierPlan(family.mother.actor, family.pupil.id, id),
      ).rejects.toThrow(NotFoundError);
    }
  });

  it('finds no plan of another child, at the same school or another, and is only for parents', async () => {
    const { w, services } = world;
    const kitsPlan = await buildPlan(world.database.db, {
      pupilId: w.pupilK.id,
      schoolId: w.school.id,
      status: 'closed',
    });
    const otherPlan = await buildPlan(world.database.db, {
      pupilId: w.otherPupil.id,
      schoolId: w.otherSchool.id,
      status: 'closed',
    });
    for (const planId of [kitsPlan.id, otherPlan.id]) {
      await expect(
        services.familyReading.earlierPlan(family.mother.actor, family.pupil.id, planId),
      ).rejects.toThrow('Plan not found');
    }
    for (const pupilId of [w.pupilK.id, w.otherPupil.id]) {
      await expect(services.familyReading.plan(family.mother.actor, pupilId)).rejects.toThrow(
        'Child not found',
      );
    }
    await expect(services.familyReading.plan(w.senco.actor, family.pupil.id)).rejects.toThrow(ForbiddenError);
  });
});

describe('the letters a parent reads', () => {
  it('are those sent about the child, newest first, not one dated later', async () => {
    const page = await world.services.familyReading.letters(family.father.actor, family.pupil.id);
    expect(page.letters.map((l) => l.id)).toEqual([sent.id]);
    await expect(
      world.services.familyReading.letter(family.father.actor, family.pupil.id, later.id),
    ).rejects.toThrow('Letter not found');
  });

  it('opens one as a page or its PDF, each a read receipt; another child’s letter is not found', async () => {
    const { services, w, database } = world;
    const page = await services.familyReading.letter(family.mother.actor, family.pupil.id, sent.id);
    expect(page.letter.kind).toBe('plan_shared');
    await services.familyReading.letter(family.father.actor, family.pupil.id, sent.id, 'pdf');
    const reads = await familyReadsOf(database.db, family.schoolId, family.pupil.id, 'letter', sent.id);
    expect(reads.map((r) => r.relationship)).toEqual(['Mother', 'Father']);
    const kits = await buildLetter(database.db, { pupil: { ...w.pupilK } });
    await expect(
      services.familyReading.letter(family.mother.actor, family.pupil.id, kits.id),
    ).rejects.toThrow('Letter not found');
    // Kit's letter, asked for through Kit by a parent of another child: Kit is not theirs.
    await expect(services.familyReading.letter(family.mother.actor, w.pupilK.id, kits.id)).rejects.toThrow(
      'Child not found',
    );
  });
});

describe('the EHC plan a parent reads', () => {
  it('shows the draft sent to the parents with the end of their 15 days, the final plan as issued, and never a version being written', async () => {
    const { database, services } = world;
    const { db } = database;
    const ehc = await buildFamily(db, { schoolId: world.w.school.id, stage: 'ehc_plan' });
    const officer = await buildOfficer(db);
    const pupil = { id: ehc.pupil.id, schoolId: ehc.schoolId, upn: ehc.pupil.upn };
    const plan = await buildFinalPlan(db, pupil, officer.organisationId, { issuedOn: '2026-03-02' });
    // An amendment with the parents now, and (on another plan) a draft the authority is still writing.
    await insertPlanVersion(db, {
      organisationId: officer.organisationId,
      id: randomUUID(),
      planId: plan.planId,
      caseId: plan.caseId,
      number: 2,
      stage: 'sent',
      reason: 'annual_review',
      sections: plan.sections,
      sentOn: '2026-11-10',
      commentsDueOn: '2026-11-24',
      createdByName: 'Casey Caseworker',
    });
    const page = await services.familyReading.ehcPlan(ehc.mother.actor, ehc.pupil.id, plan.planId);
    expect(page.version).toMatchObject({ number: 2, stage: 'sent', commentsDueOn: '2026-11-24' });
    expect(page.others.map((o) => o.number)).toEqual([1]);
    const final = await services.familyReading.ehcPlan(ehc.father.actor, ehc.pupil.id, plan.planId, 1);
    expect(final.version).toMatchObject({ stage: 'issued', issuedOn: '2026-03-02' });

    const writing = await buildFinalPlan(db, pupil, officer.organisationId);
    await db.update(ehcPlan).set({ status: 'draft' }).where(eq(ehcPlan.id, writing.planId));
    await insertPlanVersion(db, {
      organisationId: officer.organisationId,
      id: randomUUID(),
      planId: writing.planId,
      caseId: writing.caseId,
      number: 2,
      stage: 'writing',
      reason: 'other_amendment',
      sections: writing.sections,
      createdByName: 'Casey Caseworker',
    });
    await expect(
      services.familyReading.ehcPlan(ehc.mother.actor, ehc.pupil.id, writing.planId, 2),
    ).rejects.toThrow('EHC plan not found');
    const list = await services.familyReading.ehc(ehc.mother.actor, ehc.pupil.id);
    expect(list.versions.some((v) => v.stage === 'writing')).toBe(false);
    // Another child's plan through this child: not found.
    await expect(
      services.familyReading.ehcPlan(family.mother.actor, family.pupil.id, plan.planId),
    ).rejects.toThrow('EHC plan not found');
    const reads = await familyReadsOf(
      db,
      ehc.schoolId,
      ehc.pupil.id,
      'ehc_plan_version',
      page.version.versionId,
    );
    expect(reads.map((r) => r.relationship)).toEqual(['Mother']);
  });
});
