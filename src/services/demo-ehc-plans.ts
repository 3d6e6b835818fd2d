import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { ehcAnnualReview, ehcPlanVersion, ehcReviewDecision, organisationCase } from '../db/schema/index.ts';
import { demoPlanSections, matchPlanToGroups } from '../demo/ehc-plans.ts';
import type { DemoSchool } from '../demo/generate.ts';
import type { NeedCode } from '../domain/census.ts';
import { addDays, compareIsoDates, type IsoDate } from '../domain/dates.ts';
import {
  PLAN_SECTION_KEYS,
  type PlanSectionKey,
  type PlanSections,
  PROVISION_SECTIONS,
} from '../domain/ehc-plan.ts';
import { isSchoolDay } from '../domain/school-days.ts';
import { receiveFromSchool } from '../repositories/cases.ts';
import { createAnnualReviewService } from './ehc/annual-reviews.ts';
import { createCaseloadService } from './ehc/cases.ts';
import { createEhcPlanService } from './ehc/plans.ts';
import { createReviewDecisionService } from './ehc/review-decisions.ts';
import { createSchoolPlanService } from './ehc/school-plans.ts';
import type { Actor } from './kernel/actor.ts';
import { fixedClock } from './kernel/clock.ts';
import { NO_MAIL_CONTEXT } from './kernel/ports.ts';
import { createSettings } from './plans/settings.ts';

/*
 * The demo's EHC plans (docs/adr/0038): every demo pupil whose register says "EHC plan" has one, made
 * by Northshire's caseworker through the services on the days it happened — the school's request
 * received twenty weeks before the register's date, the decision to assess, the draft written section
 * by section, sent to the parents, and issued as final on the day the register records — so that the
 * plan, its version, the case's clock and SEN2 agree with the register.
 */

const schoolDayOnOrBefore = (day: IsoDate): IsoDate => {
  let d = day;
  while (!isSchoolDay(d)) d = addDays(d, -1);
  return d;
};

/** The demo school's SENCo, acting as such (the demo's writes go through the services as a person). */
export function demoSenco(demo: DemoSchool): Actor | null {
  const row = demo.staff.find((s) => s.roles.includes('senco'));
  if (!row) return null;
  return {
    kind: 'staff',
    userId: row.id,
    name: row.name,
    email: row.email,
    roles: ['senco'],
    schoolId: demo.school.id,
    organisationId: null,
    requestId: 'demo',
  };
}

/** The version number of a plan's latest version (the one the next step of the demo's writing acts on). */
export async function latestVersionOf(db: Database['db'], organisationId: string, planId: string) {
  const rows = await db
    .select({ version: ehcPlanVersion.version })
    .from(ehcPlanVersion)
    .where(and(eq(ehcPlanVersion.organisationId, organisationId), eq(ehcPlanVersion.planId, planId)))
    .orderBy(ehcPlanVersion.number);
  return rows.at(-1)!.version;
}

/** The order sections are written in: needs and provision before the outcomes that link them. */
const WRITING_ORDER: PlanSectionKey[] = ['a', 'b', 'c', 'd', 'f', 'g', 'h1', 'h2', 'e', 'j', 'k'];

export interface DemoPlan {
  planId: string;
  caseId: string;
  pupilId: string;
  issuedOn: IsoDate;
  need: NeedCode;
  sections: PlanSections;
}

