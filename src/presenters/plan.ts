import {
  PLAN_STRATEGY_FIELD_LABELS,
  RECOMMENDATION_KIND_LABELS,
  type RecommendationKind,
} from '../domain/agencies.ts';
import { ncYearLabel } from '../domain/calendar.ts';
import { AREA_LABELS, type AreaOfNeed, needLabel } from '../domain/census.ts';
import { formatDate } from '../domain/dates.ts';
import {
  areaNumber,
  notesByTarget,
  PLAN_STATUS_LABELS,
  PROGRESS_LABELS,
  planClosedOn,
  pupilSnapshot,
  REVIEW_DECISION_LABELS,
  TARGET_OUTCOME_LABELS,
} from '../domain/plans.ts';
import { stageLabel } from '../domain/register.ts';
import { halfTermOf } from '../domain/school-days.ts';
import { CHECK_PROGRESS_LABELS } from '../domain/target-checks.ts';
import type { PlanService } from '../services/plans/index.ts';
import { pupilProvisionModel } from './provision.ts';
import { pupilVoiceLabelled, pupilVoiceOnPlan } from './pupil-voice.ts';

/*
 * A support plan as a document: one shape for the print view, the PDF and (later) a letter or the
 * command line. No web imports; every label written out, dates formatted, empty parts said so.
 */

type PlanPage = Omit<Awaited<ReturnType<PlanService['view']>>, 'familyReads'>;

export interface Labelled {
  label: string;
  text: string;
}

export interface PlanDocument {
  /** "Kit Kowalski – SEN Support Plan": the document's title. */
  title: string;
  schoolName: string;
  planName: string;
  pupilName: string;
  summary: Labelled[];
  needAreas: string[];
  profile: Labelled[];
  /** "In Kit's own words": what the pupil wrote with an adult (their profile, their views for this review), or null. */
  ownWords: { heading: string; parts: { title: string; items: Labelled[] }[] } | null;
  sections: { heading: string; items: Labelled[] }[];
  targets: {
    number: number;
    area: string;
    target: string;
    /** Where it came from, for a target taken from an outside agency's recommendation ("Recommended by …"); else empty. */
    source: string;
    criteria: string;
    resources: string;
    strategies: string;
    outcome: string;
    evidence: string;
  }[];
  notes: { date: string; about: string; by: string; text: string }[];
  review: { summary: Labelled[]; views: Labelled[] } | null;
  /** The half-termly target checks recorded, oldest first. */
  targetChecks: PlanTargetCheck[];
  /** The pupil's current provision, or null for a reader who may not see it. */
  provision: PlanProvision | null;
  /** The advice of outside agencies and what became of it, or null for a reader who may not see it. */
  advice: PlanAdvice | null;
}

/** One recommendation of an outside agency, as the plan shows it beside what became of it. */
export interface PlanAdviceRow {
  id: string;
  text: string;
  /** "Strategy · 1 Communication and interaction" */
  kind: string;
  /** "Recommended by the speech and language therapist, report of 20 November 2026" */
  source: string;
  /** "In this plan as target 2", "In this plan as a strategy: …", or "Not yet used in this plan". */
  inPlan: string;
  used: boolean;
  /** "In the provision: Talk Boost, Language group", or empty. */
  provision: string;
}

export interface PlanAdvice {
  heading: string;
  rows: PlanAdviceRow[];
  empty: string;
}

/** One group the pupil is in now (or will be), as the plan shows it. */
export interface PlanProvisionRow {
  intervention: string;
  group: string;
  deliveredBy: string;
  frequency: string;
  dates: string;
  /** "None", or "2 sessions: 3 Nov 2026, 10 Nov 2026". */
  missed: string;
}

export interface PlanProvision {
  /** "Provision now: …" for a plan in place; "Provision during this plan: …" for a closed one. */
  heading: string;
  rows: PlanProvisionRow[];
  /** "No additional provision at the moment." or "No additional provision during this plan." */
  empty: string;
  /** "Time in additional provision now: 2 hours 30 minutes a week." (or when the plan closed). */
  time: string;
}

/**
 * The pupil's real provision for their plan: each group they are in now or are about to join, who
 * delivers it, how often and since when, and the sessions they missed. A closed plan shows the groups
 * of its own days instead (`period`, the spells already limited to it): their dates, sessions and
 * missed sessions within it, and the time a week when it closed. Costs stay on the pupil's record and
 * the provision pages.
 */
