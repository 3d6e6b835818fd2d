import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ctfBytes } from '../../../../test/builders/ctf.ts';
import { MIS_HEADINGS, misCsv, misRowFor } from '../../../../test/builders/index.ts';
import { Client, useApp } from '../../../../test/client.ts';
import { parentCarer, pupil, pupilImport } from '../../../db/schema/index.ts';
import { makeUpn } from '../../../domain/upn.ts';

const t = useApp();

async function office() {
  const client = new Client(t.app);
  await client.signIn(t.w.office.email);
  await client.get('/import/pupils');
  return client;
}

async function counts() {
  const [pupils, imports] = await Promise.all([
    t.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(pupil)
      .where(eq(pupil.schoolId, t.w.school.id)),
    t.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(pupilImport)
      .where(eq(pupilImport.schoolId, t.w.school.id)),
  ]);
  return { pupils: pupils[0]!.n, imports: imports[0]!.n };
}

const location = (r: { headers: Record<string, unknown> }) => String(r.headers.location);

describe('the upload page', () => {
  it('is in the menu of those who may import, and nobody else', async () => {
    const client = await office();
    const home = await client.get('/');
    expect(home.body).toContain('href="/import/pupils"');
    const teacher = new Client(t.app);
    await teacher.signIn(t.w.teacherA.email);
    expect((await teacher.get('/')).body).not.toContain('href="/import/pupils"');
    expect((await teacher.get('/import/pupils')).statusCode).toBe(403);
  });

  it('refuses every bad upload with a plain message, saving nothing', async () => {
    const client = await office();
    const before = await counts();
    const cases: [string, Buffer | string, string][] = [
      [
        'pupils.xlsx',
        Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]),
        'pupils.xlsx is a spreadsheet workbook, not a CSV file',
      ],
      ['empty.csv', '', 'The file empty.csv is empty'],
      [
        'photo.png',
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
        'photo.png is not a CSV file',
      ],
      ['headings.csv', 'UPN,Surname,Forename\r\n', 'headings.csv has column headings but no pupils'],
    ];
    for (const [fileName, data, message] of cases) {
      const response = await client.postFile('/import/pupils', { fileName, data });
      expect(response.statusCode, fileName).toBe(400);
      expect(response.body).toContain('There is a problem');
      expect(response.body).toContain(message);
      expect(response.body).toContain('href="#file"');
    }
    const none = await client.post('/import/pupils', {});
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Choose a CSV file to upload');
    expect(await counts()).toEqual(before);
  });

  it('answers a 50 MB file with the too-large page, not an error', async () => {
    const client = await office();
    const before = await counts();
    const big = Buffer.alloc(50 * 1024 * 1024, 'a');
    const response = await client.postFile('/import/pupils', { fileName: 'huge.csv', data: big });
    expect(response.statusCode).toBe(413);
    expect(response.body).toContain('The file is too large: a file can be up to 20 MB.');
    expect(response.body.match(/Nothing was saved/g)).toHaveLength(1);
    expect(await counts()).toEqual(before);
  });

  it('answers 2 MB of typed text with its own too-large page, which speaks of no file', async () => {
    const client = await office();
    const before = await counts();
    const response = await client.post('/import/pupils', { note: 'a'.repeat(2 * 1024 * 1024) });
    expect(response.statusCode).toBe(413);
    expect(response.body).toContain('What you typed is too long to send');
    expect(response.body).not.toContain('a file can be');
    expect(response.body.match(/Nothing was saved/g)).toHaveLength(1);
    expect(await counts()).toEqual(before);
  });
});

