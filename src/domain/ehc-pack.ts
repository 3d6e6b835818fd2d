import type { ServiceKind } from './agencies.ts';
import type { AreaOfNeed, NeedCode } from './census.ts';
import { formatDate, type IsoDate } from './dates.ts';
import type { AssessmentConsentHow, RequestedBy } from './ehc.ts';
import type { ContextFlag } from './flags.ts';
import type { SenStage } from './register.ts';

/*
 * The school's request for an EHC needs assessment as data: the evidence pack (docs/adr/0036). It is
 * assembled from the pupil's record (services/ehc/pack.ts), laid out in the sections local authorities'
 * request forms use, and published as an open, versioned format: the JSON Schema in
 * docs/schemas/ehc-request-pack.v1.schema.json describes exactly this shape, and every pack the tests
 * produce is validated against it. Item names follow the DfE's SEN2 return where SEN2 has the item
 * (upn, forename, surname, birthDate, sex, senType with senTypeRank, receivedDate) and the EHC plan's
 * sections where the item will feed one (A views, B needs, K advice).
 *
 * Every item a SENCo may leave out has a `key` ("plan:<id>", "review:<id>", "provision:<id>" (the
 * pupil's spell in a group: its group membership's id), "report:<id>", "views:<id>:parents" and
 * "views:<id>:child" (the views given at a review, or written into a plan, by its id), "profile"): the
 * request keeps the keys left out, and the pack as built for sending leaves those items out
 * (`leaveOut`). Leaving a plan out leaves out its reviews; leaving a review out leaves out the views
 * given at it.
 */

export const PACK_FORMAT = 'opensend.ehc-request-pack';
export const PACK_VERSION = '1.0.0';

/** The sections of the pack, in the order local authorities' forms use, with their headings. */
export const PACK_SECTIONS = {
  completedBy: '1. The person completing this request',
  checklist: '2. Evidence checklist',
  childAndSchool: '3. The child and the school',
  intervention: '4. Evidence of intervention over time',
  need: '5. Evidence of need',
  parentsViews: '6. The parents’ views',
  childsViews: '7. The child’s views',
  moreInformation: '8. More information',
  consent: '9. Consent and signatures',
} as const;
export type PackSection = keyof typeof PACK_SECTIONS;

/** The checks of a pack's completeness, by key (stable: a page may refer to one). */
export const PACK_CHECKS = {
  reviewed_plans: 'Two or more support plans, each reviewed',
  baseline: 'A baseline: entry measures for the support given',
  costed_provision: 'Provision with its costs',
  educational_psychologist: 'Advice from an educational psychologist',
  parents_views: 'The parents’ views',
  childs_views: 'The child’s views',
  consent: 'The parents’ consent to the request',
} as const;
export type PackCheckKey = keyof typeof PACK_CHECKS;

export interface PackCheck {
  key: PackCheckKey;
  /** What LAs commonly expect ("two or more reviewed support plans"). */
  expectation: string;
  met: boolean;
  /** What is held, or what is missing and how to put it right. */
  detail: string;
}

export interface PackTarget {
  text: string;
  area: AreaOfNeed | null;
  /** Where it came from: the school, or an outside agency's recommendation ("Speech and language therapy, March 2026"). */
  source: string | null;
  /** At the review: achieved, partly achieved, not achieved; with the evidence. */
  outcome: string | null;
  evidence: string | null;
}

export interface PackReview {
  key: string;
  reviewedOn: IsoDate;
  /** The progress judged at the review ("Less than expected"). */
  progress: string;
  /** What the review concluded and decided: the progress judged and the notes of the decision. */
  outcome: string;
  decisions: string[];
  pupilViews: string | null;
  parentViews: string | null;
}

export interface PackPlan {
  key: string;
  /** The plan's number in the pupil's cycles of assess, plan, do, review (1 the first). */
  cycle: number;
  startedOn: IsoDate;
  reviewDueOn: IsoDate | null;
  /** The day it closed, if it has. */
  closedOn: IsoDate | null;
  status: string;
  needAreas: AreaOfNeed[];
  /** What the plan said of the child: strengths, concerns and the outcomes sought (labelled). */
  about: { label: string; text: string }[];
  targets: PackTarget[];
  /** The plan's strategies and support, each labelled ("Quality-first teaching: …"). */
  strategies: string[];
  /** The review that concluded the plan (the latest), and any earlier ones (a plan extended). */
  review: PackReview | null;
  earlierReviews: PackReview[];
}

