import { describe, expect, it } from 'vitest';
import { PLAN_STATUS_LABELS } from './plans.ts';
import { codeLabel, fieldLabel, otherPupilsNamed, subjectAccessDueOn } from './subject-access.ts';

describe('when a subject access request is due', () => {
  it('is the same day of the next month, or that month’s last day when it has no such day', () => {
    expect(subjectAccessDueOn('2026-12-06')).toBe('2027-01-06');
    expect(subjectAccessDueOn('2026-01-31')).toBe('2026-02-28');
    expect(subjectAccessDueOn('2028-01-31')).toBe('2028-02-29');
    expect(subjectAccessDueOn('2026-03-31')).toBe('2026-04-30');
    expect(subjectAccessDueOn('2026-11-30')).toBe('2026-12-30');
  });
});

describe('the other pupils a note names', () => {
  const others = [
    { id: 'a', forename: 'Amara', surname: 'Okafor' },
    { id: 'b', forename: 'Eli', surname: 'Evans' },
    { id: 'c', forename: 'Jo', surname: 'Lee-Smith' },
  ];
  it('finds a full name in any case and across line breaks, as whole words only', () => {
    expect(otherPupilsNamed('Sat with AMARA okafor at lunch.', others).map((p) => p.id)).toEqual(['a']);
    expect(otherPupilsNamed('Played with Eli\nEvans and Jo Lee-Smith', others).map((p) => p.id)).toEqual([
      'b',
      'c',
    ]);
    expect(otherPupilsNamed('Eli Evanson helped', others)).toEqual([]);
    expect(otherPupilsNamed('Eli did well; Mrs Evans phoned', others)).toEqual([]);
  });
});

describe('a column’s name in the export', () => {
  it('reads as words', () => {
    expect(fieldLabel('created_by_name')).toBe('Created by name');
    expect(fieldLabel('upn')).toBe('UPN');
    expect(fieldLabel('sen_stage')).toBe('SEN stage');
  });
});

describe('codes in a subject access export', () => {
  it('read as the words the pages use, by column and by kind of record', () => {
    expect(codeLabel('pupil', 'sen_stage', 'sen_support')).toBe('SEN support');
    expect(codeLabel('register_entry', 'change_kind', 'left_register')).toMatch(/\w/);
    expect(codeLabel('concern', 'kind', 'send')).toBe('SEND');
    expect(codeLabel('letter', 'kind', 'send')).toBeNull();
    expect(codeLabel('plan', 'status', 'active')).toBe(PLAN_STATUS_LABELS.active);
    expect(codeLabel('pupil', 'forename', 'Kit')).toBeNull();
    expect(codeLabel('pupil', 'sen_stage', 'toString')).toBeNull();
    expect(codeLabel('pupil', 'sen_stage', 3)).toBeNull();
  });
});
