import { describe, expect, it } from 'vitest';
import { buildPupil, buildSchool, buildSentAnnualReview, useWorld } from '../../test/builders/index.ts';
import { reportSchemaProblems } from '../services/ehc/review-report-schema.ts';
import {
  decisionsOfReviews,
  findAnnualReview,
  openReviewsOfSchool,
  reviewsOfPupil,
  updateAnnualReview,
} from './ehc-reviews.ts';

const t = useWorld();

describe('annual reviews: the school’s, read by its school only', () => {
  it('a review sent into the authority is the school’s record and the authority’s copy, linked by ids', async () => {
    const { database, w } = t;
    const sent = await buildSentAnnualReview(database.db, w.pupilK, w.officer.organisationId, {
      meetingOn: '2026-11-10',
      recommendation: 'amend',
    });
    const review = await findAnnualReview(database.db, w.school.id, sent.reviewId);
    expect(review).toMatchObject({ status: 'sent', planId: sent.planId, decisionId: sent.decisionId });
    expect(reportSchemaProblems(review?.sentReport)).toEqual([]);
    const [decision] = await decisionsOfReviews(database.db, w.school.id, [sent.reviewId]);
    expect(decision).toMatchObject({ id: sent.decisionId, decision: null, receivedOn: '2026-11-17' });
    expect((await reviewsOfPupil(database.db, w.school.id, w.pupilK.id)).map((r) => r.id)).toEqual([
      sent.reviewId,
    ]);
    expect((await openReviewsOfSchool(database.db, w.school.id)).map((r) => r.id)).toEqual([sent.reviewId]);
  });

  it('another school finds nothing of it, and a stale save changes nothing', async () => {
    const { database, w } = t;
    const sent = await buildSentAnnualReview(database.db, w.pupilK, w.officer.organisationId);
    const other = await buildSchool(database.db, {
      organisationId: w.officer.organisationId,
      name: 'Elm Primary',
    });
    await buildPupil(database.db, { schoolId: other.id });
    expect(await findAnnualReview(database.db, other.id, sent.reviewId)).toBeNull();
    expect(await decisionsOfReviews(database.db, other.id, [sent.reviewId])).toEqual([]);
    expect(
      await updateAnnualReview(database.db, w.school.id, sent.reviewId, 5, { meetingPlace: 'Hall' }),
    ).toBe(false);
    expect(
      await updateAnnualReview(database.db, w.school.id, sent.reviewId, 1, { meetingPlace: 'Hall' }),
    ).toBe(true);
    expect(await findAnnualReview(database.db, w.school.id, sent.reviewId)).toMatchObject({
      meetingPlace: 'Hall',
      version: 2,
    });
  });
});
