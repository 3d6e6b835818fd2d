import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { JOIN_CODE_REFUSED } from '../../../domain/family-invitations.ts';
import { type JoinInvitation, JoinRefused } from '../../../services/family/invitations.ts';
import type { Services } from '../../../services/index.ts';
import type { FieldError } from '../../../services/kernel/errors.ts';
import { ValidationError } from '../../../services/kernel/errors.ts';
import type { AppOptions } from '../../app-options.ts';
import { parseForm } from '../../forms/errors.ts';
import { idParam, pupilIdOf } from '../../params.ts';
import { paths } from '../../paths.ts';
import { CSRF_COOKIE, cookieOptions, SESSION_COOKIE } from '../../plugins/session.ts';
import { CHALLENGE_COOKIE, deviceTokensOf, SIGN_IN_FAILED } from '../../shared/sign-in.ts';
import {
  CodeSchema,
  CodeSignedOutSchema,
  InviteSchema,
  JoinSignInSchema,
  NewAccountSchema,
} from './schemas.ts';

/*
 * Getting in (docs/adr/0039). The parent's side: /join (signed out or in) → the code → a new account,
 * or sign in to one they have, or (signed in) link the child to this account. The school's side: the
 * family page of a pupil, an invitation (email or printed letter), ending access.
 */

const VIEWS = 'features/family-join/views';
const JOIN = `${VIEWS}/join.njk`;
const NEW_ACCOUNT = `${VIEWS}/new-account.njk`;
const SIGN_IN = `${VIEWS}/sign-in.njk`;
const CONFIRM = `${VIEWS}/confirm.njk`;
/** The code of a letter invitation just made, kept by the browser that made it for its own pages. */
const LETTER_COOKIE = 'opensend_invitation_letter';

const formErrors = (errors: FieldError[]) => ({
  list: errors.map((e) => ({ text: e.message, href: `#${e.field === 'form' ? 'code' : e.field}` })),
  fields: Object.fromEntries(errors.map((e) => [e.field, { text: e.message }])),
});

const bodyOf = (request: FastifyRequest) => (request.body ?? {}) as Record<string, unknown>;
const typed = (v: unknown, max = 300) => (typeof v === 'string' ? v.slice(0, max) : '');

/** The code page again, the code kept and the one message by it. */
function codeRefused(request: FastifyRequest, reply: FastifyReply, code: string, hasAccount = '') {
  return reply.code(400).page(JOIN, {
    pageTitle: 'Use your invitation code',
    values: { code, hasAccount },
    signedIn: Boolean(request.actor),
    errors: formErrors([{ field: 'code', message: JOIN_CODE_REFUSED }]),
  });
}

