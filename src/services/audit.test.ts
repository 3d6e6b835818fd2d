import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpWorld, type World } from '../../test/builders.ts';
import type { Database } from '../db/client.ts';
import { auditEvent } from '../db/schema.ts';
import { ForbiddenError } from './errors.ts';
import type { Services } from './index.ts';

let database: Database;
let services: Services;
let w: World;

beforeAll(async () => {
  ({ database, services, w } = await setUpWorld());
  await services.pupils.view(w.teacherA.actor, w.pupilK.id);
});
afterAll(() => database.close());

describe('the audit trail', () => {
  it('is append-only: the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    await expect(database.db.execute(sql`update audit_event set action = 'x'`)).rejects.toThrow();
    await expect(database.db.execute(sql`delete from audit_event`)).rejects.toThrow();
    await expect(database.db.execute(sql`truncate audit_event`)).rejects.toThrow();
    const n = await database.db.select({ n: sql<number>`count(*)::int` }).from(auditEvent);
    expect(n[0]?.n).toBeGreaterThan(0);
  });

  it('shows the SENCo and head who has seen a pupil, and nobody else', async () => {
    const trail = await services.records.pupilAuditTrail(w.head.actor, w.pupilK.id);
    expect(
      trail.events.some(
        (e) => e.action === 'pupil.viewed' && e.userName === 'Tara Teacher' && e.role === 'class_teacher',
      ),
    ).toBe(true);
    await expect(services.records.pupilAuditTrail(w.teacherA.actor, w.pupilK.id)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });
});
