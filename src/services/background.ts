import type { Database } from '../db/client.ts';
import { removeOldJobs } from '../repositories/jobs.ts';
import { removeSentMail } from '../repositories/mail.ts';
import { queueWaitingMail, SEND_MAIL_JOB, sendMailHandler } from './kernel/outbox.ts';
import type { JobHandler, Mailer, RecurringJob } from './kernel/ports.ts';

/*
 * The work OpenSEND does in the background, each kind a job run by the one job worker (docs/adr/0027):
 * mail from the outbox; and the chores that recur, each enqueued once per period whichever app instance
 * asks first, so that two instances on one PostgreSQL never both make the day's backup.
 */

export const JOB_KINDS = {
  sendMail: SEND_MAIL_JOB,
  backup: 'backup.daily',
  auditCheckpoint: 'audit.checkpoint',
  clearUploads: 'imports.clear_unapplied',
  analyze: 'database.analyze',
  tidy: 'jobs.tidy',
  retentionReview: 'retention.review',
  referralReminders: 'referrals.remind_late',
  caseReminders: 'cases.remind_due',
  topUpReminders: 'top_up.remind_ending',
  reviewTermLists: 'reviews.term_lists',
  reviewReminders: 'reviews.remind_due',
  mailWaiting: 'mail.send_waiting',
} as const;

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
/** Finished jobs and sent mail are kept this long; jobs that failed for good three times as long. */
export const JOBS_KEPT_DAYS = 30;

/** A job recurring every `hours` hours (periods counted from the Unix epoch, so every instance agrees). */
export function every(kind: string, hours: number): RecurringJob {
  return {
    kind,
    periodKey: (now) => `${kind}:${hours}h:${Math.floor(now.getTime() / (hours * HOUR_MS))}`,
  };
}

/** What the background work needs from the services (the chores it runs). */
export interface BackgroundServices {
  backups: { daily(): Promise<string | null> };
  auditCheckpoints: { scheduled(): Promise<string | null> };
  imports: { clearUnapplied(): Promise<number> };
  retention: { review(): Promise<number> };
  referrals: { remindLate(): Promise<number> };
  caseload: { remindCaseworkers(): Promise<number> };
  topUp: { remindEnding(): Promise<number> };
  reviewDecisions: { sendTermLists(): Promise<number>; remindCaseworkers(): Promise<number> };
}

export function backgroundWork(
  database: Database,
  services: BackgroundServices,
  mailer: Mailer | null,
  log: (message: string, error?: unknown) => void,
): { handlers: Record<string, JobHandler>; recurring: RecurringJob[] } {
  const handlers: Record<string, JobHandler> = {
    [JOB_KINDS.sendMail]: sendMailHandler(database, mailer),
    // The backup step makes a backup only when the newest is a day old, so it is asked every hour.
    [JOB_KINDS.backup]: async () => {
      const file = await services.backups.daily();
      if (file) log(`Backup made: ${file}`);
    },
    [JOB_KINDS.auditCheckpoint]: async () => {
      const file = await services.auditCheckpoints.scheduled();
      if (file) log(`Audit trail checkpoint written: ${file}`);
    },
    [JOB_KINDS.clearUploads]: async () => {
      const removed = await services.imports.clearUnapplied();
      if (removed > 0)
        log(`Removed ${removed} ${removed === 1 ? 'upload' : 'uploads'} of pupils left unapplied for a week`);
    },
    // PGlite's planner statistics for tables that grew (PostgreSQL's autovacuum keeps its own).
    [JOB_KINDS.analyze]: async () => {
      await database.analyzeGrownTables?.();
    },
    // Leavers past their retention date, listed for the head or SENCo to erase or keep (nightly).
    [JOB_KINDS.retentionReview]: async () => {
      const past = await services.retention.review();
      if (past > 0) log(`${past} ${past === 1 ? 'record is' : 'records are'} past the retention date`);
    },
    // Mail that waited in the outbox while no mail server was set up, sent once one is (hourly).
    [JOB_KINDS.mailWaiting]: async () => {
      if (!mailer) return;
      const queued = await queueWaitingMail(database.db);
      if (queued > 0)
        log(`Sending ${queued} ${queued === 1 ? 'email' : 'emails'} that waited for a mail server`);
    },
    // Referrals whose answer or report is late: each school's SENCos told how many, naming no child (nightly).
    [JOB_KINDS.referralReminders]: async () => {
      const mailed = await services.referrals.remindLate();
      if (mailed > 0)
        log(`Reminded SENCos of late referrals (${mailed} ${mailed === 1 ? 'message' : 'messages'})`);
    },
    // EHC needs assessments with a deadline overdue or due this week: each caseworker told how many,
    // naming no child, once per deadline (nightly).
    [JOB_KINDS.caseReminders]: async () => {
      const mailed = await services.caseload.remindCaseworkers();
      if (mailed > 0)
        log(`Reminded caseworkers of deadlines (${mailed} ${mailed === 1 ? 'message' : 'messages'})`);
    },
    // Top-up funding ending within six weeks: each school's SENCos told how many, naming no child (nightly).
    [JOB_KINDS.topUpReminders]: async () => {
      const mailed = await services.topUp.remindEnding();
      if (mailed > 0)
        log(`Reminded SENCos of top-up funding ending (${mailed} ${mailed === 1 ? 'message' : 'messages'})`);
    },
    // The termly list of annual reviews due: each head teacher told how many of their pupils' EHC plans
    // fall due for review next term, from four weeks before it starts, once per school and term (nightly).
    [JOB_KINDS.reviewTermLists]: async () => {
      const mailed = await services.reviewDecisions.sendTermLists();
      if (mailed > 0)
        log(
          `Sent head teachers the annual reviews due next term (${mailed} ${mailed === 1 ? 'message' : 'messages'})`,
        );
    },
    // Annual reviews waiting for the authority's decision or amended plan, overdue or due this week: each
    // caseworker told how many, naming no child, once per deadline (nightly).
    [JOB_KINDS.reviewReminders]: async () => {
      const mailed = await services.reviewDecisions.remindCaseworkers();
      if (mailed > 0)
        log(
          `Reminded caseworkers of annual review decisions (${mailed} ${mailed === 1 ? 'message' : 'messages'})`,
        );
    },
    [JOB_KINDS.tidy]: async () => {
      const now = Date.now();
      await removeOldJobs(database.db, {
        finishedBefore: new Date(now - JOBS_KEPT_DAYS * DAY_MS),
        failedBefore: new Date(now - 3 * JOBS_KEPT_DAYS * DAY_MS),
      });
      await removeSentMail(database.db, new Date(now - JOBS_KEPT_DAYS * DAY_MS));
    },
  };
  const recurring = [
    every(JOB_KINDS.backup, 1),
    every(JOB_KINDS.mailWaiting, 1),
    every(JOB_KINDS.auditCheckpoint, 1),
    every(JOB_KINDS.clearUploads, 6),
    every(JOB_KINDS.tidy, 24),
    every(JOB_KINDS.retentionReview, 24),
    every(JOB_KINDS.referralReminders, 24),
    every(JOB_KINDS.caseReminders, 24),
    every(JOB_KINDS.topUpReminders, 24),
    every(JOB_KINDS.reviewTermLists, 24),
    every(JOB_KINDS.reviewReminders, 24),
    ...(database.analyzeGrownTables ? [every(JOB_KINDS.analyze, 6)] : []),
  ];
  return { handlers, recurring };
}
