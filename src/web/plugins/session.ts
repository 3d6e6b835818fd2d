import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasCapability, reachesFor } from '../../domain/access.ts';
import { keepableText } from '../../domain/text.ts';
import type { EndedSession, LiveSession } from '../../services/auth/sessions.ts';
import type { Services } from '../../services/index.ts';
import type { Actor } from '../../services/kernel/actor.ts';
import { mayUseSection } from '../../services/kernel/authorise.ts';
import { paths } from '../paths.ts';

export const SESSION_COOKIE = 'opensend_session';
export const CSRF_COOKIE = 'opensend_csrf';
const FLASH_COOKIE = 'opensend_flash';
/** Marks a flash that is news to know rather than a thing done (shown blue, "Important"). */
const IMPORTANT = 'important:';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    session: LiveSession | null;
    /** A session that ended (idle, expired): whose it was, to keep a form they were sending. */
    endedSession: EndedSession | null;
    sessionToken: string | null;
    /** What CSRF tokens are bound to: the session (live or just ended), or "signed out". */
    csrfBinding: string;
  }
  interface FastifyReply {
    /** Render a page with the layout's locals (actor, navigation, CSRF token, flash message). */
    page(template: string, data?: Record<string, unknown>): Promise<FastifyReply>;
    /** A confirmation shown once on the next page (post/redirect/get). */
    /** A message for the next page: done (green, the default), or something to know (blue, "Important"). */
    flash(message: string, kind?: 'success' | 'important'): FastifyReply;
  }
}

export function cookieOptions(request: FastifyRequest) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: request.protocol === 'https' };
}

interface NavItem {
  text: string;
  href: string;
  active: boolean;
}

