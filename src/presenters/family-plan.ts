import { formatDate, type IsoDate, parseIsoDate } from '../domain/dates.ts';
import type { PlanVersionReason, PlanVersionStage } from '../domain/ehc-plan.ts';
import { FAMILY_WORDS } from '../domain/family-words.ts';
import type { LetterKind, SentVia } from '../domain/letters.ts';
import { SENT_VIA_IN_TEXT } from '../domain/letters.ts';
import type { PlanStatus, ProgressJudgement, ReviewDecision, TargetOutcome } from '../domain/plans.ts';
import { DELIVERER_IN_TEXT, type DelivererKind } from '../domain/provision.ts';

/*
 * What a parent reads (docs/adr/0039), in plain English: every sentence OpenSEND itself writes for the
 * family's reading pages is here (FAMILY_READING_TEXT), so the readability test (family-plan.test.ts)
 * scores exactly these words, page by page; the school's own words (a target, a letter, the council's
 * plan) are shown as the school wrote them, introduced by these. No web imports: the page models for
 * the plan, the earlier plans, the letters and the EHC plan are shaped here.
 */

/** "Friday 18 December 2026": a day a parent must act by is easier to hold with its weekday. */
export function dayAndDate(date: IsoDate): string {
  const { year, month, day } = parseIsoDate(date);
  const weekday = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][
    new Date(Date.UTC(year, month - 1, day)).getUTCDay()
  ];
  return `${weekday} ${formatDate(date)}`;
}

/** How often, for families: "3 times a week, for 20 minutes each time". */
export function howOftenText(sessionsPerWeek: number, minutesPerSession: number): string {
  const times = sessionsPerWeek === 1 ? 'Once a week' : `${sessionsPerWeek} times a week`;
  return `${times}, for ${minutesPerSession} minutes each time`;
}

const TITLES = /^(mr|mrs|miss|ms|mx|dr)\.?$/i;

/**
 * Who runs a group, as the school shows parents: the role, with the adult's first name (or title and
 * surname, "Mrs Patel", when the school writes their name that way); an outside agency by its name.
 */
