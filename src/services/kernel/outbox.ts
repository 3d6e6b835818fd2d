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

/**
 * Whose outbox a message is in; family mail also names the school's record of the parent or carer it
 * went to, so that mail that cannot be delivered shows on their record (docs/adr/0039).
 */
export type MailOwner = {
  schoolId: string | null;
  organisationId?: string | null;
  parentCarerId?: string | null;
};

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
): Promise<string> {
  if (!isEmailAddress(to)) throw new Error(`Not an email address: ${JSON.stringify(to)}`);
  const id = randomUUID();
  const { subject, body } = mailContent(kind, values);
  await insertMail(tx, {
    id,
    schoolId: owner.schoolId,
    organisationId: owner.organisationId ?? null,
    parentCarerId: owner.parentCarerId ?? null,
    toAddress: to,
    subject,
    body,
    kind,
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
 * configured: the message stays in the outbox, listed for the SENCo to print or copy. A server that
 * cannot be reached, or refuses for now (a 4xx reply), fails the attempt (the worker tries again later;
 * the last failure marks it failed); a permanent refusal (a 5xx reply: no such mailbox, say) marks it
 * failed at once, so the parent's record says so today rather than after a day of trying.
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
      const permanent = isPermanentRefusal(error);
      await markMailAttemptFailed(
        database.db,
        mail.id,
        message,
        permanent || job.attempts >= job.maxAttempts,
      );
      if (permanent) return;
      throw error;
    }
    await markMailSent(database.db, mail.id);
  };
}

/** An SMTP reply of 5xx (nodemailer puts it in `responseCode`): trying again will not help. */
export function isPermanentRefusal(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/**
 * Mail that waited while no mail server was set up (its job ran and left it in the outbox), given a
 * new job to send it now that one is: run by the worker every hour where there is a mailer. A message
 * with a job still to run is left alone. Returns how many were given one.
 */
export function queueWaitingMail(db: Executor): Promise<number> {
  return queueJobsForWaitingMail(db, SEND_MAIL_JOB, MAIL_ATTEMPTS);
}
