import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildParent,
  buildPlan,
  buildProvisionGroup,
  buildPupil,
  buildPupilWithHistory,
  buildReferral,
  buildReport,
  type PupilWithHistory,
  packRequest,
  TODAY,
  useWorld,
  uuid,
} from '../../../test/builders/index.ts';
import { readPdf } from '../../../test/pdf.ts';
import { agencyReport, pupil as pupilTable } from '../../db/schema/index.ts';
import { renderPackPdf } from '../../documents/ehc-pack-pdf.ts';
import { type EvidencePack, PACK_SECTIONS } from '../../domain/ehc-pack.ts';
import { insertView } from '../../repositories/family-views.ts';
import { insertAttendance, insertSession } from '../../repositories/provision.ts';
import { insertRegisterEntries } from '../../repositories/register.ts';
import { NotFoundError } from '../kernel/errors.ts';
import { assemblePack, evidenceFrom, type PackRequest } from './pack.ts';
import { packSchemaProblems } from './pack-schema.ts';

/*
 * The evidence pack assembled from a pupil's record (today is Friday 20 November 2026): Rosa has two
 * years of SEN support behind her (test/builders/ehc.ts). Every pack these tests build is checked
 * against the published JSON Schema, so the schema and the builder cannot drift apart unnoticed.
 */
const world = useWorld();
let h: PupilWithHistory;

async function build(
  request: Partial<PackRequest> = {},
  options: { today?: string; pupilId?: string; keepLeftOut?: boolean } = {},
) {
  const pack = await assemblePack(world.database.db, {
    schoolId: h.schoolId,
    pupilId: options.pupilId ?? h.pupilId,
    request: packRequest(request),
    today: options.today ?? TODAY,
    ...(options.keepLeftOut ? { keepLeftOut: true } : {}),
  });
  expect(packSchemaProblems(pack)).toEqual([]);
  return pack;
}
const check = (pack: EvidencePack, key: string) => pack.checklist.find((c) => c.key === key);

beforeAll(async () => {
  h = await buildPupilWithHistory(world.database.db, { schoolId: world.w.school.id });
});

describe('the child and the school', () => {
  it('names the child as SEN2 does, with needs ranked, the context factors, attendance and the school', async () => {
    const pack = await build();
    expect(pack.format).toBe('opensend.ehc-request-pack');
    expect(pack.child).toMatchObject({
      forename: 'Rosa',
      surname: 'Martinez',
      birthDate: '2017-06-14',
      sex: 'F',
      ncYear: 5,
      senProvision: 'sen_support',
      senTypes: [
        { senType: 'SPLD', senTypeRank: 1 },
        { senType: 'SLCN', senTypeRank: 2 },
      ],
      contextFactors: ['pupilPremium', 'eal'],
      attendancePercent: 93.5,
      medicalNotes: 'Wears glasses for reading',
    });
    expect(pack.school).toMatchObject({ name: 'Oakfield Primary', senco: 'Sam Senco' });
    // The world's school belongs to the officer's local authority, on this installation.
    expect(pack.school.localAuthority).not.toBeNull();
  });

  it('gives the register history as periods at each stage, oldest first, with the needs recorded', async () => {
    const pack = await build();
    expect(pack.intervention.registerHistory).toEqual([
      { stage: 'monitoring', from: '2024-11-04', to: '2025-01-05', needs: ['SPLD'] },
      { stage: 'sen_support', from: '2025-01-06', to: null, needs: ['SPLD', 'SLCN'] },
    ]);
  });
});

