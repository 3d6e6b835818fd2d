import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFinalPlan, buildOfficer, buildReviewDecision } from '../../../../test/builders/index.ts';
import { Client, useApp } from '../../../../test/client.ts';
import { ehcPlan, ehcReviewDecision } from '../../../db/schema/index.ts';

/*
 * The authority's annual reviews through the app: the list shows Kit's report waiting for a decision;
 * the decision page shows the school's report, escaped; a decision with bad input is shown again with the
 * text kept and nothing saved; a stale form shows the decision as it is now; keeping the plan moves its
 * review on; another authority's decision is not found; the school's staff are refused.
 */
const t = useApp();
let officer: Client;
let senco: Client;
let planId: string;
let decisionId: string;

beforeAll(async () => {
  officer = new Client(t.app);
  await officer.signIn(t.w.officer.email);
  senco = new Client(t.app);
  await senco.signIn(t.w.senco.email);
  const plan = await buildFinalPlan(t.database.db, t.w.pupilK, t.w.officer.organisationId, {
    issuedOn: '2025-11-25',
  });
  planId = plan.planId;
  ({ decisionId } = await buildReviewDecision(
    t.database.db,
    plan,
    { ...t.w.pupilK, surname: 'Kowalski <b>bold</b>' },
    { meetingOn: '2026-11-10' },
  ));
});

const form = (extra: Record<string, string> = {}) => ({
  version: '1',
  decision: 'keep',
  'decidedOn-day': '18',
  'decidedOn-month': '11',
  'decidedOn-year': '2026',
  reasons: '',
  ceaseReason: '',
  ...extra,
});

describe('the authority’s annual reviews pages', () => {
  it('lists the report waiting for a decision and opens it, with the school’s report escaped', async () => {
    const list = await officer.get('/organisation/reviews?show=decisions');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Reports waiting for a decision');
    expect(list.body).toContain(`/organisation/reviews/${decisionId}`);
    // Where next term's lists to head teachers stand (none sent in this test's world).
    expect(list.body).toMatch(/The termly lists to head teachers for the .+ term go out by themselves from/);
    expect(list.body).toContain('Decision due by 8 December 2026');
    const page = await officer.get(`/organisation/reviews/${decisionId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('The school’s report');
    expect(page.body).toContain('Kowalski &lt;b&gt;bold&lt;/b&gt;');
    expect(page.body).not.toContain('<b>bold</b>');
    expect(page.body).toContain('Record the decision');
  });

  it('shows a decision with bad input again with its messages and the text kept; nothing saved', async () => {
    const response = await officer.post(
      `/organisation/reviews/${decisionId}`,
      form({ decision: 'cease', reasons: 'Kept text', 'decidedOn-day': '31', 'decidedOn-month': '2' }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('govuk-error-summary');
    expect(response.body).toContain('Kept text');
    const [row] = await t.database.db
      .select()
      .from(ehcReviewDecision)
      .where(eq(ehcReviewDecision.id, decisionId));
    expect(row?.decision).toBeNull();
  });

  it('refuses a stale form with the decision as it is now, then keeps the plan', async () => {
    const stale = await officer.post(`/organisation/reviews/${decisionId}`, form({ version: '9' }));
    expect(stale.statusCode).toBe(409);
    const kept = await officer.post(`/organisation/reviews/${decisionId}`, form());
    expect(kept.statusCode).toBe(303);
    expect(kept.headers.location).toBe(`/organisation/reviews/${decisionId}`);
    const page = await officer.get(`/organisation/reviews/${decisionId}`);
    expect(page.body).toContain('Decision recorded: the plan is kept');
    expect(page.body).toContain('within the four weeks');
    const [plan] = await t.database.db.select().from(ehcPlan).where(eq(ehcPlan.id, planId));
    expect(plan).toMatchObject({ lastReviewOn: '2026-11-10', reviewDueOn: '2027-11-09' });
    // Decided once: the form is gone, and a second post is refused.
    expect(page.body).not.toContain('name="decision"');
    expect(
      (await officer.post(`/organisation/reviews/${decisionId}`, form({ version: '2' }))).statusCode,
    ).toBe(409);
  });

  it('is not found by another authority, and refused to the school', async () => {
    const elsewhere = await buildOfficer(t.database.db);
    const other = new Client(t.app);
    await other.signIn(elsewhere.email);
    expect((await other.get(`/organisation/reviews/${decisionId}`)).statusCode).toBe(404);
    expect((await other.post(`/organisation/reviews/${decisionId}`, form())).statusCode).toBe(404);
    expect((await senco.get('/organisation/reviews')).statusCode).toBe(403);
    expect((await senco.get(`/organisation/reviews/${decisionId}`)).statusCode).toBe(403);
  });
});
