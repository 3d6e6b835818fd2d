import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { appUser, mailPreference, parentAccount, parentCarer } from '../db/schema/index.ts';
import { FAMILY_MAIL_CHOICES, type FamilyMailChoice } from '../domain/family.ts';
import type { MailKind } from '../domain/mail.ts';

/*
 * The mails a person chose not to receive (docs/adr/0039). A row says wanted or not; no row means they
 * receive it. Only the optional kinds (FAMILY_MAIL_CHOICES) can be turned off: an invitation or a
 * sign-in code is always sent.
 */

export function isOptionalMail(kind: MailKind | string): kind is FamilyMailChoice {
  return (FAMILY_MAIL_CHOICES as readonly string[]).includes(kind);
}

/** Whether this person receives this kind of mail: yes unless it is optional and they turned it off. */
export async function wantsMail(db: Executor, userId: string, kind: MailKind): Promise<boolean> {
  if (!isOptionalMail(kind)) return true;
  const rows = await db
    .select({ wanted: mailPreference.wanted })
    .from(mailPreference)
    .where(and(eq(mailPreference.userId, userId), eq(mailPreference.kind, kind)));
  return rows[0]?.wanted ?? true;
}

/** Each optional mail and whether this person receives it. */
export async function mailChoices(db: Executor, userId: string): Promise<Record<FamilyMailChoice, boolean>> {
  const rows = await db
    .select({ kind: mailPreference.kind, wanted: mailPreference.wanted })
    .from(mailPreference)
    .where(eq(mailPreference.userId, userId));
  const chosen = new Map(rows.map((r) => [r.kind, r.wanted]));
  return Object.fromEntries(FAMILY_MAIL_CHOICES.map((k) => [k, chosen.get(k) ?? true])) as Record<
    FamilyMailChoice,
    boolean
  >;
}

/** Store every optional mail's choice at once (the settings form sends them all). */
export async function saveMailChoices(
  db: Executor,
  userId: string,
  choices: Record<FamilyMailChoice, boolean>,
): Promise<void> {
  const now = new Date();
  for (const kind of FAMILY_MAIL_CHOICES) {
    await db
      .insert(mailPreference)
      .values({ userId, kind, wanted: choices[kind], updatedAt: now })
      .onConflictDoUpdate({
        target: [mailPreference.userId, mailPreference.kind],
        set: { wanted: choices[kind], updatedAt: now },
      });
  }
}

/**
 * The parents with a live account linked to this child, who receive this kind of mail: the link not
 * ended, parental responsibility and no court order, the account not disabled. One row per account and
 * record of them at the school (a parent held twice gets one mail: the first record).
 */
export async function liveParentAccountsWanting(
  db: Executor,
  schoolId: string,
  pupilId: string,
  kind: MailKind,
): Promise<{ userId: string; email: string; parentCarerId: string }[]> {
  const rows = await db
    .select({ userId: appUser.id, email: appUser.email, parentCarerId: parentCarer.id })
    .from(parentAccount)
    .innerJoin(
      parentCarer,
      and(eq(parentCarer.schoolId, parentAccount.schoolId), eq(parentCarer.id, parentAccount.parentCarerId)),
    )
    .innerJoin(appUser, eq(appUser.id, parentAccount.userId))
    .where(
      and(
        eq(parentAccount.schoolId, schoolId),
        eq(parentAccount.pupilId, pupilId),
        isNull(parentAccount.endedAt),
        eq(parentCarer.parentalResponsibility, true),
        eq(parentCarer.courtOrder, false),
        isNull(appUser.disabledAt),
      ),
    )
    .orderBy(parentCarer.contactPriority, parentCarer.id);
  const seen = new Set<string>();
  const unique = rows.filter((r) => !seen.has(r.userId) && seen.add(r.userId));
  if (!isOptionalMail(kind) || unique.length === 0) return unique;
  const off = await db
    .select({ userId: mailPreference.userId })
    .from(mailPreference)
    .where(
      and(
        inArray(
          mailPreference.userId,
          unique.map((r) => r.userId),
        ),
        eq(mailPreference.kind, kind),
        eq(mailPreference.wanted, false),
      ),
    );
  const notWanted = new Set(off.map((r) => r.userId));
  return unique.filter((r) => !notWanted.has(r.userId));
}
