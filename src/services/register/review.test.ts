import { describe, expect, it } from 'vitest';
import { buildPupil, TODAY, useWorld } from '../../../test/builders/index.ts';
import { createServices } from '../index.ts';
import { fixedClock } from '../kernel/clock.ts';

const world = useWorld();

describe('skipping a pupil in the termly register review', () => {
  it('leaves them until later, counts the pupils still to do, and still holds the next day', async () => {
    const { services, w, database } = world;
    const extra = await buildPupil(database.db, {
      schoolId: w.school.id,
      classId: w.classA.id,
      forename: 'Mo',
      surname: 'Aaronson',
      stage: 'monitoring',
    });
    let list = await services.register.reviewList(w.senco.actor);
    expect(list.total).toBe(3);
    expect(list.stillToDo).toBe(3);
    // Never reviewed: alphabetical, Aaronson first.
    expect(list.rows.map((r) => r.id)).toEqual([extra.id, w.pupilE.id, w.pupilK.id]);

    const { next } = await services.register.skip(w.senco.actor, extra.id);
    expect(next).toBe(w.pupilE.id);
    list = await services.register.reviewList(w.senco.actor);
    expect(list.rows.map((r) => r.id)).toEqual([w.pupilE.id, w.pupilK.id, extra.id]);
    expect(list.rows[2]).toMatchObject({ skipped: true });
    expect(list).toMatchObject({ stillToDo: 3, skipped: 1 });

    const form = await services.register.reviewForm(w.senco.actor, w.pupilE.id);
    await services.register.recordReview(w.senco.actor, w.pupilE.id, {
      outcome: 'stays',
      toStage: null,
      primaryNeed: null,
      secondaryNeed: null,
      reviewedOn: TODAY,
      reason: 'Annual review due in spring',
      version: form.pupil.version,
    });
    expect(await services.register.nextToReview(w.senco.actor, w.pupilE.id)).toBe(w.pupilK.id);

    // The next day (a new process, the same term): the skip is still there.
    const tomorrow = createServices(database, fixedClock('2026-11-21'));
    list = await tomorrow.register.reviewList(w.head.actor);
    expect(list).toMatchObject({ stillToDo: 2, reviewedThisTerm: 1, skipped: 1 });
    expect((await tomorrow.register.reviewForm(w.head.actor, extra.id)).stillToDo).toBe(2);
    // Once only the skipped pupil is left, they come back.
    expect(await tomorrow.register.nextToReview(w.head.actor, w.pupilK.id)).toBe(extra.id);

    // Next term the skip no longer counts.
    const spring = createServices(database, fixedClock('2027-01-11'));
    expect((await spring.register.reviewList(w.senco.actor)).skipped).toBe(0);
  });

  it('is for the reviewers only, and only for pupils on the register or monitoring list', async () => {
    const { services, w } = world;
    await expect(services.register.skip(w.teacherA.actor, w.pupilK.id)).rejects.toThrow(/permission/);
    await expect(services.register.skip(w.senco.actor, w.pupilA.id)).rejects.toThrow(
      /not on the register or the monitoring list/,
    );
    await expect(services.register.skip(w.senco.actor, w.otherPupil.id)).rejects.toThrow(/not found/);
  });
});
