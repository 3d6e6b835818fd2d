import type { Executor } from '../../db/client.ts';
import type { AuditAction } from '../../domain/audit.ts';
import { ownerColumns, ownerOf, type RecordOwner } from '../../domain/owners.ts';
import { type AuditInput, insertAuditEvents } from '../../repositories/audit.ts';
import { type Actor, rolesText } from './actor.ts';

export interface AuditOptions {
  pupilId?: string | null;
  detail?: Record<string, unknown> | null;
  shownPupilIds?: readonly string[];
}

/**
 * The audit row of something an actor did or saw, on their owner's chain: the school they work in, the
 * organisation an officer acts for, else the installation's.
 */
export function auditRow(actor: Actor, action: AuditAction, options: AuditOptions = {}): AuditInput {
  return {
    ...ownerColumns(ownerOf(actor)),
    userId: actor.userId,
    role: rolesText(actor),
    action,
    pupilId: options.pupilId ?? null,
    requestId: actor.requestId,
    detail: options.detail ?? null,
    ...(options.shownPupilIds ? { shownPupilIds: options.shownPupilIds } : {}),
  };
}

/**
 * The audit row of something an actor did that belongs on another owner's chain as well as their own: a
 * school's request received into a local authority's caseload is on the school's chain as sent and on
 * the authority's as received.
 */
export function auditRowFor(
  owner: RecordOwner,
  actor: Actor,
  action: AuditAction,
  options: AuditOptions = {},
): AuditInput {
  return { ...auditRow(actor, action, options), ...ownerColumns(owner) };
}

/** Write one audit row for this actor (a read; changes audit through the unit of work). */
export function audit(db: Executor, actor: Actor, action: AuditAction, options: AuditOptions = {}) {
  return insertAuditEvents(db, [auditRow(actor, action, options)]);
}
