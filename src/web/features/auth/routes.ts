import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { placeChoices } from '../../../services/auth/places.ts';
import type { Services } from '../../../services/index.ts';
import { ValidationError } from '../../../services/kernel/errors.ts';
import type { AppOptions } from '../../app-options.ts';
import { parseForm } from '../../forms/errors.ts';
import { email, emailedCode, password } from '../../forms/fields.ts';
import { paths } from '../../paths.ts';
import { CSRF_COOKIE, cookieOptions, SESSION_COOKIE, safeReturnTo } from '../../plugins/session.ts';
import {
  CHALLENGE_COOKIE,
  DEVICE_COOKIE,
  deviceTokensOf,
  MAX_DEVICE_TOKENS,
  SIGN_IN_FAILED,
} from '../../shared/sign-in.ts';

export { CHALLENGE_COOKIE, DEVICE_COOKIE, SIGN_IN_FAILED };

const TEMPLATE = 'features/auth/views/sign-in.njk';
const CHOOSE = 'features/auth/views/choose.njk';
const CODE = 'features/auth/views/code.njk';
const SET_PASSWORD = 'features/auth/views/set-password.njk';

const CodeSchema = z.object({ code: emailedCode() });

const SetPasswordSchema = z
  .object({
    token: z.string().max(200),
    password: password(),
    confirmPassword: z.string({ error: 'Enter the password again' }).max(1000),
  })
  .refine((v) => v.password === v.confirmPassword, {
    path: ['confirmPassword'],
    message: 'The passwords do not match: type the same password twice',
  });

const formErrors = (errors: { field: string; message: string }[]) => ({
  list: errors.map((e) => ({ text: e.message, href: `#${e.field}` })),
  fields: Object.fromEntries(errors.map((e) => [e.field, { text: e.message }])),
});

const SignInSchema = z.object({ email: email(), password: password(), returnTo: z.unknown().optional() });