describe('hostile uploads', () => {
  it('a CSV file with a NUL or BEL in a cell, a heading or an unused column is refused naming the character and its line', async () => {
    const client = await office();
    const before = await counts();
    const row = misRowFor(t.w.pupilA, { className: 'Year 4 Oak' });
    const cases: [string, string, string][] = [
      ['nul-in-cell.csv', misCsv([row, { ...row, surname: 'Ade\u0000bayo' }]), '(NUL) on line 3'],
      ['bel-in-heading.csv', misCsv([row], { ...MIS_HEADINGS, surname: 'Sur\u0007name' }), '(BEL) on line 1'],
      [
        'bel-unused-column.csv',
        misCsv([row])
          .replace(/\r?\n/, ',Notes\r\n')
          .replace(/\r?\n$/, ',x\u0007\r\n'),
        '(BEL) on line 2',
      ],
    ];
    for (const [fileName, data, where] of cases) {
      const response = await client.postFile('/import/pupils', { fileName, data });
      expect(response.statusCode, fileName).toBe(400);
      expect(response.body, fileName).toContain(
        `${fileName} holds a control character ${where}, which a CSV export never contains: export it again from the MIS as CSV`,
      );
      expect(response.body, fileName).not.toContain('is not a CSV file');
    }
    expect(await counts()).toEqual(before);
  });

  it('a CSV file saved as UTF-16 without its byte order mark is read', async () => {
    const client = await office();
    const csv = misCsv([misRowFor(t.w.pupilA, { className: 'Year 4 Oak' })]);
    const response = await client.postFile('/import/pupils', {
      fileName: 'unicode.csv',
      data: Buffer.from(csv, 'utf16le'),
    });
    expect(response.statusCode, response.body).toBe(303);
    expect((await client.get(location(response))).body).toContain('Check the pupils from unicode.csv');
  });

  it('keeps only the base name of an uploaded file, without hidden characters, at most 200 characters with its extension', async () => {
    const client = await office();
    const senco = new Client(t.app);
    await senco.signIn(t.w.senco.email);
    await senco.get('/ctf/import');
    const csv = misCsv([misRowFor(t.w.pupilA, { className: 'Year 4 Oak' })]);
    const cases: [string, string][] = [
      ['../../etc/passwd', 'passwd'],
      ['C:\\Users\\office\\pupils.csv', 'pupils.csv'],
      ['a\u0000b\u0007\u202Ec.csv', 'abc.csv'],
      [`${'x'.repeat(5000)}.csv`, `${'x'.repeat(195)}….csv`],
    ];
    for (const [sent, kept] of cases) {
      const uploaded = await client.postFile('/import/pupils', { fileName: sent, data: csv });
      expect(uploaded.statusCode, sent.slice(0, 40)).toBe(303);
      const id = /([0-9a-f-]{36})$/.exec(location(uploaded))![1]!;
      const [row] = await t.database.db.select().from(pupilImport).where(eq(pupilImport.id, id));
      expect(row!.fileName).toBe(kept);
      const ctf = await senco.postFile('/ctf/import', {
        fileName: sent.replace(/\.csv$/, '.xml'),
        data: ctfBytes({ pupils: [{}] }),
        type: 'text/xml',
      });
      expect(ctf.statusCode, sent.slice(0, 40)).toBe(303);
      const ctfId = /([0-9a-f-]{36})$/.exec(location(ctf))![1]!;
      const [ctfRow] = await t.database.db.select().from(pupilImport).where(eq(pupilImport.id, ctfId));
      expect(ctfRow!.fileName).toBe(kept.replace(/\.csv$/, '.xml'));
    }
    // A name refused with its file is shown back the same way.
    const refused = await client.postFile('/import/pupils', {
      fileName: `../../${'y'.repeat(5000)}\u202E.csv`,
      data: 'UPN,Surname\n',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain(`${'y'.repeat(195)}….csv has column headings but no pupils`);
    expect(refused.body).not.toContain('y'.repeat(196));
  });

  it('two files in one upload: “Upload one file at a time” (400), not “too large”, nothing saved', async () => {
    const client = await office();
    const before = await counts();
    const csv = Buffer.from(misCsv([misRowFor(t.w.pupilA, { className: 'Year 4 Oak' })]));
    for (const second of ['file', 'other']) {
      const response = await client.postMultipart('/import/pupils', {}, [
        { field: 'file', name: 'one.csv', data: csv, type: 'text/csv' },
        { field: second, name: 'two.csv', data: csv, type: 'text/csv' },
      ]);
      expect(response.statusCode, second).toBe(400);
      expect(response.body).toContain('Upload one file at a time');
      expect(response.body).not.toContain('too large');
    }
    expect(await counts()).toEqual(before);
  });
});

describe('from upload to applied', () => {
  it('previews a file, shows problems with their lines, and applies the clean rows', async () => {
    const client = await office();
    const nia = makeUpn('999', '7777', 26, 1);
    const wrong = makeUpn('999', '7777', 26, 2);
    const wrongLetter = (wrong[0] === 'A' ? 'B' : 'A') + wrong.slice(1);
    const csv = misCsv([
      misRowFor(t.w.pupilA, { className: 'Year 4 Oak', eal: 'Y' }),
      misRowFor(t.w.pupilK, { className: 'Year 4 Oak' }),
      misRowFor(t.w.pupilE, { className: 'Year 5 Ash' }),
      misRowFor(
        { upn: nia, forename: 'Nia', surname: 'Newcomer', dateOfBirth: '2019-04-04' },
        { className: 'Year 4 Oak' },
      ),
      misRowFor({ upn: wrongLetter, forename: 'Bea', surname: '=Broken()', dateOfBirth: '2019-02-30' }),
    ]);
    const uploaded = await client.postFile('/import/pupils', { fileName: 'pupils.csv', data: csv });
    expect(uploaded.statusCode).toBe(303);
    expect(location(uploaded)).toMatch(/^\/import\/pupils\/[0-9a-f-]{36}$/);
    const before = await counts();

    const preview = await client.get(location(uploaded));
    expect(preview.statusCode).toBe(200);
    const page = preview.body;
    expect(page).toContain('Check the pupils from pupils.csv');
    expect(page).toContain('Rows with problems (1)');
    expect(page).toContain('Line 6');
    expect(page).toContain('UPN check letter is wrong');
    expect(page).toContain('Last name “=Broken()” starts with “=” like a spreadsheet formula');
    expect(page).toContain('Date of birth “30/02/2019” is not a real date');
    expect(page).toContain('Newcomer, Nia');
    expect(page).toContain('English as an additional language (EAL): No → Yes');
    expect(page).toContain('Apply these changes');

    const applied = await client.post(location(uploaded), { version: '1' });
    expect(applied.statusCode).toBe(303);
    const after = await client.get(location(applied));
    expect(after.body).toContain('The import is applied: 1 pupil added, 1 updated.');
    expect(after.body).toContain('The row with problems was left out: correct it and upload the file again.');
    expect(after.body).toContain('These rows were not applied.');
    expect(after.body).not.toContain('The other rows can be applied now');
    expect(after.body).not.toContain('Apply these changes');
    expect((await counts()).pupils).toBe(before.pupils + 1);
    const list = await client.get('/pupils?q=Newcomer');
    expect(list.body).toContain('Newcomer, Nia');
    // The SENCo sees in Amara's chronology where the change came from.
    const senco = new Client(t.app);
    await senco.signIn(t.w.senco.email);
    const record = await senco.get(`/pupils/${t.w.pupilA.id}`);
    expect(record.body).toContain('Details updated from the MIS import');
    expect(record.body).toContain('English as an additional language (EAL).');

    // A second apply is refused, and says why.
    const again = await client.post(location(uploaded), { version: '1' });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('This import has already been applied');
    expect((await counts()).pupils).toBe(before.pupils + 1);
  });

  it('says only what is true: no rows left out of an import without problems, nothing to apply from one discarded', async () => {
    const client = await office();
    const clean = await client.postFile('/import/pupils', {
      fileName: 'clean.csv',
      data: misCsv([misRowFor(t.w.pupilA, { className: 'Year 4 Oak', attendance: '91.5' })]),
    });
    const applied = await client.post(location(clean), { version: '1' });
    expect(applied.statusCode).toBe(303);
    const after = (await client.get(location(applied))).body;
    expect(after).toMatch(/Applied \d/);
    expect(after).not.toContain('left out');
    expect(after).not.toContain('These rows were not applied');

    // Problems only: nothing else to apply, so the page does not say the other rows can be.
    const broken = misRowFor({ upn: 'A123', forename: 'Bea', surname: 'Broken', dateOfBirth: '2019-02-03' });
    const onlyProblems = await client.postFile('/import/pupils', {
      fileName: 'broken.csv',
      data: misCsv([broken, misRowFor(t.w.pupilK, { className: 'Year 4 Oak' })]),
    });
    const preview = (await client.get(location(onlyProblems))).body;
    expect(preview).toContain('Rows with problems (1)');
    expect(preview).not.toContain('The other rows can be applied now');

    // Problems beside rows that can be applied: the page says so, until the import is discarded.
    const mixed = await client.postFile('/import/pupils', {
      fileName: 'mixed.csv',
      data: misCsv([broken, misRowFor(t.w.pupilK, { className: 'Year 4 Oak', eal: 'Y' })]),
    });
    expect((await client.get(location(mixed))).body).toContain('The other rows can be applied now.');
    await client.post(`${location(mixed)}/discard`);
    const discarded = (await client.get(location(mixed))).body;
    expect(discarded).toContain('This import was discarded');
    expect(discarded).not.toContain('The other rows can be applied now');
    expect(discarded).not.toContain('can be applied');
  });

  it('notes a year group that is not the one of the date of birth, without refusing it', async () => {
    const client = await office();
    // 20 November 2026: born April 2019 is Year 3, and Amara (born January 2018) Year 4.
    const nia = makeUpn('999', '7777', 26, 3);
    const csv = misCsv([
      misRowFor(
        { upn: nia, forename: 'Nia', surname: 'Older', dateOfBirth: '2019-04-04' },
        { className: 'Year 4 Oak', yearGroup: 'Year 2' },
      ),
      misRowFor(t.w.pupilA, { className: 'Year 4 Oak', yearGroup: '5' }),
      misRowFor(t.w.pupilK, { className: 'Year 4 Oak' }),
    ]);
    const uploaded = await client.postFile('/import/pupils', { fileName: 'years.csv', data: csv });
    const page = (await client.get(location(uploaded))).body;
    expect(page).not.toContain('Rows with problems (');
    expect(page).toContain(
      '2 pupils in this file have a year group that is not the one of their date of birth',
    );
    expect(page).toContain(
      'Note: Not the year group of their date of birth (Year 3): they will show as taught out of year group',
    );
    expect(page).toContain('Year group: Year 4 → Year 5');
    expect(page).toContain(
      'Note: Not the year group of their date of birth (Year 4): they will show as taught out of year group',
    );
    // Kit's row has no year group: no note for him.
    expect(page.match(/Note: Not the year group/g)).toHaveLength(2);
    expect(page).toContain('Apply these changes');
  });

  it('asks what unknown columns hold, keeps the choices on a mistake, then previews', async () => {
    const client = await office();
    const csv = misCsv([misRowFor(t.w.pupilA, { className: 'Year 4 Oak' })], {
      upn: 'UPN',
      surname: 'Family name (legal)',
      forename: 'Given name (legal)',
      dateOfBirth: 'DOB',
      sex: 'Sex',
      className: 'Class',
    });
    const uploaded = await client.postFile('/import/pupils', { fileName: 'odd.csv', data: csv });
    expect(uploaded.statusCode).toBe(303);
    expect(location(uploaded)).toMatch(/\/columns$/);
    const columns = await client.get(location(uploaded));
    expect(columns.body).toContain('Choose what each column holds');
    expect(columns.body).toContain('Family name (legal)');
    expect(columns.body).toContain('For example: Adebayo');
    const partial = await client.post(location(uploaded), {
      version: '1',
      'column-0': 'upn',
      'column-1': 'surname',
      'column-2': '',
      'column-3': 'dateOfBirth',
      'column-4': 'sex',
      'column-5': 'className',
    });
    expect(partial.statusCode).toBe(400);
    expect(partial.body).toContain('Choose what the column “Given name (legal)” holds, or not to use it');
    expect(partial.body).toContain('href="#column-2"');
    expect(partial.body).toMatch(/<option value="surname" selected>/);
    const bad = await client.post(location(uploaded), { version: '1', 'column-0': 'password' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Choose from the list');
    const mapped = await client.post(location(uploaded), {
      version: '1',
      'column-0': 'upn',
      'column-1': 'surname',
      'column-2': 'forename',
      'column-3': 'dateOfBirth',
      'column-4': 'sex',
      'column-5': 'className',
    });
    expect(mapped.statusCode).toBe(303);
    const preview = await client.get(location(mapped));
    expect(preview.body).toContain('Pupils with no changes');
    expect(preview.body).toContain('Change what the columns hold');
  });

  it('offers missing pupils as leavers, asks for the date, and discards on request', async () => {
    const client = await office();
    const csv = misCsv([misRowFor(t.w.pupilK, { className: 'Year 4 Oak' })]);
    const uploaded = await client.postFile('/import/pupils', { fileName: 'part.csv', data: csv });
    const preview = await client.get(location(uploaded));
    expect(preview.body).toContain('Pupils missing from the file');
    expect(preview.body).toContain('Mark as left');
    const noDate = await client.post(location(uploaded), { version: '1', leavers: t.w.pupilE.id });
    expect(noDate.statusCode).toBe(400);
    expect(noDate.body).toContain('Enter the date the pupils you ticked left the school');
    expect(noDate.body).toMatch(new RegExp(`value="${t.w.pupilE.id}" checked`));
    const discarded = await client.post(`${location(uploaded)}/discard`);
    expect(discarded.statusCode).toBe(303);
    const after = await client.get(location(uploaded));
    expect(after.body).toContain('This import was discarded');
    // The pupils it held are gone at once, not at the weekly clear-out: the page shows none of them.
    expect(after.body).toContain(
      'the pupils it held (names, UPNs, dates of birth and contacts) have been removed',
    );
    expect(after.body).toContain('part.csv');
    for (const gone of [
      t.w.pupilK.surname,
      t.w.pupilK.upn,
      t.w.pupilE.surname,
      'Pupils missing from the file',
    ])
      expect(after.body).not.toContain(gone);
    const still = await t.database.db
      .select({ leftOn: pupil.leftOn })
      .from(pupil)
      .where(and(eq(pupil.schoolId, t.w.school.id), eq(pupil.id, t.w.pupilE.id)));
    expect(still[0]!.leftOn).toBeNull();
  });

  it('answers not found for another school’s import', async () => {
    const theirs = await t.services.imports.upload(t.w.otherSenco.actor, {
      fileName: 'p.csv',
      data: Buffer.from(misCsv([misRowFor(t.w.otherPupil)])),
    });
    const client = await office();
    expect((await client.get(`/import/pupils/${theirs.importId}`)).statusCode).toBe(404);
    expect((await client.get(`/import/pupils/${theirs.importId}/columns`)).statusCode).toBe(404);
    expect((await client.post(`/import/pupils/${theirs.importId}`, { version: '1' })).statusCode).toBe(404);
    expect((await client.post(`/import/pupils/${theirs.importId}/discard`)).statusCode).toBe(404);
    expect((await client.get('/import/pupils/not-an-id')).statusCode).toBe(404);
  });
});

describe('parental responsibility the file does not give', () => {
  it('is said plainly on the preview, asked by relationship with the usual holders ticked, and applied as chosen', async () => {
    const client = await office();
    const row = (n: number, name: string, relationship: string) =>
      misRowFor(
        {
          upn: makeUpn('999', '6666', 26, n),
          forename: `Pr${n}`,
          surname: 'Family',
          dateOfBirth: '2019-04-04',
        },
        { className: 'Year 4 Oak', contactName: name, contactRelationship: relationship },
      );
    const { parentalResponsibility: _pr, ...headings } = MIS_HEADINGS;
    const csv = misCsv(
      [row(1, 'Mia Mum', 'Mother'), row(2, 'Finn Dad', 'Father'), row(3, 'Gus Grandad', 'Grandfather')],
      headings,
    );
    const uploaded = await client.postFile('/import/pupils', { fileName: 'no-pr.csv', data: csv });
    const preview = await client.get(location(uploaded));
    expect(preview.body).toContain('This file has no parental-responsibility column');
    expect(preview.body).toContain('Who holds parental responsibility?');
    expect(preview.body).toMatch(/value="mother" checked/);
    expect(preview.body).toMatch(/value="father" checked/);
    expect(preview.body).toMatch(/value="grandfather"(?! checked)/);
    // JSON or another school's relationship sent instead of a tick: refused, nothing saved.
    const before = await counts();
    const bad = await client.post(location(uploaded), {
      version: '1',
      responsibilityAsked: '1',
      responsibility: ['mother', 'uncle'],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Choose relationships from the list');
    // The ticks sent are kept on the form shown again.
    expect(bad.body).toMatch(/value="mother" checked/);
    expect(bad.body).not.toMatch(/value="father" checked/);
    expect(await counts()).toEqual(before);
    const applied = await client.post(location(uploaded), {
      version: '1',
      responsibilityAsked: '1',
      responsibility: ['mother', 'grandfather'],
    });
    expect(applied.statusCode).toBe(303);
    const parents = await t.database.db
      .select({ name: parentCarer.name, pr: parentCarer.parentalResponsibility })
      .from(parentCarer)
      .where(eq(parentCarer.schoolId, t.w.school.id));
    const pr = Object.fromEntries(parents.map((p) => [p.name, p.pr]));
    expect(pr).toMatchObject({ 'Mia Mum': true, 'Finn Dad': false, 'Gus Grandad': true });
  });
});

describe('an upload left unapplied', () => {
  it('can be discarded from the list of recent imports (with the form’s CSRF token only), and says it will go after a week', async () => {
    const client = await office();
    const csv = misCsv([misRowFor(t.w.pupilA)], { upn: 'UPN', surname: 'Family name (legal)', sex: 'Sex' });
    const uploaded = await client.postFile('/import/pupils', { fileName: 'abandoned.csv', data: csv });
    const id = /\/import\/pupils\/([0-9a-f-]{36})/.exec(location(uploaded))![1]!;
    const list = await client.get('/import/pupils');
    expect(list.body).toContain('An upload not applied is removed a week after it was made');
    expect(list.body).toContain(`action="/import/pupils/${id}/discard"`);
    expect(list.body).toMatch(/Discard<span class="govuk-visually-hidden"> abandoned\.csv<\/span>/);
    // The columns page offers it too.
    expect((await client.get(`/import/pupils/${id}/columns`)).body).toContain('Discard this upload');
    const forged = await client.post(`/import/pupils/${id}/discard`, {}, { csrf: false });
    expect(forged.statusCode).toBe(403);
    const discarded = await client.post(`/import/pupils/${id}/discard`);
    expect(discarded.statusCode).toBe(303);
    const after = await client.get(location(discarded));
    expect(after.body).toContain('The import is discarded: nothing in it was applied.');
    expect(after.body).not.toContain(`action="/import/pupils/${id}/discard"`);
    const [row] = await t.database.db.select().from(pupilImport).where(eq(pupilImport.id, id));
    expect(row!.status).toBe('discarded');
  });

  it('of a transfer file can be discarded from its list and its preview', async () => {
    const senco = new Client(t.app);
    await senco.signIn(t.w.senco.email);
    await senco.get('/ctf/import');
    const id = await t.services.transfers.previewCtf(t.w.senco.actor, {
      fileName: '8884321_CTF_9991234_007.xml',
      data: ctfBytes({ pupils: [{}] }),
    });
    const list = await senco.get('/ctf/import');
    expect(list.body).toContain(`action="/ctf/import/${id}/discard"`);
    expect(list.body).toContain('Not applied yet');
    expect((await senco.get(`/ctf/import/${id}`)).body).toContain('Discard this file');
    const discarded = await senco.post(`/ctf/import/${id}/discard`);
    expect(discarded.statusCode).toBe(303);
    const after = await senco.get(location(discarded));
    expect(after.body).toContain('The file is discarded: nothing in it was applied.');
    expect(after.body).toContain('Discarded');
    const page = await senco.get(`/ctf/import/${id}`);
    expect(page.body).toContain('This file was discarded');
    expect(page.body).toContain(
      'the pupils it held (names, UPNs, dates of birth, contacts and SEN history) have been removed',
    );
    expect(page.body).not.toContain('Pupil 1 in the file');
  });
});
