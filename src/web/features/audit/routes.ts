import type { FastifyInstance } from 'fastify';
import { ROLE_LABELS, type Role } from '../../../domain/access.ts';
import {
  AUDIT_ACTION_LABELS,
  AUDIT_ACTIONS,
  type AuditAction,
  changesOf,
  describeAuditEvent,
  isAuditAction,
} from '../../../domain/audit.ts';
import { isRealDate, toIsoDate } from '../../../domain/dates.ts';
import type { Services } from '../../../services/index.ts';
import { toFormErrors } from '../../forms/errors.ts';
import { isUuid } from '../../forms/fields.ts';
import { pupilIdOf } from '../../params.ts';
import { paths } from '../../paths.ts';

const rolesOf = (role: string | null) =>
  (role ?? '')
    .split(',')
    .filter(Boolean)
    .map((r) => ROLE_LABELS[r as Role] ?? r)
    .join(', ');

/** A day as YYYY-MM-DD from a query string, or undefined. */
function dayParam(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isRealDate(y, mo, d) ? toIsoDate(y, mo, d) : undefined;
}

function eventRow(e: {
  occurredAt: Date;
  userName: string | null;
  role: string | null;
  action: string;
  detail: Record<string, unknown> | null;
  requestId: string | null;
}) {
  return {
    at: e.occurredAt,
    who: e.userName ?? 'System',
    role: rolesOf(e.role),
    what: describeAuditEvent(e.action, e.detail),
    changes: changesOf(e.detail),
    requestId: e.requestId,
  };
}

/** The filters of the school's trail, by their names in the address, as a message names them. */
const FILTER_LABELS = {
  userId: '“Person”',
  pupilId: 'pupil',
  action: '“What happened”',
  from: '“From” date',
  to: '“To” date',
  page: 'page number',
} as const;

export async function auditRoutes(app: FastifyInstance, services: Services) {
  app.get(paths.pupilAudit.pattern, async (request, reply) => {
    const { pupil, events } = await services.audit.pupilTrail(request.actor!, pupilIdOf(request));
    return reply.page('features/audit/views/trail.njk', {
      pageTitle: `Who has seen or changed ${pupil.forename} ${pupil.surname}’s record`,
      pupil,
      events: events.map(eventRow),
    });
  });

  /** The school's whole trail, for the SENCo and head: by person, pupil, action and dates. */
  app.get(paths.audit.pattern, async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const action =
      typeof q.action === 'string' && isAuditAction(q.action) ? (q.action as AuditAction) : undefined;
    const filters = {
      userId: isUuid(q.userId) ? q.userId : undefined,
      pupilId: isUuid(q.pupilId) ? q.pupilId : undefined,
      actions: action ? [action] : undefined,
      from: dayParam(q.from),
      to: dayParam(q.to),
    };
    const pageNumber =
      typeof q.page === 'string' && /^\d{1,4}$/.test(q.page) && Number(q.page) > 0 ? Number(q.page) : 1;
    // A filter sent with a value that is not one of its own (an action that does not exist, a date
    // that is not one, a list): nothing is shown, and the page says which filter, never the whole trail.
    const read: Record<string, unknown> = { ...filters, action, page: pageNumber };
    const unrecognised = Object.keys(FILTER_LABELS).filter((name) => {
      const sent = q[name];
      if (sent === undefined || sent === '') return false;
      return (
        typeof sent !== 'string' ||
        read[name] === undefined ||
        (name === 'page' && String(pageNumber) !== sent)
      );
    });
    const result = await services.audit.schoolTrail(request.actor!, filters, pageNumber, unrecognised);
    if (unrecognised.length > 0) reply.code(400);
    const query = (page: number) => {
      const p = new URLSearchParams();
      for (const [k, v] of Object.entries({
        userId: filters.userId,
        pupilId: filters.pupilId,
        action,
        from: filters.from,
        to: filters.to,
      })) {
        if (v) p.set(k, v);
      }
      p.set('page', String(page));
      return paths.audit.to(`?${p.toString()}`);
    };
    return reply.page('features/audit/views/school.njk', {
      pageTitle: 'Who has seen or changed what',
      events: result.events.map((e) => ({
        ...eventRow(e),
        pupil:
          e.pupilId && e.pupilForename
            ? { id: e.pupilId, name: `${e.pupilForename} ${e.pupilSurname}` }
            : null,
      })),
      filters: { ...filters, action },
      staffOptions: [
        { value: '', text: 'Anyone' },
        ...result.staff.map((s) => ({
          value: s.userId,
          text: s.name,
          selected: s.userId === filters.userId,
        })),
        ...result.parents
          .filter((p) => !result.staff.some((s) => s.userId === p.userId))
          .map((p) => ({
            value: p.userId,
            text: `${p.name} (parent or carer)`,
            selected: p.userId === filters.userId,
          })),
      ],
      actionOptions: [
        { value: '', text: 'Any action' },
        ...AUDIT_ACTIONS.map((a) => ({ value: a, text: AUDIT_ACTION_LABELS[a], selected: a === action })),
      ],
      page: pageNumber,
      unrecognised: unrecognised.length > 0,
      errors:
        unrecognised.length > 0
          ? toFormErrors(
              unrecognised.map((name) => ({
                field: name === 'page' || name === 'pupilId' ? 'form' : name,
                message: `The ${FILTER_LABELS[name as keyof typeof FILTER_LABELS]} filter was not recognised: nothing is shown. Choose the filters again and select Show`,
              })),
            )
          : undefined,
      previousHref: pageNumber > 1 ? query(pageNumber - 1) : null,
      nextHref: result.hasMore ? query(pageNumber + 1) : null,
    });
  });
}
