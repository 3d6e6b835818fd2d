import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { placeChoices } from '../../../services/auth/places.ts';
import type { Services } from '../../../services/index.ts';
import type { AppOptions } from '../../app-options.ts';
import { parseForm } from '../../forms/errors.ts';
import { email, password } from '../../forms/fields.ts';
import { paths } from '../../paths.ts';
import { CSRF_COOKIE, cookieOptions, SESSION_COOKIE, safeReturnTo } from '../../plugins/session.ts';

const TEMPLATE = 'features/auth/views/sign-in.njk';
const CHOOSE = 'features/auth/views/choose.njk';

const SignInSchema = z.object({ email: email(), password: password(), returnTo: z.unknown().optional() });

/** The same answer for every failure: it tells a stranger nothing about which accounts exist. */
export const SIGN_IN_FAILED =
  'Enter a correct email address and password. After several failed attempts, sign-in is paused for 15 minutes: wait, or ask your SENCo to reset your password.';

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
        { email: parsed.data.email, password: parsed.data.password, address: request.ip },
        request.id,
      );
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

  app.post(paths.signOut.pattern, async (request, reply) => {
    if (request.sessionToken) await services.auth.signOut(request.sessionToken, request.actor);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    reply.clearCookie(CSRF_COOKIE, { path: '/' });
    return reply.flash('You have signed out.').redirect(paths.signIn.to(), 303);
  });

  /** Where to work: one of the person's schools, or one of their organisations. */
  app.get(paths.choose.pattern, async (request, reply) => {
    const session = request.session!;
    return reply.page(CHOOSE, { pageTitle: 'Where are you working?', ...chooseItems(session) });
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
