import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildFinalPlan, buildPlan, buildReferral, TODAY } from '../../../../test/builders/index.ts';
import { Client, useApp } from '../../../../test/client.ts';
import {
  contactChange,
  familyView,
  parentCarer,
  referral,
  referralConsent,
} from '../../../db/schema/index.ts';
import { addDays } from '../../../domain/dates.ts';

const t = useApp();

async function parent() {
  const client = new Client(t.app);
  await client.signIn(t.w.parent.email);
  return client;
}

describe('a parent’s views before a review', () => {
  it('are sent from the form, refused with a message when empty or hostile, and shown on the review form', async () => {
    const plan = await buildPlan(t.database.db, {
      schoolId: t.w.school.id,
      pupilId: t.w.pupilK.id,
      reviewDate: addDays(TODAY, 14),
    });
    const client = await parent();
    const list = await client.get(`/children/${t.w.pupilK.id}/views`);
    expect(list.body).toContain(`/children/${t.w.pupilK.id}/plans/${plan.id}/views`);
    const url = `/children/${t.w.pupilK.id}/plans/${plan.id}/views`;
    const form = await client.get(url);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Please send your views by');
    const empty = await client.post(url, { body: '  ', version: '0' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Write your views in the box');
    const hostile = await client.post(url, { body: 'Kit \u0000 likes \u001b[31m', version: '0' });
    expect(hostile.statusCode).toBe(400);
    expect(hostile.body).toContain('hidden control characters');
    expect(hostile.body).toContain('Kit');
    const long = await client.post(url, { body: 'x'.repeat(1801), version: '0' });
    expect(long.statusCode).toBe(400);
    const twice = await client.post(url, { body: ['a', 'b'], version: '0' });
    expect(twice.statusCode).toBe(400);
    expect(
      await t.database.db.select().from(familyView).where(eq(familyView.subjectId, plan.id)),
    ).toHaveLength(0);
    const sent = await client.post(url, { body: 'Kit is tired after swimming.', version: '0' });
    expect(sent.statusCode).toBe(303);
    // A second tab, opened before the save: shown the saved version, its own text kept.
    const stale = await client.post(url, { body: 'From the other tab', version: '0' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Kit is tired after swimming.');
    expect(stale.body).toContain('From the other tab');

    // The SENCo starts the review: the parent's views are on the form, marked as theirs, in the field.
    const senco = new Client(t.app);
    await senco.signIn(t.w.senco.email);
    const [row] = await t.database.db.select().from(familyView).where(eq(familyView.subjectId, plan.id));
    expect((await senco.post(`/plans/${plan.id}/start-review`, { version: '1' })).statusCode).toBe(303);
    const review = await senco.get(`/plans/${plan.id}/review`);
    expect(review.statusCode).toBe(200);
    const label = `In ${row!.givenByName}’s own words (given online on`;
    expect(review.body).toContain(label);
    // Offered into the parents' views field, so nothing is typed twice.
    const field = /<textarea[^>]*name="parentsViews"[^>]*>([^<]*)<\/textarea>/.exec(review.body)![1]!;
    expect(field).toContain('Kit is tired after swimming.');
  });

  it('is "not found" for another child’s plan, at the same school and at another', async () => {
    const client = await parent();
    const planA = await buildPlan(t.database.db, { schoolId: t.w.school.id, pupilId: t.w.pupilA.id });
    for (const url of [
      `/children/${t.w.pupilK.id}/plans/${planA.id}/views`,
      `/children/${t.w.pupilA.id}/plans/${planA.id}/views`,
      `/children/${t.w.otherPupil.id}/plans/${planA.id}/views`,
    ]) {
      expect((await client.get(url)).statusCode).toBe(404);
      expect((await client.post(url, { body: 'x', version: '0' })).statusCode).toBe(404);
    }
  });
});

describe('consent online', () => {
  it('a parent reads the referral in plain words, gives consent, and withdraws it once', async () => {
    const r = await buildReferral(t.database.db, t.w.pupilK, { status: 'awaiting_consent' });
    const client = await parent();
    const list = await client.get(`/children/${t.w.pupilK.id}/consent`);
    expect(list.body).toContain(`/children/${t.w.pupilK.id}/referrals/${r.id}`);
    const url = `/children/${t.w.pupilK.id}/referrals/${r.id}`;
    const page = await client.get(url);
    expect(page.body).toContain(r.question);
    const none = await client.post(url, { answer: 'give' });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Choose what you agree to');
    const given = await client.post(url, { answer: 'give', coversReferral: 'yes', coversSharing: 'yes' });
    expect(given.statusCode).toBe(303);
    const [consent] = await t.database.db
      .select()
      .from(referralConsent)
      .where(eq(referralConsent.referralId, r.id));
    expect(consent!.how).toBe('parent_portal');
    const withdrawUrl = `/children/${t.w.pupilK.id}/consent/${consent!.id}/withdraw`;
    expect((await client.get(withdrawUrl)).body).toContain('the referral stops');
    expect((await client.post(withdrawUrl, { note: 'Changed our minds' })).statusCode).toBe(303);
    const [stopped] = await t.database.db.select().from(referral).where(eq(referral.id, r.id));
    expect(stopped!.status).toBe('stopped');
    const twice = await client.post(withdrawUrl, { note: '' });
    expect(twice.statusCode).toBe(400);
    expect(twice.body).toContain('already withdrawn');
  });

  it('another child’s referral or consent is "not found"', async () => {
    const r = await buildReferral(t.database.db, t.w.pupilA, { status: 'awaiting_consent' });
    const client = await parent();
    for (const url of [
      `/children/${t.w.pupilK.id}/referrals/${r.id}`,
      `/children/${t.w.pupilA.id}/referrals/${r.id}`,
      `/children/${t.w.otherPupil.id}/referrals/${r.id}`,
    ]) {
      expect((await client.get(url)).statusCode).toBe(404);
      expect((await client.post(url, { answer: 'refuse' })).statusCode).toBe(404);
    }
  });
});

describe('contact details', () => {
  it('a parent asks for a change; the office confirms or declines it with a reason', async () => {
    const client = await parent();
    const url = `/children/${t.w.pupilK.id}/contact`;
    const page = await client.get(url);
    expect(page.body).toContain('Your contact details');
    const bad = await client.post(url, { phone: 'call me', email: 'not an email', note: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter a phone number');
    expect(bad.body).toContain('call me');
    expect(
      (await client.post(url, { phone: '07700 900 111', email: '', note: 'New address: 4 Elm Road' }))
        .statusCode,
    ).toBe(303);
    const [change] = await t.database.db
      .select()
      .from(contactChange)
      .where(eq(contactChange.parentCarerId, t.w.parentK.id));
    expect(change!.status).toBe('waiting');

    const office = new Client(t.app);
    await office.signIn(t.w.office.email);
    expect((await office.get('/')).body).toContain('1 change of contact details from parents to check');
    const list = await office.get('/contact-changes');
    expect(list.body).toContain(`/contact-changes/${change!.id}`);
    const decideUrl = `/contact-changes/${change!.id}`;
    const form = await office.get(decideUrl);
    const version = /name="version" value="(\d+)"/.exec(form.body)![1]!;
    const noReason = await office.post(decideUrl, { decision: 'decline', reason: '', version });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Say why you are declining');
    expect((await office.post(decideUrl, { decision: 'accept', version })).statusCode).toBe(303);
    const [carer] = await t.database.db.select().from(parentCarer).where(eq(parentCarer.id, t.w.parentK.id));
    expect(carer!.phone).toBe('07700 900 111');
    expect((await client.get(url)).body).toContain('The school updated its records.');
  });
});

describe('views for an EHC request and an annual review, as staff see them', () => {
  it('the request page and the annual review meeting form show the mother’s views as hers', async () => {
    const client = await parent();
    const requestId = await t.services.ehcRequests.start(t.w.senco.actor, t.w.pupilK.id, {
      requestedBy: 'school',
      parentId: null,
      parentRequestNote: null,
      pupilActionId: null,
    });
    const requestViews = `/children/${t.w.pupilK.id}/ehc/requests/${requestId}/views`;
    expect((await client.get(requestViews)).body).toContain(
      'Views for the request for an EHC needs assessment',
    );
    expect(
      (await client.post(requestViews, { body: 'Kit needs more help than school can give.', version: '0' }))
        .statusCode,
    ).toBe(303);
    await buildFinalPlan(t.database.db, t.w.pupilK, t.w.officer.organisationId);
    const reviewId = await t.services.annualReviews.start(t.w.senco.actor, t.w.pupilK.id);
    const reviewViews = `/children/${t.w.pupilK.id}/ehc/annual-reviews/${reviewId}/views`;
    expect(
      (await client.post(reviewViews, { body: 'The plan is helping at home too.', version: '0' })).statusCode,
    ).toBe(303);

    const senco = new Client(t.app);
    await senco.signIn(t.w.senco.email);
    const requestPage = await senco.get(`/ehc-requests/${requestId}`);
    expect(requestPage.body).toContain('The parents’ views, given online');
    expect(requestPage.body).toContain('Kit needs more help than school can give.');
    const meeting = await senco.get(`/annual-reviews/${reviewId}/meeting`);
    expect(meeting.statusCode).toBe(200);
    const field = /<textarea[^>]*name="parentViews"[^>]*>([^<]*)<\/textarea>/.exec(meeting.body)![1]!;
    expect(field).toContain('The plan is helping at home too.');
    expect(field).toContain('’s own words (given online on');
  });
});
