import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import {
  RECOMMENDATION_KIND_LABELS,
  type RecommendationItem,
  type ReportSubmittedBy,
} from '../../domain/agencies.ts';
import { AREA_LABELS, type AreaOfNeed } from '../../domain/census.ts';
import { compareIsoDates, type IsoDate } from '../../domain/dates.ts';
import { isFinished, REFERRAL_STATUS_LABELS, stepsToReportReceived } from '../../domain/referrals.ts';
import {
  professionalReferralActions,
  recommendationActions,
  referralActions,
} from '../../policies/agencies.ts';
import { insertAgencyReports, insertRecommendations } from '../../repositories/agencies.ts';
import { insertAuditEvents } from '../../repositories/audit.ts';
import { readStoredFile } from '../../repositories/files.ts';
import {
  insertReferralStep,
  professionalAccountOf,
  type ReferralRow,
  recommendationsOfReports,
  referralOfSchool,
  reportOfProfessional,
  reportOfSchool,
  reportsOfReferral,
  shareWithLife,
  updateReferral,
} from '../../repositories/professionals.ts';
import type { Actor } from '../kernel/actor.ts';
import { audit, auditRow } from '../kernel/audit.ts';
import { requireSection } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { judgeFile, pdfRunsScript, storeFile } from '../kernel/files.ts';
import { pupilFor } from '../kernel/pupil-access.ts';
import { schoolUnitOfWork, unitOfWork, type Work } from '../kernel/unit-of-work.ts';
import { professionalReferral, referralNotFound, staffReferral } from './access.ts';

export interface ReportInput {
  title: string;
  writtenOn: IsoDate;
  summary: string | null;
  /** Who wrote it and what they do (the school types them; a professional's come from their account). */
  authorName?: string | null;
  authorRole?: string | null;
  file: { name: string; bytes: Buffer } | null;
  recommendations: RecommendationItem[];
}

export const PDF_WITH_SCRIPT =
  'This PDF contains JavaScript or actions that run when it is opened, so it cannot be kept. Save it again as a plain PDF (for example with “Print to PDF”) and upload that.';

const reportNotFound = (id: string) => new NotFoundError('Report not found', { kind: 'agency_report', id });

const READS_REPORTS =
  'Reports of outside agencies are read by the SENCo, the head teacher and the pupil’s class teacher';

/**
 * Reports back from an outside agency: sent by the professional of the referral while the share is
 * live, or added by the school from paper or email; each with its file (a stored file of the school,
 * judged by its bytes; a PDF that runs scripts refused) and its recommendations. The referral moves to
 * "report received" by the steps its rules allow. The report page and its file, audited where the
 * owning school sees them.
 */
