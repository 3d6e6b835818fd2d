import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../../services/index.ts';
import type { AppOptions } from '../../app.ts';
import { parseForm, text } from '../../forms.ts';
import { cookieOptions, requireSignIn, SESSION_COOKIE, safeReturnTo } from '../../plugins/session.ts';
import { showFormErrors } from '../../render.ts';

const TEMPLATE = 'features/auth/views/sign-in.njk';

const SignInSchema = z.object({
  email: text('Email address', { max: 254, requiredMessage: 'Enter your email address' }),
  password: z
    .string()
    .optional()
    .transform((v) => v ?? '')
    .refine((v) => v.length > 0, 'Enter your password')
    .refine((v) => v.length <= 200, 'Password must be 200 characters or fewer'),
  returnTo: z.string().optional(),
});

export async function authRoutes(app: FastifyInstance, services: Services, options: AppOptions) {
  app.get('/sign-in', async (request, reply) => {
    const returnTo = safeReturnTo((request.query as Record<string, unknown>).returnTo);
    if (request.actor) return reply.redirect(returnTo, 303);
    return reply.page(TEMPLATE, { pageTitle: 'Sign in', values: { returnTo } });
  });

  app.post(
    '/sign-in',
    { config: { rateLimit: { max: options.signInRateLimit ?? 30, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, string>;
      const values = { email: body.email, returnTo: safeReturnTo(body.returnTo) };
      const parsed = parseForm(SignInSchema, body);
      if (!parsed.ok) return showFormErrors(reply, TEMPLATE, { pageTitle: 'Sign in' }, parsed.errors, values);
      const result = await services.auth.signIn(parsed.data.email, parsed.data.password, request.id);
      if (!result.ok) {
        const message =
          result.reason === 'locked'
            ? `This account is locked after too many failed attempts. Try again in ${result.lockedMinutes ?? 15} minutes, or ask your SENCo to reset your password.`
            : 'Enter a correct email address and password';
        return showFormErrors(
          reply.code(401),
          TEMPLATE,
          { pageTitle: 'Sign in' },
          [{ field: 'email', message }],
          values,
        );
      }
      reply.setCookie(SESSION_COOKIE, result.token, cookieOptions(request));
      return reply.redirect(result.needsSchoolChoice ? '/choose-school' : values.returnTo, 303);
    },
  );

  app.post('/sign-out', async (request, reply) => {
    if (request.sessionToken) await services.auth.signOut(request.sessionToken, request.actor);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.flash('You have signed out.').redirect('/sign-in', 303);
  });

  app.get('/choose-school', { preHandler: requireSignIn }, async (request, reply) => {
    return reply.page('features/auth/views/choose-school.njk', {
      pageTitle: 'Choose a school',
      schools: request.memberships,
    });
  });

  app.post('/choose-school', { preHandler: requireSignIn }, async (request, reply) => {
    const schoolId = String((request.body as Record<string, string>)?.schoolId ?? '');
    const ok =
      request.actor && request.sessionId
        ? await services.auth.chooseSchool(request.sessionId, request.actor.userId, schoolId, request.id)
        : false;
    if (!ok) {
      return showFormErrors(
        reply,
        'features/auth/views/choose-school.njk',
        { pageTitle: 'Choose a school', schools: request.memberships },
        [{ field: 'schoolId', message: 'Select a school' }],
        {},
      );
    }
    return reply.redirect('/', 303);
  });
}
