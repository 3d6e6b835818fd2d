import { describe, expect, it } from 'vitest';
import { buildConcern, buildLetter, buildProvisionGroup, buildStaff, useWorld } from './builders/index.ts';

/*
 * The builders for provision groups, concerns and letters make records the services read as their
 * own: given nothing they build the school and pupil they need; given a school and staff, what they
 * build is reached, listed and counted like a record made through the service.
 */
const world = useWorld();

describe('a provision group built for a test', () => {
  it('builds its school, intervention and pupil when given none, and the school’s SENCo sees it whole', async () => {
    const { database, services } = world;
    const group = await buildProvisionGroup(database.db, { sessions: ['2026-11-16', '2026-11-19'] });
    const senco = await buildStaff(database.db, 'senco', { schoolId: group.schoolId });
    const page = await services.provision.group(senco.actor, group.id, { audit: false });
    expect(page.group).toMatchObject({ name: group.name, delivererKind: 'external' });
    expect(page.members.map((m) => m.member.pupilId)).toEqual(group.pupilIds);
    expect(page.sessions.map((s) => [s.heldOn, s.attendance.every((a) => a.present)])).toEqual([
      ['2026-11-19', true],
      ['2026-11-16', true],
    ]);
  });

  it('delivered by a member of staff, brings its pupils into their reach', async () => {
    const { database, services, w } = world;
    await expect(services.pupils.view(w.teacherB.actor, w.pupilK.id)).rejects.toThrow();
    await buildProvisionGroup(database.db, {
      schoolId: w.school.id,
      deliverer: { userId: w.teacherB.actor.userId, name: 'Tom Teacher' },
      delivererKind: 'teacher',
      pupilIds: [w.pupilK.id],
    });
    expect((await services.pupils.view(w.teacherB.actor, w.pupilK.id)).pupil.id).toBe(w.pupilK.id);
  });
});

describe('a concern built for a test', () => {
  it('is open for the SENCo to review, and its raiser sees it', async () => {
    const { database, services, w } = world;
    const built = await buildConcern(database.db, {
      schoolId: w.school.id,
      pupilId: w.pupilA.id,
      raiser: { userId: w.teacherA.actor.userId, name: 'Tara Teacher' },
    });
    const { open } = await services.concerns.forReview(w.senco.actor);
    expect(open.map((c) => c.id)).toContain(built.id);
    const seen = await services.concerns.view(w.teacherA.actor, built.id);
    expect(seen.concern).toMatchObject({
      status: 'open',
      raisedByName: 'Tara Teacher',
      pupilId: w.pupilA.id,
    });
  });

  it('builds its pupil and school when given none', async () => {
    const { database, services } = world;
    const built = await buildConcern(database.db);
    const senco = await buildStaff(database.db, 'senco', { schoolId: built.schoolId });
    expect((await services.concerns.view(senco.actor, built.id)).concern.pupilId).toBe(built.pupilId);
  });
});

describe('a letter built for a test', () => {
  it('with a slip, is counted as a slip not back once three weeks have passed', async () => {
    const { database, services, w } = world;
    const counts = async () =>
      (await services.workLists.dashboard(w.senco.actor)).counts.find((c) => c.list === 'slips_outstanding')
        ?.count ?? 0;
    const before = await counts();
    const recent = await buildLetter(database.db, {
      pupil: w.pupilE,
      slip: 'Signed: ____',
      sentOn: '2026-11-13',
    });
    const old = await buildLetter(database.db, {
      pupil: w.pupilE,
      slip: 'Signed: ____',
      sentOn: '2026-10-23',
    });
    await buildLetter(database.db, { pupil: w.pupilE, sentOn: '2026-10-23' });
    expect(await counts()).toBe(before + 1);
    const letter = await services.letters.view(w.senco.actor, old.id);
    expect(letter.letter).toMatchObject({ slipExpected: true, pupilId: w.pupilE.id });
    expect((await services.letters.view(w.senco.actor, recent.id)).letter.pupilAsSent).toMatchObject({
      forename: 'Eli',
      surname: 'Evans',
    });
  });
});
