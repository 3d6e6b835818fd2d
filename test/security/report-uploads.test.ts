import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvent } from '../../src/db/schema/index.ts';
import { MAX_FILE_BYTES } from '../../src/domain/files.ts';
import { buildConsent, buildReferral, TODAY } from '../builders/index.ts';
import { Client, useApp } from '../client.ts';
import {
  docxWithoutDocument,
  htmlAfterPdfHeader,
  notAPdf,
  pdfWithEscapedScript,
  pdfWithScript,
  pdfWithScriptInObjectStream,
  reportPdf,
} from '../report-files.ts';
import { changedTables, rowCounts } from './support.ts';

/*
 * Hostile uploads and hostile input to the report forms, as the professional and as the SENCo: a file
 * that is not what it says, empty, too large, a PDF that runs JavaScript, control characters, choices
 * not on the list, more rows than the form shows. Each a plain message, nothing kept. And a
 * professional asking for a referral not theirs, or after sharing ended: refused and recorded where
 * the school sees it.
 */
const t = useApp();
let referralId: string;
let professional: Client;
let senco: Client;

const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

beforeAll(async () => {
  const { database, services, w, app } = t;
  const made = await buildReferral(database.db, w.pupilK, { status: 'sent', sentOn: '2026-10-10' });
  await buildConsent(database.db, made);
  await services.professionals.invite(w.senco.actor, made.id, {
    agencyProfessionalId: null,
    name: 'Priya Psychologist',
    email: w.professional.email,
    sharedUntil: '2027-02-12',
    version: 1,
  });
  referralId = made.id;
  professional = new Client(app);
  await professional.signIn(w.professional.email);
  senco = new Client(app);
  await senco.signIn(w.senco.email);
});

const fields = {
  title: 'Speech and language assessment',
  'writtenOn-day': '18',
  'writtenOn-month': '11',
  'writtenOn-year': '2026',
  rows: '3',
  'rec-1-text': 'One instruction at a time',
  'rec-1-kind': 'strategy',
  'rec-1-area': 'communication_and_interaction',
};

/*
 * Files that pass a look at their first bytes or a plain search of them: a script named with #xx
 * escapes or inside a compressed object stream, a ZIP that declares a Word document and holds a program
 * and a web page, a PDF header followed by a web page. For every upload (reports and signed consent forms).
 */
const hiddenAndPartial = async () => [
  {
    label: 'a PDF whose action and script are named with #xx escapes',
    name: 'report.pdf',
    data: await pdfWithEscapedScript(),
    says: /JavaScript|scripts/,
  },
  {
    label: 'a PDF with its action and script in a compressed object stream',
    name: 'report.pdf',
    data: await pdfWithScriptInObjectStream(),
    says: /JavaScript|scripts/,
  },
  {
    label: 'a ZIP declaring a Word document, holding a program and a web page',
    name: 'report.docx',
    data: await docxWithoutDocument(),
    says: /must be a PDF, Word document.*not a whole Word document/,
  },
  {
    label: 'a PDF header followed by a web page',
    name: 'report.pdf',
    data: htmlAfterPdfHeader,
    says: /must be a PDF.*not a whole PDF/,
  },
];

