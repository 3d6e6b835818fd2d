import type { Executor } from '../../src/db/client.ts';
import type { SenStage } from '../../src/domain/register.ts';
import { next } from './common.ts';
import { buildParentAccount } from './people.ts';
import { buildParent, buildPupil } from './pupils.ts';
import { buildSchool } from './schools.ts';

/**
 * A child with two parents who each have their own account (separated, as often): the mother and the
 * father, each linked to the school's record of them with parental responsibility. Builds a school when
 * none is given. `family.mother.actor` acts as the mother; `motherCarer` is the school's record of her.
 */
export async function buildFamily(
  db: Executor,
  options: { schoolId?: string; stage?: SenStage; forename?: string } = {},
) {
  const schoolId = options.schoolId ?? (await buildSchool(db)).id;
  const n = next();
  const pupil = await buildPupil(db, {
    schoolId,
    stage: options.stage ?? 'sen_support',
    primaryNeed: 'SLCN',
    ...(options.forename ? { forename: options.forename } : {}),
  });
  const motherCarer = await buildParent(db, pupil, {
    name: `Mother ${n}`,
    relationship: 'Mother',
    email: `mother.${n}@families.example`,
  });
  const fatherCarer = await buildParent(db, pupil, {
    name: `Father ${n}`,
    relationship: 'Father',
    email: `father.${n}@families.example`,
  });
  const mother = await buildParentAccount(db, [{ ...motherCarer, pupilId: pupil.id }], {
    email: motherCarer.email,
  });
  const father = await buildParentAccount(db, [{ ...fatherCarer, pupilId: pupil.id }], {
    email: fatherCarer.email,
  });
  return { schoolId, pupil, motherCarer, fatherCarer, mother, father };
}
