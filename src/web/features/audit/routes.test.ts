import { and, desc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { Client, useApp } from '../../../../test/client.ts';
import { auditEvent } from '../../../db/schema/index.ts';

const t = useApp();

async function senco() {
  const client = new Client(t.app);
  await client.signIn(t.w.senco.email);
  // Something in the trail under each filter below: a pupil viewed and the school's trail viewed.
  await client.get(`/pupils/${t.w.pupilA.id}`);
  return client;
}

/** The rows of the trail's table on a page (each has a "When" cell). */
const rowsShown = (html: string) =>
  Math.max(0, (html.match(/<tr class="govuk-table__row">/g) ?? []).length - 1);

describe('the school’s trail, filtered', () => {
  it('shows what matches a known filter, and everything with none', async () => {
    const client = await senco();
    const all = await client.get('/audit');
    expect(all.statusCode).toBe(200);
    expect(rowsShown(all.body)).toBeGreaterThan(1);
    const viewed = await client.get('/audit?action=pupil.viewed');
    expect(viewed.statusCode).toBe(200);
    expect(rowsShown(viewed.body)).toBeGreaterThan(0);
    expect(viewed.body).not.toContain('There is a problem');
    // "Any action", as the form sends it, is no filter.
    expect((await client.get('/audit?action=&userId=&from=&to=')).statusCode).toBe(200);
  });

  it('offers each parent who has used OpenSEND here as a person, and shows what they read', async () => {
    const parent = new Client(t.app);
    await parent.signIn(t.w.parent.email);
    expect((await parent.get(`/children/${t.w.pupilK.id}`)).statusCode).toBe(200);
    const client = await senco();
    const all = await client.get('/audit');
    expect(all.body).toContain(`value="${t.w.parent.actor.userId}"`);
    expect(all.body).toContain('(parent or carer)');
    const theirs = await client.get(`/audit?userId=${t.w.parent.actor.userId}`);
    expect(theirs.statusCode).toBe(200);
    expect(theirs.body).not.toContain('There is a problem');
    expect(rowsShown(theirs.body)).toBeGreaterThan(0);
  });

  it('an unknown filter value shows no rows and says which filter was not recognised, never the whole trail', async () => {
    const client = await senco();
    const cases: [string, string][] = [
      ['action=pupil.nonsense', 'The “What happened” filter was not recognised'],
      ['action=<script>', 'The “What happened” filter was not recognised'],
      ['action=pupil.viewed&action=pupil.updated', 'The “What happened” filter was not recognised'],
      ['userId=someone', 'The “Person” filter was not recognised'],
      ['from=2026-02-30', 'The “From” date filter was not recognised'],
      ['to=yesterday', 'The “To” date filter was not recognised'],
      ['pupilId=1', 'The pupil filter was not recognised'],
      ['page=abc', 'The page number filter was not recognised'],
    ];
    for (const [query, message] of cases) {
      const page = await client.get(`/audit?${query}`);
      expect(page.statusCode, query).toBe(400);
      expect(page.body, query).toContain('There is a problem');
      expect(page.body, query).toContain(`${message}: nothing is shown`);
      expect(page.body, query).toContain('Nothing is shown: a filter was not recognised.');
      expect(rowsShown(page.body), query).toBe(0);
      expect(page.body, query).not.toContain('<script>');
    }
    // The look is recorded, with the names of the filters not recognised (never what was sent).
    const [last] = await t.database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.schoolId, t.w.school.id), eq(auditEvent.action, 'audit.school_viewed')))
      .orderBy(desc(auditEvent.id))
      .limit(1);
    expect(last!.detail).toMatchObject({ unrecognised: ['page'] });
  });
});
