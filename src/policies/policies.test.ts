import { describe, expect, it } from 'vitest';
import { capabilitiesOf, type Reach, type Role, sectionAccess } from '../domain/access.ts';
import { concernActions } from './concern.ts';
import { mayStartPlan, planActions } from './plan.ts';
import { pupilActions } from './pupil.ts';
import { staffActions } from './staff.ts';

const actionsOf = (roles: Role[], reaches: Reach[]) =>
  pupilActions(sectionAccess(roles, new Set(reaches)), capabilitiesOf(roles));

describe('what a person may do with a pupil’s record', () => {
  it('gives the SENCo every action', () => {
    expect(Object.values(actionsOf(['senco'], ['school'])).every(Boolean)).toBe(true);
  });

  it('lets a class teacher read their pupil’s SEN record and raise a concern, not change the stage', () => {
    expect(actionsOf(['class_teacher'], ['school', 'classes_taught'])).toMatchObject({
      viewRecord: true,
      viewSen: true,
      raiseConcern: true,
      changeRegister: false,
      editDetails: false,
      viewAudit: false,
    });
    // Another class's pupil: only raising a concern (found by name).
    expect(actionsOf(['class_teacher'], ['school'])).toMatchObject({
      viewRecord: false,
      viewSen: false,
      raiseConcern: true,
    });
  });

  it('lets the office change details and raise a concern, never see SEN', () => {
    expect(actionsOf(['office'], ['school'])).toMatchObject({
      editDetails: true,
      viewSen: false,
      viewConcerns: false,
      raiseConcern: true,
      changeRegister: false,
    });
  });
});

describe('what a person may do with a concern', () => {
  const open = { raisedBy: 'teacher-1', status: 'open' as const };
  it('shows a concern to whoever raised it even when the pupil is beyond their reach', () => {
    const access = sectionAccess(['office'], new Set<Reach>(['school']));
    expect(concernActions({ userId: 'teacher-1' }, capabilitiesOf(['office']), access, open)).toEqual({
      view: true,
      review: false,
    });
    expect(concernActions({ userId: 'someone-else' }, capabilitiesOf(['office']), access, open)).toEqual({
      view: false,
      review: false,
    });
  });

  it('lets a reviewer review only while the concern is open', () => {
    const access = sectionAccess(['senco'], new Set<Reach>(['school']));
    const caps = capabilitiesOf(['senco']);
    expect(concernActions({ userId: 's' }, caps, access, open).review).toBe(true);
    expect(concernActions({ userId: 's' }, caps, access, { ...open, status: 'reviewed' }).review).toBe(false);
  });
});

describe('what a school may do to a member of its staff', () => {
  it('resets a password or turns off a sign-in only for an account that is the school’s alone, and never one’s own', () => {
    const member = { userId: 'u', belongsElsewhere: false, disabledAt: null };
    expect(staffActions({ userId: 'me' }, member)).toMatchObject({
      resetPassword: true,
      turnOffSignIn: true,
      removeFromSchool: true,
    });
    expect(staffActions({ userId: 'me' }, { ...member, belongsElsewhere: true })).toMatchObject({
      resetPassword: false,
      turnOffSignIn: false,
      removeFromSchool: true,
      accountNotOurs: true,
    });
    expect(staffActions({ userId: 'u' }, member)).toMatchObject({
      resetPassword: false,
      removeFromSchool: false,
    });
  });
});

describe('what a person may do with a support plan', () => {
  const accessOf = (roles: Role[], reaches: Reach[]) => sectionAccess(roles, new Set(reaches));
  const teacher = accessOf(['class_teacher'], ['school', 'classes_taught']);
  const ta = accessOf(['teaching_assistant'], ['school', 'pupils_assigned']);
  const here = { senStage: 'sen_support', leftOn: null };

  it('lets the class teacher start a plan for a pupil on the register with no plan open, never the TA', () => {
    expect(mayStartPlan(teacher, here, [])).toBe(true);
    expect(mayStartPlan(teacher, here, [{ status: 'closed' }])).toBe(true);
    expect(mayStartPlan(teacher, { senStage: 'monitoring', leftOn: null }, [])).toBe(true);
    expect(mayStartPlan(teacher, { senStage: 'none', leftOn: null }, [])).toBe(false);
    expect(mayStartPlan(teacher, { ...here, leftOn: '2026-07-20' }, [])).toBe(false);
    for (const status of ['draft', 'active', 'in_review'] as const)
      expect(mayStartPlan(teacher, here, [{ status }])).toBe(false);
    expect(mayStartPlan(ta, here, [])).toBe(false);
  });

  it('lets a TA add notes to a plan in place but not change or review it; a closed plan is read-only', () => {
    const caps = capabilitiesOf(['teaching_assistant']);
    expect(
      planActions({ userId: 'u' }, caps, ta, { status: 'active' }, { leftOn: null }, '2026-11-20'),
    ).toEqual({
      edit: false,
      agree: false,
      addNote: true,
      review: false,
      closeDraft: false,
      print: true,
      recordTargetCheck: false,
    });
    const senco = accessOf(['senco'], ['school']);
    const closed = planActions(
      { userId: 'u' },
      capabilitiesOf(['senco']),
      senco,
      { status: 'closed' },
      { leftOn: null },
      '2026-11-20',
    );
    expect(closed).toMatchObject({
      edit: false,
      addNote: false,
      review: false,
      print: true,
      recordTargetCheck: false,
    });
    // The class teacher (or the SENCo) records a half-termly target check, while the plan is in place.
    const teacher = accessOf(['class_teacher'], ['classes_taught']);
    const caps2 = capabilitiesOf(['class_teacher']);
    const active = { status: 'active' as const };
    expect(
      planActions({ userId: 'u' }, caps2, teacher, active, { leftOn: null }, '2026-11-20').recordTargetCheck,
    ).toBe(true);
    expect(
      planActions({ userId: 'u' }, caps2, teacher, { status: 'in_review' }, { leftOn: null }, '2026-11-20')
        .recordTargetCheck,
    ).toBe(false);
    expect(
      planActions({ userId: 'u' }, caps2, teacher, active, { leftOn: '2026-11-01' }, '2026-11-20')
        .recordTargetCheck,
    ).toBe(false);
  });
});

describe('a leaver’s record', () => {
  it('is read-only: no change, concern, assignment or second leaving, whatever the role', () => {
    const roles = ['senco'] as const;
    const access = sectionAccess([...roles], new Set(['school'] as const));
    const onRoll = pupilActions(access, capabilitiesOf([...roles]));
    expect(onRoll).toMatchObject({ editDetails: true, changeRegister: true, recordLeaving: true });
    const left = pupilActions(access, capabilitiesOf([...roles]), { leftOn: '2026-10-01' });
    expect(left).toMatchObject({
      viewRecord: true,
      viewSen: true,
      viewAudit: true,
      editDetails: false,
      changeRegister: false,
      reviewRegister: false,
      raiseConcern: false,
      assignStaff: false,
      recordLeaving: false,
    });
    // The office records leavers (it holds pupils.transfer and writes details); a teacher does not.
    const office = pupilActions(
      sectionAccess(['office'], new Set(['school'] as const)),
      capabilitiesOf(['office']),
    );
    expect(office.recordLeaving).toBe(true);
    const teacher = pupilActions(
      sectionAccess(['class_teacher'], new Set(['school', 'classes_taught'] as const)),
      capabilitiesOf(['class_teacher']),
    );
    expect(teacher.recordLeaving).toBe(false);
  });
});
