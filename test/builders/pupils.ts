import type { Executor } from '../../src/db/client.ts';
import type { NeedCode } from '../../src/domain/census.ts';
import type { SenStage } from '../../src/domain/register.ts';
import { makeUpn } from '../../src/domain/upn.ts';
import { insertParents, insertPupils, type PupilInsert } from '../../src/repositories/pupils.ts';
import { next, uuid } from './common.ts';
import { buildSchool } from './schools.ts';

/** A pupil (traits: a stage and needs, a class); builds a school when none is given. */
export async function buildPupil(
  db: Executor,
  options: Partial<PupilInsert> & { schoolId?: string; stage?: SenStage; primaryNeed?: NeedCode | null } = {},
) {
  const schoolId = options.schoolId ?? (await buildSchool(db)).id;
  const n = next();
  const { stage, ...rest } = options;
  const row: PupilInsert = {
    schoolId,
    id: uuid(),
    upn: makeUpn('999', '1234', 20, n),
    forename: `Pupil${n}`,
    surname: `Testname${n}`,
    dateOfBirth: '2018-05-10',
    sex: 'female',
    senStage: stage ?? 'none',
    ...rest,
  };
  await insertPupils(db, [row]);
  return row as PupilInsert & { id: string };
}

export async function buildParent(
  db: Executor,
  pupil: { schoolId: string; id: string },
  overrides: Partial<{
    name: string;
    relationship: string;
    phone: string;
    email: string;
    parentalResponsibility: boolean;
    courtOrder: boolean;
  }> = {},
) {
  const parent = {
    schoolId: pupil.schoolId,
    id: uuid(),
    pupilId: pupil.id,
    name: overrides.name ?? `Parent ${next()}`,
    relationship: overrides.relationship ?? 'Mother',
    phone: overrides.phone ?? '07700 900111',
    email: overrides.email ?? 'parent@families.example',
    parentalResponsibility: overrides.parentalResponsibility ?? true,
    courtOrder: overrides.courtOrder ?? false,
    contactPriority: 1,
  };
  await insertParents(db, [parent]);
  return parent;
}