export async function insertDemoEhcPlans(
  database: Database,
  demo: DemoSchool,
  context: { organisationId: string; officer: Actor; today: IsoDate },
): Promise<DemoPlan[]> {
  const { db } = database;
  const { today, organisationId, officer } = context;
  const made: DemoPlan[] = [];
  const planned = demo.pupils.filter((p) => p.senStage === 'ehc_plan' && !p.leftOn);
  for (const p of planned) {
    const entry = demo.registerEntries.findLast((e) => e.pupilId === p.id && e.stage === 'ehc_plan');
    if (!entry) continue;
    const issuedOn = entry.effectiveDate as IsoDate;
    const receivedOn = schoolDayOnOrBefore(addDays(issuedOn, -133));
    const decidedOn = schoolDayOnOrBefore(addDays(receivedOn, 35));
    const draftOn = schoolDayOnOrBefore(addDays(receivedOn, 84));
    const sentOn = schoolDayOnOrBefore(addDays(receivedOn, 98));
    if (compareIsoDates(issuedOn, today) > 0 || compareIsoDates(addDays(sentOn, 15), issuedOn) > 0) continue;
    const caseId = await receiveFromSchool(db, {
      organisationId,
      schoolId: demo.school.id,
      pupilId: p.id!,
      upn: p.upn!,
      kind: 'ehc_needs_assessment',
      requestId: crypto.randomUUID(),
      requestedBy: 'school',
      receivedOn,
      received: {
        format: 'opensend.ehc-request-pack',
        child: { upn: p.upn, forename: p.forename, surname: p.surname },
        school: { name: demo.school.name },
        coveringStatement:
          'Sent on the authority’s paper form before the school used OpenSEND: the evidence of two years of SEN support is on the case file.',
      },
      receivedFileId: null,
      openedBy: officer.userId,
    });
    const cases = (day: IsoDate) =>
      createCaseloadService(database, fixedClock(day), { suppressionThreshold: 5, mail: NO_MAIL_CONTEXT });
    const caseVersion = async () =>
      (
        await db
          .select({ version: organisationCase.version })
          .from(organisationCase)
          .where(and(eq(organisationCase.organisationId, organisationId), eq(organisationCase.id, caseId)))
      )[0]!.version;
    await cases(decidedOn).recordDecision(officer, caseId, {
      version: await caseVersion(),
      kind: 'assess',
      decidedOn,
      parentsToldOn: decidedOn,
      reasons:
        'The school’s evidence shows needs that may call for provision beyond what it can make from its own resources.',
      panelNotes: null,
    });
    const issueDecidedOn = schoolDayOnOrBefore(addDays(receivedOn, 80));
    await cases(issueDecidedOn).recordDecision(officer, caseId, {
      version: await caseVersion(),
      kind: 'issue_plan',
      decidedOn: issueDecidedOn,
      parentsToldOn: issueDecidedOn,
      reasons:
        'The advice gathered shows that the special educational provision needed cannot reasonably be made from the school’s own resources: the local authority will issue an EHC plan.',
      panelNotes: null,
    });
    const plans = (day: IsoDate) => createEhcPlanService(database, fixedClock(day));
    const { planId } = await plans(draftOn).startDraft(officer, caseId);
    const need = (p.primaryNeed ?? 'SLCN') as NeedCode;
    const sections = demoPlanSections({
      forename: p.forename!,
      need,
      school: { id: demo.school.id, name: demo.school.name, urn: demo.school.urn },
      adviceOn: schoolDayOnOrBefore(addDays(decidedOn, 42)),
    });
    const openVersion = () => latestVersionOf(db, organisationId, planId);
    for (const section of WRITING_ORDER.filter((s) => PLAN_SECTION_KEYS.includes(s))) {
      await plans(draftOn).saveSection(officer, planId, {
        section,
        value: sections[section],
        versionVersion: await openVersion(),
      });
    }
    await plans(sentOn).sendVersion(officer, planId, { sentOn, versionVersion: await openVersion() });
    await plans(issuedOn).saveSection(officer, planId, {
      section: 'i',
      value: sections.i,
      versionVersion: await openVersion(),
    });
    await plans(issuedOn).issueVersion(officer, planId, { issuedOn, versionVersion: await openVersion() });
    made.push({ planId, caseId, pupilId: p.id!, issuedOn, need, sections });
  }
  return made;
}

const VIEWS = {
  pupil:
    'I like my group with Miss Patel best. I still find it hard when the plan for the day changes. I want to go to the same secondary school as my friend.',
  parent:
    'We have seen real progress this year, especially since the new timetable. We would like more help at lunchtimes, which is still the hardest part of the day.',
};

/**
 * The annual reviews of the demo's plans, each done through the services on its days: the school
 * arranges it (invitations three weeks before, advice asked and circulated), holds it (each outcome's
 * progress, each item of provision delivered), sends its report into Northshire's records, and the
 * caseworker decides within four weeks. A plan a year old has had its review; the first school's first
 * reviewed plan is being amended after it; a plan whose review falls due soon is being arranged.
 */
