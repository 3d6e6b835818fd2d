import type { Database } from '../db/client.ts';
import { carersOfFailedMail, listMail } from '../repositories/mail.ts';
import { findSchool } from '../repositories/schools.ts';
import type { Actor } from './kernel/actor.ts';
import { requireCapability } from './kernel/authorise.ts';
import { queueMail } from './kernel/outbox.ts';
import type { MailContext } from './kernel/ports.ts';
import { unitOfWork } from './kernel/unit-of-work.ts';

/** Shown for a message; the body only while it waits (to print or copy when no mail server is set up). */
export interface OutboxMessage {
  id: string;
  to: string;
  subject: string;
  body: string;
  kind: string;
  status: 'queued' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
  /** Family mail that could not be delivered: the parent it was for and their child's page (paper now). */
  undeliveredTo: { parentName: string; pupilId: string } | null;
}

/**
 * A school's outbox: the mail OpenSEND has written for it (invitations, and later notices to parents
 * and professionals), with what became of each message. Mail names no child, so the list is the
 * SENCo's and head's to see like the rest of the settings.
 */
export function createOutboxService(database: Database, mail: MailContext) {
  const { db } = database;
  return {
    async list(actor: Actor) {
      const a = requireCapability(actor, 'settings.manage');
      const rows = await listMail(db, { schoolId: a.schoolId });
      const carers = await carersOfFailedMail(
        db,
        a.schoolId,
        rows.flatMap((m) => (m.status === 'failed' && m.parentCarerId ? [m.parentCarerId] : [])),
      );
      const messages: OutboxMessage[] = rows.map((m) => ({
        id: m.id,
        to: m.toAddress,
        subject: m.subject,
        body: m.body,
        kind: m.kind,
        status: m.status,
        attempts: m.attempts,
        lastError: m.lastError,
        createdAt: m.createdAt,
        sentAt: m.sentAt,
        undeliveredTo: (m.status === 'failed' && m.parentCarerId && carers.get(m.parentCarerId)) || null,
      }));
      return { serverSetUp: mail.serverSetUp, messages, yourEmail: a.email };
    },

    /** A test message to the signed-in person's own address: does the school's mail get out? */
    async sendTest(actor: Actor): Promise<string> {
      const a = requireCapability(actor, 'settings.manage');
      const school = await findSchool(db, a.schoolId);
      const id = await unitOfWork(db, a, async (w) => {
        const mailId = await queueMail(w.tx, { schoolId: a.schoolId }, a.email, 'test.message', {
          from: school?.name ?? 'OpenSEND',
          link: `${mail.publicUrl}/settings/outbox`,
        });
        w.audit('mail.test_queued', { detail: { mailId } });
        return mailId;
      });
      mail.jobsQueued();
      return id;
    },
  };
}
