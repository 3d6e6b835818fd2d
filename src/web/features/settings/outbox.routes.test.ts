import { describe, expect, it } from 'vitest';
import { Client, useApp } from '../../../../test/client.ts';

const t = useApp();

describe('the outbox page', () => {
  it('shows a school without a mail server its waiting email whole, to print or copy, and sends a test email to the SENCo', async () => {
    const senco = new Client(t.app);
    await senco.signIn(t.w.senco.email);
    const empty = await senco.get('/settings/outbox');
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('No mail server is set up');
    expect(empty.body).toContain('has not written any email for the school yet');

    const sent = await senco.post('/settings/outbox/test');
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe('/settings/outbox');
    const page = await senco.get('/settings/outbox');
    expect(page.body).toContain('A test email is on its way to your address.');
    expect(page.body).toContain(t.w.senco.email);
    expect(page.body).toContain('OpenSEND can send email');
    expect(page.body).toContain('Waiting');
    // The text itself, for the SENCo to copy.
    expect(page.body).toContain('OpenSEND&#39;s email settings work');

    const settings = await senco.get('/settings');
    expect(settings.body).toContain('1 email is waiting.');
    expect(settings.body).toContain('href="/settings/outbox"');
  });

  it('refuses the test email without the form’s token, and shows another school none of this school’s email', async () => {
    const senco = new Client(t.app);
    await senco.signIn(t.w.senco.email);
    const forged = await senco.post('/settings/outbox/test', {}, { csrf: false });
    expect(forged.statusCode).toBe(403);
    const other = new Client(t.app);
    await other.signIn(t.w.otherSenco.email);
    const theirs = await other.get('/settings/outbox');
    expect(theirs.statusCode).toBe(200);
    expect(theirs.body).not.toContain(t.w.senco.email);
  });
});
