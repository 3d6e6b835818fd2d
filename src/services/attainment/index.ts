import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { hasCapability, reachesFor } from '../../domain/access.ts';
import {
  type AssessmentScale,
  ATTAINMENT_COLUMN_LABELS,
  attainmentColumns,
  baselineOf,
  parseAcademicYear,
  parseTerm,
  parseValue,
  previousTerm,
  type SubjectInput,
  subjectProblems,
  TERMS,
  termLabel,
  termOrdinal,
  termsUpTo,
  trajectoryProblem,
  valueCode,
} from '../../domain/attainment.ts';
import { academicYearStartOf, effectiveNcYear, type TermName, termOf } from '../../domain/calendar.ts';
import { sectionCondition } from '../../repositories/access.ts';
import {
  allSubjectsOf,
  deleteResult,
  findSubject,
  hasSubjects,
  insertDefaultSubjects,
  insertResults,
  insertSubject,
  insertTrajectory,
  type ProgressPupil,
  progressOfPupils,
  progressPupils,
  pupilsBelowTrajectory,
  pupilsByUpn,
  resultsInTerms,
  resultsOfPupils,
  type SubjectRow,
  subjectsOf,
  type TermResultRow,
  trajectoriesOfPupils,
  updateResult,
  updateSubject,
  updateTrajectory,
} from '../../repositories/attainment.ts';
import { classesWithTeachers, findClass } from '../../repositories/classes.ts';
import { schoolYearOf } from '../../repositories/school-year.ts';
import { readCsv } from '../imports/read-csv.ts';
import type { Actor, SchoolActor } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { requireCapability, requireSection } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, type FieldError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { pupilFor } from '../kernel/pupil-access.ts';
import { changePupil, unitOfWork } from '../kernel/unit-of-work.ts';

export interface Term {
  academicYear: number;
  term: TermName;
}

/** One cell of the class grid as sent: what was typed, and what the form showed when it was opened. */
export interface GridCell {
  pupilId: string;
  subjectId: string;
  /** What the teacher typed ('' for no result). */
  value: string;
  /** The saved value's code the form showed ('' for none) and its version (null for none). */
  shown: string;
  version: number | null;
}

/** A set trajectory as entered on the pupil's progress page. */
export interface TrajectoryInput {
  scale: AssessmentScale;
  /** The end value as typed: a band's code, a score, a small step. */
  endValue: string;
  reason: string | null;
  /** The version the form showed (null when none was set). */
  version: number | null;
}

/** The field name of a grid cell (its input's id and name). */
export const cellField = (pupilId: string, subjectId: string) => `c_${pupilId}_${subjectId}`;

const pupilName = (p: { forename: string; surname: string }) => `${p.forename} ${p.surname}`;

/**
 * Termly attainment (issue 18): the school's subjects and scales, the class grid a teacher enters a
 * term's results on, each pupil's progress against their expected trajectory, and the early-
 * identification list of pupils below theirs.
 */
