import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../src/db/client.ts';
import { parentCarer } from '../../src/db/schema/index.ts';
import { insertLetters, type LetterInsert } from '../../src/repositories/letters.ts';
import { uuid } from './common.ts';
import { buildPupil } from './pupils.ts';

type LetterPupil = { id: string; schoolId: string; forename: string; surname: string };

/**
 * A letter sent home about a pupil, as produced (traits: its kind, the day and way it went, a slip
 * expected back, and the day it came back). Builds a pupil, and their school, unless given one
 * (`pupil`: a built pupil, whose name the letter keeps as sent).
 */
export async function buildLetter(
  db: Executor,
  options: Partial<Omit<LetterInsert, 'schoolId' | 'pupilId'>> & {
    pupil?: LetterPupil;
    schoolId?: string;
  } = {},
) {
  const { pupil: given, schoolId, ...rest } = options;
  const pupil: LetterPupil = given ?? (await buildPupil(db, schoolId ? { schoolId } : {}));
  const slip = rest.slip ?? null;
  const row = {
    id: uuid(),
    kind: 'other' as const,
    templateId: null,
    planId: null,
    recipients: 'Parent/Carer',
    body: `Dear Parent/Carer,\n\nA letter about ${pupil.forename}.`,
    pupilAsSent: { forename: pupil.forename, surname: pupil.surname, className: null },
    sentOn: '2026-11-02',
    sentVia: 'post' as const,
    sentByName: 'Test builder',
    slipExpected: slip !== null,
    ...rest,
    slip,
    schoolId: pupil.schoolId,
    pupilId: pupil.id,
  } satisfies LetterInsert as LetterInsert;
  // Named recipients without their records: the pupil's parents and carers whose names the letter
  // names (as the school chose them when it was sent).
  if (rest.recipientCarerIds === undefined && row.recipients !== 'Parent/Carer') {
    const carers = await db
      .select({ id: parentCarer.id, name: parentCarer.name })
      .from(parentCarer)
      .where(and(eq(parentCarer.schoolId, pupil.schoolId), eq(parentCarer.pupilId, pupil.id)));
    row.recipientCarerIds = carers.filter((c) => row.recipients.includes(c.name)).map((c) => c.id);
  }
  await insertLetters(db, [row]);
  return row;
}
