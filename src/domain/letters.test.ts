import { describe, expect, it } from 'vitest';
import {
  greetingFor,
  mergeValues,
  namesInText,
  renderTemplate,
  STARTER_TEMPLATES,
  slipOverdue,
  slipsOverdueIfSentBy,
  templateProblems,
  unknownMergeFields,
  usesMeeting,
} from './letters.ts';

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

describe('merge values', () => {
  const input = {
    pupil: {
      forename: 'Katarzyna',
      preferredName: 'Kasia',
      surname: 'Nowak',
      dateOfBirth: '2017-04-09',
      className: 'Year 4 Oak',
      yearGroup: 'Year 4',
    },
    recipients: ['Ewa Nowak', 'Piotr Nowak'],
    schoolName: 'Oakfield Primary',
    sencoName: 'Sam Senco',
    today: '2026-11-20',
    planName: 'IEP',
    plan: null,
    maxTargets: 3,
    meeting: null,
  };

  it('uses the name a pupil is known by for their first name, and their legal names in full', () => {
    const v = mergeValues(input);
    expect(v['pupil.forename']).toBe('Kasia');
    expect(v['pupil.fullName']).toBe('Katarzyna Nowak');
    expect(v['parents.greeting']).toBe('Dear Ewa Nowak and Piotr Nowak');
    expect(v.today).toBe('20 November 2026');
    expect(v['pupil.dateOfBirth']).toBe('9 April 2017');
  });

  it('promises the most targets a plan may hold until the plan has some, and leaves the plan’s dates blank', () => {
    expect(mergeValues(input)['plan.targetCount']).toBe('3');
    expect(mergeValues(input)['plan.startDate']).toBeUndefined();
    const withPlan = mergeValues({
      ...input,
      plan: { startDate: '2026-11-02', reviewDate: '2027-01-25', targetCount: 2 },
    });
    expect(withPlan['plan.targetCount']).toBe('2');
    expect(withPlan['plan.reviewDate']).toBe('25 January 2027');
    expect(renderTemplate('{{meeting.date}}', withPlan)).toBe('______________');
  });

  it('greets “Parent/Carer” when nobody is named, and lists three names with commas', () => {
    expect(greetingFor([])).toBe('Dear Parent/Carer');
    expect(namesInText(['Ann', 'Bo', 'Cy'])).toBe('Ann, Bo and Cy');
    expect(mergeValues({ ...input, recipients: [] })['parents.names']).toBeUndefined();
  });

  it('puts “a” or “an” before the plan’s name as it is said aloud', () => {
    expect(mergeValues(input)['plan.nameWithArticle']).toBe('an IEP');
    expect(mergeValues({ ...input, planName: 'SEN Support Plan' })['plan.nameWithArticle']).toBe(
      'an SEN Support Plan',
    );
    expect(mergeValues({ ...input, planName: 'Pupil Provision Plan' })['plan.nameWithArticle']).toBe(
      'a Pupil Provision Plan',
    );
    expect(unknownMergeFields('{{plan.nameWithArticle}}')).toEqual([]);
  });

  it('writes the Appendix D letter with the right article for the school’s name for its plans', () => {
    const placement = STARTER_TEMPLATES.find((t) => t.kind === 'register_placement')!;
    for (const t of STARTER_TEMPLATES) {
      // No starter guesses the article itself: "a {{plan.name}}" reads "a SEN Support Plan".
      expect(`${t.body}\n${t.slip ?? ''}`, t.name).not.toMatch(/\ban? \{\{\s*plan\.name\s*\}\}/i);
    }
    const letter = (planName: string) => renderTemplate(placement.body, mergeValues({ ...input, planName }));
    expect(letter('SEN Support Plan')).toContain(
      'Kasia will be given an SEN Support Plan with up to 3 targets',
    );
    expect(letter('Learning Plan')).toContain('Kasia will be given a Learning Plan with up to 3 targets');
    expect(letter('IEP')).toContain('Kasia will be given an IEP with up to 3 targets');
  });

  it('knows a template that names the review meeting', () => {
    const invitation = STARTER_TEMPLATES.find((t) => t.kind === 'review_invitation')!;
    const placement = STARTER_TEMPLATES.find((t) => t.kind === 'register_placement')!;
    expect(usesMeeting(invitation.body, invitation.slip)).toBe(true);
    expect(usesMeeting(placement.body, placement.slip)).toBe(false);
  });
});

describe('signed slips', () => {
  it('chases a slip three weeks after the letter went, not before, and never once it is back', () => {
    const today = '2026-11-20';
    expect(slipsOverdueIfSentBy(today)).toBe('2026-10-30');
    expect(slipOverdue({ slipExpected: true, slipReturnedOn: null, sentOn: '2026-10-30' }, today)).toBe(true);
    expect(slipOverdue({ slipExpected: true, slipReturnedOn: null, sentOn: '2026-10-31' }, today)).toBe(
      false,
    );
    expect(
      slipOverdue({ slipExpected: true, slipReturnedOn: '2026-11-02', sentOn: '2026-10-01' }, today),
    ).toBe(false);
    expect(slipOverdue({ slipExpected: false, slipReturnedOn: null, sentOn: '2026-10-01' }, today)).toBe(
      false,
    );
  });
});
