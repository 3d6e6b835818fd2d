import type { Executor } from '../../db/client.ts';
import type { ehcRequest } from '../../db/schema/index.ts';
import { PLAN_STRATEGY_FIELD_LABELS, type PlanStrategyField } from '../../domain/agencies.ts';
import { effectiveNcYear } from '../../domain/calendar.ts';
import type { NeedCode } from '../../domain/census.ts';
import {
  addDays,
  formatDate,
  type IsoDate,
  parseIsoDate,
  todayInEngland,
  toIsoDate,
} from '../../domain/dates.ts';
import {
  type EvidencePack,
  leaveOut,
  PACK_FORMAT,
  PACK_VERSION,
  type PackPlan,
  type PackProvision,
  type PackReferral,
  type PackReport,
  type PackReview,
  type PackViews,
  packChecks,
} from '../../domain/ehc-pack.ts';
import { CONTEXT_FLAGS } from '../../domain/flags.ts';
import {
  PLAN_STATUS_LABELS,
  PROGRESS_LABELS,
  REVIEW_DECISION_LABELS,
  TARGET_OUTCOME_LABELS,
} from '../../domain/plans.ts';
import type { MeasureKind } from '../../domain/provision.ts';
import { MEASURE_LABELS } from '../../domain/provision.ts';
import { describeProgress, formatMeasure, progressOf } from '../../domain/provision-impact.ts';
import { pupilProvision, spellOf } from '../../domain/provision-summary.ts';
import { REFERRAL_STATUS_LABELS } from '../../domain/referrals.ts';
import type { SenStage } from '../../domain/register.ts';
import { recommendationsOfPupil, recommendationUsesOfPupil } from '../../repositories/agencies.ts';
import { localAuthorityOfSchool } from '../../repositories/cases.ts';
import {
  pupilForPack,
  referralsOfPupil,
  registerEntriesOfPupil,
  reportsOfPupil,
  reviewsOfPlans,
} from '../../repositories/ehc-pack.ts';
import { viewsOn } from '../../repositories/family-views.ts';
import { findProfile, plansOfPupil, targetsOfPlans } from '../../repositories/plans.ts';
import { provisionOfPupil } from '../../repositories/provision.ts';
import { findParent } from '../../repositories/pupils.ts';
import { activeStaffWithRole } from '../../repositories/staff.ts';
import { NotFoundError } from '../kernel/errors.ts';
import { thresholdFor } from '../provision/common.ts';

/*
 * The evidence pack of a request for an EHC needs assessment, assembled from the pupil's record
 * (docs/adr/0036, domain/ehc-pack.ts): the register's history and needs; every support plan of the last
 * two years with its targets, outcomes, reviews and the views given; the provision with its time,
 * dates, sessions held and attended, costs (provision-costs.ts, against the school's threshold) and
 * entry and exit measures (provision-impact.ts); the referrals, reports and recommendations with where
 * each was used; attendance and the contextual factors; the one-page profile; and the request's own
 * parts (the person completing it, the covering statement, the consent). The items the SENCo left out
 * are left out (`leaveOut`), and the reports marked recent and sufficient are marked so.
 *
 * It reads only: the caller authorises, and audits the read or the send, in its unit of work.
 */

/** The parts of a school's request the pack is made with (an `ehc_request` row has them all). */
export type PackRequest = Pick<
  typeof ehcRequest.$inferSelect,
  | 'id'
  | 'requestedBy'
  | 'parentId'
  | 'parentRequestNote'
  | 'coveringStatement'
  | 'leftOut'
  | 'adviceSufficient'
  | 'contactName'
  | 'contactRole'
  | 'contactEmail'
  | 'contactPhone'
  | 'consentParentId'
  | 'consentOn'
  | 'consentHow'
  | 'consentNote'
  | 'createdByName'
>;

export interface AssemblePackInput {
  schoolId: string;
  pupilId: string;
  request: PackRequest;
  /** The day the pack is built (or sent): the two years of evidence end on it. */
  today: IsoDate;
  /** Keep the items the SENCo left out (to show them with "leave this out" around them). */
  keepLeftOut?: boolean;
}

