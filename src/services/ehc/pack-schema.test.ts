import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { examplePack } from '../../../test/builders/ehc-example.ts';
import { SERVICE_KINDS } from '../../domain/agencies.ts';
import { AREAS_OF_NEED, NEED_CODES } from '../../domain/census.ts';
import { ASSESSMENT_CONSENT_HOW, REQUESTED_BY } from '../../domain/ehc.ts';
import { PACK_CHECKS, PACK_FORMAT, PACK_VERSION } from '../../domain/ehc-pack.ts';
import { CONTEXT_FLAGS } from '../../domain/flags.ts';
import { SEN_STAGES } from '../../domain/register.ts';
import { assertPackFollowsSchema, packSchemaProblems } from './pack-schema.ts';

/*
 * The published JSON Schema of the evidence pack (docs/schemas/ehc-request-pack.v1.schema.json) against
 * the pack's shape in code: the lists of codes are the domain's own, the format and version match, and
 * the schema is strict (a field too many, a field missing or a wrong code fails), so that a change to
 * the pack that the schema does not follow fails here and in every test that builds a pack.
 */

const schema = JSON.parse(
  readFileSync(new URL('../../../docs/schemas/ehc-request-pack.v1.schema.json', import.meta.url), 'utf8'),
);
const defs = schema.$defs;

describe('the schema and the domain', () => {
  it('lists the domain’s own codes', () => {
    expect(defs.needCode.enum).toEqual([...NEED_CODES]);
    expect(defs.areaOfNeed.enum).toEqual([...AREAS_OF_NEED]);
    expect(defs.senStage.enum).toEqual([...SEN_STAGES]);
    expect(defs.check.properties.key.enum).toEqual(Object.keys(PACK_CHECKS));
    expect(defs.report.properties.serviceKind.anyOf[0].enum).toEqual([...SERVICE_KINDS]);
    expect(defs.referral.properties.serviceKind.enum).toEqual([...SERVICE_KINDS]);
    expect(schema.properties.child.properties.contextFactors.items.enum).toEqual([...CONTEXT_FLAGS]);
    expect(schema.properties.requestedBy.enum).toEqual(Object.keys(REQUESTED_BY));
    expect(schema.properties.consent.anyOf[0].properties.how.enum).toEqual(
      Object.keys(ASSESSMENT_CONSENT_HOW),
    );
    expect(schema.properties.format.const).toBe(PACK_FORMAT);
    expect(PACK_VERSION).toMatch(new RegExp(schema.properties.version.pattern));
  });

  it('requires every field of the pack, at the top and in each section', () => {
    const pack = examplePack();
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(pack).sort());
    expect(schema.required.sort()).toEqual(Object.keys(pack).sort());
    for (const section of [
      'child',
      'school',
      'intervention',
      'need',
      'childsViews',
      'moreInformation',
      'completedBy',
    ])
      expect(schema.properties[section].required.sort(), section).toEqual(
        Object.keys(pack[section as keyof typeof pack] as object).sort(),
      );
  });
});

describe('a pack against the schema', () => {
  it('accepts a whole pack', () => {
    expect(packSchemaProblems(examplePack())).toEqual([]);
    expect(() => assertPackFollowsSchema(examplePack())).not.toThrow();
  });

  it('refuses a field it does not know, a field missing, a wrong code and a date that is not a date', () => {
    const extra = { ...examplePack(), nickname: 'R' };
    expect(packSchemaProblems(extra)).toEqual(['/ must NOT have additional properties']);
    const { consent: _consent, ...withoutConsent } = examplePack();
    expect(packSchemaProblems(withoutConsent)).toEqual(["/ must have required property 'consent'"]);
    const wrongNeed = examplePack();
    (wrongNeed.child.senTypes[0] as { senType: string }).senType = 'DYSLEXIA';
    expect(packSchemaProblems(wrongNeed)).toEqual([
      '/child/senTypes/0/senType must be equal to one of the allowed values',
    ]);
    const badDate = examplePack();
    badDate.preparedOn = '20/11/2026';
    expect(packSchemaProblems(badDate)[0]).toMatch(/^\/preparedOn must match pattern/);
    expect(() => assertPackFollowsSchema(badDate)).toThrow(/does not follow its schema: \/preparedOn/);
  });

  it('refuses a leavable item whose key is not of its kind', () => {
    const pack = examplePack();
    pack.intervention.plans[0]!.key = 'report:00000000-0000-4000-8000-000000000001';
    expect(packSchemaProblems(pack)).toEqual([
      '/intervention/plans/0/key must match pattern "^plan:[0-9a-fA-F-]{36}$"',
    ]);
  });
});
