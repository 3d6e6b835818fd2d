import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { ehcPlanVersion, organisationCase } from '../db/schema/index.ts';
import { demoPlanSections } from '../demo/ehc-plans.ts';
import type { DemoSchool } from '../demo/generate.ts';
import type { NeedCode } from '../domain/census.ts';
import { addDays, compareIsoDates, type IsoDate } from '../domain/dates.ts';
import { PLAN_SECTION_KEYS, type PlanSectionKey, type PlanSections } from '../domain/ehc-plan.ts';
import { isSchoolDay } from '../domain/school-days.ts';
import { receiveFromSchool } from '../repositories/cases.ts';
import { createCaseloadService } from './ehc/cases.ts';
import { createEhcPlanService } from './ehc/plans.ts';
import type { Actor } from './kernel/actor.ts';
import { fixedClock } from './kernel/clock.ts';
import { NO_MAIL_CONTEXT } from './kernel/ports.ts';

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

/** The order sections are written in: needs and provision before the outcomes that link them. */
const WRITING_ORDER: PlanSectionKey[] = ['a', 'b', 'c', 'd', 'f', 'g', 'h1', 'h2', 'e', 'j', 'k'];

export interface DemoPlan {
  planId: string;
  caseId: string;
  pupilId: string;
  issuedOn: IsoDate;
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
    const sections = demoPlanSections({
      forename: p.forename!,
      need: (p.primaryNeed ?? 'SLCN') as NeedCode,
      school: { id: demo.school.id, name: demo.school.name, urn: demo.school.urn },
      adviceOn: schoolDayOnOrBefore(addDays(decidedOn, 42)),
    });
    const openVersion = async () =>
      (
        await db
          .select({ version: ehcPlanVersion.version })
          .from(ehcPlanVersion)
          .where(and(eq(ehcPlanVersion.organisationId, organisationId), eq(ehcPlanVersion.planId, planId)))
          .orderBy(ehcPlanVersion.number)
      ).at(-1)!.version;
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
    made.push({ planId, caseId, pupilId: p.id!, issuedOn, sections });
  }
  return made;
}
