import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFinalPlan } from '../../../../test/builders/index.ts';
import { Client, useApp } from '../../../../test/client.ts';
import { readPdf } from '../../../../test/pdf.ts';
import { ehcAnnualReview, ehcReviewDecision } from '../../../db/schema/index.ts';

/*
 * The school's annual review pages through HTTP, as a SENCo and as an attacker would send them: a
 * meeting date that is not a date, control characters, a value sent twice, a tampered row count or
 * outcome id, a stale version; each told plainly, what was typed kept, nothing saved. TODAY is
 * 20 November 2026; Eli (class B) has the authority's plan issued on 1 December 2025.
 */

const t = useApp();
const date = (name: string, iso: string) => {
  const [y, m, d] = iso.split('-').map(Number);
  return { [`${name}-day`]: String(d), [`${name}-month`]: String(m), [`${name}-year`]: String(y) };
};
const versionOf = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? '';

let senco: Client;
let teacherB: Client;
let teacherA: Client;
let other: Client;
let reviewId: string;
let plan: Awaited<ReturnType<typeof buildFinalPlan>>;

beforeAll(async () => {
  plan = await buildFinalPlan(t.database.db, t.w.pupilE, t.w.officer.organisationId, {
    issuedOn: '2025-12-01',
  });
  senco = new Client(t.app);
  await senco.signIn(t.w.senco.email);
  teacherB = new Client(t.app);
  await teacherB.signIn(t.w.teacherB.email);
  teacherA = new Client(t.app);
  await teacherA.signIn(t.w.teacherA.email);
  other = new Client(t.app);
  await other.signIn(t.w.otherSenco.email);
});

const row = async () =>
  (await t.database.db.select().from(ehcAnnualReview).where(eq(ehcAnnualReview.id, reviewId)))[0]!;

const arrangements = (over: Record<string, string | string[]> = {}) => ({
  ...date('meetingOn', '2026-11-19'),
  meetingTime: '2:30pm',
  meetingPlace: 'The library',
  invitationRows: '2',
  'invitee-0': 'parent',
  'inviteName-0': 'Erin Evans',
  'inviteHow-0': 'letter',
  ...date('inviteSent-0', '2026-10-30'),
  'invitee-1': 'local_authority',
  'inviteName-1': 'Casey Caseworker',
  'inviteHow-1': 'email',
  ...date('inviteSent-1', '2026-11-12'),
  adviceRows: '1',
  'adviceFrom-0': 'Speech and language therapy',
  ...date('adviceAsked-0', '2026-10-01'),
  ...date('adviceReceived-0', '2026-10-20'),
  ...date('adviceCirculated-0', '2026-11-01'),
  ...over,
});

describe('the list and starting a review', () => {
  it('lists Eli as due this term with a link to start; the class teacher and another school get nothing', async () => {
    const list = await senco.get('/annual-reviews');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Due this term (1)');
    expect(list.body).toContain(`/pupils/${t.w.pupilE.id}/annual-reviews/new`);
    expect((await teacherB.get('/annual-reviews')).statusCode).toBe(403);
    expect((await other.get(`/pupils/${t.w.pupilE.id}/annual-reviews/new`)).statusCode).toBe(404);
  });

  it('starts one and goes to its page', async () => {
    const page = await senco.get(`/pupils/${t.w.pupilE.id}/annual-reviews/new`);
    expect(page.body).toContain('the review is due by <strong>30 November 2026</strong>');
    const started = await senco.post(`/pupils/${t.w.pupilE.id}/annual-reviews/new`);
    expect(started.statusCode).toBe(303);
    reviewId = /annual-reviews\/([0-9a-f-]{36})/.exec(started.headers.location as string)?.[1] ?? '';
    expect((await row()).status).toBe('arranging');
  });
});

