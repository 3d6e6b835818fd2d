import { and, eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPupil, buildStaff, TODAY, testServices, useWorld } from '../../../test/builders/index.ts';
import {
  auditEvent,
  groupMember,
  intervention as interventionTable,
  provisionGroup,
  provisionSession,
  pupil as pupilTable,
} from '../../db/schema/index.ts';
import { formatDate } from '../../domain/dates.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { pupilFor } from '../kernel/pupil-access.ts';
import type { GroupInput } from './index.ts';

/*
 * The provision map's services on the usual world (today is Friday 20 November 2026): the SENCo keeps
 * the catalogue and rates and starts groups; Tia, a teaching assistant, delivers one and records its
 * sessions, measures and checks; costs, the map and the views follow.
 */
const world = useWorld();

const fails = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
};
const fieldsOf = async (promise: Promise<unknown>) => {
  const error = await fails(promise);
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).errors;
};

let reading: string; // One-to-one reading: staff time, reading age
let phonics: string; // Phonics catch-up group: staff time, named assessment
let groupId: string;

const groupInput = (
  over: Partial<GroupInput & { interventionId: string; pupilIds: string[] }> = {},
): GroupInput & { interventionId: string; pupilIds: string[] } => ({
  interventionId: phonics,
  name: 'Phonics catch-up: Year 4',
  deliverer: { userId: world.w.ta.actor.userId },
  delivererKind: 'teaching_assistant',
  startDate: '2026-09-07',
  endDate: null,
  sessionsPerWeek: 5,
  minutesPerSession: 15,
  location: 'Library',
  agency: null,
  pupilIds: [world.w.pupilK.id, world.w.pupilA.id],
  ...over,
});

