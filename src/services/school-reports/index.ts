import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { hasCapability } from '../../domain/access.ts';
import { academicYearLabel, academicYearStartOf } from '../../domain/calendar.ts';
import {
  checklist,
  isSchoolReportKind,
  itemsNamingPupils,
  notYetReportable,
  SCHOOL_REPORT_KIND_LABELS,
  type SchoolReportKind,
  textProblems,
  writtenItems,
} from '../../domain/school-reports.ts';
import {
  findSchoolReport,
  insertSchoolReport,
  publishSchoolReport,
  pupilNamesOfSchool,
  type SchoolReportRow,
  schoolReportsOf,
  updateSchoolReportTexts,
} from '../../repositories/school-reports.ts';
import { findSchool } from '../../repositories/schools.ts';
import type { Actor, SchoolActor } from '../kernel/actor.ts';
import { requireCapability } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { unitOfWork } from '../kernel/unit-of-work.ts';
import { type ReportFigures, reportFigures } from './figures.ts';

export type { ReportFigures } from './figures.ts';

/** What a published report keeps: the school's words and the figures, as they were that day. */
export interface PublishedReport {
  texts: Record<string, string>;
  figures: ReportFigures;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const notFound = (id: string) => new NotFoundError('Report not found', { kind: 'school_report', id });

/**
 * The school's two SEN reports (issue 18): the SEN information report and the governors' annual SEN
 * report, drafted from live figures with the school's own words for each item. The SENCo and the head
 * write them (`reports.write`); they, the SEN governor and the assessment lead read them
 * (`reports.read`). Publishing freezes the words and the figures for the year. No report names a pupil.
 */
export function createSchoolReportService(
  database: Database,
  clock: Clock,
  options: { suppressionThreshold: number },
) {
  const { db } = database;

  const policy = (a: SchoolActor, row: Pick<SchoolReportRow, 'publishedAt'> | null) => {
    const write = hasCapability(a.roles, 'reports.write');
    return { mayEdit: write && !row?.publishedAt, mayPublish: write && !row?.publishedAt };
  };

  async function load(a: SchoolActor, reportId: string, lock = false) {
    if (!UUID.test(reportId)) throw notFound(reportId);
    return { found: await findSchoolReport(db, a.schoolId, reportId, { lock }) };
  }

  /** The report as it reads: the published words and figures, or the draft's words with live figures. */
  async function documentOf(a: SchoolActor, row: SchoolReportRow) {
    const published = row.published as PublishedReport | null;
    const texts = published?.texts ?? row.texts;
    const figures =
      published?.figures ??
      (await reportFigures(db, a.schoolId, row.academicYear, clock.today(), options.suppressionThreshold));
    const school = await findSchool(db, a.schoolId);
    return {
      report: {
        id: row.id,
        kind: row.kind,
        kindLabel: SCHOOL_REPORT_KIND_LABELS[row.kind],
        academicYear: row.academicYear,
        yearLabel: academicYearLabel(row.academicYear),
        version: row.version,
        publishedAt: row.publishedAt,
        updatedAt: row.updatedAt,
        updatedByName: row.updatedByName,
      },
      schoolName: school?.name ?? '',
      texts,
      figures,
      checklist: checklist(row.kind, texts),
      allowed: policy(a, row),
    };
  }

  return {
    /** The school's reports, this year's and last year's of each kind, drafted or not yet. */
    async list(actor: Actor, options: { toWrite?: boolean } = {}) {
      // Read by whoever reads the reports; read to start a draft, only by those who write them.
      const a = requireCapability(actor, options.toWrite ? 'reports.write' : 'reports.read');
      const current = academicYearStartOf(clock.today());
      const rows = await schoolReportsOf(db, a.schoolId);
      const years = [current, current - 1];
      const kinds: SchoolReportKind[] = ['sen_information', 'governors_annual'];
      const reports = years.flatMap((academicYear) =>
        kinds.flatMap((kind) => {
          const row = rows.find((r) => r.kind === kind && r.academicYear === academicYear);
          // This year's governors' report is offered once the year has ended (one drafted earlier shows).
          if (!row && notYetReportable(kind, academicYear, current)) return [];
          const list = row ? checklist(kind, row.texts) : null;
          return [
            {
              kind,
              kindLabel: SCHOOL_REPORT_KIND_LABELS[kind],
              academicYear,
              yearLabel: academicYearLabel(academicYear),
              id: row?.id ?? null,
              publishedAt: row?.publishedAt ?? null,
              missing: list?.missing.length ?? null,
            },
          ];
        }),
      );
      const older = rows
        .filter((r) => !years.includes(r.academicYear))
        .map((r) => ({
          kind: r.kind,
          kindLabel: SCHOOL_REPORT_KIND_LABELS[r.kind],
          academicYear: r.academicYear,
          yearLabel: academicYearLabel(r.academicYear),
          id: r.id,
          publishedAt: r.publishedAt,
          missing: checklist(r.kind, r.texts).missing.length,
        }));
      await unitOfWork(db, a, async (w) => {
        w.audit('school_report.listed', { detail: { reports: rows.length } });
      });
      return { reports: [...reports, ...older], mayWrite: hasCapability(a.roles, 'reports.write') };
    },

    /** Start the draft of a report for a year (this year or last), or find the one already started. */
    async start(actor: Actor, input: { kind: string; academicYear: number }): Promise<string> {
      const a = requireCapability(actor, 'reports.write');
      const current = academicYearStartOf(clock.today());
      if (!isSchoolReportKind(input.kind))
        throw new ValidationError([{ field: 'kind', message: 'Choose which report to draft' }]);
      if (
        !Number.isInteger(input.academicYear) ||
        input.academicYear < current - 1 ||
        input.academicYear > current
      )
        throw new ValidationError([{ field: 'academicYear', message: 'Choose this school year or last' }]);
      const kind = input.kind;
      const early = notYetReportable(kind, input.academicYear, current);
      if (early) throw new ValidationError([{ field: 'academicYear', message: early }]);
      return unitOfWork(db, a, async (w) => {
        const id = await insertSchoolReport(w.tx, {
          schoolId: a.schoolId,
          id: randomUUID(),
          kind,
          academicYear: input.academicYear,
          texts: {},
          updatedBy: a.userId,
        });
        w.audit('school_report.drafted', {
          detail: { reportId: id, kind, academicYear: input.academicYear },
        });
        return id;
      });
    },

    /** A report to read, with its figures, its charts' data and the checklist of what is missing. */
    async report(
      actor: Actor,
      reportId: string,
      options: { audit?: boolean; purpose?: 'page' | 'pdf' | 'html'; toPublish?: boolean } = {},
    ) {
      // Read by whoever reads the reports; read to publish, only by those who write them.
      const a = requireCapability(actor, options.toPublish ? 'reports.write' : 'reports.read');
      const { found } = await load(a, reportId);
      if (!found) throw notFound(reportId);
      const doc = await documentOf(a, found);
      if (options.audit !== false)
        await unitOfWork(db, a, async (w) => {
          w.audit(
            options.purpose && options.purpose !== 'page'
              ? 'school_report.downloaded'
              : 'school_report.viewed',
            {
              detail: {
                reportId,
                kind: found.kind,
                academicYear: found.academicYear,
                as: options.purpose ?? 'page',
              },
            },
          );
        });
      return doc;
    },

    /** The report's words for the edit page: one box for each item the school writes. */
    async forEdit(actor: Actor, reportId: string, options: { audit?: boolean } = {}) {
      const a = requireCapability(actor, 'reports.write');
      const { found } = await load(a, reportId);
      if (!found) throw notFound(reportId);
      if (found.publishedAt)
        throw new ValidationError([
          { field: 'report', message: 'This report has been published: its words can no longer be changed' },
        ]);
      if (options.audit !== false)
        await unitOfWork(db, a, async (w) => {
          w.audit('school_report.viewed', { detail: { reportId, kind: found.kind, as: 'edit' } });
        });
      return {
        report: {
          id: found.id,
          kind: found.kind,
          kindLabel: SCHOOL_REPORT_KIND_LABELS[found.kind],
          yearLabel: academicYearLabel(found.academicYear),
          updatedByName: found.updatedByName,
          updatedAt: found.updatedAt,
        },
        items: writtenItems(found.kind),
        texts: found.texts,
        version: found.version,
        checklist: checklist(found.kind, found.texts),
      };
    },

    /**
     * Save the school's words. A stale save (someone else saved since the page was read) is refused:
     * their words are shown with the user's, which are kept.
     */
    async saveTexts(actor: Actor, reportId: string, version: number, texts: Record<string, unknown>) {
      const a = requireCapability(actor, 'reports.write');
      if (!UUID.test(reportId)) throw notFound(reportId);
      return unitOfWork(db, a, async (w) => {
        const found = await findSchoolReport(w.tx, a.schoolId, reportId, { lock: true });
        if (!found) throw notFound(reportId);
        if (found.publishedAt)
          throw new ValidationError([
            {
              field: 'report',
              message: 'This report has been published: its words can no longer be changed',
            },
          ]);
        const problems = textProblems(found.kind, texts);
        if (problems.length > 0) throw new ValidationError(problems);
        if (found.version !== version)
          throw new ConflictError(
            `${found.updatedByName ?? 'Someone else'} saved this report while you were editing. Their words are shown below each box; yours are kept in the boxes: check them and save again.`,
            { texts: found.texts, updatedByName: found.updatedByName },
          );
        const next: Record<string, string> = {};
        for (const item of writtenItems(found.kind)) {
          const value = texts[item.key];
          const text =
            typeof value === 'string' ? value.replace(/\r\n?/g, '\n').trim() : (found.texts[item.key] ?? '');
          if (text !== '') next[item.key] = text;
        }
        const changed = writtenItems(found.kind)
          .map((i) => i.key)
          .filter((k) => (found.texts[k] ?? '') !== (next[k] ?? ''));
        const saved = await updateSchoolReportTexts(w.tx, a.schoolId, reportId, version, {
          texts: next,
          updatedBy: a.userId,
          updatedByName: a.name,
        });
        if (saved === 0)
          throw new ConflictError('Someone else saved this report first. Check your words and save again.');
        w.audit('school_report.saved', { detail: { reportId, kind: found.kind, changed } });
        // Saved all the same (a draft is the school's own), but said: it must not be published so.
        const naming = itemsNamingPupils(found.kind, next, await pupilNamesOfSchool(w.tx, a.schoolId));
        return {
          checklist: checklist(found.kind, next),
          changed: changed.length,
          namesPupil: naming.map((i) => i.heading),
        };
      });
    },

    /**
     * Publish a report: its words and the figures as they are now are kept for the year, and no longer
     * change. Every required item must be written first.
     */
    async publish(actor: Actor, reportId: string, version: number) {
      const a = requireCapability(actor, 'reports.write');
      if (!UUID.test(reportId)) throw notFound(reportId);
      return unitOfWork(db, a, async (w) => {
        const found = await findSchoolReport(w.tx, a.schoolId, reportId, { lock: true });
        if (!found) throw notFound(reportId);
        if (found.publishedAt)
          throw new ValidationError([{ field: 'report', message: 'This report has already been published' }]);
        if (found.version !== version)
          throw new ConflictError(
            `${found.updatedByName ?? 'Someone else'} changed this report since you opened it. Read it again before you publish it.`,
          );
        const early = notYetReportable(found.kind, found.academicYear, academicYearStartOf(clock.today()));
        if (early) throw new ValidationError([{ field: 'report', message: early }]);
        const naming = itemsNamingPupils(found.kind, found.texts, await pupilNamesOfSchool(w.tx, a.schoolId));
        if (naming.length > 0)
          throw new ValidationError([
            {
              field: 'report',
              message: `Take out the pupil’s name before you publish: a pupil is named in ${naming.map((i) => i.heading).join('; ')}`,
            },
          ]);
        const list = checklist(found.kind, found.texts);
        if (!list.complete)
          throw new ValidationError([
            {
              field: 'report',
              message: `Write the missing items before you publish: ${list.missing.map((m) => m.heading).join('; ')}`,
            },
          ]);
        const figures = await reportFigures(
          w.tx,
          a.schoolId,
          found.academicYear,
          clock.today(),
          options.suppressionThreshold,
        );
        const published: PublishedReport = { texts: found.texts, figures };
        const done = await publishSchoolReport(w.tx, a.schoolId, reportId, version, {
          published,
          publishedBy: a.userId,
        });
        if (done === 0) throw new ConflictError('Someone else changed this report first. Read it again.');
        w.audit('school_report.published', {
          detail: { reportId, kind: found.kind, academicYear: found.academicYear },
        });
        return {
          kindLabel: SCHOOL_REPORT_KIND_LABELS[found.kind],
          yearLabel: academicYearLabel(found.academicYear),
        };
      });
    },
  };
}

export type SchoolReportService = ReturnType<typeof createSchoolReportService>;