export interface PackProvision {
  key: string;
  intervention: string;
  area: AreaOfNeed | null;
  groupName: string;
  deliveredBy: string | null;
  from: IsoDate;
  to: IsoDate | null;
  minutesPerWeek: number;
  groupSize: number;
  sessionsHeld: number;
  sessionsAttended: number;
  /** The cost of the pupil's share over the period shown, in pence. */
  costPence: number;
  /** Entry and exit measures and the change, where the group measured them. */
  impact: { measure: string; entry: string | null; exit: string | null; change: string | null } | null;
}

export interface PackReport {
  key: string;
  service: string;
  /** The kind of service, from the referral it answered (null for a report held without a referral). */
  serviceKind: ServiceKind | null;
  /** The author and their role ("Jo Carter, speech and language therapist"). */
  author: string | null;
  writtenOn: IsoDate;
  title: string;
  summary: string | null;
  /** Marked by the SENCo as recent and sufficient: the LA need not seek this advice again (reg 6(4)). */
  sufficient: boolean;
  recommendations: { text: string; area: AreaOfNeed | null; usedIn: string | null }[];
}

export interface PackReferral {
  service: string;
  serviceKind: string;
  question: string;
  sentOn: IsoDate | null;
  status: string;
  reports: PackReport[];
}

export interface PackViews {
  key: string;
  givenOn: IsoDate;
  /** Where the views were given ("review of the plan of March 2026", "the parent's own request"). */
  context: string;
  text: string;
}

export interface EvidencePack {
  format: typeof PACK_FORMAT;
  version: typeof PACK_VERSION;
  /** The school's request id, and the day the pack was built (or sent). */
  requestId: string;
  preparedOn: IsoDate;
  requestedBy: RequestedBy;
  /** A parent's request in their own words, when it is theirs. */
  parentRequest: string | null;
  /** The parent or carer who asked for the assessment, when the request is theirs (or who it was made with). */
  requestingParent: { name: string; relationship: string } | null;
  completedBy: { name: string; role: string | null; email: string | null; phone: string | null };
  checklist: PackCheck[];
  child: {
    upn: string;
    forename: string;
    surname: string;
    preferredName: string | null;
    birthDate: IsoDate;
    sex: 'F' | 'M';
    ncYear: number;
    /** The SEN register stage (census code: K SEN support, E EHC plan). */
    senProvision: SenStage;
    /** Needs in SEN2's form: the census code with its rank (1 primary, 2 secondary). */
    senTypes: { senType: NeedCode; senTypeRank: number }[];
    contextFactors: ContextFlag[];
    attendancePercent: number | null;
    medicalNotes: string | null;
  };
  school: {
    name: string;
    urn: string | null;
    /** The DfE's three-digit local authority code. */
    laCode: string | null;
    senco: string | null;
    localAuthority: string | null;
  };
  intervention: {
    registerHistory: { stage: SenStage; from: IsoDate; to: IsoDate | null; needs: NeedCode[] }[];
    plans: PackPlan[];
    provision: PackProvision[];
    /** This academic year's costed provision against the school's threshold (element 2). */
    costs: { academicYear: string; totalPence: number; thresholdPence: number; aboveThreshold: boolean };
  };
  need: {
    referrals: PackReferral[];
    /** Agency reports the school holds that did not come back on a referral made in OpenSEND. */
    otherReports: PackReport[];
    /** The child's needs as the latest support plan describes them (EHC plan section B in time). */
    summary: string | null;
  };
  parentsViews: PackViews[];
  childsViews: {
    /** The one-page profile in the child's words (EHC plan section A in time). */
    profile: {
      key: string;
      likeAndAdmire: string | null;
      importantToMe: string | null;
      howToSupportMe: string | null;
    } | null;
    views: PackViews[];
  };
  moreInformation: { coveringStatement: string | null; leftOutCount: number };
  consent: {
    parentName: string;
    relationship: string;
    givenOn: IsoDate;
    how: AssessmentConsentHow;
    note: string | null;
  } | null;
}