describe('the intervention catalogue', () => {
  it('starts with the starter set the first time it is opened, once, for anyone who works with provision', async () => {
    const { services, w, database } = world;
    const [first, second] = await Promise.all([
      services.provision.catalogue(w.senco.actor),
      services.provision.catalogue(w.ta.actor),
    ]);
    expect(first.interventions.length).toBeGreaterThanOrEqual(15);
    expect(second.interventions).toHaveLength(first.interventions.length);
    const rows = await database.db
      .select()
      .from(interventionTable)
      .where(eq(interventionTable.schoolId, w.school.id));
    expect(rows).toHaveLength(first.interventions.length);
    expect(first.actions.manageCatalogue).toBe(true);
    expect(second.actions.manageCatalogue).toBe(false);
    reading = rows.find((r) => r.name === 'One-to-one reading')!.id;
    phonics = rows.find((r) => r.name === 'Phonics catch-up group')!.id;
    await expect(services.provision.catalogue(w.office.actor)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(services.provision.catalogue(w.governor.actor)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('lets the SENCo add and change an intervention, with plain messages for a repeated name and absurd figures, and a conflict for a stale change', async () => {
    const { services, w, database } = world;
    const input = {
      name: 'Rapid writing group',
      area: 'cognition_and_learning' as const,
      description: 'Sentence work',
      evidenceBase: null,
      usualDeliverer: 'teaching_assistant' as const,
      usualGroupSize: 3,
      sessionsPerWeek: 2,
      minutesPerSession: 25,
      costModel: 'staff_time' as const,
      fixedCostPence: null,
      measureKind: 'rating' as const,
      measureName: 'Writing rating',
    };
    const id = await services.provision.addIntervention(w.senco.actor, input);
    expect(await fieldsOf(services.provision.addIntervention(w.senco.actor, input))).toEqual([
      {
        field: 'name',
        message: 'An intervention with this name is already in the catalogue: choose another name',
      },
    ]);
    expect(
      (
        await fieldsOf(
          services.provision.addIntervention(w.senco.actor, { ...input, name: 'X', minutesPerSession: -5 }),
        )
      ).map((e) => e.field),
    ).toEqual(['minutesPerSession']);
    await expect(
      services.provision.addIntervention(w.ta.actor, { ...input, name: 'Y' }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await services.provision.changeIntervention(w.senco.actor, id, 1, { ...input, minutesPerSession: 30 });
    await expect(
      services.provision.changeIntervention(w.head.actor, id, 1, { ...input, minutesPerSession: 20 }),
    ).rejects.toBeInstanceOf(ConflictError);
    const [row] = await database.db.select().from(interventionTable).where(eq(interventionTable.id, id));
    expect(row).toMatchObject({ minutesPerSession: 30, version: 2, source: 'school' });
    await services.provision.archiveIntervention(w.senco.actor, id, 2, true);
    const options = await services.provision.groupFormOptions(w.senco.actor);
    expect(options.interventions.some((i) => i.id === id)).toBe(false);
    const audits = await database.db
      .select()
      .from(auditEvent)
      .where(
        and(
          eq(auditEvent.schoolId, w.school.id),
          inArray(auditEvent.action, ['intervention.created', 'intervention.changed']),
        ),
      )
      .orderBy(auditEvent.id);
    expect(audits.map((a) => a.action)).toEqual([
      'intervention.created',
      'intervention.changed',
      'intervention.changed',
    ]);
  });
});

describe('hourly rates', () => {
  it('starts from defaults, saves the SENCo’s rates, and refuses a stale form or an absurd rate', async () => {
    const { services, w } = world;
    const rates = await services.provision.rates(w.senco.actor);
    expect(rates.find((r) => r.kind === 'teaching_assistant')).toMatchObject({
      hourlyPence: 1_650,
      isDefault: true,
    });
    const shown = Object.fromEntries(rates.map((r) => [r.kind, r.hourlyPence])) as Record<string, number>;
    const mine = { ...shown, teaching_assistant: 1_400 } as Parameters<
      typeof services.provision.saveRates
    >[1];
    await services.provision.saveRates(w.senco.actor, shown as typeof mine, mine);
    expect(
      (await services.provision.rates(w.head.actor)).find((r) => r.kind === 'teaching_assistant'),
    ).toMatchObject({
      hourlyPence: 1_400,
      isDefault: false,
    });
    await expect(
      services.provision.saveRates(w.head.actor, shown as typeof mine, mine),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(
      await fieldsOf(services.provision.saveRates(w.senco.actor, mine, { ...mine, teacher: 0 })),
    ).toEqual([{ field: 'teacher', message: 'Enter an hourly rate for a teacher from £0.01 to £200.00' }]);
    await expect(services.provision.rates(w.ta.actor)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('starting a group', () => {
  it('refuses bad input with every problem at once, and saves nothing', async () => {
    const { services, w, database } = world;
    const leaver = await buildPupil(database.db, { schoolId: w.school.id, leftOn: '2026-10-01' });
    const errors = await fieldsOf(
      services.provision.startGroup(
        w.senco.actor,
        groupInput({ endDate: '2026-09-01', pupilIds: [], sessionsPerWeek: 0, minutesPerSession: 999 }),
      ),
    );
    expect(errors).toEqual([
      { field: 'endDate', message: 'The end date must be the same as or after the start date' },
      { field: 'sessionsPerWeek', message: 'Enter from 1 to 10 sessions a week' },
      { field: 'minutesPerSession', message: 'Enter the minutes of each session, from 5 to 180' },
      { field: 'pupilIds', message: 'Select at least one pupil: a group starts with its pupils' },
    ]);
    expect(
      await fieldsOf(
        services.provision.startGroup(w.senco.actor, groupInput({ pupilIds: [w.pupilK.id, w.pupilK.id] })),
      ),
    ).toEqual([
      { field: 'pupilIds', message: 'Each pupil can be in the group once: select each pupil once' },
    ]);
    expect(
      await fieldsOf(services.provision.startGroup(w.senco.actor, groupInput({ pupilIds: [leaver.id] }))),
    ).toEqual([
      {
        field: 'pupilIds',
        message: `${leaver.forename} ${leaver.surname} left the school on 1 October 2026: choose pupils on roll`,
      },
    ]);
    expect(
      await fieldsOf(
        services.provision.startGroup(w.senco.actor, groupInput({ pupilIds: [w.otherPupil.id] })),
      ),
    ).toEqual([{ field: 'pupilIds', message: 'Select pupils from the list' }]);
    // The office, the SEN governor and another school's staff do not deliver groups.
    for (const deliverer of [w.office, w.governor, w.otherSenco]) {
      expect(
        await fieldsOf(
          services.provision.startGroup(
            w.senco.actor,
            groupInput({ deliverer: { userId: deliverer.actor.userId } }),
          ),
        ),
      ).toEqual([{ field: 'delivererId', message: 'Select who delivers the group from the list' }]);
    }
    await expect(services.provision.startGroup(w.ta.actor, groupInput())).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    expect(
      await database.db.select().from(provisionGroup).where(eq(provisionGroup.schoolId, w.school.id)),
    ).toEqual([]);
  });

  it('starts a group from the catalogue with its pupils, and its deliverer then reaches them', async () => {
    const { services, w, database } = world;
    // Tia works with Eli only: Kit is out of her reach until she delivers his group.
    await expect(pupilFor(database.db, w.ta.actor, w.pupilK.id, { section: 'plans' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    groupId = await services.provision.startGroup(w.senco.actor, groupInput());
    const reached = await pupilFor(database.db, w.ta.actor, w.pupilK.id, { section: 'plans' });
    expect(reached.access.plans).toBe('contribute');
    const members = await database.db.select().from(groupMember).where(eq(groupMember.groupId, groupId));
    expect(members.map((m) => m.joinedOn)).toEqual(['2026-09-07', '2026-09-07']);
    const audits = await database.db
      .select()
      .from(auditEvent)
      .where(
        and(
          eq(auditEvent.schoolId, w.school.id),
          inArray(auditEvent.action, ['group.created', 'group.pupil_added']),
        ),
      );
    expect(audits.map((a) => a.action).sort()).toEqual([
      'group.created',
      'group.pupil_added',
      'group.pupil_added',
    ]);
    expect(audits.filter((a) => a.pupilId === w.pupilK.id)).toHaveLength(1);
  });

  it('lists the group for the SENCo and for Tia who delivers it, but not for another teaching assistant', async () => {
    const { services, w, database } = world;
    const other = await buildStaff(database.db, 'teaching_assistant', { schoolId: w.school.id });
    expect((await services.provision.groups(w.senco.actor)).groups.map((g) => g.id)).toEqual([groupId]);
    const tia = await services.provision.groups(w.ta.actor);
    expect(tia.groups.map((g) => g.id)).toEqual([groupId]);
    expect(tia.groups[0]).toMatchObject({ membersNow: 2, plannedSessions: 50, sessionsHeld: 0 });
    expect((await services.provision.groups(other.actor)).groups).toEqual([]);
    await expect(services.provision.group(other.actor, groupId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(services.provision.group(w.otherSenco.actor, groupId)).rejects.toBeInstanceOf(NotFoundError);
    // The other school's probe is recorded where this school sees it.
    const probes = await database.db
      .select()
      .from(auditEvent)
      .where(
        and(eq(auditEvent.schoolId, w.school.id), eq(auditEvent.action, 'access.probe_from_other_school')),
      );
    expect(probes.some((p) => (p.detail as { id?: string }).id === groupId)).toBe(true);
  });
});

describe('pupils joining and leaving', () => {
  it('refuses a pupil twice, a joining date outside the group, and the last pupil leaving a group that runs on', async () => {
    const { services, w, database } = world;
    expect(
      await fieldsOf(services.provision.addPupil(w.senco.actor, groupId, w.pupilK.id, '2026-10-05')),
    ).toEqual([{ field: 'pupilId', message: 'Kit Kowalski is already in this group' }]);
    expect(
      await fieldsOf(services.provision.addPupil(w.senco.actor, groupId, w.pupilE.id, '2026-09-01')),
    ).toEqual([
      { field: 'joinedOn', message: 'The group starts on 7 September 2026: enter a joining date from then' },
    ]);
    await services.provision.addPupil(w.senco.actor, groupId, w.pupilE.id, '2026-10-05');
    const [amara] = await database.db
      .select()
      .from(groupMember)
      .where(and(eq(groupMember.groupId, groupId), eq(groupMember.pupilId, w.pupilA.id)));
    expect(
      await fieldsOf(services.provision.pupilLeaves(w.senco.actor, groupId, amara!.id, 1, '2026-09-01')),
    ).toEqual([
      { field: 'leftOn', message: 'They joined on 7 September 2026: enter a leaving date from then' },
    ]);
    await services.provision.pupilLeaves(w.senco.actor, groupId, amara!.id, 1, '2026-10-23');
    await expect(
      services.provision.pupilLeaves(w.senco.actor, groupId, amara!.id, 1, '2026-10-23'),
    ).rejects.toBeInstanceOf(ConflictError);
    // A group of one with its only pupil leaving: end the group instead.
    const solo = await services.provision.startGroup(
      w.senco.actor,
      groupInput({
        interventionId: reading,
        name: 'Reading: Eli',
        pupilIds: [w.pupilE.id],
        sessionsPerWeek: 3,
        minutesPerSession: 20,
      }),
    );
    const [eli] = await database.db.select().from(groupMember).where(eq(groupMember.groupId, solo));
    expect(
      (await fieldsOf(services.provision.pupilLeaves(w.senco.actor, solo, eli!.id, 1, '2026-10-23')))[0]!
        .message,
    ).toBe(
      'Eli Evans is the only pupil in this group after that day: end the group instead, or add another pupil first',
    );
  });
});

describe('sessions', () => {
  it('Tia records sessions with everyone present by default; future dates, dates before the start and a second session that day are refused', async () => {
    const { services, w, database } = world;
    const form = await services.provision.sessionForm(w.ta.actor, groupId);
    expect(form.pupils.map((p) => p.forename).sort()).toEqual(['Eli', 'Kit']); // Amara left on 23 October
    expect(form.today).toBe(TODAY);
    const everyone = form.pupils.map((p) => p.member.pupilId);
    await services.provision.recordSession(w.ta.actor, groupId, {
      heldOn: '2026-11-18',
      presentPupilIds: everyone,
      note: 'Blending ai, ee',
    });
    await services.provision.recordSession(w.ta.actor, groupId, {
      heldOn: '2026-11-19',
      presentPupilIds: [w.pupilK.id],
      note: null,
    });
    await services.provision.recordSession(w.senco.actor, groupId, {
      heldOn: TODAY,
      presentPupilIds: everyone,
      note: null,
    });
    expect(
      await fieldsOf(
        services.provision.recordSession(w.ta.actor, groupId, {
          heldOn: '2026-11-21',
          presentPupilIds: [],
          note: null,
        }),
      ),
    ).toEqual([{ field: 'heldOn', message: 'The date of the session must be today or in the past' }]);
    expect(
      (
        await fieldsOf(
          services.provision.recordSession(w.ta.actor, groupId, {
            heldOn: '2026-09-04',
            presentPupilIds: [],
            note: null,
          }),
        )
      )[0]!.message,
    ).toBe('The group started on 7 September 2026: enter a date from then');
    expect(
      (
        await fieldsOf(
          services.provision.recordSession(w.ta.actor, groupId, {
            heldOn: TODAY,
            presentPupilIds: everyone,
            note: null,
          }),
        )
      )[0]!.message,
    ).toBe('A session on 20 November 2026 is already recorded for this group: check the date');
    // Amara had left by 18 November: she cannot be marked present then.
    expect(
      (
        await fieldsOf(
          services.provision.recordSession(w.ta.actor, groupId, {
            heldOn: '2026-11-17',
            presentPupilIds: [w.pupilA.id],
            note: null,
          }),
        )
      )[0]!.field,
    ).toBe('present');
    // A Saturday or a day of the holidays is asked about, and saved once confirmed (a residential trip).
    for (const [heldOn, why] of [
      ['2026-11-14', 'a Saturday'],
      ['2026-10-27', 'in the usual school holidays'],
    ] as const) {
      expect(
        await fieldsOf(
          services.provision.recordSession(w.ta.actor, groupId, {
            heldOn,
            presentPupilIds: everyone,
            note: null,
          }),
        ),
      ).toEqual([
        {
          field: 'notSchoolDayConfirmed',
          message: `${formatDate(heldOn)} is ${why}, not a school day: check the date, or confirm the session was held then`,
        },
      ]);
    }
    await services.provision.recordSession(w.ta.actor, groupId, {
      heldOn: '2026-10-27',
      presentPupilIds: everyone,
      note: 'Residential trip',
      notSchoolDayConfirmed: true,
    });
    // Kit's class teacher may deliver groups, but not this one: to them it is not there.
    await expect(
      services.provision.recordSession(w.teacherA.actor, groupId, {
        heldOn: '2026-11-16',
        presentPupilIds: [],
        note: null,
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      services.provision.recordSession(w.office.actor, groupId, {
        heldOn: '2026-11-16',
        presentPupilIds: [],
        note: null,
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    const sessions = await database.db
      .select()
      .from(provisionSession)
      .where(eq(provisionSession.groupId, groupId));
    expect(sessions).toHaveLength(4);
    const audits = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.schoolId, w.school.id), eq(auditEvent.action, 'session.recorded')));
    expect(audits).toHaveLength(4);
  });

  it('shows planned against held sessions and each pupil’s attendance on the group’s page', async () => {
    const { services, w } = world;
    const page = await services.provision.group(w.ta.actor, groupId);
    expect(page.plannedSessions).toBe(50); // 5 a week, 7 September to 20 November: 50 school days
    expect(page.sessions).toHaveLength(4); // with the residential trip's
    const eli = page.members.find((m) => m.forename === 'Eli')!;
    expect(eli.attendance).toEqual({ held: 4, present: 3 });
    expect(page.members.find((m) => m.forename === 'Kit')!.attendance).toEqual({ held: 4, present: 4 });
    expect(page.actions).toMatchObject({
      recordSession: true,
      recordMeasures: true,
      edit: false,
      managePupils: false,
    });
  });
});

describe('measures', () => {
  it('refuses an exit measure without an entry measure, a measure out of range, and an exit before the entry; then records them', async () => {
    const { services, w } = world;
    const form = await services.provision.measuresForm(w.ta.actor, groupId);
    const kit = form.members.find((m) => m.forename === 'Kit')!.member;
    const eli = form.members.find((m) => m.forename === 'Eli')!.member;
    expect(
      await fieldsOf(
        services.provision.saveMeasures(w.ta.actor, groupId, {
          entryOn: '2026-09-07',
          exitOn: '2026-11-20',
          rows: [
            { memberId: kit.id, version: kit.version, entry: null, exit: 30 },
            { memberId: eli.id, version: eli.version, entry: 12.5, exit: null },
          ],
        }),
      ),
    ).toEqual([
      { field: `exit-${kit.id}`, message: 'Enter Kit Kowalski’s entry measure before their exit measure' },
    ]);
    expect(
      (
        await fieldsOf(
          services.provision.saveMeasures(w.ta.actor, groupId, {
            entryOn: '2026-11-20',
            exitOn: '2026-09-07',
            rows: [{ memberId: kit.id, version: kit.version, entry: 18, exit: 30 }],
          }),
        )
      ).map((e) => e.field),
    ).toEqual(['exitOn']);
    await services.provision.saveMeasures(w.ta.actor, groupId, {
      entryOn: '2026-09-07',
      exitOn: null,
      rows: [
        { memberId: kit.id, version: kit.version, entry: 18, exit: null },
        { memberId: eli.id, version: eli.version, entry: 22, exit: null },
      ],
    });
    await services.provision.saveMeasures(w.senco.actor, groupId, {
      entryOn: null,
      exitOn: TODAY,
      rows: [{ memberId: kit.id, version: kit.version + 1, entry: 18, exit: 31 }],
    });
    await expect(
      services.provision.saveMeasures(w.ta.actor, groupId, {
        entryOn: null,
        exitOn: TODAY,
        rows: [{ memberId: kit.id, version: kit.version, entry: 18, exit: 29 }],
      }),
    ).rejects.toBeInstanceOf(ConflictError);
    const page = await services.provision.group(w.senco.actor, groupId);
    const kitRow = page.members.find((m) => m.forename === 'Kit')!;
    expect(kitRow.measures).toMatchObject({ entry: 18, entryOn: '2026-09-07', exit: 31, exitOn: TODAY });
    expect(kitRow.progress).toMatchObject({ change: 13, progress: 13 });
    expect(page.impact).toMatchObject({ pupils: 3, measured: 1, improved: 1, averageProgress: 13 });
  });
});

describe('the half-termly check', () => {
  it('needs an answer for every pupil, records the decision, and clears the group from the list of those missed', async () => {
    const { services, w, database } = world;
    expect((await services.provision.attention(w.senco.actor)).unchecked.map((u) => u.group.id)).toContain(
      groupId,
    );
    const form = await services.provision.checkForm(w.ta.actor, groupId);
    expect(
      (
        await fieldsOf(
          services.provision.recordCheck(w.ta.actor, groupId, {
            checkedOn: TODAY,
            decision: 'continue',
            notes: null,
            pupils: [{ pupilId: w.pupilK.id, expectedProgress: true, note: null }],
          }),
        )
      ).map((e) => e.field),
    ).toEqual([`progress-${w.pupilE.id}`]);
    await services.provision.recordCheck(w.ta.actor, groupId, {
      checkedOn: TODAY,
      decision: 'alter',
      notes: 'Eli needs shorter sessions',
      pupils: form.pupils.map((p) => ({
        pupilId: p.member.pupilId,
        expectedProgress: p.forename === 'Kit',
        note: null,
      })),
    });
    const attention = await services.provision.attention(w.senco.actor);
    expect(attention.unchecked.map((u) => u.group.id)).not.toContain(groupId);
    const page = await services.provision.group(w.senco.actor, groupId);
    expect(page.checks[0]).toMatchObject({ decision: 'alter', checkedByName: 'Tia Assistant' });
    expect(page.checks[0]!.pupils).toHaveLength(2);
    const audits = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.schoolId, w.school.id), eq(auditEvent.action, 'group.checked')));
    expect(audits).toHaveLength(1);
  });
});

describe('a pupil’s provision and cost', () => {
  beforeAll(async () => {
    const { services, w } = world;
    // Eli also has one-to-one support at an agency's rate: enough to go over the threshold.
    const ids = await services.provision.catalogue(w.senco.actor);
    const therapy = ids.interventions.find((i) => i.name === 'Speech and language therapy')!.id;
    await services.provision.startGroup(
      w.senco.actor,
      groupInput({
        interventionId: therapy,
        name: 'SALT: Eli',
        deliverer: { name: 'Northshire Speech and Language Service' },
        delivererKind: 'external',
        sessionsPerWeek: 5,
        minutesPerSession: 45,
        agency: 'Northshire Speech and Language Service',
        pupilIds: [w.pupilE.id],
        startDate: '2026-09-01',
      }),
    );
  });

  it('costs each year from the pupil’s groups and flags “consider a high-needs top-up application” over the threshold', async () => {
    const { services, w } = world;
    const kit = await services.provision.pupilProvision(w.teacherA.actor, w.pupilK.id);
    // Phonics: 15 minutes × 5 a week at £14.00 an hour, shared; Kit was with Amara until 23 October, then Eli.
    expect(kit.current.map((c) => c.groupName)).toEqual(['Phonics catch-up: Year 4']);
    expect(kit.costs.academic).toMatchObject({ label: '2026/27', status: 'below' });
    expect(kit.costs.academic.pence).toBeGreaterThan(0);
    expect(kit.costs.topUp).toBe(false);
    expect(kit.current[0]!.missed).toBe(0);
    const eli = await services.provision.pupilProvision(w.senco.actor, w.pupilE.id);
    // £85.00 a session, 5 a week, for the whole year (197 school days): £16,745.00 with nobody to share it.
    expect(eli.costs.academic.pence).toBeGreaterThan(1_674_500);
    expect(eli.costs.academic.status).toBe('over');
    expect(eli.costs.topUp).toBe(true);
    expect(eli.current.find((c) => c.groupName === 'Phonics catch-up: Year 4')!.missed).toBe(1);
    await expect(services.provision.pupilProvision(w.teacherA.actor, w.pupilE.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(services.provision.pupilProvision(w.office.actor, w.pupilK.id)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });

  it('shows the over-threshold pupils and ended groups without exit measures to the SENCo', async () => {
    const { services, w } = world;
    const attention = await services.provision.attention(w.senco.actor);
    expect(attention.over.map((o) => o.name)).toEqual(['Eli Evans']);
    await expect(services.provision.attention(w.ta.actor)).rejects.toBeInstanceOf(ForbiddenError);
    // The dashboard's counts, read with less, come to the same as the lists.
    expect(await services.provision.attentionCounts(w.senco.actor)).toEqual({
      unchecked: attention.unchecked.length,
      noExit: attention.noExit.length,
      over: 1,
    });
    await expect(services.provision.attentionCounts(w.ta.actor)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('the map, the register, effectiveness and figures', () => {
  it('maps this term’s pupils by intervention for the SENCo; a class teacher sees only their class', async () => {
    const { services, w } = world;
    const senco = await services.provision.map(w.senco.actor, {});
    expect(senco.term.label).toBe('Autumn term 2026/27');
    expect(senco.map.pupils.map((p) => p.pupil.forename).sort()).toEqual(['Amara', 'Eli', 'Kit']);
    const eli = senco.map.pupils.find((p) => p.pupil.forename === 'Eli')!;
    expect(eli.status).toBe('over');
    expect(eli.cells.map((c) => c.interventionName).sort()).toEqual([
      'One-to-one reading',
      'Phonics catch-up group',
      'Speech and language therapy',
    ]);
    expect(senco.map.totals.termPence).toBeGreaterThan(0);
    const teacher = await services.provision.map(w.teacherA.actor, {});
    expect(teacher.map.pupils.map((p) => p.pupil.forename).sort()).toEqual(['Amara', 'Kit']);
    await expect(services.provision.exportMap(w.teacherA.actor, {}, undefined, 'csv')).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(services.provision.map(w.office.actor, {})).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('lists every group in the register, and each intervention’s progress and cost per unit of progress', async () => {
    const { services, w } = world;
    const register = await services.provision.register(w.senco.actor);
    expect(register.rows).toHaveLength(3);
    const effect = await services.provision.effectiveness(w.senco.actor);
    const phonicsRow = effect.rows.find((r) => r.name === 'Phonics catch-up group')!;
    expect(phonicsRow.summary).toMatchObject({ measured: 1, improved: 1, averageProgress: 13 });
    expect(phonicsRow.costPerUnitPence).toBeGreaterThan(0);
    expect(phonicsRow.byNeed.map((n) => n.need)).toEqual(['SLCN']);
    await expect(services.provision.effectiveness(w.ta.actor)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('gives the SEN governor totals only, with small numbers hidden', async () => {
    const { services, w } = world;
    const figures = await services.provision.figures(w.governor.actor);
    expect(figures.pupils).toBe(3);
    const cl = figures.areas.find((a) => a.area === 'cognition_and_learning')!;
    expect(cl.pupils).toBe(3);
    const ci = figures.areas.find((a) => a.area === 'communication_and_interaction')!;
    expect(ci).toMatchObject({ pupils: 'suppressed', costPence: null, interventions: null });
    // The areas' costs add up to the total, so with an area's cost hidden the total is hidden too:
    // otherwise the total less the others would give it away.
    expect(figures.costPence).toBeNull();
    expect(cl.costPence).toBeGreaterThan(0);
    // One pupil measured this year (a whole-school total, shown); whether they made progress would name
    // them, and with only the total beside it, that breakdown is not shown.
    expect(figures.impact).toEqual([
      { label: '2026/27 so far', measured: 1, improved: 'withheld' },
      { label: '2025/26', measured: 0, improved: 0 },
    ]);
    expect(JSON.stringify(figures)).not.toMatch(/Kit|Eli|Amara/);
    await expect(services.provision.figures(w.teacherA.actor)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('gives the governor the year’s cost so far beside the cost planned to the end of the year, hidden alike', async () => {
    const { services, database, w } = world;
    // Hidden with an area's cost, as the planned cost is.
    expect((await services.provision.figures(w.governor.actor)).costSoFarPence).toBeNull();
    // With no numbers too small to show: up to 20 November of a year whose groups run on to July.
    const open = testServices(database, { suppressionThreshold: 0 });
    const figures = await open.provision.figures(w.governor.actor);
    expect(figures.costSoFarPence).toBeGreaterThan(0);
    expect(figures.costPence).toBeGreaterThan(figures.costSoFarPence!);
  });
});

describe('changing and ending a group', () => {
  it('keeps the dates around what is recorded, refuses a stale change, and ends the group', async () => {
    const { services, w, database } = world;
    const { group } = await services.provision.groupForEdit(w.senco.actor, groupId);
    const input: GroupInput = {
      name: group.name,
      deliverer: { userId: w.ta.actor.userId },
      delivererKind: 'teaching_assistant',
      startDate: '2026-09-14',
      endDate: '2026-11-01',
      sessionsPerWeek: 5,
      minutesPerSession: 15,
      location: null,
      agency: null,
    };
    expect(
      (await fieldsOf(services.provision.changeGroup(w.senco.actor, groupId, group.version, input))).map(
        (e) => e.field,
      ),
    ).toEqual(['startDate', 'endDate']);
    await services.provision.changeGroup(w.senco.actor, groupId, group.version, {
      ...input,
      startDate: '2026-09-07',
      endDate: TODAY,
      minutesPerSession: 20,
    });
    await expect(
      services.provision.changeGroup(w.head.actor, groupId, group.version, {
        ...input,
        startDate: '2026-09-07',
        endDate: null,
      }),
    ).rejects.toBeInstanceOf(ConflictError);
    const [row] = await database.db.select().from(provisionGroup).where(eq(provisionGroup.id, groupId));
    expect(row).toMatchObject({ endDate: TODAY, minutesPerSession: 20, location: null });
    // The pupils stay on the school roll, unchanged.
    const [kit] = await database.db.select().from(pupilTable).where(eq(pupilTable.id, w.pupilK.id));
    expect(kit!.leftOn).toBeNull();
  });
});

describe('a class teacher delivering a group', () => {
  it('is offered as a deliverer, then reaches the group’s pupils outside their class and records its sessions as themselves', async () => {
    const { services, w, database } = world;
    const options = await services.provision.groupFormOptions(w.senco.actor);
    const offered = options.deliverers.map((d) => d.userId);
    expect(offered).toEqual(
      expect.arrayContaining([w.teacherA.actor.userId, w.teacherB.actor.userId, w.ta.actor.userId]),
    );
    expect(offered).not.toContain(w.office.actor.userId);
    expect(offered).not.toContain(w.governor.actor.userId);
    // Mr B teaches Year 5 (Eli); Kit is in Year 4, out of his reach until he delivers Kit's group.
    await expect(
      pupilFor(database.db, w.teacherB.actor, w.pupilK.id, { section: 'provision' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const id = await services.provision.startGroup(
      w.senco.actor,
      groupInput({
        name: 'Handwriting: Year 4',
        deliverer: { userId: w.teacherB.actor.userId },
        delivererKind: 'teacher',
        pupilIds: [w.pupilK.id],
      }),
    );
    const reached = await pupilFor(database.db, w.teacherB.actor, w.pupilK.id, { section: 'provision' });
    expect(reached.access.provision).toBe('contribute');
    expect((await services.provision.groups(w.teacherB.actor)).groups.map((g) => g.id)).toEqual([id]);
    const page = await services.provision.group(w.teacherB.actor, id);
    expect(page.actions).toMatchObject({ view: true, recordSession: true, edit: false });
    await services.provision.recordSession(w.teacherB.actor, id, {
      heldOn: TODAY,
      presentPupilIds: [w.pupilK.id],
      note: null,
    });
    const [session] = await database.db
      .select()
      .from(provisionSession)
      .where(eq(provisionSession.groupId, id));
    expect(session).toMatchObject({
      recordedBy: w.teacherB.actor.userId,
      recordedByName: w.teacherB.actor.name,
    });
    // Kit's own class teacher does not deliver it, so does not see the group's page.
    await expect(services.provision.group(w.teacherA.actor, id)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('pupils measured at entry and exit', () => {
  it('count in the academic year their exit measure was taken, the same on the governor’s figures as on the SENCo’s effectiveness page', async () => {
    const { services, w, database } = world;
    // A group that ran last year and ended before this one began: its pupils were measured last year.
    const pupils = await Promise.all(
      [1, 2, 3, 4, 5, 6, 7].map((i) =>
        buildPupil(database.db, {
          schoolId: w.school.id,
          forename: `Measured${i}`,
          stage: 'sen_support',
          primaryNeed: 'SPLD',
        }),
      ),
    );
    const lastYear = await services.provision.startGroup(
      w.senco.actor,
      groupInput({
        name: 'Phonics: last year',
        startDate: '2025-09-08',
        endDate: '2026-03-27',
        pupilIds: pupils.map((p) => p.id),
      }),
    );
    const form = await services.provision.measuresForm(w.senco.actor, lastYear);
    await services.provision.saveMeasures(w.senco.actor, lastYear, {
      entryOn: '2025-09-08',
      exitOn: '2026-03-20',
      rows: form.members.map((m, i) => ({
        memberId: m.member.id,
        version: m.member.version,
        entry: 10,
        exit: i < 4 ? 20 : 10, // four made progress, three did not
      })),
    });
    const governor = await services.provision.figures(w.governor.actor);
    const senco = await services.provision.effectiveness(w.senco.actor);
    expect(governor.impact.map((i) => [i.label, i.measured])).toEqual([
      ['2026/27 so far', 1],
      ['2025/26', 7],
    ]);
    expect(governor.impact[1]?.improved).toBe(4);
    for (const g of governor.impact) {
      const s = senco.periods.find((p) => p.label === g.label)!;
      expect(s.measured, g.label).toBe(g.measured);
      if (typeof g.improved === 'number') expect(s.improved, g.label).toBe(g.improved);
    }
    expect(senco.periods.at(-1)).toMatchObject({ label: 'all years', measured: 8, improved: 5 });
    // The page's interventions follow the chosen year, by the same rule.
    const last = await services.provision.effectiveness(w.senco.actor, { yearStart: 2025 });
    const phonicsLast = last.rows.find((r) => r.name === 'Phonics catch-up group')!;
    expect(phonicsLast.summary).toMatchObject({ measured: 7, improved: 4 });
    const thisYear = await services.provision.effectiveness(w.senco.actor, { yearStart: 2026 });
    expect(thisYear.rows.find((r) => r.name === 'Phonics catch-up group')!.summary).toMatchObject({
      measured: 1,
      improved: 1,
    });
  });
});
