import { and, desc, eq } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { appUser, auditEvent } from '../db/schema.ts';

export interface AuditInput {
  schoolId: string | null;
  userId: string | null;
  role: string | null;
  action: string;
  pupilId?: string | null;
  requestId?: string | null;
  detail?: Record<string, unknown> | null;
}

export async function insertAuditEvent(db: Executor, event: AuditInput): Promise<void> {
  await insertAuditEvents(db, [event]);
}

export async function insertAuditEvents(db: Executor, events: AuditInput[]): Promise<void> {
  if (events.length === 0) return;
  await db.insert(auditEvent).values(
    events.map((event) => ({
      schoolId: event.schoolId,
      userId: event.userId,
      role: event.role,
      action: event.action,
      pupilId: event.pupilId ?? null,
      requestId: event.requestId ?? null,
      detail: event.detail ?? null,
    })),
  );
}

export async function auditEventsForPupil(db: Executor, schoolId: string, pupilId: string, limit = 500) {
  return db
    .select({
      id: auditEvent.id,
      occurredAt: auditEvent.occurredAt,
      userId: auditEvent.userId,
      userName: appUser.name,
      role: auditEvent.role,
      action: auditEvent.action,
      requestId: auditEvent.requestId,
      detail: auditEvent.detail,
    })
    .from(auditEvent)
    .leftJoin(appUser, eq(appUser.id, auditEvent.userId))
    .where(and(eq(auditEvent.schoolId, schoolId), eq(auditEvent.pupilId, pupilId)))
    .orderBy(desc(auditEvent.occurredAt), desc(auditEvent.id))
    .limit(limit);
}
