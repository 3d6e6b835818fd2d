import { describe, expect, it } from 'vitest';
import { buildAgency, testServices } from '../../../../test/builders/index.ts';
import { Client, useApp } from '../../../../test/client.ts';

const t = useApp();

const date = (name: string, d: string, m: string, y: string) => ({
  [`${name}-day`]: d,
  [`${name}-month`]: m,
  [`${name}-year`]: y,
});

describe('a referral from the pupil’s page to sending it', () => {
  it('says so and links to the directory when there is no service to choose', async () => {
    const client = new Client(t.app);
    await client.signIn(t.w.senco.email);
    const page = await client.get(`/pupils/${t.w.pupilE.id}/referrals/new`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('There are no services in the school’s directory yet');
    expect(page.body).toContain('href="/agencies"');
  });

  it('keeps what was typed when the question is missing, drafts it, records the mother’s consent, refuses then allows sending', async () => {
    const services = testServices(t.database);
    const salt = await buildAgency(t.database.db, t.w.school.id, { name: 'Northshire SALT' });
    const client = new Client(t.app);
    await client.signIn(t.w.senco.email);
    const form = await client.get(`/pupils/${t.w.pupilK.id}/referrals/new`);
    expect(form.body).toContain('Northshire SALT');
    const missing = await client.post(`/pupils/${t.w.pupilK.id}/referrals/new`, {
      agencyId: salt.id,
      question: '',
      tried: 'Talk Boost, typed by hand',
      shareSections: ['plans'],
      lawfulBasis: 'consent',
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Enter the question the school asks the service');
    expect(missing.body).toContain('Talk Boost, typed by hand');
    const noService = await client.post(`/pupils/${t.w.pupilK.id}/referrals/new`, {
      agencyId: '',
      question: 'Why?',
      lawfulBasis: 'consent',
    });
    expect(noService.body).toContain('Choose the service you are referring to');

    const made = await client.post(`/pupils/${t.w.pupilK.id}/referrals/new`, {
      agencyId: salt.id,
      question: 'Why does Kit find spoken instructions hard?',
      tried: 'Talk Boost',
      shareSections: ['plans', 'register'],
      lawfulBasis: 'consent',
    });
    expect(made.statusCode).toBe(303);
    const url = String(made.headers.location);
    const referralId = url.split('/').at(-1)!;
    const page = await client.get(url);
    expect(page.body).toContain('Referral to Northshire SALT');
    expect(page.body).toContain('No consent recorded');

    await client.get(`/referrals/${referralId}/step`);
    const refused = await client.post(`/referrals/${referralId}/step`, {
      version: '1',
      to: 'sent',
      ...date('on', '20', '11', '2026'),
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Record consent to the referral before you send it');

    await client.get(`/referrals/${referralId}/consents/new`);
    const consent = await client.postMultipart(`/referrals/${referralId}/consents/new`, {
      givenBy: 'parent',
      parentId: t.w.parentK.id,
      how: 'signed_form',
      covers: 'referral',
      ...date('givenOn', '19', '11', '2026'),
    });
    expect(consent.statusCode).toBe(303);
    await client.get(`/referrals/${referralId}/step`);
    const sent = await client.post(`/referrals/${referralId}/step`, {
      version: '1',
      to: 'sent',
      ...date('on', '20', '11', '2026'),
      ...date('reportDueOn', '15', '1', '2027'),
    });
    expect(sent.statusCode).toBe(303);
    const after = await services.referrals.view(t.w.senco.actor, referralId);
    expect(after.referral).toMatchObject({ status: 'sent', reportDueOn: '2027-01-15' });
    const shown = await client.get(url);
    expect(shown.body).toContain('Consent given by Kasia Kowalski on 19 November 2026');
    const list = await client.get('/referrals');
    expect(list.body).toContain('Northshire SALT');
    expect(list.body).toContain('Kit');
  });
});
