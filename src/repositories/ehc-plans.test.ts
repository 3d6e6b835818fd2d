import { describe, expect, it } from 'vitest';
import { buildFinalPlan, buildPupil, buildSchool, useWorld } from '../../test/builders/index.ts';
import { finalPlansOfPupils, findPlan, planOfCase, versionsOfPlan } from './ehc-plans.ts';

const t = useWorld();

describe('EHC plans: the authority’s record, read by the school of the child', () => {
  it('a final plan is found by its case and by the school of its pupil, with the version now final', async () => {
    const { database, w } = t;
    const built = await buildFinalPlan(database.db, w.pupilK, w.officer.organisationId, {
      issuedOn: '2026-03-01',
    });
    const plan = await findPlan(database.db, w.officer.organisationId, built.planId);
    expect(plan).toMatchObject({ status: 'final', startedOn: '2026-03-01', reviewDueOn: '2027-02-28' });
    expect((await planOfCase(database.db, w.officer.organisationId, built.caseId))?.id).toBe(built.planId);
    expect(await versionsOfPlan(database.db, w.officer.organisationId, built.planId)).toHaveLength(1);
    const seen = await finalPlansOfPupils(database.db, w.school.id, [w.pupilK.id]);
    expect(seen.map((s) => s.version.sections.e.outcomes.length)).toEqual([2]);
  });

  it('another school finds nothing of it, even by the pupil’s id', async () => {
    const { database, w } = t;
    const other = await buildSchool(database.db, {
      organisationId: w.officer.organisationId,
      name: 'Elm Primary',
    });
    const theirs = await buildPupil(database.db, { schoolId: other.id });
    await buildFinalPlan(database.db, theirs, w.officer.organisationId);
    expect(await finalPlansOfPupils(database.db, w.school.id, [theirs.id])).toEqual([]);
    expect(await finalPlansOfPupils(database.db, other.id, [theirs.id])).toHaveLength(1);
  });
});
