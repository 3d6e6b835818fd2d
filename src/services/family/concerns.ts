import { randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { concern } from '../../db/schema/index.ts';
import { AREAS_OF_NEED, type AreaOfNeed } from '../../domain/census.ts';
import {
  FAMILY_AREA_WORDS,
  FAMILY_CONCERN_MAX,
  FAMILY_OUTCOME_WORDS,
  familyConcernStatus,
} from '../../domain/family-concerns.ts';
import { HIDDEN_IN_LONG_TEXT } from '../../domain/text.ts';
import { insertConcerns } from '../../repositories/concerns.ts';
import type { Actor } from '../kernel/actor.ts';
import type { Clock } from '../kernel/clock.ts';
import { type FieldError, ValidationError } from '../kernel/errors.ts';
import { auditFamilyRead, changeAsFamily, familyChild } from './access.ts';

/*
 * A concern raised by a parent online (docs/adr/0039, seed 003): a concern with source `parent`, raised
 * by the parent's name as the school holds it, that arrives for the SENCo like any other (the open
 * concerns list, the dashboard's "concerns waiting") marked as from a parent. The parent sees the
 * concerns they raised and what the school decided, in plain words; never the school's notes.
 */

export interface FamilyConcernInput {
  /** What worries them, in their own words. */
  worry: string;
  /** Which areas it is about, if they want to say. */
  areasOfNeed: AreaOfNeed[];
}

const RAISE = { section: 'directory', level: 'read' } as const;

export function createFamilyConcernService(database: Database, clock: Clock) {
  const { db } = database;

  return {
    /** The child for the concern form (and the areas in everyday words). */
    async form(actor: Actor, pupilId: string) {
      const child = await familyChild(db, actor, pupilId);
      return {
        pupilId: child.pupil.id,
        childName: `${child.pupil.preferredName ?? child.pupil.forename} ${child.pupil.surname}`,
        schoolName: child.schoolName,
        areas: AREAS_OF_NEED.map((a) => ({ value: a, text: FAMILY_AREA_WORDS[a] })),
      };
    },

    /** The concerns this parent raised about this child, newest first, and what happened to each. */
    async list(actor: Actor, pupilId: string) {
      const child = await familyChild(db, actor, pupilId);
      const rows = await db
        .select({
          id: concern.id,
          concernDate: concern.concernDate,
          reasons: concern.reasons,
          areasOfNeed: concern.areasOfNeed,
          status: concern.status,
          outcome: concern.outcome,
          reviewedOn: concern.reviewedOn,
        })
        .from(concern)
        .where(
          and(
            eq(concern.schoolId, child.pupil.schoolId),
            eq(concern.pupilId, child.pupil.id),
            eq(concern.source, 'parent'),
            eq(concern.raisedBy, child.parent.userId),
          ),
        )
        .orderBy(desc(concern.createdAt), desc(concern.id))
        .limit(100);
      await auditFamilyRead(db, child.parent, child, 'family.read', {
        record: 'concerns',
        count: rows.length,
      });
      return {
        pupilId: child.pupil.id,
        childName: `${child.pupil.preferredName ?? child.pupil.forename} ${child.pupil.surname}`,
        schoolName: child.schoolName,
        concerns: rows.map((r) => ({
          id: r.id,
          raisedOn: r.concernDate,
          worry: r.reasons,
          areas: r.areasOfNeed.map((a) => FAMILY_AREA_WORDS[a] ?? a),
          status: familyConcernStatus(r.status),
          open: r.status === 'open',
          lookedAtOn: r.reviewedOn,
          // What the school decided, in plain words: never the action notes staff wrote.
          outcome: r.outcome ? FAMILY_OUTCOME_WORDS[r.outcome] : null,
        })),
      };
    },

    /** Raise a concern: it arrives for the SENCo marked as from a parent. Hostile text is refused. */
    async raise(actor: Actor, pupilId: string, input: FamilyConcernInput): Promise<string> {
      const worry = input.worry.replace(/\r\n?/g, '\n').trim();
      const errors: FieldError[] = [];
      if (!worry) errors.push({ field: 'worry', message: 'Tell the school what worries you' });
      else if (HIDDEN_IN_LONG_TEXT.test(worry))
        errors.push({
          field: 'worry',
          message: 'What worries you must not contain hidden control characters: type or paste it again',
        });
      else if (worry.length > FAMILY_CONCERN_MAX)
        errors.push({
          field: 'worry',
          message: `What worries you must be ${FAMILY_CONCERN_MAX} characters or fewer`,
        });
      if (!input.areasOfNeed.every((a) => (AREAS_OF_NEED as readonly string[]).includes(a)))
        errors.push({ field: 'areasOfNeed', message: 'Choose from the list, or leave it blank' });
      if (errors.length > 0) throw new ValidationError(errors);
      const id = randomUUID();
      await changeAsFamily(db, actor, pupilId, RAISE, async (w) => {
        const carer = w.child.carers[0]!;
        await insertConcerns(w.tx, [
          {
            schoolId: w.child.pupil.schoolId,
            id,
            pupilId: w.child.pupil.id,
            kind: 'send',
            concernDate: clock.today(),
            reasons: worry,
            classroomEvidence: '',
            areasOfNeed: [...new Set(input.areasOfNeed)],
            interventionsTried: [],
            source: 'parent',
            raisedBy: w.actor.userId,
            raisedByName: carer.name,
            raisedByRole: 'parent',
          },
        ]);
        w.audit('family.concern_raised', { pupilId: w.child.pupil.id, detail: { concernId: id } });
      });
      return id;
    },
  };
}

export type FamilyConcernService = ReturnType<typeof createFamilyConcernService>;
