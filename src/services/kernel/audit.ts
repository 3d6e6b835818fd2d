import type { Executor } from '../../db/client.ts';
import type { AuditAction } from '../../domain/audit.ts';
import { type AuditInput, insertAuditEvents } from '../../repositories/audit.ts';
import { type Actor, rolesText } from './actor.ts';

export interface AuditOptions {
  pupilId?: string | null;
  detail?: Record<string, unknown> | null;
  shownPupilIds?: readonly string[];
}

export function auditRow(actor: Actor, action: AuditAction, options: AuditOptions = {}): AuditInput {
  return {
    schoolId: actor.schoolId,
    userId: actor.userId,
    role: rolesText(actor),
    action,
    pupilId: options.pupilId ?? null,
    requestId: actor.requestId,
    detail: options.detail ?? null,
    ...(options.shownPupilIds ? { shownPupilIds: options.shownPupilIds } : {}),
  };
}

/** Write one audit row for this actor (a read; changes audit through the unit of work). */
export function audit(db: Executor, actor: Actor, action: AuditAction, options: AuditOptions = {}) {
  return insertAuditEvents(db, [auditRow(actor, action, options)]);
}
