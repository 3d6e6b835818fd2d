import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { can, type Permission } from '../../domain/roles.ts';
import type { Actor } from '../../services/actor.ts';
import type { Services } from '../../services/index.ts';

export const SESSION_COOKIE = 'opensend_session';
const FLASH_COOKIE = 'opensend_flash';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    sessionToken: string | null;
    sessionId: string | null;
    memberships: { schoolId: string; schoolName: string; role: string }[];
    needsSchoolChoice: boolean;
  }
  interface FastifyReply {
    /** Render a page with the layout's locals (actor, navigation, CSRF token, flash message). */
    page(template: string, data?: Record<string, unknown>): Promise<FastifyReply>;
    /** A confirmation shown once on the next page (post/redirect/get). */
    flash(message: string): FastifyReply;
  }
}

export function cookieOptions(request: FastifyRequest) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: request.protocol === 'https',
  };
}

interface NavItem {
  text: string;
  href: string;
  active: boolean;
}

function navigationFor(actor: Actor, url: string): NavItem[] {
  const items: { text: string; href: string; permission: Permission | null }[] = [
    { text: 'Home', href: '/', permission: null },
    { text: 'Pupils', href: '/pupils', permission: 'pupil.view' },
    { text: 'SEN register', href: '/register', permission: 'sen.view' },
    { text: 'Concerns', href: '/concerns', permission: 'concern.raise' },
    { text: 'Figures', href: '/figures', permission: 'counts.view' },
    { text: 'Staff', href: '/staff', permission: 'staff.manage' },
    { text: 'Schools', href: '/organisation', permission: 'organisation.view' },
  ];
  const path = url.split('?')[0] ?? '/';
  return items
    .filter((i) => i.permission === null || can(actor.role, i.permission))
    .map((i) => ({
      text: i.text,
      href: i.href,
      active: i.href === '/' ? path === '/' : path.startsWith(i.href),
    }));
}

export async function registerSession(app: FastifyInstance, services: Services): Promise<void> {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('memberships', null as unknown as FastifyRequest['memberships']);
  app.decorateRequest('needsSchoolChoice', false);

  app.addHook('preHandler', async (request, reply) => {
    request.memberships = [];
    if (request.url.startsWith('/assets/') || request.url === '/healthz') return;
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    const session = await services.auth.resolveSession(token, request.id);
    if (!session) {
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return;
    }
    request.actor = session.actor;
    request.sessionToken = token;
    request.sessionId = session.sessionId;
    request.memberships = session.memberships;
    request.needsSchoolChoice = session.needsSchoolChoice;
  });

  app.decorateReply('flash', function (this: FastifyReply, message: string) {
    this.setCookie(FLASH_COOKIE, message, { ...cookieOptions(this.request), signed: true, maxAge: 60 });
    return this;
  });

  app.decorateReply(
    'page',
    async function (this: FastifyReply, template: string, data: Record<string, unknown> = {}) {
      const request = this.request;
      let flash: string | null = null;
      const raw = request.cookies[FLASH_COOKIE];
      if (raw) {
        const unsigned = request.unsignCookie(raw);
        if (unsigned.valid) flash = unsigned.value;
        this.clearCookie(FLASH_COOKIE, { path: '/' });
      }
      const actor = request.actor;
      const school = actor?.schoolId ? request.memberships.find((m) => m.schoolId === actor.schoolId) : null;
      return this.view(template, {
        errors: { list: [], fields: {} },
        values: {},
        ...data,
        actor,
        nav: actor && !request.needsSchoolChoice ? navigationFor(actor, request.url) : [],
        schoolName: school?.schoolName ?? null,
        csrfToken: this.generateCsrf(),
        flash,
        requestId: request.id,
      });
    },
  );
}

/** For routes that need a signed-in user: send others to the sign-in page, then back here. */
export async function requireSignIn(request: FastifyRequest, reply: FastifyReply) {
  if (request.actor) return;
  const returnTo = request.method === 'GET' ? request.url : '/';
  return reply.redirect(`/sign-in?returnTo=${encodeURIComponent(returnTo)}`, 303);
}

/** Signed-in users who have not yet chosen which school to act in. */
export async function requireSchoolChosen(request: FastifyRequest, reply: FastifyReply) {
  if (request.actor && request.needsSchoolChoice) {
    return reply.redirect('/choose-school', 303);
  }
}

export function safeReturnTo(value: unknown): string {
  const v = typeof value === 'string' ? value : '';
  return v.startsWith('/') && !v.startsWith('//') && !v.startsWith('/\\') ? v : '/';
}
