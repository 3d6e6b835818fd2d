/**
 * The database schema, one file per aggregate. Every school table carries school_id in its key, every
 * organisation's table organisation_id.
 */
export * from './access.ts';
export * from './agencies.ts';
export * from './audit.ts';
export * from './cases.ts';
export * from './concerns.ts';
export * from './ehc.ts';
export * from './ehc-plan-school.ts';
export * from './ehc-plans.ts';
export * from './ehc-review-lists.ts';
export * from './family.ts';
export * from './kernel.ts';
export * from './letters.ts';
export * from './people.ts';
export * from './plans.ts';
export * from './progress.ts';
export * from './provision.ts';
export * from './pupils.ts';
export * from './register.ts';
export * from './retention.ts';
export * from './schools.ts';
export * from './sign-in.ts';
export * from './subject-access.ts';
export * from './transfers.ts';
