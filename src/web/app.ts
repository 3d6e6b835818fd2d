import { createHmac, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { Services } from '../services/index.ts';
import type { AppOptions } from './app-options.ts';
import { accountRoutes } from './features/account/routes.ts';
import { agencyRoutes } from './features/agencies/routes.ts';
import { annualReviewRoutes } from './features/annual-reviews/routes.ts';
import { attainmentRoutes } from './features/attainment/routes.ts';
import { auditRoutes } from './features/audit/routes.ts';
import { authRoutes } from './features/auth/routes.ts';
import { caseloadRoutes } from './features/caseload/routes.ts';
import { classRoutes } from './features/classes/routes.ts';
import { complaintRoutes } from './features/complaints/routes.ts';
import { concernRoutes } from './features/concerns/routes.ts';
import { ehcRequestRoutes } from './features/ehc/routes.ts';
import { ehcPlanSchoolRoutes } from './features/ehc-plan-school/routes.ts';
import { ehcPlanRoutes } from './features/ehc-plans/routes.ts';
import { familyLetterRoutes } from './features/family/letters-routes.ts';
import { familyReadingRoutes } from './features/family/reading-routes.ts';
import { familyRoutes } from './features/family/routes.ts';
import { familyViewsRoutes } from './features/family/views-routes.ts';
import { familyJoinRoutes } from './features/family-join/routes.ts';
import { healthRoutes } from './features/health/routes.ts';
import { homeRoutes } from './features/home/routes.ts';
import { importRoutes } from './features/imports/routes.ts';
import { letterRoutes } from './features/letters/routes.ts';
import { outcomeRoutes } from './features/outcomes/routes.ts';
import { peopleRoutes } from './features/people/routes.ts';
import { planRoutes } from './features/plans/routes.ts';
import { professionalRoutes } from './features/professionals/routes.ts';
import { progressMeetingRoutes } from './features/progress-meetings/routes.ts';
import { provisionRoutes } from './features/provision/routes.ts';
import { pupilVoiceRoutes } from './features/pupil-voice/routes.ts';
import { pupilRoutes } from './features/pupils/routes.ts';
import { recommendationRoutes } from './features/recommendations/routes.ts';
import { referralRoutes } from './features/referrals/routes.ts';
import { registerRoutes } from './features/register/routes.ts';
import { retentionRoutes } from './features/retention/routes.ts';
import { reviewDecisionRoutes } from './features/review-decisions/routes.ts';
import { schoolRoutes } from './features/school/routes.ts';
import { schoolReportRoutes } from './features/school-reports/routes.ts';
import { sen2Routes } from './features/sen2/routes.ts';
import { settingsRoutes } from './features/settings/routes.ts';
import { setupRoutes } from './features/setup/routes.ts';
import { staffRoutes } from './features/staff/routes.ts';
import { subjectAccessRoutes } from './features/subject-access/routes.ts';
import { topUpRoutes } from './features/top-up/routes.ts';
import { trainingRoutes } from './features/training/routes.ts';
import { transferRoutes } from './features/transfers/routes.ts';
import { workListRoutes } from './features/work-lists/routes.ts';
import { HELD_FORM_FIELD } from './form-route.ts';
import { isUuid } from './forms/fields.ts';
import { keepUploadedFile, UPLOAD_LIMIT_BYTES } from './forms/upload.ts';
import { paths } from './paths.ts';
import { registerErrorPages } from './plugins/errors.ts';
import { registerSecurityHeaders } from './plugins/security.ts';
import { CSRF_COOKIE, registerSession, requireReady, requireSignIn } from './plugins/session.ts';
import { registerViews, WEB_ROOT } from './plugins/views.ts';

const ROOT = path.resolve(WEB_ROOT, '../..');

export interface RegisteredRoute {
  method: 'GET' | 'POST';
  url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeList: RegisteredRoute[];
  }
}
const BODY_LIMIT = 256 * 1024;

/** Pages every signed-out visitor may use. Everything else needs a signed-in person. */
const PUBLIC = ['/sign-in', '/sign-out', '/setup', '/healthz', '/favicon.ico', '/assets/', '/join'];
const isPublic = (url: string) =>
  PUBLIC.some((p) => url === p || url.startsWith(p.endsWith('/') ? p : `${p}?`) || url.startsWith(`${p}/`));

