import type { Executor } from '../../src/db/client.ts';
import { insertClasses, insertOrganisation, insertSchool } from '../../src/repositories/schools.ts';
import { next, uuid } from './common.ts';

export async function buildOrganisation(db: Executor, name = 'Testshire Council') {
  const id = uuid();
  await insertOrganisation(db, { id, name, kind: 'local_authority' });
  return { id, name };
}

export async function buildSchool(
  db: Executor,
  overrides: {
    organisationId?: string | null;
    name?: string;
    lowestNcYear?: number;
    highestNcYear?: number;
    rolledOverTo?: number | null;
  } = {},
) {
  const n = next();
  const school = {
    id: uuid(),
    name: overrides.name ?? `Test Primary ${n}`,
    urn: String(100000 + Math.floor(Math.random() * 800000)),
    laCode: '999',
    establishmentNumber: String(1000 + (n % 9000)),
    phase: 'primary',
    organisationId: overrides.organisationId ?? null,
    lowestNcYear: overrides.lowestNcYear ?? -1,
    highestNcYear: overrides.highestNcYear ?? 6,
    rolledOverTo: overrides.rolledOverTo ?? null,
  };
  await insertSchool(db, school);
  return school;
}

export async function buildClass(db: Executor, schoolId?: string, name?: string, ncYear = 3) {
  const sid = schoolId ?? (await buildSchool(db)).id;
  const c = { schoolId: sid, id: uuid(), name: name ?? `Class ${next()}`, ncYear, ncYears: [ncYear] };
  await insertClasses(db, [c]);
  return c;
}