/** A leavable item of a pack: its key, the section it is in, and what a SENCo sees it as. */
export interface PackItem {
  key: string;
  section: PackSection;
  label: string;
}

/** Every item of a pack a SENCo may leave out, in the pack's order. */
export function packItems(pack: EvidencePack): PackItem[] {
  const items: PackItem[] = [];
  for (const plan of pack.intervention.plans) {
    items.push({
      key: plan.key,
      section: 'intervention',
      label: `Support plan ${plan.cycle}, from ${formatDate(plan.startedOn)}`,
    });
    for (const review of [...plan.earlierReviews, ...(plan.review ? [plan.review] : [])])
      items.push({
        key: review.key,
        section: 'intervention',
        label: `Review of support plan ${plan.cycle} on ${formatDate(review.reviewedOn)}`,
      });
  }
  for (const p of pack.intervention.provision)
    items.push({
      key: p.key,
      section: 'intervention',
      label: `${p.intervention} (${p.groupName}), from ${formatDate(p.from)}`,
    });
  for (const report of [...pack.need.referrals.flatMap((r) => r.reports), ...pack.need.otherReports])
    items.push({
      key: report.key,
      section: 'need',
      label: `${report.title}, ${report.service}, ${formatDate(report.writtenOn)}`,
    });
  for (const v of pack.parentsViews)
    items.push({ key: v.key, section: 'parentsViews', label: `The parents’ views: ${v.context}` });
  if (pack.childsViews.profile)
    items.push({ key: pack.childsViews.profile.key, section: 'childsViews', label: 'The one-page profile' });
  for (const v of pack.childsViews.views)
    items.push({ key: v.key, section: 'childsViews', label: `The child’s views: ${v.context}` });
  // Each label names its item alone: items that would read the same are numbered.
  const same = new Map<string, number>();
  for (const i of items) same.set(i.label, (same.get(i.label) ?? 0) + 1);
  const seen = new Map<string, number>();
  return items.map((i) => {
    const total = same.get(i.label) ?? 1;
    if (total === 1) return i;
    const n = (seen.get(i.label) ?? 0) + 1;
    seen.set(i.label, n);
    return { ...i, label: `${i.label} (${n} of ${total})` };
  });
}

/**
 * The pack without the items whose keys are given (what is sent): a plan left out takes its reviews with
 * it, a review the views given at it. Keys that name no item are ignored; `leftOutCount` counts the items
 * that went. The checklist is made again for what remains.
 */
export function leaveOut(pack: EvidencePack, keys: readonly string[]): EvidencePack {
  const out = new Set(keys);
  const present = new Set(packItems(pack).map((i) => i.key));
  const gone = new Set([...out].filter((k) => present.has(k)));
  const reviewKeysOf = (plan: PackPlan) => [...plan.earlierReviews, ...(plan.review ? [plan.review] : [])];
  // Reviews gone with their plan, and the views given at a review (or written in a plan) gone with it.
  const goneOwners = new Set<string>();
  for (const plan of pack.intervention.plans) {
    const planGone = gone.has(plan.key);
    if (planGone) goneOwners.add(plan.key.slice('plan:'.length));
    for (const r of reviewKeysOf(plan))
      if (planGone || gone.has(r.key)) goneOwners.add(r.key.slice('review:'.length));
  }
  const keepView = (v: PackViews) => !gone.has(v.key) && !goneOwners.has(ownerOfViews(v.key));
  const keepReview = (r: PackReview) => !gone.has(r.key);
  const viewsOf = (r: PackReview): PackReview => ({
    ...r,
    pupilViews: gone.has(`views:${r.key.slice('review:'.length)}:child`) ? null : r.pupilViews,
    parentViews: gone.has(`views:${r.key.slice('review:'.length)}:parents`) ? null : r.parentViews,
  });
  const keepReport = (r: PackReport) => !gone.has(r.key);
  const profile =
    pack.childsViews.profile && !gone.has(pack.childsViews.profile.key) ? pack.childsViews.profile : null;
  const kept: EvidencePack = {
    ...pack,
    intervention: {
      ...pack.intervention,
      plans: pack.intervention.plans
        .filter((p) => !gone.has(p.key))
        .map((p) => ({
          ...p,
          review: p.review && keepReview(p.review) ? viewsOf(p.review) : null,
          earlierReviews: p.earlierReviews.filter(keepReview).map(viewsOf),
        })),
      provision: pack.intervention.provision.filter((p) => !gone.has(p.key)),
    },
    need: {
      ...pack.need,
      referrals: pack.need.referrals.map((r) => ({ ...r, reports: r.reports.filter(keepReport) })),
      otherReports: pack.need.otherReports.filter(keepReport),
    },
    parentsViews: pack.parentsViews.filter(keepView),
    childsViews: { profile, views: pack.childsViews.views.filter(keepView) },
    moreInformation: { ...pack.moreInformation, leftOutCount: pack.moreInformation.leftOutCount + gone.size },
  };
  return { ...kept, checklist: packChecks(kept) };
}

