import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPupilWithHistory, type PupilWithHistory } from '../../../../test/builders/ehc.ts';
import { Client, useApp } from '../../../../test/client.ts';
import { ehcRequest, organisationCase, pupilAction } from '../../../db/schema/index.ts';
import { packSchemaProblems } from '../../../services/ehc/pack-schema.ts';

const t = useApp();
let rosa: PupilWithHistory;
beforeAll(async () => {
  rosa = await buildPupilWithHistory(t.database.db, { schoolId: t.w.school.id, classId: t.w.classA.id });
});

const date = (name: string, d: string, m: string, y: string) => ({
  [`${name}-day`]: d,
  [`${name}-month`]: m,
  [`${name}-year`]: y,
});

async function rowOf(id: string) {
  const [row] = await t.database.db.select().from(ehcRequest).where(eq(ehcRequest.id, id));
  return row!;
}

describe('a request from the pupil’s page to the local authority’s caseload', () => {
  let id: string;
  let url: string;
  const senco = () => {
    const c = new Client(t.app);
    return c.signIn(t.w.senco.email).then(() => c);
  };

  it('is linked from a review that decided to request one, for those who start requests', async () => {
    const reviewId = rosa.reviewIds[2]!;
    await t.database.db.insert(pupilAction).values({
      schoolId: t.w.school.id,
      id: randomUUID(),
      pupilId: rosa.pupilId,
      kind: 'ehc_request',
      planReviewId: reviewId,
      notes: 'No progress after three plans',
      createdByName: 'Sam Senco',
    });
    const client = await senco();
    const plan = await client.get(`/plans/${rosa.planIds[2]}`);
    const link = `/pupils/${rosa.pupilId}/ehc-requests/new?review=${reviewId}`;
    expect(plan.body).toContain(`href="${link}"`);
    const form = await client.get(link);
    expect(form.body).toContain('Started from a review’s decision to request an EHC needs assessment');
    expect(form.body).toContain('No progress after three plans');
    const teacher = new Client(t.app);
    await teacher.signIn(t.w.teacherA.email);
    expect((await teacher.get(`/plans/${rosa.planIds[2]}`)).body).not.toContain('/ehc-requests/new');
  });

  it('starts from the pupil page’s panel; a parent’s request without their words keeps what was chosen', async () => {
    const client = await senco();
    const pupilPage = await client.get(`/pupils/${rosa.pupilId}`);
    expect(pupilPage.body).toContain('EHC needs assessment');
    expect(pupilPage.body).toContain(`href="/pupils/${rosa.pupilId}/ehc-requests/new"`);
    await client.get(`/pupils/${rosa.pupilId}/ehc-requests/new`);
    const missing = await client.post(`/pupils/${rosa.pupilId}/ehc-requests/new`, {
      requestedBy: 'parent',
      parentId: rosa.parentId,
      parentRequestNote: '',
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Write down what the parent asked for, in their own words');
    expect(missing.body).toMatch(new RegExp(`value="${rosa.parentId}" selected`));
    const made = await client.post(`/pupils/${rosa.pupilId}/ehc-requests/new`, { requestedBy: 'school' });
    expect(made.statusCode).toBe(303);
    url = String(made.headers.location);
    id = url.split('/').at(-1)!;
    const page = await client.get(url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Request for an EHC needs assessment');
    expect(page.body).toContain('Record the consent of a parent with parental responsibility');
    expect(page.body).toContain('3. The child and the school');
    expect(page.body).toContain(`value="report:${rosa.reportId}"`);
  });

  it('keeps the text of a save refused for hostile input, and of a stale save, and saves nothing', async () => {
    const client = await senco();
    await client.get(url);
    const before = await rowOf(id);
    const hostile = await client.post(url, {
      version: String(before.version),
      coveringStatement: 'Please consider Rosa\u0007 now',
      contactName: 'Sam Senco',
      contactEmail: 'sam@oakfield.example',
      leftOut: ['report:<script>alert(1)</script>'],
    });
    expect(hostile.statusCode).toBe(400);
    expect(hostile.body).toContain('must not contain hidden control characters');
    expect(hostile.body).toContain('Choose what to leave out from the items of the pack');
    expect(hostile.body).not.toContain('<script>alert(1)</script>');
    expect(await rowOf(id)).toEqual(before);

    // Someone else saves first: the SENCo's words come back with the message, the other change stays.
    await t.services.ehcRequests.save(t.w.head.actor, id, before.version, {
      coveringStatement: 'The head’s statement',
      contactName: 'Hana Head',
      contactRole: 'Head teacher',
      contactEmail: 'head@oakfield.example',
      contactPhone: null,
      leftOut: [],
      sufficient: [],
    });
    const stale = await client.post(url, {
      version: String(before.version),
      coveringStatement: 'The SENCo’s statement, typed with care',
      contactName: 'Sam Senco',
      contactEmail: 'sam@oakfield.example',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this request');
    expect(stale.body).toContain('The SENCo’s statement, typed with care');
    expect((await rowOf(id)).coveringStatement).toBe('The head’s statement');
  });

  it('refuses JSON where the form is expected, and a post without the CSRF token', async () => {
    const client = await senco();
    await client.get(url);
    const { version } = await rowOf(id);
    const json = await t.app.inject({
      method: 'POST',
      url,
      headers: {
        cookie: (client as unknown as { cookieHeader(): string }).cookieHeader(),
        'content-type': 'application/json',
      },
      payload: JSON.stringify({ _csrf: client.token, version: String(version), leftOut: { $ne: [] } }),
    });
    expect([400, 403, 415]).toContain(json.statusCode);
    const noToken = await client.post(
      url,
      { version: String(version), coveringStatement: 'x' },
      { csrf: false },
    );
    expect(noToken.statusCode).toBe(403);
    expect((await rowOf(id)).version).toBe(version);
  });

  it('leaves a report out, records consent, and sends it into the caseload', async () => {
    const client = await senco();
    await client.get(url);
    const { version } = await rowOf(id);
    const saved = await client.post(url, {
      version: String(version),
      coveringStatement: 'Four cycles of support with little progress.',
      contactName: 'Sam Senco',
      contactRole: 'SENCo',
      contactEmail: 'sam@oakfield.example',
      leftOut: `report:${rosa.reportId}`,
    });
    expect(saved.statusCode).toBe(303);
    const shown = await client.get(url);
    expect(shown.body).toContain('1 item is left out');
    // The pack shows the report marked as left out, and the choice links to it.
    expect(shown.body).toContain(`id="pack-report-${rosa.reportId}"`);
    expect(shown.body).toContain(`href="#pack-report-${rosa.reportId}"`);
    expect(shown.body).toContain('Not sent with the request');
    expect(shown.body).toMatch(new RegExp(`value="report:${rosa.reportId}" checked`));

    await client.get(`${url}/consent`);
    const consent = await client.post(`${url}/consent`, {
      version: String(version + 1),
      parentId: rosa.parentId,
      how: 'signed_form',
      ...date('consentOn', '19', '11', '2026'),
    });
    expect(consent.statusCode).toBe(303);

    const sendPage = await client.get(`${url}/send`);
    expect(sendPage.statusCode).toBe(200);
    expect(sendPage.body).toContain('Send to ');
    const sent = await client.post(`${url}/send`, { version: String(version + 2) });
    expect(sent.statusCode).toBe(303);
    const after = await rowOf(id);
    expect(after).toMatchObject({ status: 'sent', sentHow: 'local_authority' });
    const [c] = await t.database.db
      .select()
      .from(organisationCase)
      .where(eq(organisationCase.id, after.caseId!));
    expect(c!.stage).toBe('received');
    const page = await client.get(url);
    expect(page.body).toContain('At the local authority: request received (received 20 November 2026)');
    expect(page.body).toContain('The pack as sent');

    const pdf = await client.get(`${url}/pack.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const json = await client.get(`${url}/pack.json`);
    expect(json.headers['content-type']).toContain('application/json');
    expect(JSON.parse(json.body)).toEqual(after.sentPack);
    expect(packSchemaProblems(JSON.parse(json.body))).toEqual([]);
    expect(json.headers['content-disposition']).toBe(
      `attachment; filename="martinez-rosa-ehc-request-${(after.sentPack as { preparedOn: string }).preparedOn}.json"`,
    );

    // A second send of the same page changes nothing.
    const again = await client.post(`${url}/send`, { version: String(version + 2) });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('It has already been sent');
    expect(
      await t.database.db.select().from(organisationCase).where(eq(organisationCase.requestId, id)),
    ).toHaveLength(1);
  });

  it('shows a class teacher of the pupil where it stands, never the pack or its files', async () => {
    const client = new Client(t.app);
    await client.signIn(t.w.teacherA.email);
    const pupilPage = await client.get(`/pupils/${rosa.pupilId}`);
    expect(pupilPage.body).toContain('At the local authority: request received');
    expect(pupilPage.body).not.toContain('/ehc-requests/new');
    const page = await client.get(url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('At the local authority: request received');
    expect(page.body).not.toContain('The pack as sent');
    expect(page.body).not.toContain('Four cycles of support');
    expect((await client.get(`${url}/pack.pdf`)).statusCode).toBe(403);
    expect((await client.get(`${url}/pack.json`)).statusCode).toBe(403);
    expect((await client.get(`${url}/withdraw`)).statusCode).toBe(403);
    // The list tells them who builds requests, not to start one themselves.
    const list = await client.get('/ehc-requests');
    expect(list.body).toContain('The SENCo and the head teacher build and send them.');
    expect(list.body).not.toContain('Start a request or an application from the pupil');
  });

  it('shows where it stands from the caseload’s clock: the deadlines, what is overdue, the advice asked of the school', async () => {
    const { caseId } = await rowOf(id);
    // Received on 1 September: whether to assess was due by 13 October and is overdue.
    await t.database.db
      .update(organisationCase)
      .set({ openedOn: '2026-09-01' })
      .where(eq(organisationCase.id, caseId!));
    const [c] = await t.database.db.select().from(organisationCase).where(eq(organisationCase.id, caseId!));
    await t.services.caseload.askAdvice(t.w.officer.actor, caseId!, {
      version: c!.version,
      source: 'school',
      askedOf: null,
      schoolId: t.w.school.id,
      requestedOn: '2026-11-02',
      alreadyHeld: false,
      receivedOn: null,
      note: null,
    });
    const client = await senco();
    const page = await client.get(url);
    expect(page.body).toContain('Where it stands at the local authority');
    expect(page.body).toMatch(
      /13 October 2026<\/td>\s*<td class="govuk-table__cell">Not yet<\/td>\s*<td class="govuk-table__cell">\s*<strong class="govuk-tag govuk-tag--red">\s*Overdue/,
    );
    expect(page.body).toContain('1 overdue');
    expect(page.body).toMatch(
      /Advice asked of the school[\s\S]*asked 2 November 2026, due by 14 December 2026/,
    );
    const list = await client.get('/ehc-requests');
    expect(list.body).toContain('EHC needs assessments and top-up funding');
    expect(list.body).toContain('1 overdue');
    expect(list.body).toContain(
      'Next deadline: tell the parents whether the authority will assess, by 13 October 2026',
    );
    const pupilPage = await client.get(`/pupils/${rosa.pupilId}`);
    expect(pupilPage.body).toContain('1 overdue');
    expect(pupilPage.body).toContain(
      'Next deadline: tell the parents whether the authority will assess, by 13 October 2026',
    );
    // A class teacher of the pupil sees the same standing, and still no pack and no files.
    const teacher = new Client(t.app);
    await teacher.signIn(t.w.teacherA.email);
    const theirs = await teacher.get(url);
    expect(theirs.body).toContain('Where it stands at the local authority');
    expect(theirs.body).toContain('1 overdue');
    expect(theirs.body).not.toContain('The pack as sent');
    expect(theirs.body).not.toContain('pack.pdf');
    expect(theirs.body).not.toContain('pack.json');
    expect(theirs.body).not.toContain('Four cycles of support');
    expect((await teacher.get('/ehc-requests')).body).toContain('1 overdue');
  });

  it('shows the office nothing of it: not on the pupil page, not the request', async () => {
    const client = new Client(t.app);
    await client.signIn(t.w.office.email);
    const pupilPage = await client.get(`/pupils/${rosa.pupilId}`);
    expect(pupilPage.body).not.toContain('EHC needs assessment');
    expect((await client.get(url)).statusCode).toBe(403);
    expect((await client.get('/ehc-requests')).statusCode).toBe(403);
  });

  it('lists it for the SENCo, and withdraws it: the caseload’s case closes', async () => {
    const client = await senco();
    const list = await client.get('/ehc-requests');
    expect(list.body).toContain('Rosa');
    expect(list.body).toContain('Sent to the local authority');
    await client.get(`${url}/withdraw`);
    const { version } = await rowOf(id);
    const empty = await client.post(`${url}/withdraw`, { version: String(version), reason: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Write down why the request is withdrawn');
    const done = await client.post(`${url}/withdraw`, {
      version: String(version),
      reason: 'The family asked us to stop',
    });
    expect(done.statusCode).toBe(303);
    const after = await rowOf(id);
    const [c] = await t.database.db
      .select()
      .from(organisationCase)
      .where(eq(organisationCase.id, after.caseId!));
    expect(c).toMatchObject({
      stage: 'withdrawn',
      closedReason: 'Withdrawn by the school: The family asked us to stop',
    });
  });
});
