import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpWorld, TODAY, type World } from '../../../test/builders/index.ts';
import { buildAttainmentResult, defaultSubjectIds } from '../../../test/builders/progress-meetings.ts';
import type { Database } from '../../db/client.ts';
import {
  auditEvent,
  auditEventPupil,
  concern as concernTable,
  progressMeetingPupil,
} from '../../db/schema/index.ts';
import type { Services } from '../index.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import type { MeetingRecordInput } from './index.ts';

let database: Database;
let services: Services;
let w: World;
let subjects: Record<string, string>;

beforeAll(async () => {
  ({ database, services, w } = await setUpWorld());
  subjects = await defaultSubjectIds(database.db, w.school.id);
  // Kit was working towards the standard last summer and is working below it this autumn in reading and
  // writing: below his peers' trajectory.
  for (const s of ['Reading', 'Writing']) {
    const r = { schoolId: w.school.id, pupilId: w.pupilK.id, subjectId: subjects[s]! };
    await buildAttainmentResult(database.db, { ...r, academicYear: 2025, term: 'summer', value: 1 });
    await buildAttainmentResult(database.db, { ...r, academicYear: 2026, term: 'autumn', value: 0 });
  }
  await buildAttainmentResult(database.db, {
    schoolId: w.school.id,
    pupilId: w.pupilA.id,
    subjectId: subjects.Reading!,
    academicYear: 2026,
    term: 'autumn',
    value: 2,
  });
});
afterAll(() => database.close());

const auditRows = (action: string) =>
  database.db
    .select()
    .from(auditEvent)
    .where(and(eq(auditEvent.schoolId, w.school.id), eq(auditEvent.action, action as never)));

const record = (over: Partial<MeetingRecordInput> = {}): MeetingRecordInput => ({
  version: 1,
  heldOn: TODAY,
  attendeeIds: [
    w.teacherA.actor.userId,
    w.senco.actor.userId,
    w.assessmentLead.actor.userId,
    w.head.actor.userId,
  ],
  notes: 'Autumn 2 meeting for Year 4 Oak',
  decisions: [],
  ...over,
});

