import { describe, expect, it } from 'vitest';
import { kindOfRoles, type Reach, type Role, sectionAccess } from '../domain/access.ts';
import { professionalReferralActions, referralActions } from './agencies.ts';
import { concernActions } from './concern.ts';
import { ehcRequestActions, pupilEhcActions } from './ehc.ts';
import type { PolicyActor } from './kernel.ts';
import { planActions, pupilPlanActions } from './plan.ts';
import { pupilActions } from './pupil.ts';
import { staffActions } from './staff.ts';

/** A person with these roles, as a policy sees them. */
const actor = (roles: Role[], userId = 'u'): PolicyActor => ({ kind: kindOfRoles(roles), userId, roles });
const onRoll = { leftOn: null };

const actionsOf = (roles: Role[], reaches: Reach[]) =>
  pupilActions(actor(roles), onRoll, { access: sectionAccess(roles, new Set(reaches)) });

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
    expect(concernActions(actor(['office'], 'teacher-1'), open, { access })).toEqual({
      view: true,
      review: false,
    });
    expect(concernActions(actor(['office'], 'someone-else'), open, { access })).toEqual({
      view: false,
      review: false,
    });
  });

  it('lets a reviewer review only while the concern is open', () => {
    const access = sectionAccess(['senco'], new Set<Reach>(['school']));
    const senco = actor(['senco'], 's');
    expect(concernActions(senco, open, { access }).review).toBe(true);
    expect(concernActions(senco, { ...open, status: 'reviewed' }, { access }).review).toBe(false);
  });
});