export function createReports(database: Database, clock: Clock) {
  const { db } = database;

  /** What is wrong with a report as sent, before anything is kept. */
  async function problems(input: ReportInput) {
    const errors = [];
    if (compareIsoDates(input.writtenOn, clock.today()) > 0)
      errors.push({ field: 'writtenOn', message: 'The date the report was written cannot be in the future' });
    if (input.file) {
      try {
        const judged = await judgeFile(input.file.bytes, 'file');
        if (judged.contentType === 'application/pdf' && pdfRunsScript(input.file.bytes))
          errors.push({ field: 'file', message: PDF_WITH_SCRIPT });
      } catch (error) {
        if (error instanceof ValidationError) errors.push(...error.errors);
        else throw error;
      }
    }
    if (errors.length) throw new ValidationError(errors);
  }

  /** Keep the report, its file and recommendations, and move the referral on; the note says what happened. */
  async function keep(
    w: Work<Actor>,
    referral: ReferralRow,
    input: ReportInput,
    by: { submittedBy: ReportSubmittedBy; authorName: string; authorRole: string | null },
  ) {
    const tx: Executor = w.tx;
    const stored = input.file
      ? await storeFile(
          tx,
          w.actor,
          { ownerId: referral.schoolId, ownerKind: 'school' },
          { name: input.file.name, bytes: input.file.bytes, pupilId: referral.pupilId },
        )
      : null;
    const reportId = randomUUID();
    await insertAgencyReports(tx, [
      {
        schoolId: referral.schoolId,
        id: reportId,
        referralId: referral.id,
        pupilId: referral.pupilId,
        agencyName: referral.agencyName,
        authorName: by.authorName,
        authorRole: by.authorRole,
        title: input.title,
        writtenOn: input.writtenOn,
        summary: input.summary,
        fileId: stored?.id ?? null,
        submittedBy: by.submittedBy,
        uploadedBy: w.actor.userId,
        uploadedByName: w.actor.name,
      },
    ]);
    await insertRecommendations(
      tx,
      input.recommendations.map((r, i) => ({
        schoolId: referral.schoolId,
        id: randomUUID(),
        reportId,
        pupilId: referral.pupilId,
        position: i + 1,
        area: r.area,
        kind: r.kind,
        text: r.text,
        createdByName: w.actor.name,
      })),
    );
    const steps = stepsToReportReceived(referral.status);
    for (const status of steps ?? []) {
      await insertReferralStep(tx, {
        schoolId: referral.schoolId,
        id: randomUUID(),
        referralId: referral.id,
        pupilId: referral.pupilId,
        status,
        happenedOn: clock.today(),
        // Steps are seen by those who read no reports (the office, teaching assistants, the chronology):
        // the note names who sent it, never the report's title.
        note:
          status === 'seen' ? 'Recorded when the report arrived' : `Report received from ${by.authorName}`,
        byName: w.actor.name,
      });
    }
    if (steps?.length)
      await updateReferral(tx, referral.schoolId, referral.id, { status: 'report_received' });
    w.audit('report.added', {
      pupilId: referral.pupilId,
      detail: {
        referralId: referral.id,
        reportId,
        fileId: stored?.id ?? null,
        submittedBy: by.submittedBy,
        recommendations: input.recommendations.length,
        steps: steps ?? [],
      },
    });
    const statusNote =
      steps === null
        ? `The referral is ${REFERRAL_STATUS_LABELS[referral.status].toLowerCase()}: the report is kept with it, and its status is unchanged`
        : steps.length
          ? 'The referral is now marked report received'
          : null;
    return { reportId, statusNote };
  }

  /** A report a staff member may read (and the policy's answers), else not found or refused. */
  async function staffReport(actor: Actor, reportId: string) {
    const a = requireSection(actor, 'agencies');
    const report = await reportOfSchool(db, a.schoolId, reportId);
    if (!report) throw reportNotFound(reportId);
    let found: Awaited<ReturnType<typeof pupilFor>>;
    try {
      found = await pupilFor(db, a, report.pupilId, { section: 'agencies' });
    } catch (error) {
      if (error instanceof NotFoundError) throw reportNotFound(reportId);
      throw error;
    }
    const referral = report.referralId ? await referralOfSchool(db, a.schoolId, report.referralId) : null;
    const left = found.pupil.leftOn !== null;
    const actions = referralActions(
      a,
      { status: referral?.status ?? 'closed' },
      { access: found.access, left },
    );
    if (!actions.readReports) throw new ForbiddenError(READS_REPORTS, 'agencies.reports');
    return { a, report, referral, pupil: found.pupil, access: found.access, left };
  }

  /** A report of a referral shared with this professional, while the share is live. */
  async function professionalReport(actor: Actor, reportId: string) {
    const found = await reportOfProfessional(db, reportId, actor.userId);
    const share = found?.referral.shareId
      ? await shareWithLife(db, found.referral.schoolId, found.referral.shareId)
      : null;
    const allowed =
      found &&
      share &&
      share.professionalUserId === actor.userId &&
      professionalReferralActions(actor, {
        professionalUserId: found.referral.professionalUserId,
        status: found.referral.status,
        shareLive: share.live,
      }).read;
    if (!allowed || !found) throw reportNotFound(reportId);
    return found;
  }

  return {
    /** The school's form for a report received on paper or by email. */
    async schoolReportForm(actor: Actor, referralId: string) {
      const found = await staffReferral(db, actor, referralId, 'write');
      if (!found.actions.addReport)
        throw new ForbiddenError(
          'Only the SENCo or head teacher adds a report, once the referral has been sent',
          'agencies.manage',
        );
      return { actor: found.actor, referral: found.referral, pupil: found.pupil };
    },

    async addReport(actor: Actor, referralId: string, input: ReportInput) {
      const { actor: a } = await this.schoolReportForm(actor, referralId);
      await problems(input);
      return unitOfWork(db, a, async (w) => {
        const referral = await referralOfSchool(w.tx, a.schoolId, referralId, { lock: true });
        if (!referral) throw referralNotFound(referralId);
        const authorName = input.authorName?.trim();
        if (!authorName)
          throw new ValidationError([{ field: 'authorName', message: 'Enter who wrote the report' }]);
        return keep(w as Work<Actor>, referral, input, {
          submittedBy: 'school',
          authorName,
          authorRole: input.authorRole?.trim() || null,
        });
      });
    },

    /** The professional's form: what the report is for (the referral, the school, the pupil's name). */
    async professionalReportForm(actor: Actor, referralId: string) {
      const found = await professionalReferral(db, actor, referralId);
      const actions = professionalReferralActions(found.professional, {
        professionalUserId: found.referral.professionalUserId,
        status: found.referral.status,
        shareLive: found.share.live,
      });
      if (!actions.sendReport)
        throw new ForbiddenError(
          'The referral has ended: the school no longer takes reports through it',
          'agencies.report',
        );
      return found;
    },

    async sendReport(actor: Actor, referralId: string, input: ReportInput) {
      const found = await this.professionalReportForm(actor, referralId);
      await problems(input);
      const account = await professionalAccountOf(db, found.professional.userId);
      return schoolUnitOfWork(db, found.professional as Actor, found.referral.schoolId, async (w) => {
        // Checked again under the referral's lock: consent withdrawn, the share ended or the referral
        // finished while the report was on its way, and nothing is kept.
        const referral = await referralOfSchool(w.tx, found.referral.schoolId, referralId, { lock: true });
        const share = referral?.shareId
          ? await shareWithLife(w.tx, referral.schoolId, referral.shareId)
          : null;
        if (
          !referral ||
          referral.professionalUserId !== actor.userId ||
          isFinished(referral.status) ||
          !share?.live ||
          share.professionalUserId !== actor.userId
        )
          throw referralNotFound(referralId);
        return keep(w, referral, input, {
          submittedBy: 'professional',
          authorName: found.professional.name,
          authorRole: account?.jobTitle ?? null,
        });
      });
    },

    /** A report with its recommendations, and what the reader may do with each. */
    async report(actor: Actor, reportId: string) {
      if (actor.kind === 'professional') {
        const found = await professionalReport(actor, reportId);
        const recommendations = await recommendationsOfReports(db, found.report.schoolId, [reportId]);
        await insertAuditEvents(db, [
          {
            ...auditRow(actor, 'report.viewed', { pupilId: found.report.pupilId, detail: { reportId } }),
            schoolId: found.report.schoolId,
          },
        ]);
        return {
          viewer: 'professional' as const,
          report: found.report,
          referral: found.referral,
          pupil: null,
          recommendations: recommendations.map((r) => ({
            ...shape(r),
            actions: { useInPlan: false, useInProvision: false },
          })),
        };
      }
      const found = await staffReport(actor, reportId);
      const recommendations = await recommendationsOfReports(db, found.a.schoolId, [reportId]);
      await audit(db, found.a, 'report.viewed', { pupilId: found.report.pupilId, detail: { reportId } });
      return {
        viewer: 'staff' as const,
        report: found.report,
        referral: found.referral,
        pupil: found.pupil,
        recommendations: recommendations.map((r) => ({
          ...shape(r),
          actions: recommendationActions(found.a, r, { access: found.access, left: found.left }),
        })),
      };
    },

    /** The report's file, to download: audited where the owning school sees it. */
    async reportFile(actor: Actor, reportId: string) {
      const report =
        actor.kind === 'professional'
          ? (await professionalReport(actor, reportId)).report
          : (await staffReport(actor, reportId)).report;
      const file = report.fileId ? await readStoredFile(db, report.schoolId, report.fileId) : null;
      if (!file) throw new NotFoundError('This report has no file: it was received on paper');
      await insertAuditEvents(db, [
        {
          ...auditRow(actor, 'report.downloaded', {
            pupilId: report.pupilId,
            detail: { reportId, fileId: file.id },
          }),
          schoolId: report.schoolId,
        },
      ]);
      return { name: file.name, contentType: file.contentType, size: file.size, bytes: file.bytes };
    },

    /** A referral's reports, for the referral page. */
    async reportsOfReferral(actor: Actor, referralId: string) {
      const found = await staffReferral(db, actor, referralId);
      const reports = found.actions.readReports
        ? await reportsOfReferral(db, found.actor.schoolId, referralId)
        : [];
      return { reports, actions: found.actions };
    },
  };
}

function shape(r: { id: string; area: string | null; kind: string; text: string; position: number }) {
  return {
    id: r.id,
    position: r.position,
    text: r.text,
    kind: RECOMMENDATION_KIND_LABELS[r.kind as keyof typeof RECOMMENDATION_KIND_LABELS],
    area: r.area ? (AREA_LABELS[r.area as AreaOfNeed] ?? null) : null,
  };
}
