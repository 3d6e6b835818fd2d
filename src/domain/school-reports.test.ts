import { describe, expect, it } from 'vitest';
import {
  checklist,
  GOVERNORS_ANNUAL_ITEMS,
  itemsNamingPupils,
  itemsOf,
  SEN_INFORMATION_ITEMS,
  textProblems,
  writtenItems,
} from './school-reports.ts';

describe('the SEN information report (Schedule 1)', () => {
  const byKey = new Map(SEN_INFORMATION_ITEMS.map((i) => [i.key, i]));

  it('lists every item of Schedule 1 once, in order, and the Children and Families Act additions', () => {
    const paragraphs = SEN_INFORMATION_ITEMS.map((i) => i.basis).filter((b) => b.startsWith('Schedule 1'));
    expect(paragraphs).toEqual([
      'Schedule 1, paragraph 1',
      'Schedule 1, paragraph 2',
      'Schedule 1, paragraph 3(a)',
      'Schedule 1, paragraph 3(b)',
      'Schedule 1, paragraph 3(c)',
      'Schedule 1, paragraph 3(d)',
      'Schedule 1, paragraph 3(e)',
      'Schedule 1, paragraph 3(f)',
      'Schedule 1, paragraph 3(g)',
      'Schedule 1, paragraph 4',
      'Schedule 1, paragraph 5',
      'Schedule 1, paragraph 6',
      'Schedule 1, paragraph 7',
      'Schedule 1, paragraph 8',
      'Schedule 1, paragraph 9',
      'Schedule 1, paragraph 10',
      'Schedule 1, paragraph 11',
      'Schedule 1, paragraph 12',
      'Schedule 1, paragraph 13',
    ]);
    const act = SEN_INFORMATION_ITEMS.filter((i) => i.basis.startsWith('Children and Families Act'));
    expect(act.map((i) => i.key)).toEqual([
      'disability_admission',
      'disability_treatment',
      'disability_facilities',
      'accessibility_plan',
    ]);
    expect(new Set(SEN_INFORMATION_ITEMS.map((i) => i.key)).size).toBe(SEN_INFORMATION_ITEMS.length);
  });

  it('says where each item is drawn from live data', () => {
    const sources = Object.fromEntries(SEN_INFORMATION_ITEMS.map((i) => [i.key, i.sources]));
    expect(sources).toEqual({
      kinds_of_sen: ['register'],
      identification: [],
      evaluating_provision: ['impact'],
      assessing_progress: ['progress'],
      teaching_approach: [],
      adaptations: [],
      additional_support: ['provision'],
      inclusion_in_activities: [],
      emotional_social_development: [],
      senco: ['senco'],
      staff_expertise: ['training'],
      equipment_facilities: [],
      consulting_parents: [],
      consulting_pupils: [],
      complaints: ['complaints'],
      other_bodies: ['agencies', 'ehc'],
      support_for_parents: [],
      transitions: [],
      local_offer: [],
      disability_admission: [],
      disability_treatment: [],
      disability_facilities: [],
      accessibility_plan: [],
    });
  });

  it('asks the school for its own words on every item: the figures alone describe no policy', () => {
    expect(SEN_INFORMATION_ITEMS.every((i) => i.schoolWrites === 'required')).toBe(true);
    expect(byKey.get('local_offer')?.guidance).toMatch(/web address/);
  });
});

describe("the governors' annual report", () => {
  it('draws its figures from the register, progress, provision, EHC work, training, complaints and agencies', () => {
    const drawn = new Set(GOVERNORS_ANNUAL_ITEMS.flatMap((i) => i.sources));
    expect([...drawn].sort()).toEqual(
      [
        'agencies',
        'complaints',
        'ehc',
        'impact',
        'progress',
        'provision',
        'register',
        'senco',
        'training',
      ].sort(),
    );
    const required = GOVERNORS_ANNUAL_ITEMS.filter((i) => i.schoolWrites === 'required').map((i) => i.key);
    expect(required).toEqual(['policy_success', 'next_priorities']);
  });
});

