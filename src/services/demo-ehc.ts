import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { organisationCase, parentCarer } from '../db/schema/index.ts';
import { demoPlanSections } from '../demo/ehc-plans.ts';
import type { DemoSchool } from '../demo/generate.ts';
import type { NeedCode } from '../domain/census.ts';
import { addDays, compareIsoDates, type IsoDate } from '../domain/dates.ts';
import { commentPeriodEnds } from '../domain/ehc-clock.ts';
import { isSchoolDay } from '../domain/school-days.ts';
import { demoSenco, latestVersionOf } from './demo-ehc-plans.ts';
import { createCaseloadService } from './ehc/cases.ts';
import { createEhcPlanService } from './ehc/plans.ts';
import { createEhcRequestService } from './ehc/requests.ts';
import type { Actor } from './kernel/actor.ts';
import { fixedClock } from './kernel/clock.ts';
import { NO_MAIL_CONTEXT } from './kernel/ports.ts';

/*
 * The demo's EHC needs assessments (docs/adr/0036): requests a school built from its pupils' records
 * and sent into Northshire's caseload at different times, and the caseworker's work on each since, each
 * step done through the services on the day it happened (a clock fixed to that day), so that the packs,
 * the audit trail, the clocks and SEN2's figures are what real use would have left. The first school
 * has one of each stage; the others a few each, so the caseload has an authority's scale.
 */

type Stage = 'draft' | 'received' | 'overdue' | 'assessing' | 'summer' | 'not_assessing';

/** The stages of the first school's requests, oldest first; other schools have a few of the open ones. */
const FIRST_SCHOOL: Stage[] = ['summer', 'not_assessing', 'assessing', 'overdue', 'received', 'draft'];
const OTHER_SCHOOLS: Stage[][] = [
  ['assessing', 'received'],
  ['overdue', 'assessing', 'received'],
  ['received', 'not_assessing'],
];

/** How many days before today each stage's request was received. */
const RECEIVED_DAYS_AGO: Record<Exclude<Stage, 'summer' | 'draft'>, number> = {
  received: 15,
  overdue: 46,
  assessing: 64,
  not_assessing: 120,
};

const schoolDayOnOrBefore = (day: IsoDate): IsoDate => {
  let d = day;
  while (!isSchoolDay(d)) d = addDays(d, -1);
  return d;
};
const schoolDayOnOrAfter = (day: IsoDate): IsoDate => {
  let d = day;
  while (!isSchoolDay(d)) d = addDays(d, 1);
  return d;
};
const weekdayOnOrAfter = (day: IsoDate): IsoDate => {
  let d = day;
  while ([0, 6].includes(new Date(`${d}T12:00:00Z`).getUTCDay())) d = addDays(d, 1);
  return d;
};

