import { sql } from 'drizzle-orm';
import {
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt } from './common.ts';
import { appUser } from './people.ts';

/*
 * The kernel's side effects, each written in the same transaction as the change that causes it and
 * carried out afterwards: background jobs, mail in an outbox, and the bytes of stored files. Each row
 * names its owner (a school or an organisation such as a local authority) where it has one.
 */

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/**
 * Work done in the background by the job worker: claimed with FOR UPDATE SKIP LOCKED so that two app
 * instances on one PostgreSQL never run a job at once, retried with backoff, and kept once finished.
 * A job with a `dedupe_key` is enqueued once however many instances ask (the daily backup of a day).
 */
export const job = pgTable(
  'job',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    schoolId: uuid('school_id'),
    organisationId: uuid('organisation_id'),
    dedupeKey: text('dedupe_key'),
    runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(8),
    lockedBy: text('locked_by'),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastError: text('last_error'),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** Set when the last attempt failed: the job is kept for a person to see, and not tried again. */
    failedAt: timestamp('failed_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('job_dedupe_key').on(t.dedupeKey),
    index('job_due_idx').on(t.runAt).where(sql`${t.finishedAt} is null and ${t.failedAt} is null`),
    index('job_school_idx').on(t.schoolId, t.createdAt),
  ],
);

export type MailStatus = 'queued' | 'sent' | 'failed';

/**
 * Mail to send: written with the change that causes it and sent by a job (with retries). A message
 * says what happened and links to it; it carries no child's name or SEN detail.
 */
export const outboundMail = pgTable(
  'outbound_mail',
  {
    id: uuid('id').primaryKey(),
    schoolId: uuid('school_id'),
    organisationId: uuid('organisation_id'),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    /** What the message is about, for the outbox page ("account.invited", "referral.report_received"…). */
    kind: text('kind').notNull(),
    /** The school's record of the parent or carer the message went to (family mail), so that mail that
     * cannot be delivered shows on their record and the school falls back to paper. */
    parentCarerId: uuid('parent_carer_id'),
    status: text('status').$type<MailStatus>().notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index('outbound_mail_school_idx').on(t.schoolId, t.createdAt),
    index('outbound_mail_organisation_idx').on(t.organisationId, t.createdAt),
    index('outbound_mail_carer_idx')
      .on(t.schoolId, t.parentCarerId)
      .where(sql`${t.parentCarerId} is not null`),
    check('outbound_mail_status_check', sql`${t.status} in ('queued', 'sent', 'failed')`),
  ],
);

/**
 * The bytes of a file someone uploaded (an agency's report, a signed consent form), with what it is
 * judged from its bytes, its SHA-256, who uploaded it, and its owner. Kept in the database so that a
 * backup holds it and access to it is decided like any other record.
 */
export const storedFile = pgTable(
  'stored_file',
  {
    /** The school or organisation that owns the file. */
    ownerId: uuid('owner_id').notNull(),
    ownerKind: text('owner_kind').$type<'school' | 'organisation'>().notNull(),
    id: uuid('id').notNull(),
    pupilId: uuid('pupil_id'),
    name: text('name').notNull(),
    contentType: text('content_type').notNull(),
    extension: text('extension').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    bytes: bytea('bytes').notNull(),
    uploadedBy: uuid('uploaded_by').references(() => appUser.id),
    uploadedByName: text('uploaded_by_name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.ownerId, t.id] }),
    index('stored_file_pupil_idx').on(t.ownerId, t.pupilId),
    check('stored_file_owner_kind_check', sql`${t.ownerKind} in ('school', 'organisation')`),
  ],
);
