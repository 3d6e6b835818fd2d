import type { Database } from '../../db/client.ts';
import type { IsoDate } from '../../domain/dates.ts';
import { pupilProvision, thresholdOf } from '../../domain/provision-summary.ts';
import {
  agreedPlanOf,
  agreedPlansOf,
  ehcVersionSections,
  ehcVersionsForFamily,
  type FamilyEhcVersion,
  familyReviewOf,
  familyReviewsOf,
  familyTargetsOf,
  sentLetterOf,
  sentLettersOf,
} from '../../repositories/family-reading.ts';
import { provisionOfPupil } from '../../repositories/provision.ts';
import { pupilVoiceForPlan } from '../../repositories/pupil-voice.ts';
import type { Actor } from '../kernel/actor.ts';
import type { Clock } from '../kernel/clock.ts';
import { NotFoundError } from '../kernel/errors.ts';
import { auditFamilyRead, familyChild } from './access.ts';

/*
 * What a parent reads of their child's record (docs/adr/0039): the support plan in place as agreed,
 * the earlier plans with how each went, the letters sent about the child, and the EHC plan versions
 * the local authority sent to the parents or issued. Each call finds the child through the parent's
 * live link (familyChild) and the record through the child, so another family's record, at this school
 * or another, is "not found" (audited where its school sees it). Every read is on the school's trail;
 * a read of one plan, letter or EHC plan version is a `family.read` row, the read receipt staff see.
 */

const childName = (p: { forename: string; preferredName: string | null }) => p.preferredName ?? p.forename;