export function planProvision(
  items: PlanPage['provision'],
  today: string,
  period: { from: string; to: string } | null = null,
): PlanProvision | null {
  if (!items) return null;
  const model = pupilProvisionModel(items, null, period ? period.to : today);
  const missed = (s: (typeof model.current)[number]) =>
    s.missed === 0
      ? 'None'
      : `${s.missed} ${s.missed === 1 ? 'session' : 'sessions'}: ${s.missedOn.join(', ')}`;
  if (!period) {
    return {
      heading: 'Provision now: interventions and how they are delivered',
      rows: model.current.map((s) => ({
        intervention: s.interventionName,
        group: s.upcoming ? `${s.groupName} (starts later)` : s.groupName,
        deliveredBy: s.deliverer,
        frequency: s.frequency,
        dates: s.dates,
        missed: missed(s),
      })),
      empty: 'No additional provision at the moment.',
      time: `Time in additional provision now: ${model.timeNow}.`,
    };
  }
  // Every spell of the plan's days, newest first, with its dates within them.
  const spells = [...model.current, ...model.past].sort((a, b) =>
    a.joinedOn === b.joinedOn ? 0 : a.joinedOn < b.joinedOn ? 1 : -1,
  );
  return {
    heading: 'Provision during this plan: interventions and how they were delivered',
    rows: spells.map((s) => ({
      intervention: s.interventionName,
      group: s.groupName,
      deliveredBy: s.deliverer,
      frequency: s.frequency,
      dates: datesWithin(s, period),
      missed: missed(s),
    })),
    empty: 'No additional provision during this plan.',
    time:
      model.minutesPerWeekNow > 0
        ? `Time in additional provision when the plan closed on ${formatDate(period.to)}: ${model.timeNow}.`
        : `Time in additional provision when the plan closed on ${formatDate(period.to)}: none.`,
  };
}

/** A spell's days within a closed plan's, and the spell's own where they went beyond. */
function datesWithin(
  s: { joinedOn: string; leftOn: string | null; startDate: string; endDate: string | null },
  period: { from: string; to: string },
): string {
  const start = s.joinedOn > s.startDate ? s.joinedOn : s.startDate;
  const end = s.leftOn ?? s.endDate;
  const from = start > period.from ? start : period.from;
  const to = end && end < period.to ? end : period.to;
  const within = `${formatDate(from)} to ${formatDate(to)}`;
  if (from === start && to === end) return within;
  const own = end ? `${formatDate(start)} to ${formatDate(end)}` : `from ${formatDate(start)}`;
  return `${within} (in the group ${own})`;
}

/**
 * The advice of outside agencies as the plan shows it (so a review, and later an EHC request, can see
 * that advice was acted on): each recommendation of the pupil's reports with its source, marked in
 * this plan (as a target or strategy) or not yet used, and the provision groups it went into.
 */
export function planAdvice(advice: PlanPage['advice']): PlanAdvice | null {
  if (!advice) return null;
  return {
    heading: 'Advice from outside agencies',
    empty: 'No recommendations from outside agencies yet.',
    rows: advice.items.map((i) => {
      const inPlan = i.standing.inPlan;
      return {
        id: i.id,
        text: i.text,
        kind: [
          RECOMMENDATION_KIND_LABELS[i.kind as RecommendationKind] ?? i.kind,
          i.area ? numberedArea(i.area as AreaOfNeed) : null,
        ]
          .filter(Boolean)
          .join(' · '),
        source: i.source,
        inPlan: !inPlan
          ? 'Not yet used in this plan'
          : inPlan.as === 'target'
            ? `In this plan as target ${inPlan.position}`
            : `In this plan as a strategy: ${PLAN_STRATEGY_FIELD_LABELS[inPlan.field]}`,
        used: inPlan !== null,
        provision: i.standing.groups.length
          ? `In the provision: ${i.standing.groups.map((g) => g.name).join(', ')}`
          : '',
      };
    }),
  };
}

/** A half-termly target check as the plan shows it: the half-term, when, by whom, and each target. */
export interface PlanTargetCheck {
  dueOn: string;
  /** "Autumn 1 2026/27 check" */
  title: string;
  /** "Checked on 20 October 2026 by Tara Teacher" */
  checked: string;
  items: { targetId: string; number: number; target: string; progress: string; note: string }[];
}

export function planTargetChecks(checks: PlanPage['checks']): PlanTargetCheck[] {
  return checks.map((c) => ({
    dueOn: c.dueOn,
    title: `${halfTermOf(c.dueOn).label} check`,
    checked: `Checked on ${formatDate(c.checkedOn)} by ${c.recordedByName}`,
    items: c.items.map((i) => ({
      targetId: i.targetId,
      number: i.position,
      target: i.target,
      progress: CHECK_PROGRESS_LABELS[i.progress],
      note: orNone(i.note, ''),
    })),
  }));
}

