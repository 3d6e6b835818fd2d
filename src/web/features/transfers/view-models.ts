import { needLabel } from '../../../domain/census.ts';
import { formatDate } from '../../../domain/dates.ts';
import { CHANGE_LABELS, type RegisterPosition, stageLabel } from '../../../domain/register.ts';
import type { CtfPlan, PlannedPupil } from '../../../services/transfers/index.ts';

function positionText(p: RegisterPosition): string {
  const needs = [p.primaryNeed, p.secondaryNeed].filter((n) => n !== null).map((n) => needLabel(n));
  return `${stageLabel(p.stage)}${needs.length ? `: ${needs.join('; ')}` : ''}`;
}

const STATUS = {
  new: { text: 'New pupil', colour: 'govuk-tag--green' },
  history: { text: 'Already here: new SEN history', colour: 'govuk-tag--blue' },
  unchanged: { text: 'Already here: nothing new', colour: 'govuk-tag--grey' },
  problem: { text: 'Problem: left out', colour: 'govuk-tag--red' },
} as const;

/** One pupil of the preview, in the words the page uses. */
function plannedRow(p: PlannedPupil) {
  const entries = p.entries.map(
    (e) => `${formatDate(e.effectiveDate)}: ${CHANGE_LABELS[e.kind]} (${positionText(e.to)})`,
  );
  let outcome = '';
  if (p.status === 'new') {
    const contacts = p.pupil?.contacts.length ?? 0;
    outcome = `Added to the school${p.sets && p.sets.stage !== 'none' ? ` at ${positionText(p.sets)}` : ', not on the SEN register'}, with ${contacts === 1 ? '1 contact' : `${contacts} contacts`}.`;
  } else if (p.status === 'history') {
    outcome = p.sets
      ? `Their SEN history from the file is added, and they are placed at ${positionText(p.sets)} (the school has recorded nothing about their SEN).`
      : 'Their SEN history from the file is added beside the school’s own; their SEN stage stays as the school recorded it.';
  } else if (p.status === 'unchanged') {
    outcome = 'Nothing in the file is new for them.';
  }
  return {
    position: p.position,
    name: p.name,
    upn: p.upn,
    pupilId: p.pupilId,
    status: p.status,
    statusText: STATUS[p.status].text,
    statusClass: STATUS[p.status].colour,
    outcome,
    entries,
    problems: p.problems,
  };
}

export function previewModel(plan: CtfPlan) {
  const rows = plan.pupils.map(plannedRow);
  const count = (s: PlannedPupil['status']) => rows.filter((r) => r.status === s).length;
  return {
    source: plan.source,
    warning: plan.warning,
    rows,
    counts: {
      new: count('new'),
      history: count('history'),
      unchanged: count('unchanged'),
      problem: count('problem'),
    },
    historyRows: rows.filter((r) => r.status === 'history'),
    canApply: count('new') + count('history') > 0,
  };
}
