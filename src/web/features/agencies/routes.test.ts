import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { Client, useApp } from '../../../../test/client.ts';
import { agency, agencyProfessional } from '../../../db/schema/index.ts';

/*
 * The directory's pages through the app: the SENCo adds a service and a professional, bad input is
 * shown again with every message and the user's text and saves nothing, a stale save shows the other
 * change; the officer adds a service to the authority's list and the school sees it; the governor
 * sees counts only.
 */
const t = useApp();
let senco: Client;
let head: Client;
let teacher: Client;
let officer: Client;

const SERVICE = {
  name: 'Oakfield Speech and Language',
  serviceKind: 'speech_and_language_therapy',
  contactName: 'Sunita Rao',
  email: 'salt@oakfield.example',
  phone: '01632 960 123',
  website: 'oakfield.example/salt',
  address: '1 Clinic Road\r\nNorthshire',
  howToRefer: 'The referral form by secure email',
  needsFromSchool: 'The support plan',
  typicalWaitWeeks: '14',
};

const rows = () => t.database.db.select().from(agency).where(eq(agency.ownerId, t.w.school.id));

beforeAll(async () => {
  senco = new Client(t.app);
  await senco.signIn(t.w.senco.email);
  head = new Client(t.app);
  await head.signIn(t.w.head.email);
  teacher = new Client(t.app);
  await teacher.signIn(t.w.teacherA.email);
  officer = new Client(t.app);
  await officer.signIn(t.w.officer.email);
});