/** The menu: what this person's roles reach, never a role name. */
function navigationFor(actor: Actor, url: string): NavItem[] {
  const items: { text: string; href: string; show: boolean }[] = [
    { text: 'Home', href: paths.home.to(), show: actor.kind === 'staff' || actor.kind === 'officer' },
    { text: 'Pupils', href: paths.pupils.to(), show: mayUseSection(actor, 'identity') },
    { text: 'SEN register', href: paths.register.to(), show: mayUseSection(actor, 'register') },
    {
      text: 'Concerns',
      href: paths.concerns.to(),
      show: Boolean(actor.schoolId) && hasCapability(actor.roles, 'concern.raise'),
    },
    // Referrals to outside agencies: for those who manage them and the office that records consent.
    { text: 'Referrals', href: paths.referrals.to(), show: mayUseSection(actor, 'agencies', 'contribute') },
    // Requests for EHC needs assessments and applications for top-up funding: for those who build them.
    {
      text: 'EHC requests and top-up funding',
      href: paths.ehcRequests.to(),
      show: mayUseSection(actor, 'ehc', 'write'),
    },
    {
      text: 'Provision',
      href: mayUseSection(actor, 'provision') ? paths.provision.to() : paths.provisionFigures.to(),
      show:
        mayUseSection(actor, 'provision') ||
        (Boolean(actor.schoolId) && hasCapability(actor.roles, 'counts.view')),
    },
    // Termly attainment and the pupils below their trajectory: for those who enter or oversee it.
    { text: 'Progress', href: paths.progress.to(), show: mayUseSection(actor, 'progress', 'write') },
    {
      text: 'Figures',
      href: paths.figures.to(),
      show: Boolean(actor.schoolId) && hasCapability(actor.roles, 'counts.view'),
    },
    {
      text: 'SEN reports',
      href: paths.schoolReports.to(),
      show: Boolean(actor.schoolId) && hasCapability(actor.roles, 'reports.read'),
    },
    {
      text: 'Outside agencies',
      href: paths.agencies.to(),
      show: Boolean(actor.schoolId) && hasCapability(actor.roles, 'agencies.manage'),
    },
    {
      text: 'Staff',
      href: paths.staff.to(),
      show: Boolean(actor.schoolId) && hasCapability(actor.roles, 'staff.manage'),
    },
    {
      text: 'Import pupils',
      href: paths.importPupils.to(),
      show: Boolean(actor.schoolId) && hasCapability(actor.roles, 'pupils.import'),
    },
    {
      text: 'Common Transfer Files',
      href: paths.ctfImport.to(),
      show:
        Boolean(actor.schoolId) &&
        hasCapability(actor.roles, 'pupils.import') &&
        mayUseSection(actor, 'register', 'write'),
    },
    {
      text: 'Classes',
      href: paths.classes.to(),
      show: Boolean(actor.schoolId) && hasCapability(actor.roles, 'classes.manage'),
    },
    {
      text: 'School',
      href: paths.school.to(),
      show: Boolean(actor.schoolId) && hasCapability(actor.roles, 'school.manage'),
    },
    {
      text: 'Audit',
      href: paths.audit.to(),
      show: Boolean(actor.schoolId) && hasCapability(actor.roles, 'audit.school'),
    },
    {
      text: 'Settings',
      href: paths.settings.to(),
      show: Boolean(actor.schoolId) && hasCapability(actor.roles, 'settings.manage'),
    },
    {
      text: 'Schools',
      href: paths.organisation.to(),
      show: actor.kind === 'officer' && hasCapability(actor.roles, 'organisation.view'),
    },
    {
      text: 'Caseload',
      href: paths.caseload.to(),
      show: actor.kind === 'officer' && reachesFor(actor.roles, 'ehc').length > 0,
    },
    {
      text: 'Annual reviews',
      href: paths.organisationReviews.to(),
      show: actor.kind === 'officer' && reachesFor(actor.roles, 'ehc').length > 0,
    },
    {
      text: 'SEN2 return',
      href: paths.organisationSen2.to(),
      show: actor.kind === 'officer' && hasCapability(actor.roles, 'sen2.return'),
    },
    {
      text: 'Outside agencies',
      href: paths.organisationAgencies.to(),
      show: actor.kind === 'officer' && hasCapability(actor.roles, 'organisation.view'),
    },
    { text: 'Your children', href: paths.children.to(), show: actor.kind === 'parent' },
    { text: 'Shared with you', href: paths.shared.to(), show: actor.kind === 'professional' },
  ];
  const path = url.split('?')[0] ?? '/';
  const shown = items.filter((i) => i.show);
  const under = (href: string) => (href === '/' ? path === '/' : path.startsWith(href));
  // One item is the current page's: the one whose address is the longest start of it
  // (/organisation/agencies is "Outside agencies", not "Schools").
  const current = shown.filter((i) => under(i.href)).sort((a, b) => b.href.length - a.href.length)[0];
  return shown.map((i) => ({ text: i.text, href: i.href, active: i === current }));
}

/** Paths a signed-in person may use before choosing where to work or changing a reset password. */
const ACCOUNT_PATHS = ['/account', '/sign-out', '/choose', '/invitations', '/resume', '/assets/', '/healthz'];
const isAccountPath = (url: string) =>
  ACCOUNT_PATHS.some(
    (p) => url === p || url.startsWith(p.endsWith('/') ? p : `${p}/`) || url.startsWith(`${p}?`),
  );

