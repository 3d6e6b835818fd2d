import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { formatDate, formatDateTime } from '../../domain/dates.ts';
import {
  formatInvitationCode,
  INVITATION_DAYS,
  INVITATION_MAX_ATTEMPTS,
  type InvitationMethod,
  normaliseInvitationCode,
} from '../../domain/family.ts';
import {
  INVITATION_STATE_LABELS,
  type InvitationLetter,
  invitationExpiry,
  invitationState,
  isAnotherFamily,
  JOIN_CODE_REFUSED,
  JOIN_FAILURES,
  JOIN_THROTTLE_MINUTES,
  mayBeInvited,
  readReceipts,
} from '../../domain/family-invitations.ts';
import { isEmailAddress } from '../../domain/mail.ts';
import { findAccountByEmail } from '../../repositories/accounts.ts';
import { insertAuditEvents } from '../../repositories/audit.ts';
import {
  countInvitationAttempt,
  endLinksOfCarer,
  endOpenInvitations,
  findInvitation,
  insertInvitation,
  invitationByCodeHash,
  invitationsOfPupil,
  linksOfPupil,
  liveLinkOfCarer,
  otherLinkedCarersOfEmail,
  readReceiptsOfPupil,
  takeInvitationTry,
  waitingInvitationsOfEmail,
} from '../../repositories/family-invitations.ts';
import { findParent, parentsOfPupil } from '../../repositories/pupils.ts';
import { findSchool } from '../../repositories/schools.ts';
import { insertChallenge } from '../../repositories/sign-in.ts';
import { anyBlocked, clearThrottle, recordFailure } from '../../repositories/throttle.ts';
import { noSessionCache, type SessionCache } from '../auth/session-cache.ts';
import {
  ADDRESS_FAILURES,
  CODE_MINUTES,
  createSignIn,
  hashToken,
  PAIR_FAILURES,
  type SignInResult,
  sendSignInCode,
  THROTTLE_MINUTES,
} from '../auth/sign-in.ts';
import type { Actor, SchoolActor } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { requireSection } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { queueMail } from '../kernel/outbox.ts';
import { decoyPasswordHash, hashPassword, verifyPassword, weakPasswordProblem } from '../kernel/passwords.ts';
import { type MailContext, NO_MAIL_CONTEXT } from '../kernel/ports.ts';
import { pupilFor } from '../kernel/pupil-access.ts';
import { changePupil } from '../kernel/unit-of-work.ts';

/*
 * Getting in (docs/adr/0039). The school invites a parent or carer with parental responsibility, and no
 * court order, from the pupil's page: by email (a link carrying the code, through the outbox) or on a
 * printed letter (the code to type at /join). A new invitation ends the carer's old one. At /join the
 * code links an account — a new one, or one the parent already has (one account reaches all their
 * children at every school) — and the school can end that link at once.
 *
 * A code that does not work gets one answer whatever the reason, the same whether or not it exists;
 * wrong codes are counted against the client (its address, and the account when signed in) and pause it;
 * every refusal is audited (`family.join_failed`, on the school's trail when the code named one, else
 * the installation's).
 */

const WRITE = { section: 'identity', level: 'write' } as const;

/** A code that did not work: the route shows JOIN_CODE_REFUSED by the code field, and nothing else. */
import { invitationCodeHash, newInvitationCode } from './codes.ts';
import { type FoundInvitation, linkProblem, refusalOf, useInvitation } from './link.ts';
export class JoinRefused extends Error {
  constructor() {
    super(JOIN_CODE_REFUSED);
  }
}

/** Where a request came from: its address, and the signed-in account if any (each throttled). */
export interface JoinClient {
  address: string;
  userId?: string | null;
}

/** What the join pages may show of a code that works: nothing of the child but their first name. */
export interface JoinInvitation {
  schoolName: string;
  childFirstName: string;
  method: InvitationMethod;
  /** The address an emailed invitation went to, to fill the new account's email. */
  email: string | null;
}

