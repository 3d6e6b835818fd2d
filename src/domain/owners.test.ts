import { describe, expect, it } from 'vitest';
import { INSTALLATION, ownerColumns, ownerOf, ownerOfColumns, sameOwner } from './owners.ts';

const school = '11111111-1111-4111-8111-111111111111';
const organisation = '22222222-2222-4222-8222-222222222222';

describe('owners', () => {
  it('are the school someone works in, else the organisation they act for, else the installation', () => {
    expect(ownerOf({ schoolId: school, organisationId: null })).toEqual({ kind: 'school', schoolId: school });
    expect(ownerOf({ schoolId: null, organisationId: organisation })).toEqual({
      kind: 'organisation',
      organisationId: organisation,
    });
    expect(ownerOf({ schoolId: null, organisationId: null })).toEqual(INSTALLATION);
  });

  it('give the key columns of a row: one of them, or neither for the installation', () => {
    expect(ownerColumns({ kind: 'school', schoolId: school })).toEqual({
      schoolId: school,
      organisationId: null,
    });
    expect(ownerColumns({ kind: 'organisation', organisationId: organisation })).toEqual({
      schoolId: null,
      organisationId: organisation,
    });
    expect(ownerColumns(INSTALLATION)).toEqual({ schoolId: null, organisationId: null });
    for (const owner of [
      { kind: 'school' as const, schoolId: school },
      { kind: 'organisation' as const, organisationId: organisation },
      INSTALLATION,
    ])
      expect(ownerOfColumns(ownerColumns(owner))).toEqual(owner);
  });

  it('refuse a row that names both a school and an organisation', () => {
    expect(() => ownerOfColumns({ schoolId: school, organisationId: organisation })).toThrow(/never to both/);
  });

  it('tell one owner from another, a school from an organisation with the same id', () => {
    expect(sameOwner({ kind: 'school', schoolId: school }, { kind: 'school', schoolId: school })).toBe(true);
    expect(
      sameOwner({ kind: 'school', schoolId: school }, { kind: 'organisation', organisationId: school }),
    ).toBe(false);
    expect(sameOwner(INSTALLATION, { kind: 'installation' })).toBe(true);
  });
});
