import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { Client, useApp } from '../../../../test/client.ts';
import { attainmentResult } from '../../../db/schema/index.ts';

const t = useApp();

async function signedIn(email: string) {
  const client = new Client(t.app);
  await client.signIn(email);
  return client;
}

/** The grid form's fields as the page gives them (name → value). */
function gridFields(body: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of body.matchAll(/<input[^>]*name="([cov]_[^"]+)"[^>]*value="([^"]*)"/g))
    fields[m[1]!] = m[2]!;
  return fields;
}

describe('the class attainment grid', () => {
  it('is found from the Progress menu item by the class teacher, and keeps every typed value when a cell is wrong', async () => {
    const teacher = await signedIn(t.w.teacherA.email);
    const home = await teacher.get('/progress');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('href="/progress"');
    const gridHref = `/classes/${t.w.classA.id}/attainment`;
    expect(home.body).toContain(gridHref);
    expect(home.body).not.toContain(`/classes/${t.w.classB.id}/attainment`);

    const page = await teacher.get(gridHref);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Attainment, Autumn 2026');
    const fields = gridFields(page.body);
    const cells = Object.keys(fields).filter((k) => k.startsWith('c_'));
    expect(cells).toHaveLength(6);
    const [first, second, ...rest] = cells;
    const typed = { ...fields, [first!]: 'EXS', [second!]: 'nonsense' };
    const wrong = await teacher.post(gridHref, typed);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('There is a problem');
    expect(wrong.body).toContain('value="nonsense"');
    expect(wrong.body).toContain('value="EXS"');
    expect(await t.database.db.select().from(attainmentResult)).toHaveLength(0);

    const saved = await teacher.post(gridHref, { ...typed, [second!]: 'wts', [rest[0]!]: 's3' });
    expect(saved.statusCode).toBe(303);
    const after = await teacher.get(gridHref);
    expect(after.body).toContain('results saved for');
    expect(await t.database.db.select().from(attainmentResult)).toHaveLength(3);
  });

  it('shows another person’s value in a cell both changed, keeping the typed one', async () => {
    const teacher = await signedIn(t.w.teacherA.email);
    const senco = await signedIn(t.w.senco.email);
    const gridHref = `/classes/${t.w.classA.id}/attainment`;
    const mine = gridFields((await teacher.get(gridHref)).body);
    const theirs = gridFields((await senco.get(gridHref)).body);
    const cell = Object.keys(mine).find((k) => k.startsWith('c_') && mine[k] === '')!;
    expect((await senco.post(gridHref, { ...theirs, [cell]: 'GDS' })).statusCode).toBe(303);
    const clash = await teacher.post(gridHref, { ...mine, [cell]: 'BLW' });
    expect(clash.statusCode).toBe(409);
    expect(clash.body).toContain('Saved meanwhile: GDS');
    expect(clash.body).toContain('value="BLW"');
    // Saved again as it is now shown: the teacher's value goes through.
    expect((await teacher.post(gridHref, gridFields(clash.body))).statusCode).toBe(303);
    const rows = await t.database.db.select().from(attainmentResult).where(eq(attainmentResult.value, 0));
    expect(rows).toHaveLength(1);
  });

  it('answers hostile input with a plain page, never a 500', async () => {
    const teacher = await signedIn(t.w.teacherA.email);
    const gridHref = `/classes/${t.w.classA.id}/attainment`;
    const fields = gridFields((await teacher.get(gridHref)).body);
    const cell = Object.keys(fields).find((k) => k.startsWith('c_'))!;
    expect((await teacher.post(gridHref, { ...fields, [cell]: 'E\u0000S' })).statusCode).toBe(400);
    expect((await teacher.post(gridHref, { ...fields, [cell]: ['EXS', 'WTS'] })).statusCode).toBe(400);
    expect((await teacher.get(`${gridHref}?term=soon`)).statusCode).toBe(404);
    expect((await teacher.get(`${gridHref}?term=2027-autumn`)).statusCode).toBe(404);
    expect((await teacher.get(`/classes/${t.w.otherClass.id}/attainment`)).statusCode).toBe(404);
    expect((await teacher.get(`/classes/${t.w.classB.id}/attainment`)).statusCode).toBe(404);
    const ta = await signedIn(t.w.ta.email);
    expect((await ta.get(gridHref)).statusCode).toBe(403);
  });
});