/** How a plan in place stands with its half-termly target checks, in words; null when none are kept. */
export function targetCheckSummary(status: PlanPage['checkStatus']): string | null {
  if (!status) return null;
  const { state, current, next } = status;
  const at = (p: NonNullable<typeof current>) => `${formatDate(p.dueOn)} (${p.halfTerm.label})`;
  const after = next ? `the next is due by ${at(next)}` : 'the review comes next';
  switch (state) {
    case 'due':
      return `Due by ${at(current!)}`;
    case 'overdue':
      return `Overdue: it was due by ${at(current!)}`;
    case 'done':
      return `Recorded for ${current!.halfTerm.label}; ${after}`;
    case 'upcoming':
      return `The first is due by ${at(next!)}, and can be recorded from ${formatDate(next!.opensOn)}`;
    case 'none':
      return 'None before the review: the review looks at every target';
  }
}

/** "1 Communication and interaction": seed 000's numbered areas. */
export function numberedArea(area: AreaOfNeed): string {
  return `${areaNumber(area)} ${AREA_LABELS[area]}`;
}

const orNone = (value: string | null | undefined, none = 'Not recorded') => (value?.trim() ? value : none);

/**
 * The pupil's year group, class, SEN stage and needs as the plan shows them (seed 000 Appendices B and
 * C: "Year", "Level of SEN"), with what they are as at: now for a plan still open; for a closed plan,
 * as they were when it closed (before its review moved the pupil), or now, said so, for a plan closed
 * before OpenSEND kept them.
 */
export function planPupilDetails(page: Pick<PlanPage, 'plan' | 'pupil' | 'today' | 'review'>): Labelled[] {
  const { plan, pupil, today, review } = page;
  // Closed by its review (on the day it was held), or a draft closed unused.
  const closedOn = planClosedOn(plan, review);
  const kept = plan.status === 'closed' ? plan.pupilAtClose : null;
  const p = kept ?? pupilSnapshot(pupil, today, pupil.rolledOverTo);
  const asAt = kept
    ? `When the plan closed${closedOn ? ` on ${formatDate(closedOn)}` : ''}`
    : plan.status === 'closed'
      ? `Today, ${formatDate(today)} (not kept when the plan closed${closedOn ? ` on ${formatDate(closedOn)}` : ''})`
      : `Today, ${formatDate(today)}`;
  return [
    {
      label: 'Year group',
      text: `${ncYearLabel(p.ncYear)}${p.outOfYearGroup ? ' (taught out of year group)' : ''}`,
    },
    { label: 'Class', text: p.className ?? 'No class' },
    { label: 'SEN stage', text: stageLabel(p.senStage) },
    { label: 'Primary need', text: p.primaryNeed ? needLabel(p.primaryNeed) : 'None recorded' },
    ...(p.secondaryNeed ? [{ label: 'Secondary need', text: needLabel(p.secondaryNeed) }] : []),
    { label: 'Year group, class, stage and need as at', text: asAt },
  ];
}

/** The pupil's own words for the plan's document: their "All about me", then their views for its review. */
function ownWordsOf(page: PlanPage): PlanDocument['ownWords'] {
  const voice = pupilVoiceOnPlan(page.pupil, page.pupilVoice);
  const parts = [
    ...(voice.profile ? [{ title: 'All about me', items: pupilVoiceLabelled(voice.profile) }] : []),
    ...(voice.reviewViews
      ? [{ title: 'What I think (before my review)', items: pupilVoiceLabelled(voice.reviewViews) }]
      : []),
  ];
  return parts.length ? { heading: voice.heading, parts } : null;
}

