import { and, desc, eq, gte, inArray, lte, or, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from '../db/client.ts';
import {
  appUser,
  auditEvent,
  auditEventPupil,
  bankEntry,
  concern,
  ctfExport,
  groupMember,
  heldForm,
  intervention,
  letter,
  letterTemplate,
  membership,
  parentCarer,
  planNote,
  provisionGroup,
  pupil,
  pupilImport,
  schoolClass,
  staffInvitation,
  supportPlan,
} from '../db/schema/index.ts';
import type { AuditAction } from '../domain/audit.ts';

export interface AuditInput {
  schoolId: string | null;
  userId: string | null;
  role: string | null;
  action: AuditAction;
  pupilId?: string | null;
  requestId?: string | null;
  detail?: Record<string, unknown> | null;
  /** The pupils a list showed: one link row each, found by pupil through an index. */
  shownPupilIds?: readonly string[];
}

/** Rows per insert: well under PostgreSQL's 65,535 parameters when a change audits thousands of pupils. */
const AUDIT_BATCH = 1000;

export async function insertAuditEvents(db: Executor, events: readonly AuditInput[]): Promise<void> {
  if (events.length === 0) return;
  const rows: { id: number }[] = [];
  for (let i = 0; i < events.length; i += AUDIT_BATCH) {
    const inserted = await db
      .insert(auditEvent)
      .values(
        events.slice(i, i + AUDIT_BATCH).map((event) => ({
          schoolId: event.schoolId,
          userId: event.userId,
          role: event.role,
          action: event.action,
          pupilId: event.pupilId ?? null,
          requestId: event.requestId ?? null,
          detail: event.detail ?? null,
        })),
      )
      .returning({ id: auditEvent.id });
    rows.push(...inserted);
  }
  const links: { schoolId: string; pupilId: string; eventId: number }[] = [];
  events.forEach((event, i) => {
    const id = rows[i]?.id;
    if (!event.shownPupilIds?.length || !event.schoolId || id === undefined) return;
    for (const pupilId of new Set(event.shownPupilIds))
      links.push({ schoolId: event.schoolId, pupilId, eventId: id });
  });
  for (let i = 0; i < links.length; i += 1000)
    await db.insert(auditEventPupil).values(links.slice(i, i + 1000));
}

export async function insertAuditEvent(db: Executor, event: AuditInput): Promise<void> {
  await insertAuditEvents(db, [event]);
}

/** An audit row's values as `auditWhere` binds them: each a value, or a placeholder of a prepared query. */
export interface AuditValues {
  schoolId: string | null | SQLWrapper;
  userId: string | null | SQLWrapper;
  role: string | null | SQLWrapper;
  action: AuditAction | SQLWrapper;
  pupilId: string | null | SQLWrapper;
  requestId: string | null | SQLWrapper;
  /** JSON text. */
  detail: string | null | SQLWrapper;
}

/** The values `insertAuditEvent` would write for an event (which lists no shown pupils). */
export function auditValues(event: AuditInput): AuditValues {
  if (event.shownPupilIds?.length) throw new Error('an audited read lists no shown pupils');
  return {
    schoolId: event.schoolId,
    userId: event.userId,
    role: event.role,
    action: event.action,
    pupilId: event.pupilId ?? null,
    requestId: event.requestId ?? null,
    detail: event.detail ? JSON.stringify(event.detail) : null,
  };
}

/**
 * The audit row of a read, written by the statement that reads (a data-modifying CTE, `audited`),
 * and only where `seen` holds: a refused read writes nothing, a read that returns a row writes the row
 * `insertAuditEvent` would. The chain trigger fires as for any insert. The reading query may select
 * `exists (select 1 from audited)` to know that it was written.
 */
export function auditWhere(db: Executor, event: AuditValues, seen: SQL) {
  const c = (column: { name: string }) => sql.identifier(column.name);
  return db.$with('audited', { id: sql<number>`id` }).as(
    sql`insert into ${auditEvent} (${c(auditEvent.schoolId)}, ${c(auditEvent.userId)}, ${c(auditEvent.role)}, ${c(auditEvent.action)}, ${c(auditEvent.pupilId)}, ${c(auditEvent.requestId)}, ${c(auditEvent.detail)})
      select ${event.schoolId}::uuid, ${event.userId}::uuid, ${event.role}::text, ${event.action}::text, ${event.pupilId}::uuid, ${event.requestId}::text, ${event.detail}::jsonb
      where ${seen}
      returning ${c(auditEvent.id)}`,
  );
}

const eventColumns = {
  id: auditEvent.id,
  occurredAt: auditEvent.occurredAt,
  userId: auditEvent.userId,
  userName: appUser.name,
  role: auditEvent.role,
  action: auditEvent.action,
  pupilId: auditEvent.pupilId,
  requestId: auditEvent.requestId,
  detail: auditEvent.detail,
};

/**
 * Everything about one pupil: events naming them, and list views that showed them (through the link
 * table's index). For the pupil's trail and a subject access request.
 */
export async function auditEventsForPupil(db: Executor, schoolId: string, pupilId: string, limit = 500) {
  return db
    .select(eventColumns)
    .from(auditEvent)
    .leftJoin(appUser, eq(appUser.id, auditEvent.userId))
    .where(
      and(
        eq(auditEvent.schoolId, schoolId),
        or(
          eq(auditEvent.pupilId, pupilId),
          inArray(
            auditEvent.id,
            db
              .select({ id: auditEventPupil.eventId })
              .from(auditEventPupil)
              .where(and(eq(auditEventPupil.schoolId, schoolId), eq(auditEventPupil.pupilId, pupilId))),
          ),
        ),
      ),
    )
    .orderBy(desc(auditEvent.occurredAt), desc(auditEvent.id))
    .limit(limit);
}

export interface SchoolAuditFilters {
  userId?: string | undefined;
  pupilId?: string | undefined;
  actions?: readonly AuditAction[] | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** The school's trail, newest first, filtered by person, pupil, action and dates (Europe/London days). */
export async function auditEventsForSchool(
  db: Executor,
  schoolId: string,
  filters: SchoolAuditFilters,
  page: { limit: number; offset: number },
) {
  const conditions: SQL[] = [eq(auditEvent.schoolId, schoolId)];
  if (filters.userId) conditions.push(eq(auditEvent.userId, filters.userId));
  if (filters.pupilId) {
    conditions.push(
      or(
        eq(auditEvent.pupilId, filters.pupilId),
        inArray(
          auditEvent.id,
          db
            .select({ id: auditEventPupil.eventId })
            .from(auditEventPupil)
            .where(and(eq(auditEventPupil.schoolId, schoolId), eq(auditEventPupil.pupilId, filters.pupilId))),
        ),
      ) as SQL,
    );
  }
  if (filters.actions?.length) conditions.push(inArray(auditEvent.action, [...filters.actions]));
  if (filters.from)
    conditions.push(
      gte(auditEvent.occurredAt, sql`(${filters.from}::date)::timestamp at time zone 'Europe/London'`),
    );
  if (filters.to)
    conditions.push(
      lte(auditEvent.occurredAt, sql`((${filters.to}::date + 1)::timestamp at time zone 'Europe/London')`),
    );
  return db
    .select({ ...eventColumns, pupilForename: pupil.forename, pupilSurname: pupil.surname })
    .from(auditEvent)
    .leftJoin(appUser, eq(appUser.id, auditEvent.userId))
    .leftJoin(pupil, and(eq(pupil.schoolId, auditEvent.schoolId), eq(pupil.id, auditEvent.pupilId)))
    .where(and(...conditions))
    .orderBy(desc(auditEvent.occurredAt), desc(auditEvent.id))
    .limit(page.limit)
    .offset(page.offset);
}

/** Where each kind of record a refusal can name keeps its school and, where it has one, its pupil. */
interface Owner {
  table: PgTable;
  id: PgColumn;
  schoolId: PgColumn;
  pupilId: PgColumn | null;
  /** A person's account belongs to every school they are a member of. */
  limit?: number;
}
const OWNERS = {
  pupil: { table: pupil, id: pupil.id, schoolId: pupil.schoolId, pupilId: pupil.id },
  concern: { table: concern, id: concern.id, schoolId: concern.schoolId, pupilId: concern.pupilId },
  parent: {
    table: parentCarer,
    id: parentCarer.id,
    schoolId: parentCarer.schoolId,
    pupilId: parentCarer.pupilId,
  },
  staff: {
    table: membership,
    id: membership.userId,
    schoolId: membership.schoolId,
    pupilId: null,
    limit: 50,
  },
  invitation: {
    table: staffInvitation,
    id: staffInvitation.id,
    schoolId: staffInvitation.schoolId,
    pupilId: null,
  },
  // A form kept for someone whose session ended belongs to the school they were working in (if any).
  held_form: { table: heldForm, id: heldForm.id, schoolId: heldForm.schoolId, pupilId: null },
  plan: {
    table: supportPlan,
    id: supportPlan.id,
    schoolId: supportPlan.schoolId,
    pupilId: supportPlan.pupilId,
  },
  note: { table: planNote, id: planNote.id, schoolId: planNote.schoolId, pupilId: planNote.pupilId },
  letter: { table: letter, id: letter.id, schoolId: letter.schoolId, pupilId: letter.pupilId },
  letter_template: {
    table: letterTemplate,
    id: letterTemplate.id,
    schoolId: letterTemplate.schoolId,
    pupilId: null,
  },
  bank_entry: { table: bankEntry, id: bankEntry.id, schoolId: bankEntry.schoolId, pupilId: null },
  intervention: { table: intervention, id: intervention.id, schoolId: intervention.schoolId, pupilId: null },
  group: { table: provisionGroup, id: provisionGroup.id, schoolId: provisionGroup.schoolId, pupilId: null },
  member: {
    table: groupMember,
    id: groupMember.id,
    schoolId: groupMember.schoolId,
    pupilId: groupMember.pupilId,
  },
  class: { table: schoolClass, id: schoolClass.id, schoolId: schoolClass.schoolId, pupilId: null },
  import: { table: pupilImport, id: pupilImport.id, schoolId: pupilImport.schoolId, pupilId: null },
  ctf_export: { table: ctfExport, id: ctfExport.id, schoolId: ctfExport.schoolId, pupilId: null },
} satisfies Record<string, Owner>;

/** The kinds of record a refusal can name (services name them in their NotFoundErrors). */
export type OwnedRecordKind = keyof typeof OWNERS;

/**
 * Which schools hold a record with this id (whoever asks), with the pupil it belongs to: a refused
 * probe is recorded where the owning school sees it.
 */
export async function owningSchoolsOf(
  db: Executor,
  kind: OwnedRecordKind,
  id: string,
): Promise<{ schoolId: string; pupilId: string | null }[]> {
  const owner: Owner = OWNERS[kind];
  const rows = await db
    .select({ schoolId: owner.schoolId, pupilId: owner.pupilId ?? sql`null` })
    .from(owner.table)
    .where(eq(owner.id, id))
    .limit(owner.limit ?? 5);
  return rows.flatMap((r) =>
    r.schoolId
      ? [{ schoolId: String(r.schoolId), pupilId: r.pupilId == null ? null : String(r.pupilId) }]
      : [],
  );
}

/**
 * Walk each school's chain in order and recompute every hash with an expression of its own (not the
 * database function the trigger uses): the first row whose hash or position does not follow from the
 * one before it is where the trail was changed.
 */
export async function firstBrokenLinks(db: Executor) {
  const result = await db.execute(sql`
    with chain as (
      select id, school_id, chain_seq, hash,
        lag(hash) over w as prev_hash,
        lag(chain_seq) over w as prev_seq,
        encode(sha256(convert_to(concat_ws('|',
          coalesce(lag(hash) over w, ''), chain_seq::text, coalesce(school_id::text, ''),
          ((extract(epoch from occurred_at) * 1000000)::bigint)::text,
          coalesce(user_id::text, ''), coalesce(role, ''), action, coalesce(pupil_id::text, ''),
          coalesce(request_id, ''), coalesce(detail::text, '')), 'UTF8')), 'hex') as expected
      from audit_event
      window w as (partition by school_id order by chain_seq, id)
    ),
    broken as (
      select *, row_number() over (partition by school_id order by chain_seq, id) as n
      from chain
      where chain_seq is null or hash is distinct from expected or chain_seq <> coalesce(prev_seq, 0) + 1
    )
    select id::text as id, school_id::text as school_id, chain_seq::text as chain_seq,
      (select count(*) from audit_event)::text as total
    from broken where n = 1 order by school_id nulls first`);
  const rows = (result as unknown as { rows: Record<string, string | null>[] }).rows;
  return rows.map((r) => ({
    id: Number(r.id),
    schoolId: r.school_id,
    chainSeq: r.chain_seq === null ? null : Number(r.chain_seq),
  }));
}

export async function countAuditEvents(db: Executor): Promise<number> {
  const rows = await db.select({ n: sql<number>`count(*)::int` }).from(auditEvent);
  return rows[0]?.n ?? 0;
}
