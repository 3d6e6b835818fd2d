import { describe, expect, it } from 'vitest';
import { Client, useApp } from '../../../../test/client.ts';

const t = useApp();

describe('a child’s first page for their parent', () => {
  it('opens from the list of their children, and names the child and the school', async () => {
    const client = new Client(t.app);
    await client.signIn(t.w.parent.email);
    const list = await client.get('/children');
    expect(list.body).toContain(`/children/${t.w.pupilK.id}`);
    const page = await client.get(`/children/${t.w.pupilK.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(t.w.pupilK.surname);
  });

  it('is "not found" for another child, at the same school and at another, and for staff', async () => {
    const client = new Client(t.app);
    await client.signIn(t.w.parent.email);
    for (const id of [t.w.pupilA.id, t.w.otherPupil.id, 'not-an-id']) {
      expect((await client.get(`/children/${id}`)).statusCode).toBe(404);
    }
    const staff = new Client(t.app);
    await staff.signIn(t.w.senco.email);
    expect((await staff.get(`/children/${t.w.pupilK.id}`)).statusCode).toBe(403);
  });
});
