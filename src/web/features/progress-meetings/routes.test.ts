import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { TODAY } from '../../../../test/builders/index.ts';
import { buildAttainmentResult, defaultSubjectIds } from '../../../../test/builders/progress-meetings.ts';
import { Client, useApp } from '../../../../test/client.ts';
import { concern, progressMeeting, progressMeetingPupil } from '../../../db/schema/index.ts';

const t = useApp();

async function signedIn(email: string) {
  const client = new Client(t.app);
  await client.signIn(email);
  return client;
}

const [y, m, d] = TODAY.split('-') as [string, string, string];
const held: Record<string, string> = { 'heldOn-day': d, 'heldOn-month': m, 'heldOn-year': y };

async function prepared(client: Client, classId: string) {
  await client.get('/progress-meetings');
  const response = await client.post('/progress-meetings', { classId });
  expect(response.statusCode).toBe(303);
  return String(response.headers.location).split('/').pop()!;
}

describe('the progress meeting pages', () => {
  it('prepares a class’s meeting, shows its pupils with attainment, and records a decision with an action', async () => {
    const subjects = await defaultSubjectIds(t.database.db, t.w.school.id);
    await buildAttainmentResult(t.database.db, {
      schoolId: t.w.school.id,
      pupilId: t.w.pupilK.id,
      subjectId: subjects.Reading!,
      academicYear: 2026,
      term: 'autumn',
      value: 1,
    });
    const lead = await signedIn(t.w.assessmentLead.email);
    const list = await lead.get('/progress-meetings');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Year 4 Oak');
    expect(list.body).toContain('Prepare the meeting for Year 4 Oak');
    const meetingId = await prepared(lead, t.w.classA.id);
    const page = await lead.get(`/progress-meetings/${meetingId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Kit Kowalski');
    expect(page.body).toContain('WTS');
    expect(page.body).toContain('Save the meeting');

    const bad = await lead.post(`/progress-meetings/${meetingId}`, {
      version: '1',
      ...held,
      attendeeIds: [t.w.assessmentLead.actor.userId],
      notes: 'Autumn review',
      [`decision-${t.w.pupilK.id}`]: 'provision_change',
      [`notes-${t.w.pupilK.id}`]: 'Reading catch-up group',
      [`owner-${t.w.pupilK.id}`]: t.w.teacherA.actor.userId,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter the date the action is due by');
    expect(bad.body).toContain('Reading catch-up group');

    const saved = await lead.post(`/progress-meetings/${meetingId}`, {
      version: '1',
      ...held,
      attendeeIds: [t.w.assessmentLead.actor.userId, t.w.teacherA.actor.userId],
      notes: 'Autumn review',
      [`decision-${t.w.pupilK.id}`]: 'provision_change',
      [`notes-${t.w.pupilK.id}`]: 'Reading catch-up group',
      [`owner-${t.w.pupilK.id}`]: t.w.teacherA.actor.userId,
      [`due-${t.w.pupilK.id}-day`]: '11',
      [`due-${t.w.pupilK.id}-month`]: '12',
      [`due-${t.w.pupilK.id}-year`]: '2026',
    });
    expect(saved.statusCode).toBe(303);
    const [row] = await t.database.db
      .select()
      .from(progressMeetingPupil)
      .where(eq(progressMeetingPupil.meetingId, meetingId));
    expect(row).toMatchObject({ decision: 'provision_change', actionDueOn: '2026-12-11' });

    // A second save from the old form is refused, and keeps what was typed.
    const stale = await lead.post(`/progress-meetings/${meetingId}`, {
      version: '1',
      ...held,
      attendeeIds: [t.w.assessmentLead.actor.userId],
      notes: 'My own notes',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else saved this meeting');
    expect(stale.body).toContain('My own notes');

    // The class teacher sees the action on their list and from the home page, and marks it done.
    const teacher = await signedIn(t.w.teacherA.email);
    const home = await teacher.get('/');
    expect(home.body).toContain('1 action from progress meetings');
    const actions = await teacher.get('/progress-meetings/actions');
    expect(actions.body).toContain('Reading catch-up group');
    const done = await teacher.post('/progress-meetings/actions', {
      actionId: row!.id,
      version: String(row!.version),
    });
    expect(done.statusCode).toBe(303);
    expect((await teacher.get('/progress-meetings/actions')).body).toContain('You have no actions');
  });

  it('turns a "concern raised" decision into a concern linked to the meeting', async () => {
    const senco = await signedIn(t.w.senco.email);
    const meetingId = await prepared(senco, t.w.classB.id);
    await senco.get(`/progress-meetings/${meetingId}`);
    const saved = await senco.post(`/progress-meetings/${meetingId}`, {
      version: '1',
      ...held,
      attendeeIds: [t.w.senco.actor.userId],
      [`decision-${t.w.pupilE.id}`]: 'concern',
      [`notes-${t.w.pupilE.id}`]: 'Finds transitions after break very hard',
    });
    expect(saved.statusCode).toBe(303);
    const form = await senco.get(`/progress-meetings/${meetingId}/pupils/${t.w.pupilE.id}/concern`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Finds transitions after break very hard');
    const empty = await senco.post(`/progress-meetings/${meetingId}/pupils/${t.w.pupilE.id}/concern`, {
      kind: 'send',
      reasons: 'Finds transitions after break very hard',
      classroomEvidence: 'Observed daily',
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Select at least one area of need');
    const raised = await senco.post(`/progress-meetings/${meetingId}/pupils/${t.w.pupilE.id}/concern`, {
      kind: 'send',
      reasons: 'Finds transitions after break very hard',
      classroomEvidence: 'Observed daily',
      areasOfNeed: 'social_emotional_and_mental_health',
    });
    expect(raised.statusCode).toBe(303);
    const concernId = String(raised.headers.location).split('/').pop()!;
    const [c] = await t.database.db.select().from(concern).where(eq(concern.id, concernId));
    expect(c?.pupilId).toBe(t.w.pupilE.id);
    expect((await senco.get(`/progress-meetings/${meetingId}`)).body).toContain(`/concerns/${concernId}`);
  });

  it('answers 404 for another school’s meeting or an id that is not one, 400 for hostile input, 403 for a TA', async () => {
    const other = await signedIn(t.w.otherSenco.email);
    const [theirs] = await t.database.db.select().from(progressMeeting).limit(1);
    expect((await other.get(`/progress-meetings/${theirs!.id}`)).statusCode).toBe(404);
    const senco = await signedIn(t.w.senco.email);
    expect((await senco.get('/progress-meetings/not-an-id')).statusCode).toBe(404);
    await senco.get('/progress-meetings');
    const foreign = await senco.post('/progress-meetings', { classId: t.w.otherClass.id });
    expect(foreign.statusCode).toBe(404);
    const junk = await senco.post('/progress-meetings', { classId: ['a', 'b'] });
    expect(junk.statusCode).toBe(400);
    await senco.get(`/progress-meetings/${theirs!.id}`);
    const hostile = await senco.post(`/progress-meetings/${theirs!.id}`, {
      version: '1',
      ...held,
      attendeeIds: [t.w.senco.actor.userId],
      notes: 'bad\u0007bell',
      [`decision-${t.w.pupilK.id}`]: 'shout',
    });
    expect(hostile.statusCode).toBe(400);
    expect(hostile.body).toContain('Choose a decision from the list');
    const ta = await signedIn(t.w.ta.email);
    expect((await ta.get('/progress-meetings')).statusCode).toBe(403);
  });
});