describe('a pupil’s progress', () => {
  it('is linked from the pupil page, and a trajectory that differs needs its reason', async () => {
    const senco = await signedIn(t.w.senco.email);
    const pupilPage = await senco.get(`/pupils/${t.w.pupilK.id}`);
    expect(pupilPage.body).toContain(`/pupils/${t.w.pupilK.id}/progress`);
    const progress = await senco.get(`/pupils/${t.w.pupilK.id}/progress`);
    expect(progress.statusCode).toBe(200);
    expect(progress.body).toContain('Termly attainment');
    const href = progress.body.match(/href="(\/pupils\/[^"]+\/trajectory)"/)![1]!;
    expect((await senco.get(href)).statusCode).toBe(200);
    const missing = await senco.post(href, { scale: 'steps', endValue: 'S9', reason: '', version: '' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Say why this pupil’s expected progress differs from their peers’');
    expect(missing.body).toContain('value="S9"');
    const saved = await senco.post(href, {
      scale: 'steps',
      endValue: 'S9',
      reason: 'Working below Year 4 in reading; small steps agreed at the plan review',
      version: '',
    });
    expect(saved.statusCode).toBe(303);
    const after = await senco.get(`/pupils/${t.w.pupilK.id}/progress`);
    expect(after.body).toContain('small steps agreed at the plan review');
  });
});

describe('subjects and the early-identification list', () => {
  it('adds a subject with a plain-English error first, and lists pupils below their trajectory', async () => {
    const lead = await signedIn(t.w.assessmentLead.email);
    const bad = await lead.post('/progress/subjects/new', {
      name: 'Spelling',
      scale: 'bands',
      bands: 'EXS',
      expectedBand: '',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter at least two bands');
    const ok = await lead.post('/progress/subjects/new', {
      name: 'Spelling',
      scale: 'score',
      scoreMin: '70',
      scoreMax: '141',
      scoreExpected: '100',
    });
    expect(ok.statusCode).toBe(303);
    expect((await lead.get('/progress/subjects')).body).toContain('Spelling');
    const list = await lead.get('/progress/below-trajectory');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Pupils below their expected trajectory');
    expect((await lead.get('/progress/below-trajectory?classId=nonsense')).statusCode).toBe(200);
  });
});

describe('importing attainment from the MIS', () => {
  it('checks a file first, then imports it whole; hostile files get a plain 400', async () => {
    const lead = await signedIn(t.w.assessmentLead.email);
    await lead.get('/progress/import');
    const csv = `UPN,Subject,Academic year,Term,Value\n${t.w.pupilE.upn},Reading,2026/27,Autumn,WTS\n`;
    const checked = await lead.postFile(
      '/progress/import',
      { fileName: 'a.csv', data: csv },
      { _preview: '1' },
    );
    expect(checked.statusCode).toBe(200);
    expect(checked.body).toContain('1 to add');
    expect(checked.body).toContain('Eli');
    const before = (await t.database.db.select().from(attainmentResult)).length;
    const imported = await lead.postFile('/progress/import', { fileName: 'a.csv', data: csv });
    expect(imported.statusCode).toBe(303);
    expect((await t.database.db.select().from(attainmentResult)).length).toBe(before + 1);
    for (const data of [
      'UPN,Subject,Academic year,Term,Value\nA\u0000B,Reading,2026,Autumn,EXS',
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 1, 2]),
      '',
    ]) {
      const refused = await lead.postFile('/progress/import', { fileName: 'x.csv', data }, { _preview: '1' });
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain('There is a problem');
    }
  });
});
