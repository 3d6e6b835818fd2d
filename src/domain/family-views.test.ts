import { describe, expect, it } from 'vitest';
import {
  annualReviewWindow,
  ehcDraftWindow,
  ehcRequestWindow,
  ownWordsLabel,
  planReviewWindow,
  viewsForTheRecord,
} from './family-views.ts';

describe('when a parent’s views are invited', () => {
  it('before a plan review: from four weeks before the review date until the review is recorded', () => {
    const plan = { status: 'active', reviewDate: '2027-05-12' };
    expect(planReviewWindow(plan, '2027-04-13')).toMatchObject({ open: false });
    expect(planReviewWindow(plan, '2027-04-14')).toEqual({ open: true, until: '2027-05-12' });
    // A review that is late still takes views until it is recorded.
    expect(planReviewWindow(plan, '2027-06-01')).toMatchObject({ open: true });
    expect(planReviewWindow({ ...plan, status: 'in_review' }, '2027-05-12')).toMatchObject({ open: true });
    // A review the school begins early takes views at once, and one begun without a date too.
    expect(planReviewWindow({ ...plan, status: 'in_review' }, '2027-03-01')).toEqual({
      open: true,
      until: '2027-05-12',
    });
    expect(planReviewWindow({ status: 'in_review', reviewDate: null }, '2027-03-01')).toMatchObject({
      open: true,
    });
    // Before the window, the message says when it opens.
    expect(planReviewWindow(plan, '2027-03-01')).toEqual({
      open: false,
      message:
        'You can give your views from 14 April 2027. That is 4 weeks before the review on 12 May 2027.',
    });
    expect(planReviewWindow({ ...plan, status: 'closed' }, '2027-05-01')).toMatchObject({ open: false });
    expect(planReviewWindow({ status: 'active', reviewDate: null }, '2027-05-01')).toEqual({
      open: false,
      message: 'The school has not set a date to review this plan yet.',
    });
  });

  it('on a draft EHC plan: the version sent to the parents, to the last day of their time to comment', () => {
    const sent = { stage: 'sent', commentsDueOn: '2027-03-17' };
    expect(ehcDraftWindow(sent, '2027-03-17')).toEqual({ open: true, until: '2027-03-17' });
    const after = ehcDraftWindow(sent, '2027-03-18');
    expect(after).toMatchObject({ open: false });
    expect(after.open ? '' : after.message).toContain('17 March 2027');
    expect(ehcDraftWindow({ stage: 'issued', commentsDueOn: '2027-03-17' }, '2027-03-01')).toMatchObject({
      open: false,
    });
    expect(ehcDraftWindow(null, '2027-03-01')).toMatchObject({ open: false });
  });

  it('for an EHC request and an annual review: while the school prepares them', () => {
    expect(ehcRequestWindow({ status: 'draft' })).toMatchObject({ open: true });
    expect(ehcRequestWindow({ status: 'sent' })).toMatchObject({ open: false });
    expect(ehcRequestWindow({ status: 'withdrawn' })).toMatchObject({ open: false });
    expect(annualReviewWindow({ status: 'arranging', meetingOn: null })).toEqual({ open: true, until: null });
    expect(annualReviewWindow({ status: 'held', meetingOn: '2027-01-10' })).toMatchObject({ open: true });
    expect(annualReviewWindow({ status: 'sent', meetingOn: null })).toMatchObject({ open: false });
    expect(annualReviewWindow({ status: 'cancelled', meetingOn: null })).toMatchObject({ open: false });
  });

  it('marks the views as the parent’s own words, dated in England', () => {
    // 23:30 UTC on 3 May is 00:30 on 4 May in England (summer time).
    const at = new Date('2027-05-03T23:30:00Z');
    expect(ownWordsLabel('Anna Nowak', at)).toBe('In Anna Nowak’s own words (given online on 4 May 2027)');
    expect(
      viewsForTheRecord([
        { givenByName: 'Anna Nowak', body: 'First', givenAt: at },
        { givenByName: 'Piotr Nowak', body: 'Second', givenAt: at },
      ]),
    ).toBe(
      'In Anna Nowak’s own words (given online on 4 May 2027):\nFirst\n\nIn Piotr Nowak’s own words (given online on 4 May 2027):\nSecond',
    );
  });
});
