import type { AreaOfNeed, NeedCode } from './census.ts';
import type { IsoDate } from './dates.ts';
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
 * Every item a SENCo may leave out has a `key` ("plan:<id>", "review:<id>", "provision:<id>",
 * "report:<id>", "views:<id>", "profile"): the request keeps the keys left out, and the pack as built
 * for sending leaves those items out.
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

export interface PackCheck {
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
  /** What the review concluded and decided. */
  outcome: string;
  decisions: string[];
  pupilViews: string | null;
  parentViews: string | null;
}

export interface PackPlan {
  key: string;
  startedOn: IsoDate;
  reviewDueOn: IsoDate | null;
  status: string;
  targets: PackTarget[];
  strategies: string[];
  review: PackReview | null;
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
  author: string | null;
  receivedOn: IsoDate;
  title: string;
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
  school: { name: string; urn: string | null; senco: string | null; localAuthority: string | null };
  intervention: {
    registerHistory: { stage: SenStage; from: IsoDate; to: IsoDate | null; needs: NeedCode[] }[];
    plans: PackPlan[];
    provision: PackProvision[];
    /** This academic year's costed provision against the school's threshold (element 2). */
    costs: { academicYear: string; totalPence: number; thresholdPence: number; aboveThreshold: boolean };
  };
  need: {
    referrals: PackReferral[];
    /** The one-page profile's description of the child's needs and what helps (EHC plan section B in time). */
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
