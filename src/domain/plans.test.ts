import { describe, expect, it } from 'vitest';
import {
  areaNumber,
  canMove,
  carriesForward,
  closedPlanPeriod,
  decisionAction,
  decisionStage,
  decisionStartsNewPlan,
  defaultReviewDate,
  noteIsEditable,
  notesByTarget,
  personalise,
  planDateProblems,
  readinessProblems,
  reviewState,
  withArticle,
} from './plans.ts';

describe('the plan lifecycle', () => {
  it('goes draft → in place → being reviewed → closed, and a review can extend a plan', () => {
    expect(canMove('draft', 'active')).toBe(true);
    expect(canMove('active', 'in_review')).toBe(true);
    expect(canMove('in_review', 'closed')).toBe(true);
    expect(canMove('in_review', 'active')).toBe(true);
    expect(canMove('closed', 'active')).toBe(false);
    expect(canMove('draft', 'in_review')).toBe(false);
    expect(canMove('active', 'draft')).toBe(false);
  });

  it('numbers the areas as seed 000 does: 1 C&I, 2 C&L, 3 SEMH, 4 sensory and physical', () => {
    expect(areaNumber('communication_and_interaction')).toBe(1);
    expect(areaNumber('sensory_and_physical')).toBe(4);
  });
});

describe('due dates', () => {
  it('sets a termly review 12 weeks after the start, or 6 weeks for half-termly', () => {
    expect(defaultReviewDate('2026-09-07', 'termly')).toBe('2026-11-30');
    expect(defaultReviewDate('2026-09-07', 'half_termly')).toBe('2026-10-19');
  });

  it('shows a plan as due in the next two weeks, due today, or overdue', () => {
    expect(reviewState('2026-12-10', '2026-11-20')).toBe('not_due');
    expect(reviewState('2026-12-04', '2026-11-20')).toBe('due_soon');
    expect(reviewState('2026-11-20', '2026-11-20')).toBe('due');
    expect(reviewState('2026-11-19', '2026-11-20')).toBe('overdue');
    expect(reviewState(null, '2026-11-20')).toBe('not_due');
  });

  it('refuses a review date on or before the start, or more than a year after it', () => {
    expect(planDateProblems({ startDate: '2026-09-07', reviewDate: '2026-09-07' })[0]?.message).toMatch(
      /after the start date/,
    );
    expect(planDateProblems({ startDate: '2026-09-07', reviewDate: '2027-10-01' })[0]?.message).toMatch(
      /within a year/,
    );
    expect(planDateProblems({ startDate: '2026-09-07', reviewDate: '2026-12-01' })).toEqual([]);
  });
});

describe('what a plan needs to be put in place', () => {
  const plan = {
    startDate: '2026-09-07',
    reviewDate: '2026-12-01',
    desiredOutcomes: 'Read fluently',
    agreedOn: '2026-09-05',
  };
  it('needs targets (no more than the school allows), outcomes, dates and agreement', () => {
    expect(readinessProblems(plan, [{ target: 'x' }], 4)).toEqual([]);
    expect(readinessProblems(plan, [], 4)).toEqual(['Add at least one target']);
    expect(readinessProblems(plan, Array(5).fill({ target: 'x' }), 4)).toEqual([
      'A plan can hold at most 4 targets',
    ]);
    expect(
      readinessProblems({ ...plan, agreedOn: null, desiredOutcomes: ' ' }, [{ target: 'x' }], 4),
    ).toEqual(['Enter the desired outcomes', 'Enter when the plan was agreed']);
  });
});

describe('review decisions', () => {
  it('starts a new plan with unmet targets carried forward, records actions, or moves the stage', () => {
    expect(decisionStartsNewPlan('new_plan')).toBe(true);
    expect(decisionStartsNewPlan('ehc_request')).toBe(true);
    expect(decisionStartsNewPlan('extend')).toBe(false);
    expect(decisionStartsNewPlan('leave_register')).toBe(false);
    expect(decisionAction('involve_agency')).toBe('involve_agency');
    expect(decisionAction('new_plan')).toBeNull();
    expect(decisionStage('monitoring')).toBe('monitoring');
    expect(decisionStage('leave_register')).toBe('none');
    expect(decisionStage('extend')).toBeNull();
    expect(carriesForward('achieved')).toBe(false);
    expect(carriesForward('partly_achieved')).toBe(true);
    expect(carriesForward('not_achieved')).toBe(true);
    expect(carriesForward(null)).toBe(true);
  });
});

