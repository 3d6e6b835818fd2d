import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { Client, useApp } from '../../../../test/client.ts';
import { groupMember, intervention, provisionGroup, provisionSession } from '../../../db/schema/index.ts';

/*
 * The provision pages through the app: forms show every problem with the user's input kept and save
 * nothing; the SENCo starts a group from the catalogue, Tia records its sessions and measures, the
 * map, its CSV and PDF follow; people see only what their roles give them.
 */
const t = useApp();
let senco: Client;
let ta: Client;
let phonics: string;
let groupId: string;

const date = (name: string, iso: string) => {
  const [y, m, d] = iso.split('-');
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y! };
};

beforeAll(async () => {
  senco = new Client(t.app);
  await senco.signIn(t.w.senco.email);
  ta = new Client(t.app);
  await ta.signIn(t.w.ta.email);
});

describe('the catalogue and a new group', () => {
  it('shows the starter catalogue, and starts a group from it with its usual settings filled in', async () => {
    const page = await senco.get('/provision/interventions');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Phonics catch-up group');
    expect(page.body).toContain('Sensory circuits');
    const [found] = await t.database.db
      .select()
      .from(intervention)
      .where(and(eq(intervention.schoolId, t.w.school.id), eq(intervention.name, 'Phonics catch-up group')));
    phonics = found!.id;
    expect(page.body).toContain(`/provision/groups/new?interventionId=${phonics}`);
    const form = await senco.get(`/provision/groups/new?interventionId=${phonics}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toMatch(/name="minutesPerSession"[^>]*value="15"/);
    expect(form.body).toContain('Kit'); // on the register: offered as a pupil
    expect(form.body).not.toContain('Amara'); // not on the register
    // Anyone who teaches or supports pupils may deliver it; not the office or the SEN governor.
    expect(form.body).toContain('Tara Teacher (Class teacher)');
    expect(form.body).toContain('Tia Assistant (Teaching assistant)');
    expect(form.body).not.toContain('Olu Office');
    expect(form.body).not.toContain('Gina Governor');
  });

  it('shows every problem at once, keeps what was typed, and saves nothing', async () => {
    const response = await senco.post('/provision/groups/new', {
      interventionId: phonics,
      name: 'Phonics: Year 4 & 5',
      delivererId: t.w.ta.actor.userId,
      delivererKind: 'teaching_assistant',
      sessionsPerWeek: '5',
      minutesPerSession: '-15',
      location: 'Library',
      ...date('startDate', '2026-09-07'),
      ...date('endDate', '2026-09-01'),
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('There is a problem');
    expect(response.body).toContain('The end date must be the same as or after the start date');
    expect(response.body).toContain('Enter the minutes of each session, from 5 to 180');
    expect(response.body).toContain('Select at least one pupil: a group starts with its pupils');
    expect(response.body).toContain('Phonics: Year 4 &amp; 5');
    expect(await t.database.db.select().from(provisionGroup)).toEqual([]);
  });

  it('tells the SENCo about a pupil sent twice', async () => {
    const response = await senco.post('/provision/groups/new', {
      interventionId: phonics,
      name: 'Phonics',
      delivererId: t.w.ta.actor.userId,
      delivererKind: 'teaching_assistant',
      sessionsPerWeek: '5',
      minutesPerSession: '15',
      pupilIds: [t.w.pupilK.id, t.w.pupilK.id],
      ...date('startDate', '2026-09-07'),
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Each pupil can be in the group once');
  });

  it('starts the group and shows its page', async () => {
    const response = await senco.post('/provision/groups/new', {
      interventionId: phonics,
      name: 'Phonics: Year 4 and 5',
      delivererId: t.w.ta.actor.userId,
      delivererKind: 'teaching_assistant',
      sessionsPerWeek: '5',
      minutesPerSession: '15',
      location: 'Library',
      pupilIds: [t.w.pupilK.id, t.w.pupilE.id],
      ...date('startDate', '2026-09-07'),
    });
    expect(response.statusCode).toBe(303);
    groupId = String(response.headers.location).split('/').at(-1)!;
    const page = await senco.get(`/provision/groups/${groupId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Kit Kowalski');
    expect(page.body).toContain('Eli Evans');
    expect(page.body).toContain('0 held of 50 planned so far');
  });
});

describe('the teaching assistant’s sessions', () => {
  it('lists the group with a button to record a session, everyone ticked and today’s date filled in', async () => {
    const list = await ta.get('/provision');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Groups you deliver');
    expect(list.body).toContain(`/provision/groups/${groupId}/sessions/new`);
    // The link names its group once ("Record a session of Phonics: Year 4 and 5"), with no link inside it.
    const link = list.body.match(
      new RegExp(`<a [^>]*href="/provision/groups/${groupId}/sessions/new"[^>]*>([\\s\\S]*?)</a>`),
    );
    expect(link?.[1]).not.toContain('<a ');
    expect(
      link?.[1]
        ?.replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    ).toBe('Record a session of Phonics: Year 4 and 5');
    const form = await ta.get(`/provision/groups/${groupId}/sessions/new`);
    expect(form.statusCode).toBe(200);
    expect(form.body.match(/name="present"[^>]*checked/g)).toHaveLength(2);
    expect(form.body).toMatch(/name="heldOn-day"[^>]*value="20"/);
  });

  it('refuses a session in the future and records one with an absence', async () => {
    const future = await ta.post(`/provision/groups/${groupId}/sessions/new`, {
      present: [t.w.pupilK.id],
      note: 'Blending',
      ...date('heldOn', '2026-11-27'),
    });
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain('The date of the session must be today or in the past');
    expect(future.body).toContain('Blending');
    // A Sunday is asked about (a session can be real on a trip): the form again, a warning, nothing saved.
    const sunday = await ta.post(`/provision/groups/${groupId}/sessions/new`, {
      present: [t.w.pupilK.id],
      note: 'Blending',
      ...date('heldOn', '2026-11-15'),
    });
    expect(sunday.statusCode).toBe(400);
    expect(sunday.body).toContain(
      '15 November 2026 is a Sunday, not a school day: check the date, or confirm the session was held then',
    );
    expect(sunday.body).toContain('govuk-warning-text');
    expect(sunday.body).toMatch(/name="notSchoolDayConfirmed" type="checkbox" value="yes"/);
    expect(sunday.body).toContain('Blending');
    expect(await t.database.db.select().from(provisionSession)).toHaveLength(0);
    // Today, a Friday, is a school day: no warning on the form.
    expect((await ta.get(`/provision/groups/${groupId}/sessions/new`)).body).not.toContain(
      'not a school day',
    );
    const saved = await ta.post(`/provision/groups/${groupId}/sessions/new`, {
      present: [t.w.pupilK.id],
      note: 'Blending',
      ...date('heldOn', '2026-11-20'),
    });
    expect(saved.statusCode).toBe(303);
    const page = await ta.get(String(saved.headers.location));
    expect(page.body).toContain('Session on 20 November 2026 recorded: 1 present, 1 absent.');
    expect(page.body).toContain('1 held of 50 planned so far');
    expect(await t.database.db.select().from(provisionSession)).toHaveLength(1);
  });

  it('refuses an exit measure without an entry measure, then saves the measures', async () => {
    const [kit, eli] = await Promise.all(
      [t.w.pupilK.id, t.w.pupilE.id].map(
        async (id) => (await t.database.db.select().from(groupMember).where(eq(groupMember.pupilId, id)))[0]!,
      ),
    );
    const form = await ta.get(`/provision/groups/${groupId}/measures`);
    expect(form.statusCode).toBe(200);
    const bad = await ta.post(`/provision/groups/${groupId}/measures`, {
      [`version-${kit!.id}`]: '1',
      [`version-${eli!.id}`]: '1',
      [`exit-${kit!.id}`]: '31',
      ...date('exitOn', '2026-11-20'),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter Kit Kowalski’s entry measure before their exit measure');
    const good = await ta.post(`/provision/groups/${groupId}/measures`, {
      [`version-${kit!.id}`]: '1',
      [`version-${eli!.id}`]: '1',
      [`entry-${kit!.id}`]: '18',
      [`exit-${kit!.id}`]: '31',
      ...date('entryOn', '2026-09-07'),
      ...date('exitOn', '2026-11-20'),
    });
    expect(good.statusCode).toBe(303);
    const page = await ta.get(`/provision/groups/${groupId}`);
    expect(page.body).toContain('Up 13 points');
  });

  it('asks the check for every pupil, then records it', async () => {
    const bad = await ta.post(`/provision/groups/${groupId}/checks/new`, {
      decision: 'continue',
      [`progress-${t.w.pupilK.id}`]: 'yes',
      ...date('checkedOn', '2026-11-20'),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Select whether Eli Evans is making expected progress');
    const good = await ta.post(`/provision/groups/${groupId}/checks/new`, {
      decision: 'continue',
      [`progress-${t.w.pupilK.id}`]: 'yes',
      [`progress-${t.w.pupilE.id}`]: 'no',
      [`note-${t.w.pupilE.id}`]: 'Missed sessions',
      ...date('checkedOn', '2026-11-20'),
    });
    expect(good.statusCode).toBe(303);
  });

  it('does not let the teaching assistant change the group or see the register', async () => {
    expect((await ta.get(`/provision/groups/${groupId}/edit`)).statusCode).toBe(403);
    expect((await ta.get('/provision/register')).statusCode).toBe(403);
    expect((await ta.get('/provision/map.csv')).statusCode).toBe(403);
  });
});

describe('the pupil’s record, the map and its exports', () => {
  it('shows Kit’s provision on his record to his class teacher, and none of it to the office', async () => {
    const teacher = new Client(t.app);
    await teacher.signIn(t.w.teacherA.email);
    const page = await teacher.get(`/pupils/${t.w.pupilK.id}`);
    expect(page.body).toContain('id="provision"');
    expect(page.body).toContain('Phonics catch-up group');
    expect(page.body).toContain('Came to 1 of 1 sessions');
    expect(page.body).toContain('Below the threshold');
    const office = new Client(t.app);
    await office.signIn(t.w.office.email);
    const officePage = await office.get(`/pupils/${t.w.pupilK.id}`);
    expect(officePage.statusCode).toBe(200);
    expect(officePage.body).not.toContain('id="provision"');
    expect((await office.get('/provision')).statusCode).toBe(403);
  });

  it('shows Eli’s missed session on his record', async () => {
    const page = await senco.get(`/pupils/${t.w.pupilE.id}`);
    expect(page.body).toContain('Came to 0 of 1 sessions: missed 20 November 2026');
  });

  it('maps the term, and exports it as a CSV with formulas neutralised and as a tagged PDF', async () => {
    const map = await senco.get('/provision/map');
    expect(map.statusCode).toBe(200);
    expect(map.body).toContain('Provision map: Autumn term 2026/27');
    expect(map.body).toContain('Kowalski, Kit');
    // A group named like a formula stays text in a spreadsheet.
    await t.database.db
      .update(provisionGroup)
      .set({ name: '=HYPERLINK("x")' })
      .where(eq(provisionGroup.id, groupId));
    const csv = await senco.get('/provision/map.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('Kowalski, Kit');
    expect(csv.body).toContain(`"'=HYPERLINK(""x"")"`);
    const pdf = await senco.get('/provision/map.pdf');
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'map-pdf-')), 'map.pdf');
    writeFileSync(file, pdf.rawPayload);
    expect(execFileSync('pdfinfo', [file]).toString()).toMatch(/^Tagged:\s+yes$/m);
    // Its font is embedded (PDF/UA), as in every OpenSEND document.
    const fonts = execFileSync('pdffonts', [file]).toString();
    expect(fonts).toContain('DejaVuSans');
    expect(fonts).not.toContain('Helvetica');
    expect(execFileSync('pdftotext', ['-layout', file, '-']).toString()).toContain('Kowalski, Kit');
    const print = await senco.get('/provision/map/print');
    expect(print.statusCode).toBe(200);
  });

  it('gives the governor totals and no names', async () => {
    const governor = new Client(t.app);
    await governor.signIn(t.w.governor.email);
    const page = await governor.get('/provision/figures');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Provision figures for 2026/27');
    expect(page.body).not.toMatch(/Kowalski|Evans/);
    // The period of "made progress" and the rule for small numbers, in words.
    expect(page.body).toContain('Pupils who made progress');
    expect(page.body).toContain('2026/27 so far');
    expect(page.body).toContain('counts as measured in the academic year');
    expect(page.body).toContain('shown as counted');
    expect((await governor.get('/provision/map')).statusCode).toBe(403);
    // The year's cost is said to be planned (to the end of the year), beside the cost so far.
    expect(page.body).not.toContain('cost of the year’s provision');
    expect(page.body).toContain('cost planned for 2026/27 (the groups’ dates to the end of the year');
    expect(page.body).toContain('cost of this year’s provision so far (to 20 November 2026)');
  });

  it('shows the SENCo how well interventions work for all years or a chosen year, by the same rule', async () => {
    const all = await senco.get('/provision/effectiveness');
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('Interventions: exit measures taken in all years');
    expect(all.body).toContain('counts as measured in the academic year');
    expect(all.body).toContain('href="/provision/effectiveness?period=2025"');
    const last = await senco.get('/provision/effectiveness?period=2025');
    expect(last.body).toContain('Interventions: exit measures taken in 2025/26');
    // A year out of range, or anything else, is all years.
    for (const odd of ['1999', '2027', '%3Cscript%3E', 'all'])
      expect((await senco.get(`/provision/effectiveness?period=${odd}`)).body).toContain(
        'Interventions: exit measures taken in all years',
      );
  });
});

describe('rates and the catalogue’s forms', () => {
  it('refuses an absurd rate and a stale form, keeping what was typed', async () => {
    const form = await senco.get('/provision/rates');
    expect(form.statusCode).toBe(200);
    const shown = Object.fromEntries(
      [...form.body.matchAll(/name="(shown-[a-z_]+)" value="(\d+)"/g)].map((m) => [m[1]!, m[2]!]),
    );
    const rates = {
      teaching_assistant: '15.00',
      teacher: '42',
      senco: '48',
      specialist: '55',
      external: '70',
    };
    const bad = await senco.post('/provision/rates', { ...shown, ...rates, teacher: '-1' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter the hourly rate for a teacher in pounds and pence, like 16.50');
    expect((await senco.post('/provision/rates', { ...shown, ...rates })).statusCode).toBe(303);
    const stale = await senco.post('/provision/rates', { ...shown, ...rates, teaching_assistant: '19.00' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('19.00');
  });

  it('refuses a repeated name for an intervention', async () => {
    const response = await senco.post('/provision/interventions/new', {
      name: 'Sensory circuits',
      area: 'sensory_and_physical',
      usualDeliverer: 'teaching_assistant',
      usualGroupSize: '8',
      sessionsPerWeek: '5',
      minutesPerSession: '15',
      costModel: 'staff_time',
      measureKind: 'rating',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('An intervention with this name is already in the catalogue');
  });
});
