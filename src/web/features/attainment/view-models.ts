import { hasCapability } from '../../../domain/access.ts';
import {
  SCALE_LABELS,
  TRAJECTORY_STATUS_LABELS,
  type TrajectoryStatus,
  termLabel,
  valueCode,
  valueLabel,
} from '../../../domain/attainment.ts';
import { onRegister, type SenStage, stageLabel } from '../../../domain/register.ts';
import type { AttainmentService } from '../../../services/attainment/index.ts';
import type { Actor } from '../../../services/kernel/actor.ts';
import type { FormBody } from '../../forms/fields.ts';
import { paths } from '../../paths.ts';
import { termQuery } from './schemas.ts';

type Grid = Awaited<ReturnType<AttainmentService['grid']>>;
type Home = Awaited<ReturnType<AttainmentService['home']>>;
type PupilProgress = Awaited<ReturnType<AttainmentService['pupilProgress']>>;
type BelowList = Awaited<ReturnType<AttainmentService['belowTrajectory']>>;
type Subjects = Awaited<ReturnType<AttainmentService['subjects']>>;

const STATUS_TAG: Record<TrajectoryStatus, string> = {
  above: 'govuk-tag--green',
  on: 'govuk-tag--blue',
  below: 'govuk-tag--red',
  no_trajectory: 'govuk-tag--grey',
  no_result: 'govuk-tag--grey',
  other_scale: 'govuk-tag--yellow',
};

export function statusTag(status: TrajectoryStatus) {
  return { text: TRAJECTORY_STATUS_LABELS[status], classes: STATUS_TAG[status] };
}

export function progressHomeModel(home: Home, actor: Actor) {
  const manages = hasCapability(actor.roles, 'progress.manage');
  return {
    termLabel: termLabel(home.term.academicYear, home.term.term),
    classes: home.classes.map((c) => ({
      name: c.name,
      pupils: c.pupils,
      href: paths.classAttainment.to({ classId: c.id }),
    })),
    wholeSchool: home.wholeSchool,
    manages,
  };
}

/** The grid page: a row per pupil, a cell per subject with last term's value beside it. */
export function gridModel(grid: Grid) {
  const current = grid.terms[0]!;
  return {
    grid,
    schoolClass: grid.schoolClass,
    formAction: paths.classAttainment.to(
      { classId: grid.schoolClass.id },
      grid.term.academicYear === current.academicYear && grid.term.term === current.term
        ? ''
        : { term: termQuery(grid.term) },
    ),
    termItems: grid.terms.map((t) => ({
      value: termQuery(t),
      text: termLabel(t.academicYear, t.term),
      selected: t.academicYear === grid.term.academicYear && t.term === grid.term.term,
    })),
    rows: grid.pupils.map((p) => ({
      id: p.id,
      name: `${p.surname}, ${p.forename}`,
      href: paths.pupilProgress.to({ pupilId: p.id }),
      stage: p.senStage === 'none' ? null : stageLabel(p.senStage as SenStage),
      cells: p.cells.map((c, i) => ({
        ...c,
        key: c.field.slice(2),
        subjectName: grid.subjects[i]!.name,
      })),
    })),
    hint: grid.subjects
      .map((s) =>
        s.scale === 'bands'
          ? `${s.name}: ${(s.bands ?? []).map((b) => `${b.code} (${b.label.toLowerCase()})`).join(', ')}`
          : s.scale === 'score'
            ? `${s.name}: a score from ${s.scoreMin} to ${s.scoreMax}`
            : `${s.name}: a small step such as S4`,
      )
      .join('. '),
  };
}

/** A fresh grid's values: each saved code, what it showed, and its version. */
export function gridValues(data: ReturnType<typeof gridModel>): FormBody {
  const values: FormBody = {};
  for (const row of data.rows)
    for (const cell of row.cells) {
      values[`c_${cell.key}`] = cell.saved?.code ?? '';
      values[`o_${cell.key}`] = cell.saved?.code ?? '';
      values[`v_${cell.key}`] = cell.saved ? String(cell.saved.version) : '';
    }
  return values;
}

