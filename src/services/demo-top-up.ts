import type { Executor } from '../db/client.ts';
import type { DemoSchool } from '../demo/generate.ts';
import type { Random } from '../demo/random.ts';
import { effectiveNcYear } from '../domain/calendar.ts';
import { addDays, type IsoDate } from '../domain/dates.ts';
import { termPeriod } from '../domain/provision-costs.ts';
import { pupilProvision, thresholdOf } from '../domain/provision-summary.ts';
import { isSchoolDay } from '../domain/school-days.ts';
import { suggestedAmount } from '../domain/top-up.ts';
import { buildTopUpData } from '../domain/top-up-application.ts';
import { receiveFromSchool } from '../repositories/cases.ts';
import { provisionOfPupil, thresholdSettings } from '../repositories/provision.ts';
import {
  currentPlanOfPupil,
  insertTopUpApplication,
  insertTopUpDecision,
  setTopUpCaseStage,
} from '../repositories/top-up.ts';

/*
 * The demo's high-needs top-up funding: of the first school's pupils whose costed provision passes the
 * threshold, one has top-up funding agreed by Northshire that ends next term (its reminder comes six
 * weeks before), and one has an application waiting for Northshire's decision. The others over the
 * threshold have none yet, for the SENCo to apply.
 */
export async function insertDemoTopUps(
  tx: Executor,
  demo: DemoSchool,
  r: Random,
  context: { organisationId: string; officer: { id: string; name: string }; today: IsoDate },
): Promise<{ agreedPupilId: string | null; waitingPupilId: string | null }> {
  const { today } = context;
  const schoolId = demo.school.id;
  const senco = demo.staff.find((s) => s.roles.includes('senco'));
  if (!senco) return { agreedPupilId: null, waitingPupilId: null };
  const threshold = thresholdOf(await thresholdSettings(tx, schoolId));
  const candidates = demo.pupils
    .filter((p) => !p.leftOn && (p.senStage === 'sen_support' || p.senStage === 'ehc_plan'))
    .sort((a, b) => a.surname.localeCompare(b.surname) || a.forename.localeCompare(b.forename));
  const over: {
    pupil: (typeof candidates)[number];
    provision: Awaited<ReturnType<typeof provisionOfPupil>>;
    cost: number;
  }[] = [];
  for (const p of candidates) {
    const provision = await provisionOfPupil(tx, schoolId, p.id!);
    if (provision.length === 0) continue;
    const { costs } = pupilProvision(provision, threshold, today);
    if (costs.topUp) over.push({ pupil: p, provision, cost: costs.academic.pence });
    if (over.length === 2) break;
  }
  const schoolDayBefore = (days: number) => {
    let d = addDays(today, -days);
    while (!isSchoolDay(d)) d = addDays(d, -1);
    return d;
  };
  const onOrBefore = (day: IsoDate) => {
    let d = day;
    while (!isSchoolDay(d)) d = addDays(d, -1);
    return d;
  };
  // Every date the school holds is a school day: the funding ends on the last school day of next term.
  const nextTerm = termPeriod(addDays(termPeriod(today).to, 1));
  const plans = [
    { sentOn: schoolDayBefore(110), decidedOn: schoolDayBefore(80), until: onOrBefore(nextTerm.to) },
    { sentOn: schoolDayBefore(9), decidedOn: null, until: null },
  ];
  const ids: (string | null)[] = [null, null];
  for (const [i, { pupil: p, provision, cost }] of over.entries()) {
    const plan = plans[i]!;
    const amountPence =
      Math.ceil((suggestedAmount(cost, threshold.thresholdPence) ?? 100_000) / 10_000) * 10_000;
    const request = {
      amountPence,
      periodFrom: plan.sentOn,
      periodTo: plan.until ?? onOrBefore(termPeriod(addDays(nextTerm.to, 1)).to),
      rationale:
        'Daily small-group and one-to-one support has moved reading and attention on (see the entry and exit measures). The cost above the threshold is the teaching assistant time that keeps it going; without it the gains of this year would stall.',
    };
    const data = buildTopUpData({
      today: plan.sentOn,
      preparedBy: senco.name,
      school: { name: demo.school.name, urn: demo.school.urn },
      pupil: {
        forename: p.forename,
        surname: p.surname,
        upn: p.upn,
        dateOfBirth: p.dateOfBirth,
        ncYear: effectiveNcYear(p.dateOfBirth, p.ncYearOverride ?? null, today, demo.school.rolledOverTo),
        senStage: p.senStage ?? 'sen_support',
        primaryNeed: p.primaryNeed ?? null,
      },
      plan: await currentPlanOfPupil(tx, schoolId, p.id!),
      provision,
      threshold,
      request,
    });
    const id = r.uuid();
    const caseId = await receiveFromSchool(tx, {
      organisationId: context.organisationId,
      schoolId,
      pupilId: p.id!,
      upn: p.upn,
      kind: 'top_up_funding',
      requestId: id,
      requestedBy: 'school',
      receivedOn: plan.sentOn,
      received: data,
      receivedFileId: null,
      openedBy: senco.id,
    });
    await insertTopUpApplication(tx, {
      schoolId,
      id,
      pupilId: p.id!,
      status: 'sent',
      ...request,
      sentAt: new Date(`${plan.sentOn}T10:00:00Z`),
      sentBy: senco.id,
      sentByName: senco.name,
      sentHow: 'local_authority',
      sentApplication: data,
      organisationId: context.organisationId,
      caseId,
      createdBy: senco.id,
      createdByName: senco.name,
    });
    if (plan.decidedOn && plan.until) {
      await insertTopUpDecision(tx, {
        organisationId: context.organisationId,
        id: r.uuid(),
        caseId,
        outcome: 'agreed',
        decidedOn: plan.decidedOn,
        amountPence,
        band: 'B',
        conditions: 'Entry and exit measures reported at the next review.',
        reasons: 'The plan is well evidenced and the support is working.',
        fundedFrom: plan.sentOn,
        fundedUntil: plan.until,
        decidedBy: context.officer.id,
        decidedByName: context.officer.name,
      });
      await setTopUpCaseStage(tx, context.organisationId, caseId, {
        stage: 'decided',
        closedOn: plan.decidedOn,
        closedReason: 'Agreed',
      });
    }
    ids[i] = p.id!;
  }
  return { agreedPupilId: ids[0] ?? null, waitingPupilId: ids[1] ?? null };
}