export async function insertDemoEhcWork(
  database: Database,
  demo: DemoSchool,
  context: {
    index: number;
    organisationId: string;
    officer: { id: string; name: string; email: string };
    today: IsoDate;
  },
): Promise<number> {
  const { db } = database;
  const { today, organisationId } = context;
  const schoolId = demo.school.id;
  const senco = demoSenco(demo);
  if (!senco) return 0;
  const officer: Actor = {
    kind: 'officer',
    userId: context.officer.id,
    name: context.officer.name,
    email: context.officer.email,
    roles: ['caseworker', 'manager'],
    schoolId: null,
    organisationId,
    requestId: 'demo',
  };
  const stages = context.index === 0 ? FIRST_SCHOOL : OTHER_SCHOOLS[context.index % OTHER_SCHOOLS.length]!;

  // The pupils: first those whose latest review decided to request an assessment (its action open),
  // then pupils on SEN support with two reviewed plans or more; each with a parent who may consent.
  // (Written out in SQL: the subqueries name the outer pupil's columns by table.)
  const found = (await db.execute(sql`
      select p.id,
        (select a.id from pupil_action a where a.school_id = p.school_id and a.pupil_id = p.id
          and a.kind = 'ehc_request' and a.status = 'open' order by a.created_at desc limit 1) as action,
        (select count(*)::int from support_plan sp where sp.school_id = p.school_id and sp.pupil_id = p.id
          and sp.status = 'closed') as reviewed
      from pupil p
      where p.school_id = ${schoolId} and p.sen_stage = 'sen_support' and p.left_on is null
        and exists (select 1 from parent_carer c where c.school_id = p.school_id and c.pupil_id = p.id
          and c.parental_responsibility and not c.court_order)
      order by p.surname, p.forename, p.id`)) as unknown as {
    rows: { id: string; action: string | null; reviewed: number }[];
  };
  const candidates = found.rows;
  const chosen = [
    ...candidates.filter((c) => c.action),
    ...candidates.filter((c) => !c.action && c.reviewed >= 2),
  ].slice(0, stages.length);

  const summerYear = Number(today.slice(0, 4)) - (Number(today.slice(5, 7)) >= 9 ? 0 : 1);
  const summerReceived = weekdayOnOrAfter(`${summerYear}-07-15`);
  let made = 0;
  for (const [i, candidate] of chosen.entries()) {
    let stage = stages[i]!;
    // The summer request needs its 20 weeks nearly run: before late November it is an ordinary one.
    if (stage === 'summer' && compareIsoDates(addDays(summerReceived, 130), today) > 0) stage = 'assessing';
    const receivedOn =
      stage === 'draft'
        ? schoolDayOnOrBefore(addDays(today, -4))
        : stage === 'summer'
          ? summerReceived
          : schoolDayOnOrBefore(addDays(today, -RECEIVED_DAYS_AGO[stage]));
    const on = (day: IsoDate) => createEhcRequestService(database, fixedClock(day));
    const parents = await db
      .select({ id: parentCarer.id, name: parentCarer.name })
      .from(parentCarer)
      .where(
        and(
          eq(parentCarer.schoolId, schoolId),
          eq(parentCarer.pupilId, candidate.id),
          eq(parentCarer.parentalResponsibility, true),
          eq(parentCarer.courtOrder, false),
        ),
      )
      .orderBy(parentCarer.name);
    const parent = parents[0]!;
    const startedOn = schoolDayOnOrBefore(addDays(receivedOn, stage === 'draft' ? 0 : -10));
    const byParent = stage === 'summer';
    const requestId = await on(startedOn).start(senco, candidate.id, {
      requestedBy: byParent ? 'parent' : 'school',
      parentId: byParent ? parent.id : null,
      parentRequestNote: byParent
        ? 'We have watched our child fall further behind each term despite everyone’s efforts. We are asking for an assessment so that the help they need is set out and secured, as it is at home.'
        : null,
      pupilActionId: byParent ? null : candidate.action,
    });
    const view = await on(startedOn).view(senco, requestId, { audit: false });
    const reports = view.reports;
    await on(startedOn).save(senco, requestId, 1, {
      coveringStatement:
        stage === 'draft'
          ? 'Despite two years of targeted support (see section 4), progress remains well below'
          : 'Despite two years of support at SEN support, with plans reviewed each term, small-group and one-to-one provision above the school’s notional budget and advice from outside agencies acted on, progress remains well below that of peers. We ask the local authority to assess whether an EHC plan is needed.',
      contactName: senco.name,
      contactRole: 'SENCo',
      contactEmail: senco.email,
      contactPhone: '01632 960 100',
      leftOut: [],
      sufficient: reports.slice(0, 1).map((r) => r.key),
    });
    if (stage === 'draft') {
      made++;
      continue;
    }
    const consentOn = schoolDayOnOrBefore(addDays(receivedOn, -3));
    await on(consentOn).recordConsent(senco, requestId, 2, {
      parentId: parent.id,
      consentOn,
      how: 'signed_form',
      note: null,
    });
    // Sent as data: the services render nothing, so the PDF is made from the pack as sent when asked for.
    await on(receivedOn).send(senco, requestId, 3, { fileName: () => 'ehc-request.pdf' });
    const [sent] = await db
      .select({ caseId: organisationCase.id })
      .from(organisationCase)
      .where(
        and(eq(organisationCase.organisationId, organisationId), eq(organisationCase.requestId, requestId)),
      );
    made++;
    if (!sent) continue;
    const caseId = sent.caseId;
    const cases = (day: IsoDate) =>
      createCaseloadService(database, fixedClock(day), { suppressionThreshold: 5, mail: NO_MAIL_CONTEXT });
    /** The case's version as it is now (each change of the case moves it on). */
    const current = async () =>
      (
        await db
          .select({ version: organisationCase.version })
          .from(organisationCase)
          .where(and(eq(organisationCase.organisationId, organisationId), eq(organisationCase.id, caseId)))
      )[0]!.version;
    const assigned = schoolDayOnOrBefore(addDays(receivedOn, 2));
    await cases(assigned).updateDates(officer, caseId, {
      version: await current(),
      caseworkerUserId: context.officer.id,
      draftSentOn: null,
      finalIssuedOn: null,
      withdrawn: false,
    });
    if (stage === 'received' || stage === 'overdue') continue;
    if (stage === 'not_assessing') {
      const decidedOn = schoolDayOnOrBefore(addDays(receivedOn, 36));
      await cases(decidedOn).recordDecision(officer, caseId, {
        version: await current(),
        kind: 'not_assess',
        decidedOn,
        parentsToldOn: decidedOn,
        reasons:
          'The evidence shows the school’s provision, with the advice of the speech and language therapist, is meeting the child’s needs and progress has begun to accelerate over the last two terms. The school will continue at SEN support with the local authority’s inclusion adviser. You may appeal to the First-tier Tribunal (SEND) within two months of this letter, after considering mediation.',
        panelNotes: null,
      });
      continue;
    }
    // Assessing: the panel agreed to assess; advice asked of the school, the educational psychologist
    // and health.
    const decidedOn =
      stage === 'summer'
        ? weekdayOnOrAfter(`${summerYear}-08-24`)
        : schoolDayOnOrBefore(addDays(receivedOn, 34));
    const askedOn =
      stage === 'summer' ? weekdayOnOrAfter(`${summerYear}-07-20`) : weekdayOnOrAfter(addDays(decidedOn, 1));
    await cases(decidedOn).recordDecision(officer, caseId, {
      version: await current(),
      kind: 'assess',
      decidedOn,
      parentsToldOn: decidedOn,
      reasons:
        'The school’s evidence shows needs that may call for provision beyond what it can make from its own resources. The local authority will now gather advice from the school, an educational psychologist and health.',
      panelNotes: null,
    });
    const asked = [
      { source: 'school', askedOf: demo.school.name, schoolId, receivedAfter: 14 },
      {
        source: 'educational_psychologist',
        askedOf: 'Northshire Educational Psychology Service',
        schoolId: null,
        receivedAfter: stage === 'summer' ? 36 : null,
      },
      {
        source: 'health',
        askedOf: 'Northshire Community Paediatrics',
        schoolId: null,
        receivedAfter: stage === 'summer' ? 40 : null,
      },
    ] as const;
    for (const advice of asked) {
      const { adviceId } = await cases(askedOn).askAdvice(officer, caseId, {
        version: await current(),
        source: advice.source,
        askedOf: advice.askedOf,
        schoolId: advice.schoolId,
        requestedOn: askedOn,
        alreadyHeld: false,
        receivedOn: null,
        note: null,
      });
      const receivedAfter = advice.source === 'school' && stage === 'summer' ? 52 : advice.receivedAfter;
      if (receivedAfter === null) continue;
      const came = weekdayOnOrAfter(addDays(askedOn, receivedAfter));
      if (compareIsoDates(came, today) > 0) continue;
      await cases(came).updateAdvice(officer, caseId, adviceId, {
        version: 1,
        requestedOn: askedOn,
        receivedOn: came,
        note: null,
      });
    }
    if (stage !== 'summer') continue;
    // The parent's own request made in July: the school's advice was asked as it closed for the summer
    // (ground (a): the 20 weeks do not bind), the plan agreed, the draft with the parents now.
    const issueOn = weekdayOnOrAfter(`${summerYear}-10-02`);
    await cases(issueOn).recordDecision(officer, caseId, {
      version: await current(),
      kind: 'issue_plan',
      decidedOn: issueOn,
      parentsToldOn: issueOn,
      reasons:
        'The advice gathered shows the child needs special educational provision set out in an EHC plan.',
      panelNotes: 'Agreed by the SEND panel: the draft to set out the provision the advice recommends.',
    });
    // The draft plan, written by the caseworker through the plan service from the case (A and K from
    // what the case gathered), its needs, outcomes and provision written section by section, served on
    // the parents, their comments and the school's answer recorded once their 15 days had run.
    const pupil = demo.pupils.find((p) => p.id === candidate.id)!;
    const draftOn = schoolDayOnOrAfter(`${summerYear}-11-05`);
    const writtenOn = schoolDayOnOrAfter(addDays(issueOn, 7));
    const plans = (day: IsoDate) => createEhcPlanService(database, fixedClock(day));
    const { planId } = await plans(writtenOn).startDraft(officer, caseId);
    const sections = demoPlanSections({
      forename: pupil.forename!,
      need: (pupil.primaryNeed ?? 'SLCN') as NeedCode,
      school: null,
      adviceOn: askedOn,
    });
    const openVersion = () => latestVersionOf(db, organisationId, planId);
    for (const section of ['b', 'c', 'd', 'f', 'g', 'h1', 'h2', 'e', 'j'] as const)
      await plans(writtenOn).saveSection(officer, planId, {
        section,
        value: sections[section],
        versionVersion: await openVersion(),
      });
    await plans(draftOn).sendVersion(officer, planId, {
      sentOn: draftOn,
      versionVersion: await openVersion(),
    });
    const commentedOn = schoolDayOnOrBefore(commentPeriodEnds(draftOn));
    if (compareIsoDates(commentedOn, today) > 0) continue;
    await plans(commentedOn).recordComments(officer, planId, {
      versionVersion: await openVersion(),
      parentsComments:
        'We agree with the needs and provision in the draft. We would like the school our child attends now to be named, and the provision in section F to start as soon as the plan is final.',
      parentsCommentsOn: commentedOn,
      preferredSchool: demo.school.name,
      consultedSchool: demo.school.name,
      consultedOn: draftOn,
      consultedAnswer:
        'The school agrees it can meet the needs set out in the draft and is content to be named.',
    });
  }
  return made;
}
