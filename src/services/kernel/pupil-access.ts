import type { Executor } from '../../db/client.ts';
import { atLeast, type Level, type Section, sectionAccess } from '../../domain/access.ts';
import { findPupilWithReach } from '../../repositories/pupils.ts';
import { type SchoolActor, scopeOf } from './actor.ts';
import { NotFoundError } from './errors.ts';

/**
 * A pupil the actor reaches in `section` at `level`, with their access to every section of the
 * record; otherwise "not found" (the web layer audits the refusal where the owning school sees it).
 */
export async function pupilFor(
  db: Executor,
  actor: SchoolActor,
  pupilId: string,
  need: { section: Section; level?: Level },
) {
  const found = await findPupilWithReach(db, scopeOf(actor), pupilId);
  const access = found ? sectionAccess(actor.roles, found.reaches) : null;
  if (!found || !access || !atLeast(access[need.section], need.level ?? 'read')) {
    throw new NotFoundError('Pupil not found', { kind: 'pupil', id: pupilId });
  }
  return { pupil: found.pupil, className: found.className, access };
}
