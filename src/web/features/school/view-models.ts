import { academicYearLabel, ncYearLabel } from '../../../domain/calendar.ts';
import { yearGroupsLabel } from '../../../domain/classes.ts';
import { formatDate } from '../../../domain/dates.ts';
import { classChoiceLabel, type Destination, type RollOverStatus } from '../../../domain/roll-over.ts';
import { ALL_YEAR_GROUPS, PHASE_LABELS, PHASES, rangeLabel } from '../../../domain/school.ts';
import type { SchoolService } from '../../../services/school/index.ts';
import { dateParts } from '../../forms/dates.ts';
import type { FormBody } from '../../forms/fields.ts';

type Details = Awaited<ReturnType<SchoolService['details']>>;
type Preview = Awaited<ReturnType<SchoolService['rollOverPreview']>>;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Where the roll-over stands, in a sentence or two for the school details and roll-over pages. */
export function rollOverText(status: RollOverStatus): string {
  const setUp = `The school’s classes are set up for ${academicYearLabel(status.fromYear)}.`;
  if (status.kind === 'open') {
    return status.late
      ? `${setUp} ${academicYearLabel(status.toYear)} has begun: roll over now to move everyone up.`
      : `${setUp} The roll-over to ${academicYearLabel(status.toYear)} is open.`;
  }
  return `${setUp} The roll-over to ${academicYearLabel(status.toYear)} opens on ${formatDate(status.opensOn)}.`;
}

export function detailsModel(details: Details) {
  return {
    school: details.school,
    version: details.school.version,
    phases: PHASES.map((p) => ({ value: p, text: PHASE_LABELS[p] })),
    yearOptions: ALL_YEAR_GROUPS.map((y) => ({ value: String(y), text: ncYearLabel(y) })),
    range: rangeLabel(details.range),
    rollOverText: rollOverText(details.rollOver),
  };
}

export function detailsValues(d: Details['school']): FormBody {
  return {
    name: d.name,
    urn: d.urn,
    laCode: d.laCode,
    establishmentNumber: d.establishmentNumber,
    phase: d.phase,
    lowestNcYear: String(d.lowestNcYear),
    highestNcYear: String(d.highestNcYear),
    version: String(d.version),
  };
}

const destinationValue = (d: Destination) =>
  d.kind === 'class' ? d.classId : d.kind === 'new' ? 'new' : 'none';

/** The roll-over preview: groups to map, leavers, and what will happen with the choices as they stand. */
export function previewModel(preview: Preview) {
  const base = { yearLabel: academicYearLabel(preview.year), school: preview.school };
  if (preview.kind === 'done') return { ...base, state: 'done' as const };
  if (preview.kind === 'closed') return { ...base, state: 'closed' as const, problem: preview.problem };
  const classOptions = preview.classes.map((c) => ({ value: c.id, text: classChoiceLabel(c) }));
  const outcome = preview.outcome;
  const plan = outcome.ok ? outcome.plan : null;
  return {
    ...base,
    state: 'preview' as const,
    academicYear: preview.year,
    fromLabel: academicYearLabel(preview.status.fromYear),
    late: preview.status.kind === 'open' && preview.status.late,
    version: preview.version,
    fingerprint: preview.fingerprint,
    topYear: ncYearLabel(preview.range.highest),
    classOptions,
    groups: preview.groups.map((g) => ({
      key: g.key,
      from: g.fromClassName ?? 'No class',
      into: ncYearLabel(g.after),
      count: plural(g.pupils.length, 'pupil', 'pupils'),
      suggestedValue: destinationValue(g.suggested),
      ambiguous: g.ambiguous,
      pupils: g.pupils.map((p) => ({
        name: p.name,
        change: `${ncYearLabel(p.before)} to ${ncYearLabel(p.after)}${p.outOfYearGroup ? ' (taught out of year group)' : ''}`,
      })),
    })),
    leavers: preview.leavers.map((l) => ({
      id: l.id,
      name: l.name,
      className: l.className ?? 'No class',
      yearGroup: ncYearLabel(l.before),
    })),
    problems: outcome.ok ? [] : outcome.errors.map((e) => e.message),
    plan: plan && {
      lines: [
        `${plural(plan.summary.movingUp, 'pupil moves', 'pupils move')} up a year group.`,
        `${plural(plan.summary.changingClass, 'pupil changes', 'pupils change')} class; ${plural(plan.summary.stayingInClass, 'pupil stays', 'pupils stay')} in the same class${plan.summary.toNoClass ? `; ${plural(plan.summary.toNoClass, 'pupil will have', 'pupils will have')} no class` : ''}.`,
        ...(plan.leavers.length
          ? [
              `${plural(plan.leavers.length, 'pupil leaves', 'pupils leave')} on ${formatDate(plan.leavers[0]!.leftOn)}: their records are kept, and can no longer be changed.`,
            ]
          : []),
        ...(plan.stayingOn.length
          ? [
              `${plural(plan.stayingOn.length, 'pupil stays', 'pupils stay')} on in ${ncYearLabel(preview.range.highest)}, in the same class.`,
            ]
          : []),
        ...(plan.overridesMovedUp.length
          ? [
              `${plural(plan.overridesMovedUp.length, 'pupil taught', 'pupils taught')} out of year group ${plan.overridesMovedUp.length === 1 ? 'moves' : 'move'} up a year group too.`,
            ]
          : []),
        ...plan.newClasses.map(
          (c) =>
            `A new class, ${c.name} (${yearGroupsLabel(c.ncYears)}), is made with ${plural(c.pupils, 'pupil', 'pupils')}: give it its teachers afterwards.`,
        ),
      ],
      classSizes: plan.summary.classSizes,
      emptyClasses: plan.summary.emptyClasses,
      yearGroupChanges: plan.yearGroupChanges.map((c) => ({
        name: c.name,
        from: yearGroupsLabel(c.from),
        to: yearGroupsLabel(c.to),
      })),
    },
  };
}

/** The form as first shown: the suggested class for each group, every leaver ticked, the usual leaving date. */
export function previewValues(preview: Preview): FormBody {
  if (preview.kind !== 'preview') return {};
  const s = preview.suggested;
  return {
    ...Object.fromEntries(
      Object.entries(s.destinations).map(([key, d]) => [`to-${key}`, d ? destinationValue(d) : 'none']),
    ),
    leaving: [...s.leaving],
    ...dateParts('leftOn', s.leftOn),
    updateYearGroups: s.updateYearGroups ? 'yes' : '',
  };
}