describe('the school’s directory', () => {
  let id: string;

  it('bad input is shown again with a message by each field, the text kept, nothing saved', async () => {
    await senco.get('/agencies/new');
    const response = await senco.post('/agencies/new', {
      ...SERVICE,
      name: '',
      serviceKind: 'astrology',
      email: 'not-an-email',
      typicalWaitWeeks: '2.5',
      howToRefer: 'Ring\u0007the bell',
    });
    expect(response.statusCode).toBe(400);
    for (const message of [
      'Enter the name of the service',
      'Select the kind of service from the list',
      'Enter an email address in the correct format',
      'Enter the typical wait as a whole number of weeks from 0 to 520',
      'How to refer must not contain hidden control characters',
    ])
      expect(response.body).toContain(message);
    expect(response.body).toContain('value="not-an-email"');
    for (const weeks of ['-3', '9999', 'twelve']) {
      const again = await senco.post('/agencies/new', { ...SERVICE, typicalWaitWeeks: weeks });
      expect(again.statusCode).toBe(400);
    }
    const website = await senco.post('/agencies/new', { ...SERVICE, website: 'javascript:alert(1)' });
    expect(website.statusCode).toBe(400);
    expect(website.body).toContain('Enter a web address');
    expect(await rows()).toHaveLength(0);
  });

  it('offers the common services to the SENCo while both lists are empty', async () => {
    const page = await senco.get('/agencies');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Add the common services');
    expect((await teacher.get('/agencies')).body).not.toContain('Add the common services');
  });

  it('the SENCo adds a service and a professional; everyone at the school reads them', async () => {
    await senco.get('/agencies/new');
    const added = await senco.post('/agencies/new', SERVICE);
    expect(added.statusCode).toBe(303);
    id = String(added.headers.location).split('/').pop()!;
    const page = await teacher.get(`/agencies/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Oakfield Speech and Language');
    expect(page.body).toContain('14 weeks');
    expect(page.body).toContain('href="https://oakfield.example/salt"');
    expect(page.body).toContain('The school’s own list');
    expect(page.body).not.toContain('Change the service');

    await senco.get(`/agencies/${id}/professionals/new`);
    const bad = await senco.post(`/agencies/${id}/professionals/new`, { name: '', email: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter the professional’s name');
    const pro = await senco.post(`/agencies/${id}/professionals/new`, {
      name: 'Sunita Rao',
      jobTitle: 'Speech and language therapist',
      email: 'sunita@oakfield.example',
    });
    expect(pro.statusCode).toBe(303);
    expect((await teacher.get(`/agencies/${id}`)).body).toContain('Speech and language therapist');
    const list = await teacher.get('/agencies?kind=speech_and_language_therapy');
    expect(list.body).toContain('Oakfield Speech and Language');
    expect((await teacher.get('/agencies?kind=camhs')).body).toContain('No service of this kind');
    // A teacher may not open the forms.
    expect((await teacher.get('/agencies/new')).statusCode).toBe(403);
    expect((await teacher.get(`/agencies/${id}/edit`)).statusCode).toBe(403);
  });

  it('a stale save shows the other person’s change and keeps the user’s text', async () => {
    const mine = await senco.get(`/agencies/${id}/edit`);
    expect(mine.body).toContain('name="version" value="1"');
    await head.get(`/agencies/${id}/edit`);
    expect(
      (await head.post(`/agencies/${id}/edit`, { ...SERVICE, version: '1', typicalWaitWeeks: '20' }))
        .statusCode,
    ).toBe(303);
    const stale = await senco.post(`/agencies/${id}/edit`, {
      ...SERVICE,
      version: '1',
      howToRefer: 'My careful new words',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this service');
    expect(stale.body).toContain('My careful new words');
    expect(stale.body).toContain('name="version" value="2"');
    const [row] = await t.database.db.select().from(agency).where(eq(agency.id, id));
    expect(row).toMatchObject({ typicalWaitWeeks: 20, howToRefer: SERVICE.howToRefer, version: 2 });
  });

  it('archives a professional and a service: off the list, its page kept', async () => {
    const [p] = await t.database.db
      .select()
      .from(agencyProfessional)
      .where(eq(agencyProfessional.agencyId, id));
    await senco.get(`/agencies/${id}/professionals/${p!.id}`);
    const archivedPro = await senco.post(`/agencies/${id}/professionals/${p!.id}/archive`, { version: '1' });
    expect(archivedPro.statusCode).toBe(303);
    await senco.get(`/agencies/${id}/edit`);
    const stale = await senco.post(`/agencies/${id}/archive`, { version: '1' });
    expect(stale.statusCode).toBe(303);
    expect(String(stale.headers.location)).toBe(`/agencies/${id}/edit`);
    expect((await senco.post(`/agencies/${id}/archive`, { version: '2' })).statusCode).toBe(303);
    expect((await senco.get('/agencies')).body).not.toContain('Oakfield Speech and Language');
    expect((await senco.get('/agencies?archived=yes')).body).toContain('Oakfield Speech and Language');
    const page = await senco.get(`/agencies/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Archived');
  });
});

describe('the local authority’s list', () => {
  it('the officer adds a service and the school sees it, marked as the authority’s, with no change link', async () => {
    const list = await officer.get('/organisation/agencies');
    expect(list.statusCode).toBe(200);
    await officer.get('/organisation/agencies/new');
    const added = await officer.post('/organisation/agencies/new', {
      ...SERVICE,
      name: 'Northshire Educational Psychology',
      serviceKind: 'educational_psychology',
    });
    expect(added.statusCode).toBe(303);
    const id = String(added.headers.location).split('/').pop()!;
    expect((await officer.get(`/organisation/agencies/${id}`)).statusCode).toBe(200);
    const seen = await senco.get('/agencies');
    expect(seen.body).toContain('Northshire Educational Psychology');
    expect(seen.body).toMatch(/list for its schools/);
    const page = await senco.get(`/agencies/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('Change the service');
    expect((await senco.get(`/agencies/${id}/edit`)).statusCode).toBe(403);
    expect((await senco.get('/organisation/agencies')).statusCode).toBe(403);
    expect((await officer.get('/agencies')).statusCode).toBe(403);
    expect((await officer.get('/organisation/agencies/figures')).statusCode).toBe(200);
  });
});

describe('counts', () => {
  it('the governor sees the counts page and no names', async () => {
    const governor = new Client(t.app);
    await governor.signIn(t.w.governor.email);
    const page = await governor.get('/agencies/figures');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Referrals to outside agencies');
    expect(page.body).not.toContain('Kowalski');
    expect((await teacher.get('/agencies/figures')).statusCode).toBe(403);
  });
});

describe('the concern review form', () => {
  it('offers the directory’s services and keeps the chosen one’s name; nothing chosen is a clear message', async () => {
    const concernId = await t.services.concerns.raise(t.w.teacherA.actor, t.w.pupilA.id, {
      kind: 'send',
      concernDate: '2026-10-01',
      reasons: 'Hard to follow instructions',
      classroomEvidence: 'Observations',
      areasOfNeed: ['communication_and_interaction'],
      interventionsTried: [],
    });
    const form = await senco.get(`/concerns/${concernId}/review`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="agencyId"');
    expect(form.body).toContain(
      'Northshire Educational Psychology (Educational psychology, local authority)',
    );
    const [shared] = await t.database.db
      .select()
      .from(agency)
      .where(eq(agency.name, 'Northshire Educational Psychology'));
    const body = {
      outcome: 'agency_referral',
      actionTaken: 'Referred to the EP',
      'reviewedOn-day': '2',
      'reviewedOn-month': '10',
      'reviewedOn-year': '2026',
      version: '1',
    };
    const empty = await senco.post(`/concerns/${concernId}/review`, { ...body, agencyId: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Select the service the pupil is referred to');
    const done = await senco.post(`/concerns/${concernId}/review`, { ...body, agencyId: shared!.id });
    expect(done.statusCode).toBe(303);
    expect((await t.services.concerns.view(t.w.senco.actor, concernId)).concern.agency).toBe(
      'Northshire Educational Psychology',
    );
  });
});