export async function familyJoinRoutes(app: FastifyInstance, services: Services, options: AppOptions) {
  const invitations = services.familyInvitations;
  const limited = { config: { rateLimit: { max: options.signInRateLimit ?? 30, timeWindow: '1 minute' } } };
  const clientOf = (request: FastifyRequest) => ({
    address: request.ip,
    userId: request.actor?.userId ?? null,
  });

  // ---- The parent's side -----------------------------------------------------------------------

  app.get(paths.join.pattern, async (request, reply) => {
    const code = typed((request.query as Record<string, unknown>).code, 100);
    return reply.page(JOIN, {
      pageTitle: 'Use your invitation code',
      values: { code },
      signedIn: Boolean(request.actor),
    });
  });

  app.post(paths.join.pattern, limited, async (request, reply) => {
    const body = bodyOf(request);
    const values = { code: typed(body.code, 100), hasAccount: typed(body.hasAccount, 10) };
    const signedIn = Boolean(request.actor);
    const parsed = signedIn ? parseForm(CodeSchema, body) : parseForm(CodeSignedOutSchema, body);
    if (!parsed.ok)
      return reply.code(400).page(JOIN, {
        pageTitle: 'Use your invitation code',
        values,
        signedIn,
        errors: formErrors(parsed.errors),
      });
    let invitation: JoinInvitation;
    try {
      invitation = await invitations.checkCode(parsed.data.code, clientOf(request), request.id);
    } catch (error) {
      if (error instanceof JoinRefused) return codeRefused(request, reply, values.code, values.hasAccount);
      throw error;
    }
    if (signedIn)
      return reply.page(CONFIRM, {
        pageTitle: `Link ${invitation.childFirstName} to your account`,
        invitation,
        values: { code: parsed.data.code },
      });
    if (values.hasAccount === 'yes')
      return reply.page(SIGN_IN, {
        pageTitle: 'Sign in to link your child',
        invitation,
        values: { code: parsed.data.code },
      });
    return reply.page(NEW_ACCOUNT, {
      pageTitle: 'Make your account',
      invitation,
      values: { code: parsed.data.code, email: invitation.email ?? '' },
    });
  });

  app.post(paths.joinNewAccount.pattern, limited, async (request, reply) => {
    if (request.actor) return reply.redirect(paths.join.to(), 303);
    const body = bodyOf(request);
    const values = { code: typed(body.code, 100), name: typed(body.name), email: typed(body.email) };
    const again = async (errors: FieldError[]) => {
      let invitation: JoinInvitation;
      try {
        invitation = await invitations.checkCode(values.code, clientOf(request), request.id);
      } catch (error) {
        if (error instanceof JoinRefused) return codeRefused(request, reply, values.code, 'no');
        throw error;
      }
      return reply.code(400).page(NEW_ACCOUNT, {
        pageTitle: 'Make your account',
        invitation,
        values,
        errors: formErrors(errors),
      });
    };
    const parsed = parseForm(NewAccountSchema, body);
    if (!parsed.ok) return again(parsed.errors);
    let challengeToken: string;
    try {
      ({ challengeToken } = await invitations.joinNewAccount(parsed.data, clientOf(request), request.id));
    } catch (error) {
      if (error instanceof JoinRefused) return codeRefused(request, reply, values.code, 'no');
      if (error instanceof ValidationError) return again(error.errors);
      throw error;
    }
    reply.setCookie(CHALLENGE_COOKIE, challengeToken, { ...cookieOptions(request), maxAge: 10 * 60 });
    // The same words whether or not the address already had an account: only its mailbox tells.
    return reply
      .flash(
        `We have sent an email to ${parsed.data.email.trim().toLowerCase()}. If you are new to OpenSEND, it has a 6-digit code: type it below. If you already have an account with that address, the email asks you to sign in instead. Wrong address? Go back to your invitation code and start again: nothing has been made.`,
        'important',
      )
      .redirect(paths.signInCode.to(), 303);
  });

  app.post(paths.joinSignIn.pattern, limited, async (request, reply) => {
    if (request.actor) return reply.redirect(paths.join.to(), 303);
    const body = bodyOf(request);
    const values = { code: typed(body.code, 100), email: typed(body.email) };
    const again = async (errors: FieldError[], status = 400) => {
      let invitation: JoinInvitation;
      try {
        invitation = await invitations.checkCode(values.code, clientOf(request), request.id);
      } catch (error) {
        if (error instanceof JoinRefused) return codeRefused(request, reply, values.code, 'yes');
        throw error;
      }
      return reply.code(status).page(SIGN_IN, {
        pageTitle: 'Sign in to link your child',
        invitation,
        values,
        errors: formErrors(errors),
      });
    };
    const parsed = parseForm(JoinSignInSchema, body);
    if (!parsed.ok) return again(parsed.errors);
    let result: Awaited<ReturnType<typeof invitations.joinWithAccount>>;
    try {
      result = await invitations.joinWithAccount(
        { ...parsed.data, deviceTokens: deviceTokensOf(request) },
        clientOf(request),
        request.id,
      );
    } catch (error) {
      if (error instanceof JoinRefused) return codeRefused(request, reply, values.code, 'yes');
      throw error;
    }
    if (!result.ok && result.codeSent) {
      reply.setCookie(CHALLENGE_COOKIE, result.challengeToken, {
        ...cookieOptions(request),
        maxAge: 10 * 60,
      });
      return reply.redirect(paths.signInCode.to(), 303);
    }
    if (!result.ok) return again([{ field: 'email', message: SIGN_IN_FAILED }], 401);
    reply.setCookie(SESSION_COOKIE, result.token, cookieOptions(request));
    reply.clearCookie(CSRF_COOKIE, { path: '/' });
    return reply.redirect(paths.afterSignIn.to({ returnTo: paths.children.to() }), 303);
  });

  app.post(paths.joinLink.pattern, limited, async (request, reply) => {
    const actor = request.actor;
    if (!actor) return reply.redirect(paths.join.to(), 303);
    const parsed = parseForm(CodeSchema, bodyOf(request));
    const code = typed(bodyOf(request).code, 100);
    if (!parsed.ok) return codeRefused(request, reply, code);
    let invitation: JoinInvitation;
    try {
      invitation = await invitations.joinSignedIn(actor, parsed.data.code, clientOf(request));
    } catch (error) {
      if (error instanceof JoinRefused) return codeRefused(request, reply, code);
      throw error;
    }
    if (actor.kind === 'parent')
      return reply
        .flash(`${invitation.childFirstName} is linked to your account.`)
        .redirect(paths.children.to(), 303);
    // Signed in with no place, or as staff: they came to see their child, so this session now acts as a
    // parent (the places read again, the child's link among them); staff switch back from the top bar.
    const fresh = request.sessionToken ? await services.auth.resolve(request.sessionToken, request.id) : null;
    if (fresh?.status === 'live' && (await services.auth.chooseContext(fresh, 'parent')))
      return reply
        .flash(`${invitation.childFirstName} is linked to your account.`)
        .redirect(paths.children.to(), 303);
    return reply
      .flash(
        `${invitation.childFirstName} is linked to your account. Choose “As a parent or carer” to see your children.`,
      )
      .redirect(paths.choose.to(), 303);
  });

  // ---- The school's side -----------------------------------------------------------------------

  app.get(paths.pupilFamily.pattern, async (request, reply) => {
    const page = await invitations.familyAccess(request.actor!, pupilIdOf(request));
    return reply.page(`${VIEWS}/family.njk`, {
      pageTitle: `${page.pupil.forename} ${page.pupil.surname}: family access to OpenSEND`,
      ...page,
    });
  });

  const inviteData = (request: FastifyRequest, audit: boolean) =>
    invitations.inviteForm(request.actor!, pupilIdOf(request), idParam(request, 'parentId'), { audit });
  const showInvite = (
    reply: FastifyReply,
    data: Awaited<ReturnType<typeof inviteData>>,
    values: Record<string, unknown>,
    errors?: FieldError[],
  ) =>
    reply.code(errors ? 400 : 200).page(`${VIEWS}/invite.njk`, {
      pageTitle: `Invite ${data.carer.name} to OpenSEND`,
      ...data,
      values,
      ...(errors ? { errors: formErrors(errors) } : {}),
    });

  app.get(paths.parentInvite.pattern, async (request, reply) => {
    const data = await inviteData(request, true);
    return showInvite(reply, data, {
      method: data.carer.email ? 'email' : 'letter',
      email: data.carer.email ?? '',
    });
  });

  app.post(paths.parentInvite.pattern, async (request, reply) => {
    const body = bodyOf(request);
    const values = { method: typed(body.method, 10), email: typed(body.email) };
    const parsed = parseForm(InviteSchema, body);
    if (!parsed.ok) return showInvite(reply, await inviteData(request, false), values, parsed.errors);
    const pupilId = pupilIdOf(request);
    const parentId = idParam(request, 'parentId');
    let sent: Awaited<ReturnType<typeof invitations.invite>>;
    try {
      sent = await invitations.invite(request.actor!, pupilId, parentId, parsed.data);
    } catch (error) {
      if (error instanceof ValidationError)
        return showInvite(reply, await inviteData(request, false), values, error.errors);
      throw error;
    }
    if (sent.method === 'email')
      return reply
        .flash(`The invitation is on its way to ${sent.email}. It works for 14 days.`)
        .redirect(paths.pupilFamily.to({ pupilId }), 303);
    // The code exists only now and is stored nowhere: this browser keeps it for half an hour, for the
    // invitation's own pages only, so the letter can be printed (and printed again if the printer jams).
    const ids = { pupilId, parentId, parentInvitationId: sent.invitationId };
    reply.setCookie(LETTER_COOKIE, sent.code ?? '', {
      ...cookieOptions(request),
      path: paths.parentInvitation.to(ids),
      maxAge: 30 * 60,
    });
    return reply.redirect(paths.parentInvitation.to(ids), 303);
  });

  /** A letter invitation just made: print its letter (while this browser still holds the code). */
  app.get(paths.parentInvitation.pattern, async (request, reply) => {
    const pupilId = pupilIdOf(request);
    const parentId = idParam(request, 'parentId');
    const parentInvitationId = idParam(request, 'parentInvitationId');
    const data = await invitations.letterInvitation(
      request.actor!,
      pupilId,
      parentId,
      parentInvitationId,
      request.cookies[LETTER_COOKIE] ?? '',
    );
    return reply.page(`${VIEWS}/letter-ready.njk`, {
      pageTitle: `Print the letter for ${data.carer.name}`,
      ...data,
      invitationId: parentInvitationId,
    });
  });

  app.get(paths.parentInvitationLetter.pattern, async (request, reply) => {
    const letter = await invitations.invitationLetter(
      request.actor!,
      pupilIdOf(request),
      idParam(request, 'parentId'),
      idParam(request, 'parentInvitationId'),
      request.cookies[LETTER_COOKIE] ?? '',
    );
    // pdfkit and its fonts are loaded on the first PDF, not at server start.
    const { invitationLetterPdf } = await import('../../../documents/invitation-letter-pdf.ts');
    const bytes = await invitationLetterPdf(letter);
    return reply
      .header('Content-Type', 'application/pdf')
      .header('Content-Disposition', 'attachment; filename="invitation-to-opensend.pdf"')
      .header('Cache-Control', 'no-store')
      .send(bytes);
  });

  app.get(paths.parentAccessEnd.pattern, async (request, reply) => {
    const data = await invitations.endAccessForm(
      request.actor!,
      pupilIdOf(request),
      idParam(request, 'parentId'),
    );
    return reply.page(`${VIEWS}/end-access.njk`, { pageTitle: endAccessTitle(data), ...data });
  });

  app.post(paths.parentAccessEnd.pattern, async (request, reply) => {
    const pupilId = pupilIdOf(request);
    const parentId = idParam(request, 'parentId');
    try {
      const name = await invitations.endAccess(request.actor!, pupilId, parentId);
      return reply
        .flash(`Done: ${name} cannot see this child in OpenSEND, and any invitation waiting no longer works.`)
        .redirect(paths.pupilFamily.to({ pupilId }), 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const data = await invitations.endAccessForm(request.actor!, pupilId, parentId);
      return reply.code(400).page(`${VIEWS}/end-access.njk`, {
        pageTitle: endAccessTitle(data),
        ...data,
        errors: formErrors(error.errors),
      });
    }
  });
}

/** The end-access page's title: ending access, or (nobody uses it yet) withdrawing the invitation. */
function endAccessTitle(data: { carer: { name: string }; hasAccess: boolean }): string {
  return data.hasAccess
    ? `End ${data.carer.name}’s access to OpenSEND`
    : `Withdraw ${data.carer.name}’s invitation to OpenSEND`;
}
