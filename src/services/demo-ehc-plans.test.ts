import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/db.ts';
import type { Database } from '../db/client.ts';
import { ehcPlan, ehcPlanVersion, ehcProvisionLink, organisationCase, school } from '../db/schema/index.ts';
import { mayStartDraftPlan } from '../domain/ehc-case.ts';
import type { PlanSections } from '../domain/ehc-plan.ts';
import { checkPlan } from '../domain/ehc-plan-check.ts';
import { isSchoolDay } from '../domain/school-days.ts';
import { DEMO_PASSWORD } from './demo.ts';
import { createServices, type Services } from './index.ts';
import { fixedClock } from './kernel/clock.ts';

/*
 * The demo's EHC plans as the authority and the schools see them, loaded on a day in December when the
 * parent's summer request has its draft plan with the parents: every case at a stage that means a plan
 * has one, made by the plan services on school days; and each school's plans are matched to the groups
 * that deliver them, leaving a little for the page to flag. Three schools, so the others build too.
 */

const TODAY = '2026-12-07';
let database: Database;
let services: Services;

async function signedIn(email: string) {
  const first = await services.auth.signIn({ email, password: DEMO_PASSWORD, address: '127.0.0.1' }, 'demo');
  if (!first.ok) throw new Error(`${email} cannot sign in`);
  const session = await services.auth.resolve(first.token, 'demo');
  if (session?.status !== 'live') throw new Error('no session');
  return session.actor;
}

beforeAll(async () => {
  database = await freshDatabase();
  services = createServices(database, fixedClock(TODAY), {
    auditCheckpoints: { directory: mkdtempSync(path.join(tmpdir(), 'opensend-checkpoints-')), keepDays: 14 },
  });
  await services.demo.load({ schools: 3, seed: 2026 }, 'demo-test');
}, 300_000);

afterAll(async () => {
  await database?.close();
});

describe('the demo’s EHC plans', () => {
  it('gives every case at a stage that means a plan its plan, the draft with the parents sent on the day it was served', async () => {
    const cases = await database.db
      .select()
      .from(organisationCase)
      .where(eq(organisationCase.kind, 'ehc_needs_assessment'));
    const plans = await database.db.select().from(ehcPlan);
    const atPlanStages = cases.filter((c) => mayStartDraftPlan(c.stage) && c.stage !== 'assessing');
    expect(atPlanStages.map((c) => c.stage)).toContain('draft_sent');
    for (const c of atPlanStages) expect(plans.some((p) => p.caseId === c.id)).toBe(true);

    const served = cases.find((c) => c.stage === 'draft_sent')!;
    const plan = plans.find((p) => p.caseId === served.id)!;
    expect(plan.status).toBe('draft');
    const [version] = await database.db
      .select()
      .from(ehcPlanVersion)
      .where(and(eq(ehcPlanVersion.planId, plan.id), eq(ehcPlanVersion.number, 1)));
    expect(version).toMatchObject({ stage: 'sent', sentOn: served.draftSentOn });
    expect(isSchoolDay(version!.sentOn!)).toBe(true);
    // Its 15 days ran before today: the parents' comments and the school's answer are recorded.
    expect(version!.commentsDueOn! < TODAY).toBe(true);
    expect(version!.parentsComments).toBeTruthy();
    expect(isSchoolDay(version!.parentsCommentsOn!)).toBe(true);
    expect(version!.consultedAnswer).toBeTruthy();
    // The draft names no school and passes the plan-quality check.
    const sections = version!.sections as PlanSections;
    expect(sections.i).toBeNull();
    expect(sections.f.provision.length).toBeGreaterThan(0);
    expect(checkPlan(sections)).toEqual([]);

    // The caseworker opens it from the case.
    const officer = await signedIn('officer@northshire.example');
    expect((await services.ehcPlans.planOfCase(officer, served.id))?.id).toBe(plan.id);
  });

  it('links most of each school’s plan provision to the pupils’ groups now, leaving a little for the page to flag', async () => {
    const schools = await database.db.select().from(school).orderBy(school.name);
    expect(schools).toHaveLength(3);
    const senco = await signedIn('senco@brookfield.example');
    const page = await services.schoolEhcPlans.provisionBeside(senco, { audit: false });
    const items = page.rows.flatMap((r) => r.provision);
    expect(page.rows.length).toBeGreaterThan(5);
    expect(page.notDelivered).toBeGreaterThanOrEqual(1);
    expect(page.notDelivered).toBeLessThan(items.length / 4);
    for (const row of page.rows) {
      const groups = new Set(row.groups.map((g) => g.groupId));
      for (const item of row.provision)
        for (const link of item.links) {
          expect(link.current).toBe(true);
          expect(groups.has(link.groupId)).toBe(true);
        }
    }
    // Every school of the demo has its links, made by its own SENCo.
    const links = await database.db.select().from(ehcProvisionLink);
    for (const s of schools) expect(links.some((l) => l.schoolId === s.id)).toBe(true);
  });
});
