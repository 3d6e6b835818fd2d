import { describe, expect, it } from 'vitest';
import { autoMapping, choiceForHeading, detectPreset, headingKey, mappingProblems } from './mapping.ts';
import { PRESET_IDS, PRESETS } from './presets.ts';

describe('recognising columns', () => {
  it('compares headings without case, spaces or punctuation', () => {
    expect(headingKey('Date of Birth')).toBe('dateofbirth');
    expect(headingKey(' date_of_birth ')).toBe('dateofbirth');
    expect(headingKey('% Attendance')).toBe('attendance');
  });

  it('maps plainly named columns by themselves, with common synonyms', () => {
    const headings = [
      'UPN',
      'Surname',
      'Forename',
      'Date of birth',
      'Sex',
      'Year group',
      'Class',
      'FSM',
      'EAL',
      'LAC',
      'Pupil premium',
      'Service child',
      'Attendance %',
      'Parent name',
      'Relationship',
      'Parent email',
      'Parental responsibility',
    ];
    expect(autoMapping(headings, null)).toEqual([
      'upn',
      'surname',
      'forename',
      'dateOfBirth',
      'sex',
      'yearGroup',
      'className',
      'freeSchoolMeals',
      'eal',
      'lookedAfter',
      'pupilPremium',
      'serviceChild',
      'attendancePercent',
      'contact1Name',
      'contact1Relationship',
      'contact1Email',
      'contact1ParentalResponsibility',
    ]);
    // The registration group, as SIMS and others head it.
    for (const heading of ['Reg', 'Reg Group', 'Tutor group']) {
      expect(autoMapping(['UPN', heading], null)).toEqual(['upn', 'className']);
    }
    expect(choiceForHeading('last_name', null)).toBe('surname');
    expect(choiceForHeading('GENDER', null)).toBe('sex');
    expect(choiceForHeading('DOB', null)).toBe('dateOfBirth');
  });

  it('leaves unknown and ambiguous headings to the person, and knows columns OpenSEND does not keep', () => {
    expect(choiceForHeading('Favourite colour', null)).toBeNull();
    expect(choiceForHeading('Email', null)).toBeNull();
    expect(choiceForHeading('Ethnicity', null)).toBe('ignore');
    expect(choiceForHeading('', null)).toBeNull();
    // A field claimed twice goes to the first column; the second is for the person to decide.
    expect(autoMapping(['Surname', 'Last name'], null)).toEqual(['surname', null]);
  });

  it('recognises each MIS from its own headings and maps all of them', () => {
    for (const id of PRESET_IDS) {
      const headings = Object.keys(PRESETS[id].columns);
      expect(detectPreset(headings), id).toBe(id);
      const mapping = autoMapping(headings, id);
      expect(
        mapping.every((c) => c !== null),
        id,
      ).toBe(true);
      expect(mappingProblems(headings, mapping), id).toEqual([]);
    }
    expect(detectPreset(['UPN', 'Surname', 'Forename'])).toBeNull();
    // A plainly named file is nobody's export, though each of its headings is in some preset.
    const plain = [
      'UPN',
      'Surname',
      'Forename',
      'Date of birth',
      'Sex',
      'Class',
      'FSM',
      'EAL',
      'Pupil premium',
    ];
    expect(detectPreset(plain)).toBeNull();
    // Headings particular to one MIS are recognised without knowing which it is.
    expect(autoMapping(['Legal Surname', 'Tutor Group', 'Primary Guardian Email'], null)).toEqual([
      'surname',
      'className',
      'contact1Email',
    ]);
  });

  it('reads a SIMS export with its usual headings', () => {
    const headings = [
      'UPN',
      'Legal Surname',
      'Legal Forename',
      'DOB',
      'Gender',
      'Reg Group',
      'Year',
      'In Care',
    ];
    expect(detectPreset(headings)).toBe('sims');
    expect(autoMapping(headings, 'sims')).toEqual([
      'upn',
      'surname',
      'forename',
      'dateOfBirth',
      'sex',
      'className',
      'yearGroup',
      'lookedAfter',
    ]);
  });
});

describe('parental responsibility in the MIS exports', () => {
  it('is read for both contacts of every preset, and recognised by plain headings too', () => {
    for (const id of PRESET_IDS) {
      const headings = Object.keys(PRESETS[id].columns);
      const mapping = autoMapping(headings, id);
      expect(mapping, id).toContain('contact1ParentalResponsibility');
      expect(mapping, id).toContain('contact2ParentalResponsibility');
    }
    expect(autoMapping(['Parental responsibility'], null)).toEqual(['contact1ParentalResponsibility']);
  });
});

describe('checking a mapping', () => {
  const headings = ['Pupil number', 'Family', 'Given', 'Born', 'M/F', 'Notes'];
  it('asks for every undecided column and every required field', () => {
    const problems = mappingProblems(headings, [null, 'surname', 'forename', 'dateOfBirth', null, 'ignore']);
    expect(problems.map((p) => p.message)).toEqual([
      'Choose what the column “Pupil number” holds, or not to use it',
      'Choose what the column “M/F” holds, or not to use it',
      'The file needs a column for UPN and Sex: choose which column holds each',
    ]);
    expect(problems.map((p) => p.column)).toEqual([0, 4, null]);
  });

  it('refuses one field from two columns', () => {
    const problems = mappingProblems(headings, [
      'upn',
      'surname',
      'surname',
      'dateOfBirth',
      'sex',
      'forename',
    ]);
    expect(problems).toEqual([
      { column: 2, message: '“Given” and “Family” are both Last name: choose one of them' },
    ]);
  });

  it('accepts a complete mapping', () => {
    expect(mappingProblems(headings, ['upn', 'surname', 'forename', 'dateOfBirth', 'sex', 'ignore'])).toEqual(
      [],
    );
  });
});