export function createAttainmentService(database: Database, clock: Clock) {
  const { db } = database;

  const currentTerm = (): Term => {
    const t = termOf(clock.today());
    return { academicYear: t.academicYearStart, term: t.term };
  };

  /** The school's subjects in use; reading, writing and maths the first time they are needed. */
  async function subjectsFor(a: SchoolActor): Promise<SubjectRow[]> {
    if (!(await hasSubjects(db, a.schoolId))) {
      await unitOfWork(db, a, async (w) => {
        if (await hasSubjects(w.tx, a.schoolId)) return;
        await insertDefaultSubjects(w.tx, a.schoolId);
        w.audit('attainment.subjects_started', { detail: { names: ['Reading', 'Writing', 'Maths'] } });
      });
    }
    return subjectsOf(db, a.schoolId);
  }

  async function subjectOr404(tx: Executor, schoolId: string, subjectId: string, lock = false) {
    const found = await findSubject(tx, schoolId, subjectId, { lock });
    if (!found) throw new NotFoundError('Subject not found', { kind: 'assessment_subject', id: subjectId });
    return found;
  }

  function checkSubject(input: SubjectInput) {
    const problems = subjectProblems(input);
    if (problems.length > 0) throw new ValidationError(problems);
  }

  const subjectValues = (input: SubjectInput) => ({
    name: input.name,
    scale: input.scale,
    bands: input.scale === 'bands' ? [...(input.bands ?? [])] : null,
    expectedBand: input.scale === 'bands' ? input.expectedBand : null,
    scoreMin: input.scale === 'score' ? input.scoreMin : null,
    scoreMax: input.scale === 'score' ? input.scoreMax : null,
    scoreExpected: input.scale === 'score' ? input.scoreExpected : null,
    stepsPerYear: input.stepsPerYear,
  });

  /**
   * The class whose grid the actor opens: whoever writes the progress of the whole school, or a teacher
   * of the class. Anyone else who writes progress (a teacher of another class) is told "not found";
   * someone whose roles write no pupil's progress (a teaching assistant) may not use the grid at all.
   */
  async function gridClass(actor: Actor, classId: string) {
    const a = requireSection(actor, 'progress', 'write');
    const reaches = reachesFor(a.roles, 'progress', 'write');
    const found = await findClass(db, a.schoolId, classId);
    if (!found || found.archivedAt)
      throw new NotFoundError('Class not found', { kind: 'class', id: classId });
    const teaches = reaches.includes('classes_taught') && found.teachers.some((t) => t.userId === a.userId);
    if (!reaches.includes('school') && !teaches)
      throw new NotFoundError('Class not found', { kind: 'class', id: classId });
    return { a, schoolClass: found };
  }

  async function academicYearStart(schoolId: string): Promise<number> {
    const year = await schoolYearOf(db, schoolId);
    return Math.max(academicYearStartOf(clock.today()), year?.rolledOverTo ?? 0);
  }

  function checkTerm(when: Term | undefined): Term {
    const now = currentTerm();
    if (!when) return now;
    if (!TERMS.includes(when.term) || when.academicYear < 2000 || when.academicYear > now.academicYear)
      throw new NotFoundError('Term not found');
    if (when.academicYear === now.academicYear && TERMS.indexOf(when.term) > TERMS.indexOf(now.term))
      throw new NotFoundError('Term not found');
    return when;
  }

  /**
   * An MIS assessment export read and checked against the school's pupils (by UPN), subjects (by
   * name) and scales: each row's outcome, and what would be written. Nothing is written here.
   */
  async function readImport(tx: Executor, a: SchoolActor, file: { fileName: string; data: Buffer }) {
    const read = readCsv(file.fileName, file.data);
    if (!read.ok) throw new ValidationError([{ field: 'file', message: read.message }]);
    const found = attainmentColumns(read.source.headings);
    if ('missing' in found)
      throw new ValidationError([
        {
          field: 'file',
          message: `${file.fileName} has no column for ${found.missing.map((c) => ATTAINMENT_COLUMN_LABELS[c]).join(', ')}: the file needs UPN, Subject, Academic year, Term and Value columns`,
        },
      ]);
    const { columns } = found;
    const now = currentTerm();
    if (!(await hasSubjects(tx, a.schoolId))) await insertDefaultSubjects(tx, a.schoolId);
    const subjects = await subjectsOf(tx, a.schoolId);
    const byName = new Map(subjects.map((s) => [s.name.toLowerCase(), s]));
    const cellOf = (cells: string[], column: keyof typeof columns) => cells[columns[column]] ?? '';
    const upns = [...new Set(read.source.rows.map((r) => cellOf(r.cells, 'upn').toUpperCase()))];
    const start = await academicYearStart(a.schoolId);
    const pupils = new Map((await pupilsByUpn(tx, a.schoolId, upns, start)).map((p) => [p.upn, p]));
    const rows: ImportRow[] = [];
    const writes: {
      row: ImportRow;
      pupilId: string;
      subject: SubjectRow;
      term: Term;
      scale: AssessmentScale;
      value: number;
      ncYear: number;
    }[] = [];
    const seen = new Set<string>();
    for (const r of read.source.rows) {
      const upn = cellOf(r.cells, 'upn').toUpperCase();
      const p = pupils.get(upn);
      const subjectName = cellOf(r.cells, 'subject');
      const subject = byName.get(subjectName.toLowerCase());
      const year = parseAcademicYear(cellOf(r.cells, 'academicYear'));
      const termName = parseTerm(cellOf(r.cells, 'term'));
      const raw = cellOf(r.cells, 'value');
      const row: ImportRow = {
        line: r.line,
        upn,
        pupilName: p ? pupilName(p) : null,
        subject: subject?.name ?? subjectName,
        termLabel:
          year !== null && termName
            ? termLabel(year, termName)
            : `${cellOf(r.cells, 'term')} ${cellOf(r.cells, 'academicYear')}`.trim(),
        value: raw,
        outcome: { kind: 'add' },
      };
      rows.push(row);
      const wrong = (problem: string) => {
        row.outcome = { kind: 'wrong', problem };
      };
      if (!p) {
        wrong(upn ? `No pupil of the school has the UPN ${upn}` : 'The UPN is missing');
        continue;
      }
      if (!subject) {
        wrong(
          `${subjectName || 'The subject'} is not one of the school’s subjects (${subjects.map((s) => s.name).join(', ')})`,
        );
        continue;
      }
      if (year === null) {
        wrong('Write the academic year as 2026 or 2026/27');
        continue;
      }
      if (!termName) {
        wrong('Write the term as Autumn, Spring or Summer');
        continue;
      }
      if (termOrdinal(year, termName) > termOrdinal(now.academicYear, now.term)) {
        wrong(`${termLabel(year, termName)} has not come yet`);
        continue;
      }
      if (raw === '') {
        wrong('The value is missing');
        continue;
      }
      const parsed = parseValue(subject, raw);
      if ('problem' in parsed) {
        wrong(parsed.problem);
        continue;
      }
      const key = `${p.id}:${subject.id}:${year}:${termName}`;
      if (seen.has(key)) {
        wrong(
          `${pupilName(p)} already has a ${subject.name} result for ${termLabel(year, termName)} in this file`,
        );
        continue;
      }
      seen.add(key);
      writes.push({
        row,
        pupilId: p.id,
        subject,
        term: { academicYear: year, term: termName },
        scale: parsed.scale,
        value: parsed.value,
        ncYear: p.ncYear - (now.academicYear - year),
      });
    }
    const terms = [...new Map(writes.map((x) => [`${x.term.academicYear}-${x.term.term}`, x.term])).values()];
    const existing = await resultsInTerms(tx, a.schoolId, [...new Set(writes.map((x) => x.pupilId))], terms, {
      lock: true,
    });
    const existingOf = new Map(
      existing.map((e) => [`${e.pupilId}:${e.subjectId}:${e.academicYear}:${e.term}`, e]),
    );
    const changes = writes.map((x) => {
      const current =
        existingOf.get(`${x.pupilId}:${x.subject.id}:${x.term.academicYear}:${x.term.term}`) ?? null;
      if (current) {
        const from = valueCode(x.subject, current.scale, current.value);
        x.row.outcome =
          current.scale === x.scale && current.value === x.value
            ? { kind: 'same' }
            : { kind: 'change', from };
      }
      return { ...x, current };
    });
    return { fileName: file.fileName, rows, changes };
  }

  function importSummary(rows: readonly ImportRow[]) {
    const count = (kind: ImportRow['outcome']['kind']) => rows.filter((r) => r.outcome.kind === kind).length;
    return { add: count('add'), change: count('change'), same: count('same'), wrong: count('wrong') };
  }

  return {
    currentTerm,

    /** What an MIS assessment export would add and change, and which rows are wrong and why. */
    async previewImport(actor: Actor, file: { fileName: string; data: Buffer }) {
      const a = requireCapability(actor, 'progress.manage');
      const read = await unitOfWork(db, a, async (w) => {
        const found = await readImport(w.tx, a, file);
        const shown = [...new Set(found.changes.map((c) => c.pupilId))];
        if (shown.length > 0)
          w.audit('attainment.import_previewed', {
            detail: { fileName: file.fileName },
            shownPupilIds: shown,
          });
        return found;
      });
      const wrongFirst = [
        ...read.rows.filter((r) => r.outcome.kind === 'wrong'),
        ...read.rows.filter((r) => r.outcome.kind !== 'wrong'),
      ];
      return { fileName: read.fileName, rows: wrongFirst, summary: importSummary(read.rows) };
    },

    /**
     * Apply an MIS assessment export whole or not at all: any wrong row and nothing is written (the
     * preview says which and why). Results added or changed with `source: 'import'`, audited by pupil.
     */
    async applyImport(actor: Actor, file: { fileName: string; data: Buffer }) {
      const a = requireCapability(actor, 'progress.manage');
      return unitOfWork(db, a, async (w) => {
        const { rows, changes } = await readImport(w.tx, a, file);
        const summary = importSummary(rows);
        if (summary.wrong > 0)
          throw new ValidationError([
            {
              field: 'file',
              message: `${summary.wrong === 1 ? '1 row has a problem' : `${summary.wrong} rows have problems`}: nothing was imported. Check the file (select “Check the file” to see which rows and why), correct them and import it again`,
            },
          ]);
        const recorded = { source: 'import' as const, recordedBy: a.userId, recordedByName: a.name };
        const inserts: Parameters<typeof insertResults>[1] = [];
        const byPupil = new Map<
          string,
          { subject: string; term: string; from: string | null; to: string }[]
        >();
        for (const c of changes) {
          if (c.row.outcome.kind === 'same') continue;
          const to = valueCode(c.subject, c.scale, c.value);
          byPupil.set(c.pupilId, [
            ...(byPupil.get(c.pupilId) ?? []),
            {
              subject: c.subject.name,
              term: c.row.termLabel,
              from: c.current ? valueCode(c.subject, c.current.scale, c.current.value) : null,
              to,
            },
          ]);
          if (c.current)
            await updateResult(w.tx, a.schoolId, c.current.id, c.current.version, {
              scale: c.scale,
              value: c.value,
              ncYear: c.ncYear,
              ...recorded,
            });
          else
            inserts.push({
              schoolId: a.schoolId,
              id: randomUUID(),
              pupilId: c.pupilId,
              subjectId: c.subject.id,
              academicYear: c.term.academicYear,
              term: c.term.term,
              scale: c.scale,
              value: c.value,
              ncYear: c.ncYear,
              ...recorded,
            });
        }
        await insertResults(w.tx, inserts);
        for (const [pupilId, list] of byPupil)
          w.audit('attainment.imported', {
            pupilId,
            detail: { fileName: file.fileName, source: 'import', changes: list },
          });
        return { ...summary, pupils: byPupil.size };
      });
    },

    /** May this actor manage subjects? For the add form. */
    checkCanManage(actor: Actor): void {
      requireCapability(actor, 'progress.manage');
    },

    /** The school's subjects (archived ones apart), with defaults the first time. */
    async subjects(actor: Actor) {
      const a = requireCapability(actor, 'progress.manage');
      await subjectsFor(a);
      const all = await allSubjectsOf(db, a.schoolId);
      return { inUse: all.filter((s) => !s.archivedAt), archived: all.filter((s) => s.archivedAt) };
    },

    async subject(actor: Actor, subjectId: string) {
      const a = requireCapability(actor, 'progress.manage');
      const found = await subjectOr404(db, a.schoolId, subjectId);
      if (found.archivedAt)
        throw new NotFoundError('Subject not found', { kind: 'assessment_subject', id: subjectId });
      return found;
    },

    async addSubject(actor: Actor, input: SubjectInput): Promise<string> {
      const a = requireCapability(actor, 'progress.manage');
      checkSubject(input);
      const id = randomUUID();
      await unitOfWork(db, a, async (w) => {
        if (!(await hasSubjects(w.tx, a.schoolId))) await insertDefaultSubjects(w.tx, a.schoolId);
        await insertSubject(w.tx, a.schoolId, id, subjectValues(input));
        w.audit('attainment.subject_added', {
          detail: { subjectId: id, name: input.name, scale: input.scale },
        });
      });
      return id;
    },

    async changeSubject(actor: Actor, subjectId: string, version: number, input: SubjectInput) {
      const a = requireCapability(actor, 'progress.manage');
      checkSubject(input);
      await unitOfWork(db, a, async (w) => {
        const current = await subjectOr404(w.tx, a.schoolId, subjectId, true);
        if (current.archivedAt)
          throw new NotFoundError('Subject not found', { kind: 'assessment_subject', id: subjectId });
        if (
          current.version !== version ||
          !(await updateSubject(w.tx, a.schoolId, subjectId, version, subjectValues(input)))
        )
          throw new ConflictError(
            'Someone else changed this subject while you were editing. Their version is shown below; your changes are kept in the form: check them and save again.',
          );
        w.audit('attainment.subject_changed', {
          detail: {
            subjectId,
            before: { name: current.name, scale: current.scale },
            after: { name: input.name, scale: input.scale },
          },
        });
      });
    },

    async archiveSubject(actor: Actor, subjectId: string, version: number): Promise<string> {
      const a = requireCapability(actor, 'progress.manage');
      return unitOfWork(db, a, async (w) => {
        const current = await subjectOr404(w.tx, a.schoolId, subjectId, true);
        if (current.archivedAt)
          throw new ValidationError([{ field: 'form', message: `${current.name} is already archived` }]);
        if (
          current.version !== version ||
          !(await updateSubject(w.tx, a.schoolId, subjectId, version, { archivedAt: clock.now() }))
        )
          throw new ConflictError(
            'Someone else changed this subject meanwhile: check it and archive it again.',
          );
        w.audit('attainment.subject_archived', { detail: { subjectId, name: current.name } });
        return current.name;
      });
    },

    /** The Progress area: the classes whose grid the actor may open, and what else they may use. */
    async home(actor: Actor) {
      const a = requireSection(actor, 'progress', 'write');
      const reaches = reachesFor(a.roles, 'progress', 'write');
      const classes = (await classesWithTeachers(db, a.schoolId)).filter(
        (c) =>
          !c.archivedAt &&
          (reaches.includes('school') ||
            (reaches.includes('classes_taught') && c.teachers.some((t) => t.userId === a.userId))),
      );
      return { classes, term: currentTerm(), wholeSchool: reaches.includes('school') };
    },

    /**
     * A class's attainment grid for a term (the current one unless asked): its pupils on roll, the
     * school's subjects, each pupil's saved result and last term's; audited with the pupils shown.
     */
    async grid(actor: Actor, classId: string, when?: Term, options: { audit: boolean } = { audit: true }) {
      const { a, schoolClass } = await gridClass(actor, classId);
      const term = checkTerm(when);
      const before = previousTerm(term.academicYear, term.term);
      const start = await academicYearStart(a.schoolId);
      const [subjects, pupils] = await Promise.all([
        subjectsFor(a),
        progressPupils(db, a.schoolId, sectionCondition(scopeOfActor(a), 'progress', 'write'), start, {
          classId,
        }),
      ]);
      const results = await resultsInTerms(
        db,
        a.schoolId,
        pupils.map((p) => p.id),
        [term, before],
      );
      if (options.audit && pupils.length > 0)
        await audit(db, a, 'attainment.grid_viewed', {
          detail: { classId, name: schoolClass.name, academicYear: term.academicYear, term: term.term },
          shownPupilIds: pupils.map((p) => p.id),
        });
      const key = (r: { pupilId: string; subjectId: string }) => `${r.pupilId}:${r.subjectId}`;
      const same = (r: TermResultRow, t: Term) => r.academicYear === t.academicYear && r.term === t.term;
      const now = new Map(results.filter((r) => same(r, term)).map((r) => [key(r), r]));
      const last = new Map(results.filter((r) => same(r, before)).map((r) => [key(r), r]));
      const current = currentTerm();
      return {
        schoolClass,
        term,
        termLabel: termLabel(term.academicYear, term.term),
        previousTermLabel: termLabel(before.academicYear, before.term),
        /** The terms the grid can be opened for: this year's so far and last year's. */
        terms: termsUpTo(current.academicYear, current.term, TERMS.indexOf(current.term) + 4).reverse(),
        subjects,
        pupils: pupils.map((p) => ({
          ...p,
          cells: subjects.map((s) => {
            const saved = now.get(`${p.id}:${s.id}`) ?? null;
            const previous = last.get(`${p.id}:${s.id}`) ?? null;
            return {
              subjectId: s.id,
              field: cellField(p.id, s.id),
              saved: saved
                ? {
                    code: valueCode(s, saved.scale, saved.value),
                    version: saved.version,
                    by: saved.recordedByName,
                  }
                : null,
              previous: previous ? valueCode(s, previous.scale, previous.value) : null,
            };
          }),
        })),
      };
    },

    /**
     * Save a class's grid for a term in one unit of work: each changed cell inserted, updated or (empty)
     * deleted, with the pupil's NC year. Any cell that cannot be read: nothing saved, each named. A cell
     * someone else saved meanwhile that this person changed too: a conflict showing their value.
     */
    async saveGrid(actor: Actor, classId: string, when: Term | undefined, cells: readonly GridCell[]) {
      const { a, schoolClass } = await gridClass(actor, classId);
      const term = checkTerm(when);
      const start = await academicYearStart(a.schoolId);
      return unitOfWork(db, a, async (w) => {
        const [subjects, pupils] = await Promise.all([
          subjectsOf(w.tx, a.schoolId),
          progressPupils(w.tx, a.schoolId, sectionCondition(scopeOfActor(a), 'progress', 'write'), start, {
            classId,
          }),
        ]);
        const subjectById = new Map(subjects.map((s) => [s.id, s]));
        const pupilById = new Map(pupils.map((p) => [p.id, p]));
        const errors: FieldError[] = [];
        const parsed: { cell: GridCell; scale: AssessmentScale; value: number; pupil: ProgressPupil }[] = [];
        const cleared: { cell: GridCell; pupil: ProgressPupil }[] = [];
        for (const cell of cells) {
          const subject = subjectById.get(cell.subjectId);
          const p = pupilById.get(cell.pupilId);
          if (!subject || !p) continue; // a pupil who left the class, a subject archived: not on the grid now
          const typed = cell.value.trim();
          if (typed === '') {
            cleared.push({ cell, pupil: p });
            continue;
          }
          const value = parseValue(subject, typed);
          if ('problem' in value)
            errors.push({ field: cellField(p.id, subject.id), message: `${pupilName(p)}: ${value.problem}` });
          else parsed.push({ cell, scale: value.scale, value: value.value, pupil: p });
        }
        if (errors.length > 0) throw new ValidationError(errors);
        const saved = await resultsInTerms(w.tx, a.schoolId, [...pupilById.keys()], [term], { lock: true });
        const savedOf = new Map(saved.map((r) => [`${r.pupilId}:${r.subjectId}`, r]));
        const conflicts: Record<string, string> = {};
        const inserts: Parameters<typeof insertResults>[1] = [];
        const changedByPupil = new Map<
          string,
          { subject: string; from: string | null; to: string | null }[]
        >();
        const note = (pupilId: string, change: { subject: string; from: string | null; to: string | null }) =>
          changedByPupil.set(pupilId, [...(changedByPupil.get(pupilId) ?? []), change]);
        const recorded = { source: 'grid' as const, recordedBy: a.userId, recordedByName: a.name };
        const isStale = (cell: GridCell, current: TermResultRow | undefined) =>
          (current?.version ?? null) !== cell.version;
        const work: (() => Promise<void>)[] = [];
        for (const { cell, scale, value, pupil: p } of parsed) {
          const subject = subjectById.get(cell.subjectId)!;
          const current = savedOf.get(`${cell.pupilId}:${cell.subjectId}`);
          const code = valueCode(subject, scale, value);
          const currentCode = current ? valueCode(subject, current.scale, current.value) : null;
          if (currentCode === code && current?.scale === scale) continue;
          if (isStale(cell, current)) {
            if (code.toUpperCase() === cell.shown.trim().toUpperCase()) continue; // untouched here
            conflicts[cellField(p.id, subject.id)] = currentCode
              ? `${currentCode} (${current!.recordedByName})`
              : 'no result';
            continue;
          }
          note(p.id, { subject: subject.name, from: currentCode, to: code });
          if (current)
            work.push(async () => {
              await updateResult(w.tx, a.schoolId, current.id, current.version, {
                scale,
                value,
                ncYear: p.ncYear,
                ...recorded,
              });
            });
          else
            inserts.push({
              schoolId: a.schoolId,
              id: randomUUID(),
              pupilId: p.id,
              subjectId: subject.id,
              academicYear: term.academicYear,
              term: term.term,
              scale,
              value,
              ncYear: p.ncYear,
              ...recorded,
            });
        }
        for (const { cell, pupil: p } of cleared) {
          const subject = subjectById.get(cell.subjectId)!;
          const current = savedOf.get(`${cell.pupilId}:${cell.subjectId}`);
          if (!current) continue;
          const currentCode = valueCode(subject, current.scale, current.value);
          if (isStale(cell, current)) {
            if (cell.shown.trim() === '') continue; // it was empty here and someone filled it: keep theirs
            conflicts[cellField(p.id, subject.id)] = `${currentCode} (${current.recordedByName})`;
            continue;
          }
          note(p.id, { subject: subject.name, from: currentCode, to: null });
          work.push(async () => {
            await deleteResult(w.tx, a.schoolId, current.id, current.version);
          });
        }
        if (Object.keys(conflicts).length > 0)
          throw new ConflictError(
            'Someone else saved results for this class while you were entering them. Their values are shown beside your own, which are kept: check them and save again.',
            { cells: conflicts },
          );
        for (const step of work) await step();
        await insertResults(w.tx, inserts);
        for (const [pupilId, changes] of changedByPupil) {
          const clearedOnly = changes.every((c) => c.to === null);
          w.audit(clearedOnly ? 'attainment.results_cleared' : 'attainment.results_recorded', {
            pupilId,
            detail: { classId, academicYear: term.academicYear, term: term.term, source: 'grid', changes },
          });
        }
        return {
          name: schoolClass.name,
          termLabel: termLabel(term.academicYear, term.term),
          pupils: changedByPupil.size,
        };
      });
    },

    /**
     * A pupil's progress: each subject's results over the last two years, this year's trajectory (set,
     * or their peers') and its status. Audited on the pupil's record.
     */
    async pupilProgress(
      actor: Actor,
      pupilId: string,
      options: { audit: boolean; write?: boolean; subjectId?: string } = { audit: true },
    ) {
      const level = options.write ? 'write' : 'read';
      const a = requireSection(actor, 'progress', level);
      // Another school's subject is named as such (its school sees the probe), before the pupil is looked at.
      if (options.subjectId) {
        const subject = await findSubject(db, a.schoolId, options.subjectId);
        if (!subject || subject.archivedAt)
          throw new NotFoundError('Subject not found', { kind: 'assessment_subject', id: options.subjectId });
      }
      const found = await pupilFor(db, a, pupilId, { section: 'progress', level });
      const now = currentTerm();
      const year = now.academicYear;
      const [subjects, results, trajectories] = await Promise.all([
        subjectsFor(a),
        resultsOfPupils(db, a.schoolId, [pupilId], year - 1),
        trajectoriesOfPupils(db, a.schoolId, [pupilId], year),
      ]);
      if (options.subjectId && !subjects.some((s) => s.id === options.subjectId))
        throw new NotFoundError('Subject not found', { kind: 'assessment_subject', id: options.subjectId });
      const { progress } = await progressOfPupils(db, a.schoolId, [pupilId], year, subjects);
      if (options.audit)
        await audit(db, a, 'attainment.pupil_viewed', { pupilId, detail: { academicYear: year } });
      const terms = termsUpTo(now.academicYear, now.term, 6);
      const yearStart = await academicYearStart(a.schoolId);
      return {
        pupil: found.pupil,
        className: found.className,
        ncYear: effectiveNcYear(
          found.pupil.dateOfBirth,
          found.pupil.ncYearOverride,
          clock.today(),
          yearStart,
        ),
        mayWrite: found.access.progress === 'write' && !found.pupil.leftOn,
        academicYear: year,
        terms: terms.map((t) => ({ ...t, label: termLabel(t.academicYear, t.term) })),
        subjects: subjects.map((s) => {
          const mine = results.filter((r) => r.subjectId === s.id);
          const set = trajectories.find((t) => t.subjectId === s.id) ?? null;
          return {
            subject: s,
            results: terms.map((t) => {
              const r = mine.find((x) => x.academicYear === t.academicYear && x.term === t.term);
              return r ? valueCode(s, r.scale, r.value) : null;
            }),
            progress: progress.get(pupilId)!.get(s.id)!,
            trajectory: set,
          };
        }),
      };
    },

    /**
     * Set or change a pupil's trajectory in a subject for this academic year: the reason is required
     * when it differs from their peers'. Versioned, audited on the pupil's record.
     */
    async setTrajectory(actor: Actor, pupilId: string, subjectId: string, input: TrajectoryInput) {
      const a = requireSection(actor, 'progress', 'write');
      const year = currentTerm().academicYear;
      const known = await findSubject(db, a.schoolId, subjectId);
      if (!known || known.archivedAt)
        throw new NotFoundError('Subject not found', { kind: 'assessment_subject', id: subjectId });
      return changePupil(db, a, pupilId, { section: 'progress', level: 'write' }, async (w) => {
        const subject = await findSubject(w.tx, a.schoolId, subjectId);
        if (!subject || subject.archivedAt)
          throw new NotFoundError('Subject not found', { kind: 'assessment_subject', id: subjectId });
        const typed = input.endValue.trim();
        const parsed = typed === '' ? null : parseValue(subject, typed);
        if (!parsed)
          throw new ValidationError([
            { field: 'endValue', message: 'Enter where the pupil is expected to be by the end of the year' },
          ]);
        if ('problem' in parsed) throw new ValidationError([{ field: 'endValue', message: parsed.problem }]);
        if (parsed.scale !== input.scale)
          throw new ValidationError([
            {
              field: 'endValue',
              message:
                input.scale === 'steps'
                  ? 'Enter a small step such as S8'
                  : `Enter a value on the ${subject.name} scale, not a small step`,
            },
          ]);
        const results = await resultsOfPupils(w.tx, a.schoolId, [pupilId], year - 1);
        const baseline = baselineOf(
          results.filter((r) => r.subjectId === subjectId),
          year,
          input.scale,
        );
        const reason = input.reason?.trim() || null;
        const problem = trajectoryProblem(
          subject,
          { scale: input.scale, endValue: parsed.value, reason },
          baseline,
        );
        if (problem)
          throw new ValidationError([
            { field: problem.startsWith('Say why') ? 'reason' : 'endValue', message: problem },
          ]);
        const [current] = (await trajectoriesOfPupils(w.tx, a.schoolId, [pupilId], year)).filter(
          (t) => t.subjectId === subjectId,
        );
        const conflict = () =>
          new ConflictError(
            'Someone else changed this trajectory while you were editing. Theirs is shown below; yours is kept in the form: check it and save again.',
          );
        const values = {
          scale: input.scale,
          endValue: parsed.value,
          reason,
          setBy: a.userId,
          setByName: a.name,
        };
        if (current) {
          if (current.version !== input.version) throw conflict();
          if (!(await updateTrajectory(w.tx, a.schoolId, current.id, current.version, values)))
            throw conflict();
        } else {
          if (input.version !== null) throw conflict();
          await insertTrajectory(w.tx, {
            schoolId: a.schoolId,
            id: randomUUID(),
            pupilId,
            subjectId,
            academicYear: year,
            ...values,
          });
        }
        w.audit('attainment.trajectory_set', {
          pupilId,
          detail: {
            subjectId,
            subject: subject.name,
            academicYear: year,
            from: current ? valueCode(subject, current.scale, current.endValue) : null,
            to: valueCode(subject, input.scale, parsed.value),
            reason,
          },
        });
        return { name: pupilName(w.pupil), subject: subject.name };
      });
    },

    /**
     * The early-identification list: pupils the actor writes the progress of (the whole school, or a
     * teacher's classes), below their trajectory in any subject at their latest result this year, with
     * their SEN stage; a class to narrow it to. Audited with the pupils shown.
     */
    async belowTrajectory(actor: Actor, filters: { classId?: string | null } = {}) {
      const a = requireSection(actor, 'progress', 'write');
      const reaches = reachesFor(a.roles, 'progress', 'write');
      const year = currentTerm().academicYear;
      const start = await academicYearStart(a.schoolId);
      const classes = (await classesWithTeachers(db, a.schoolId)).filter(
        (c) => !c.archivedAt && (reaches.includes('school') || c.teachers.some((t) => t.userId === a.userId)),
      );
      const classId =
        filters.classId && classes.some((c) => c.id === filters.classId) ? filters.classId : null;
      const pupils = await progressPupils(
        db,
        a.schoolId,
        sectionCondition(scopeOfActor(a), 'progress', 'write'),
        start,
        {
          classId,
        },
      );
      const below = await pupilsBelowTrajectory(db, pupils, a.schoolId, year);
      if (below.length > 0)
        await audit(db, a, 'attainment.below_trajectory_listed', {
          detail: { academicYear: year, classId },
          shownPupilIds: below.map((p) => p.id),
        });
      return {
        academicYear: year,
        classes: classes.map((c) => ({ id: c.id, name: c.name })),
        classId,
        wholeSchool: reaches.includes('school'),
        pupils: below,
        mayRaiseConcern: hasCapability(a.roles, 'concern.raise'),
      };
    },
  };
}

/** One row of an MIS assessment export as it will be applied, or why it cannot be. */
export interface ImportRow {
  line: number;
  upn: string;
  pupilName: string | null;
  subject: string;
  termLabel: string;
  value: string;
  /** What it does: adds a result, changes one (from what), leaves one as it is; or its problem. */
  outcome:
    | { kind: 'add' }
    | { kind: 'change'; from: string }
    | { kind: 'same' }
    | { kind: 'wrong'; problem: string };
}

function scopeOfActor(a: SchoolActor) {
  return { schoolId: a.schoolId, userId: a.userId, roles: a.roles };
}

export type AttainmentService = ReturnType<typeof createAttainmentService>;