describe('days and changes', () => {
  it('of two register changes on one day keeps the one recorded last; a plan closed late on a summer evening closed that day in England', async () => {
    const other = await buildPupil(world.database.db, {
      schoolId: h.schoolId,
      stage: 'sen_support',
      primaryNeed: 'SEMH',
    });
    const entry = (stage: 'monitoring' | 'sen_support', recordedAt: string) => ({
      schoolId: h.schoolId,
      id: uuid(),
      pupilId: other.id,
      effectiveDate: '2026-01-05',
      fromStage: 'none' as const,
      stage,
      primaryNeed: 'SEMH' as const,
      changeKind: 'added_to_monitoring' as const,
      reason: 'Test',
      decidedByName: 'Sam Senco',
      source: 'register' as const,
      recordedAt: new Date(recordedAt),
    });
    await insertRegisterEntries(world.database.db, [
      entry('monitoring', '2026-01-05T09:00:00Z'),
      entry('sen_support', '2026-01-05T10:00:00Z'),
    ]);
    await buildPlan(world.database.db, {
      schoolId: h.schoolId,
      pupilId: other.id,
      status: 'closed',
      startDate: '2026-04-20',
      // 11.30 pm in London on 10 July (British Summer Time) is 10.30 pm UTC.
      closedAt: new Date('2026-07-10T22:30:00Z'),
    });
    await buildPlan(world.database.db, {
      schoolId: h.schoolId,
      pupilId: other.id,
      status: 'closed',
      startDate: '2026-07-11',
      // 00.30 on 11 July in London is still 10 July in UTC.
      closedAt: new Date('2026-07-10T23:30:00Z'),
    });
    const pack = await build({}, { pupilId: other.id });
    expect(pack.intervention.registerHistory).toEqual([
      { stage: 'sen_support', from: '2026-01-05', to: null, needs: ['SEMH'] },
    ]);
    expect(pack.intervention.plans.map((p) => p.closedOn)).toEqual(['2026-07-10', '2026-07-11']);
  });
});