describe('checklist', () => {
  it('marks a required item with no words (or only spaces) missing, and an optional one optional', () => {
    const texts = Object.fromEntries(SEN_INFORMATION_ITEMS.map((i) => [i.key, 'Words.']));
    texts.local_offer = '  \n ';
    delete texts.transitions;
    const list = checklist('sen_information', texts);
    expect(list.missing.map((m) => m.key)).toEqual(['transitions', 'local_offer']);
    expect(list.complete).toBe(false);
    expect(list.entries.find((e) => e.key === 'kinds_of_sen')).toEqual({
      key: 'kinds_of_sen',
      heading: 'The kinds of special educational needs we provide for',
      state: 'written',
      drawn: true,
    });
    const governors = checklist('governors_annual', { policy_success: 'Good.', next_priorities: 'More.' });
    expect(governors.complete).toBe(true);
    expect(governors.entries.find((e) => e.key === 'register_numbers')?.state).toBe('optional');
  });

  it('is complete once every required item is written', () => {
    const texts = Object.fromEntries(itemsOf('sen_information').map((i) => [i.key, 'x']));
    expect(checklist('sen_information', texts)).toMatchObject({ complete: true, missing: [] });
  });
});

describe('textProblems', () => {
  it('refuses keys of no item, control characters, text too long and values that are not text', () => {
    expect(writtenItems('governors_annual').length).toBe(GOVERNORS_ANNUAL_ITEMS.length);
    expect(
      textProblems('governors_annual', {
        policy_success: 'Fine\nand\tgood',
        kinds_of_sen: 'not of this report',
        next_priorities: 'bell\u0007',
        register_numbers: 'x'.repeat(10_001),
        pupil_progress: 3,
      }).map((p) => p.field),
    ).toEqual(['kinds_of_sen', 'next_priorities', 'register_numbers', 'pupil_progress']);
  });

  it('refuses a run longer than a web address (slow to lay out, never prose), bidi overrides and C1 controls', () => {
    const problems = textProblems('governors_annual', {
      policy_success: `See https://example.org/${'a'.repeat(150)} for more`,
      next_priorities: 'W'.repeat(201),
      register_numbers: 'Call 0123\u202e4567',
      pupil_progress: 'Text\u0085more',
    });
    expect(problems.map((p) => [p.field, p.message])).toEqual([
      [
        'next_priorities',
        'Break up the long run of characters: no word or web address may be longer than 200 characters',
      ],
      ['register_numbers', 'Remove the hidden control characters from this text'],
      ['pupil_progress', 'Remove the hidden control characters from this text'],
    ]);
  });

  it('counts line endings as one character, and counts as missing an item of only invisible characters', () => {
    expect(textProblems('governors_annual', { policy_success: 'a\r\n'.repeat(5000) })).toEqual([]);
    const texts = Object.fromEntries(itemsOf('sen_information').map((i) => [i.key, 'x']));
    const first = itemsOf('sen_information').find((i) => i.schoolWrites)!.key;
    expect(checklist('sen_information', { ...texts, [first]: '\u200b\u2060\u00ad ' }).missing).toHaveLength(
      1,
    );
  });
});

describe('a pupil named in the report', () => {
  const pupils = [
    { forename: 'Liam', surname: 'Adeyemi' },
    { forename: 'Mary-Jo', surname: "O'Neil", preferredName: 'MJ' },
  ];
  it('finds a pupil’s full name, in any case, as whole words, and names the item not the pupil', () => {
    const found = itemsNamingPupils(
      'sen_information',
      { kinds_of_sen: 'LIAM  adeyemi made great progress.', identification: 'We asked mj o’neil.' },
      pupils,
    );
    expect(found.map((i) => i.key)).toEqual(['kinds_of_sen', 'identification']);
    expect(itemsNamingPupils('sen_information', { kinds_of_sen: "Mj O'Neil joined." }, pupils)).toHaveLength(
      1,
    );
  });
  it('passes a forename alone, a surname alone, and a name inside a longer word', () => {
    const texts = { kinds_of_sen: 'Liam and Mrs Adeyemi; Liam Adeyemison; xLiam Adeyemi' };
    expect(itemsNamingPupils('sen_information', texts, pupils)).toEqual([]);
  });
});
