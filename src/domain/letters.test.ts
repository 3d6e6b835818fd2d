import { describe, expect, it } from 'vitest';
import { renderTemplate, STARTER_TEMPLATES, templateProblems, unknownMergeFields } from './letters.ts';

describe('letter templates', () => {
  it('names an unknown merge field, and an unclosed one', () => {
    expect(unknownMergeFields('Dear {{parents.greeting}}, {{pupil.nickname}} and {{ school.name }}')).toEqual(
      ['pupil.nickname'],
    );
    expect(templateProblems('Hello {{pupil.forename')).toEqual([
      'A merge field is not closed: each one starts with {{ and ends with }}',
    ]);
    expect(templateProblems('{{pupil.shoeSize}}')[0]).toMatch(/\{\{pupil\.shoeSize\}\} is not a merge field/);
  });

  it('fills the fields it has and leaves a line to write on for the rest', () => {
    expect(renderTemplate('{{pupil.forename}} on {{meeting.date}}', { 'pupil.forename': 'Amara' })).toBe(
      'Amara on ______________',
    );
  });

  it('ships starter templates that use only known fields, with the Appendix D slip', () => {
    for (const t of STARTER_TEMPLATES) {
      expect(templateProblems(t.body), t.name).toEqual([]);
      expect(templateProblems(t.slip ?? ''), t.name).toEqual([]);
    }
    const placement = STARTER_TEMPLATES.find((t) => t.kind === 'register_placement')!;
    expect(placement.body).toMatch(/placing them on our Special Educational Needs register/);
    expect(placement.slip).toMatch(/I can confirm that I have received your letter/);
  });
});
