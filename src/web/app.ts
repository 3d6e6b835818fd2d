import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Services } from '../services/index.ts';
import { auditRoutes } from './features/audit/routes.ts';
import { authRoutes } from './features/auth/routes.ts';
import { concernRoutes } from './features/concerns/routes.ts';
import { healthRoutes } from './features/health/routes.ts';
import { homeRoutes } from './features/home/routes.ts';
import { pupilRoutes } from './features/pupils/routes.ts';
import { registerRoutes } from './features/register/routes.ts';
import { setupRoutes } from './features/setup/routes.ts';
import { staffRoutes } from './features/staff/routes.ts';
import { registerErrorPages } from './plugins/errors.ts';
import { registerSecurityHeaders } from './plugins/security.ts';
import { registerSession } from './plugins/session.ts';
import { registerViews, WEB_ROOT } from './plugins/views.ts';

export interface AppOptions {
  sessionSecret: string;
  trustProxy?: boolean;
  logLevel?: string;
  /** Sign-in attempts allowed per address per minute. */
  signInRateLimit?: number;
}

const ROOT = path.resolve(WEB_ROOT, '../..');

export async function buildApp(services: Services, options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: options.logLevel ?? 'info' },
    trustProxy: options.trustProxy ?? false,
    genReqId: () => randomUUID(),
    bodyLimit: 256 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
  });

  await registerSecurityHeaders(app);
  await app.register(fastifyCookie, { secret: options.sessionSecret });
  await app.register(fastifyFormbody, { bodyLimit: 256 * 1024 });
  await app.register(fastifyCsrf, {
    cookieKey: 'opensend_csrf',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', signed: true, secure: 'auto' },
    getToken: (request) => (request.body as Record<string, string> | undefined)?._csrf,
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
    if (await services.setup.needsSetup()) return reply.redirect('/setup', 303);
    setUp = true;
  });

  app.get('/favicon.ico', async (_request, reply) => reply.redirect('/assets/opensend-icon.svg', 301));

  await app.register(async (scope) => healthRoutes(scope, services));
  await app.register(async (scope) => setupRoutes(scope, services));
  await app.register(async (scope) => authRoutes(scope, services, options));
  await app.register(async (scope) => homeRoutes(scope, services));
  await app.register(async (scope) => pupilRoutes(scope, services));
  await app.register(async (scope) => registerRoutes(scope, services));
  await app.register(async (scope) => concernRoutes(scope, services));
  await app.register(async (scope) => staffRoutes(scope, services));
  await app.register(async (scope) => auditRoutes(scope, services));

  return app;
}

export function assetsBuilt(): boolean {
  return existsSync(path.join(ROOT, 'dist/assets/opensend.css'));
}
