import { randomUUID } from 'node:crypto';
import type { Executor } from '../../db/client.ts';
import type { ClassMoveSource } from '../../domain/classes.ts';
import type { IsoDate } from '../../domain/dates.ts';
import { type ClassMoveInsert, insertClassMoves } from '../../repositories/classes.ts';
import type { SchoolActor } from '../kernel/actor.ts';

export interface ClassMove {
  pupilId: string;
  fromClassId: string | null;
  toClassId: string | null;
}

/** The dated record of pupils' moves between classes (the pupil's chronology shows each). */
export async function recordClassMoves(
  tx: Executor,
  actor: SchoolActor,
  moves: readonly ClassMove[],
  movedOn: IsoDate,
  source: ClassMoveSource,
): Promise<void> {
  const rows: ClassMoveInsert[] = moves.map((m) => ({
    schoolId: actor.schoolId,
    id: randomUUID(),
    pupilId: m.pupilId,
    fromClassId: m.fromClassId,
    toClassId: m.toClassId,
    movedOn,
    source,
    movedBy: actor.userId,
    movedByName: actor.name,
  }));
  await insertClassMoves(tx, rows);
}

/** What the audit row of a move says: "Class: Oak → Ash". */
export function moveChanges(fromName: string | null, toName: string | null) {
  return [{ label: 'Class', from: fromName ?? '(none)', to: toName ?? '(none)' }];
}
