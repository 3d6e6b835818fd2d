import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPupil, buildSchool, uuid } from '../../test/builders/index.ts';
import { freshDatabase } from '../../test/db.ts';
import type { Database } from '../db/client.ts';
import {
  groupMember,
  intervention,
  provisionGroup,
  provisionSession,
  sessionAttendance,
} from '../db/schema/index.ts';
import { addDays } from '../domain/dates.ts';
import { provisionOfPupil } from './provision.ts';

/*
 * A pupil's spells in groups with their attendance (the pupil page, their plan and letters show it):
 * only the sessions of the spell's group held while the pupil was in it count, and the ten latest they
 * missed are listed, newest first.
 */

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.close());

describe('a pupil’s provision', () => {
  it('counts each spell’s sessions held, those attended and the latest ten missed, within the spell’s dates only', async () => {
    const db = database.db;
    const s = await buildSchool(db);
    const pupil = await buildPupil(db, { schoolId: s.id, stage: 'sen_support', primaryNeed: 'SLCN' });
    const other = await buildPupil(db, { schoolId: s.id });
    const interventionId = uuid();
    await db.insert(intervention).values({
      schoolId: s.id,
      id: interventionId,
      name: 'Reading',
      area: 'cognition_and_learning',
      usualDeliverer: 'teaching_assistant',
      usualGroupSize: 3,
      sessionsPerWeek: 3,
      minutesPerSession: 20,
      costModel: 'staff_time',
      measureKind: 'rating',
    });
    const group = async (name: string) => {
      const id = uuid();
      await db.insert(provisionGroup).values({
        schoolId: s.id,
        id,
        interventionId,
        name,
        delivererName: 'Tia',
        delivererKind: 'teaching_assistant',
        startDate: '2026-09-01',
        sessionsPerWeek: 3,
        minutesPerSession: 20,
      });
      return id;
    };
    const reading = await group('Reading group');
    const other1 = await group('Another group');
    // In the reading group from 3 September to 30 October; in the other group from 1 September, still.
    const spell = uuid();
    await db.insert(groupMember).values([
      {
        schoolId: s.id,
        id: spell,
        groupId: reading,
        pupilId: pupil.id,
        joinedOn: '2026-09-03',
        leftOn: '2026-10-30',
      },
      { schoolId: s.id, id: uuid(), groupId: reading, pupilId: other.id, joinedOn: '2026-09-01' },
      { schoolId: s.id, id: uuid(), groupId: other1, pupilId: pupil.id, joinedOn: '2026-09-01' },
    ]);
    // The reading group met every Tuesday from 1 September to 17 November: 12 sessions.
    const dates = Array.from({ length: 12 }, (_, i) => addDays('2026-09-01', i * 7));
    const sessions = dates.map((heldOn) => ({
      schoolId: s.id,
      id: uuid(),
      groupId: reading,
      heldOn,
      recordedByName: 'Tia',
    }));
    const otherSessions = ['2026-09-02', '2026-09-09'].map((heldOn) => ({
      schoolId: s.id,
      id: uuid(),
      groupId: other1,
      heldOn,
      recordedByName: 'Tia',
    }));
    await db.insert(provisionSession).values([...sessions, ...otherSessions]);
    // The pupil came to the reading group on 6 October only; they were marked absent from every other
    // session, before and after their spell too. The other pupil came to every one.
    await db.insert(sessionAttendance).values([
      ...sessions.map((x) => ({
        schoolId: s.id,
        sessionId: x.id,
        pupilId: pupil.id,
        present: x.heldOn === '2026-10-06',
      })),
      ...sessions.map((x) => ({ schoolId: s.id, sessionId: x.id, pupilId: other.id, present: true })),
      ...otherSessions.map((x) => ({ schoolId: s.id, sessionId: x.id, pupilId: pupil.id, present: true })),
    ]);

    const items = await provisionOfPupil(db, s.id, pupil.id);
    const inReading = items.find((i) => i.memberId === spell)!;
    // Sessions from 3 September to 30 October: 8, 15, 22, 29 September, 6, 13, 20, 27 October.
    expect(inReading).toMatchObject({ groupName: 'Reading group', sessionsHeld: 8, attended: 1 });
    expect(inReading.missedOn).toEqual([
      '2026-10-27',
      '2026-10-20',
      '2026-10-13',
      '2026-09-29',
      '2026-09-22',
      '2026-09-15',
      '2026-09-08',
    ]);
    expect(inReading.memberDates).toHaveLength(2);
    const inOther = items.find((i) => i.groupId === other1)!;
    expect(inOther).toMatchObject({ sessionsHeld: 2, attended: 2, missedOn: [] });
  });

  it('lists at most the ten latest sessions missed', async () => {
    const db = database.db;
    const s = await buildSchool(db);
    const pupil = await buildPupil(db, { schoolId: s.id });
    const interventionId = uuid();
    await db.insert(intervention).values({
      schoolId: s.id,
      id: interventionId,
      name: 'Talk',
      area: 'communication_and_interaction',
      usualDeliverer: 'teaching_assistant',
      usualGroupSize: 3,
      sessionsPerWeek: 5,
      minutesPerSession: 20,
      costModel: 'staff_time',
      measureKind: 'rating',
    });
    const groupId = uuid();
    await db.insert(provisionGroup).values({
      schoolId: s.id,
      id: groupId,
      interventionId,
      name: 'Talk group',
      delivererName: 'Tia',
      delivererKind: 'teaching_assistant',
      startDate: '2026-09-01',
      sessionsPerWeek: 5,
      minutesPerSession: 20,
    });
    await db
      .insert(groupMember)
      .values({ schoolId: s.id, id: uuid(), groupId, pupilId: pupil.id, joinedOn: '2026-09-01' });
    const sessions = Array.from({ length: 14 }, (_, i) => ({
      schoolId: s.id,
      id: uuid(),
      groupId,
      heldOn: addDays('2026-09-01', i),
      recordedByName: 'Tia',
    }));
    await db.insert(provisionSession).values(sessions);
    await db
      .insert(sessionAttendance)
      .values(sessions.map((x) => ({ schoolId: s.id, sessionId: x.id, pupilId: pupil.id, present: false })));
    const [item] = await provisionOfPupil(db, s.id, pupil.id);
    expect(item).toMatchObject({ sessionsHeld: 14, attended: 0 });
    expect(item!.missedOn).toEqual(Array.from({ length: 10 }, (_, i) => addDays('2026-09-14', -i)));
  });
});