export async function registerSession(app: FastifyInstance, services: Services): Promise<void> {
  app.decorateRequest('actor', null);
  app.decorateRequest('session', null);
  app.decorateRequest('endedSession', null);
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('csrfBinding', 'signed-out');

  app.addHook('preHandler', async (request, reply) => {
    if (request.url.startsWith('/assets/') || request.url === '/healthz') return;
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    const resolved = await services.auth.resolve(token, request.id);
    if (!resolved) {
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return;
    }
    request.csrfBinding = resolved.sessionId;
    if (resolved.status === 'ended') {
      request.endedSession = resolved;
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return;
    }
    request.session = resolved;
    request.actor = resolved.actor;
    request.sessionToken = token;
  });

  app.decorateReply(
    'flash',
    function (this: FastifyReply, message: string, kind: 'success' | 'important' = 'success') {
      const value = kind === 'important' ? `${IMPORTANT}${message}` : message;
      this.setCookie(FLASH_COOKIE, value, { ...cookieOptions(this.request), signed: true, maxAge: 60 });
      return this;
    },
  );

  app.decorateReply(
    'page',
    async function (this: FastifyReply, template: string, data: Record<string, unknown> = {}) {
      const request = this.request;
      let flash: string | null = null;
      let flashImportant = false;
      const raw = request.cookies[FLASH_COOKIE];
      if (raw) {
        const unsigned = request.unsignCookie(raw);
        if (unsigned.valid && unsigned.value !== null) {
          flashImportant = unsigned.value.startsWith(IMPORTANT);
          flash = flashImportant ? unsigned.value.slice(IMPORTANT.length) : unsigned.value;
        }
        this.clearCookie(FLASH_COOKIE, { path: '/' });
      }
      const session = request.session;
      const actor = request.actor;
      return this.view(template, {
        errors: { list: [], fields: {} },
        values: {},
        ...data,
        actor,
        nav: actor && session && !session.needsChoice ? navigationFor(actor, request.url) : [],
        contextName: session?.contextName ?? null,
        canSwitch: Boolean(session && session.schools.length + session.organisations.length > 1),
        csrfToken: this.generateCsrf({ userInfo: request.csrfBinding }),
        flash,
        flashImportant,
        requestId: request.id,
      });
    },
  );
}

/**
 * For pages that need a signed-in person. A form sent after the session ended is kept for its sender
 * (server-side, for a few hours) and brought back when they sign in again; anyone else goes to sign in
 * and then back to the page they asked for.
 */
export async function requireSignIn(request: FastifyRequest, reply: FastifyReply, services: Services) {
  if (request.actor) return;
  if (request.method === 'POST' && request.endedSession) {
    // What was typed is kept (a NUL, which the database cannot store, as a character every field
    // refuses); a file is not: it cannot be put back into a form, so the person chooses it again.
    const body = (request.body ?? {}) as Record<string, unknown>;
    const kept: Record<string, string | string[]> = {};
    let file = false;
    for (const [k, v] of Object.entries(body)) {
      if (k === '_csrf' || v === undefined) continue;
      if (typeof v === 'string') kept[k] = keepableText(v);
      else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) kept[k] = v.map(keepableText);
      else file = true;
    }
    await services.account.holdForm(request.endedSession, request.url, kept, request.id);
    return reply
      .flash(
        file
          ? 'You were signed out because the page was left for a long time. Sign in again and choose the file again: a file cannot be kept, but anything you typed will be brought back.'
          : 'You were signed out because the page was left for a long time. Sign in again and what you typed will be brought back: nothing has been lost.',
      )
      .redirect(paths.signIn.to(), 303);
  }
  const returnTo = request.method === 'GET' ? request.url : '/';
  return reply.redirect(paths.signIn.to({ returnTo: returnTo }), 303);
}

/** Signed in, but must first change a password someone else set, or choose where to work. */
export async function requireReady(request: FastifyRequest, reply: FastifyReply) {
  const session = request.session;
  if (!session || isAccountPath(request.url)) return;
  if (session.mustChangePassword) return reply.redirect(paths.accountPassword.to(), 303);
  if (session.needsChoice) return reply.redirect(paths.choose.to(), 303);
}

/**
 * Where to go after signing in: only a path on this site. One leading slash, no second slash or
 * backslash after it, and no control or space characters anywhere; anything else goes home.
 */
export function safeReturnTo(value: unknown): string {
  const v = typeof value === 'string' ? value : '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  return /^\/(?![/\\])[^\s\\\u0000-\u001f\u007f-\u009f\u2028\u2029]*$/.test(v) ? v : '/';
}