export function planDocument(page: PlanPage, schoolName: string): PlanDocument {
  const { plan, pupil, targets, notes, review, profile, planName } = page;
  const pupilName = `${pupil.forename} ${pupil.surname}`;
  const positionOf = new Map(targets.map((t) => [t.id, t.position]));
  const { byTarget, planWide } = notesByTarget(notes);
  const inOrder = [...targets.flatMap((t) => byTarget.get(t.id) ?? []), ...planWide].sort((a, b) =>
    a.writtenOn === b.writtenOn ? 0 : a.writtenOn < b.writtenOn ? -1 : 1,
  );
  return {
    title: `${pupilName} – ${planName}`,
    schoolName,
    planName,
    pupilName,
    summary: [
      { label: 'Pupil', text: pupilName },
      { label: 'Date of birth', text: formatDate(pupil.dateOfBirth) },
      ...planPupilDetails(page),
      { label: 'Plan', text: `${planName} ${plan.cycle} (${PLAN_STATUS_LABELS[plan.status]})` },
      { label: 'Start date', text: plan.startDate ? formatDate(plan.startDate) : 'Not set' },
      { label: 'Review date', text: plan.reviewDate ? formatDate(plan.reviewDate) : 'Not set' },
      { label: 'Owner', text: orNone(plan.ownerName) },
      {
        label: 'Agreed',
        text: plan.agreedOn
          ? `${formatDate(plan.agreedOn)}${plan.agreedWith ? ` with ${plan.agreedWith}` : ''}`
          : 'Not yet agreed',
      },
      {
        label: 'Shared with parents',
        text: plan.sharedWithParentsOn ? formatDate(plan.sharedWithParentsOn) : 'Not yet recorded',
      },
      ...(page.checkStatus
        ? [{ label: 'Half-termly target check', text: targetCheckSummary(page.checkStatus) ?? '' }]
        : []),
    ],
    needAreas: plan.needAreas.map(numberedArea),
    profile: [
      { label: 'What people like and admire about me', text: orNone(profile?.likeAndAdmire) },
      { label: 'What is important to me', text: orNone(profile?.importantToMe) },
      { label: 'How best to support me', text: orNone(profile?.howToSupportMe) },
    ],
    ownWords: ownWordsOf(page),
    sections: [
      {
        heading: 'Strengths and needs',
        items: [
          { label: 'Areas of strength', text: orNone(plan.strengths) },
          { label: 'Areas of concern', text: orNone(plan.areasOfConcern) },
          { label: 'Desired outcomes', text: orNone(plan.desiredOutcomes) },
        ],
      },
      {
        heading: 'How we will support',
        items: [
          { label: 'a) Quality-first inclusive approaches', text: orNone(plan.qualityFirst) },
          {
            label: 'b) Interventions, how they are delivered and monitored',
            text: orNone(plan.interventions),
          },
          {
            label: 'c) Focused support from a teaching assistant, aimed at independence',
            text: orNone(plan.taSupport),
          },
          { label: 'd) Resources for access to the curriculum or environment', text: orNone(plan.resources) },
          {
            label: 'e) How the parents and the pupil contribute',
            text: orNone(plan.parentPupilContribution),
          },
          { label: 'How parents can support at home', text: orNone(plan.parentsSupportAtHome) },
        ],
      },
      {
        heading: 'Views',
        items: [
          { label: 'The pupil’s views', text: orNone(plan.pupilViews) },
          { label: 'The parents’ views', text: orNone(plan.parentsViews) },
        ],
      },
    ],
    targets: targets.map((t) => ({
      number: t.position,
      area: t.area ? numberedArea(t.area) : 'Not set',
      target: t.target,
      source: t.source ?? '',
      criteria: orNone(t.achievementCriteria, ''),
      resources: orNone(t.resourcesAndTechniques, ''),
      strategies: orNone(t.classStrategies, ''),
      outcome: t.outcome ? TARGET_OUTCOME_LABELS[t.outcome] : 'Not yet reviewed',
      evidence: orNone(t.outcomeEvidence, ''),
    })),
    notes: inOrder.map((n) => ({
      date: formatDate(n.writtenOn),
      about: n.targetId ? `Target ${positionOf.get(n.targetId) ?? ''}` : 'The whole plan',
      by: n.authorRoles ? `${n.authorName} (${n.authorRoles})` : n.authorName,
      text: n.body,
    })),
    provision: planProvision(page.provision, page.today, page.provisionPeriod),
    advice: planAdvice(page.advice),
    targetChecks: planTargetChecks(page.checks),
    review: review
      ? {
          summary: [
            { label: 'Date of the review', text: formatDate(review.heldOn) },
            { label: 'Who attended', text: review.attendees },
            { label: 'Progress', text: PROGRESS_LABELS[review.progress] },
            { label: 'Decision', text: REVIEW_DECISION_LABELS[review.decision] },
            ...(review.extendedTo ? [{ label: 'New review date', text: formatDate(review.extendedTo) }] : []),
            { label: 'Notes on the decision', text: orNone(review.decisionNotes) },
            { label: 'Reviewed by', text: review.reviewedByName },
          ],
          views: [
            { label: 'The pupil’s views', text: orNone(review.pupilViews) },
            { label: 'The parents’ views', text: orNone(review.parentsViews) },
          ],
        }
      : null,
  };
}
