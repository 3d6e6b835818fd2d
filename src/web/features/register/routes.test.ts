import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { Client, useApp } from '../../../../test/client.ts';
import { auditEvent, pupil, registerEntry } from '../../../db/schema/index.ts';

const t = useApp();

describe('SEN decisions keep what the SENCo typed when a rule is broken', () => {
  it('explains the census rule on the change-stage form and saves nothing', async () => {
    const client = new Client(t.app);
    await client.signIn(t.w.senco.email);
    await client.get(`/pupils/${t.w.pupilA.id}/register`);
    const response = await client.post(`/pupils/${t.w.pupilA.id}/register`, {
      version: '1',
      stage: 'ehc_plan',
      primaryNeed: 'NSA',
      'effectiveDate-day': '2',
      'effectiveDate-month': '11',
      'effectiveDate-year': '2026',
      reason: 'EHC plan issued by the local authority',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(
      'NSA (no specialist assessment) can only be used for pupils at SEN support',
    );
    expect(response.body).toContain('EHC plan issued by the local authority');
    expect(response.body).toMatch(/value="ehc_plan" checked/);
    const entries = await t.database.db
      .select()
      .from(registerEntry)
      .where(eq(registerEntry.pupilId, t.w.pupilA.id));
    expect(entries).toHaveLength(0);
  });
});

describe('the register', () => {
  it('downloads as CSV with formulas neutralised', async () => {
    await t.database.db
      .update(pupil)
      .set({ surname: '=HYPERLINK("http://evil.example","x")' })
      .where(eq(pupil.id, t.w.pupilE.id));
    const client = new Client(t.app);
    await client.signIn(t.w.senco.email);
    const response = await client.get('/register.csv');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    expect(response.headers['content-disposition']).toContain('attachment; filename="sen-register-');
    expect(response.body).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(response.body).toContain('Kowalski,Kit');
    expect(response.body).not.toContain('Adebayo');
    await t.database.db.update(pupil).set({ surname: 'Evans' }).where(eq(pupil.id, t.w.pupilE.id));
  });

  it('filters by stage and shows counts', async () => {
    const client = new Client(t.app);
    await client.signIn(t.w.senco.email);
    const response = await client.get('/register?stage=ehc_plan');
    expect(response.body).toContain('Evans, Eli');
    expect(response.body).not.toContain('Kowalski, Kit');
    expect(response.body).toContain('1 pupil listed');
  });

  it('leaves an audit entry when a user asks for another school’s pupil', async () => {
    const client = new Client(t.app);
    await client.signIn(t.w.senco.email);
    const response = await client.get(`/pupils/${t.w.otherPupil.id}`);
    expect(response.statusCode).toBe(404);
    const rows = await t.database.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.pupilId, t.w.otherPupil.id));
    expect(rows.map((r) => r.action)).toContain('access.probe_from_other_school');
    expect(rows.every((r) => r.requestId)).toBe(true);
  });
});

describe('the termly review and the register flag pupils left too long', () => {
  it('flags pupils not reviewed for over a term, skips one for now and counts those still to do', async () => {
    const client = new Client(t.app);
    await client.signIn(t.w.senco.email);
    const register = await client.get('/register');
    expect(register.body).toContain('Not reviewed for over a term');
    const review = await client.get('/register/review');
    expect(review.body).toMatch(
      /app-count__number">2<\/span><span class="app-count__label">still to review this term/,
    );
    const first = await client.get(`/register/review/${t.w.pupilE.id}`);
    expect(first.body).toContain('2 pupils still to review this term, Eli included');
    const skipped = await client.post(`/register/review/${t.w.pupilE.id}/skip`);
    expect(skipped.statusCode).toBe(303);
    expect(skipped.headers.location).toBe(`/register/review/${t.w.pupilK.id}`);
    const after = await client.get('/register/review');
    expect(after.body).toContain('Left until later');
    expect(after.body).toContain('(1 left until later)');
  });
});
