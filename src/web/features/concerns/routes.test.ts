import { describe, expect, it } from 'vitest';
import { buildConcern, testServices } from '../../../../test/builders/index.ts';
import { Client, useApp } from '../../../../test/client.ts';

const t = useApp();

describe('reviewing a concern keeps what the SENCo typed when a rule is broken', () => {
  it('asks for the primary need when a concern leads to SEN support, and leaves the concern open', async () => {
    const services = testServices(t.database);
    const { id: concernId } = await buildConcern(t.database.db, {
      schoolId: t.w.school.id,
      pupilId: t.w.pupilA.id,
      concernDate: '2026-11-10',
      raiser: { userId: t.w.teacherA.actor.userId, name: 'Tara Teacher' },
    });
    const client = new Client(t.app);
    await client.signIn(t.w.senco.email);
    await client.get(`/concerns/${concernId}/review`);
    const response = await client.post(`/concerns/${concernId}/review`, {
      version: '1',
      outcome: 'sen_support',
      actionTaken: 'Support plan with parents',
      'reviewedOn-day': '12',
      'reviewedOn-month': '11',
      'reviewedOn-year': '2026',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Select the primary need for a pupil at SEN support');
    expect(response.body).toContain('Support plan with parents');
    const still = await services.concerns.view(t.w.senco.actor, concernId);
    expect(still.concern.status).toBe('open');
  });
});

describe('the review page', () => {
  it('shows the pupil’s factors, earlier concerns and register history, and starts a plan with the outcome', async () => {
    const services = testServices(t.database);
    const { id: concernId } = await buildConcern(t.database.db, {
      schoolId: t.w.school.id,
      pupilId: t.w.pupilK.id,
      concernDate: '2026-11-12',
      reasons: 'Finds new vocabulary hard to keep',
      classroomEvidence: 'Word tests',
      areasOfNeed: ['communication_and_interaction'],
      interventionsTried: [{ intervention: 'Talk Boost', frequency: 'Twice a week', duration: '8 weeks' }],
      raiser: { userId: t.w.teacherA.actor.userId, name: 'Tara Teacher' },
    });
    const client = new Client(t.app);
    await client.signIn(t.w.senco.email);
    const page = await client.get(`/concerns/${concernId}/review`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('About Kit');
    expect(page.body).toContain('Talk Boost: Twice a week, for 8 weeks');
    expect(page.body).toContain('Earlier concerns');
    expect(page.body).toContain('SEN register history');
    expect(page.body).toContain('Start a SEN Support Plan now');
    const done = await client.post(`/concerns/${concernId}/review`, {
      version: '1',
      outcome: 'sen_support',
      primaryNeed: 'SLCN',
      startPlan: 'yes',
      actionTaken: 'Plan to be written with parents',
      'reviewedOn-day': '20',
      'reviewedOn-month': '11',
      'reviewedOn-year': '2026',
    });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/pupils/${t.w.pupilK.id}`);
    const plan = await services.plans.currentOf(t.w.senco.actor, t.w.pupilK.id);
    expect(plan?.status).toBe('draft');
  });
});
