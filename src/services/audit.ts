import type { Executor } from '../db/client.ts';
import { insertAuditEvent } from '../repositories/audit.ts';
import type { Actor } from './actor.ts';

/** Write one audit row for this actor, in the caller's transaction. */
export function audit(
  db: Executor,
  actor: Actor,
  action: string,
  pupilId: string | null = null,
  detail: Record<string, unknown> | null = null,
): Promise<void> {
  return insertAuditEvent(db, {
    schoolId: actor.schoolId,
    userId: actor.userId,
    role: actor.role,
    action,
    pupilId,
    requestId: actor.requestId,
    detail,
  });
}
