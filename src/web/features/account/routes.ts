import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../../services/index.ts';
import { ValidationError } from '../../../services/kernel/errors.ts';
import { formRoute } from '../../form-route.ts';
import { parseForm } from '../../forms/errors.ts';
import { email, emailedCode, newPassword, password } from '../../forms/fields.ts';
import { idParam } from '../../params.ts';
import { paths } from '../../paths.ts';
import { safeReturnTo } from '../../plugins/session.ts';

const PasswordSchema = z
  .object({
    currentPassword: password('Enter your current password'),
    newPassword: newPassword(),
    confirmPassword: z.unknown().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.confirmPassword !== v.newPassword) {
      ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'The new passwords do not match' });
    }
  });

const EmailSchema = z.object({
  newEmail: email('New email address', 'Enter the new email address'),
  password: password('Enter your password'),
});
const EmailCodeSchema = z.object({ code: emailedCode() });

/** A person's own account: their password, their invitations, a form kept for them. */
export async function accountRoutes(app: FastifyInstance, services: Services) {
  app.get(paths.account.pattern, async (request, reply) => {
    const session = request.session!;
    const invitations = await services.account.invitations(session.actor);
    // A member of staff's own training, read only (the SENCo and head keep it).
    const training =
      session.actor.kind === 'staff' && session.actor.schoolId
        ? await services.training.own(session.actor)
        : null;
    return reply.page('features/account/views/account.njk', {
      pageTitle: 'Your account',
      training,
      schools: session.schools,
      organisations: session.organisations,
      parent: session.parent,
      professional: session.professional,
      invitations,
    });
  });

  /** After signing in: a form kept for the person first, then choosing where to work, then where they were going. */
  app.get(paths.afterSignIn.pattern, async (request, reply) => {
    const session = request.session!;
    const returnTo = safeReturnTo((request.query as Record<string, unknown>).returnTo);
    const held = await services.account.latestHeldForm(session.actor);
    if (held) {
      if (session.needsChoice && held.schoolId && session.schools.some((s) => s.schoolId === held.schoolId)) {
        await services.auth.chooseContext(session, `school:${held.schoolId}`);
      }
      return reply.redirect(paths.resume.to({ heldFormId: held.id }), 303);
    }
    if (session.needsChoice) return reply.redirect(paths.choose.to(), 303);
    if ((await services.account.invitations(session.actor)).length > 0 && returnTo === '/') {
      return reply.redirect(paths.account.to(), 303);
    }
    return reply.redirect(returnTo, 303);
  });

  formRoute(app, {
    path: paths.accountPassword,
    template: 'features/account/views/password.njk',
    forget: ['currentPassword', 'newPassword', 'confirmPassword'],
    async load(request) {
      return { pageTitle: 'Change your password', mustChange: request.session!.mustChangePassword };
    },
    parse: (body) => parseForm(PasswordSchema, body),
    submit: (request, input) =>
      services.account.changePassword(request.actor!, request.session!.sessionId, {
        currentPassword: input.currentPassword,
        newPassword: input.newPassword,
      }),
    done: (_r, _i, request) => ({
      redirect: request.session!.mustChangePassword ? paths.afterSignIn.to() : paths.account.to(),
      flash: 'Your password has been changed. You have been signed out everywhere else.',
    }),
  });

  formRoute(app, {
    path: paths.accountEmail,
    template: 'features/account/views/email.njk',
    forget: ['password'],
    async load(request) {
      return {
        pageTitle: 'Change the email address you sign in with',
        parent: request.session!.parent,
      };
    },
    parse: (body) => parseForm(EmailSchema, body),
    submit: (request, input) =>
      services.emailChange.ask(request.actor!, { newEmail: input.newEmail, password: input.password }),
    done: () => ({ redirect: paths.accountEmailCode.to() }),
  });

  formRoute(app, {
    path: paths.accountEmailCode,
    template: 'features/account/views/email-code.njk',
    async load(request) {
      return {
        pageTitle: 'Enter the code we emailed to your new address',
        pending: await services.emailChange.pending(request.actor!),
      };
    },
    parse: (body) => parseForm(EmailCodeSchema, body),
    async submit(request, input) {
      const result = await services.emailChange.confirm(request.actor!, input.code);
      if (result.ok) return result;
      if (result.reason === 'wrong') {
        const tries = result.triesLeft === 1 ? '1 more try' : `${result.triesLeft} more tries`;
        throw new ValidationError([{ field: 'code', message: `That code is not right. You have ${tries}.` }]);
      }
      return result;
    },
    done: (result) =>
      result.ok
        ? {
            redirect: paths.account.to(),
            flash: `You now sign in with ${result.email}. We have told your old address.`,
          }
        : {
            redirect: paths.accountEmail.to(),
            flash:
              'That code can no longer be used (it is 30 minutes old, already used, or was entered wrongly too many times). Ask for a new one below.',
          },
  });

  app.post(paths.invitation.pattern, async (request, reply) => {
    // Exactly one of the page's two buttons: an answer sent twice, as a list or missing is neither (null),
    // never taken as "Decline".
    const answer = (request.body as Record<string, unknown> | undefined)?.answer;
    const accept = answer === 'accept' ? true : answer === 'decline' ? false : null;
    await services.account.answerInvitation(
      request.actor!,
      request.session!.sessionId,
      idParam(request, 'schoolId'),
      idParam(request, 'invitationId'),
      accept,
    );
    if (!accept) return reply.flash('Invitation declined.').redirect(paths.account.to(), 303);
    return reply.flash('You have joined the school.').redirect(paths.home.to(), 303);
  });

  app.get(paths.resume.pattern, async (request, reply) => {
    const held = await services.account.heldForm(request.actor!, idParam(request, 'heldFormId'));
    return reply.page('features/account/views/resume.njk', {
      pageTitle: 'Send the form you were filling in',
      held,
    });
  });

  app.post(paths.resumeDiscard.pattern, async (request, reply) => {
    await services.account.discardHeldForm(request.actor!, idParam(request, 'heldFormId'));
    return reply.flash('The form has been discarded.').redirect(paths.home.to(), 303);
  });
}
