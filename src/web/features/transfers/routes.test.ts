import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ctfBytes, testUpn } from '../../../../test/builders/ctf.ts';
import { buildPupil } from '../../../../test/builders/index.ts';
import { Client, useApp } from '../../../../test/client.ts';
import { pupil, pupilImport } from '../../../db/schema/index.ts';

const t = useApp();
let senco: Client;

beforeAll(async () => {
  senco = new Client(t.app);
  await senco.signIn(t.w.senco.email);
});

const upload = async (name: string, data: Uint8Array, type = 'text/xml') => {
  await senco.get('/ctf/import');
  return senco.postMultipart('/ctf/import', {}, { field: 'file', name, data, type });
};

const importCount = async () => (await t.database.db.select().from(pupilImport)).length;

describe('uploading a Common Transfer File', () => {
  it('previews, then applies, a file for a new pupil with SEN history', async () => {
    const upn = testUpn();
    const response = await upload(
      '8884321_CTF_9991234_001.xml',
      ctfBytes({
        pupils: [
          {
            upn,
            forename: 'Rhys',
            surname: 'Routeson',
            sen: [
              ['2023-01-10', 'K'],
              ['2024-09-05', 'E'],
            ],
            needs: [
              ['SLCN', 1, '2023-01-10', '2024-09-04'],
              ['ASD', 1, '2024-09-05'],
            ],
          },
        ],
      }),
    );
    expect(response.statusCode).toBe(303);
    const previewPath = String(response.headers.location);
    const preview = await senco.get(previewPath);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('Common Transfer File from Hillside Primary');
    expect(preview.body).toContain('Pupil 1 in the file: Rhys Routeson');
    expect(preview.body).toContain('EHC plan (E): Autistic spectrum disorder (ASD)');
    expect(preview.body).toContain('Nothing has been saved yet');
    const version = /name="version" value="(\d+)"/.exec(preview.body)?.[1] ?? '';
    const applied = await senco.post(previewPath, { version });
    expect(applied.statusCode).toBe(303);
    const after = await senco.get(previewPath);
    expect(after.body).toContain('1 pupil added');
    expect(after.body).toContain('This file was applied on');
    const added = (await t.database.db.select().from(pupil).where(eq(pupil.upn, upn)))[0]!;
    const page = await senco.get(`/pupils/${added.id}`);
    expect(page.body).toContain('From Hillside Primary CTF');
    expect(page.body).toContain('EHC plan recorded: SEN support to EHC plan');
  });

  it('refuses bad files with a plain message, saving nothing', async () => {
    const before = await importCount();
    const cases: [string, Uint8Array, RegExp][] = [
      ['pupils.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0, 0, 0]), /spreadsheet or zip file/],
      ['empty.xml', Buffer.alloc(0), /The file empty.xml is empty/],
      ['notes.txt', Buffer.from('Hello, this is not XML'), /not XML/],
      [
        'evil.xml',
        Buffer.from(
          '<?xml version="1.0"?><!DOCTYPE CTfile [<!ENTITY x SYSTEM "file:///etc/passwd">]><CTfile><CTFpupilData><Pupil><UPN>&x;</UPN></Pupil></CTFpupilData></CTfile>',
        ),
        /declares a document type or entities/,
      ],
      [
        'other.xml',
        Buffer.from('<?xml version="1.0"?><Invoice><Total>3</Total></Invoice>'),
        /not a Common Transfer File/,
      ],
    ];
    for (const [name, data, message] of cases) {
      const response = await upload(name, data);
      expect(response.statusCode, name).toBe(400);
      expect(response.body, name).toMatch(message);
      expect(response.body).toContain('There is a problem');
    }
    // No file chosen at all.
    await senco.get('/ctf/import');
    const none = await senco.postMultipart('/ctf/import', {});
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Choose the Common Transfer File (.xml) to upload');
    // A 50 MB file is refused before it is read.
    const huge = await upload('huge.xml', Buffer.alloc(50 * 1024 * 1024, 0x20));
    expect(huge.statusCode).toBe(413);
    expect(huge.body).toContain('a file can be up to 20 MB');
    expect(await importCount()).toBe(before);
  });
});

describe('leavers', () => {
  it('records a leaver, who then shows only under the leavers filter, with a read-only page', async () => {
    const p = await buildPupil(t.database.db, {
      schoolId: t.w.school.id,
      surname: 'Departing',
      dateOfBirth: '2016-05-05',
    });
    const form = await senco.get(`/pupils/${p.id}/leave`);
    expect(form.statusCode).toBe(200);
    const bad = await senco.post(`/pupils/${p.id}/leave`, {
      version: '1',
      'leftOn-day': '5',
      'leftOn-month': '1',
      'leftOn-year': '2027',
      destination: 'Hillside Secondary',
      destinationUrn: '12345',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('no later than the end of this term (31 December 2026)');
    expect(bad.body).toContain('The URN must be 6 numbers');
    expect(bad.body).toContain('value="Hillside Secondary"');
    const ok = await senco.post(`/pupils/${p.id}/leave`, {
      version: '1',
      'leftOn-day': '13',
      'leftOn-month': '11',
      'leftOn-year': '2026',
      destination: 'Hillside Secondary',
      destinationUrn: '123456',
    });
    expect(ok.statusCode).toBe(303);
    const page = await senco.get(`/pupils/${p.id}`);
    expect(page.body).toContain('Left on 13 November 2026 to Hillside Secondary (URN 123456)');
    expect(page.body).toContain('It is kept until 5 May 2041');
    expect(page.body).not.toContain('Change pupil details');
    expect(page.body).not.toContain('Record that this pupil has left');
    expect((await senco.get('/pupils?q=Departing')).body).toContain('0 pupils');
    const leavers = await senco.get('/pupils?q=Departing&leavers=1');
    expect(leavers.body).toContain('Pupils who have left');
    expect(leavers.body).toContain('Departing');
    // A second "has left" is refused with a plain message.
    expect((await senco.get(`/pupils/${p.id}/leave`)).statusCode).toBe(400);

    const exportPage = await senco.get('/ctf/export');
    expect(exportPage.body).toContain('Departing');
    const made = await senco.post('/ctf/export', { pupilIds: p.id, dfeNumber: '888 4321' });
    expect(made.statusCode).toBe(303);
    const done = await senco.get(String(made.headers.location));
    const fileName = `${t.w.school.laCode}${t.w.school.establishmentNumber}_CTF_8884321_001.xml`;
    expect(done.body).toContain(fileName);
    const href = /href="(\/ctf\/exports\/[^"]+\/file)"/.exec(done.body)?.[1] ?? '';
    const file = await senco.get(href);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toBe(`attachment; filename="${fileName}"`);
    expect(file.body).toContain(`<UPN>${p.upn}</UPN>`);
    expect((await senco.get(`/pupils/${p.id}`)).body).toContain('Common Transfer File produced on');
    const badNumber = await senco.post('/ctf/export', { pupilIds: p.id, dfeNumber: '12' });
    expect(badNumber.statusCode).toBe(400);
    expect(badNumber.body).toContain('Enter the DfE number as 7 numbers');
  });
});