describe('the working document', () => {
  it('lets a note be corrected by its author on the day it was written, never after', () => {
    const note = { writtenOn: '2026-11-20', authorId: 'ta' };
    expect(noteIsEditable(note, 'ta', '2026-11-20')).toBe(true);
    expect(noteIsEditable(note, 'ta', '2026-11-21')).toBe(false);
    expect(noteIsEditable(note, 'senco', '2026-11-20')).toBe(false);
  });
});

describe('the school’s plan name in a sentence', () => {
  it('takes "a" or "an" as the name is said aloud', () => {
    expect(withArticle('IEP')).toBe('an IEP');
    expect(withArticle('SEN Support Plan')).toBe('an SEN Support Plan');
    expect(withArticle('Pupil Provision Plan')).toBe('a Pupil Provision Plan');
    expect(withArticle('Learning Plan')).toBe('a Learning Plan');
    expect(withArticle('One Plan')).toBe('a One Plan');
    expect(withArticle('Individual Education Plan')).toBe('an Individual Education Plan');
  });

  it('takes capitals said as a word ("send", "senco") like a word, and others as letters said one by one', () => {
    expect(withArticle('SEND Support Plan')).toBe('a SEND Support Plan');
    expect(withArticle('SENCO Plan')).toBe('a SENCO Plan');
    expect(withArticle('SENCo Plan')).toBe('a SENCo Plan');
    expect(withArticle('SENDCo Support Plan')).toBe('a SENDCo Support Plan');
    expect(withArticle('SALT Plan')).toBe('a SALT Plan');
    expect(withArticle('ELSA Plan')).toBe('an ELSA Plan');
    // Letters one by one: "es-ee-en", "ee-aitch-see-pee", "em-ay-tee".
    expect(withArticle('SEN Support Plan')).toBe('an SEN Support Plan');
    expect(withArticle('EHCP')).toBe('an EHCP');
    expect(withArticle('MAT Plan')).toBe('an MAT Plan');
    expect(withArticle('  SEND plan ')).toBe('a SEND plan');
  });
});

describe('bank entries made about the pupil', () => {
  it('puts the pupil’s name where the bank says X, and nowhere else', () => {
    expect(personalise('X will use X’s word mat. Xylophone, BOX.', 'Kit')).toBe(
      'Kit will use Kit’s word mat. Xylophone, BOX.',
    );
  });
});

describe('the working document', () => {
  it('groups notes under their target in time order, and keeps plan-wide notes apart', () => {
    const notes = [
      { id: '1', targetId: 'a', writtenOn: '2026-10-01' },
      { id: '2', targetId: null, writtenOn: '2026-10-02' },
      { id: '3', targetId: 'a', writtenOn: '2026-10-03' },
      { id: '4', targetId: 'b', writtenOn: '2026-10-04' },
    ];
    const { byTarget, planWide } = notesByTarget(notes);
    expect(byTarget.get('a')?.map((n) => n.id)).toEqual(['1', '3']);
    expect(byTarget.get('b')?.map((n) => n.id)).toEqual(['4']);
    expect(planWide.map((n) => n.id)).toEqual(['2']);
  });
});

describe('the days a closed plan was in place', () => {
  const plan = { startDate: '2026-01-05', createdAt: '2025-12-15T10:00:00Z' };
  it('runs from its start to the day of the review that closed it', () => {
    const closed = { ...plan, status: 'closed' as const, closedAt: '2026-07-03T09:00:00Z' };
    expect(closedPlanPeriod(closed, { decision: 'new_plan', heldOn: '2026-07-02' })).toEqual({
      from: '2026-01-05',
      to: '2026-07-02',
    });
    // Closed without a review (a draft closed unused): the day it was closed, from the day it was written.
    expect(closedPlanPeriod({ ...closed, startDate: null, closedAt: '2026-01-10T23:30:00Z' }, null)).toEqual({
      from: '2025-12-15',
      to: '2026-01-10',
    });
  });
  it('is none for a plan still open, even one extended by a review', () => {
    expect(
      closedPlanPeriod(
        { ...plan, status: 'active', closedAt: null },
        { decision: 'extend', heldOn: '2026-07-02' },
      ),
    ).toBeNull();
  });
});
