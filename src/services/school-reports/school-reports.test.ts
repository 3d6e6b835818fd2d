import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPupil, buildStaff, setUpWorld, type World } from '../../../test/builders/index.ts';
import type { Database } from '../../db/client.ts';
import {
  assessmentSubject,
  attainmentResult,
  auditEvent,
  complaint,
  expectedTrajectory,
  schoolReport,
  sencoAppointment,
  staffTraining,
} from '../../db/schema/index.ts';
import type { AuditAction } from '../../domain/audit.ts';
import { SEN_INFORMATION_ITEMS } from '../../domain/school-reports.ts';
import type { Services } from '../index.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { comparableFigures, impactShown } from './figures.ts';

let database: Database;
let services: Services;
let w: World;

beforeAll(async () => {
  ({ database, services, w } = await setUpWorld());
});
afterAll(() => database.close());

const auditRows = (action: AuditAction) =>
  database.db.select().from(auditEvent).where(eq(auditEvent.action, action));

const allWritten = () => Object.fromEntries(SEN_INFORMATION_ITEMS.map((i) => [i.key, `Our ${i.key}.`]));

describe('drafting the SEN information report', () => {
  it('starts a draft once per year and kind, audited; the list says what is missing', async () => {
    const id = await services.schoolReports.start(w.head.actor, {
      kind: 'sen_information',
      academicYear: 2026,
    });
    expect(
      await services.schoolReports.start(w.senco.actor, { kind: 'sen_information', academicYear: 2026 }),
    ).toBe(id);
    expect((await auditRows('school_report.drafted')).length).toBe(2);
    const list = await services.schoolReports.list(w.governor.actor);
    expect(list.mayWrite).toBe(false);
    expect(list.reports.find((r) => r.id === id)).toMatchObject({
      kind: 'sen_information',
      yearLabel: '2026/27',
      missing: SEN_INFORMATION_ITEMS.length,
    });
    await expect(
      services.schoolReports.start(w.head.actor, { kind: 'sen_information', academicYear: 2020 }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      services.schoolReports.start(w.head.actor, { kind: 'newsletter', academicYear: 2026 }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('saves the school’s words; a stale save shows the other change and saves nothing', async () => {
    const id = await services.schoolReports.start(w.head.actor, {
      kind: 'sen_information',
      academicYear: 2026,
    });
    const texts = allWritten();
    delete texts.transitions;
    delete texts.local_offer;
    const saved = await services.schoolReports.saveTexts(w.head.actor, id, 1, texts);
    expect(saved.checklist.missing.map((m) => m.key)).toEqual(['transitions', 'local_offer']);
    const stale = await services.schoolReports
      .saveTexts(w.senco.actor, id, 1, { ...texts, transitions: 'Sam’s words' })
      .catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(ConflictError);
    expect((stale as ConflictError).message).toMatch(/Hana Head saved this report/);
    expect((stale as ConflictError).current).toMatchObject({ texts: { kinds_of_sen: 'Our kinds_of_sen.' } });
    const edit = await services.schoolReports.forEdit(w.head.actor, id);
    expect(edit.version).toBe(2);
    expect(edit.texts.transitions).toBeUndefined();
    const [row] = await database.db.select().from(schoolReport).where(eq(schoolReport.id, id));
    expect(row?.updatedByName).toBe('Hana Head');
    const [audit] = await auditRows('school_report.saved');
    expect(audit?.detail).toMatchObject({ reportId: id });
    expect((audit?.detail as { changed: string[] } | undefined)?.changed).toHaveLength(
      SEN_INFORMATION_ITEMS.length - 2,
    );
  });

  it('refuses words for items the report does not have, and control characters, saving nothing', async () => {
    const id = await services.schoolReports.start(w.head.actor, {
      kind: 'sen_information',
      academicYear: 2026,
    });
    const { version } = await services.schoolReports.forEdit(w.head.actor, id);
    const error = await services.schoolReports
      .saveTexts(w.head.actor, id, version, {
        transitions: 'ok',
        policy_success: 'not here',
        local_offer: 'a\u0000b',
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors.map((e) => e.field)).toEqual(['policy_success', 'local_offer']);
    expect((await services.schoolReports.forEdit(w.head.actor, id)).version).toBe(version);
  });
});

describe('figures drawn from live data', () => {
  it('counts by stage, hides small counts by need, and counts training, complaints and progress', async () => {
    const db = database.db;
    // Five more pupils at SEN support with SLCN: SLCN shows; Eli's ASD (1) stays hidden.
    const more = [];
    for (let i = 0; i < 5; i++)
      more.push(await buildPupil(db, { schoolId: w.school.id, stage: 'sen_support', primaryNeed: 'SLCN' }));
    for (let i = 0; i < 3; i++)
      await buildPupil(db, { schoolId: w.school.id, stage: 'sen_support', primaryNeed: 'SEMH' });
    const peers = [];
    for (let i = 0; i < 4; i++) peers.push(await buildPupil(db, { schoolId: w.school.id }));
    const subjectId = randomUUID();
    await db.insert(assessmentSubject).values({
      schoolId: w.school.id,
      id: subjectId,
      name: 'Reading score',
      position: 1,
      scale: 'score',
      scoreMin: 60,
      scoreMax: 140,
      scoreExpected: 100,
    });
    const assess = async (pupilId: string, value: number) => {
      await db.insert(expectedTrajectory).values({
        schoolId: w.school.id,
        id: randomUUID(),
        pupilId,
        subjectId,
        academicYear: 2026,
        scale: 'score',
        endValue: 100,
        setByName: 'Sam Senco',
      });
      await db.insert(attainmentResult).values({
        schoolId: w.school.id,
        id: randomUUID(),
        pupilId,
        subjectId,
        academicYear: 2026,
        term: 'autumn',
        scale: 'score',
        value,
        recordedByName: 'Sam Senco',
      });
    };
    for (const [i, p] of more.entries()) await assess(p.id, i < 4 ? 100 : 70);
    for (const p of peers) await assess(p.id, 100);
    await db.insert(complaint).values([
      {
        schoolId: w.school.id,
        id: randomUUID(),
        kind: 'concern',
        receivedOn: '2026-10-01',
        complainantName: 'A',
        summary: 's',
        createdByName: 'Sam',
      },
      {
        schoolId: w.school.id,
        id: randomUUID(),
        kind: 'formal',
        receivedOn: '2026-10-02',
        complainantName: 'B',
        summary: 's',
        createdByName: 'Sam',
      },
      {
        schoolId: w.school.id,
        id: randomUUID(),
        kind: 'formal',
        receivedOn: '2025-10-02',
        complainantName: 'C',
        summary: 'last year',
        createdByName: 'Sam',
      },
    ]);
    await db.insert(staffTraining).values([
      {
        schoolId: w.school.id,
        id: randomUUID(),
        userId: w.teacherA.actor.userId,
        course: 'Autism awareness',
        completedOn: '2026-09-10',
        hours: 3,
        needArea: 'communication_and_interaction',
        recordedByName: 'Sam',
      },
      {
        schoolId: w.school.id,
        id: randomUUID(),
        userId: w.ta.actor.userId,
        course: 'Autism awareness',
        completedOn: '2026-09-10',
        hours: 3,
        needArea: 'communication_and_interaction',
        recordedByName: 'Sam',
      },
      {
        schoolId: w.school.id,
        id: randomUUID(),
        userId: w.ta.actor.userId,
        course: 'Precision teaching',
        completedOn: '2026-10-10',
        hours: 1.5,
        needArea: null,
        recordedByName: 'Sam',
      },
    ]);
    await db.insert(sencoAppointment).values({
      schoolId: w.school.id,
      id: randomUUID(),
      userId: w.senco.actor.userId,
      appointedOn: '2025-01-06',
      qualification: 'npq_senco',
      startedOn: '2025-09-01',
    });

    const id = await services.schoolReports.start(w.head.actor, {
      kind: 'sen_information',
      academicYear: 2026,
    });
    const { figures } = await services.schoolReports.report(w.governor.actor, id);
    const now = figures.stagesOverYears.at(-1);
    expect(now).toMatchObject({ yearLabel: '2026/27', senSupport: 9, ehcPlan: 1 });
    // One EHC plan: its breakdown by need is not shown at all (the rule of figuresShown).
    expect(figures.needs.find((n) => n.code === 'SLCN')).toMatchObject({
      senSupport: 6,
      ehcPlan: 'withheld',
    });
    expect(figures.needs.find((n) => n.code === 'SEMH')).toMatchObject({
      senSupport: 3,
      ehcPlan: 'withheld',
    });
    expect(figures.needs.find((n) => n.code === 'ASD')).toMatchObject({ ehcPlan: 'withheld' });
    // The report hides exactly what the register's figures hide from the same governor, need by need
    // and area by area, "Other" included, so the areas add up to the register.
    const register = await services.register.counts(w.governor.actor);
    for (const n of figures.needs)
      if (n.code !== 'none')
        expect([n.code, n.senSupport, n.ehcPlan]).toEqual([
          n.code,
          register.byNeed[n.code].sen_support,
          register.byNeed[n.code].ehc_plan,
        ]);
    expect(figures.areas.map((a) => a.pupils)).toEqual([
      register.byArea.communication_and_interaction,
      register.byArea.cognition_and_learning,
      register.byArea.social_emotional_and_mental_health,
      register.byArea.sensory_and_physical,
      register.byArea.other,
    ]);
    expect(figures.areas.at(-1)?.label).toBe('Other');
    const reading = figures.progress.find((p) => p.subject === 'Reading score');
    expect(reading).toEqual({
      subject: 'Reading score',
      sen: { assessed: 5, onOrAbove: 'suppressed' },
      peers: { assessed: 4, onOrAbove: 4 },
    });
    // Compared across schools: a share made from a hidden count is hidden too.
    expect(comparableFigures(figures)).toMatchObject({
      senOnTrack: 'suppressed',
      peersOnTrack: 100,
      staffTrained: 2,
    });
    expect(figures.training).toMatchObject({ sessions: 3, people: 2, hours: 7.5 });
    expect(figures.training.senco).toMatchObject({ name: 'Sam Senco', qualification: 'NPQ for SENCOs' });
    expect(figures.complaints).toMatchObject({ total: 2, concerns: 'withheld', formal: 'withheld' });
    expect(JSON.stringify(figures)).not.toMatch(/Kit|Kowalski|Eli|Evans|Amara/);
    const viewed = await auditRows('school_report.viewed');
    expect(viewed.some((r) => r.userId === w.governor.actor.userId)).toBe(true);
  });
});

describe('publishing', () => {
  it('warns when the words name a pupil, and refuses to publish them, naming the item only', async () => {
    const id = await services.schoolReports.start(w.head.actor, {
      kind: 'sen_information',
      academicYear: 2026,
    });
    const { version } = await services.schoolReports.forEdit(w.head.actor, id);
    const texts = { ...allWritten(), kinds_of_sen: 'KIT kowalski made great progress.' };
    const saved = await services.schoolReports.saveTexts(w.head.actor, id, version, texts);
    expect(saved.namesPupil).toEqual(['The kinds of special educational needs we provide for']);
    const refused = await services.schoolReports
      .publish(w.head.actor, id, version + 1)
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).message).toMatch(
      /pupil is named in The kinds of special educational needs/,
    );
    expect((refused as ValidationError).message).not.toMatch(/Kit|Kowalski/i);
    expect((await services.schoolReports.report(w.head.actor, id)).report.publishedAt).toBeNull();
    const clean = await services.schoolReports.saveTexts(w.head.actor, id, version + 1, {
      ...texts,
      kinds_of_sen: 'Kit made great progress; the Kowalski family helped.',
    });
    expect(clean.namesPupil).toEqual([]);
  });

  it('offers the governors’ annual report of a finished year only; the SEN information report any time', async () => {
    const early = await services.schoolReports
      .start(w.head.actor, { kind: 'governors_annual', academicYear: 2026 })
      .catch((e: unknown) => e);
    expect(early).toBeInstanceOf(ValidationError);
    expect((early as ValidationError).message).toMatch(/finished school year/);
    const { reports } = await services.schoolReports.list(w.head.actor);
    expect(reports.some((r) => r.kind === 'governors_annual' && r.academicYear === 2026)).toBe(false);
    expect(reports.some((r) => r.kind === 'governors_annual' && r.academicYear === 2025)).toBe(true);
    expect(reports.some((r) => r.kind === 'sen_information' && r.academicYear === 2026)).toBe(true);
    // A draft of this year's governors' report made before the rule cannot be published mid-year.
    const [row] = await database.db
      .insert(schoolReport)
      .values({
        schoolId: w.school.id,
        id: randomUUID(),
        kind: 'governors_annual',
        academicYear: 2026,
        texts: { policy_success: 'Good.', next_priorities: 'More.' },
        updatedBy: w.head.actor.userId,
      })
      .returning();
    const refused = await services.schoolReports
      .publish(w.head.actor, row!.id, row!.version)
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).message).toMatch(/finished school year/);
    await database.db.delete(schoolReport).where(eq(schoolReport.id, row!.id));
  });

  it('refuses an incomplete report, then freezes the words and figures, audited', async () => {
    const id = await services.schoolReports.start(w.head.actor, {
      kind: 'sen_information',
      academicYear: 2025,
    });
    const missing = await services.schoolReports.publish(w.head.actor, id, 1).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ValidationError);
    expect((missing as ValidationError).message).toMatch(/Write the missing items/);
    await services.schoolReports.saveTexts(w.head.actor, id, 1, allWritten());
    await expect(services.schoolReports.publish(w.head.actor, id, 1)).rejects.toBeInstanceOf(ConflictError);
    await services.schoolReports.publish(w.head.actor, id, 2);
    const before = await services.schoolReports.report(w.head.actor, id);
    expect(before.report.publishedAt).not.toBeNull();
    expect(before.allowed).toEqual({ mayEdit: false, mayPublish: false });
    await buildPupil(database.db, {
      schoolId: w.school.id,
      stage: 'ehc_plan',
      primaryNeed: 'HI',
      admissionDate: '2020-09-01',
    });
    const after = await services.schoolReports.report(w.head.actor, id);
    expect(after.figures).toEqual(before.figures);
    await expect(services.schoolReports.saveTexts(w.head.actor, id, 3, allWritten())).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(services.schoolReports.publish(w.head.actor, id, 3)).rejects.toBeInstanceOf(ValidationError);
    expect((await auditRows('school_report.published')).map((r) => r.detail)).toEqual([
      { reportId: id, kind: 'sen_information', academicYear: 2025 },
    ]);
  });
});

describe('who may read and write the reports', () => {
  it('refuses the class teacher, the teaching assistant and the office, and records each refusal', async () => {
    const id = await services.schoolReports.start(w.head.actor, {
      kind: 'sen_information',
      academicYear: 2026,
    });
    for (const who of [w.teacherA, w.ta, w.office]) {
      await expect(services.schoolReports.list(who.actor)).rejects.toBeInstanceOf(ForbiddenError);
      await expect(services.schoolReports.report(who.actor, id)).rejects.toBeInstanceOf(ForbiddenError);
      await expect(
        services.schoolReports.saveTexts(who.actor, id, 1, { transitions: 'x' }),
      ).rejects.toBeInstanceOf(ForbiddenError);
    }
    await expect
      .poll(
        async () =>
          (
            await database.db
              .select()
              .from(auditEvent)
              .where(
                and(
                  eq(auditEvent.action, 'access.refused'),
                  sql`${auditEvent.userId} in (${w.teacherA.actor.userId}, ${w.ta.actor.userId}, ${w.office.actor.userId})`,
                ),
              )
          ).length,
      )
      .toBe(9);
  });

  it('lets the governor and the assessment lead read but not write; another school’s report is not found', async () => {
    const id = await services.schoolReports.start(w.head.actor, {
      kind: 'sen_information',
      academicYear: 2026,
    });
    const read = await services.schoolReports.report(w.assessmentLead.actor, id);
    expect(read.allowed.mayEdit).toBe(false);
    await expect(services.schoolReports.forEdit(w.governor.actor, id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      services.schoolReports.saveTexts(w.governor.actor, id, 1, { transitions: 'x' }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    const theirs = await services.schoolReports.start(w.otherSenco.actor, {
      kind: 'sen_information',
      academicYear: 2026,
    });
    await expect(services.schoolReports.report(w.head.actor, theirs)).rejects.toBeInstanceOf(NotFoundError);
    await expect(services.schoolReports.saveTexts(w.head.actor, theirs, 1, {})).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(services.schoolReports.publish(w.head.actor, theirs, 1)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(services.schoolReports.report(w.head.actor, 'not-an-id')).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const other = await buildStaff(database.db, 'senco', { schoolId: w.otherSchool.id });
    await expect(services.schoolReports.forEdit(other.actor, id)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('progress made in interventions', () => {
  it('hides the total with the rows, so that no hidden row is the total less the rows shown', () => {
    // The trial's leak: rows 40 of 50, 50 of 60, 2 of 6, 2 of 6; total 94 of 122. With the two small
    // rows hidden and the total shown, 94 − 90 gives away that the two hidden rows hold 4.
    const rows = [
      { measured: 50, improved: 40 },
      { measured: 60, improved: 50 },
      { measured: 6, improved: 2 },
      { measured: 6, improved: 2 },
    ];
    const shown = impactShown({ measured: 122, improved: 94 }, rows, 3);
    expect(shown.rows.slice(2)).toEqual(['suppressed', 'suppressed']);
    const visible = shown.rows.filter((r): r is number => typeof r === 'number');
    // Either the total is hidden too, or a row big enough that the subtraction leaves two unknowns.
    if (typeof shown.all === 'number') expect(visible.length).toBeLessThan(2);
    else expect(shown.all).toBe('suppressed');
    // With nothing small, everything shows.
    expect(impactShown({ measured: 110, improved: 90 }, rows.slice(0, 2), 3)).toEqual({
      all: 90,
      rows: [40, 50],
    });
  });

  it('keeps a part that no listed intervention holds unseen, but never pins a row through it', () => {
    const shown = impactShown(
      { measured: 20, improved: 12 },
      [
        { measured: 10, improved: 9 },
        { measured: 4, improved: 1 },
      ],
      3,
    );
    expect(shown.rows[1]).toBe('suppressed');
    expect(shown.rows[0]).toBe('suppressed');
  });
});
