import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import schema from '../../../docs/schemas/annual-review-report.v1.schema.json' with { type: 'json' };
import type { AnnualReviewReport } from '../../domain/ehc-review.ts';

/*
 * The annual review report's published JSON Schema (docs/schemas/annual-review-report.v1.schema.json),
 * compiled once with ajv: what a school sends is checked against the format it promises before it goes,
 * and the tests check every report they build against it.
 */

let compiled: ReturnType<Ajv2020['compile']> | null = null;
function validator() {
  compiled ??= new Ajv2020({ allErrors: true, strict: true }).compile(schema);
  return compiled;
}

export const REPORT_SCHEMA_ID: string = schema.$id;

/** Where a report does not follow the schema; empty when it does. */
export function reportSchemaProblems(report: AnnualReviewReport | unknown): string[] {
  const validate = validator();
  if (validate(report)) return [];
  return (validate.errors ?? []).map(
    (e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? 'is not valid'}`,
  );
}

/** Throws when the report does not follow its schema (a fault of OpenSEND's, never of the user's). */
export function assertReportFollowsSchema(report: AnnualReviewReport): void {
  const problems = reportSchemaProblems(report);
  if (problems.length > 0)
    throw new Error(
      `The annual review report does not follow its schema: ${problems.slice(0, 5).join('; ')}`,
    );
}