export async function buildApp(services: Services, options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.prettyLogs
      ? {
          level: options.logLevel ?? 'info',
          transport: {
            target: 'pino-pretty',
            options: {
              translateTime: 'HH:MM:ss',
              ignore: 'pid,hostname,reqId,route,status,ms,method',
              singleLine: true,
            },
          },
        }
      : { level: options.logLevel ?? 'info' },
    // One line per request, written below: the route (never the query string, which can hold a
    // pupil's name), the status and the time. Fastify's own request lines are off.
    logController: new LogController({ disableRequestLogging: true }),
    // A number of hops becomes "believe the nearest N addresses": a client's own X-Forwarded-For
    // entries, further out, are ignored.
    trustProxy:
      typeof options.trustProxy === 'number'
        ? (_address: string, hop: number) => hop < (options.trustProxy as number)
        : (options.trustProxy ?? false),
    genReqId: () => randomUUID(),
    bodyLimit: BODY_LIMIT,
    routerOptions: { ignoreTrailingSlash: true },
  });

  // Every route, as registered: the security suites walk this list, so a new route cannot be missed.
  const routeList: RegisteredRoute[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method === 'GET' || method === 'POST')
        routeList.push({ method: method as 'GET' | 'POST', url: route.url });
    }
  });
  app.decorate('routeList', routeList);

  // Forms are sent form-encoded and nothing else: a JSON or text body is refused (415), so a value
  // can never arrive as an object where a form field is expected.
  app.removeAllContentTypeParsers();
  await registerSecurityHeaders(app);
  await app.register(fastifyCookie, { secret: options.sessionSecret });
  await app.register(fastifyFormbody, { bodyLimit: BODY_LIMIT });
  // Uploads (pupils from the MIS, Common Transfer Files): fields and files into the body, one file.
  await app.register(fastifyMultipart, {
    attachFieldsToBody: 'keyValues',
    onFile: keepUploadedFile,
    limits: { fileSize: UPLOAD_LIMIT_BYTES, files: 1, fields: 100, parts: 101 },
  });
  await app.register(fastifyCsrf, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', signed: true, secure: 'auto' },
    getToken: (request) => {
      const token = (request.body as Record<string, unknown> | undefined)?._csrf;
      return typeof token === 'string' ? token : '';
    },
    // Each token is bound to the session it was made for: a token from before signing in, or from
    // someone else's session, is refused.
    getUserInfo: (request) => request.csrfBinding,
    csrfOpts: { hmacKey: createHmac('sha256', options.sessionSecret).update('opensend-csrf').digest() },
  });
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifyStatic, {
    root: [path.join(ROOT, 'dist/assets'), path.join(WEB_ROOT, 'public')],
    prefix: '/assets/',
    maxAge: '1h',
    allowedPath: (pathName) => !pathName.endsWith('.scss'),
  });
  await app.register(fastifyStatic, {
    root: path.join(ROOT, 'node_modules/govuk-frontend/dist/govuk'),
    prefix: '/assets/govuk/',
    decorateReply: false,
    maxAge: '1h',
    allowedPath: (pathName) => pathName === '/govuk-frontend.min.js' || pathName.startsWith('/assets/'),
  });
  await registerViews(app);
  await registerSession(app, services);
  registerErrorPages(app);

  // Every form post carries the CSRF token (sign-in and set-up included).
  app.addHook('preHandler', (request, reply, done) => {
    if (request.method === 'POST') return app.csrfProtection(request, reply, done);
    done();
  });

  // Until a school exists, every page leads to set-up.
  let setUp = false;
  app.addHook('preHandler', async (request, reply) => {
    if (setUp) return;
    const url = request.url;
    if (url.startsWith('/assets/') || url === '/healthz' || url.startsWith('/setup')) return;
    if (await services.setup.needsSetup()) return reply.redirect(paths.setup.to(), 303);
    setUp = true;
  });

  // Everything but the public pages needs a signed-in person who has chosen where to work.
  app.addHook('preHandler', async (request, reply) => {
    if (isPublic(request.url) || !request.routeOptions.url) return;
    await requireSignIn(request, reply, services);
    if (!reply.sent) await requireReady(request, reply);
  });

  app.addHook('onResponse', async (request, reply) => {
    if (request.url.startsWith('/assets/')) return;
    const route = request.routeOptions.url ?? 'not found';
    const ms = Math.round(reply.elapsedTime);
    request.log.info(
      { method: request.method, route, status: reply.statusCode, ms },
      `${request.method} ${route} ${reply.statusCode} ${ms} ms`,
    );
  });

  // A form brought back after sign-in, once sent successfully (redirected), is no longer kept: gone
  // before the answer goes out, so the next page never offers it again.
  app.addHook('onSend', async (request, reply, payload) => {
    const held = (request.body as Record<string, unknown> | undefined)?.[HELD_FORM_FIELD];
    if (request.method === 'POST' && reply.statusCode === 303 && request.actor && isUuid(held)) {
      await services.account.forgetHeldForm(request.actor, held);
    }
    return payload;
  });

  app.get(paths.favicon.pattern, async (_request, reply) => reply.redirect('/assets/opensend-icon.svg', 301));

  await app.register(async (scope) => healthRoutes(scope, services));
  await app.register(async (scope) => setupRoutes(scope, services));
  await app.register(async (scope) => authRoutes(scope, services, options));
  await app.register(async (scope) => accountRoutes(scope, services));
  await app.register(async (scope) => homeRoutes(scope, services));
  await app.register(async (scope) => peopleRoutes(scope, services));
  await app.register(async (scope) => familyRoutes(scope, services));
  await app.register(async (scope) => familyReadingRoutes(scope, services));
  await app.register(async (scope) => familyViewsRoutes(scope, services));
  await app.register(async (scope) => familyLetterRoutes(scope, services));
  await app.register(async (scope) => familyJoinRoutes(scope, services, options));
  await app.register(async (scope) => professionalRoutes(scope, services));
  await app.register(async (scope) => pupilRoutes(scope, services));
  await app.register(async (scope) => registerRoutes(scope, services));
  await app.register(async (scope) => concernRoutes(scope, services));
  await app.register(async (scope) => referralRoutes(scope, services));
  await app.register(async (scope) => ehcRequestRoutes(scope, services));
  await app.register(async (scope) => ehcPlanSchoolRoutes(scope, services));
  await app.register(async (scope) => staffRoutes(scope, services));
  await app.register(async (scope) => classRoutes(scope, services));
  await app.register(async (scope) => complaintRoutes(scope, services));
  await app.register(async (scope) => trainingRoutes(scope, services));
  await app.register(async (scope) => schoolReportRoutes(scope, services));
  await app.register(async (scope) => attainmentRoutes(scope, services));
  await app.register(async (scope) => progressMeetingRoutes(scope, services));
  await app.register(async (scope) => outcomeRoutes(scope, services));
  await app.register(async (scope) => schoolRoutes(scope, services));
  await app.register(async (scope) => auditRoutes(scope, services));
  await app.register(async (scope) => settingsRoutes(scope, services));
  await app.register(async (scope) => subjectAccessRoutes(scope, services));
  await app.register(async (scope) => retentionRoutes(scope, services));
  await app.register(async (scope) => letterRoutes(scope, services));
  await app.register(async (scope) => workListRoutes(scope, services));
  await app.register(async (scope) => provisionRoutes(scope, services));
  await app.register(async (scope) => planRoutes(scope, services));
  await app.register(async (scope) => pupilVoiceRoutes(scope, services));
  await app.register(async (scope) => recommendationRoutes(scope, services));
  await app.register(async (scope) => importRoutes(scope, services));
  await app.register(async (scope) => transferRoutes(scope, services));
  await app.register(async (scope) => agencyRoutes(scope, services));
  await app.register(async (scope) => caseloadRoutes(scope, services));
  await app.register(async (scope) => reviewDecisionRoutes(scope, services));
  await app.register(async (scope) => topUpRoutes(scope, services));
  await app.register(async (scope) => ehcPlanRoutes(scope, services));
  await app.register(async (scope) => annualReviewRoutes(scope, services));
  await app.register(async (scope) => sen2Routes(scope, services));

  return app;
}

export type { AppOptions };

export function assetsBuilt(): boolean {
  return existsSync(path.join(ROOT, 'dist/assets/opensend.css'));
}
