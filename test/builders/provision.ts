import type { Executor } from '../../src/db/client.ts';
import type { AreaOfNeed } from '../../src/domain/census.ts';
import type { IsoDate } from '../../src/domain/dates.ts';
import type { DelivererKind } from '../../src/domain/provision.ts';
import {
  type InterventionInsert,
  insertAttendance,
  insertGroup,
  insertInterventions,
  insertMembers,
  insertSession,
} from '../../src/repositories/provision.ts';
import { next, uuid } from './common.ts';
import { buildPupil } from './pupils.ts';
import { buildSchool } from './schools.ts';

/** An intervention in a school's catalogue (a reading group costed by staff time); builds a school unless given one. */
export async function buildIntervention(
  db: Executor,
  options: Partial<InterventionInsert> & { schoolId?: string } = {},
) {
  const schoolId = options.schoolId ?? (await buildSchool(db)).id;
  const row = {
    id: uuid(),
    name: `Reading group ${next()}`,
    area: 'cognition_and_learning' as AreaOfNeed,
    usualDeliverer: 'teaching_assistant' as DelivererKind,
    usualGroupSize: 4,
    sessionsPerWeek: 3,
    minutesPerSession: 20,
    costModel: 'staff_time' as const,
    measureKind: 'standardised_score' as const,
    ...options,
    schoolId,
  } satisfies InterventionInsert;
  await insertInterventions(db, [row]);
  return row;
}

/**
 * A provision group with its pupils (traits: who delivers it, its dates, sessions held with everyone
 * present). Builds a school, an intervention and one pupil at SEN support unless given them; each
 * pupil joins on the start date. Delivered by a member of staff (`deliverer: { userId, name }`), who
 * then reaches its pupils, or by someone outside the staff (`deliverer: { name }`).
 */
export async function buildProvisionGroup(
  db: Executor,
  options: {
    schoolId?: string;
    interventionId?: string;
    pupilIds?: string[];
    name?: string;
    deliverer?: { userId?: string; name: string };
    delivererKind?: DelivererKind;
    startDate?: IsoDate;
    endDate?: IsoDate | null;
    sessionsPerWeek?: number;
    minutesPerSession?: number;
    location?: string | null;
    agency?: string | null;
    /** Sessions held, each with every pupil present. */
    sessions?: IsoDate[];
  } = {},
) {
  const schoolId = options.schoolId ?? (await buildSchool(db)).id;
  const interventionId = options.interventionId ?? (await buildIntervention(db, { schoolId })).id;
  const pupilIds = options.pupilIds ?? [
    (await buildPupil(db, { schoolId, stage: 'sen_support', primaryNeed: 'SPLD' })).id,
  ];
  const deliverer = options.deliverer ?? { name: 'Northshire Reading Service' };
  const delivererId = deliverer.userId ?? null;
  const group = {
    schoolId,
    id: uuid(),
    interventionId,
    name: options.name ?? `Group ${next()}`,
    delivererId,
    delivererName: deliverer.name,
    delivererKind: options.delivererKind ?? (delivererId ? 'teaching_assistant' : 'external'),
    startDate: options.startDate ?? '2026-09-07',
    endDate: options.endDate ?? null,
    sessionsPerWeek: options.sessionsPerWeek ?? 3,
    minutesPerSession: options.minutesPerSession ?? 20,
    location: options.location ?? null,
    agency: options.agency ?? null,
  };
  await insertGroup(db, group);
  const members = pupilIds.map((pupilId) => ({
    schoolId,
    id: uuid(),
    groupId: group.id,
    pupilId,
    joinedOn: group.startDate,
    addedByName: 'Test builder',
  }));
  await insertMembers(db, members);
  for (const heldOn of options.sessions ?? []) {
    const sessionId = uuid();
    await insertSession(db, {
      schoolId,
      id: sessionId,
      groupId: group.id,
      heldOn,
      recordedByName: deliverer.name,
      recordedBy: delivererId,
    });
    await insertAttendance(
      db,
      pupilIds.map((pupilId) => ({ schoolId, sessionId, pupilId, present: true })),
    );
  }
  return { ...group, pupilIds, memberIds: members.map((m) => m.id) };
}