/** "views:<id>:parents" → "<id>" */
function ownerOfViews(key: string): string {
  return key.split(':')[1] ?? '';
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * What local authorities commonly expect of a request, each met or not, with what is held or how to put
 * it right (the SEND Code of Practice 9.14 and LA request forms): two or more reviewed cycles of support,
 * a baseline, costed provision, an educational psychologist's advice, the parents' and the child's views,
 * and the parents' consent.
 */
export function packChecks(pack: EvidencePack): PackCheck[] {
  const check = (key: PackCheckKey, met: boolean, detail: string): PackCheck => ({
    key,
    expectation: PACK_CHECKS[key],
    met,
    detail,
  });
  const reviewed = pack.intervention.plans.filter((p) => p.review !== null).length;
  const measured = pack.intervention.provision.filter((p) => p.impact?.entry != null).length;
  const costed = pack.intervention.provision.filter((p) => p.costPence > 0).length;
  const reports = [...pack.need.referrals.flatMap((r) => r.reports), ...pack.need.otherReports];
  const ep = reports.filter((r) => r.serviceKind === 'educational_psychology');
  const parentsViews = pack.parentsViews.length + (pack.parentRequest ? 1 : 0);
  const childsViews = pack.childsViews.views.length + (pack.childsViews.profile ? 1 : 0);
  return [
    check(
      'reviewed_plans',
      reviewed >= 2,
      reviewed >= 2
        ? `${plural(reviewed, 'reviewed plan', 'reviewed plans')} in the pack`
        : `${reviewed === 0 ? 'No reviewed plan' : 'Only one reviewed plan'} in the pack: local authorities usually ask for two to four reviewed cycles of SEN support`,
    ),
    check(
      'baseline',
      measured > 0,
      measured > 0
        ? `Entry measures for ${plural(measured, 'intervention', 'interventions')}`
        : 'No entry measure is recorded for any intervention: record the entry (and exit) measures on the provision map',
    ),
    check(
      'costed_provision',
      costed > 0,
      costed > 0
        ? `${plural(costed, 'intervention', 'interventions')} with costs; this year ${pack.intervention.costs.academicYear}`
        : 'No provision with a cost in the pack: add the pupil’s interventions to the provision map',
    ),
    check(
      'educational_psychologist',
      ep.length > 0,
      ep.length > 0
        ? `${ep.map((r) => `${r.title} (${formatDate(r.writtenOn)})`).join('; ')}`
        : 'No educational psychologist’s advice in the pack: the local authority will seek it, or refer the pupil first',
    ),
    check(
      'parents_views',
      parentsViews > 0,
      parentsViews > 0
        ? `${plural(parentsViews, 'record', 'records')} of the parents’ views`
        : 'No parents’ views in the pack: record them at a review or ask the parents to write them',
    ),
    check(
      'childs_views',
      childsViews > 0,
      childsViews > 0
        ? `${plural(childsViews, 'record', 'records')} of the child’s views${pack.childsViews.profile ? ', with the one-page profile' : ''}`
        : 'No views of the child in the pack: record them at a review or write the one-page profile with them',
    ),
    check(
      'consent',
      pack.consent !== null,
      pack.consent
        ? `Given by ${pack.consent.parentName} on ${formatDate(pack.consent.givenOn)}`
        : 'No consent recorded: record the parent’s consent to the request before it is sent',
    ),
  ];
}
