import { AREA_LABELS, type AreaOfNeed, needLabel } from '../domain/census.ts';
import { formatDate } from '../domain/dates.ts';
import {
  areaNumber,
  notesByTarget,
  PLAN_STATUS_LABELS,
  PROGRESS_LABELS,
  REVIEW_DECISION_LABELS,
  TARGET_OUTCOME_LABELS,
} from '../domain/plans.ts';
import type { PlanService } from '../services/plans/index.ts';
import { pupilProvisionModel } from './provision.ts';

/*
 * A support plan as a document: one shape for the print view, the PDF and (later) a letter or the
 * command line. No web imports; every label written out, dates formatted, empty parts said so.
 */

type PlanPage = Awaited<ReturnType<PlanService['view']>>;

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
  sections: { heading: string; items: Labelled[] }[];
  targets: {
    number: number;
    area: string;
    target: string;
    criteria: string;
    resources: string;
    strategies: string;
    outcome: string;
    evidence: string;
  }[];
  notes: { date: string; about: string; by: string; text: string }[];
  review: { summary: Labelled[]; views: Labelled[] } | null;
  /** The pupil's current provision, or null for a reader who may not see it. */
  provision: PlanProvision | null;
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
  rows: PlanProvisionRow[];
  /** "2 hours 30 minutes a week" or "None at the moment". */
  timeNow: string;
}

/**
 * The pupil's real, current provision for their plan: each group they are in now or are about to
 * join, who delivers it, how often and since when, and the sessions they missed. Costs stay on the
 * pupil's record and the provision pages.
 */
export function planProvision(items: PlanPage['provision'], today: string): PlanProvision | null {
  if (!items) return null;
  const model = pupilProvisionModel(items, null, today);
  return {
    rows: model.current.map((s) => ({
      intervention: s.interventionName,
      group: s.upcoming ? `${s.groupName} (starts later)` : s.groupName,
      deliveredBy: s.deliverer,
      frequency: s.frequency,
      dates: s.dates,
      missed:
        s.missed === 0
          ? 'None'
          : `${s.missed} ${s.missed === 1 ? 'session' : 'sessions'}: ${s.missedOn.join(', ')}`,
    })),
    timeNow: model.timeNow,
  };
}

/** "1 Communication and interaction": seed 000's numbered areas. */
export function numberedArea(area: AreaOfNeed): string {
  return `${areaNumber(area)} ${AREA_LABELS[area]}`;
}

const orNone = (value: string | null | undefined, none = 'Not recorded') => (value?.trim() ? value : none);

export function planDocument(page: PlanPage, schoolName: string): PlanDocument {
  const { plan, pupil, targets, notes, review, profile, planName } = page;
  const pupilName = `${pupil.forename} ${pupil.surname}`;
  const needs = [pupil.primaryNeed, pupil.secondaryNeed].filter((c) => c !== null).map((c) => needLabel(c));
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
      { label: 'Census need', text: needs.length ? needs.join('; ') : 'None recorded' },
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
    ],
    needAreas: plan.needAreas.map(numberedArea),
    profile: [
      { label: 'What people like and admire about me', text: orNone(profile?.likeAndAdmire) },
      { label: 'What is important to me', text: orNone(profile?.importantToMe) },
      { label: 'How best to support me', text: orNone(profile?.howToSupportMe) },
    ],
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
    provision: planProvision(page.provision, page.today),
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
