import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { Client, useApp } from '../../../../test/client.ts';
import { schoolReport } from '../../../db/schema/index.ts';
import { SEN_INFORMATION_ITEMS } from '../../../domain/school-reports.ts';

const t = useApp();

async function signedIn(email: string) {
  const client = new Client(t.app);
  await client.signIn(email);
  return client;
}

const written = () => {
  const texts: Record<string, string> = Object.fromEntries(
    SEN_INFORMATION_ITEMS.map((i) => [i.key, `The school’s words on ${i.heading.toLowerCase()}.`]),
  );
  delete texts.transitions;
  delete texts.local_offer;
  return texts;
};

async function drafted(client: Client) {
  await client.get('/school-reports');
  const started = await client.post('/school-reports/new', { kind: 'sen_information', academicYear: '2026' });
  expect(started.statusCode).toBe(303);
  const id = String(started.headers.location).split('/').at(-2) as string;
  return id;
}

const versionOf = async (id: string) =>
  String((await t.database.db.select().from(schoolReport).where(eq(schoolReport.id, id)))[0]?.version);

describe('the school’s SEN reports', () => {
  it('drafts the SEN information report, shows what is missing, and saves the school’s words', async () => {
    const head = await signedIn(t.w.head.email);
    const list = await head.get('/school-reports');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('href="/school-reports"');
    const id = await drafted(head);
    const edit = await head.get(`/school-reports/${id}/edit`);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('23 required items are still to write');
    const saved = await head.post(`/school-reports/${id}/edit`, {
      version: await versionOf(id),
      ...written(),
    });
    expect(saved.statusCode).toBe(303);
    const page = await head.get(`/school-reports/${id}`);
    expect(page.body).toContain('2 required items are still to write');
    expect(page.body).toMatch(/Missing<\/strong> Transitions/);
    expect(page.body).toContain('role="img"');
    expect(page.body).toContain('<title id="chart-register-stages-title">');
    expect(page.body).toContain('data-chart="chart-register-stages"');
    expect(page.body).not.toContain('Kowalski');
  });

  it('keeps the user’s words and shows the other person’s on a stale save', async () => {
    const head = await signedIn(t.w.head.email);
    const senco = await signedIn(t.w.senco.email);
    const id = await drafted(head);
    const read = await versionOf(id);
    await senco.get(`/school-reports/${id}/edit`);
    await head.post(`/school-reports/${id}/edit`, { version: read, transitions: 'Hana’s transitions' });
    const stale = await senco.post(`/school-reports/${id}/edit`, {
      version: read,
      transitions: 'Sam’s transitions',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Sam’s transitions');
    expect(stale.body).toContain('Hana’s transitions');
    expect(stale.body).toContain(`name="version" value="${await versionOf(id)}"`);
  });

  it('refuses bad input with a 400 page and changes nothing', async () => {
    const head = await signedIn(t.w.head.email);
    const id = await drafted(head);
    const [before] = await t.database.db.select().from(schoolReport).where(eq(schoolReport.id, id));
    const bad = await head.post(`/school-reports/${id}/edit`, {
      version: String(before?.version),
      transitions: ['one', 'two'],
      local_offer: 'bell\u0007',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter the text once');
    const noVersion = await head.post(`/school-reports/${id}/edit`, { version: 'x' });
    expect(noVersion.statusCode).toBe(400);
    const [after] = await t.database.db.select().from(schoolReport).where(eq(schoolReport.id, id));
    expect(after?.version).toBe(before?.version);
    expect((await head.post('/school-reports/new', { kind: 'x', academicYear: '2026' })).statusCode).toBe(
      400,
    );
    expect((await head.get('/school-reports/not-a-report')).statusCode).toBe(404);
  });

  it('serves the PDF and the website HTML with no script and no pupil named', async () => {
    const head = await signedIn(t.w.head.email);
    const id = await drafted(head);
    const pdf = await head.get(`/school-reports/${id}/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.rawPayload.toString('latin1')).toContain('/StructTreeRoot');
    expect(String(pdf.headers['content-disposition'])).toContain('sen-information-report-2026-27.pdf');
    const html = await head.get(`/school-reports/${id}/website.html`);
    expect(html.statusCode).toBe(200);
    expect(html.body).toMatch(/^<!DOCTYPE html>/);
    expect(html.body).toContain('<html lang="en-GB">');
    expect(html.body).not.toMatch(/<script/i);
    expect(html.body).not.toMatch(/Kowalski|Evans/);
    expect(html.body).toContain('role="img"');
    const website = await head.get(`/school-reports/${id}/website`);
    expect(website.statusCode).toBe(200);
    expect(website.body).toContain('&lt;article class=&quot;sen-report&quot;&gt;');
  });

  it('publishes a complete report, and a governor reads it but may not write', async () => {
    const head = await signedIn(t.w.head.email);
    const id = await drafted(head);
    await head.post(`/school-reports/${id}/edit`, {
      version: await versionOf(id),
      ...written(),
      transitions: 'Visits before each move.',
      local_offer: 'https://example.org/local-offer',
    });
    expect((await head.get(`/school-reports/${id}`)).body).toContain('Every required item is written');
    await head.get(`/school-reports/${id}/publish`);
    const published = await head.post(`/school-reports/${id}/publish`, { version: await versionOf(id) });
    expect(published.statusCode).toBe(303);
    const governor = await signedIn(t.w.governor.email);
    const page = await governor.get(`/school-reports/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Published on');
    expect(page.body).not.toContain(`/school-reports/${id}/edit`);
    expect((await governor.get(`/school-reports/${id}/edit`)).statusCode).toBe(403);
    const teacher = await signedIn(t.w.teacherA.email);
    expect((await teacher.get(`/school-reports/${id}`)).statusCode).toBe(403);
  });
});