export function createFamilyReading(database: Database, clock: Clock) {
  const { db } = database;

  async function targetsAndProvision(schoolId: string, pupilId: string, planId: string, today: IsoDate) {
    const [targets, items] = await Promise.all([
      familyTargetsOf(db, schoolId, planId),
      provisionOfPupil(db, schoolId, pupilId),
    ]);
    const provision = pupilProvision(items, thresholdOf(null), today).current.map((s) => ({
      interventionName: s.interventionName,
      sessionsPerWeek: s.sessionsPerWeek,
      minutesPerSession: s.minutesPerSession,
      delivererKind: s.delivererKind,
      delivererName: s.delivererName,
      agency: s.agency,
      since: s.joinedOn > s.startDate ? s.joinedOn : s.startDate,
      upcoming: s.upcoming,
    }));
    return { targets, provision };
  }

  const planNotFound = (planId: string) => new NotFoundError('Plan not found', { kind: 'plan', id: planId });
  const letterNotFound = (letterId: string) =>
    new NotFoundError('Letter not found', { kind: 'letter', id: letterId });
  // An EHC plan is the authority's record: one that is not this child's is refused as a probe of the
  // child's record, so their school sees it.
  const ehcPlanNotFound = (pupilId: string) =>
    new NotFoundError('EHC plan not found', { kind: 'pupil', id: pupilId });

  return {
    /**
     * The child's support plan in place (agreed, or being reviewed), with its targets and the child's
     * provision now; or none, said so. Never a draft, never the notes. A read receipt for the plan.
     */
    async plan(actor: Actor, pupilId: string) {
      const child = await familyChild(db, actor, pupilId, { section: 'plans' });
      const { schoolId, id } = child.pupil;
      const plans = await agreedPlansOf(db, schoolId, id);
      const current = plans.find((p) => p.status === 'active' || p.status === 'in_review') ?? null;
      const hasEarlierPlans = plans.some((p) => p.status === 'closed');
      const today = clock.today();
      const [{ targets, provision }, voice] = current
        ? await Promise.all([
            targetsAndProvision(schoolId, id, current.id, today),
            pupilVoiceForPlan(db, schoolId, id, current.id),
          ])
        : [{ targets: [], provision: [] }, null];
      await auditFamilyRead(
        db,
        child.parent,
        child,
        current ? 'family.read' : 'family.child_viewed',
        current ? { record: 'plan', id: current.id } : { page: 'support plan', none: true },
      );
      return {
        pupilId: id,
        childName: childName(child.pupil),
        schoolName: child.schoolName,
        plan: current,
        targets,
        provision,
        hasEarlierPlans,
        /** The child's own words on the plan (their profile, their views for its review), if any. */
        voice,
        /** How the child is called, for the heading of their own words. */
        child: { forename: child.pupil.forename, preferredName: child.pupil.preferredName },
      };
    },

    /** The child's earlier plans (closed after they were agreed), newest first, each with how it went. */
    async plans(actor: Actor, pupilId: string) {
      const child = await familyChild(db, actor, pupilId, { section: 'plans' });
      const { schoolId, id } = child.pupil;
      const closed = (await agreedPlansOf(db, schoolId, id)).filter((p) => p.status === 'closed');
      const reviews = await familyReviewsOf(
        db,
        schoolId,
        closed.map((p) => p.id),
      );
      await auditFamilyRead(db, child.parent, child, 'family.child_viewed', {
        page: 'earlier support plans',
        plans: closed.map((p) => p.id),
      });
      return {
        pupilId: id,
        childName: childName(child.pupil),
        schoolName: child.schoolName,
        plans: closed.map((p) => ({
          ...p,
          review:
            reviews.filter((r) => r.planId === p.id).sort((a, b) => (a.heldOn < b.heldOn ? 1 : -1))[0] ??
            null,
        })),
      };
    },

    /** One earlier plan of the child: what it said, how each target went, the review and the views recorded. */
    async earlierPlan(actor: Actor, pupilId: string, planId: string) {
      const child = await familyChild(db, actor, pupilId, { section: 'plans' });
      const { schoolId, id } = child.pupil;
      const plan = await agreedPlanOf(db, schoolId, id, planId);
      if (plan?.status !== 'closed') throw planNotFound(planId);
      const [targets, review] = await Promise.all([
        familyTargetsOf(db, schoolId, planId),
        familyReviewOf(db, schoolId, planId),
      ]);
      await auditFamilyRead(db, child.parent, child, 'family.read', { record: 'plan', id: planId });
      return {
        pupilId: id,
        childName: childName(child.pupil),
        schoolName: child.schoolName,
        plan,
        targets,
        review,
      };
    },

    /** The letters sent about the child, newest first. */
    async letters(actor: Actor, pupilId: string) {
      const child = await familyChild(db, actor, pupilId, { section: 'letters' });
      const { schoolId, id } = child.pupil;
      const letters = await sentLettersOf(
        db,
        schoolId,
        id,
        clock.today(),
        child.carers.map((c) => c.id),
      );
      await auditFamilyRead(db, child.parent, child, 'family.child_viewed', {
        page: 'letters',
        letters: letters.map((l) => l.id),
      });
      return { pupilId: id, childName: childName(child.pupil), schoolName: child.schoolName, letters };
    },

    /** One letter sent about the child, as a page or its PDF; a read receipt either way. */
    async letter(actor: Actor, pupilId: string, letterId: string, format: 'page' | 'pdf' = 'page') {
      const child = await familyChild(db, actor, pupilId, { section: 'letters' });
      const { schoolId, id } = child.pupil;
      const letter = await sentLetterOf(
        db,
        schoolId,
        id,
        letterId,
        clock.today(),
        child.carers.map((c) => c.id),
      );
      if (!letter) throw letterNotFound(letterId);
      await auditFamilyRead(db, child.parent, child, 'family.read', {
        record: 'letter',
        id: letterId,
        ...(format === 'pdf' ? { format } : {}),
      });
      return { pupilId: id, childName: childName(child.pupil), schoolName: child.schoolName, letter };
    },

    /** The child's EHC plans as the parents have them: every version sent to them or issued, newest first. */
    async ehc(actor: Actor, pupilId: string) {
      const child = await familyChild(db, actor, pupilId, { section: 'ehc' });
      const { schoolId, id } = child.pupil;
      const versions = await ehcVersionsForFamily(db, schoolId, id);
      await auditFamilyRead(db, child.parent, child, 'family.child_viewed', {
        page: 'EHC plan',
        versions: versions.map((v) => v.versionId),
      });
      return { pupilId: id, childName: childName(child.pupil), schoolName: child.schoolName, versions };
    },

    /**
     * One EHC plan of the child: the version with the parents now (a draft, with the end of their time
     * to comment), else the final plan as issued; or the version asked for, if it was sent or issued.
     * Never a version the authority is still writing. A read receipt for the version.
     */
    async ehcPlan(actor: Actor, pupilId: string, ehcPlanId: string, number: number | null = null) {
      const child = await familyChild(db, actor, pupilId, { section: 'ehc' });
      const { schoolId, id } = child.pupil;
      const versions = (await ehcVersionsForFamily(db, schoolId, id)).filter((v) => v.planId === ehcPlanId);
      const chosen: FamilyEhcVersion | undefined =
        number !== null
          ? versions.find((v) => v.number === number)
          : (versions.find((v) => v.stage === 'sent') ?? versions.find((v) => v.stage === 'issued'));
      if (!chosen) throw ehcPlanNotFound(pupilId);
      const sections = await ehcVersionSections(db, schoolId, id, {
        organisationId: chosen.organisationId,
        planId: chosen.planId,
        number: chosen.number,
      });
      if (!sections) throw ehcPlanNotFound(pupilId);
      await auditFamilyRead(db, child.parent, child, 'family.read', {
        record: 'ehc_plan_version',
        id: chosen.versionId,
        organisationId: chosen.organisationId,
        planId: chosen.planId,
        version: chosen.number,
      });
      return {
        pupilId: id,
        childName: childName(child.pupil),
        schoolName: child.schoolName,
        version: chosen,
        sections,
        others: versions.filter((v) => v.versionId !== chosen.versionId),
        today: clock.today(),
      };
    },
  };
}

export type FamilyReading = ReturnType<typeof createFamilyReading>;