export function whoHelpsText(
  delivererKind: string,
  delivererName: string | null,
  agency: string | null = null,
): string {
  const role = DELIVERER_IN_TEXT[delivererKind as DelivererKind] ?? 'an adult at the school';
  if (delivererKind === 'external') return agency?.trim() ? `${agency.trim()} (${role})` : capitalise(role);
  const parts = (delivererName ?? '').trim().split(/\s+/).filter(Boolean);
  const name = parts.length === 0 ? '' : TITLES.test(parts[0]!) ? parts.join(' ') : parts[0]!;
  return name ? `${name}, ${role}` : capitalise(role);
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const FAMILY_PROGRESS: Record<ProgressJudgement, string> = {
  better_than_expected: 'Your child made more progress than the school hoped.',
  as_expected: 'Your child made the progress the school hoped for.',
  less_than_expected: 'Your child made some progress, but less than the school hoped.',
  no_progress: 'Your child has not yet made the progress the school hoped for.',
};

const FAMILY_DECISIONS: Record<ReviewDecision, string> = {
  new_plan: 'The school wrote a new plan. Targets not yet met were carried into it.',
  extend: 'The plan was kept going, with a new date to check it.',
  monitoring: 'Your child did not need a plan any more. The school still keeps an eye on how they are doing.',
  leave_register: 'Your child did not need SEN support any more, so the plan ended.',
  involve_agency: 'The school asked an outside agency to help, and wrote a new plan.',
  top_up_funding: 'The school asked for more money to pay for extra help, and wrote a new plan.',
  ehc_request: 'The school asked the council for an EHC needs assessment, and wrote a new plan.',
};

const FAMILY_TARGET_OUTCOMES: Record<TargetOutcome, string> = {
  achieved: 'Done',
  partly_achieved: 'Partly done',
  not_achieved: 'Not done yet',
};

const FAMILY_LETTER_SUBJECTS: Record<LetterKind, string> = {
  register_placement: 'Your child will get SEN support',
  review_invitation: 'Come to a meeting to review the plan',
  plan_shared: 'A new support plan',
  leaving_register: 'Your child no longer needs SEN support',
  other: 'A letter from the school',
};

/** Every sentence OpenSEND writes on the family's reading pages, by page. */
export const FAMILY_READING_TEXT = {
  plan: {
    title: 'Support plan',
    agreed: (name: string, on: IsoDate | null) =>
      on
        ? `This is the plan the school agreed for ${name} on ${formatDate(on)}. It says what the school is working on, and how.`
        : `This is the plan the school agreed for ${name}. It says what the school is working on, and how.`,
    beingReviewed: 'The school is checking how this plan went. It stays in place until the review is done.',
    hopesHeading: 'What we all hope for',
    targetsHeading: 'What the school is working on',
    targetsIntro: 'These are the targets. They are written in the school’s own words.',
    target: (n: number) => `Target ${n}`,
    criteria: 'How the school will know it is done',
    how: 'How the school will help',
    inClassHeading: 'How the school helps',
    inClass: {
      qualityFirst: 'In every lesson',
      interventions: 'Extra sessions',
      taSupport: 'Help from an adult',
      resources: 'Things that help',
    },
    provisionHeading: 'Who helps, and how often',
    provisionIntro: 'These are the groups and sessions your child goes to now.',
    provisionNone: 'Your child is not in an extra group right now. The help in class is set out above.',
    provisionNotRecorded:
      'The school has not listed a group or session here yet. The extra help in the plan is set out above.',
    ownWordsIntro:
      'What your child said or chose, written down with an adult at school. These are their own words.',
    howOften: 'How often',
    whoHelps: 'Who runs it',
    since: 'Started',
    startsLater: 'This has not started yet.',
    reviewHeading: 'When the plan will be checked',
    reviewOn: (date: IsoDate) =>
      `The school will look at how the plan is going on or near ${dayAndDate(date)}. They will ask for your views.`,
    reviewNotSet: 'The school will tell you when it will check the plan.',
    homeHeading: 'How you can help at home',
    homeNone: 'The plan does not say yet. Ask the class teacher or the SENCo what would help at home.',
    noPlan: (name: string) => `${name} does not have a support plan in place right now.`,
    noPlanNext:
      'If the school thinks a plan would help, it will talk to you first. Once you have agreed it together, you can read it here.',
    talk: 'If you are worried, you can talk to the class teacher or the SENCo at any time.',
    earlierLink: 'Earlier plans and how they went',
    wordsHeading: 'What the words mean',
    wordQuestion: (word: string) => `What does “${word.toLowerCase()}” mean?`,
  },
  plans: {
    title: 'Earlier plans',
    intro: (name: string) =>
      `These are the plans ${name} had before. Each one says how it went when the school checked it.`,
    empty: 'There are no earlier plans yet.',
    backLink: 'Back to the support plan',
    plan: (n: number) => `Plan ${n}`,
    dates: (from: IsoDate | null, to: IsoDate | null) =>
      from && to
        ? `From ${formatDate(from)} to ${formatDate(to)}`
        : from
          ? `From ${formatDate(from)}`
          : 'Dates not set',
    reviewedOn: (on: IsoDate) => `Checked on ${formatDate(on)}`,
    notReviewed: 'This plan was not checked at a meeting.',
  },
  earlierPlan: {
    title: (n: number) => `Plan ${n}`,
    intro: 'This plan has ended. Here is what it said, and how it went.',
    outcomeHeading: 'How it went',
    reviewedOn: (on: IsoDate) => `The school checked the plan at a meeting on ${formatDate(on)}.`,
    notReviewed: 'This plan was not checked at a meeting.',
    targetOutcome: 'How it went',
    notJudged: 'Not said',
    viewsHeading: 'What people said at the meeting',
    parentsViews: 'What the parents said',
    pupilViews: 'What your child said',
    nothingWritten: 'Nothing was written down.',
    backLink: 'Back to earlier plans',
  },
  letters: {
    title: 'Letters from the school',
    intro: (name: string) =>
      `These are the letters the school has sent to you about ${name}. The newest is at the top.`,
    empty: 'The school has not sent you a letter here yet.',
    sent: (on: IsoDate, via: SentVia) => `Sent on ${formatDate(on)}, ${SENT_VIA_IN_TEXT[via]}`,
  },
  letter: {
    intro: 'This is the letter the school sent to you. You can also save it or print it.',
    pdf: 'Download the letter as a PDF',
    slipHeading: 'The reply slip',
    slipIntro: 'The letter asks you to reply. You can fill in the slip on paper and give it to the school.',
    slipBack: (on: IsoDate) => `The school got a reply slip back on ${formatDate(on)}.`,
    backLink: 'Back to all letters',
  },
  ehc: {
    title: 'EHC plan',
    intro:
      'The local council writes the EHC plan. You can read each draft it sends you here, and the final plan.',
    empty: 'The council has not sent you an EHC plan or a draft yet. When it does, you can read it here.',
    sentOn: (on: IsoDate) => `Sent to you on ${formatDate(on)}`,
    issuedOn: (on: IsoDate) => `Made final on ${formatDate(on)}`,
    from: (authority: string) => `From ${authority}`,
  },
  ehcPlan: {
    kinds: {
      draft: 'Draft EHC plan',
      changes: 'Draft changes to the EHC plan',
      final: 'Final EHC plan',
    },
    commentsUntil: (date: IsoDate) => `You can send your comments until ${dayAndDate(date)}.`,
    commentsEnded: (date: IsoDate) => `The time to send comments ended on ${dayAndDate(date)}.`,
    draftIntro:
      'This is a draft. The council wants to know what you think before it makes the plan final. You can also ask for a school to be named in it.',
    finalIntro: (on: IsoDate | null) =>
      on
        ? `This is the final plan. The council made it final on ${formatDate(on)}.`
        : 'This is the final plan.',
    ended: (on: IsoDate) => `The plan ended on ${formatDate(on)}.`,
    views: 'Give your views on this draft',
    viewsOnPaper: 'To send your views, write to the council or talk to your caseworker.',
    otherVersions: 'Other versions of the plan',
    backLink: 'Back to the EHC plan',
    version: (n: number) => `Version ${n}`,
  },
} as const;

const T = FAMILY_READING_TEXT;

const given = (s: string | null | undefined) => (s?.trim() ? s : null);

// The current plan

export interface FamilyPlanInput {
  childName: string;
  plan: {
    id: string;
    status: PlanStatus;
    desiredOutcomes: string | null;
    qualityFirst: string | null;
    interventions: string | null;
    taSupport: string | null;
    resources: string | null;
    parentPupilContribution: string | null;
    parentsSupportAtHome: string | null;
    reviewDate: IsoDate | null;
    agreedOn: IsoDate | null;
  } | null;
  targets: {
    position: number;
    target: string;
    achievementCriteria: string | null;
    resourcesAndTechniques: string | null;
    classStrategies: string | null;
    outcome?: TargetOutcome | null;
  }[];
  provision: {
    interventionName: string;
    sessionsPerWeek: number;
    minutesPerSession: number;
    delivererKind: string;
    delivererName: string | null;
    agency: string | null;
    since: IsoDate;
    upcoming: boolean;
  }[];
  hasEarlierPlans: boolean;
}

function targetsModel(targets: FamilyPlanInput['targets'], withOutcome: boolean) {
  return targets.map((t) => ({
    heading: T.plan.target(t.position),
    text: t.target,
    criteria: given(t.achievementCriteria),
    how: [given(t.classStrategies), given(t.resourcesAndTechniques)].filter((x): x is string => x !== null),
    outcome: withOutcome ? (t.outcome ? FAMILY_TARGET_OUTCOMES[t.outcome] : T.earlierPlan.notJudged) : null,
  }));
}

function inClassModel(plan: NonNullable<FamilyPlanInput['plan']>) {
  return (['qualityFirst', 'interventions', 'taSupport', 'resources'] as const)
    .map((key): { label: string; text: string | null } => ({
      label: T.plan.inClass[key],
      text: given(plan[key]),
    }))
    .filter((x): x is { label: string; text: string } => x.text !== null);
}

/** The child's current plan, as agreed, for their parent; or what happens when there is none. */
export function familyPlanPage(input: FamilyPlanInput) {
  const { plan, childName } = input;
  const words = [
    FAMILY_WORDS.support_plan,
    FAMILY_WORDS.target,
    FAMILY_WORDS.provision,
    FAMILY_WORDS.review,
  ].map((w) => ({ question: T.plan.wordQuestion(w.word), means: w.means }));
  if (!plan) {
    return {
      text: T.plan,
      childName,
      plan: null,
      empty: [T.plan.noPlan(childName), T.plan.noPlanNext, T.plan.talk],
      hasEarlierPlans: input.hasEarlierPlans,
      words,
    };
  }
  return {
    text: T.plan,
    childName,
    empty: null,
    hasEarlierPlans: input.hasEarlierPlans,
    words,
    plan: {
      id: plan.id,
      intro: T.plan.agreed(childName, plan.agreedOn),
      beingReviewed: plan.status === 'in_review' ? T.plan.beingReviewed : null,
      hopes: given(plan.desiredOutcomes),
      targets: targetsModel(input.targets, false),
      inClass: inClassModel(plan),
      // When the plan names extra sessions but no group is recorded, say so: not "not in a group".
      provisionNone: given(plan.interventions) ? T.plan.provisionNotRecorded : T.plan.provisionNone,
      provision: input.provision.map((p) => ({
        name: p.interventionName,
        howOften: howOftenText(p.sessionsPerWeek, p.minutesPerSession),
        who: whoHelpsText(p.delivererKind, p.delivererName, p.agency),
        since: formatDate(p.since),
        upcoming: p.upcoming,
      })),
      review: plan.reviewDate ? T.plan.reviewOn(plan.reviewDate) : T.plan.reviewNotSet,
      home: given(plan.parentsSupportAtHome) ?? given(plan.parentPupilContribution),
      talk: T.plan.talk,
    },
  };
}
export type FamilyPlanPage = ReturnType<typeof familyPlanPage>;

// Earlier plans

export interface FamilyReviewInput {
  heldOn: IsoDate;
  progress: ProgressJudgement;
  decision: ReviewDecision;
  pupilViews?: string | null;
  parentsViews?: string | null;
}

/** "How it went": the progress and the decision, in the family's words. */
export function reviewOutcome(review: FamilyReviewInput | null): string[] {
  if (!review) return [T.plans.notReviewed];
  return [FAMILY_PROGRESS[review.progress], FAMILY_DECISIONS[review.decision]];
}

export function familyEarlierPlansPage(input: {
  childName: string;
  plans: {
    id: string;
    cycle: number;
    startDate: IsoDate | null;
    reviewDate: IsoDate | null;
    review: FamilyReviewInput | null;
  }[];
}) {
  return {
    text: T.plans,
    intro: T.plans.intro(input.childName),
    plans: input.plans.map((p) => ({
      id: p.id,
      heading: T.plans.plan(p.cycle),
      dates: T.plans.dates(p.startDate, p.review?.heldOn ?? p.reviewDate),
      reviewed: p.review ? T.plans.reviewedOn(p.review.heldOn) : null,
      outcome: reviewOutcome(p.review),
    })),
  };
}

export function familyEarlierPlanPage(input: {
  childName: string;
  plan: NonNullable<FamilyPlanInput['plan']> & { cycle: number; startDate: IsoDate | null };
  targets: FamilyPlanInput['targets'];
  review: FamilyReviewInput | null;
}) {
  const { plan, review } = input;
  return {
    text: T.earlierPlan,
    title: T.earlierPlan.title(plan.cycle),
    dates: T.plans.dates(plan.startDate, review?.heldOn ?? plan.reviewDate),
    hopes: given(plan.desiredOutcomes),
    targets: targetsModel(input.targets, review !== null),
    inClass: inClassModel(plan),
    home: given(plan.parentsSupportAtHome) ?? given(plan.parentPupilContribution),
    reviewed: review ? T.earlierPlan.reviewedOn(review.heldOn) : T.earlierPlan.notReviewed,
    outcome: review ? reviewOutcome(review) : [],
    views: review
      ? [
          {
            label: T.earlierPlan.parentsViews,
            text: given(review.parentsViews) ?? T.earlierPlan.nothingWritten,
          },
          { label: T.earlierPlan.pupilViews, text: given(review.pupilViews) ?? T.earlierPlan.nothingWritten },
        ]
      : [],
    planText: T.plan,
  };
}

// Letters

export function familyLetterSubject(kind: LetterKind): string {
  return FAMILY_LETTER_SUBJECTS[kind] ?? FAMILY_LETTER_SUBJECTS.other;
}

export function familyLettersPage(input: {
  childName: string;
  letters: { id: string; kind: LetterKind; sentOn: IsoDate; sentVia: SentVia }[];
}) {
  return {
    text: T.letters,
    intro: T.letters.intro(input.childName),
    letters: input.letters.map((l) => ({
      id: l.id,
      subject: familyLetterSubject(l.kind),
      sent: T.letters.sent(l.sentOn, l.sentVia),
    })),
  };
}

export function familyLetterPage(input: {
  letter: {
    id: string;
    kind: LetterKind;
    body: string;
    slip: string | null;
    sentOn: IsoDate;
    sentVia: SentVia;
    slipReturnedOn: IsoDate | null;
  };
}) {
  const l = input.letter;
  return {
    text: T.letter,
    id: l.id,
    subject: familyLetterSubject(l.kind),
    sent: T.letters.sent(l.sentOn, l.sentVia),
    body: l.body,
    slip: l.slip
      ? {
          text: l.slip,
          intro: T.letter.slipIntro,
          back: l.slipReturnedOn ? T.letter.slipBack(l.slipReturnedOn) : null,
        }
      : null,
  };
}

// The EHC plan

interface EhcVersionFacts {
  number: number;
  stage: PlanVersionStage;
  reason: PlanVersionReason;
  sentOn: IsoDate | null;
  commentsDueOn: IsoDate | null;
  issuedOn: IsoDate | null;
}

export function ehcVersionKind(v: Pick<EhcVersionFacts, 'stage' | 'reason'>): string {
  if (v.stage === 'issued') return T.ehcPlan.kinds.final;
  return v.reason === 'new_plan' ? T.ehcPlan.kinds.draft : T.ehcPlan.kinds.changes;
}

export function ehcVersionDate(v: EhcVersionFacts): string {
  return v.stage === 'issued' && v.issuedOn
    ? T.ehc.issuedOn(v.issuedOn)
    : v.sentOn
      ? T.ehc.sentOn(v.sentOn)
      : '';
}

/** What the page says over a version: the parents' time to comment on a draft, or that it is final. */
export function ehcVersionIntro(
  v: EhcVersionFacts,
  plan: { status: string; ceasedOn: IsoDate | null },
  today: IsoDate,
): { lines: string[]; open: boolean } {
  if (v.stage === 'issued') {
    const lines = [T.ehcPlan.finalIntro(v.issuedOn)];
    if (plan.status === 'ceased' && plan.ceasedOn) lines.push(T.ehcPlan.ended(plan.ceasedOn));
    return { lines, open: false };
  }
  const due = v.commentsDueOn;
  const open = due !== null && due >= today;
  return {
    lines: [
      T.ehcPlan.draftIntro,
      ...(due ? [open ? T.ehcPlan.commentsUntil(due) : T.ehcPlan.commentsEnded(due)] : []),
    ],
    open,
  };
}

// For staff: the read receipts on a plan or letter page

/** "Read by Kasia Kowalski (mother) online on 3 December 2026", one line per parent, first read first. */
export function readReceiptLines(
  reads: readonly { name: string; relationship: string | null; firstReadAt: Date; times: number }[],
  dateOf: (at: Date) => IsoDate,
): string[] {
  return reads.map((r) => {
    const who = r.relationship ? `${r.name} (${r.relationship.toLowerCase()})` : r.name;
    const again = r.times > 1 ? `, and ${r.times - 1} more ${r.times === 2 ? 'time' : 'times'} since` : '';
    return `Read by ${who} online on ${formatDate(dateOf(r.firstReadAt))}${again}`;
  });
}