describe('evidence of intervention over time', () => {
  it('has every plan of the last two years with its targets, outcomes, review and decisions', async () => {
    const pack = await build();
    expect(pack.intervention.plans.map((p) => [p.cycle, p.startedOn, p.status])).toEqual([
      [1, '2025-01-06', 'Closed'],
      [2, '2025-04-21', 'Closed'],
      [3, '2025-09-08', 'Closed'],
      [4, '2026-09-07', 'In place'],
    ]);
    const third = pack.intervention.plans[2]!;
    expect(third.key).toBe(`plan:${h.planIds[2]}`);
    expect(third.closedOn).toBe('2026-07-10');
    expect(third.targets).toEqual([
      {
        text: 'Read 40 high-frequency words',
        area: null,
        source: null,
        outcome: 'Partly achieved',
        evidence: 'Reads most of them on a good day',
      },
      {
        text: 'Blend three-letter words',
        area: null,
        source: null,
        outcome: 'Not achieved',
        evidence: 'Still guesses from the first letter',
      },
    ]);
    expect(third.review).toEqual({
      key: `review:${h.reviewIds[2]}`,
      reviewedOn: '2026-07-10',
      progress: 'No progress',
      outcome: 'No progress. Little progress after three cycles; request an EHC needs assessment',
      decisions: ['Request an EHC needs assessment, and write a new plan'],
      pupilViews: 'Review 3: reading is hard but I like the group.',
      parentViews: 'Review 3: we are worried she is falling further behind.',
    });
    expect(third.strategies).toEqual([
      'Quality-first inclusive approaches (what the class teacher does): Word mats and visual timetable',
      'Interventions, how they are delivered and monitored: Daily reading with an adult',
    ]);
    expect(third.about.map((a) => a.label)).toEqual(['Strengths', 'Areas of concern', 'Desired outcomes']);
    expect(pack.intervention.plans[3]!.review).toBeNull();
    expect(pack.need.summary).toBe('Reading age of 6y 2m at 9; spelling; working memory');
  });

  it('leaves out drafts, and plans that ended more than two years before the pack', async () => {
    const other = await buildPupil(world.database.db, {
      schoolId: h.schoolId,
      stage: 'sen_support',
      primaryNeed: 'MLD',
    });
    await buildPlan(world.database.db, {
      schoolId: h.schoolId,
      pupilId: other.id,
      status: 'closed',
      startDate: '2024-06-03',
      reviewDate: '2024-11-15',
      closedAt: new Date('2024-11-15T15:00:00Z'),
    });
    await buildPlan(world.database.db, {
      schoolId: h.schoolId,
      pupilId: other.id,
      status: 'closed',
      startDate: '2024-09-09',
      reviewDate: '2024-11-22',
      closedAt: new Date('2024-11-22T15:00:00Z'),
    });
    await buildPlan(world.database.db, {
      schoolId: h.schoolId,
      pupilId: other.id,
      status: 'draft',
      startDate: null,
    });
    expect(evidenceFrom(TODAY)).toBe('2024-11-20');
    const pack = await build({}, { pupilId: other.id });
    // Closed on 15 November 2024: before the two years; closed on 22 November 2024: within them.
    expect(pack.intervention.plans.map((p) => p.cycle)).toEqual([2]);
    expect(check(pack, 'reviewed_plans')?.met).toBe(false);
  });

  it('has the provision with its time, sessions held and attended, cost and entry and exit measures', async () => {
    // One session of the language group that Rosa missed.
    const sessionId = uuid();
    await insertSession(world.database.db, {
      schoolId: h.schoolId,
      id: sessionId,
      groupId: h.groupIds.language,
      heldOn: '2026-11-16',
      recordedByName: 'Test builder',
    });
    await insertAttendance(world.database.db, [
      { schoolId: h.schoolId, sessionId, pupilId: h.pupilId, present: false },
    ]);
    const pack = await build();
    const [reading, language] = pack.intervention.provision;
    expect(reading).toMatchObject({
      key: `provision:${h.memberIds.reading}`,
      intervention: 'Reading catch-up',
      area: 'cognition_and_learning',
      from: '2025-01-13',
      to: '2025-07-18',
      minutesPerWeek: 60,
      groupSize: 1,
      sessionsHeld: 20,
      sessionsAttended: 20,
      impact: {
        measure: 'Reading or spelling age in months',
        entry: '6y 2m',
        exit: '6y 7m',
        change: 'Up 5 months',
      },
    });
    // Its cost this year: it ran in 2024/25, so nothing this year.
    expect(reading!.costPence).toBe(0);
    expect(language).toMatchObject({
      key: `provision:${h.memberIds.language}`,
      to: null,
      sessionsHeld: 31,
      sessionsAttended: 30,
      impact: { measure: 'Standardised score', entry: '78', exit: null, change: null },
    });
  });

  it('costs the provision as the provision map does, against the school’s threshold', async () => {
    // A group wholly within this academic year: its cost in the pack is its cost this year on the map.
    const group = await buildProvisionGroup(world.database.db, {
      schoolId: h.schoolId,
      pupilIds: [h.pupilId],
      name: 'Handwriting',
      startDate: '2026-09-07',
      endDate: '2026-10-16',
      sessionsPerWeek: 5,
      minutesPerSession: 30,
    });
    const pack = await build();
    const view = await world.services.provision.pupilProvision(world.w.senco.actor, h.pupilId, {
      audit: false,
    });
    const onMap = [...view.current, ...view.past].find((s) => s.groupId === group.id);
    const inPack = pack.intervention.provision.find((p) => p.key === `provision:${group.memberIds[0]}`);
    expect(inPack?.costPence).toBe(onMap?.costThisYear);
    expect(inPack?.costPence).toBeGreaterThan(0);
    expect(pack.intervention.costs).toEqual({
      academicYear: '2026/27',
      totalPence: view.costs.academic.pence,
      thresholdPence: 600_000,
      aboveThreshold: view.costs.academic.status === 'over',
    });
  });

  it('costs a group still running by its cost this year, as the pupil’s page does, not its cost so far', async () => {
    // A group that runs on past today (20 November) to March: its row is the year's planned cost.
    const group = await buildProvisionGroup(world.database.db, {
      schoolId: h.schoolId,
      pupilIds: [h.pupilId],
      name: 'Spelling',
      startDate: '2026-09-07',
      endDate: '2027-03-26',
      sessionsPerWeek: 3,
      minutesPerSession: 20,
    });
    const pack = await build();
    const view = await world.services.provision.pupilProvision(world.w.senco.actor, h.pupilId, {
      audit: false,
    });
    const onPage = [...view.current, ...view.past].find((s) => s.groupId === group.id);
    const inPack = pack.intervention.provision.find((p) => p.key === `provision:${group.memberIds[0]}`);
    expect(inPack?.costPence).toBeGreaterThan(0);
    expect(inPack?.costPence).toBe(onPage?.costThisYear);
  });
});

