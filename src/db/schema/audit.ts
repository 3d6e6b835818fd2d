import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import type { AuditAction } from '../../domain/audit.ts';

/**
 * Who did or saw what, when. Append-only: triggers refuse UPDATE, DELETE and TRUNCATE, and each row
 * carries a link chained to the one before it of its owner (chain_seq): an HMAC under AUDIT_KEY, which
 * the database does not hold (docs/adr/0015), covering the row, its position and the pupils it showed,
 * so that a row changed, removed or re-chained by someone who got round the triggers shows in
 * `opensend audit verify`. Each owner has its chain and its lock (docs/adr/0029): a school's entries
 * (school_id), an organisation's (organisation_id, an officer's), and the installation's (neither).
 */
export const auditEvent = pgTable(
  'audit_event',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    schoolId: uuid('school_id'),
    /** The organisation (a local authority or trust) whose entry it is; never set with school_id. */
    organisationId: uuid('organisation_id'),
    userId: uuid('user_id'),
    role: text('role'),
    action: text('action').$type<AuditAction>().notNull(),
    pupilId: uuid('pupil_id'),
    requestId: text('request_id'),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
    /**
     * The pupils the event showed (its audit_event_pupil rows): SHA-256 of their ids, sorted, joined by
     * commas; null when it showed none. Part of the keyed link, so removing a pupil of the event shows.
     */
    shownPupilsDigest: text('shown_pupils_digest'),
    /**
     * Set by the database: the position in its owner's chain, and the chained link ('k1:' and the
     * HMAC-SHA256; a plain SHA-256 for rows written before the chain was keyed).
     */
    chainSeq: bigint('chain_seq', { mode: 'number' }),
    hash: text('hash'),
  },
  (t) => [
    index('audit_event_pupil_idx').on(t.schoolId, t.pupilId, t.occurredAt),
    index('audit_event_school_idx').on(t.schoolId, t.occurredAt),
    index('audit_event_user_idx').on(t.schoolId, t.userId, t.occurredAt),
    index('audit_event_chain_idx').on(t.schoolId, t.chainSeq),
    // Read receipts (docs/adr/0039): a parent's reads of one plan, letter or EHC plan version, found by
    // the record's id, whatever else the pupil's trail holds.
    index('audit_event_family_read_idx')
      .on(t.schoolId, sql`(${t.detail}->>'id')`)
      .where(sql`${t.action} = 'family.read'`),
    // An organisation's entries, and the installation's chain (entries of no one), found by index too.
    index('audit_event_organisation_idx')
      .on(t.organisationId, t.occurredAt)
      .where(sql`${t.organisationId} is not null`),
    index('audit_event_organisation_user_idx')
      .on(t.organisationId, t.userId, t.occurredAt)
      .where(sql`${t.organisationId} is not null`),
    index('audit_event_organisation_chain_idx')
      .on(t.organisationId, t.chainSeq)
      .where(sql`${t.organisationId} is not null`),
    index('audit_event_installation_chain_idx')
      .on(t.chainSeq)
      .where(sql`${t.schoolId} is null and ${t.organisationId} is null`),
    check('audit_event_one_owner_check', sql`${t.schoolId} is null or ${t.organisationId} is null`),
  ],
);

/**
 * The pupils a list view showed (the pupil list, the register, an export), one row per pupil, so that
 * "every time anyone saw this pupil, including in lists" is an index lookup by pupil.
 */
export const auditEventPupil = pgTable(
  'audit_event_pupil',
  {
    schoolId: uuid('school_id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    eventId: bigint('event_id', { mode: 'number' })
      .notNull()
      .references(() => auditEvent.id),
  },
  (t) => [primaryKey({ columns: [t.schoolId, t.pupilId, t.eventId] })],
);
