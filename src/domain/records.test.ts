import { describe, expect, it } from 'vitest';
import { SECTIONS } from './access.ts';
import {
  kindsOfSection,
  kindsOwnedBy,
  RECORD_KIND_NAMES,
  RECORD_KINDS,
  RETENTION_RULES,
  subjectAccessKinds,
} from './records.ts';

describe('the kinds of record', () => {
  it('each belong to a known section (or none), a known retention rule, and have a name for people', () => {
    for (const kind of RECORD_KIND_NAMES) {
      const k = RECORD_KINDS[kind];
      if (k.section !== null) expect(SECTIONS).toContain(k.section);
      expect(Object.keys(RETENTION_RULES)).toContain(k.retention);
      expect(k.label.length).toBeGreaterThan(3);
    }
  });

  it('keep SEN records until 31 and the pupil’s school record until 25', () => {
    for (const section of ['register', 'concerns', 'plans', 'provision', 'letters'] as const) {
      expect(kindsOfSection(section).length).toBeGreaterThan(0);
      for (const kind of kindsOfSection(section))
        expect([kind, RECORD_KINDS[kind].retention]).toEqual([kind, 'sen']);
    }
    for (const kind of kindsOfSection('identity').filter((k) => k !== 'stored_file'))
      expect([kind, RECORD_KINDS[kind].retention]).toEqual([kind, 'pupil']);
  });

  it('name records about no one pupil as the school’s own, never given out with a pupil’s record', () => {
    const schools = RECORD_KIND_NAMES.filter((k) => RECORD_KINDS[k].section === null);
    expect(schools).toContain('letter_template');
    for (const kind of schools) expect(RECORD_KINDS[kind].subjectAccess).toBe(false);
  });

  it('name an organisation’s case as its own: kept to 31, never given out with a school’s record of the pupil', () => {
    expect(kindsOwnedBy('organisation')).toEqual([
      'organisation_case',
      'case_decision',
      'case_advice',
      'case_exception',
      'top_up_decision',
      'ehc_plan',
      'ehc_plan_version',
      'ehc_review_decision',
    ]);
    expect(RECORD_KINDS.organisation_case).toMatchObject({
      section: 'ehc',
      retention: 'sen',
      subjectAccess: false,
    });
    expect(subjectAccessKinds()).not.toContain('organisation_case');
    expect(kindsOwnedBy('school').length + kindsOwnedBy('organisation').length).toBe(
      RECORD_KIND_NAMES.length,
    );
  });
});
