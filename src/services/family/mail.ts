import type { Database, Executor } from '../../db/client.ts';
import {
  FAMILY_MAIL_CHOICE_LABELS,
  FAMILY_MAIL_CHOICES,
  type FamilyMailChoice,
} from '../../domain/family.ts';
import type { MailKind, MailValues } from '../../domain/mail.ts';
import {
  liveParentAccountsWanting,
  mailChoices,
  saveMailChoices,
} from '../../repositories/mail-preferences.ts';
import { findSchool } from '../../repositories/schools.ts';
import type { Actor } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { ValidationError } from '../kernel/errors.ts';
import { queueMail } from '../kernel/outbox.ts';
import { requireParent } from './access.ts';

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
  /** Only these accounts (the parent who raised a concern); absent: every parent of the child. */
  userIds?: string[];
}

/** Queue the mail to each parent who should have it; the ids of the messages queued. */
export async function queueFamilyMail(tx: Executor, mail: FamilyMail): Promise<string[]> {
  const parents = (await liveParentAccountsWanting(tx, mail.schoolId, mail.pupilId, mail.kind)).filter(
    (p) =>
      (!mail.parentCarerIds || mail.parentCarerIds.includes(p.parentCarerId)) &&
      (!mail.userIds || mail.userIds.includes(p.userId)),
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

/**
 * The mails a parent chooses to receive (their account's, not a school's): the optional kinds, each on
 * unless turned off. Saving is audited on the installation's trail (it touches no child's record).
 */
export function createFamilyMailService(database: Database) {
  const { db } = database;
  return {
    async choices(actor: Actor) {
      const parent = requireParent(actor);
      const chosen = await mailChoices(db, parent.userId);
      return FAMILY_MAIL_CHOICES.map((kind) => ({
        kind,
        label: FAMILY_MAIL_CHOICE_LABELS[kind],
        wanted: chosen[kind],
      }));
    },

    /** Save the choices: the kinds ticked are wanted, every other optional kind is not. */
    async save(actor: Actor, wanted: string[]) {
      const parent = requireParent(actor);
      const unknown = wanted.filter((k) => !(FAMILY_MAIL_CHOICES as readonly string[]).includes(k));
      if (unknown.length > 0)
        throw new ValidationError([{ field: 'wanted', message: 'Choose emails from the list' }]);
      const choices = Object.fromEntries(FAMILY_MAIL_CHOICES.map((k) => [k, wanted.includes(k)])) as Record<
        FamilyMailChoice,
        boolean
      >;
      await db.transaction(async (tx) => {
        await saveMailChoices(tx, parent.userId, choices);
        await audit(tx, parent, 'family.mail_preferences_changed', {
          detail: { off: FAMILY_MAIL_CHOICES.filter((k) => !choices[k]) },
        });
      });
    },
  };
}

export type FamilyMailService = ReturnType<typeof createFamilyMailService>;
