import { createHash } from 'node:crypto';
import { and, desc, eq, gte, inArray, lte, or, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { appUser, auditEvent, auditEventPupil, complaint, pupil } from '../db/schema/index.ts';
import type { AuditAction } from '../domain/audit.ts';
import { RECORD_TABLES, type RecordTable } from './records.ts';

export interface AuditInput {
  /** The owner whose chain the entry joins: a school, an organisation, or neither (the installation). */
  schoolId: string | null;
  organisationId?: string | null;
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

/**
 * The digest of the pupils an event showed, as its row keeps it (and the chain's link covers it):
 * SHA-256 of their ids, lower case, sorted, joined by commas; null when it showed none.
 */
export function shownPupilsDigest(pupilIds: readonly string[]): string | null {
  const ids = [...new Set(pupilIds.map((id) => id.toLowerCase()))].sort();
  return ids.length > 0 ? createHash('sha256').update(ids.join(',')).digest('hex') : null;
}

/**
 * Write audit rows, in order. An event that lists the pupils it showed is written with their digest,
 * together with its audit_event_pupil rows in one statement (the row and its pupils stand or fall
 * together); the others in batches. A school's event links its own pupils; an organisation's (an
 * officer's list of children across its schools) links each pupil under their own school, and only
 * pupils that exist: its digest is of those it links.
 */
export async function insertAuditEvents(db: Executor, events: readonly AuditInput[]): Promise<void> {
  let plain: AuditInput[] = [];
  const flush = async () => {
    for (let i = 0; i < plain.length; i += AUDIT_BATCH) {
      await db.insert(auditEvent).values(
        plain.slice(i, i + AUDIT_BATCH).map((event) => ({
          schoolId: event.schoolId,
          organisationId: event.organisationId ?? null,
          userId: event.userId,
          role: event.role,
          action: event.action,
          pupilId: event.pupilId ?? null,
          requestId: event.requestId ?? null,
          detail: event.detail ?? null,
        })),
      );
    }
    plain = [];
  };
  for (const event of events) {
    const shown =
      (event.schoolId || event.organisationId) && event.shownPupilIds?.length ? event.shownPupilIds : null;
    if (!shown) {
      plain.push(event);
      continue;
    }
    await flush();
    const ids = [...new Set(shown.map((id) => id.toLowerCase()))];
    if (!event.schoolId) {
      await db.execute(sql`
        with shown as (
          select p.school_id, p.id from ${pupil} p
          where p.id = any(string_to_array(${ids.join(',')}::text, ',')::uuid[])
        ),
        event as (
          insert into ${auditEvent} (organisation_id, user_id, role, action, pupil_id, request_id, detail, shown_pupils_digest)
          values (${event.organisationId}::uuid, ${event.userId}::uuid, ${event.role}::text, ${event.action}::text,
            ${event.pupilId ?? null}::uuid, ${event.requestId ?? null}::text,
            ${event.detail ? JSON.stringify(event.detail) : null}::jsonb,
            (select encode(sha256(convert_to(string_agg(id::text, ',' order by id), 'UTF8')), 'hex') from shown))
          returning id
        )
        insert into ${auditEventPupil} (school_id, pupil_id, event_id)
        select shown.school_id, shown.id, event.id from event, shown`);
      continue;
    }
    await db.execute(sql`
      with event as (
        insert into ${auditEvent} (school_id, user_id, role, action, pupil_id, request_id, detail, shown_pupils_digest)
        values (${event.schoolId}::uuid, ${event.userId}::uuid, ${event.role}::text, ${event.action}::text,
          ${event.pupilId ?? null}::uuid, ${event.requestId ?? null}::text,
          ${event.detail ? JSON.stringify(event.detail) : null}::jsonb, ${shownPupilsDigest(ids)}::text)
        returning id
      )
      insert into ${auditEventPupil} (school_id, pupil_id, event_id)
      select ${event.schoolId}::uuid, shown::uuid, event.id
      from event, unnest(string_to_array(${ids.join(',')}::text, ',')) as shown`);
  }
  await flush();
}

export async function insertAuditEvent(db: Executor, event: AuditInput): Promise<void> {
  await insertAuditEvents(db, [event]);
}

/** An audit row's values as `auditWhere` binds them: each a value, or a placeholder of a prepared query. */
export interface AuditValues {
  schoolId: string | null | SQLWrapper;
  /** Null when not given: a school's read, or the installation's. */
  organisationId?: string | null | SQLWrapper;
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
    organisationId: event.organisationId ?? null,
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
    sql`insert into ${auditEvent} (${c(auditEvent.schoolId)}, ${c(auditEvent.organisationId)}, ${c(auditEvent.userId)}, ${c(auditEvent.role)}, ${c(auditEvent.action)}, ${c(auditEvent.pupilId)}, ${c(auditEvent.requestId)}, ${c(auditEvent.detail)})
      select ${event.schoolId}::uuid, ${event.organisationId ?? null}::uuid, ${event.userId}::uuid, ${event.role}::text, ${event.action}::text, ${event.pupilId}::uuid, ${event.requestId}::text, ${event.detail}::jsonb
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
 * Not an event about a complaint the viewer is among those it is about (recorded, viewed, listed with
 * it...): such a complaint is hidden from them everywhere, the trail too. Complaint events name their
 * complaint in `detail.complaintId` (one) or `detail.complaintIds` (a list that showed several).
 */
function notOfComplaintAbout(schoolId: string, viewerId: string): SQL {
  return sql`not (${auditEvent.action} like 'complaint.%' and exists (
    select 1 from ${complaint}
    where ${complaint.schoolId} = ${schoolId} and ${viewerId}::uuid = any(${complaint.aboutUserIds})
      and (${auditEvent.detail}->>'complaintId' = ${complaint.id}::text
        or coalesce(${auditEvent.detail}->'complaintIds', '[]'::jsonb) ? ${complaint.id}::text)))`;
}

/**
 * Everything about one pupil: events naming them, and list views that showed them (through the link
 * table's index). For the pupil's trail and a subject access request.
 */
export async function auditEventsForPupil(
  db: Executor,
  schoolId: string,
  pupilId: string,
  viewerId: string,
  limit = 500,
) {
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
        notOfComplaintAbout(schoolId, viewerId),
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
  viewerId: string,
) {
  const conditions: SQL[] = [eq(auditEvent.schoolId, schoolId), notOfComplaintAbout(schoolId, viewerId)];
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

/** The kinds of record a refusal can name (services name them in their NotFoundErrors): those named by an id. */
export type OwnedRecordKind = {
  [K in keyof typeof RECORD_TABLES]: (typeof RECORD_TABLES)[K]['id'] extends null ? never : K;
}[keyof typeof RECORD_TABLES];

/**
 * Which schools hold a record with this id (whoever asks), with the pupil it belongs to: a refused
 * probe is recorded where the owning school sees it. An organisation's record names no school (a
 * probe of it is recorded on the chain of the one who asked).
 */
export async function owningSchoolsOf(
  db: Executor,
  kind: OwnedRecordKind,
  id: string,
): Promise<{ schoolId: string; pupilId: string | null }[]> {
  const owner: RecordTable = RECORD_TABLES[kind];
  if (!owner.id || owner.ownerKind !== 'school') return [];
  // An id that is not of the column's type (a uuid, or a number for audit events) names nothing.
  if (owner.id.columnType === 'PgBigSerial53' ? !/^\d{1,15}$/.test(id) : !UUID.test(id)) return [];
  const rows = await db
    .select({ schoolId: owner.ownerId, pupilId: owner.pupilId ?? sql`null` })
    .from(owner.table)
    .where(and(eq(owner.id, owner.id.columnType === 'PgBigSerial53' ? Number(id) : id), owner.ofSchools))
    .limit(owner.limit ?? 5);
  return rows.flatMap((r) =>
    r.schoolId
      ? [{ schoolId: String(r.schoolId), pupilId: r.pupilId == null ? null : String(r.pupilId) }]
      : [],
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Why a link of the chain does not follow from the one before it. */
export type BrokenLinkReason =
  /** Its position is missing, or does not follow the one before (a row removed or added). */
  | 'position'
  /** Its link is not what the key and its content make it (changed, or re-chained without the key). */
  | 'content'
  /** The pupils recorded as shown by it are not those its link covers. */
  | 'pupils'
  /** An unkeyed link after a keyed one: rows re-chained the old way. */
  | 'unkeyed'
  /** The first keyed row after the old ones is not the seal that counts them and their pupils. */
  | 'seal'
  /** A chain that ends in old, unkeyed rows: its seal (and everything after) is gone. */
  | 'unsealed';

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

/**
 * The keyed link an entry (the row `e`) must have after the link `prev`, computed with the key's pads
 * given here, by expressions of its own (not the database functions the trigger uses). An
 * organisation's entry adds its organisation at the end of the message (docs/adr/0029); a school's
 * and the installation's are as docs/adr/0015 has them.
 */
function keyedLink(pads: { inner: string; outer: string }, e: SQL, prev: SQL): SQL {
  return sql`'k1:' || encode(sha256(decode(${pads.outer}, 'hex') || sha256(
    decode(${pads.inner}, 'hex') || convert_to(case when ${e}.organisation_id is null then json_build_array(
      coalesce(${prev}, ''), ${e}.chain_seq, ${e}.id, ${e}.school_id,
      (extract(epoch from ${e}.occurred_at) * 1000000)::bigint,
      ${e}.user_id, ${e}.role, ${e}.action, ${e}.pupil_id, ${e}.request_id, ${e}.shown_pupils_digest,
      ${e}.detail)::text else json_build_array(
      coalesce(${prev}, ''), ${e}.chain_seq, ${e}.id, ${e}.school_id,
      (extract(epoch from ${e}.occurred_at) * 1000000)::bigint,
      ${e}.user_id, ${e}.role, ${e}.action, ${e}.pupil_id, ${e}.request_id, ${e}.shown_pupils_digest,
      ${e}.detail, ${e}.organisation_id)::text end, 'UTF8'))), 'hex')`;
}

/**
 * Do the newest keyed entries follow from the entries before them with this key? The newest `limit`
 * keyed entries of the whole trail (or of the installation's chain only: entries of no school or
 * organisation), each with whether its link is what the key makes it. A cheap check that a key is the
 * one the trail was written with: with another key, none of them does.
 */
export async function newestKeyedLinks(
  db: Executor,
  pads: { inner: string; outer: string },
  options: { limit: number; installationOnly?: boolean },
): Promise<{ id: number; schoolId: string | null; organisationId: string | null; verifies: boolean }[]> {
  const newest = options.installationOnly
    ? sql`select * from audit_event
        where school_id is null and organisation_id is null and chain_seq is not null and hash like 'k1:%'
        order by chain_seq desc limit ${options.limit}`
    : sql`select * from audit_event where hash like 'k1:%' order by id desc limit ${options.limit}`;
  const result = await db.execute(sql`
    select n.id::text as id, n.school_id::text as school_id, n.organisation_id::text as organisation_id,
      n.hash = ${keyedLink(pads, sql`n`, sql`p.hash`)} as verifies
    from (${newest}) n
    left join lateral (
      (select x.hash from audit_event x
        where n.school_id is not null and x.school_id = n.school_id and x.chain_seq = n.chain_seq - 1)
      union all
      (select x.hash from audit_event x
        where n.organisation_id is not null and x.organisation_id = n.organisation_id
          and x.chain_seq = n.chain_seq - 1)
      union all
      (select x.hash from audit_event x
        where n.school_id is null and n.organisation_id is null and x.school_id is null
          and x.organisation_id is null and x.chain_seq = n.chain_seq - 1)
      limit 1
    ) p on true
    order by n.id desc`);
  return rowsOf<{ id: string; school_id: string | null; organisation_id: string | null; verifies: boolean }>(
    result,
  ).map((r) => ({
    id: Number(r.id),
    schoolId: r.school_id ?? null,
    organisationId: r.organisation_id ?? null,
    verifies: r.verifies === true,
  }));
}

/**
 * Walk each owner's chain (a school's, an organisation's, the installation's) in order and recompute every link with expressions of its own (not the
 * database functions the trigger uses), keyed links with the key's pads given here: the first row of
 * each chain whose link, position or pupils do not follow from the one before it is where the trail
 * was changed. Rows from before the chain was keyed are checked by their plain SHA-256, and as a whole
 * by the keyed seal after them (their number and their pupils).
 */
export async function firstBrokenLinks(db: Executor, pads: { inner: string; outer: string }) {
  const result = await db.execute(sql`
    with links as (
      select p.event_id,
        encode(sha256(convert_to(string_agg(p.pupil_id::text, ',' order by p.pupil_id), 'UTF8')), 'hex') as digest
      from audit_event_pupil p join audit_event o on o.id = p.event_id
      -- A school's event links its own pupils; an organisation's, pupils of its schools, each under theirs.
      where p.school_id = o.school_id or (o.school_id is null and o.organisation_id is not null)
      group by p.event_id
    ),
    entries as (
      select e.id, e.school_id, e.organisation_id, e.chain_seq, e.hash, e.occurred_at, e.user_id, e.role, e.action, e.pupil_id,
        e.request_id, e.detail, e.shown_pupils_digest, l.digest as links_digest,
        coalesce(e.hash like 'k1:%', false) as keyed
      from audit_event e left join links l on l.event_id = e.id
    ),
    chain as (
      select c.*,
        lag(c.hash) over w as prev_hash, lag(c.chain_seq) over w as prev_seq,
        lag(c.keyed) over w as prev_keyed, lead(c.id) over w as next_id
      from entries c
      window w as (partition by c.school_id, c.organisation_id order by c.chain_seq, c.id)
    ),
    checked as (
      select c.*,
        case when c.keyed then ${keyedLink(pads, sql`c`, sql`c.prev_hash`)}
        else encode(sha256(convert_to(concat_ws('|',
          coalesce(c.prev_hash, ''), c.chain_seq::text, coalesce(c.school_id::text, ''),
          ((extract(epoch from c.occurred_at) * 1000000)::bigint)::text,
          coalesce(c.user_id::text, ''), coalesce(c.role, ''), c.action, coalesce(c.pupil_id::text, ''),
          coalesce(c.request_id, ''), coalesce(c.detail::text, '')), 'UTF8')), 'hex')
        end as expected
      from chain c
    ),
    legacy as (
      select school_id, organisation_id, count(*) as n,
        encode(sha256(convert_to(coalesce(
          string_agg(id::text || ':' || links_digest, ',' order by chain_seq, id) filter (where links_digest is not null),
          ''), 'UTF8')), 'hex') as links
      from entries where not keyed group by school_id, organisation_id
    ),
    judged as (
      select k.id, k.school_id, k.organisation_id, k.chain_seq,
        case
          when k.chain_seq is null or k.chain_seq <> coalesce(k.prev_seq, 0) + 1 then 'position'
          when k.hash is distinct from k.expected then 'content'
          when k.keyed and k.shown_pupils_digest is distinct from k.links_digest then 'pupils'
          when not k.keyed and k.prev_keyed then 'unkeyed'
          when k.keyed and k.prev_keyed = false and not (
            k.action = 'audit.chain_keyed' and k.detail->>'entries' = lg.n::text and k.detail->>'pupilLinks' = lg.links
          ) then 'seal'
          when not k.keyed and k.next_id is null then 'unsealed'
        end as reason
      from checked k left join legacy lg on lg.school_id is not distinct from k.school_id
        and lg.organisation_id is not distinct from k.organisation_id
    ),
    broken as (
      select *, row_number() over (partition by school_id, organisation_id order by chain_seq, id) as n
      from judged where reason is not null
    )
    select id::text as id, school_id::text as school_id, organisation_id::text as organisation_id,
      chain_seq::text as chain_seq, reason
    from broken where n = 1 order by school_id nulls first, organisation_id nulls first`);
  return rowsOf<Record<string, string | null>>(result).map((r) => ({
    id: Number(r.id),
    schoolId: r.school_id ?? null,
    organisationId: r.organisation_id ?? null,
    chainSeq: r.chain_seq == null ? null : Number(r.chain_seq),
    reason: r.reason as BrokenLinkReason,
  }));
}

/**
 * Pupils recorded as shown by an event that is not in their school's trail (moved or made up), nor an
 * organisation's list that showed them.
 */
export async function strayPupilLinks(db: Executor): Promise<number> {
  const result = await db.execute(sql`
    select count(*)::int as n from audit_event_pupil p
    where not exists (select 1 from audit_event e where e.id = p.event_id
      and (e.school_id = p.school_id or (e.school_id is null and e.organisation_id is not null)))`);
  return Number(rowsOf<{ n: number | string }>(result)[0]?.n ?? 0);
}

/**
 * The newest entry of each chain: one per school and per organisation that has a trail, and the
 * installation's (both null).
 */
export interface ChainHead {
  schoolId: string | null;
  organisationId: string | null;
  seq: number;
  id: number;
  hash: string;
  occurredAt: string;
}

/**
 * Each chain's newest entry, found through the chain's index (a skip over the schools and the
 * organisations, not a scan): the installation's first, then the schools', then the organisations'.
 */
export async function chainHeads(db: Executor): Promise<ChainHead[]> {
  const result = await db.execute(sql`
    with recursive schools as (
      (select school_id from audit_event where school_id is not null order by school_id limit 1)
      union all
      select (select e.school_id from audit_event e where e.school_id > s.school_id order by e.school_id limit 1)
      from schools s where s.school_id is not null
    ),
    organisations as (
      (select organisation_id from audit_event where organisation_id is not null order by organisation_id limit 1)
      union all
      select (select e.organisation_id from audit_event e
        where e.organisation_id is not null and e.organisation_id > o.organisation_id
        order by e.organisation_id limit 1)
      from organisations o where o.organisation_id is not null
    )
    select * from (
      select 0 as place, null::text as school_id, null::text as organisation_id,
        h.chain_seq, h.id, h.hash, h.occurred_at from (
        select chain_seq, id, hash, occurred_at from audit_event
        where school_id is null and organisation_id is null and chain_seq is not null
        order by chain_seq desc limit 1
      ) h
      union all
      select 1, s.school_id::text, null::text, h.chain_seq, h.id, h.hash, h.occurred_at
      from schools s cross join lateral (
        select chain_seq, id, hash, occurred_at from audit_event e
        where e.school_id = s.school_id and e.chain_seq is not null order by e.chain_seq desc limit 1
      ) h
      where s.school_id is not null
      union all
      select 2, null::text, o.organisation_id::text, h.chain_seq, h.id, h.hash, h.occurred_at
      from organisations o cross join lateral (
        select chain_seq, id, hash, occurred_at from audit_event e
        where e.organisation_id = o.organisation_id and e.chain_seq is not null
        order by e.chain_seq desc limit 1
      ) h
      where o.organisation_id is not null
    ) heads
    order by place, school_id, organisation_id`);
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return rowsOf<Record<string, unknown>>(result).map((r) => ({
    schoolId: text(r.school_id),
    organisationId: text(r.organisation_id),
    seq: Number(r.chain_seq),
    id: Number(r.id),
    hash: String(r.hash),
    occurredAt: new Date(r.occurred_at as string | Date).toISOString(),
  }));
}

/**
 * For each chain a checkpoint saw: the entry now at the position it saw as the newest, and where the
 * chain ends now (0 when it has no entries left).
 */
export async function chainsAt(
  db: Executor,
  heads: readonly { schoolId: string | null; organisationId?: string | null | undefined; seq: number }[],
): Promise<{ id: number | null; hash: string | null; lastSeq: number }[]> {
  if (heads.length === 0) return [];
  const read = (r: Record<string, unknown> | undefined) => ({
    id: r?.id == null ? null : Number(r.id),
    hash: r?.hash == null ? null : String(r.hash),
    lastSeq: r?.last_seq == null ? 0 : Number(r.last_seq),
  });
  const schools = heads.flatMap((h, i) => (h.schoolId ? [{ i, school_id: h.schoolId, seq: h.seq }] : []));
  const found = new Map<number, ReturnType<typeof read>>();
  if (schools.length > 0) {
    const result = await db.execute(sql`
      select c.i, e.id, e.hash,
        (select max(x.chain_seq) from audit_event x where x.school_id = c.school_id) as last_seq
      from jsonb_to_recordset(${JSON.stringify(schools)}::jsonb) as c(i int, school_id uuid, seq bigint)
      left join lateral (
        select id, hash from audit_event e where e.school_id = c.school_id and e.chain_seq = c.seq
        order by e.id limit 1
      ) e on true`);
    for (const r of rowsOf<Record<string, unknown>>(result)) found.set(Number(r.i), read(r));
  }
  const organisations = heads.flatMap((h, i) =>
    !h.schoolId && h.organisationId ? [{ i, organisation_id: h.organisationId, seq: h.seq }] : [],
  );
  if (organisations.length > 0) {
    const result = await db.execute(sql`
      select c.i, e.id, e.hash,
        (select max(x.chain_seq) from audit_event x where x.organisation_id = c.organisation_id) as last_seq
      from jsonb_to_recordset(${JSON.stringify(organisations)}::jsonb) as c(i int, organisation_id uuid, seq bigint)
      left join lateral (
        select id, hash from audit_event e where e.organisation_id = c.organisation_id and e.chain_seq = c.seq
        order by e.id limit 1
      ) e on true`);
    for (const r of rowsOf<Record<string, unknown>>(result)) found.set(Number(r.i), read(r));
  }
  const none = heads.findIndex((h) => h.schoolId === null && !h.organisationId);
  if (none >= 0) {
    const result = await db.execute(sql`
      select e.id, e.hash,
        (select max(chain_seq) from audit_event where school_id is null and organisation_id is null) as last_seq
      from (select 1) one left join lateral (
        select id, hash from audit_event
        where school_id is null and organisation_id is null and chain_seq = ${heads[none]?.seq ?? 0}::bigint
        order by id limit 1
      ) e on true`);
    found.set(none, read(rowsOf<Record<string, unknown>>(result)[0]));
  }
  return heads.map((_, i) => found.get(i) ?? read(undefined));
}

/** Schemas of PostgreSQL itself (and each session's temporary ones), left out of what is checked. */
const USER_SCHEMAS = sql.raw(
  `n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp\\_%'`,
);

/**
 * What the database holds that could change how the trail is written or read the audit key of a
 * connection, as it is now: every trigger (and what it runs), every function, rule, event trigger and
 * row security policy outside PostgreSQL's own schemas, and every default, check or index expression that
 * reads a setting of the connection. `opensend audit verify` compares this with OpenSEND's migrations.
 */
export async function databaseSafeguards(db: Executor) {
  const [schema, triggers, functions, rules, eventTriggers, policies, settingReaders] = await Promise.all([
    db.execute(sql`select current_schema()::text as schema`),
    db.execute(sql`
      select n.nspname::text as schema, c.relname::text as "table", t.tgname::text as name,
        t.tgenabled::text as enabled, t.tgtype::int as type, fn.nspname::text as "functionSchema",
        p.proname::text as "function", t.tgqual is not null as "hasCondition", t.tgnargs::int as arguments,
        coalesce(array_length(t.tgattr::int2[], 1), 0)::int as columns,
        t.tgoldtable::text as "oldTable", t.tgnewtable::text as "newTable"
      from pg_trigger t
      join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
      join pg_proc p on p.oid = t.tgfoid join pg_namespace fn on fn.oid = p.pronamespace
      where not t.tgisinternal and ${USER_SCHEMAS}
      order by 1, 2, 3`),
    db.execute(sql`
      select n.nspname::text as schema, p.proname::text as name,
        pg_get_function_identity_arguments(p.oid)::text as arguments, l.lanname::text as language,
        md5(p.prosrc) as digest, p.proconfig::text as settings, p.prosecdef as "securityDefiner"
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_language l on l.oid = p.prolang
      where ${USER_SCHEMAS} and not exists (
        select 1 from pg_depend d
        where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
      order by 1, 2, 3`),
    db.execute(sql`
      select n.nspname::text as schema, c.relname::text as "table", r.rulename::text as name
      from pg_rewrite r join pg_class c on c.oid = r.ev_class join pg_namespace n on n.oid = c.relnamespace
      where r.rulename <> '_RETURN' and ${USER_SCHEMAS}
      order by 1, 2, 3`),
    db.execute(sql`select evtname::text as name, evtevent::text as event from pg_event_trigger order by 1`),
    db.execute(sql`
      select n.nspname::text as schema, c.relname::text as "table", p.polname::text as name
      from pg_policy p join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace
      order by 1, 2, 3`),
    db.execute(sql`
      select place, expression from (
        select 'the default of ' || n.nspname || '.' || c.relname || '.' || a.attname as place,
          pg_get_expr(d.adbin, d.adrelid) as expression
        from pg_attrdef d join pg_class c on c.oid = d.adrelid join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum
        where ${USER_SCHEMAS}
        union all
        select 'the constraint ' || k.conname || ' in ' || n.nspname, pg_get_constraintdef(k.oid)
        from pg_constraint k join pg_namespace n on n.oid = k.connamespace
        where ${USER_SCHEMAS}
        union all
        select 'the index ' || n.nspname || '.' || c.relname, pg_get_indexdef(i.indexrelid)
        from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
        where (i.indexprs is not null or i.indpred is not null) and ${USER_SCHEMAS}
        union all
        select 'the default of the type ' || n.nspname || '.' || t.typname, t.typdefault
        from pg_type t join pg_namespace n on n.oid = t.typnamespace
        where t.typdefault is not null and ${USER_SCHEMAS}
      ) e
      where e.expression ~* '(current_setting|set_config|pg_settings|pg_show_all_settings)'
      order by 1`),
  ]);
  return {
    /** OpenSEND's own schema: where its tables, functions and triggers are. */
    schema: rowsOf<{ schema: string }>(schema)[0]?.schema ?? 'public',
    triggers: rowsOf<{
      schema: string;
      table: string;
      name: string;
      enabled: string;
      type: number;
      functionSchema: string;
      function: string;
      hasCondition: boolean;
      arguments: number;
      columns: number;
      oldTable: string | null;
      newTable: string | null;
    }>(triggers),
    functions: rowsOf<{
      schema: string;
      name: string;
      arguments: string;
      language: string;
      digest: string;
      settings: string | null;
      securityDefiner: boolean;
    }>(functions),
    rules: rowsOf<{ schema: string; table: string; name: string }>(rules),
    eventTriggers: rowsOf<{ name: string; event: string }>(eventTriggers),
    policies: rowsOf<{ schema: string; table: string; name: string }>(policies),
    settingReaders: rowsOf<{ place: string; expression: string }>(settingReaders),
  };
}

export type DatabaseSafeguards = Awaited<ReturnType<typeof databaseSafeguards>>;

export async function countAuditEvents(db: Executor): Promise<number> {
  const rows = await db.select({ n: sql<number>`count(*)::int` }).from(auditEvent);
  return rows[0]?.n ?? 0;
}
