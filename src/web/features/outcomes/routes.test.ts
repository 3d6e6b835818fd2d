import { describe, expect, it } from 'vitest';
import { Client, useApp } from '../../../../test/client.ts';

const t = useApp();

async function signedIn(email: string) {
  const client = new Client(t.app);
  await client.signIn(email);
  return client;
}

describe('a pupil’s outcomes pages', () => {
  it('names an outcome, rates it at a review and shows the rating in the table, keeping input on a mistake', async () => {
    const senco = await signedIn(t.w.senco.email);
    const url = `/pupils/${t.w.pupilK.id}/outcomes`;
    expect((await senco.get(url)).body).toContain('No outcomes have been named');
    const bad = await senco.post(url, { area: 'maths', description: 'Counts to 20' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Select the area of the outcome');
    expect(bad.body).toContain('Counts to 20');
    expect(
      (await senco.post(url, { area: 'independence', description: 'Packs his own bag' })).statusCode,
    ).toBe(303);
    const form = await senco.get(`${url}/ratings`);
    const id = /name="rating-([0-9a-f-]{36})"/.exec(form.body)![1]!;
    const missing = await senco.post(`${url}/ratings`, {
      'ratedOn-day': '20',
      'ratedOn-month': '11',
      'ratedOn-year': '2026',
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Rate “Packs his own bag” from 1 to 5');
    const saved = await senco.post(`${url}/ratings`, {
      'ratedOn-day': '20',
      'ratedOn-month': '11',
      'ratedOn-year': '2026',
      [`rating-${id}`]: '3',
      [`note-${id}`]: 'With a checklist',
    });
    expect(saved.statusCode).toBe(303);
    const page = await senco.get(url);
    expect(page.body).toContain('With a checklist');
    expect(page.body).toContain('20 November 2026');
    const other = await signedIn(t.w.otherSenco.email);
    expect((await other.get(url)).statusCode).toBe(404);
  });
});