describe('preparing a class’s meeting', () => {
  it('lists this half term’s classes with “prepare” for those without a meeting, and prepares one once', async () => {
    const before = await services.progressMeetings.list(w.assessmentLead.actor);
    expect(before.current).toMatchObject({ academicYear: 2026, halfTerm: 2 });
    expect(before.classes.map((c) => [c.name, c.meeting])).toEqual([
      ['Year 4 Oak', null],
      ['Year 5 Ash', null],
    ]);
    const first = await services.progressMeetings.prepare(w.assessmentLead.actor, w.classA.id);
    const again = await services.progressMeetings.prepare(w.senco.actor, w.classA.id);
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ meetingId: first.meetingId, created: false });
    const after = await services.progressMeetings.list(w.assessmentLead.actor);
    expect(after.classes[0]!.meeting?.id).toBe(first.meetingId);
    expect((await auditRows('progress_meeting.prepared')).length).toBe(1);
  });

  it('shows a class teacher only the classes they teach, and refuses them another class', async () => {
    const list = await services.progressMeetings.list(w.teacherA.actor);
    expect(list.classes.map((c) => c.name)).toEqual(['Year 4 Oak']);
    await expect(services.progressMeetings.prepare(w.teacherA.actor, w.classB.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('answers "not found" for another school’s class, and refuses a teaching assistant, with the refusal audited', async () => {
    await expect(services.progressMeetings.prepare(w.senco.actor, w.otherClass.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(services.progressMeetings.list(w.ta.actor)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(services.progressMeetings.list(w.governor.actor)).rejects.toBeInstanceOf(ForbiddenError);
    const refusals = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.userId, w.ta.actor.userId), eq(auditEvent.action, 'access.refused' as never)));
    expect(refusals.length).toBeGreaterThan(0);
  });
});

describe('the prepared list', () => {
  it('shows each pupil of the class with attainment, stage, need and the below-trajectory pupils first, audited', async () => {
    const { meetingId } = await services.progressMeetings.prepare(w.senco.actor, w.classA.id);
    const page = await services.progressMeetings.meeting(w.assessmentLead.actor, meetingId);
    expect(page.meeting).toMatchObject({
      className: 'Year 4 Oak',
      label: 'Autumn 2 2026/27',
      status: 'planned',
    });
    expect(page.subjects.map((s) => s.name)).toEqual(['Reading', 'Writing', 'Maths']);
    expect(page.pupils.map((p) => p.forename)).toEqual(['Kit', 'Amara']);
    const kit = page.pupils[0]!;
    expect(kit).toMatchObject({ senStage: 'sen_support', primaryNeed: 'SLCN', belowIn: 2 });
    expect(kit.attainment.map((a) => [a.subject, a.value, a.status])).toEqual([
      ['Reading', 'BLW', 'below'],
      ['Writing', 'BLW', 'below'],
      ['Maths', null, 'no_result'],
    ]);
    expect(page.pupils[1]!.attainment[0]).toMatchObject({ value: 'EXS', status: 'on' });
    expect(page.attendeeChoices.map((c) => c.name)).toEqual(
      expect.arrayContaining(['Asha Assessment', 'Sam Senco', 'Hana Head', 'Tara Teacher']),
    );
    expect(page.attendeeChoices.map((c) => c.name)).not.toContain('Tia Assistant');
    const viewed = await auditRows('progress_meeting.viewed');
    const shown = await database.db
      .select({ pupilId: auditEventPupil.pupilId })
      .from(auditEventPupil)
      .where(eq(auditEventPupil.eventId, viewed.at(-1)!.id));
    expect(shown.map((s) => s.pupilId).sort()).toEqual([w.pupilA.id, w.pupilK.id].sort());
  });

  it('lets the class teacher open their class’s meeting, not another class’s or school’s', async () => {
    const { meetingId } = await services.progressMeetings.prepare(w.senco.actor, w.classA.id);
    const b = await services.progressMeetings.prepare(w.senco.actor, w.classB.id);
    await expect(services.progressMeetings.meeting(w.teacherA.actor, meetingId)).resolves.toBeTruthy();
    await expect(services.progressMeetings.meeting(w.teacherA.actor, b.meetingId)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(services.progressMeetings.meeting(w.otherSenco.actor, meetingId)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('recording the meeting', () => {
  it('keeps who was there, the date, notes and each decision with its action; the owner sees it on their list', async () => {
    const { meetingId } = await services.progressMeetings.prepare(w.senco.actor, w.classA.id);
    const page = await services.progressMeetings.meeting(w.assessmentLead.actor, meetingId);
    await services.progressMeetings.record(
      w.assessmentLead.actor,
      meetingId,
      record({
        version: page.version,
        decisions: [
          {
            pupilId: w.pupilK.id,
            decision: 'provision_change',
            notes: 'Start a phonics catch-up group three times a week',
            actionOwnerId: w.teacherA.actor.userId,
            actionDueOn: '2026-12-11',
          },
          {
            pupilId: w.pupilA.id,
            decision: 'no_action',
            notes: null,
            actionOwnerId: null,
            actionDueOn: null,
          },
        ],
      }),
    );
    const after = await services.progressMeetings.meeting(w.assessmentLead.actor, meetingId);
    expect(after.meeting).toMatchObject({ status: 'held', heldOn: TODAY });
    expect(after.meeting.attendees.map((a) => a.roles)).toContainEqual(['Assessment lead']);
    expect(after.pupils.find((p) => p.id === w.pupilK.id)!.decision).toMatchObject({
      decision: 'provision_change',
      actionOwnerName: 'Tara Teacher',
      actionDueOn: '2026-12-11',
    });
    const decided = await auditRows('progress_meeting.decision_recorded');
    expect(decided.map((r) => r.pupilId)).toEqual(expect.arrayContaining([w.pupilK.id, w.pupilA.id]));

    expect(await services.progressMeetings.openActionCount(w.teacherA.actor)).toBe(1);
    const mine = await services.progressMeetings.myActions(w.teacherA.actor);
    expect(mine.actions.map((a) => [a.forename, a.className, a.decisionLabel])).toEqual([
      ['Kit', 'Year 4 Oak', 'Provision changed'],
    ]);
    expect(await services.progressMeetings.openActionCount(w.senco.actor)).toBe(0);

    // Someone who neither owns the action nor runs the class's meetings cannot mark it done.
    await expect(
      services.progressMeetings.markDone(w.teacherB.actor, mine.actions[0]!.id, mine.actions[0]!.version),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      services.progressMeetings.markDone(w.otherSenco.actor, mine.actions[0]!.id, mine.actions[0]!.version),
    ).rejects.toBeInstanceOf(NotFoundError);
    await services.progressMeetings.markDone(w.teacherA.actor, mine.actions[0]!.id, mine.actions[0]!.version);
    expect(await services.progressMeetings.openActionCount(w.teacherA.actor)).toBe(0);
    expect((await auditRows('progress_meeting.action_done')).map((r) => r.pupilId)).toEqual([w.pupilK.id]);
  });

  it('refuses a stale save and keeps the other person’s decisions', async () => {
    const { meetingId } = await services.progressMeetings.prepare(w.senco.actor, w.classA.id);
    const page = await services.progressMeetings.meeting(w.senco.actor, meetingId);
    const stale = page.version - 1;
    await expect(
      services.progressMeetings.record(w.senco.actor, meetingId, record({ version: stale })),
    ).rejects.toBeInstanceOf(ConflictError);
    const still = await services.progressMeetings.meeting(w.senco.actor, meetingId);
    expect(still.version).toBe(page.version);
    expect(still.pupils.find((p) => p.id === w.pupilK.id)!.decision?.decision).toBe('provision_change');
  });

  it('says in plain English what is wrong with a decision, and saves nothing', async () => {
    const { meetingId } = await services.progressMeetings.prepare(w.senco.actor, w.classA.id);
    const page = await services.progressMeetings.meeting(w.senco.actor, meetingId);
    const error = await services.progressMeetings
      .record(
        w.senco.actor,
        meetingId,
        record({
          version: page.version,
          attendeeIds: [w.ta.actor.userId],
          heldOn: '2027-01-05',
          decisions: [
            {
              pupilId: w.pupilK.id,
              decision: 'referral',
              notes: 'Refer to speech and language',
              actionOwnerId: w.senco.actor.userId,
              actionDueOn: null,
            },
          ],
        }),
      )
      .catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors.map((e) => e.field).sort()).toEqual(
      ['attendeeIds', `due-${w.pupilK.id}`, 'heldOn'].sort(),
    );
    const still = await services.progressMeetings.meeting(w.senco.actor, meetingId);
    expect(still.version).toBe(page.version);
  });

  it('gives actions only to those who reach the class’s pupils: not the office, a governor or an assistant', async () => {
    const { meetingId } = await services.progressMeetings.prepare(w.senco.actor, w.classA.id);
    const page = await services.progressMeetings.meeting(w.senco.actor, meetingId);
    const offered = page.ownerChoices.map((o) => o.userId);
    expect(offered).toEqual(
      expect.arrayContaining([
        w.senco.actor.userId,
        w.head.actor.userId,
        w.assessmentLead.actor.userId,
        w.teacherA.actor.userId,
      ]),
    );
    for (const outsider of [w.office, w.governor, w.ta, w.teacherB]) {
      expect(offered).not.toContain(outsider.actor.userId);
      const error = await services.progressMeetings
        .record(
          w.senco.actor,
          meetingId,
          record({
            version: page.version,
            decisions: [
              {
                pupilId: w.pupilK.id,
                decision: 'other',
                notes: 'Confidential: talk to the family',
                actionOwnerId: outsider.actor.userId,
                actionDueOn: '2026-12-04',
              },
            ],
          }),
        )
        .catch((e) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors).toContainEqual({
        field: `owner-${w.pupilK.id}`,
        message: 'Choose who will do the action from the list',
      });
      expect((await services.progressMeetings.myActions(outsider.actor)).actions).toEqual([]);
    }
  });

  it('answers "not found" for another school’s pupil in a decision', async () => {
    const { meetingId } = await services.progressMeetings.prepare(w.senco.actor, w.classA.id);
    const page = await services.progressMeetings.meeting(w.senco.actor, meetingId);
    await expect(
      services.progressMeetings.record(
        w.senco.actor,
        meetingId,
        record({
          version: page.version,
          decisions: [
            {
              pupilId: w.otherPupil.id,
              decision: 'no_action',
              notes: null,
              actionOwnerId: null,
              actionDueOn: null,
            },
          ],
        }),
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('a decision to raise a concern', () => {
  it('becomes a concern through the concerns service, linked back to the meeting', async () => {
    const { meetingId } = await services.progressMeetings.prepare(w.senco.actor, w.classB.id);
    const page = await services.progressMeetings.meeting(w.teacherB.actor, meetingId);
    await services.progressMeetings.record(
      w.teacherB.actor,
      meetingId,
      record({
        version: page.version,
        attendeeIds: [w.teacherB.actor.userId, w.senco.actor.userId],
        decisions: [
          {
            pupilId: w.pupilE.id,
            decision: 'concern',
            notes: 'Not settling after lunch; raise a concern about regulation',
            actionOwnerId: w.teacherB.actor.userId,
            actionDueOn: '2026-11-27',
          },
        ],
      }),
    );
    const form = await services.progressMeetings.concernForm(w.teacherB.actor, meetingId, w.pupilE.id);
    expect(form.notes).toMatch(/Not settling/);
    const concernId = await services.progressMeetings.raiseConcern(w.teacherB.actor, meetingId, w.pupilE.id, {
      kind: 'send',
      concernDate: TODAY,
      reasons: form.notes!,
      classroomEvidence: 'Discussed at the progress meeting',
      areasOfNeed: ['social_emotional_and_mental_health'],
      interventionsTried: [],
    });
    const [raised] = await database.db.select().from(concernTable).where(eq(concernTable.id, concernId));
    expect(raised).toMatchObject({ pupilId: w.pupilE.id, status: 'open', raisedByName: 'Tom Teacher' });
    const [linked] = await database.db
      .select()
      .from(progressMeetingPupil)
      .where(eq(progressMeetingPupil.pupilId, w.pupilE.id));
    expect(linked?.concernId).toBe(concernId);
    await expect(
      services.progressMeetings.raiseConcern(w.teacherB.actor, meetingId, w.pupilE.id, {
        kind: 'send',
        concernDate: TODAY,
        reasons: 'again',
        classroomEvidence: 'again',
        areasOfNeed: ['social_emotional_and_mental_health'],
        interventionsTried: [],
      }),
    ).rejects.toBeInstanceOf(ValidationError);
    // The decision that became a concern cannot be removed or changed to another.
    const again = await services.progressMeetings.meeting(w.teacherB.actor, meetingId);
    await expect(
      services.progressMeetings.record(
        w.teacherB.actor,
        meetingId,
        record({ version: again.version, attendeeIds: [w.teacherB.actor.userId] }),
      ),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(again.pupils[0]!.decision?.concernId).toBe(concernId);
  });
});
