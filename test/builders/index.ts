/** Test-data builders, one file per aggregate; each builds the parents it needs unless given them. */
export * from './agencies.ts';
export * from './cases.ts';
export * from './common.ts';
export * from './concerns.ts';
export * from './ehc.ts';
export * from './ehc-example.ts';
export * from './ehc-plans.ts';
export * from './ehc-reviews.ts';
export * from './imports.ts';
export * from './letters.ts';
export * from './people.ts';
export * from './plans.ts';
export * from './provision.ts';
export * from './pupils.ts';
export * from './schools.ts';
export * from './top-up.ts';
export * from './world.ts';
