import { describe, expect, it } from 'vitest';
import { buildPupilWithHistory, buildStaff, useWorld } from './builders/index.ts';

/*
 * The pupil with two years of history (builders/ehc.ts) is a record the services read as their own:
 * given no school it builds one, and that school's SENCo sees the register history, the plans and their
 * reviews, the provision and the referral on the pupil's page, as if made through the services.
 */
const world = useWorld();

describe('a pupil with two years of history', () => {
  it('builds its school when given none, and the SENCo sees its whole record', async () => {
    const { database, services } = world;
    const h = await buildPupilWithHistory(database.db);
    const senco = await buildStaff(database.db, 'senco', { schoolId: h.schoolId });
    const record = await services.pupils.view(senco.actor, h.pupilId);
    expect(record.pupil).toMatchObject({ forename: 'Rosa', surname: 'Martinez', senStage: 'sen_support' });
    expect(record.history.map((e) => [e.effectiveDate, e.stage])).toEqual([
      ['2025-01-06', 'sen_support'],
      ['2024-11-04', 'monitoring'],
    ]);
    expect(record.plans.map((p) => [p.id, p.status, p.reviews.length])).toEqual([
      [h.planIds[0], 'closed', 1],
      [h.planIds[1], 'closed', 1],
      [h.planIds[2], 'closed', 1],
      [h.planIds[3], 'active', 0],
    ]);
    expect(record.provision.map((s) => [s.memberId, s.sessionsHeld, s.attended]).sort()).toEqual(
      [
        [h.memberIds.reading, 20, 20],
        [h.memberIds.language, 30, 30],
      ].sort(),
    );
    expect(record.referrals.map((r) => [r.id, r.serviceKind, r.status])).toEqual([
      [h.referralId, 'educational_psychology', 'report_received'],
    ]);
    expect(record.recommendations.map((r) => r.usedAs)).toEqual([['target'], [], []]);
  });
});
