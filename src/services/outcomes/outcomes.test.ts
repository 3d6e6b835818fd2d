import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpWorld, TODAY, type World } from '../../../test/builders/index.ts';
import type { Database } from '../../db/client.ts';
import { auditEvent } from '../../db/schema/index.ts';
import type { Services } from '../index.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';

let database: Database;
let services: Services;
let w: World;

beforeAll(async () => {
  ({ database, services, w } = await setUpWorld());
});
afterAll(() => database.close());

describe('outcomes beyond attainment', () => {
  it('names outcomes and rates them at reviews, so each shows over time, audited with the pupil', async () => {
    const independence = await services.outcomes.name(w.senco.actor, w.pupilK.id, {
      area: 'independence',
      description: 'Gets ready for PE on his own',
    });
    await services.outcomes.name(w.teacherA.actor, w.pupilK.id, {
      area: 'communication',
      description: 'Asks an adult for help when stuck',
    });
    const all = await services.outcomes.forPupil(w.senco.actor, w.pupilK.id);
    const a = independence;
    const b = all.outcomes.find((o) => o.id !== independence)?.id;
    await services.outcomes.rate(w.senco.actor, w.pupilK.id, {
      ratedOn: '2026-10-16',
      ratings: [
        { outcomeId: a!, rating: 2, note: 'Needs reminders' },
        { outcomeId: b!, rating: 1, note: null },
      ],
    });
    await services.outcomes.rate(w.teacherA.actor, w.pupilK.id, {
      ratedOn: TODAY,
      ratings: [
        { outcomeId: a!, rating: 4, note: 'Nearly there' },
        { outcomeId: b!, rating: 1, note: null },
      ],
    });
    const after = await services.outcomes.forPupil(w.teacherA.actor, w.pupilK.id);
    expect(after.dates).toEqual(['2026-10-16', TODAY]);
    const first = after.outcomes.find((o) => o.id === independence)!;
    expect(first.ratings.map((r) => [r.rating, r.change])).toEqual([
      [2, 'first'],
      [4, 'up'],
    ]);
    expect(first.ratings[1]!.label).toBe('4 – Mostly achieved');
    const rated = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'outcome.rated'), eq(auditEvent.pupilId, w.pupilK.id)));
    expect(rated).toHaveLength(2);
  });

  it('asks for a rating from 1 to 5 for every outcome, and saves nothing otherwise', async () => {
    const all = await services.outcomes.forPupil(w.senco.actor, w.pupilK.id);
    const error = await services.outcomes
      .rate(w.senco.actor, w.pupilK.id, {
        ratedOn: TODAY,
        ratings: [{ outcomeId: all.outcomes[0]!.id, rating: 6, note: null }],
      })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors).toHaveLength(2);
    expect((await services.outcomes.forPupil(w.senco.actor, w.pupilK.id)).dates).toHaveLength(2);
  });

  it('lets a teaching assistant read their pupil’s outcomes but not rate them; another school’s pupil is not found', async () => {
    await services.outcomes.name(w.senco.actor, w.pupilE.id, {
      area: 'regulation',
      description: 'Uses his calm box',
    });
    await expect(services.outcomes.forPupil(w.ta.actor, w.pupilE.id)).resolves.toMatchObject({
      mayWrite: false,
    });
    await expect(
      services.outcomes.name(w.ta.actor, w.pupilE.id, { area: 'wellbeing', description: 'Smiles' }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      services.outcomes.name(w.teacherA.actor, w.pupilE.id, { area: 'wellbeing', description: 'Smiles' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(services.outcomes.forPupil(w.ta.actor, w.pupilK.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(services.outcomes.forPupil(w.senco.actor, w.otherPupil.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      services.outcomes.name(w.senco.actor, w.pupilK.id, { area: 'wellbeing', description: '  ' }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});
