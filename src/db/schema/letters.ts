import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import type { LetterKind, LetterPupilSnapshot, SentVia } from '../../domain/letters.ts';
import { createdAt } from './common.ts';
import { appUser } from './people.ts';
import { pupilRef } from './pupils.ts';

/** A school's letter templates, with merge fields ({{pupil.forename}}, {{plan.name}}, …). */
export const letterTemplate = pgTable(
  'letter_template',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    kind: text('kind').$type<LetterKind>().notNull(),
    name: text('name').notNull(),
    body: text('body').notNull(),
    /** A tear-off slip for the parent to sign and return (seed 000 Appendix D). */
    slip: text('slip'),
    updatedBy: uuid('updated_by').references(() => appUser.id),
    updatedByName: text('updated_by_name'),
    createdAt: createdAt(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    index('letter_template_kind_idx').on(t.schoolId, t.kind),
  ],
);

/**
 * A letter produced for a pupil's parents: the text as sent, when, to whom and how; and, for a letter
 * with a slip, when the signed slip came back.
 */
export const letter = pgTable(
  'letter',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    templateId: uuid('template_id'),
    kind: text('kind').$type<LetterKind>().notNull(),
    planId: uuid('plan_id'),
    recipients: text('recipients').notNull(),
    /**
     * The parents and carers the letter is addressed to, by their record (empty for "Parent/Carer"):
     * what decides which parent reads it online, whatever their names become.
     */
    recipientCarerIds: uuid('recipient_carer_ids').array().notNull().default(sql`'{}'::uuid[]`),
    body: text('body').notNull(),
    slip: text('slip'),
    /**
     * What the letter said about its pupil (the name and class in its heading and on its slip), kept as
     * it was sent: a letter reprinted after the pupil moves class still names the class it was about.
     */
    pupilAsSent: jsonb('pupil_as_sent').$type<LetterPupilSnapshot>().notNull(),
    sentOn: date('sent_on', { mode: 'string' }).notNull(),
    sentVia: text('sent_via').$type<SentVia>().notNull(),
    sentBy: uuid('sent_by').references(() => appUser.id),
    sentByName: text('sent_by_name').notNull(),
    slipExpected: boolean('slip_expected').notNull().default(false),
    slipReturnedOn: date('slip_returned_on', { mode: 'string' }),
    slipRecordedBy: uuid('slip_recorded_by').references(() => appUser.id),
    slipRecordedByName: text('slip_recorded_by_name'),
    slipNote: text('slip_note'),
    createdAt: createdAt(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    index('letter_pupil_idx').on(t.schoolId, t.pupilId, t.sentOn),
    index('letter_slip_idx').on(t.schoolId, t.slipExpected, t.slipReturnedOn),
    index('letter_id_idx').on(t.id),
  ],
);
