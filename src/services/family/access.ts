import type { Db, Executor } from '../../db/client.ts';
import { atLeast, type Level, type Section, sectionAccess } from '../../domain/access.ts';
import type { AuditAction } from '../../domain/audit.ts';
import { insertAuditEvents } from '../../repositories/audit.ts';
import { type ChildOfParent, childOfParent } from '../../repositories/family.ts';
import type { Actor } from '../kernel/actor.ts';
import { auditRowFor } from '../kernel/audit.ts';
import { requireKind } from '../kernel/authorise.ts';
import { NotFoundError } from '../kernel/errors.ts';
import { schoolUnitOfWork, type Work } from '../kernel/unit-of-work.ts';

/*
 * How a parent reaches a child (docs/adr/0039): only through a live link to the school's record of them
 * with parental responsibility and no court order, checked at every request (so a link ended, or
 * responsibility removed, while they are signed in refuses the next request). Anything else — another
 * family's child, at this school or another, an id that is no pupil — is "not found", audited where the
 * owning school sees it (services/kernel/refusals.ts). What of the record they see is decided by the
 * parent grant (domain/access.ts) and, within it, by what is shared with families (each service).
 */

export type ParentActor = Actor & { kind: 'parent' };

export const childNotFound = (pupilId: string) =>
  new NotFoundError('Child not found', { kind: 'pupil', id: pupilId });

export function requireParent(actor: Actor): ParentActor {
  return requireKind(actor, 'parent', 'This page is for parents and carers');
}

/** Whether the parent grant reads this section of their children's records. */
export function parentMayRead(actor: ParentActor, section: Section): boolean {
  return atLeast(sectionAccess(actor.roles, new Set(['own_children']))[section], 'read');
}

function checkSection(actor: ParentActor, pupilId: string, section: Section, level: Level) {
  const access = sectionAccess(actor.roles, new Set(['own_children']));
  if (!atLeast(access[section], level)) throw childNotFound(pupilId);
}

/** One of the parent's children: the pupil, their school, and the parent's own records there. */
export async function familyChild(
  db: Executor,
  actor: Actor,
  pupilId: string,
  need: { section: Section; level?: Level } = { section: 'directory' },
): Promise<ChildOfParent & { parent: ParentActor }> {
  const parent = requireParent(actor);
  checkSection(parent, pupilId, need.section, need.level ?? 'read');
  const child = await childOfParent(db, parent.userId, pupilId);
  if (!child) throw childNotFound(pupilId);
  return { ...child, parent };
}

export interface FamilyWork extends Work<ParentActor> {
  child: ChildOfParent;
}

/**
 * A change a parent makes for one of their children (views, a reply, consent, a concern): one
 * transaction on the school's chain, the link checked again inside it with the pupil row locked.
 */
export async function changeAsFamily<T>(
  db: Db,
  actor: Actor,
  pupilId: string,
  need: { section: Section; level: Level },
  work: (w: FamilyWork) => Promise<T>,
): Promise<T> {
  const parent = requireParent(actor);
  checkSection(parent, pupilId, need.section, need.level);
  // Which school: read outside the transaction, then checked again inside it under the lock.
  const first = await childOfParent(db, parent.userId, pupilId);
  if (!first) throw childNotFound(pupilId);
  return schoolUnitOfWork(db, parent, first.pupil.schoolId, async (w) => {
    const child = await childOfParent(w.tx, parent.userId, pupilId, { lock: true });
    if (!child) throw childNotFound(pupilId);
    return work({ ...w, child });
  });
}

/** A parent's read of their child's record, on the school's trail (read receipts are these rows). */
export function auditFamilyRead(
  db: Executor,
  actor: ParentActor,
  child: ChildOfParent,
  action: AuditAction,
  detail: Record<string, unknown> | null = null,
) {
  return insertAuditEvents(db, [
    auditRowFor({ kind: 'school', schoolId: child.pupil.schoolId }, actor, action, {
      pupilId: child.pupil.id,
      detail,
    }),
  ]);
}