describe('arranging it', () => {
  it('refuses a date that is not a date and control characters, keeps what was typed, saves nothing', async () => {
    const page = await senco.get(`/annual-reviews/${reviewId}`);
    const bad = await senco.post(
      `/annual-reviews/${reviewId}`,
      arrangements({
        version: versionOf(page.body),
        'meetingOn-day': '31',
        'meetingOn-month': '2',
        meetingPlace: 'Hall\u0007',
      }),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('The date of the meeting must be a real date');
    expect(bad.body).toContain(
      'Where the meeting is must be a single line of text without hidden control characters',
    );
    expect(bad.body).toContain('value="Casey Caseworker"');
    expect((await row()).version).toBe(1);
  });

  it('refuses a field sent twice and a half-filled invitation', async () => {
    const page = await senco.get(`/annual-reviews/${reviewId}`);
    const twice = await senco.post(
      `/annual-reviews/${reviewId}`,
      arrangements({ version: versionOf(page.body), meetingTime: ['2pm', '3pm'], 'inviteHow-1': '' }),
    );
    expect(twice.statusCode).toBe(400);
    expect(twice.body).toContain('The time of the meeting must be entered once, as text');
    expect(twice.body).toContain('Invitation 2: choose how the invitation went');
    expect((await row()).version).toBe(1);
  });

  it('refuses a meeting before the plan was issued or beyond the year ahead, a time that is not one, and a tampered row count', async () => {
    const page = await senco.get(`/annual-reviews/${reviewId}`);
    const version = versionOf(page.body);
    const long = await senco.post(
      `/annual-reviews/${reviewId}`,
      arrangements({ version, ...date('meetingOn', '1900-12-18') }),
    );
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('The meeting must be after the plan was issued, on 1 December 2025');
    const far = await senco.post(
      `/annual-reviews/${reviewId}`,
      arrangements({ version, ...date('meetingOn', '2031-01-06') }),
    );
    expect(far.statusCode).toBe(400);
    expect(far.body).toContain('The meeting must be within the next year');
    const time = await senco.post(
      `/annual-reviews/${reviewId}`,
      arrangements({ version, meetingTime: '25:99' }),
    );
    expect(time.statusCode).toBe(400);
    expect(time.body).toContain('Enter the time of the meeting like 9:30 or 14:00');
    // A count of rows that is not one the page sends: the whole form is refused, no row is lost.
    for (const invitationRows of ['99999999', '', '-1']) {
      const tampered = await senco.post(
        `/annual-reviews/${reviewId}`,
        arrangements({ version, invitationRows }),
      );
      expect(tampered.statusCode).toBe(400);
      expect(tampered.body).toContain('This form is out of date');
    }
    expect((await row()).version).toBe(1);
  });

  it('saves the arrangements and warns of the invitation with less than two weeks’ notice', async () => {
    const page = await senco.get(`/annual-reviews/${reviewId}`);
    const saved = await senco.post(
      `/annual-reviews/${reviewId}`,
      arrangements({ version: versionOf(page.body) }),
    );
    expect(saved.statusCode).toBe(303);
    const shown = await senco.get(`/annual-reviews/${reviewId}`);
    expect(shown.body).toContain('Casey Caseworker: Less than two weeks’ notice: sent 7 days before it');
    // The plan's outcomes and provision beside the arrangements (the read-only plan).
    expect(shown.body).toContain('id="plan-section-e"');
    expect(shown.body).toContain('id="plan-section-f"');
    expect(shown.body).not.toContain('id="plan-section-b"');
    expect((await row()).invitations).toHaveLength(2);
    const stale = await senco.post(
      `/annual-reviews/${reviewId}`,
      arrangements({ version: '1', meetingPlace: 'Hall' }),
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('value="Hall"');
    expect((await row()).meetingPlace).toBe('The library');
  });
});

describe('the meeting, and sending the report', () => {
  const meeting = (version: string, over: Record<string, string | string[]> = {}) => {
    const outcomes = plan.sections.e.outcomes;
    const provision = [...plan.sections.f.provision, ...plan.sections.g.provision];
    return {
      version,
      pupilViews: 'I like trains club.',
      parentViews: 'Happier at school.',
      attendeeRows: '2',
      'attendee-0': 'parent',
      'attendeeName-0': 'Erin Evans',
      'attendee-1': 'school',
      'attendeeName-1': 'Sam Senco',
      outcomeRows: String(outcomes.length),
      ...Object.fromEntries(
        outcomes.flatMap((o, i) => [
          [`outcomeId-${i}`, o.id],
          [`progress-${i}`, 'on_track'],
          [`evidence-${i}`, 'Seen in lessons'],
        ]),
      ),
      provisionRows: String(provision.length),
      ...Object.fromEntries(
        provision.flatMap((p, i) => [
          [`provisionId-${i}`, p.id],
          [`delivery-${i}`, 'as_specified'],
        ]),
      ),
      changeRows: '1',
      'changeSection-0': 'f',
      'changeText-0': 'Add a weekly therapy session.',
      recommendation: 'amend',
      recommendationReasons: 'More direct therapy is needed.',
      held: 'yes',
      ...over,
    };
  };

  it('refuses an outcome the plan does not hold and a choice not on the list; saves nothing', async () => {
    const page = await senco.get(`/annual-reviews/${reviewId}/meeting`);
    const v = versionOf(page.body);
    const tampered = await senco.post(
      `/annual-reviews/${reviewId}/meeting`,
      meeting(v, { 'outcomeId-0': 'not-in-plan' }),
    );
    expect(tampered.statusCode).toBe(400);
    expect(tampered.body).toContain('The plan has changed since this form was opened');
    const wrong = await senco.post(
      `/annual-reviews/${reviewId}/meeting`,
      meeting(v, { 'progress-1': 'brilliant' }),
    );
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Outcome 2: choose the progress made');
    expect((await row()).status).toBe('arranging');
  });

  it('records the meeting as held; the class teacher sees the review but not the record', async () => {
    const page = await senco.get(`/annual-reviews/${reviewId}/meeting`);
    const saved = await senco.post(`/annual-reviews/${reviewId}/meeting`, meeting(versionOf(page.body)));
    expect(saved.statusCode).toBe(303);
    expect((await row()).status).toBe('held');
    const theirs = await teacherB.get(`/annual-reviews/${reviewId}`);
    expect(theirs.statusCode).toBe(200);
    expect(theirs.body).not.toContain('Erin Evans');
    expect((await teacherB.get(`/annual-reviews/${reviewId}/meeting`)).statusCode).toBe(403);
    expect((await teacherA.get(`/annual-reviews/${reviewId}`)).statusCode).toBe(404);
    expect((await other.get(`/annual-reviews/${reviewId}`)).statusCode).toBe(404);
  });

  it('sends the report into the local authority’s records, then offers the files as sent', async () => {
    const page = await senco.get(`/annual-reviews/${reviewId}/send`);
    expect(page.body).toContain('Send the report to');
    const sent = await senco.post(`/annual-reviews/${reviewId}/send`, { version: versionOf(page.body) });
    expect(sent.statusCode).toBe(303);
    const r = await row();
    expect(r.status).toBe('sent');
    const [decision] = await t.database.db
      .select()
      .from(ehcReviewDecision)
      .where(eq(ehcReviewDecision.annualReviewId, reviewId));
    expect(decision?.received).toEqual(r.sentReport);
    const json = await senco.get(`/annual-reviews/${reviewId}/report.json`);
    expect(json.headers['content-type']).toContain('application/json');
    expect(JSON.parse(json.body)).toEqual(r.sentReport);
    const pdf = await senco.get(`/annual-reviews/${reviewId}/report.pdf`);
    expect(pdf.headers['content-disposition']).toContain('annual-review-report-2026-11-19.pdf');
    const { text } = readPdf(pdf.rawPayload);
    expect(text).toContain('Add a weekly therapy session.');
    expect((await teacherB.get(`/annual-reviews/${reviewId}/report.pdf`)).statusCode).toBe(403);
    const shown = await senco.get(`/annual-reviews/${reviewId}`);
    expect(shown.body).toContain('The report as sent');
    expect(shown.body).toContain('waiting for the local authority’s decision');
  });
});