describe('what a school may do to a member of its staff', () => {
  it('resets a password or turns off a sign-in only for an account that is the school’s alone, and never one’s own', () => {
    const member = { userId: 'u', belongsElsewhere: false, disabledAt: null };
    expect(staffActions(actor(['senco'], 'me'), member)).toMatchObject({
      resetPassword: true,
      turnOffSignIn: true,
      removeFromSchool: true,
    });
    expect(staffActions(actor(['senco'], 'me'), { ...member, belongsElsewhere: true })).toMatchObject({
      resetPassword: false,
      turnOffSignIn: false,
      removeFromSchool: true,
      accountNotOurs: true,
    });
    expect(staffActions(actor(['senco'], 'u'), member)).toMatchObject({
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
    type Plans = { status: 'draft' | 'active' | 'in_review' | 'closed' }[];
    const mayStart = (
      access: typeof teacher,
      pupil: typeof here | { senStage: string; leftOn: string | null },
      plans: Plans,
    ) => pupilPlanActions(actor(['class_teacher']), { pupil, plans }, { access }).start;
    expect(mayStart(teacher, here, [])).toBe(true);
    expect(mayStart(teacher, here, [{ status: 'closed' }])).toBe(true);
    expect(mayStart(teacher, { senStage: 'monitoring', leftOn: null }, [])).toBe(true);
    expect(mayStart(teacher, { senStage: 'none', leftOn: null }, [])).toBe(false);
    expect(mayStart(teacher, { ...here, leftOn: '2026-07-20' }, [])).toBe(false);
    for (const status of ['draft', 'active', 'in_review'] as const)
      expect(mayStart(teacher, here, [{ status }])).toBe(false);
    expect(mayStart(ta, here, [])).toBe(false);
    // A concern's review may start one as it places the pupil: whoever writes the pupil's plans.
    const withReview = (access: typeof teacher) =>
      pupilPlanActions(
        actor(['class_teacher']),
        { pupil: { senStage: 'none', leftOn: null }, plans: [] },
        { access },
      ).startWithConcernReview;
    expect(withReview(teacher)).toBe(true);
    expect(withReview(ta)).toBe(false);
  });

  it('lets a TA add notes to a plan in place but not change or review it; a closed plan is read-only', () => {
    expect(
      planActions(
        actor(['teaching_assistant']),
        { plan: { status: 'active' }, pupil: onRoll },
        { access: ta },
      ),
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
      actor(['senco']),
      { plan: { status: 'closed' }, pupil: onRoll },
      { access: senco },
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
    const check = (status: 'active' | 'in_review', leftOn: string | null) =>
      planActions(actor(['class_teacher']), { plan: { status }, pupil: { leftOn } }, { access: teacher })
        .recordTargetCheck;
    expect(check('active', null)).toBe(true);
    expect(check('in_review', null)).toBe(false);
    expect(check('active', '2026-11-01')).toBe(false);
  });
});

describe('a leaver’s record', () => {
  it('is read-only: no change, concern, assignment or second leaving, whatever the role', () => {
    const roles = ['senco'] as const;
    const access = sectionAccess([...roles], new Set(['school'] as const));
    const here = pupilActions(actor([...roles]), onRoll, { access });
    expect(here).toMatchObject({ editDetails: true, changeRegister: true, recordLeaving: true });
    const left = pupilActions(actor([...roles]), { leftOn: '2026-10-01' }, { access });
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
    const office = pupilActions(actor(['office']), onRoll, {
      access: sectionAccess(['office'], new Set(['school'] as const)),
    });
    expect(office.recordLeaving).toBe(true);
    const teacher = pupilActions(actor(['class_teacher']), onRoll, {
      access: sectionAccess(['class_teacher'], new Set(['school', 'classes_taught'] as const)),
    });
    expect(teacher.recordLeaving).toBe(false);
  });
});

describe('every kind of person, through the same policies', () => {
  it('gives a parent and a professional nothing on a pupil’s record through a staff policy', () => {
    // Their access comes from their own reaches: a parent reads their own child's plans, never changes them.
    const parentAccess = sectionAccess(['parent'], new Set<Reach>(['own_children']));
    expect(pupilActions(actor(['parent']), onRoll, { access: parentAccess })).toMatchObject({
      viewRecord: true,
      viewSen: true,
      editDetails: false,
      changeRegister: false,
      raiseConcern: false,
      viewAudit: false,
      writeLetter: false,
      subjectAccess: false,
    });
    expect(
      planActions(actor(['parent']), { plan: { status: 'active' }, pupil: onRoll }, { access: parentAccess }),
    ).toMatchObject({ edit: false, agree: false, addNote: false, review: false, print: true });
    // A professional sees only the sections shared: here the register, not the plans.
    const shared = sectionAccess(
      ['agency_professional'],
      new Set<Reach>(['referrals_received']),
      new Set(['register']),
    );
    expect(pupilActions(actor(['agency_professional']), onRoll, { access: shared })).toMatchObject({
      viewRecord: false,
      viewSen: true,
      viewProvision: false,
    });
    expect(
      pupilPlanActions(
        actor(['agency_professional']),
        { pupil: { senStage: 'sen_support', leftOn: null }, plans: [] },
        { access: shared },
      ).read,
    ).toBe(false);
  });
});

describe('what a person may do with a referral and its reports', () => {
  const referralOf = (roles: Role[], reaches: Reach[], status: 'sent' | 'closed' = 'sent', left = false) =>
    referralActions(actor(roles), { status }, { access: sectionAccess(roles, new Set(reaches)), left });

  it('lets the SENCo invite and end sharing; ending stays open once the referral is closed', () => {
    expect(referralOf(['senco'], ['school'])).toMatchObject({
      manage: true,
      endShare: true,
      readReports: true,
    });
    expect(referralOf(['senco'], ['school'], 'closed')).toMatchObject({ manage: false, endShare: true });
    expect(referralOf(['senco'], ['school'], 'sent', true)).toMatchObject({ manage: false, endShare: false });
  });

  it('opens reports to the class teacher of the pupil, never to the office or a teaching assistant', () => {
    expect(referralOf(['class_teacher'], ['school', 'classes_taught'])).toMatchObject({
      readReports: true,
      manage: false,
      endShare: false,
    });
    expect(referralOf(['office'], ['school'])).toMatchObject({ readReports: false, endShare: false });
    expect(referralOf(['teaching_assistant'], ['school', 'pupils_assigned'])).toMatchObject({
      readReports: false,
      readRecommendations: true,
    });
  });

  it('lets the professional of the referral read it and send a report only while the share is live', () => {
    const pro = actor(['agency_professional'], 'p');
    const record = { professionalUserId: 'p', status: 'sent' as const, shareLive: true };
    expect(professionalReferralActions(pro, record)).toEqual({ read: true, sendReport: true });
    expect(professionalReferralActions(pro, { ...record, shareLive: false })).toEqual({
      read: false,
      sendReport: false,
    });
    expect(professionalReferralActions(actor(['agency_professional'], 'q'), record).read).toBe(false);
    expect(professionalReferralActions(pro, { ...record, status: 'closed' })).toEqual({
      read: true,
      sendReport: false,
    });
  });
});

describe('what a person may do with a request for an EHC needs assessment', () => {
  const of = (roles: Role[], reaches: Reach[], status: 'draft' | 'sent' | 'withdrawn', left = false) =>
    ehcRequestActions(actor(roles), { status }, { access: sectionAccess(roles, new Set(reaches)), left });

  it('lets the SENCo and the head build, send and withdraw one being written', () => {
    for (const roles of [['senco'], ['head_teacher']] as Role[][])
      expect(of(roles, ['school'], 'draft')).toEqual({
        read: true,
        readPack: true,
        edit: true,
        recordConsent: true,
        send: true,
        withdraw: true,
      });
  });

  it('once sent, lets them read it and withdraw it, never change or send it again; a withdrawn one is only read', () => {
    expect(of(['senco'], ['school'], 'sent')).toEqual({
      read: true,
      readPack: true,
      edit: false,
      recordConsent: false,
      send: false,
      withdraw: true,
    });
    expect(of(['senco'], ['school'], 'withdrawn')).toMatchObject({
      read: true,
      edit: false,
      withdraw: false,
    });
  });

  it('shows a class teacher of the pupil that it exists, never the pack; nothing to another class’s teacher or the office', () => {
    expect(of(['class_teacher'], ['school', 'classes_taught'], 'draft')).toEqual({
      read: true,
      readPack: false,
      edit: false,
      recordConsent: false,
      send: false,
      withdraw: false,
    });
    expect(of(['class_teacher'], ['school'], 'draft').read).toBe(false);
    expect(of(['teaching_assistant'], ['pupils_assigned'], 'sent')).toMatchObject({
      read: true,
      readPack: false,
    });
    expect(of(['office'], ['school'], 'draft').read).toBe(false);
    expect(of(['sen_governor'], [], 'draft').read).toBe(false);
  });

  it('keeps a leaver’s request read-only', () => {
    expect(of(['senco'], ['school'], 'draft', true)).toMatchObject({
      read: true,
      readPack: true,
      edit: false,
      send: false,
      withdraw: false,
    });
    expect(
      pupilEhcActions(
        actor(['senco']),
        { pupil: { leftOn: '2026-07-20', senStage: 'sen_support' } },
        {
          access: sectionAccess(['senco'], new Set(['school'])),
        },
      ),
    ).toEqual({ read: true, start: false });
  });

  it('offers no request for a pupil who already has an EHC plan', () => {
    const access = { access: sectionAccess(['senco'], new Set(['school'])) };
    const may = (senStage: string) =>
      pupilEhcActions(actor(['senco']), { pupil: { leftOn: null, senStage } }, access);
    expect(may('sen_support')).toEqual({ read: true, start: true });
    expect(may('ehc_plan')).toEqual({ read: true, start: false });
  });

  it('gives an officer and a parent nothing through the school’s request', () => {
    expect(of(['caseworker'], ['caseload'], 'sent').read).toBe(false);
    expect(of(['parent'], ['own_children'], 'sent').read).toBe(false);
  });
});