describe('evidence of need', () => {
  it('has the referral with its report, and where each recommendation was used', async () => {
    const pack = await build();
    expect(pack.need.referrals).toHaveLength(1);
    const referral = pack.need.referrals[0]!;
    expect(referral).toMatchObject({
      service: 'Northshire Educational Psychology Service',
      serviceKind: 'educational_psychology',
      sentOn: '2025-07-21',
      status: 'Report received',
    });
    expect(referral.reports[0]).toMatchObject({
      key: `report:${h.reportId}`,
      serviceKind: 'educational_psychology',
      author: 'Jo Carter, Educational psychologist',
      writtenOn: '2026-05-12',
      sufficient: false,
    });
    expect(referral.reports[0]!.recommendations.map((r) => r.usedIn)).toEqual([
      'A target in support plan 4',
      null,
      null,
    ]);
    expect(check(pack, 'educational_psychologist')?.met).toBe(true);
  });

  it('marks the reports the SENCo marked recent and sufficient, and only those', async () => {
    const pack = await build({ adviceSufficient: [`report:${h.reportId}`, `report:${uuid()}`] });
    expect(pack.need.referrals[0]!.reports[0]!.sufficient).toBe(true);
  });

  it('keeps a report held without a referral among the other reports', async () => {
    const other = await buildPupil(world.database.db, {
      schoolId: h.schoolId,
      stage: 'sen_support',
      primaryNeed: 'MLD',
    });
    const id = uuid();
    await world.database.db.insert(agencyReport).values({
      schoolId: h.schoolId,
      id,
      pupilId: other.id,
      agencyName: 'Private occupational therapist',
      authorName: 'Olu Therapist',
      title: 'Sensory profile',
      writtenOn: '2026-02-01',
      submittedBy: 'school',
      uploadedByName: 'Test builder',
    });
    const pack = await build({}, { pupilId: other.id });
    expect(pack.need.referrals).toEqual([]);
    expect(pack.need.otherReports.map((r) => [r.key, r.serviceKind, r.author])).toEqual([
      [`report:${id}`, null, 'Olu Therapist'],
    ]);
  });

  it('leaves out a referral never sent and with no report', async () => {
    const other = await buildPupil(world.database.db, {
      schoolId: h.schoolId,
      stage: 'sen_support',
      primaryNeed: 'MLD',
    });
    await buildReferral(world.database.db, other, { status: 'drafted' });
    const sent = await buildReferral(world.database.db, other, { status: 'sent', sentOn: '2026-10-01' });
    await buildReport(world.database.db, { ...sent, pupilId: other.id });
    const pack = await build({}, { pupilId: other.id });
    expect(pack.need.referrals.map((r) => r.sentOn)).toEqual(['2026-10-01']);
  });
});

