import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../src/db/client.ts';
import { organisationCase } from '../../src/db/schema/index.ts';
import { addDays, type IsoDate } from '../../src/domain/dates.ts';
import type { PlanSections } from '../../src/domain/ehc-plan.ts';
import { twelveMonthsEnd } from '../../src/domain/ehc-review-clock.ts';
import { insertPlan, insertPlanVersion } from '../../src/repositories/ehc-plans.ts';
import { buildReceivedCase } from './cases.ts';
import { TODAY } from './common.ts';

/**
 * A plan that holds together: each need in B met by provision in F toward an outcome in E, each item of
 * provision specified and quantified, H1 and H2 in their places. Tests change a copy to break one rule.
 */
export function examplePlanSections(school: {
  id: string | null;
  name: string;
  urn: string | null;
}): PlanSections {
  return {
    a: {
      text: 'Sam loves trains and drawing, and wants to be a train driver. His parents want him to make friends and to read for pleasure.',
    },
    b: {
      needs: [
        {
          id: 'need-language',
          needType: 'SLCN',
          text: 'Sam’s understanding of spoken language is well below that expected for his age (CELF-5 receptive score 72).',
        },
        {
          id: 'need-social',
          needType: 'SLCN',
          text: 'Sam finds it hard to join in play and to take turns in conversation.',
        },
      ],
    },
    c: {
      needs: [
        { id: 'need-glue-ear', needType: null, text: 'Glue ear in both ears, under review by audiology.' },
      ],
    },
    d: { needs: [] },
    e: {
      outcomes: [
        {
          id: 'outcome-instructions',
          text: 'By the end of Key Stage 2, Sam will follow three-part classroom instructions without help in 8 of 10 observed lessons.',
          by: '2028-07-21',
          needIds: ['need-language'],
          provisionIds: ['prov-salt', 'prov-visuals'],
        },
        {
          id: 'outcome-play',
          text: 'By July 2027, Sam will join a game with two classmates and take turns for ten minutes at lunchtime, three days a week.',
          by: '2027-07-21',
          needIds: ['need-social'],
          provisionIds: ['prov-social'],
        },
      ],
    },
    f: {
      provision: [
        {
          id: 'prov-salt',
          what: 'A speech and language programme set by the speech and language therapist, delivered one to one',
          who: 'A teaching assistant trained by the speech and language therapist',
          frequency: 'Three times a week',
          duration: '30 minutes each time, throughout the school year',
          needIds: ['need-language'],
        },
        {
          id: 'prov-visuals',
          what: 'Instructions given with a visual timetable and task cards in every lesson',
          who: 'The class teacher',
          frequency: 'Every lesson',
          duration: 'Throughout the school day, reviewed each term',
          needIds: ['need-language'],
        },
        {
          id: 'prov-social',
          what: 'A small-group social communication programme (Lego-based therapy)',
          who: 'A teaching assistant',
          frequency: 'Twice a week',
          duration: '45 minutes each time, for two terms',
          needIds: ['need-social'],
        },
      ],
    },
    g: {
      provision: [
        {
          id: 'prov-audiology',
          what: 'Hearing review at the audiology clinic',
          who: 'The paediatric audiology service',
          frequency: 'Every six months',
          duration: 'One appointment each time, until discharged',
          needIds: ['need-glue-ear'],
        },
      ],
    },
    h1: { provision: [] },
    h2: { provision: [] },
    i: { schoolId: school.id, name: school.name, urn: school.urn, kind: null },
    j: { text: 'No personal budget has been asked for.' },
    k: {
      advice: [
        {
          id: 'advice-request',
          source: 'request',
          title: 'The school’s request and evidence',
          receivedOn: null,
        },
        {
          id: 'advice-ep',
          source: 'educational_psychologist',
          title: 'Educational psychology advice',
          receivedOn: null,
        },
      ],
    },
  };
}

/**
 * An EHC plan issued as final by the local authority, from a case opened as a school's request opens
 * one: the case closes as the plan is issued (stage plan_issued), and the plan's first review falls
 * due within twelve months.
 */
export async function buildFinalPlan(
  db: Executor,
  pupil: { schoolId: string; id: string; upn: string; forename?: string; surname?: string },
  organisationId: string,
  options: {
    issuedOn?: IsoDate;
    receivedOn?: IsoDate;
    sections?: PlanSections;
    school?: { name: string; urn: string | null };
    createdByName?: string;
  } = {},
) {
  const issuedOn = options.issuedOn ?? TODAY;
  const { caseId } = await buildReceivedCase(db, pupil, organisationId, {
    receivedOn: options.receivedOn ?? issuedOn,
  });
  const planId = randomUUID();
  const sections =
    options.sections ??
    examplePlanSections({
      id: pupil.schoolId,
      name: options.school?.name ?? 'The school',
      urn: options.school?.urn ?? null,
    });
  await insertPlan(db, {
    organisationId,
    id: planId,
    caseId,
    schoolId: pupil.schoolId,
    pupilId: pupil.id,
    upn: pupil.upn,
    status: 'final',
    finalVersion: 1,
    latestVersion: 1,
    startedOn: issuedOn,
    reviewDueOn: twelveMonthsEnd(issuedOn),
    namedSchoolId: sections.i?.schoolId ?? null,
  });
  const versionId = randomUUID();
  await insertPlanVersion(db, {
    organisationId,
    id: versionId,
    planId,
    caseId,
    number: 1,
    stage: 'issued',
    reason: 'new_plan',
    sections,
    sentOn: addDays(issuedOn, -28),
    commentsDueOn: addDays(issuedOn, -14),
    issuedOn,
    createdByName: options.createdByName ?? 'Casey Caseworker',
  });
  await db
    .update(organisationCase)
    .set({
      stage: 'plan_issued',
      finalIssuedOn: issuedOn,
      closedOn: issuedOn,
      closedReason: 'Final plan issued',
    })
    .where(and(eq(organisationCase.organisationId, organisationId), eq(organisationCase.id, caseId)));
  return { planId, caseId, versionId, organisationId, sections };
}