export async function insertDemoAnnualReviews(
  database: Database,
  demo: DemoSchool,
  plans: DemoPlan[],
  context: { organisationId: string; officer: Actor; today: IsoDate; first: boolean },
): Promise<number> {
  const { db } = database;
  const { today, organisationId, officer } = context;
  const senco = demoSenco(demo);
  if (!senco) return 0;
  const reviews = (day: IsoDate) => createAnnualReviewService(database, fixedClock(day));
  const decisions = (day: IsoDate) =>
    createReviewDecisionService(database, fixedClock(day), { mail: NO_MAIL_CONTEXT });
  const versionOf = async (id: string) =>
    (
      await db
        .select({ version: ehcAnnualReview.version, decisionId: ehcAnnualReview.decisionId })
        .from(ehcAnnualReview)
        .where(and(eq(ehcAnnualReview.schoolId, demo.school.id), eq(ehcAnnualReview.id, id)))
    )[0]!;
  const parentName = (pupilId: string) =>
    demo.parents.find((p) => p.pupilId === pupilId && p.parentalResponsibility)?.name ?? 'Parent';
  let made = 0;
  let amended = false;
  let arranging = false;
  for (const plan of plans) {
    // Held about ten months into the plan, well within its twelve.
    const meetingOn = schoolDayOnOrBefore(addDays(plan.issuedOn, 300));
    const decidedOn = schoolDayOnOrBefore(addDays(meetingOn, 21));
    const arrangeOn = schoolDayOnOrBefore(addDays(meetingOn, -35));
    const pupil = demo.pupils.find((p) => p.id === plan.pupilId)!;
    const invitations = (sentOn: IsoDate) => [
      { invitee: 'parent' as const, name: parentName(plan.pupilId), how: 'letter' as const, sentOn },
      {
        invitee: 'pupil' as const,
        name: `${pupil.forename} ${pupil.surname}`,
        how: 'in_person' as const,
        sentOn,
      },
      { invitee: 'local_authority' as const, name: officer.name, how: 'email' as const, sentOn },
    ];
    if (compareIsoDates(decidedOn, today) > 0) {
      // Due soon: the first such review of the first school is being arranged, its meeting ahead.
      if (!context.first || arranging || compareIsoDates(arrangeOn, today) > 0) continue;
      const upcoming = schoolDayOnOrBefore(addDays(today, 24));
      const id = await reviews(today).start(senco, plan.pupilId);
      await reviews(today).saveArrangements(senco, id, (await versionOf(id)).version, {
        meetingOn: upcoming,
        meetingTime: '15:30',
        meetingPlace: 'The SENCo’s room',
        phaseTransfer: false,
        nextSchool: null,
        invitations: invitations(today),
        advice: [{ from: 'Class teacher', askedOn: today, receivedOn: null, circulatedOn: null }],
      });
      arranging = true;
      made++;
      continue;
    }
    const amend = context.first && !amended;
    const id = await reviews(arrangeOn).start(senco, plan.pupilId);
    const invitedOn = schoolDayOnOrBefore(addDays(meetingOn, -21));
    await reviews(invitedOn).saveArrangements(senco, id, (await versionOf(id)).version, {
      meetingOn,
      meetingTime: '09:00',
      meetingPlace: 'The school’s meeting room',
      phaseTransfer: false,
      nextSchool: null,
      invitations: invitations(invitedOn),
      advice: [
        {
          from: 'Class teacher',
          askedOn: arrangeOn,
          receivedOn: schoolDayOnOrBefore(addDays(meetingOn, -18)),
          circulatedOn: schoolDayOnOrBefore(addDays(meetingOn, -15)),
        },
      ],
    });
    await reviews(meetingOn).saveMeeting(senco, id, (await versionOf(id)).version, {
      pupilViews: VIEWS.pupil,
      parentViews: VIEWS.parent,
      attendees: invitations(invitedOn).map(({ invitee, name }) => ({ invitee, name })),
      outcomeReviews: plan.sections.e.outcomes.map((o, i) => ({
        outcomeId: o.id,
        progress: i === 0 ? 'on_track' : 'some',
        evidence:
          i === 0
            ? 'Observed in 7 of the last 10 lessons (class teacher’s record), up from 3 at the start of the year.'
            : 'Some weeks yes, others not: the lunchtime log shows it on 2 days a week on average.',
      })),
      provisionReviews: PROVISION_SECTIONS.flatMap((k) => plan.sections[k].provision).map((p) => ({
        provisionId: p.id,
        delivery: 'as_specified' as const,
        comment: '',
      })),
      proposedChanges: amend
        ? [
            {
              section: 'f' as const,
              text: 'Add support at lunchtime: a structured club with an adult three days a week.',
            },
          ]
        : [],
      recommendation: amend ? 'amend' : 'keep',
      recommendationReasons: amend
        ? 'Lunchtimes remain hard: the plan should add support for them.'
        : 'Good progress toward the outcomes; the provision is working and should continue.',
      held: true,
    });
    const sendOn = schoolDayOnOrBefore(addDays(meetingOn, 7));
    await reviews(sendOn).send(senco, id, (await versionOf(id)).version, {
      fileName: (_r, extension) => `annual-review.${extension}`,
    });
    const { decisionId } = await versionOf(id);
    made++;
    if (!decisionId) continue;
    const [decision] = await db
      .select({ version: ehcReviewDecision.version })
      .from(ehcReviewDecision)
      .where(and(eq(ehcReviewDecision.organisationId, organisationId), eq(ehcReviewDecision.id, decisionId)));
    await decisions(decidedOn).decide(officer, decisionId, {
      version: decision!.version,
      decision: amend ? 'amend' : 'keep',
      decidedOn,
      reasons: amend
        ? 'The local authority agrees to amend section F to add support at lunchtimes; the proposed amendments follow.'
        : 'The plan continues as it is: the provision is meeting the child’s needs.',
      ceaseReason: null,
    });
    if (amend) {
      // The proposed amendments go to the parents with the decision: section F gains lunchtime support.
      amended = true;
      const planService = createEhcPlanService(database, fixedClock(decidedOn));
      const open = async () =>
        (
          await db
            .select({ version: ehcPlanVersion.version })
            .from(ehcPlanVersion)
            .where(
              and(eq(ehcPlanVersion.organisationId, organisationId), eq(ehcPlanVersion.planId, plan.planId)),
            )
            .orderBy(ehcPlanVersion.number)
        ).at(-1)!.version;
      const needId = plan.sections.b.needs.at(-1)?.id;
      await planService.saveSection(officer, plan.planId, {
        section: 'f',
        value: {
          provision: [
            ...plan.sections.f.provision,
            {
              id: 'f-lunch',
              what: 'A structured lunchtime club with an adult, with games taught in advance',
              who: 'A teaching assistant',
              frequency: 'Three lunchtimes a week',
              duration: '30 minutes each time, for the rest of the school year',
              needIds: needId ? [needId] : [],
            },
          ],
        },
        versionVersion: await open(),
      });
      await planService.sendVersion(officer, plan.planId, {
        sentOn: decidedOn,
        versionVersion: await open(),
      });
    }
  }
  return made;
}

