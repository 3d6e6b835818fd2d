import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import schema from '../../../docs/schemas/ehc-request-pack.v1.schema.json' with { type: 'json' };
import type { EvidencePack } from '../../domain/ehc-pack.ts';

/*
 * The evidence pack's published JSON Schema (docs/schemas/ehc-request-pack.v1.schema.json), compiled
 * once with ajv: what a school sends is checked against the format it promises before it goes, and the
 * tests check every pack they build against it.
 */

let compiled: ReturnType<Ajv2020['compile']> | null = null;
function validator() {
  compiled ??= new Ajv2020({ allErrors: true, strict: true }).compile(schema);
  return compiled;
}

export const PACK_SCHEMA_ID: string = schema.$id;

/** Where a pack does not follow the schema ("/child/sex must be equal to one of the allowed values"); empty when it does. */
export function packSchemaProblems(pack: EvidencePack | unknown): string[] {
  const validate = validator();
  if (validate(pack)) return [];
  return (validate.errors ?? []).map(
    (e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? 'is not valid'}`,
  );
}

/** Throws when the pack does not follow its schema (a fault of OpenSEND's, never of the user's). */
export function assertPackFollowsSchema(pack: EvidencePack): void {
  const problems = packSchemaProblems(pack);
  if (problems.length > 0)
    throw new Error(`The evidence pack does not follow its schema: ${problems.slice(0, 5).join('; ')}`);
}
