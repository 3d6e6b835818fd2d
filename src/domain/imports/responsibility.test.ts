import { describe, expect, it } from 'vitest';
import type { ImportField } from './fields.ts';
import { relationshipKind, responsibilityOf, responsibilityQuestion } from './responsibility.ts';

const contact = (relationship: string, given?: boolean) => ({
  relationship,
  parentalResponsibility: given ?? false,
  responsibilityGiven: given !== undefined,
});
const withoutColumn: ImportField[] = ['upn', 'contact1Name', 'contact1Relationship', 'contact2Name'];
const withColumn: ImportField[] = [
  ...withoutColumn,
  'contact1ParentalResponsibility',
  'contact2ParentalResponsibility',
];

describe('parental responsibility the file does not give', () => {
  it('asks by relationship, most common first, the usual holders ticked to start with', () => {
    const question = responsibilityQuestion(
      [
        contact('Mother'),
        contact('mother '),
        contact('Father'),
        contact('Grandmother'),
        contact('Foster Carer'),
        contact('Carer'),
        contact('Mother', true),
      ],
      withoutColumn,
    );
    expect(question).toEqual({
      noColumn: true,
      contacts: 6,
      kinds: [
        { kind: 'mother', label: 'Mother', count: 2, usual: true },
        { kind: 'carer', label: 'Carer', count: 1, usual: true },
        { kind: 'father', label: 'Father', count: 1, usual: true },
        { kind: 'foster carer', label: 'Foster Carer', count: 1, usual: false },
        { kind: 'grandmother', label: 'Grandmother', count: 1, usual: false },
      ],
    });
  });

  it('asks nothing when the file says for everyone, and says when only some cells were empty', () => {
    expect(
      responsibilityQuestion([contact('Mother', true), contact('Father', false)], withColumn),
    ).toBeNull();
    expect(responsibilityQuestion([contact('Mother', true), contact('Father')], withColumn)).toMatchObject({
      noColumn: false,
      contacts: 1,
    });
  });

  it('gives each contact the school’s choice for their kind, keeping what the file said', () => {
    const chosen = new Set(['mother', 'carer']);
    expect(responsibilityOf(contact(' MOTHER'), chosen)).toBe(true);
    expect(responsibilityOf(contact('Grandmother'), chosen)).toBe(false);
    expect(responsibilityOf(contact('Grandmother', true), chosen)).toBe(true);
    expect(responsibilityOf(contact('Mother', false), chosen)).toBe(false);
    // A plan kept from before the question was asked keeps what it held.
    expect(responsibilityOf({ relationship: 'Mother', parentalResponsibility: false }, chosen)).toBe(false);
    expect(relationshipKind('  Step  Father ')).toBe('step father');
  });
});