export async function authRoutes(app: FastifyInstance, services: Services, options: AppOptions) {
  app.get(paths.signIn.pattern, async (request, reply) => {
    const returnTo = safeReturnTo((request.query as Record<string, unknown>).returnTo);
    if (request.actor) return reply.redirect(returnTo, 303);
    return reply.page(TEMPLATE, { pageTitle: 'Sign in', values: { returnTo } });
  });

  app.post(
    paths.signIn.pattern,
    { config: { rateLimit: { max: options.signInRateLimit ?? 30, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const returnTo = safeReturnTo(body.returnTo);
      const values = { email: typeof body.email === 'string' ? body.email : '', returnTo };
      const parsed = parseForm(SignInSchema, body);
      const show = (errors: { field: string; message: string }[], status: number) =>
        reply.code(status).page(TEMPLATE, {
          pageTitle: 'Sign in',
          values,
          errors: {
            list: errors.map((e) => ({ text: e.message, href: `#${e.field}` })),
            fields: Object.fromEntries(errors.map((e) => [e.field, { text: e.message }])),
          },
        });
      if (!parsed.ok) return show(parsed.errors, 400);
      const result = await services.auth.signIn(
        {
          email: parsed.data.email,
          password: parsed.data.password,
          address: request.ip,
          deviceTokens: deviceTokensOf(request),
          returnTo,
        },
        request.id,
      );
      if (!result.ok && result.codeSent) {
        reply.setCookie(CHALLENGE_COOKIE, result.challengeToken, {
          ...cookieOptions(request),
          maxAge: 10 * 60,
        });
        return reply.redirect(paths.signInCode.to(), 303);
      }
      if (!result.ok) return show([{ field: 'email', message: SIGN_IN_FAILED }], 401);
      reply.setCookie(SESSION_COOKIE, result.token, cookieOptions(request));
      // A new session gets new CSRF tokens: none made before signing in will work after it.
      reply.clearCookie(CSRF_COOKIE, { path: '/' });
      const next = result.mustChangePassword
        ? paths.accountPassword.to()
        : paths.afterSignIn.to({ returnTo });
      return reply.redirect(next, 303);
    },
  );

  /** The code sent by email at a new device (parents and professionals). */
  app.get(paths.signInCode.pattern, async (request, reply) => {
    if (request.actor) return reply.redirect(paths.home.to(), 303);
    if (!request.cookies[CHALLENGE_COOKIE]) return reply.redirect(paths.signIn.to(), 303);
    return reply.page(CODE, { pageTitle: 'Enter the code we emailed you' });
  });

  app.post(
    paths.signInCode.pattern,
    { config: { rateLimit: { max: options.signInRateLimit ?? 30, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const challengeToken = request.cookies[CHALLENGE_COOKIE];
      if (!challengeToken || challengeToken.length > 100) {
        return reply.flash('Sign in again: we will send you a new code.').redirect(paths.signIn.to(), 303);
      }
      const body = (request.body ?? {}) as Record<string, unknown>;
      const show = (errors: { field: string; message: string }[], status: number) =>
        reply.code(status).page(CODE, {
          pageTitle: 'Enter the code we emailed you',
          errors: formErrors(errors),
        });
      const parsed = parseForm(CodeSchema, body);
      if (!parsed.ok) return show(parsed.errors, 400);
      const result = await services.auth.enterCode(
        {
          challengeToken,
          code: parsed.data.code,
          address: request.ip,
          device: String(request.headers['user-agent'] ?? '').slice(0, 500),
        },
        request.id,
      );
      if (!result.ok && result.reason === 'wrong') {
        const tries = result.triesLeft === 1 ? '1 more try' : `${result.triesLeft} more tries`;
        return show([{ field: 'code', message: `That code is not right. You have ${tries}.` }], 401);
      }
      if (!result.ok) {
        reply.clearCookie(CHALLENGE_COOKIE, { path: '/' });
        return reply
          .flash(
            'That code can no longer be used (it is 10 minutes old, already used, or was entered wrongly too many times). Sign in again and we will send you a new one. If it was entered wrongly many times, wait 15 minutes first.',
            'important',
          )
          .redirect(paths.signIn.to(), 303);
      }
      const kept = deviceTokensOf(request).slice(-(MAX_DEVICE_TOKENS - 1));
      reply.setCookie(DEVICE_COOKIE, [...kept, result.deviceToken].join('.'), {
        ...cookieOptions(request),
        maxAge: 180 * 24 * 3600,
      });
      reply.clearCookie(CHALLENGE_COOKIE, { path: '/' });
      reply.setCookie(SESSION_COOKIE, result.token, cookieOptions(request));
      reply.clearCookie(CSRF_COOKIE, { path: '/' });
      if (result.joinRefused)
        reply.flash(
          'You are signed in, but your invitation code stopped working before you entered this code (it may have run out, or the school may have withdrawn it or sent a new one). Ask the school for a new invitation.',
          'important',
        );
      const next = result.mustChangePassword
        ? paths.accountPassword.to()
        : paths.afterSignIn.to({ returnTo: safeReturnTo(result.returnTo) });
      return reply.redirect(next, 303);
    },
  );

  /** A first password, from the one-time link sent by email. */
  app.get(paths.setPassword.pattern, async (request, reply) => {
    const token = (request.query as Record<string, unknown>).token;
    const link =
      typeof token === 'string' && token.length <= 200 ? await services.auth.setUp.linkFor(token) : null;
    if (!link) {
      return reply.code(404).page(SET_PASSWORD, { pageTitle: 'This link no longer works', expired: true });
    }
    return reply.page(SET_PASSWORD, { pageTitle: 'Choose your password', link, values: { token } });
  });

  app.post(
    paths.setPassword.pattern,
    { config: { rateLimit: { max: options.signInRateLimit ?? 30, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const token = typeof body.token === 'string' && body.token.length <= 200 ? body.token : '';
      const link = token ? await services.auth.setUp.linkFor(token) : null;
      if (!link) {
        return reply.code(404).page(SET_PASSWORD, { pageTitle: 'This link no longer works', expired: true });
      }
      const show = (errors: { field: string; message: string }[]) =>
        reply.code(400).page(SET_PASSWORD, {
          pageTitle: 'Choose your password',
          link,
          values: { token },
          errors: formErrors(errors),
        });
      const parsed = parseForm(SetPasswordSchema, body);
      if (!parsed.ok) return show(parsed.errors);
      let done: boolean;
      try {
        done = await services.auth.setUp.choosePassword(
          { token, password: parsed.data.password },
          request.id,
        );
      } catch (error) {
        if (error instanceof ValidationError) return show(error.errors);
        throw error;
      }
      if (!done) {
        return reply.code(404).page(SET_PASSWORD, { pageTitle: 'This link no longer works', expired: true });
      }
      return reply
        .flash(
          'Your password is set. Sign in with it: we will email you a code the first time on each device.',
        )
        .redirect(paths.signIn.to(), 303);
    },
  );

  /** The devices that sign in to one's account without a code, and forgetting them. */
  app.get(paths.accountDevices.pattern, async (request, reply) => {
    const devices = (await services.auth.setUp.devices(request.actor!)).map((d) => ({
      label: d.label,
      createdAt: d.createdAt.toISOString().slice(0, 10),
      lastUsedAt: d.lastUsedAt.toISOString().slice(0, 10),
    }));
    return reply.page('features/auth/views/devices.njk', {
      pageTitle: 'Devices you have signed in on',
      devices,
    });
  });

  app.post(paths.accountDevices.pattern, async (request, reply) => {
    const held = deviceTokensOf(request);
    const { count, otherTokens } = await services.auth.setUp.forgetDevices(request.actor!, {
      sessionId: request.session!.sessionId,
      deviceTokens: held,
    });
    // Only this person's token leaves the cookie: others signed in on this browser stay remembered.
    if (otherTokens.length === 0) reply.clearCookie(DEVICE_COOKIE, { path: '/' });
    else if (otherTokens.length < held.length)
      reply.setCookie(DEVICE_COOKIE, otherTokens.join('.'), {
        ...cookieOptions(request),
        maxAge: 180 * 24 * 3600,
      });
    return reply
      .flash(
        count === 0
          ? 'No device was remembered. You are signed out everywhere else.'
          : 'Every device is forgotten: the next time you sign in on any of them, we will email you a code. You are signed out everywhere else.',
      )
      .redirect(paths.accountDevices.to(), 303);
  });

  app.post(paths.signOut.pattern, async (request, reply) => {
    if (request.sessionToken) await services.auth.signOut(request.sessionToken, request.actor);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    reply.clearCookie(CSRF_COOKIE, { path: '/' });
    return reply.flash('You have signed out.').redirect(paths.signIn.to(), 303);
  });

  /** Where to work: one of the person's schools, or one of their organisations. */
  app.get(paths.choose.pattern, async (request, reply) => {
    const session = request.session!;
    const choices = chooseItems(session);
    return reply.page(CHOOSE, {
      pageTitle:
        choices.places.length === 0
          ? 'You have no access to records at the moment'
          : 'Where are you working?',
      ...choices,
    });
  });

  app.post(paths.choose.pattern, async (request, reply) => {
    const session = request.session!;
    const place = (request.body as Record<string, unknown>)?.place;
    const ok = typeof place === 'string' && (await services.auth.chooseContext(session, place));
    if (!ok) {
      return reply.code(400).page(CHOOSE, {
        pageTitle: 'Where are you working?',
        ...chooseItems(session),
        errors: {
          list: [{ text: 'Select where you are working', href: '#place' }],
          fields: { place: { text: 'Select where you are working' } },
        },
      });
    }
    return reply.redirect(paths.home.to(), 303);
  });
}

function chooseItems(session: NonNullable<import('fastify').FastifyRequest['session']>) {
  return placeChoices(session.places, session.needsChoice ? null : session.actor);
}