function throttleKey(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}
const clientKeys = (client: JoinClient) => [
  throttleKey('join-address', client.address),
  ...(client.userId ? [throttleKey('join-account', client.userId)] : []),
];

const carerNotFound = (parentId: string) =>
  new NotFoundError('Parent or carer not found', { kind: 'parent', id: parentId });

const when = (at: Date | null) => (at ? formatDateTime(at) : null);

const RECEIPT_RECORD_LABELS = {
  letter: 'A letter',
  plan: 'A support plan',
  ehc_plan_version: 'An EHC plan',
} as const;

export function createInvitationService(
  database: Database,
  clock: Clock,
  mail: MailContext = NO_MAIL_CONTEXT,
  sessions: SessionCache = noSessionCache,
) {
  const { db } = database;
  const signIn = createSignIn(database, mail);
  const joinLink = (code: string) => `${mail.publicUrl}/join?code=${code}`;

  const invitationNotFound = (id: string) =>
    new NotFoundError('Invitation not found', { kind: 'parent_invitation', id });

  /** A letter invitation of this carer, still waiting; else not found. */
  async function waitingLetter(a: SchoolActor, pupilId: string, parentId: string, invitationId: string) {
    const invitation = await findInvitation(db, a.schoolId, pupilId, parentId, invitationId);
    if (invitation?.method !== 'letter' || invitationState(invitation, clock.now()) !== 'waiting')
      throw invitationNotFound(invitationId);
    return invitation;
  }

  /** The code, normalised, when it is this invitation's; else null. */
  function codeMatches(invitation: { codeHash: string }, code: string): string | null {
    const typed = normaliseInvitationCode(code.slice(0, 100));
    return typed && invitationCodeHash(typed) === invitation.codeHash ? typed : null;
  }

  async function carerOf(tx: Executor, a: SchoolActor, pupilId: string, parentId: string) {
    const carer = await findParent(tx, a.schoolId, pupilId, parentId);
    if (!carer) throw carerNotFound(parentId);
    return carer;
  }

  /** A carer the school may not invite: refused, and the refusal audited (services/kernel/refusals.ts). */
  function refuseIneligible(carer: { name: string; parentalResponsibility: boolean; courtOrder: boolean }) {
    if (mayBeInvited(carer)) return;
    throw new ForbiddenError(
      carer.courtOrder
        ? `${carer.name} cannot be invited: a court order is recorded against them`
        : `${carer.name} cannot be invited: they do not have parental responsibility`,
      'parental_responsibility',
    );
  }

  async function auditJoinFailure(
    schoolId: string | null,
    pupilId: string | null,
    client: JoinClient,
    reason: string,
    requestId: string,
  ) {
    await insertAuditEvents(db, [
      {
        schoolId,
        userId: client.userId ?? null,
        role: null,
        action: 'family.join_failed',
        pupilId,
        requestId,
        detail: { reason },
      },
    ]);
  }

  /**
   * The invitation a typed code names while it works, else JoinRefused (audited, and counted against
   * the client). `tx` and `lock` re-check it inside the transaction that uses it.
   */
  async function liveInvitation(typed: string, client: JoinClient, requestId: string) {
    const keys = clientKeys(client);
    const refuse = async (reason: string, schoolId: string | null = null, pupilId: string | null = null) => {
      if (reason !== 'throttled')
        for (const key of keys)
          await recordFailure(db, key, JOIN_FAILURES, JOIN_THROTTLE_MINUTES, JOIN_THROTTLE_MINUTES);
      await auditJoinFailure(schoolId, pupilId, client, reason, requestId);
      return new JoinRefused();
    };
    if (await anyBlocked(db, keys)) throw await refuse('throttled');
    const code = normaliseInvitationCode(typed.slice(0, 100));
    if (!code) throw await refuse('not_a_code');
    const found = await invitationByCodeHash(db, invitationCodeHash(code));
    if (!found) throw await refuse('no_such_code');
    const { invitation } = found;
    const reason = refusalOf(found, clock.now());
    if (reason) throw await refuse(reason, invitation.schoolId, invitation.pupilId);
    return { code, found };
  }

  /** An invitation this account could not take (linkProblem): audited, then JoinRefused. */
  async function refuseUnlinkable(
    found: FoundInvitation,
    userId: string,
    client: JoinClient,
    requestId: string,
  ) {
    const problem = await linkProblem(db, found, userId, clock.now());
    if (!problem) return;
    await auditJoinFailure(found.invitation.schoolId, found.invitation.pupilId, client, problem, requestId);
    throw new JoinRefused();
  }

  function shown(found: NonNullable<Awaited<ReturnType<typeof invitationByCodeHash>>>): JoinInvitation {
    return {
      schoolName: found.schoolName,
      childFirstName: found.preferredName ?? found.forename,
      method: found.invitation.method,
      email: found.invitation.method === 'email' ? found.invitation.email : null,
    };
  }

  return {
    // ---- The school's side -------------------------------------------------------------------

    /**
     * The pupil's family page for staff: each parent and carer, whether they may be invited, their
     * invitations (when, how, by whom, where they stand), their links to accounts (joined when, which
     * account, live or ended), and the read receipts (which parent read which letter or plan, when).
     */
    async familyAccess(actor: Actor, pupilId: string) {
      const a = requireSection(actor, 'identity', 'read');
      const found = await pupilFor(db, a, pupilId, { section: 'identity' });
      const mayChange = found.access.identity === 'write' && !found.pupil.leftOn;
      const [carers, invitations, links, receipts] = await Promise.all([
        parentsOfPupil(db, a.schoolId, pupilId),
        invitationsOfPupil(db, a.schoolId, pupilId),
        linksOfPupil(db, a.schoolId, pupilId),
        readReceiptsOfPupil(db, a.schoolId, pupilId),
      ]);
      await audit(db, a, 'family.access_viewed', { pupilId });
      const now = clock.now();
      const accountNames = new Map(links.map((l) => [l.userId, l.accountName]));
      return {
        pupil: found.pupil,
        /** Without a mail server, parents get no sign-in code: the page says so. */
        mailServer: mail.serverSetUp,
        carers: carers.map((c) => {
          const live = links.find((l) => l.parentCarerId === c.id && !l.endedAt) ?? null;
          const open = invitations.find(
            (i) => i.parentCarerId === c.id && invitationState(i, now) === 'waiting',
          );
          return {
            id: c.id,
            name: c.name,
            relationship: c.relationship,
            eligible: mayBeInvited(c),
            why: c.courtOrder
              ? 'A court order is recorded against them'
              : c.parentalResponsibility
                ? null
                : 'They do not have parental responsibility',
            live: live ? { since: when(live.createdAt), accountEmail: live.accountEmail } : null,
            mayInvite: mayChange && mayBeInvited(c),
            mayEnd: mayChange && Boolean(live || open),
            invitations: invitations
              .filter((i) => i.parentCarerId === c.id)
              .map((i) => ({
                sentAt: when(i.createdAt),
                method: i.method === 'email' ? `By email to ${i.email}` : 'On a printed letter',
                by: i.createdByName ?? 'Not recorded',
                state: INVITATION_STATE_LABELS[invitationState(i, now)],
                worksUntil: invitationState(i, now) === 'waiting' ? when(i.expiresAt) : null,
                usedAt: when(i.usedAt),
              })),
            links: links
              .filter((l) => l.parentCarerId === c.id)
              .map((l) => ({
                accountName: l.accountName,
                accountEmail: l.accountEmail,
                joinedAt: when(l.createdAt),
                endedAt: when(l.endedAt),
              })),
          };
        }),
        readReceipts: readReceipts(
          receipts.map((r) => {
            const detail = (r.detail ?? {}) as { record?: unknown; id?: unknown };
            return {
              at: r.at,
              who: r.name ?? (r.userId ? accountNames.get(r.userId) : null) ?? 'A parent or carer',
              record: typeof detail.record === 'string' ? detail.record : null,
              id: typeof detail.id === 'string' ? detail.id : null,
            };
          }),
        ).map((line) => ({
          at: when(line.lastAt),
          firstAt: line.times > 1 ? when(line.firstAt) : null,
          times: line.times,
          who: line.who,
          record: RECEIPT_RECORD_LABELS[line.record],
          recordId: line.id,
          recordKind: line.record,
        })),
      };
    },

    /** The invitation form: the carer, their email on record, and whether they may be invited at all. */
    async inviteForm(actor: Actor, pupilId: string, parentId: string, options = { audit: true }) {
      const a = requireSection(actor, 'identity', 'write');
      const found = await pupilFor(db, a, pupilId, WRITE);
      const carer = await carerOf(db, a, pupilId, parentId);
      refuseIneligible(carer);
      const live = await liveLinkOfCarer(db, a.schoolId, parentId);
      if (options.audit)
        await audit(db, a, 'pupil.opened_form', {
          pupilId,
          detail: { form: 'invite a parent or carer to OpenSEND', parentId },
        });
      return { pupil: found.pupil, carer, hasAccess: Boolean(live), mailServer: mail.serverSetUp };
    },

    /**
     * Invite a parent or carer: by email (the record's address, or one typed) or on a printed letter.
     * Their open invitation, if any, ends. Returns the code for a letter (the only time it exists
     * outside the letter: only its hash is kept).
     */
    async invite(
      actor: Actor,
      pupilId: string,
      parentId: string,
      input: { method: InvitationMethod; email?: string | null },
    ): Promise<{
      invitationId: string;
      method: InvitationMethod;
      email: string | null;
      code: string | null;
    }> {
      const a = requireSection(actor, 'identity', 'write');
      const code = newInvitationCode();
      const result = await changePupil(db, a, pupilId, WRITE, async (w) => {
        const carer = await carerOf(w.tx, a, pupilId, parentId);
        refuseIneligible(carer);
        if (await liveLinkOfCarer(w.tx, a.schoolId, parentId)) {
          throw new ValidationError([
            {
              field: 'form',
              message: `${carer.name} already uses OpenSEND for this child. To invite them again (a new email address, say), end their access first.`,
            },
          ]);
        }
        let email: string | null = null;
        if (input.method === 'email') {
          email = (input.email?.trim() || carer.email || '').toLowerCase();
          if (!isEmailAddress(email))
            throw new ValidationError([
              { field: 'email', message: 'Enter the email address to send the invitation to' },
            ]);
          const linked = [
            ...(await otherLinkedCarersOfEmail(w.tx, a.schoolId, email, pupilId)),
            ...(await waitingInvitationsOfEmail(w.tx, a.schoolId, email, pupilId, clock.now())),
          ];
          if (isAnotherFamily(carer, linked)) {
            throw new ValidationError([
              {
                field: 'email',
                message: `${email} already belongs to a parent of another family at this school. Check the address with ${carer.name}, or print a letter instead.`,
              },
            ]);
          }
        }
        const now = clock.now();
        const ended = await endOpenInvitations(w.tx, a.schoolId, parentId, a.userId, now);
        if (ended.length)
          w.audit('family.invitation_ended', { pupilId, detail: { parentId, replaced: ended } });
        const id = randomUUID();
        await insertInvitation(w.tx, {
          schoolId: a.schoolId,
          id,
          pupilId,
          parentCarerId: parentId,
          method: input.method,
          email,
          codeHash: invitationCodeHash(code),
          expiresAt: invitationExpiry(now),
          createdBy: a.userId,
          createdAt: now,
        });
        if (email) {
          const school = await findSchool(w.tx, a.schoolId);
          await queueMail(w.tx, { schoolId: a.schoolId, parentCarerId: parentId }, email, 'family.invited', {
            from: school?.name ?? 'Your child’s school',
            link: joinLink(code),
          });
        }
        w.audit('family.invited', { pupilId, detail: { parentId, invitationId: id, method: input.method } });
        return { invitationId: id, method: input.method, email };
      });
      if (result.email) mail.jobsQueued();
      return { ...result, code: input.method === 'letter' ? code : null };
    },

    /**
     * A letter invitation made a moment ago, for its page: whether this browser still holds its code (it
     * is stored nowhere else), so the letter can be printed. Another invitation, or one no longer
     * waiting: not found.
     */
    async letterInvitation(
      actor: Actor,
      pupilId: string,
      parentId: string,
      invitationId: string,
      code: string,
    ) {
      const a = requireSection(actor, 'identity', 'write');
      const found = await pupilFor(db, a, pupilId, WRITE);
      const carer = await carerOf(db, a, pupilId, parentId);
      const invitation = await waitingLetter(a, pupilId, parentId, invitationId);
      await audit(db, a, 'pupil.opened_form', {
        pupilId,
        detail: { form: 'print a letter inviting a parent or carer', parentId, invitationId },
      });
      return {
        pupil: found.pupil,
        carer,
        printable: codeMatches(invitation, code) !== null,
        until: formatDate(invitation.expiresAt.toISOString().slice(0, 10)),
      };
    },

    /**
     * What the printed letter says (web renders it as a tagged PDF): the school's name, the code, where to type it and until when.
     * The code comes from the browser that made the invitation (it is stored nowhere): it must be the
     * invitation's, still unused.
     */
    async invitationLetter(
      actor: Actor,
      pupilId: string,
      parentId: string,
      invitationId: string,
      code: string,
    ) {
      const a = requireSection(actor, 'identity', 'write');
      await pupilFor(db, a, pupilId, WRITE);
      const carer = await carerOf(db, a, pupilId, parentId);
      refuseIneligible(carer);
      const invitation = await waitingLetter(a, pupilId, parentId, invitationId);
      const typed = codeMatches(invitation, code);
      if (!typed) throw invitationNotFound(invitationId);
      const school = await findSchool(db, a.schoolId);
      await audit(db, a, 'family.invitation_printed', { pupilId, detail: { parentId, invitationId } });
      const letter: InvitationLetter = {
        schoolName: school?.name ?? 'Your child’s school',
        carerName: carer.name,
        code: formatInvitationCode(typed),
        joinAddress: `${mail.publicUrl}/join`,
        days: INVITATION_DAYS,
        until: formatDate(invitation.expiresAt.toISOString().slice(0, 10)),
      };
      return letter;
    },

    /** What ending a carer's access would end: their live link and any open invitation. */
    async endAccessForm(actor: Actor, pupilId: string, parentId: string) {
      const a = requireSection(actor, 'identity', 'write');
      const found = await pupilFor(db, a, pupilId, WRITE);
      const carer = await carerOf(db, a, pupilId, parentId);
      const live = await liveLinkOfCarer(db, a.schoolId, parentId);
      await audit(db, a, 'pupil.opened_form', {
        pupilId,
        detail: { form: 'end a parent’s or carer’s access to OpenSEND', parentId },
      });
      return { pupil: found.pupil, carer, hasAccess: Boolean(live) };
    },

    /**
     * End a parent's or carer's access at once: their link ends (the next request they make for this
     * child is "not found"), and so does any invitation not yet used.
     */
    async endAccess(actor: Actor, pupilId: string, parentId: string): Promise<string> {
      const a = requireSection(actor, 'identity', 'write');
      const result = await changePupil(db, a, pupilId, WRITE, async (w) => {
        const carer = await carerOf(w.tx, a, pupilId, parentId);
        const now = clock.now();
        const users = await endLinksOfCarer(w.tx, a.schoolId, parentId, a.userId, now);
        const invitations = await endOpenInvitations(w.tx, a.schoolId, parentId, a.userId, now);
        if (users.length === 0 && invitations.length === 0) {
          throw new ValidationError([
            { field: 'form', message: `${carer.name} has no access to end and no invitation waiting` },
          ]);
        }
        w.audit('family.access_ended', {
          pupilId,
          detail: { parentId, accountsEnded: users.length, invitationsEnded: invitations },
        });
        return { name: carer.name, users };
      });
      for (const userId of result.users) sessions.dropUser(userId);
      return result.name;
    },

    // ---- The parent's side: /join ------------------------------------------------------------

    /** A typed code: what it is for while it works, else JoinRefused. */
    async checkCode(code: string, client: JoinClient, requestId: string): Promise<JoinInvitation> {
      const { found } = await liveInvitation(code, client, requestId);
      return shown(found);
    },

    /**
     * A new account from an invitation: a name, an email and a password (the house's rules). The
     * account is made and linked, and the first sign-in asks for a code sent to that email (a new
     * device, as always for a parent): the challenge comes back for the browser to keep.
     *
     * An email that already has an account gets no new one and learns nothing here: the answer is the
     * same challenge page (a challenge that no code opens), and the mail that goes to that address
     * asks its owner to sign in instead. Only the owner of the mailbox can tell the two apart.
     */
    async joinNewAccount(
      input: { code: string; name: string; email: string; password: string },
      client: JoinClient,
      requestId: string,
    ): Promise<{ challengeToken: string }> {
      const { code, found } = await liveInvitation(input.code, client, requestId);
      const email = input.email.trim().toLowerCase();
      const weak = await weakPasswordProblem(input.password, [input.name, email, found.schoolName]);
      if (weak) throw new ValidationError([{ field: 'password', message: weak }]);
      // Each new account asked for takes a try of the invitation (after five it stops), before any
      // slow work, counted and checked at once: one code cannot send codes to any number of addresses,
      // even by many requests at the same moment.
      if (
        !(await takeInvitationTry(
          db,
          found.invitation.schoolId,
          found.invitation.id,
          INVITATION_MAX_ATTEMPTS,
        ))
      ) {
        await auditJoinFailure(
          found.invitation.schoolId,
          found.invitation.pupilId,
          client,
          'stopped',
          requestId,
        );
        throw new JoinRefused();
      }
      const passwordHash = await hashPassword(input.password);
      const existing = await findAccountByEmail(db, email);
      if (existing) {
        await db.transaction(async (tx) => {
          // The mail carries no code: whoever owns this address is not thereby the invited parent.
          await queueMail(tx, { schoolId: null }, email, 'family.account_exists', {
            from: 'OpenSEND',
            link: `${mail.publicUrl}/join`,
          });
          await insertAuditEvents(tx, [
            {
              // Whoever typed the address is not its owner: the trail names no one.
              schoolId: found.invitation.schoolId,
              userId: client.userId ?? null,
              role: null,
              action: 'family.join_failed',
              pupilId: found.invitation.pupilId,
              requestId,
              detail: { reason: 'email_has_account' },
            },
          ]);
        });
        mail.jobsQueued();
        // The same work as a new account's sign-in (a password check), then a challenge like a real one
        // (it counts wrong codes and pauses as one does) that no code opens: its code hash is no code's.
        await verifyPassword(await decoyPasswordHash(), input.password);
        const challengeToken = randomBytes(32).toString('base64url');
        await insertChallenge(db, {
          tokenHash: hashToken(challengeToken),
          userId: existing.id,
          codeHash: randomBytes(32).toString('hex'),
          returnTo: '/children',
          expiresAt: new Date(Date.now() + CODE_MINUTES * 60 * 1000),
        });
        return { challengeToken };
      }
      // Nothing is made and nothing linked yet: the account is made, and the child linked, once the
      // code sent to this email is right (the address proven), in the code check. A stranger holding
      // the code cannot take an address that is not theirs. A code that cannot link is refused now.
      await refuseUnlinkable(found, randomUUID(), client, requestId);
      const { challengeToken } = await sendSignInCode(
        database,
        mail,
        { newAccount: { email, name: input.name.trim(), passwordHash } },
        '/children',
        requestId,
        { invitationCodeHash: invitationCodeHash(code), newAccount: true },
      );
      return { challengeToken };
    },

    /**
     * An account the parent already has (a child at another school, a member of staff who is also a
     * parent): the right password links it, then they sign in as usual (a code by email on a new
     * device). A wrong password is a failed sign-in (throttled as sign-in is) and a try against the
     * invitation: after five, it stops.
     */
    async joinWithAccount(
      input: { code: string; email: string; password: string; deviceTokens?: readonly string[] },
      client: JoinClient,
      requestId: string,
    ): Promise<SignInResult> {
      const { code, found } = await liveInvitation(input.code, client, requestId);
      const email = input.email.trim().toLowerCase();
      const pairKey = throttleKey('account-address', email, client.address);
      const addressKey = throttleKey('address', client.address);
      const user = await findAccountByEmail(db, email);
      const blocked = await anyBlocked(db, [pairKey, addressKey]);
      const valid =
        !blocked && user && !user.disabledAt
          ? await verifyPassword(user.passwordHash, input.password)
          : (await verifyPassword(await decoyPasswordHash(), input.password)) && false;
      if (!user || !valid) {
        if (!blocked) {
          await recordFailure(db, pairKey, PAIR_FAILURES, THROTTLE_MINUTES, THROTTLE_MINUTES);
          await recordFailure(db, addressKey, ADDRESS_FAILURES, THROTTLE_MINUTES, THROTTLE_MINUTES);
        }
        const attempts = await countInvitationAttempt(db, found.invitation.schoolId, found.invitation.id);
        await auditJoinFailure(
          found.invitation.schoolId,
          found.invitation.pupilId,
          client,
          blocked
            ? 'sign_in_throttled'
            : attempts >= INVITATION_MAX_ATTEMPTS
              ? 'wrong_password_last_try'
              : 'wrong_password',
          requestId,
        );
        return { ok: false };
      }
      // The password is right: the child is linked once the code sent to the account's email is (the
      // address proven on this device too). An invitation this account cannot take is refused now.
      await refuseUnlinkable(found, user.id, client, requestId);
      await clearThrottle(db, pairKey);
      return signIn(
        {
          email,
          password: input.password,
          address: client.address,
          deviceTokens: input.deviceTokens ?? [],
          returnTo: '/children',
          joining: { invitationCodeHash: invitationCodeHash(code), newAccount: false },
        },
        requestId,
      );
    },

    /** A signed-in person links the child to the account they are using. */
    async joinSignedIn(actor: Actor, code: string, client: JoinClient): Promise<JoinInvitation> {
      const signedIn = { ...client, userId: actor.userId };
      const { code: valid, found } = await liveInvitation(code, signedIn, actor.requestId);
      const result = await db.transaction((tx) =>
        useInvitation(tx, clock.now(), invitationCodeHash(valid), actor.userId, actor.requestId, false),
      );
      if (!result.ok) {
        await auditJoinFailure(
          result.schoolId,
          found.invitation.pupilId,
          signedIn,
          result.reason,
          actor.requestId,
        );
        throw new JoinRefused();
      }
      await clearThrottle(db, throttleKey('join-account', actor.userId));
      sessions.dropUser(actor.userId);
      return shown(found);
    },
  };
}

export type InvitationService = ReturnType<typeof createInvitationService>;
