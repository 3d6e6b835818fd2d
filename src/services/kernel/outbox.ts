import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { isEmailAddress, type MailKind, type MailValues, mailContent } from '../../domain/mail.ts';
import { insertJobs } from '../../repositories/jobs.ts';
import {
  findMail,
  insertMail,
  markMailAttemptFailed,
  markMailSent,
  queueJobsForWaitingMail,
} from '../../repositories/mail.ts';
import type { JobHandler, Mailer } from './ports.ts';

export const SEND_MAIL_JOB = 'mail.send';
/** With the worker's backoff (30 s doubling, at most six hours), about a day of trying. */
export const MAIL_ATTEMPTS = 14;

export type MailOwner = { schoolId: string | null; organisationId?: string | null };

/**
 * Put a message in the outbox, in the caller's transaction (so it goes only if the change that causes
 * it is kept), with the job that sends it. Its text comes from domain/mail.ts: no child is named.
 */
export async function queueMail(
  tx: Executor,
  owner: MailOwner,
  to: string,
  kind: MailKind,
  values: MailValues,
  /** Family mail: the school's record of the parent or carer it goes to (undeliverable mail shows there). */
  options: { parentCarerId?: string | null } = {},
): Promise<string> {
  if (!isEmailAddress(to)) throw new Error(`Not an email address: ${JSON.stringify(to)}`);
  const id = randomUUID();
  const { subject, body } = mailContent(kind, values);
  await insertMail(tx, {
    id,
    schoolId: owner.schoolId,
    organisationId: owner.organisationId ?? null,
    toAddress: to,
    subject,
    body,
    kind,
    parentCarerId: options.parentCarerId ?? null,
  });
  await insertJobs(tx, [
    {
      id: randomUUID(),
      kind: SEND_MAIL_JOB,
      payload: { mailId: id },
      maxAttempts: MAIL_ATTEMPTS,
      schoolId: owner.schoolId,
      organisationId: owner.organisationId ?? null,
    },
  ]);
  return id;
}

/**
 * The job that sends one message from the outbox. Sent already: nothing to do. No mail server
 * configured: the message stays in the outbox, listed for the SENCo to print or copy. A refusal by the
 * server fails the attempt (the worker tries again later); the last failure marks it failed.
 */
export function sendMailHandler(database: Database, mailer: Mailer | null): JobHandler {
  return async (job) => {
    const mailId = typeof job.payload.mailId === 'string' ? job.payload.mailId : null;
    if (!mailId) throw new Error('A mail job without a message');
    const mail = await findMail(database.db, mailId);
    if (!mail || mail.status === 'sent' || !mailer) return;
    try {
      await mailer.send({ id: mail.id, to: mail.toAddress, subject: mail.subject, text: mail.body });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await markMailAttemptFailed(database.db, mail.id, message, job.attempts >= job.maxAttempts);
      throw error;
    }
    await markMailSent(database.db, mail.id);
  };
}

/**
 * Mail that waited while no mail server was set up (its job ran and left it in the outbox), given a
 * new job to send it now that one is: run by the worker every hour where there is a mailer. A message
 * with a job still to run is left alone. Returns how many were given one.
 */
export function queueWaitingMail(db: Executor): Promise<number> {
  return queueJobsForWaitingMail(db, SEND_MAIL_JOB, MAIL_ATTEMPTS);
}