describe('the report forms refuse hostile files with a plain message, keeping nothing', () => {
  const cases = async () => [
    { label: 'a text file named .pdf', name: 'report.pdf', data: notAPdf, says: /must be a PDF/ },
    { label: 'an empty file', name: 'report.pdf', data: Buffer.alloc(0), says: /is empty/ },
    { label: 'a PDF with JavaScript', name: 'report.pdf', data: await pdfWithScript(), says: /JavaScript/ },
    ...(await hiddenAndPartial()),
    {
      label: 'a file one byte over the limit',
      name: 'big.pdf',
      data: Buffer.concat([await reportPdf(), Buffer.alloc(MAX_FILE_BYTES)]),
      says: /too large|smaller than/,
    },
  ];

  it('as the professional', async () => {
    for (const c of await cases()) {
      const url = `/shared/referrals/${referralId}/report`;
      await professional.get(url);
      const before = await rowCounts(t.database);
      const r = await professional.postMultipart(url, fields, {
        field: 'file',
        name: c.name,
        data: c.data,
        type: 'application/pdf',
      });
      expect([400, 413], c.label).toContain(r.statusCode);
      expect(textOf(r.body), c.label).toMatch(c.says);
      expect(changedTables(before, await rowCounts(t.database)), c.label).toEqual([]);
    }
  });

  it('as the SENCo adding a report from paper', async () => {
    for (const c of await cases()) {
      const url = `/referrals/${referralId}/reports/new`;
      await senco.get(url);
      const before = await rowCounts(t.database);
      const r = await senco.postMultipart(
        url,
        { ...fields, authorName: 'Jo Carter' },
        { field: 'file', name: c.name, data: c.data, type: 'application/pdf' },
      );
      expect([400, 413], c.label).toContain(r.statusCode);
      expect(textOf(r.body), c.label).toMatch(c.says);
      expect(changedTables(before, await rowCounts(t.database)), c.label).toEqual([]);
    }
  });

  it('refuses control characters, choices not on the list, a date to come, and keeps what was typed', async () => {
    const url = `/shared/referrals/${referralId}/report`;
    const pdf = { field: 'file', name: 'report.pdf', data: await reportPdf(), type: 'application/pdf' };
    const bad: [Record<string, string>, RegExp][] = [
      [{ title: 'Report\u0007' }, /single line of text without hidden control characters/],
      [{ 'rec-1-kind': 'sabotage' }, /Recommendation 1: Choose the kind of recommendation from the list/],
      [{ 'rec-1-area': 'astrology' }, /Recommendation 1: Choose the area of need from the list/],
      [{ 'rec-2-kind': 'target' }, /Recommendation 2: write the recommendation/],
      [{ 'rec-3-text': 'Hearing test' }, /Recommendation 3: choose its kind/],
      [{ 'writtenOn-year': '2099' }, /cannot be in the future/],
    ];
    for (const [change, says] of bad) {
      await professional.get(url);
      const before = await rowCounts(t.database);
      const r = await professional.postMultipart(url, { ...fields, ...change }, pdf);
      expect(r.statusCode, JSON.stringify(change)).toBe(400);
      expect(textOf(r.body), JSON.stringify(change)).toMatch(says);
      expect(r.body).toContain('One instruction at a time');
      expect(changedTables(before, await rowCounts(t.database))).toEqual([]);
    }
  });

  it('adds one row at a time without JavaScript, saving nothing, and never more than twenty', async () => {
    const url = `/shared/referrals/${referralId}/report`;
    await professional.get(url);
    const before = await rowCounts(t.database);
    const r = await professional.postMultipart(url, { ...fields, _addRow: '1' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('name="rec-4-text"');
    expect(r.body).toContain('One instruction at a time');
    const many = await professional.postMultipart(url, { ...fields, rows: '99', _addRow: '1' });
    expect(many.body).toContain('name="rec-20-text"');
    expect(many.body).not.toContain('name="rec-21-text"');
    expect(changedTables(before, await rowCounts(t.database))).toEqual([]);
  });

  it('keeps a good report with its three recommendations', async () => {
    const url = `/shared/referrals/${referralId}/report`;
    await professional.get(url);
    const r = await professional.postMultipart(
      url,
      {
        ...fields,
        'rec-2-text': 'Follow a two-step instruction 4 times out of 5',
        'rec-2-kind': 'target',
        'rec-3-text': 'Hearing test',
        'rec-3-kind': 'further_assessment',
      },
      { field: 'file', name: 'report.pdf', data: await reportPdf(), type: 'application/pdf' },
    );
    expect(r.statusCode).toBe(303);
    const page = await professional.get(String(r.headers.location));
    expect(page.body).toContain('Speech and language assessment');
    expect(TODAY).toBe('2026-11-20');
  });
});

describe('the consent form refuses the same files, keeping nothing', () => {
  it('as the SENCo recording a signed consent form', async () => {
    const { database, w } = t;
    const other = await buildReferral(database.db, w.pupilK, { status: 'awaiting_consent' });
    const url = `/referrals/${other.id}/consents/new`;
    const consentFields = {
      givenBy: 'parent',
      parentId: w.parentK.id,
      how: 'signed_form',
      covers: 'referral',
      'givenOn-day': '19',
      'givenOn-month': '11',
      'givenOn-year': '2026',
    };
    for (const c of await hiddenAndPartial()) {
      await senco.get(url);
      const before = await rowCounts(t.database);
      const r = await senco.postMultipart(url, consentFields, {
        field: 'form',
        name: c.name,
        data: c.data,
        type: 'application/pdf',
      });
      expect(r.statusCode, c.label).toBe(400);
      expect(textOf(r.body), c.label).toMatch(c.says);
      expect(changedTables(before, await rowCounts(t.database)), c.label).toEqual([]);
    }
    // The same form with a whole PDF is kept.
    await senco.get(url);
    const kept = await senco.postMultipart(url, consentFields, {
      field: 'form',
      name: 'signed.pdf',
      data: await reportPdf('Signed consent'),
      type: 'application/pdf',
    });
    expect(kept.statusCode).toBe(303);
  });
});

describe('a professional asking for what is not theirs', () => {
  it('is refused another pupil’s referral and the referral after sharing ended: 404, recorded for the school', async () => {
    const { database, w } = t;
    const elsewhere = await buildReferral(database.db, w.otherPupil, { status: 'sent' });
    expect((await professional.get(`/shared/referrals/${elsewhere.id}`)).statusCode).toBe(404);
    expect((await professional.get(`/shared/referrals/${referralId}`)).statusCode).toBe(200);
    await senco.get(`/referrals/${referralId}/invite`);
    const ended = await senco.post(`/referrals/${referralId}/share/end`);
    expect(ended.statusCode).toBe(303);
    expect((await professional.get(`/shared/referrals/${referralId}`)).statusCode).toBe(404);
    expect((await professional.get(`/shared/referrals/${referralId}/report`)).statusCode).toBe(404);
    const probes = await database.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.action, 'access.probe_from_other_school'));
    const about = (id: string, schoolId: string) =>
      probes.some((p) => p.schoolId === schoolId && (p.detail as { id?: string } | null)?.id === id);
    expect(about(elsewhere.id, w.otherSchool.id)).toBe(true);
    expect(about(referralId, w.school.id)).toBe(true);
  });
});