describe('the views, the request and the consent', () => {
  it('gathers the parents’ and the child’s views from the plans and reviews, and the one-page profile', async () => {
    const pack = await build();
    expect(pack.parentsViews.map((v) => [v.key, v.givenOn])).toEqual([
      [`views:${h.planIds[0]}:parents`, '2025-01-06'],
      [`views:${h.reviewIds[0]}:parents`, '2025-03-28'],
      [`views:${h.reviewIds[1]}:parents`, '2025-07-11'],
      [`views:${h.reviewIds[2]}:parents`, '2026-07-10'],
    ]);
    expect(pack.parentsViews[1]!.context).toBe('The review of support plan 1 on 28 March 2025');
    expect(pack.childsViews.views).toHaveLength(4);
    expect(pack.childsViews.profile).toEqual({
      key: 'profile',
      likeAndAdmire: 'Rosa is kind and funny, and a wonderful artist',
      importantToMe: 'My cat Luna, drawing, my big sister',
      howToSupportMe: 'Give me time to answer; show me as well as tell me',
    });
  });

  it('has the views a parent gave online for this request, in their words, and none given for another', async () => {
    const request = packRequest();
    for (const [subjectId, body] of [
      [request.id, 'Rosa is anxious before school every day and needs more help than she gets.'],
      [uuid(), 'Views for some other request.'],
    ] as const)
      await insertView(world.database.db, {
        schoolId: h.schoolId,
        id: uuid(),
        pupilId: h.pupilId,
        about: 'ehc_request',
        subjectId,
        body,
        givenBy: world.w.parent.actor.userId,
        givenByName: 'Ana Silva',
        givenAt: new Date('2026-11-18T19:30:00Z'),
      });
    const pack = await assemblePack(world.database.db, {
      schoolId: h.schoolId,
      pupilId: h.pupilId,
      request,
      today: TODAY,
    });
    expect(packSchemaProblems(pack)).toEqual([]);
    const online = pack.parentsViews.filter((v) => v.context.startsWith('Given online'));
    expect(online).toEqual([
      expect.objectContaining({
        givenOn: '2026-11-18',
        context: 'Given online by Ana Silva for this request',
        text: 'Rosa is anxious before school every day and needs more help than she gets.',
      }),
    ]);
  });

  it('records a parent’s own request as theirs, the person completing it and the covering statement', async () => {
    const pack = await build({
      requestedBy: 'parent',
      parentId: h.parentId,
      parentRequestNote: '  We ask for an assessment because Rosa is unhappy at school.  ',
      contactName: 'Sam Senco',
      contactRole: 'SENCo',
      contactEmail: 'senco@oakfield.example',
      coveringStatement: 'Three cycles of SEN support with little progress.',
    });
    expect(pack.requestedBy).toBe('parent');
    expect(pack.requestingParent).toEqual({ name: 'Lucia Martinez', relationship: 'Mother' });
    expect(pack.parentRequest).toBe('We ask for an assessment because Rosa is unhappy at school.');
    expect(pack.completedBy).toEqual({
      name: 'Sam Senco',
      role: 'SENCo',
      email: 'senco@oakfield.example',
      phone: null,
    });
    expect(pack.moreInformation.coveringStatement).toBe('Three cycles of SEN support with little progress.');
  });

  it('has the consent given by the pupil’s parent, and none from a parent of another pupil', async () => {
    const given = await build({
      consentParentId: h.parentId,
      consentOn: '2026-11-18',
      consentHow: 'signed_form',
      consentNote: 'Form kept in the SEN file',
    });
    expect(given.consent).toEqual({
      parentName: 'Lucia Martinez',
      relationship: 'Mother',
      givenOn: '2026-11-18',
      how: 'signed_form',
      note: 'Form kept in the SEN file',
    });
    expect(check(given, 'consent')?.met).toBe(true);
    const stranger = await buildParent(world.database.db, world.w.pupilK);
    const wrong = await build({ consentParentId: stranger.id, consentOn: '2026-11-18', consentHow: 'email' });
    expect(wrong.consent).toBeNull();
    expect(check(wrong, 'consent')?.met).toBe(false);
  });
});

