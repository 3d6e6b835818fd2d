import type { Executor } from '../../db/client.ts';
import type { MailKind, MailValues } from '../../domain/mail.ts';
import { liveParentAccountsWanting } from '../../repositories/mail-preferences.ts';
import { findSchool } from '../../repositories/schools.ts';
import { queueMail } from '../kernel/outbox.ts';

/*
 * Mail to a child's parents (docs/adr/0039): one to each parent with a live account linked to the child
 * who has not turned this kind off, in the caller's transaction, each carrying the school's record of
 * the parent it went to (so mail that cannot be delivered shows on that record). The words come from
 * domain/mail.ts: general, never the child's name. The caller wakes the worker (`mail.jobsQueued()`)
 * once its transaction has committed.
 */

export interface FamilyMail {
  schoolId: string;
  pupilId: string;
  kind: MailKind & `family.${string}`;
  /** The link to the page (absolute); `from` is the school's name unless given. */
  values: Omit<MailValues, 'from'> & { from?: string };
  /** Only these records of parents (a letter's chosen recipients); absent: every parent of the child. */
  parentCarerIds?: string[];
}

/** Queue the mail to each parent who should have it; the ids of the messages queued. */
export async function queueFamilyMail(tx: Executor, mail: FamilyMail): Promise<string[]> {
  const parents = (await liveParentAccountsWanting(tx, mail.schoolId, mail.pupilId, mail.kind)).filter(
    (p) => !mail.parentCarerIds || mail.parentCarerIds.includes(p.parentCarerId),
  );
  if (parents.length === 0) return [];
  const from = mail.values.from ?? (await findSchool(tx, mail.schoolId))?.name ?? 'Your child’s school';
  const ids: string[] = [];
  for (const p of parents) {
    ids.push(
      await queueMail(tx, { schoolId: mail.schoolId, parentCarerId: p.parentCarerId }, p.email, mail.kind, {
        ...mail.values,
        from,
      }),
    );
  }
  return ids;
}