export function pupilProgressModel(page: PupilProgress) {
  return {
    pupil: page.pupil,
    className: page.className,
    academicYearLabel: `${page.academicYear}/${String((page.academicYear + 1) % 100).padStart(2, '0')}`,
    terms: page.terms,
    mayWrite: page.mayWrite,
    subjects: page.subjects.map((s) => {
      const p = s.progress;
      const t = p.trajectory;
      return {
        name: s.subject.name,
        id: s.subject.id,
        results: s.results,
        latest: p.latest ? valueCode(s.subject, p.latest.scale, p.latest.value) : null,
        latestTerm: p.latest ? termLabel(p.latest.academicYear, p.latest.term) : null,
        trajectory: t
          ? `${valueLabel(s.subject, t.scale, t.endValue)} by the end of the year${p.set ? '' : ' (as their peers)'}`
          : 'None yet: their peers’ cannot be counted without a baseline',
        reason: p.reason,
        setBy: s.trajectory?.setByName ?? null,
        status: statusTag(p.status),
        trajectoryHref: paths.pupilTrajectory.to({ pupilId: page.pupil.id, subjectId: s.subject.id }),
      };
    }),
  };
}

/** The form that sets a pupil's trajectory in one subject; null when the subject is not the school's. */
export function trajectoryFormModel(page: PupilProgress, subjectId: string) {
  const found = page.subjects.find((s) => s.subject.id === subjectId);
  if (!found || !page.mayWrite) return null;
  const s = found.subject;
  const set = found.trajectory;
  const scale = set?.scale ?? found.progress.latest?.scale ?? s.scale;
  return {
    pupil: page.pupil,
    subject: s,
    set,
    version: set?.version ?? null,
    current: set
      ? { value: valueLabel(s, set.scale, set.endValue), reason: set.reason, by: set.setByName }
      : null,
    peers: found.progress.set ? null : found.progress.trajectory,
    peersText:
      !found.progress.set && found.progress.trajectory
        ? valueLabel(s, found.progress.trajectory.scale, found.progress.trajectory.endValue)
        : null,
    scaleItems: [
      { value: s.scale, text: SCALE_LABELS[s.scale] },
      ...(s.scale === 'steps'
        ? []
        : [{ value: 'steps', text: `${SCALE_LABELS.steps} (working below their year group)` }]),
    ],
    initial: {
      scale,
      endValue: set ? valueCode(s, set.scale, set.endValue) : '',
      reason: set?.reason ?? '',
      version: set ? String(set.version) : '',
    } as FormBody,
  };
}

export function belowTrajectoryModel(list: BelowList) {
  return {
    academicYearLabel: `${list.academicYear}/${String((list.academicYear + 1) % 100).padStart(2, '0')}`,
    classItems: [
      { value: '', text: list.wholeSchool ? 'All classes' : 'All my classes', selected: !list.classId },
      ...list.classes.map((c) => ({ value: c.id, text: c.name, selected: c.id === list.classId })),
    ],
    wholeSchool: list.wholeSchool,
    count: list.pupils.length,
    notOnRegister: list.pupils.filter((p) => !onRegister(p.senStage as SenStage)).length,
    rows: list.pupils.map((p) => ({
      name: `${p.surname}, ${p.forename}`,
      href: paths.pupilProgress.to({ pupilId: p.id }),
      className: p.className ?? 'No class',
      subjects: p.subjects
        .map(
          (s) =>
            `${s.name} (${s.progress.latest ? termLabel(s.progress.latest.academicYear, s.progress.latest.term) : ''})`,
        )
        .join(', '),
      stage: stageLabel(p.senStage as SenStage),
      onRegister: onRegister(p.senStage as SenStage),
      concernHref: list.mayRaiseConcern ? paths.concernNew.to({ pupilId: p.id }) : null,
    })),
  };
}

export function subjectListModel(list: Subjects) {
  const describe = (s: Subjects['inUse'][number]) =>
    s.scale === 'bands'
      ? `${(s.bands ?? []).map((b) => b.code).join(', ')}; expected ${s.expectedBand}`
      : s.scale === 'score'
        ? `${s.scoreMin} to ${s.scoreMax}; expected ${s.scoreExpected}`
        : `${s.stepsPerYear ?? 6} small steps a year`;
  return {
    inUse: list.inUse.map((s) => ({
      name: s.name,
      scale: SCALE_LABELS[s.scale],
      detail: describe(s),
      steps: s.stepsPerYear,
      href: paths.progressSubject.to({ subjectId: s.id }),
      archiveHref: paths.progressSubjectArchive.to({ subjectId: s.id }),
    })),
    archived: list.archived.map((s) => ({ name: s.name, scale: SCALE_LABELS[s.scale] })),
  };
}
