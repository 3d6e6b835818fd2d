import { eq, like } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { TODAY, testServices } from '../../test/builders/index.ts';
import { actorFor } from '../../test/builders/people.ts';
import { freshDatabase } from '../../test/db.ts';
import type { Database } from '../db/client.ts';
import { appUser, complaint, complaintStage, school, staffTraining } from '../db/schema/index.ts';
import type { Role } from '../domain/access.ts';
import { createServices } from './index.ts';
import { fixedClock } from './kernel/clock.ts';

/*
 * The demo's complaints log, staff training and SENCO appointment: realistic, and the same on any day
 * (the fixed test date, and the first day of an academic year, when little of it has passed).
 */

const opened: Database[] = [];
afterAll(async () => {
  for (const d of opened) await d.close();
});

async function demoOn(today: string) {
  const database = await freshDatabase();
  opened.push(database);
  const services = today === TODAY ? testServices(database) : createServices(database, fixedClock(today), {});
  await services.demo.load({ schools: 1, seed: 7 }, 'demo-test');
  const [{ id: schoolId }] = (await database.db.select({ id: school.id }).from(school)) as [{ id: string }];
  const person = async (local: string, roles: Role[]) => {
    const [u] = await database.db
      .select()
      .from(appUser)
      .where(like(appUser.email, `${local}@%`));
    return actorFor(u!.id, u!.name, u!.email, roles, schoolId);
  };
  return { database, services, schoolId, person };
}

describe.each([TODAY, '2027-09-01'])('the demo made on %s', (today) => {
  it('has a complaints log, two years of training with an INSET day, a plan with a gap, and the SENCO’s countdown', async () => {
    const { database, services, person } = await demoOn(today);
    const senco = await person('senco', ['senco', 'class_teacher']);
    const head = await person('head', ['head_teacher']);
    const log = await services.complaints.list(head);
    const all = await database.db.select().from(complaint);
    expect(all.filter((c) => c.kind === 'concern' && c.outcome === 'resolved')).toHaveLength(2);
    const partly = all.find((c) => c.outcome === 'partly_upheld');
    expect(partly?.stage).toBe('head_teacher');
    const open = all.find((c) => c.status === 'open')!;
    expect(open.aboutUserIds).toHaveLength(1);
    const [openStage] = await database.db
      .select()
      .from(complaintStage)
      .where(eq(complaintStage.complaintId, open.id));
    expect(openStage!.responseDueOn >= today).toBe(true);
    expect(log.complaints.map((c) => c.id)).toContain(open.id);
    // It is about a class teacher's practice (the service tests show who it is hidden from).
    const [aboutUser] = await database.db.select().from(appUser).where(eq(appUser.id, open.aboutUserIds[0]!));
    expect(aboutUser?.email).toMatch(/^teacher/);

    const training = await services.training.school(senco);
    expect(training.records.some((r) => r.course.startsWith('INSET'))).toBe(true);
    expect(training.needs.some((n) => n.gap)).toBe(true);
    // Each planned item sits under its own area of need.
    const TITLE_AREA: Record<string, string | null> = {
      'Speech and language screening with the NHS team': 'communication_and_interaction',
      'Precision teaching refresher': 'cognition_and_learning',
      'Emotion coaching refresher': 'social_emotional_and_mental_health',
      'Sensory circuits in the morning': 'sensory_and_physical',
    };
    const planned = training.plan.filter((p) => p.title in TITLE_AREA);
    expect(planned.length).toBeGreaterThan(0);
    for (const p of planned) expect(p.needArea).toBe(TITLE_AREA[p.title]);
    // The complainant is named, and their relationship says whose parent they are.
    expect(all.every((c) => !c.complainantName.startsWith('Parent of'))).toBe(true);
    expect(all.some((c) => /^(Mother|Father) of /.test(c.complainantRelationship ?? ''))).toBe(true);
    const lastYear = await services.training.school(senco, training.academicYear - 1);
    expect(lastYear.records.length).toBeGreaterThan(5);
    const rows = await database.db.select().from(staffTraining);
    expect(rows.every((r) => r.completedOn <= today)).toBe(true);
    const countdowns = await services.training.sencoCountdowns(head);
    expect(countdowns).toHaveLength(1);
    expect(countdowns[0]?.text).toMatch(/must achieve the NPQ for SENCOs by .*: (21|22) months left/);
  }, 180_000);
});