/**
 * The SENCo matches each plan's section F to the school's provision map: each item linked, through the
 * school's own service, to the pupil's group now that delivers it (demo/ehc-plans.ts says which
 * interventions deliver which item). What no group of the pupil's delivers is left unlinked, for the
 * page to find. Returns how many links were made.
 */
export async function insertDemoProvisionLinks(
  database: Database,
  demo: DemoSchool,
  plans: DemoPlan[],
  context: { today: IsoDate },
): Promise<number> {
  const { today } = context;
  const senco = demoSenco(demo);
  if (!senco) return 0;
  const service = createSchoolPlanService(database, fixedClock(today), createSettings(database));
  const { groups, members, interventions } = demo.provision;
  const nameOf = new Map(interventions.map((i) => [i.id, i.name]));
  const now = new Map(
    groups
      .filter(
        (g) =>
          compareIsoDates(g.startDate, today) <= 0 && (!g.endDate || compareIsoDates(g.endDate, today) >= 0),
      )
      .map((g) => [g.id, nameOf.get(g.interventionId)!]),
  );
  let made = 0;
  for (const plan of plans) {
    const mine = members
      .filter(
        (m) =>
          m.pupilId === plan.pupilId &&
          now.has(m.groupId) &&
          (!m.leftOn || compareIsoDates(m.leftOn, today) > 0),
      )
      .map((m) => ({ groupId: m.groupId, intervention: now.get(m.groupId)! }));
    for (const link of matchPlanToGroups(plan.need, mine)) {
      await service.linkProvision(senco, plan.pupilId, link);
      made++;
    }
  }
  return made;
}
