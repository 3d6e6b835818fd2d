import { desc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { examplePack } from '../../../../test/builders/ehc-example.ts';
import { buildOfficer, buildPupil, buildReceivedCase } from '../../../../test/builders/index.ts';
import { Client, useApp } from '../../../../test/client.ts';
import { auditEvent, caseAdvice, caseDecision, organisationCase } from '../../../db/schema/index.ts';

/*
 * The caseload's pages through the app: the caseworker opens a received request, decides to assess
 * (bad input shown again with the text kept, nothing saved; a stale save shows the case as it is now),
 * asks a school for advice, and the case page shows the 20-week date; another authority's case is not
 * found; the SENCo keeps the school's closures.
 */
const t = useApp();
let officer: Client;
let senco: Client;
let caseId: string;

beforeAll(async () => {
  officer = new Client(t.app);
  await officer.signIn(t.w.officer.email);
  senco = new Client(t.app);
  await senco.signIn(t.w.senco.email);
  ({ caseId } = await buildReceivedCase(t.database.db, t.w.pupilK, t.w.officer.organisationId, {
    receivedOn: '2026-07-15',
    received: {
      child: { forename: 'Kit', surname: 'Kowalski', upn: t.w.pupilK.upn },
      coveringStatement: 'Kit’s needs <b>go beyond</b> what the school can provide',
      checklist: [
        { expectation: 'Two or more reviewed support plans', met: true, detail: 'Two plans reviewed' },
      ],
    },
  }));
});

describe('the caseload pages', () => {
  it('lists the case with its overdue deadline and opens it with what the school sent, escaped', async () => {
    const list = await officer.get('/organisation/cases');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Kit Kowalski');
    expect(list.body).toContain('overdue');
    const page = await officer.get(`/organisation/cases/${caseId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('2 December 2026');
    expect(page.body).toContain('&lt;b&gt;go beyond&lt;/b&gt;');
    expect(page.body).not.toContain('<b>go beyond</b>');
    const json = await officer.get(`/organisation/cases/${caseId}/received.json`);
    expect(json.statusCode).toBe(200);
    expect(JSON.parse(json.body).child.forename).toBe('Kit');
    // Named by the day received and the case's short id, so two cases of one day differ.
    expect(json.headers['content-disposition']).toContain(
      `ehc-request-2026-07-15-${caseId.slice(0, 8)}.json`,
    );
    expect((await officer.get(`/organisation/cases/${caseId}/received.pdf`)).statusCode).toBe(404);
  });

  it('pages a long caseload, keeping the filters in the links', async () => {
    const { database, w } = t;
    for (let i = 0; i < 50; i++)
      await buildReceivedCase(
        database.db,
        await buildPupil(database.db, { schoolId: w.school.id }),
        w.officer.organisationId,
      );
    const first = await officer.get(`/organisation/cases?kind=ehc_needs_assessment&school=${w.school.id}`);
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('Caseload (page 1 of 2)');
    expect(first.body).toContain('Cases 1 to 50 of 51');
    expect(first.body).toContain(
      `/organisation/cases?kind=ehc_needs_assessment&amp;school=${w.school.id}&amp;page=2`,
    );
    const second = await officer.get(
      `/organisation/cases?kind=ehc_needs_assessment&school=${w.school.id}&page=2`,
    );
    expect(second.body).toContain('Cases 51 to 51 of 51');
    // A page that is not a number is the first.
    expect((await officer.get('/organisation/cases?page=2x')).body).toContain('Caseload (page 1 of 2)');
  });

  it('a decision with bad input is shown again with its messages and the text kept; nothing saved', async () => {
    await officer.get(`/organisation/cases/${caseId}/decisions/new`);
    const response = await officer.post(`/organisation/cases/${caseId}/decisions/new`, {
      version: '1',
      kind: 'not_assess',
      'decidedOn-day': '31',
      'decidedOn-month': '2',
      'decidedOn-year': '2026',
      reasons: '',
      panelNotes: 'Keep this text',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Date of the decision must be a real date');
    expect(response.body).toContain('Keep this text');
    expect(
      await t.database.db.select().from(caseDecision).where(eq(caseDecision.caseId, caseId)),
    ).toHaveLength(0);
  });

  it('the caseworker decides to assess and asks for advice; a stale save shows the case as it is now', async () => {
    const decided = await officer.post(`/organisation/cases/${caseId}/decisions/new`, {
      version: '1',
      kind: 'assess',
      'decidedOn-day': '20',
      'decidedOn-month': '7',
      'decidedOn-year': '2026',
      'parentsToldOn-day': '21',
      'parentsToldOn-month': '7',
      'parentsToldOn-year': '2026',
      reasons: 'Evidence of needs beyond SEN support',
    });
    expect(decided.statusCode).toBe(303);
    const stale = await officer.post(`/organisation/cases/${caseId}/decisions/new`, {
      version: '1',
      kind: 'panel',
      'decidedOn-day': '22',
      'decidedOn-month': '7',
      'decidedOn-year': '2026',
      panelNotes: 'My stale note',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this case');
    expect(stale.body).toContain('My stale note');
    expect(stale.body).toContain('To carry out an EHC needs assessment: 20 July 2026');
    const asked = await officer.post(`/organisation/cases/${caseId}/advice/new`, {
      version: '2',
      source: 'school',
      schoolId: t.w.school.id,
      'requestedOn-day': '22',
      'requestedOn-month': '7',
      'requestedOn-year': '2026',
    });
    expect(asked.statusCode).toBe(303);
    const dates = await officer.get(`/organisation/cases/${caseId}/dates`);
    expect(dates.statusCode).toBe(200);
    expect(dates.body).toContain('Serve the draft plan by 17 November 2026');
    const page = await officer.get(`/organisation/cases/${caseId}`);
    expect(page.body).toContain('The final EHC plan is due by <strong>2 December 2026</strong>');
    expect(page.body).toContain('the usual summer holiday');
    const [row] = await t.database.db.select().from(organisationCase).where(eq(organisationCase.id, caseId));
    expect(row!.stage).toBe('assessing');
    // Deciding whether to issue a plan with the school's advice still out: the form says so first.
    const form = await officer.get(`/organisation/cases/${caseId}/decisions/new`);
    expect(form.body).toContain('Advice asked for and not yet received: ');
    expect(form.body).toContain('made on the advice gathered in the assessment');
  });

  it('a case whose draft was served before its plan was kept here offers to start the plan; one not assessed does not', async () => {
    const pupil = await buildPupil(t.database.db, { schoolId: t.w.school.id });
    const { caseId: served } = await buildReceivedCase(t.database.db, pupil, t.w.officer.organisationId, {
      receivedOn: '2026-06-01',
    });
    const version = async () =>
      (await t.database.db.select().from(organisationCase).where(eq(organisationCase.id, served)))[0]!
        .version;
    for (const [kind, on] of [
      ['assess', '2026-07-01'],
      ['issue_plan', '2026-09-14'],
    ] as const)
      await t.services.caseload.recordDecision(t.w.officer.actor, served, {
        version: await version(),
        kind,
        decidedOn: on,
        parentsToldOn: on,
        reasons: null,
        panelNotes: null,
      });
    await t.services.caseload.updateDates(t.w.officer.actor, served, {
      version: await version(),
      caseworkerUserId: null,
      draftSentOn: '2026-09-21',
      finalIssuedOn: null,
      withdrawn: false,
    });
    const page = await officer.get(`/organisation/cases/${served}`);
    expect(page.body).toContain('Draft plan with the parents');
    expect(page.body).toContain('Start the draft plan');
    expect(page.body).toContain(`/organisation/cases/${served}/plan/new`);
    const started = await officer.post(`/organisation/cases/${served}/plan/new`);
    expect(started.statusCode).toBe(303);
    const other = await buildPupil(t.database.db, { schoolId: t.w.school.id });
    const { caseId: received } = await buildReceivedCase(t.database.db, other, t.w.officer.organisationId);
    expect((await officer.get(`/organisation/cases/${received}`)).body).not.toContain('Start the draft plan');
  });

  it('the exception form offers only the grounds recorded by hand: a school’s closure posted anyway is refused by the field', async () => {
    const form = await officer.get(`/organisation/cases/${caseId}/exceptions/new`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('value="personal_circumstances"');
    expect(form.body).toContain('value="early_years_closure"');
    expect(form.body).not.toContain('value="school_closure"');
    const [before] = await t.database.db
      .select()
      .from(organisationCase)
      .where(eq(organisationCase.id, caseId));
    const posted = await officer.post(`/organisation/cases/${caseId}/exceptions/new`, {
      version: String(before!.version),
      ground: 'school_closure',
      'startsOn-day': '23',
      'startsOn-month': '7',
      'startsOn-year': '2026',
      note: 'Keep this note',
    });
    expect(posted.statusCode).toBe(400);
    expect(posted.body).toContain('record the school’s closure under its settings');
    expect(posted.body).toContain('Keep this note');
    const [after] = await t.database.db
      .select()
      .from(organisationCase)
      .where(eq(organisationCase.id, caseId));
    expect(after!.version).toBe(before!.version);
  });

  it('the advice page is a read of the case, audited on the authority’s chain', async () => {
    const [advice] = await t.database.db.select().from(caseAdvice).where(eq(caseAdvice.caseId, caseId));
    const page = await officer.get(`/organisation/cases/${caseId}/advice/${advice!.id}`);
    expect(page.statusCode).toBe(200);
    const [last] = await t.database.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.organisationId, t.w.officer.organisationId))
      .orderBy(desc(auditEvent.chainSeq))
      .limit(1);
    expect(last).toMatchObject({ action: 'case.advice_viewed', detail: { caseId, adviceId: advice!.id } });
  });

  it('shows the whole pack the school sent, read-only, when it is one', async () => {
    const pack = examplePack();
    const { caseId: packCase } = await buildReceivedCase(
      t.database.db,
      t.w.pupilA,
      t.w.officer.organisationId,
      {
        received: pack,
      },
    );
    const page = await officer.get(`/organisation/cases/${packCase}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('The whole request, as the school sent it');
    expect(page.body).toContain('1. The person completing this request');
    expect(page.body).toContain(`${pack.child.forename} ${pack.child.surname}`);
  });

  it('another authority’s case is not found, and its forms too', async () => {
    const elsewhere = await buildOfficer(t.database.db);
    const { caseId: theirs } = await buildReceivedCase(
      t.database.db,
      t.w.otherPupil,
      elsewhere.organisationId,
    );
    for (const path of [
      `/organisation/cases/${theirs}`,
      `/organisation/cases/${theirs}/decisions/new`,
      `/organisation/cases/${theirs}/received.json`,
    ])
      expect((await officer.get(path)).statusCode, path).toBe(404);
    const post = await officer.post(`/organisation/cases/${theirs}/dates`, {
      version: '1',
      withdrawn: 'yes',
    });
    expect(post.statusCode).toBe(404);
    const [row] = await t.database.db.select().from(organisationCase).where(eq(organisationCase.id, theirs));
    expect(row!.closedOn).toBeNull();
  });

  it('hostile posts change nothing: no CSRF token, two decisions at once, hidden control characters, a version that is not one', async () => {
    const { caseId: target } = await buildReceivedCase(t.database.db, t.w.pupilE, t.w.officer.organisationId);
    const url = `/organisation/cases/${target}/decisions/new`;
    await officer.get(url);
    const good = {
      version: '1',
      kind: 'assess',
      'decidedOn-day': '20',
      'decidedOn-month': '11',
      'decidedOn-year': '2026',
    };
    expect((await officer.post(url, good, { csrf: false })).statusCode).toBe(403);
    const twice = await officer.post(url, { ...good, kind: ['assess', 'not_assess'] });
    expect(twice.statusCode).toBe(400);
    const hidden = await officer.post(url, { ...good, reasons: 'Fine\u202eenif' });
    expect([303, 400]).toContain(hidden.statusCode);
    const control = await officer.post(url, { ...good, kind: 'panel', panelNotes: 'Bell\u0007' });
    expect(control.statusCode).toBe(400);
    expect((await officer.post(url, { ...good, version: '1e3' })).statusCode).toBe(400);
    const decisions = await t.database.db.select().from(caseDecision).where(eq(caseDecision.caseId, target));
    // Only the post with a right-to-left mark may have saved (it is text, not a control character).
    expect(decisions.length).toBeLessThanOrEqual(1);
    expect(decisions.every((d) => d.panelNotes === null)).toBe(true);
  });

  it('the SEN2 figures name no child', async () => {
    const page = await officer.get('/organisation/figures/sen2?year=2026');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Requests for an EHC needs assessment received');
    expect(page.body).not.toContain('Kowalski');
  });

  it('the SEN2 figures are exact counts, and a year with no cases says which years there are', async () => {
    const page = await officer.get('/organisation/figures/sen2?year=2026');
    const received = page.body.match(
      /Requests for an EHC needs assessment received<\/th><td class="govuk-table__cell govuk-table__cell--numeric">([^<]*)<\/td>/,
    );
    // The cases received this year, counted exactly (a small number is not hidden).
    expect(received?.[1]).toMatch(/^[1-9]\d*$/);
    expect(page.body).not.toContain('Small numbers');
    const later = await officer.get('/organisation/figures/sen2?year=2031');
    expect(later.statusCode).toBe(200);
    expect(later.body).toContain('There are no cases in 2031. There are figures for 2026');
    expect(later.body).toContain('Requests and assessments in 2026');
  });
});

describe('the school’s closures page', () => {
  it('the SENCo records a closure; a short one is shown again with the message', async () => {
    const short = await senco.post('/settings/closures', {
      'firstDay-day': '25',
      'firstDay-month': '10',
      'firstDay-year': '2027',
      'lastDay-day': '31',
      'lastDay-month': '10',
      'lastDay-year': '2027',
      note: 'Half term',
    });
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('Only a closure of 4 weeks or more counts');
    expect(short.body).toContain('Half term');
    const ok = await senco.post('/settings/closures', {
      'firstDay-day': '22',
      'firstDay-month': '7',
      'firstDay-year': '2027',
      'lastDay-day': '1',
      'lastDay-month': '9',
      'lastDay-year': '2027',
    });
    expect(ok.statusCode).toBe(303);
    expect((await senco.get('/settings/closures')).body).toContain('22 July 2027');
  });
});
