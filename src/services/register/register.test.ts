import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPupil, setUpWorld, TODAY, type World } from '../../../test/builders/index.ts';
import type { Database } from '../../db/client.ts';
import { auditEvent, auditEventPupil, pupil, registerEntry } from '../../db/schema/index.ts';
import type { Services } from '../index.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';

let database: Database;
let services: Services;
let w: World;

beforeAll(async () => {
  ({ database, services, w } = await setUpWorld());
});
afterAll(() => database.close());

/** The pupil's current version, as a form would carry it. */
const versionOf = async (pupilId: string) =>
  (await database.db.select({ v: pupil.version }).from(pupil).where(eq(pupil.id, pupilId)))[0]!.v;

const entriesOf = (pupilId: string) =>
  database.db
    .select()
    .from(registerEntry)
    .where(and(eq(registerEntry.schoolId, w.school.id), eq(registerEntry.pupilId, pupilId)));

describe('changing a pupil’s stage', () => {
  it('places a pupil at SEN support with a dated history entry and an audit row', async () => {
    const kind = await services.register.changePosition(w.senco.actor, w.pupilA.id, {
      version: await versionOf(w.pupilA.id),
      stage: 'sen_support',
      primaryNeed: 'SPLD',
      secondaryNeed: 'SEMH',
      effectiveDate: '2026-11-18',
      reason: 'Phonics assessment and parent meeting',
    });
    expect(kind).toBe('added_to_sen_support');
    const entries = await entriesOf(w.pupilA.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      fromStage: 'none',
      stage: 'sen_support',
      primaryNeed: 'SPLD',
      secondaryNeed: 'SEMH',
      effectiveDate: '2026-11-18',
      decidedBy: w.senco.actor.userId,
      decidedByName: 'Sam Senco',
      reason: 'Phonics assessment and parent meeting',
    });
    const audit = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'register.changed'), eq(auditEvent.pupilId, w.pupilA.id)));
    expect(audit).toHaveLength(1);
    const page = await services.pupils.view(w.senco.actor, w.pupilA.id);
    expect(page.pupil).toMatchObject({ senStage: 'sen_support', primaryNeed: 'SPLD', secondaryNeed: 'SEMH' });
  });

  it('enforces the census rules and saves nothing when they are broken', async () => {
    const p = await buildPupil(database.db, { schoolId: w.school.id, classId: w.classA.id });
    const attempt = (
      stage: 'sen_support' | 'ehc_plan',
      primaryNeed: 'NSA' | 'MLD' | null,
      secondaryNeed: 'MLD' | null = null,
    ) =>
      services.register.changePosition(w.senco.actor, p.id, {
        version: 1,
        stage,
        primaryNeed,
        secondaryNeed,
        effectiveDate: TODAY,
        reason: 'x',
      });
    await expect(attempt('sen_support', null)).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt('ehc_plan', 'NSA')).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt('sen_support', 'MLD', 'MLD')).rejects.toBeInstanceOf(ValidationError);
    expect(await entriesOf(p.id)).toHaveLength(0);
    const denied = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'register.changed'), eq(auditEvent.pupilId, p.id)));
    expect(denied).toHaveLength(0);
  });

  it('refuses a decision dated in the future', async () => {
    await expect(
      services.register.changePosition(w.senco.actor, w.pupilK.id, {
        version: await versionOf(w.pupilK.id),
        stage: 'none',
        primaryNeed: null,
        secondaryNeed: null,
        effectiveDate: '2027-01-01',
        reason: 'x',
      }),
    ).rejects.toMatchObject({ errors: [{ field: 'effectiveDate' }] });
  });

  it('is only for the SENCo and head teacher, and only in their school', async () => {
    const change = {
      version: 1,
      stage: 'monitoring' as const,
      primaryNeed: null,
      secondaryNeed: null,
      effectiveDate: TODAY,
      reason: 'x',
    };
    await expect(
      services.register.changePosition(w.teacherA.actor, w.pupilK.id, change),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      services.register.changePosition(w.senco.actor, w.otherPupil.id, change),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('the register', () => {
  it('lists pupils at monitoring, K and E with counts, scoped to the class teacher', async () => {
    const all = await services.register.list(w.senco.actor, {});
    expect(all.rows.every((r) => r.senStage !== 'none')).toBe(true);
    expect(all.counts.ehc_plan).toBe(1);
    const teacher = await services.register.list(w.teacherB.actor, {});
    expect(teacher.rows.map((r) => r.surname)).toEqual(['Evans']);
    const byArea = await services.register.list(w.senco.actor, { area: 'communication_and_interaction' });
    expect(byArea.rows.map((r) => r.primaryNeed).sort()).toEqual(['ASD', 'SLCN']);
  });

  it('gives the governor counts and no names: whole-school totals as counted, small numbers of a breakdown hidden', async () => {
    const counts = await services.register.counts(w.governor.actor);
    // One pupil has an EHC plan: the school's total is shown (the DfE publishes it for every school)…
    expect(counts.byStage.ehc_plan).toBe(1);
    const full = await services.register.counts(w.senco.actor);
    expect(counts.byStage.sen_support).toBe(full.byStage.sen_support);
    expect(counts.total).toBe(full.total);
    // …but their need would say something about that one child: the breakdown under it is not shown.
    expect(counts.byNeed.ASD.ehc_plan).toBe('withheld');
    expect(counts.byNeed.SLCN.ehc_plan).toBe('withheld');
    expect(counts.noNeed.ehc_plan).toBe('withheld');
    expect(['suppressed', 'withheld']).toContain(counts.byArea.communication_and_interaction);
    expect(counts.suppressed).toBe(true);
    // The SENCo, who sees every name anyway, sees the numbers.
    expect(full.byNeed.ASD.ehc_plan).toBe(1);
    expect(JSON.stringify(counts)).not.toMatch(/Evans|Kowalski/);
    await expect(services.register.list(w.governor.actor, {})).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('audits a register export with the pupils it contained', async () => {
    const rows = await services.register.exportRows(w.head.actor, {}, 'csv');
    const audit = await database.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.action, 'register.exported'));
    const links = await database.db
      .select()
      .from(auditEventPupil)
      .where(eq(auditEventPupil.eventId, audit.at(-1)!.id));
    expect(links.map((l) => l.pupilId).sort()).toEqual(rows.map((r) => r.id).sort());
    await expect(services.register.exportRows(w.teacherA.actor, {}, 'csv')).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });
});

describe('the termly register review', () => {
  it('records stays, moves and leaves, and when each pupil was last reviewed', async () => {
    const p1 = await buildPupil(database.db, {
      schoolId: w.school.id,
      stage: 'sen_support',
      primaryNeed: 'MLD',
    });
    const p2 = await buildPupil(database.db, {
      schoolId: w.school.id,
      stage: 'sen_support',
      primaryNeed: 'NSA',
    });
    const p3 = await buildPupil(database.db, { schoolId: w.school.id, stage: 'monitoring' });
    const review = { reviewedOn: TODAY, primaryNeed: null, secondaryNeed: null, toStage: null };
    expect(
      await services.register.recordReview(w.senco.actor, p1.id, {
        version: await versionOf(p1.id),
        ...review,
        outcome: 'stays',
        reason: 'Still needs support',
      }),
    ).toMatchObject({ stage: 'sen_support' });
    // NSA cannot go to an EHC plan: the review must give a real need.
    await expect(
      services.register.recordReview(w.senco.actor, p2.id, {
        version: await versionOf(p2.id),
        ...review,
        outcome: 'moves',
        toStage: 'ehc_plan',
        reason: 'Plan issued',
      }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(
      await services.register.recordReview(w.senco.actor, p2.id, {
        version: await versionOf(p2.id),
        ...review,
        outcome: 'moves',
        toStage: 'ehc_plan',
        primaryNeed: 'SLD',
        reason: 'Plan issued',
      }),
    ).toMatchObject({ stage: 'ehc_plan' });
    expect(
      await services.register.recordReview(w.senco.actor, p3.id, {
        version: await versionOf(p3.id),
        ...review,
        outcome: 'leaves',
        reason: 'Progress good',
      }),
    ).toMatchObject({ stage: 'none' });
    const list = await services.register.reviewList(w.senco.actor);
    expect(list.rows.find((r) => r.id === p1.id)?.lastReviewedOn).toBe(TODAY);
    expect(list.rows.find((r) => r.id === p3.id)).toBeUndefined();
    expect((await entriesOf(p2.id)).map((e) => [e.stage, e.primaryNeed, e.source])).toEqual([
      ['ehc_plan', 'SLD', 'register_review'],
    ]);
    // The longest unreviewed come first.
    expect(list.rows[0]?.lastReviewedOn ?? null).toBeNull();
    expect(await services.register.nextToReview(w.senco.actor, p1.id)).not.toBe(p1.id);
  });

  it('is for the SENCo and head teacher, not class teachers', async () => {
    expect((await services.register.reviewList(w.head.actor)).total).toBeGreaterThan(0);
    await expect(services.register.reviewList(w.teacherA.actor)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('two people changing one pupil’s stage', () => {
  it('refuses the second save when the first has changed the stage, keeping the first', async () => {
    const p = await buildPupil(database.db, { schoolId: w.school.id, admissionDate: '2022-09-01' });
    const shown = await versionOf(p.id);
    const base = { primaryNeed: null, secondaryNeed: null, effectiveDate: TODAY, version: shown };
    await services.register.changePosition(w.senco.actor, p.id, {
      ...base,
      stage: 'sen_support',
      primaryNeed: 'MLD',
      reason: 'A: assessment shows it',
    });
    await expect(
      services.register.changePosition(w.head.actor, p.id, {
        ...base,
        stage: 'monitoring',
        reason: 'B: keep watching',
      }),
    ).rejects.toBeInstanceOf(ConflictError);
    const now = await services.pupils.view(w.senco.actor, p.id);
    expect(now.pupil.senStage).toBe('sen_support');
    expect(await entriesOf(p.id)).toHaveLength(1);
  });

  it('refuses a decision dated before the pupil was born or joined the school', async () => {
    const p = await buildPupil(database.db, {
      schoolId: w.school.id,
      dateOfBirth: '2019-05-01',
      admissionDate: '2023-09-04',
    });
    const attempt = (effectiveDate: string) =>
      services.register.changePosition(w.senco.actor, p.id, {
        version: 1,
        stage: 'monitoring',
        primaryNeed: null,
        secondaryNeed: null,
        effectiveDate,
        reason: 'x',
      });
    await expect(attempt('2010-01-01')).rejects.toThrow(/before .* was born/);
    await expect(attempt('2022-01-01')).rejects.toThrow(/before .* joined the school/);
  });
});
