import { describe, expect, it } from 'vitest';
import { TODAY } from '../../../../test/builders/index.ts';
import { Client, useApp } from '../../../../test/client.ts';
import { readPdf } from '../../../../test/pdf.ts';

const t = useApp();

const today = () => {
  const [y, m, d] = TODAY.split('-');
  return { day: String(Number(d)), month: String(Number(m)), year: y! };
};

async function appendixD() {
  const templates = await t.services.letters.templates(t.w.senco.actor);
  return templates.find((x) => x.kind === 'register_placement')!;
}

describe('writing a letter and recording its slip', () => {
  it('the office previews, produces, prints and downloads the letter, then records the signed slip', async () => {
    const template = await appendixD();
    const office = new Client(t.app);
    await office.signIn(t.w.office.email);
    const pupilPage = await office.get(`/pupils/${t.w.pupilK.id}`);
    expect(pupilPage.body).toContain('Write a letter');

    const form = await office.get(`/pupils/${t.w.pupilK.id}/letters/new?template=${template.id}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Dear Kasia Kowalski');
    const d = today();
    const fields = {
      templateId: template.id,
      recipientIds: t.w.parentK.id,
      sentVia: 'book_bag',
      'sentOn-day': d.day,
      'sentOn-month': d.month,
      'sentOn-year': d.year,
    };

    // Preview: shown back, nothing saved.
    const preview = await office.post(`/pupils/${t.w.pupilK.id}/letters/new`, { ...fields, _preview: '1' });
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('Preview: Placing a child on the SEN register');
    expect(preview.body).toContain('I can confirm that I have received your letter');
    expect((await t.services.pupils.view(t.w.office.actor, t.w.pupilK.id)).letters).toEqual([]);

    // Without saying how it is sent: the form again, with what was chosen kept.
    const missing = await office.post(`/pupils/${t.w.pupilK.id}/letters/new`, {
      ...fields,
      sentVia: '',
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Choose how the letter is sent');
    expect(missing.body).toMatch(new RegExp(`value="${template.id}" checked`));

    const produced = await office.post(`/pupils/${t.w.pupilK.id}/letters/new`, fields);
    expect(produced.statusCode).toBe(303);
    const letterPath = String(produced.headers.location);
    expect(letterPath).toMatch(/^\/letters\/[0-9a-f-]{36}$/);
    const page = await office.get(letterPath);
    expect(page.body).toContain('Waiting for the signed slip');
    expect(page.body).toContain('Record the signed slip');

    const print = await office.get(`${letterPath}/print`);
    expect(print.statusCode).toBe(200);
    expect(print.body).toContain('Reply slip: please sign and return this part to the school');
    expect(print.body).toContain('Pupil: Kit Kowalski (Year 4 Oak)');

    const pdf = await office.get(`${letterPath}/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const { text, info } = readPdf(pdf.rawPayload);
    expect(text).toContain('Kit Kowalski');
    expect(text).toContain('Oakfield Primary');
    expect(info).toMatch(/^Tagged:\s+yes$/m);

    const slipForm = await office.get(`${letterPath}/slip`);
    expect(slipForm.statusCode).toBe(200);
    const future = await office.post(`${letterPath}/slip`, {
      version: '1',
      'returnedOn-day': d.day,
      'returnedOn-month': d.month,
      'returnedOn-year': String(Number(d.year) + 1),
      note: 'Signed by Kasia',
    });
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain('Signed by Kasia');
    const recorded = await office.post(`${letterPath}/slip`, {
      version: '1',
      'returnedOn-day': d.day,
      'returnedOn-month': d.month,
      'returnedOn-year': d.year,
      note: 'Signed by Kasia',
    });
    expect(recorded.statusCode).toBe(303);
    const after = await office.get(`/pupils/${t.w.pupilK.id}`);
    expect(after.body).toContain('Letter sent: Placing a child on the SEN register in the book bag');
    expect(after.body).toContain('Signed slip returned');

    // A class teacher of the pupil reads the letter; a teacher of another class does not find it.
    const teacher = new Client(t.app);
    await teacher.signIn(t.w.teacherA.email);
    const seen = await teacher.get(letterPath);
    expect(seen.statusCode).toBe(200);
    expect(seen.body).not.toContain('Record the signed slip');
    const other = new Client(t.app);
    await other.signIn(t.w.teacherB.email);
    expect((await other.get(letterPath)).statusCode).toBe(404);
  });
});

describe('changing a letter template', () => {
  it('previews before saving and refuses an unknown merge field, naming it, with the text kept', async () => {
    const template = await appendixD();
    const senco = new Client(t.app);
    await senco.signIn(t.w.senco.email);
    const settings = await senco.get('/settings');
    expect(settings.body).toContain('Letter templates');
    expect(settings.body).toContain(`/settings/letters/${template.id}`);

    const path = `/settings/letters/${template.id}`;
    expect((await senco.get(path)).statusCode).toBe(200);
    const edited = template.body.replace('Thank you for your support.', 'With thanks, {{senco.name}}.');
    const preview = await senco.post(path, {
      name: template.name,
      body: edited,
      slip: template.slip ?? '',
      previewPupilId: t.w.pupilK.id,
      version: String(template.version),
      _preview: '1',
    });
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('With thanks, Sam Senco.');
    expect(preview.body).toContain('Dear Kasia Kowalski');

    const bad = await senco.post(path, {
      name: template.name,
      body: `${edited}\n{{pupil.favouriteColour}}`,
      slip: template.slip ?? '',
      version: String(template.version),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('{{pupil.favouriteColour}} is not a merge field OpenSEND knows');
    expect(bad.body).toContain('With thanks, {{senco.name}}.');

    const saved = await senco.post(path, {
      name: template.name,
      body: edited,
      slip: template.slip ?? '',
      version: String(template.version),
    });
    expect(saved.statusCode).toBe(303);
    const stale = await senco.post(path, {
      name: 'My older edit',
      body: edited,
      slip: '',
      version: String(template.version),
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('The version saved by someone else');
    expect(stale.body).toContain('My older edit');

    const added = await senco.post('/settings/letters/new', {
      kind: 'other',
      name: 'Thank you for coming',
      body: '{{parents.greeting}}\n\nThank you for coming to talk about {{pupil.forename}}.',
      slip: '',
    });
    expect(added.statusCode).toBe(303);
    expect((await senco.get('/settings')).body).toContain('Thank you for coming');
  });
});