/** How far back the pack looks: two years to the day (29 February: the 28th). */
export function evidenceFrom(today: IsoDate): IsoDate {
  const { year, month, day } = parseIsoDate(today);
  return month === 2 && day === 29 ? toIsoDate(year - 2, 2, 28) : toIsoDate(year - 2, month, day);
}

/** The day in England a moment fell on (a plan closed at 11 pm in summer closed that day, not the next). */
const dateOf = (at: Date | string | null): IsoDate | null =>
  at === null ? null : todayInEngland(new Date(at));

export async function assemblePack(tx: Executor, input: AssemblePackInput): Promise<EvidencePack> {
  const { schoolId, pupilId, request, today } = input;
  const found = await pupilForPack(tx, schoolId, pupilId);
  if (!found) throw new NotFoundError('Pupil not found', { kind: 'pupil', id: pupilId });
  const from = evidenceFrom(today);
  // One statement after another: a transaction's connection runs one at a time (pg warns otherwise).
  const allPlans = await plansOfPupil(tx, schoolId, pupilId);
  const register = await registerEntriesOfPupil(tx, schoolId, pupilId);
  const spells = await provisionOfPupil(tx, schoolId, pupilId);
  const threshold = await thresholdFor(tx, schoolId);
  const referrals = await referralsOfPupil(tx, schoolId, pupilId);
  const reports = await reportsOfPupil(tx, schoolId, pupilId);
  const recommendations = await recommendationsOfPupil(tx, schoolId, pupilId);
  const uses = await recommendationUsesOfPupil(tx, schoolId, pupilId);
  const profile = await findProfile(tx, schoolId, pupilId);
  const sencos = await activeStaffWithRole(tx, schoolId, 'senco');
  const la = await localAuthorityOfSchool(tx, schoolId);
  const requestingParent = request.parentId
    ? await findParent(tx, schoolId, pupilId, request.parentId)
    : null;
  // The parents' views on this request given online (docs/adr/0039), each in their own words.
  const onlineViews: PackViews[] = (await viewsOn(tx, schoolId, pupilId, 'ehc_request', request.id)).map(
    (v) => ({
      key: `views:${v.id}:parents`,
      givenOn: dateOf(v.givenAt) ?? today,
      context: `Given online by ${v.givenByName} for this request`,
      text: v.body,
    }),
  );
  const consentParent = request.consentParentId
    ? await findParent(tx, schoolId, pupilId, request.consentParentId)
    : null;
  const p = found.pupil;

  // Plans: agreed ones (not drafts) in place at any time in the last two years: still open, or ended
  // (closed, or last reviewed) on or after the day two years ago.
  const allReviews = await reviewsOfPlans(
    tx,
    schoolId,
    allPlans.map((pl) => pl.id),
  );
  const reviewsOf = (planId: string) => allReviews.filter((r) => r.planId === planId);
  const endOf = (planId: string, closedAt: Date | null) =>
    dateOf(closedAt) ?? reviewsOf(planId).at(-1)?.heldOn ?? null;
  const plans = allPlans.filter((pl) => {
    if (pl.status === 'draft') return false;
    // A draft closed unused was never agreed nor reviewed: not evidence of support.
    if (pl.status === 'closed' && pl.agreedOn === null && reviewsOf(pl.id).length === 0) return false;
    const end = endOf(pl.id, pl.closedAt);
    return pl.status !== 'closed' || (end ?? pl.startDate ?? '') >= from;
  });
  const targets = await targetsOfPlans(
    tx,
    schoolId,
    plans.map((pl) => pl.id),
  );
  const cycleOf = new Map(allPlans.map((pl) => [pl.id, pl.cycle]));
  const planViews: { parents: PackViews[]; child: PackViews[] } = { parents: [], child: [] };
  const views = (
    id: string,
    who: 'parents' | 'child',
    givenOn: IsoDate,
    context: string,
    text: string | null,
  ) => {
    if (text?.trim()) planViews[who].push({ key: `views:${id}:${who}`, givenOn, context, text });
  };

  const packPlans: PackPlan[] = plans.map((pl) => {
    const startedOn = pl.startDate ?? pl.agreedOn ?? dateOf(pl.createdAt) ?? today;
    views(pl.id, 'parents', startedOn, `Support plan ${pl.cycle}, when it was written`, pl.parentsViews);
    views(pl.id, 'child', startedOn, `Support plan ${pl.cycle}, when it was written`, pl.pupilViews);
    const reviews: PackReview[] = reviewsOf(pl.id).map((r) => {
      const context = `The review of support plan ${pl.cycle} on ${formatDate(r.heldOn)}`;
      views(r.id, 'parents', r.heldOn, context, r.parentsViews);
      views(r.id, 'child', r.heldOn, context, r.pupilViews);
      const progress = PROGRESS_LABELS[r.progress] ?? r.progress;
      return {
        key: `review:${r.id}`,
        reviewedOn: r.heldOn,
        progress,
        outcome: r.decisionNotes?.trim() ? `${progress}. ${r.decisionNotes.trim()}` : progress,
        decisions: [
          REVIEW_DECISION_LABELS[r.decision] ?? r.decision,
          ...(r.extendedTo ? [`Extended to ${formatDate(r.extendedTo)}`] : []),
        ],
        pupilViews: r.pupilViews?.trim() || null,
        parentViews: r.parentsViews?.trim() || null,
      };
    });
    const strategies = (
      [
        ['qualityFirst', pl.qualityFirst],
        ['interventions', pl.interventions],
        ['taSupport', pl.taSupport],
      ] as [PlanStrategyField, string | null][]
    )
      .filter(([, text]) => text?.trim())
      .map(([field, text]) => `${PLAN_STRATEGY_FIELD_LABELS[field]}: ${text?.trim()}`);
    if (pl.resources?.trim()) strategies.push(`Resources: ${pl.resources.trim()}`);
    const about = [
      { label: 'Strengths', text: pl.strengths },
      { label: 'Areas of concern', text: pl.areasOfConcern },
      { label: 'Desired outcomes', text: pl.desiredOutcomes },
    ].flatMap((a) => (a.text?.trim() ? [{ label: a.label, text: a.text.trim() }] : []));
    return {
      key: `plan:${pl.id}`,
      cycle: pl.cycle,
      startedOn,
      reviewDueOn: pl.reviewDate,
      closedOn: dateOf(pl.closedAt),
      status: PLAN_STATUS_LABELS[pl.status] ?? pl.status,
      needAreas: [...pl.needAreas],
      about,
      targets: targets
        .filter((t) => t.planId === pl.id)
        .map((t) => ({
          text: t.target,
          area: t.area,
          source: t.source,
          outcome: t.outcome ? TARGET_OUTCOME_LABELS[t.outcome] : null,
          evidence: t.outcomeEvidence,
        })),
      strategies,
      review: reviews.at(-1) ?? null,
      earlierReviews: reviews.slice(0, -1),
    };
  });

  // Each spell's cost this year (the academic year), as the pupil's page shows it: the rows add up to
  // the costs' total, which is the year's planned cost against the threshold.
  const provisionNow = pupilProvision(spells, threshold, today);
  const costThisYear = new Map(
    [...provisionNow.current, ...provisionNow.past].map((r) => [r.memberId, r.costThisYear]),
  );
  // Provision: every spell in a group that ran in the last two years, oldest first.
  const provision: PackProvision[] = spells
    .map((item) => {
      const spell = spellOf(item);
      const own = spell.group.members.find((m) => m.id === item.memberId);
      const start = [item.joinedOn, item.startDate].sort().at(-1) as IsoDate;
      const end = [own?.leftOn ?? item.leftOn, item.endDate, item.leftSchoolOn]
        .filter((d): d is IsoDate => d !== null)
        .sort()
        .at(0);
      return { item, spell, start, end: end ?? null };
    })
    .filter((s) => (s.end === null || s.end >= from) && s.start <= today)
    .sort((a, b) =>
      a.start === b.start ? a.item.groupName.localeCompare(b.item.groupName) : a.start < b.start ? -1 : 1,
    )
    .map(({ item, spell, start, end }) => {
      const kind = item.measureKind as MeasureKind;
      const measured = item.entryMeasure !== null || item.exitMeasure !== null;
      const progress = progressOf(kind, {
        entry: item.entryMeasure,
        entryOn: item.entryMeasuredOn,
        exit: item.exitMeasure,
        exitOn: item.exitMeasuredOn,
      });
      const overlapping = spell.group.members.filter(
        (m) => m.joinedOn <= (end ?? today) && (m.leftOn === null || m.leftOn >= start),
      );
      return {
        key: `provision:${item.memberId}`,
        intervention: item.interventionName,
        area: (item.area as PackProvision['area']) ?? null,
        groupName: item.groupName,
        deliveredBy: item.delivererName || null,
        from: start,
        to: end,
        minutesPerWeek: item.sessionsPerWeek * item.minutesPerSession,
        groupSize: Math.max(1, new Set(overlapping.map((m) => m.id)).size),
        sessionsHeld: item.sessionsHeld,
        sessionsAttended: item.attended,
        costPence: costThisYear.get(item.memberId) ?? 0,
        impact: measured
          ? {
              measure: item.measureName ?? MEASURE_LABELS[kind] ?? item.measureKind,
              entry: item.entryMeasure === null ? null : formatMeasure(kind, item.entryMeasure),
              exit: item.exitMeasure === null ? null : formatMeasure(kind, item.exitMeasure),
              change: progress ? describeProgress(kind, progress.change, true) : null,
            }
          : null,
      };
    });
  const costs = provisionNow.costs;

  // Agencies: each referral with the reports that came back on it; reports held without one.
  const sufficient = new Set(request.adviceSufficient);
  const planUse = (planId: string | null) =>
    `support plan ${planId ? (cycleOf.get(planId) ?? '') : ''}`.trim();
  const usedIn = (recommendationId: string) => {
    const list = uses
      .filter((u) => u.recommendationId === recommendationId)
      .map((u) =>
        u.usedAs === 'target'
          ? `A target in ${planUse(u.planId)}`
          : u.usedAs === 'strategy'
            ? `A strategy in ${planUse(u.planId)}${u.planField ? ` (${PLAN_STRATEGY_FIELD_LABELS[u.planField].toLowerCase()})` : ''}`
            : `Provision: ${u.groupName ?? 'a group'}`,
      );
    return list.length ? [...new Set(list)].join('; ') : null;
  };
  const serviceKindOf = new Map(referrals.map((r) => [r.id, r.serviceKind]));
  const packReport = (r: (typeof reports)[number]): PackReport => ({
    key: `report:${r.id}`,
    service: r.agencyName,
    serviceKind: (r.referralId && serviceKindOf.get(r.referralId)) || null,
    author: r.authorRole ? `${r.authorName}, ${r.authorRole}` : r.authorName,
    writtenOn: r.writtenOn,
    title: r.title,
    summary: r.summary?.trim() || null,
    sufficient: sufficient.has(`report:${r.id}`),
    recommendations: recommendations
      .filter((x) => x.report.id === r.id)
      .map((x) => ({
        text: x.recommendation.text,
        area: x.recommendation.area,
        usedIn: usedIn(x.recommendation.id),
      })),
  });
  // A referral never sent, with no report back, is not the agency's involvement.
  const involved = referrals.filter((r) => r.sentOn !== null || reports.some((x) => x.referralId === r.id));
  const packReferrals: PackReferral[] = involved.map((r) => ({
    service: r.agencyName,
    serviceKind: r.serviceKind,
    question: r.question,
    sentOn: r.sentOn,
    status: REFERRAL_STATUS_LABELS[r.status] ?? r.status,
    reports: reports.filter((x) => x.referralId === r.id).map(packReport),
  }));
  const referralIds = new Set(involved.map((r) => r.id));
  const otherReports = reports.filter((x) => !x.referralId || !referralIds.has(x.referralId)).map(packReport);

  // The register's history as periods at each stage, with the needs recorded (of two changes on one day,
  // the one recorded last).
  const changes = register.filter((e, i) => register[i + 1]?.effectiveDate !== e.effectiveDate);
  const registerHistory = changes.map((e, i) => {
    const next = changes[i + 1];
    return {
      stage: e.stage,
      from: e.effectiveDate,
      to: next ? addDays(next.effectiveDate, -1) : null,
      needs: [e.primaryNeed, e.secondaryNeed].filter((n): n is NeedCode => n !== null),
    };
  });
  const latestPlan = packPlans.at(-1);
  const byDate = (a: PackViews, b: PackViews) => (a.givenOn < b.givenOn ? -1 : a.givenOn > b.givenOn ? 1 : 0);

  const pack: EvidencePack = {
    format: PACK_FORMAT,
    version: PACK_VERSION,
    requestId: request.id,
    preparedOn: today,
    requestedBy: request.requestedBy,
    parentRequest: request.parentRequestNote?.trim() || null,
    requestingParent: requestingParent
      ? { name: requestingParent.name, relationship: requestingParent.relationship }
      : null,
    completedBy: {
      name: request.contactName?.trim() || request.createdByName,
      role: request.contactRole?.trim() || null,
      email: request.contactEmail?.trim() || null,
      phone: request.contactPhone?.trim() || null,
    },
    checklist: [],
    child: {
      upn: p.upn,
      forename: p.forename,
      surname: p.surname,
      preferredName: p.preferredName,
      birthDate: p.dateOfBirth,
      sex: p.sex === 'female' ? 'F' : 'M',
      ncYear: effectiveNcYear(p.dateOfBirth, p.ncYearOverride, today, found.school.rolledOverTo),
      senProvision: p.senStage as SenStage,
      senTypes: [
        ...(p.primaryNeed ? [{ senType: p.primaryNeed, senTypeRank: 1 }] : []),
        ...(p.secondaryNeed ? [{ senType: p.secondaryNeed, senTypeRank: 2 }] : []),
      ],
      contextFactors: CONTEXT_FLAGS.filter((f) => p[f]),
      attendancePercent: p.attendancePercent,
      medicalNotes: p.medicalNotes?.trim() || null,
    },
    school: {
      name: found.school.name,
      urn: found.school.urn || null,
      laCode: found.school.laCode || null,
      senco: sencos[0]?.name ?? null,
      localAuthority: la?.name ?? null,
    },
    intervention: {
      registerHistory,
      plans: packPlans,
      provision,
      costs: {
        academicYear: costs.academic.label,
        totalPence: costs.academic.pence,
        thresholdPence: threshold.thresholdPence,
        aboveThreshold: costs.academic.status === 'over',
      },
    },
    need: {
      referrals: packReferrals,
      otherReports,
      summary: latestPlan?.about.find((a) => a.label === 'Areas of concern')?.text ?? null,
    },
    parentsViews: [...planViews.parents, ...onlineViews].sort(byDate),
    childsViews: {
      profile:
        profile &&
        (profile.likeAndAdmire?.trim() || profile.importantToMe?.trim() || profile.howToSupportMe?.trim())
          ? {
              key: 'profile',
              likeAndAdmire: profile.likeAndAdmire?.trim() || null,
              importantToMe: profile.importantToMe?.trim() || null,
              howToSupportMe: profile.howToSupportMe?.trim() || null,
            }
          : null,
      views: planViews.child.sort(byDate),
    },
    moreInformation: { coveringStatement: request.coveringStatement?.trim() || null, leftOutCount: 0 },
    consent:
      request.consentOn && request.consentHow && consentParent
        ? {
            parentName: consentParent.name,
            relationship: consentParent.relationship,
            givenOn: request.consentOn,
            how: request.consentHow,
            note: request.consentNote?.trim() || null,
          }
        : null,
  };
  if (input.keepLeftOut) return { ...pack, checklist: packChecks(pack) };
  return leaveOut(pack, request.leftOut);
}