describe('what the SENCo leaves out', () => {
  it('leaves out a plan with its reviews and the views given at them, a report, a spell of provision and the profile', async () => {
    const leftOut = [
      `plan:${h.planIds[0]}`,
      `report:${h.reportId}`,
      `provision:${h.memberIds.reading}`,
      'profile',
      `views:${h.reviewIds[2]}:child`,
      'plan:not-a-thing',
    ];
    const pack = await build({ leftOut });
    expect(pack.intervention.plans.map((p) => p.cycle)).toEqual([2, 3, 4]);
    expect(pack.intervention.provision.map((p) => p.key)).not.toContain(`provision:${h.memberIds.reading}`);
    expect(pack.need.referrals[0]!.reports).toEqual([]);
    expect(pack.childsViews.profile).toBeNull();
    // The first plan's own views and its review's went with it; the third review's child's views too.
    expect(pack.parentsViews.map((v) => v.key)).toEqual([
      `views:${h.reviewIds[1]}:parents`,
      `views:${h.reviewIds[2]}:parents`,
    ]);
    expect(pack.childsViews.views.map((v) => v.key)).toEqual([`views:${h.reviewIds[1]}:child`]);
    expect(pack.intervention.plans[1]!.review?.pupilViews).toBeNull();
    expect(pack.moreInformation.leftOutCount).toBe(5);
    // The check is made of what is sent: the EP's report was left out.
    expect(check(pack, 'educational_psychologist')?.met).toBe(false);
    // Left-out items travel nowhere in the pack.
    expect(JSON.stringify(pack)).not.toContain(h.reportId);
    expect(JSON.stringify(pack)).not.toContain(h.planIds[0]);
  });

  it('keeps every item when asked (the SENCo’s page shows them with "leave this out")', async () => {
    const pack = await build({ leftOut: [`plan:${h.planIds[0]}`] }, { keepLeftOut: true });
    expect(pack.intervention.plans).toHaveLength(4);
    expect(pack.moreInformation.leftOutCount).toBe(0);
  });
});

describe('a pupil with nothing yet', () => {
  it('builds a pack that says what is missing', async () => {
    const bare = await buildPupil(world.database.db, { schoolId: h.schoolId });
    const pack = await build({}, { pupilId: bare.id });
    expect(pack.checklist.filter((c) => !c.met).map((c) => c.key)).toEqual([
      'reviewed_plans',
      'baseline',
      'costed_provision',
      'educational_psychologist',
      'parents_views',
      'childs_views',
      'consent',
    ]);
    expect(pack.intervention.costs.totalPence).toBe(0);
  });
});

describe('whose pupil', () => {
  it('finds no pupil of another school, nor an erased record', async () => {
    await expect(
      assemblePack(world.database.db, {
        schoolId: h.schoolId,
        pupilId: world.w.otherPupil.id,
        request: packRequest(),
        today: TODAY,
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const erased = await buildPupil(world.database.db, { schoolId: h.schoolId });
    await world.database.db
      .update(pupilTable)
      .set({ erasedAt: new Date('2026-11-01T10:00:00Z') })
      .where(eq(pupilTable.id, erased.id));
    await expect(
      assemblePack(world.database.db, {
        schoolId: h.schoolId,
        pupilId: erased.id,
        request: packRequest(),
        today: TODAY,
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('the PDF of a pupil’s pack', () => {
  it('reads Rosa’s two years in the order of the request', async () => {
    const pack = await build({
      consentParentId: h.parentId,
      consentOn: '2026-11-18',
      consentHow: 'in_person',
    });
    const { text, info } = readPdf(await renderPackPdf(pack));
    expect(info).toMatch(/^Tagged:\s+yes$/m);
    let at = -1;
    for (const part of [
      PACK_SECTIONS.completedBy,
      PACK_SECTIONS.childAndSchool,
      'Rosa Martinez',
      PACK_SECTIONS.intervention,
      'Monitoring',
      '4 November 2024',
      'Support plan 1',
      'Review of support plan 1 on 28 March 2025',
      'Support plan 4',
      'Reading catch-up',
      'Up 5 months',
      'Language for learning',
      PACK_SECTIONS.need,
      'Northshire Educational Psychology Service',
      'A target in support plan 4',
      PACK_SECTIONS.parentsViews,
      'we are worried she is falling further behind',
      PACK_SECTIONS.childsViews,
      'My cat Luna',
      PACK_SECTIONS.consent,
      'Lucia Martinez (Mother)',
    ]) {
      const found = text.indexOf(part, at + 1);
      expect(found, part).toBeGreaterThan(at);
      at = found;
    }
  });
});
