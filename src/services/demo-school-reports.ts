import type { Database } from '../db/client.ts';
import type { DemoSchool } from '../demo/generate.ts';
import { academicYearStartOf } from '../domain/calendar.ts';
import { addDays, type IsoDate } from '../domain/dates.ts';
import { isSchoolDay } from '../domain/school-days.ts';
import { GOVERNORS_ANNUAL_ITEMS, SEN_INFORMATION_ITEMS } from '../domain/school-reports.ts';
import { DEFAULT_SUPPRESSION_THRESHOLD } from '../domain/suppression.ts';
import {
  insertSchoolReport,
  publishSchoolReport,
  updateSchoolReportTexts,
} from '../repositories/school-reports.ts';
import { reportFigures } from './school-reports/figures.ts';

/*
 * The demo school's SEN reports: this year's SEN information report drafted by the SENCo, every item
 * written but two (transitions and the local offer), so the checklist shows what is left; and last
 * year's governors' annual SEN report, published in July with its figures frozen as they were then.
 * Deterministic: the ids come from the school's, the words are fixed, the dates follow today.
 */

const SEN_INFORMATION_WORDS: Record<string, string> = {
  kinds_of_sen:
    'We are a mainstream primary school. We provide for pupils with needs in all four broad areas of the SEND Code of Practice: communication and interaction, cognition and learning, social, emotional and mental health, and sensory and/or physical needs.',
  identification:
    'Class teachers track every pupil’s progress each term. Where a pupil is not making the progress expected, the teacher raises a concern with the SENCo, who meets the teacher and the child’s parents. Together we decide whether to monitor, to put extra support in place, or to place the pupil on the SEN register.\n\nWe use assessments from outside services, such as speech and language therapy or the educational psychologist, where they help us understand a need.',
  evaluating_provision:
    'Every intervention is measured at the start and at the end, and checked each half-term. The SENCo reviews what each intervention achieved for what it cost, and the governing body reads the results every year.',
  assessing_progress:
    'Pupils are assessed each term in reading, writing and maths. Each pupil has an expected trajectory for the year; at the half-termly pupil progress meeting the class teacher, SENCo, assessment lead and head teacher discuss every child, and agree what to do for anyone below their trajectory. Support plans are reviewed with parents three times a year.',
  teaching_approach:
    'High-quality teaching, adapted to each class, is the first step for every pupil. We follow the graduated approach: assess, plan, do and review.',
  adaptations:
    'Teachers adapt lessons with visual timetables, word banks, pre-teaching of vocabulary, practical resources and movement breaks. Classrooms have quiet areas, and we adjust seating and lighting for pupils with sensory needs.',
  additional_support:
    'Our interventions include small-group phonics and reading catch-up, precision teaching, speech and language groups, social skills groups, and emotional literacy sessions led by trained teaching assistants. Pupils with an EHC plan receive the provision set out in their plan.',
  inclusion_in_activities:
    'Every pupil takes part in clubs, trips and residential visits. We plan each trip with parents so that any adjustment a pupil needs, such as extra adult support or an accessible venue, is in place beforehand.',
  emotional_social_development:
    'Each class has a daily check-in, and our trained emotional literacy support assistant works with pupils who need more. Pupils’ views are gathered for their support plans. Our anti-bullying policy is taught through PSHE and assemblies, and any incident is followed up the same week.',
  senco:
    'Our SENCo can be contacted through the school office by phone or email, or in person at the start and end of the school day. Appointments can be made at any time.',
  staff_expertise:
    'The SENCo leads training for all staff each term. Teaching assistants receive training in the interventions they deliver. Where we need specialist expertise we work with the local authority’s specialist teachers and outside services.',
  equipment_facilities:
    'We buy equipment a pupil needs, such as writing slopes, ear defenders, coloured overlays or specialist seating, from our SEN budget, and ask the local authority or health services for specialist equipment.',
  consulting_parents:
    'Parents are part of every decision about their child’s support. We meet parents to set and review support plans, invite them to annual reviews, and share progress at parents’ evenings. Parents can contact the SENCo at any time.',
  consulting_pupils:
    'Pupils say what helps them and what they would like to achieve; their views are recorded in their support plan and they are invited to their reviews.',
  complaints:
    'A concern about SEN provision should first be raised with the class teacher or the SENCo. If it is not resolved, it can be raised with the head teacher and then with the governor responsible for SEND, following our complaints policy, which is on our website.',
  other_bodies:
    'We work with the local authority’s SEN team, educational psychology, speech and language therapy, occupational therapy, the school nursing team, CAMHS and early help services. With parents’ consent, we refer pupils to these services and invite them to reviews.',
  support_for_parents:
    'Northshire SENDIAS gives free, impartial advice to parents of children with SEN. The local authority’s local offer lists parent support groups and services.',
  disability_admission:
    'Disabled pupils are admitted on the same basis as all other pupils, under the local authority’s admissions arrangements. We meet parents before a pupil starts to plan any support or adjustments.',
  disability_treatment:
    'We make reasonable adjustments so disabled pupils are not treated less favourably, including adjusting the curriculum, timetables and school routines, and we review our policies for their effect on disabled pupils.',
  disability_facilities:
    'The school is on one level with ramped entrances, an accessible toilet and a hygiene room. We have a hearing loop in the hall.',
  accessibility_plan:
    'Our accessibility plan sets out how we will improve access to the curriculum, the buildings and information over three years. It is reviewed by the governing body each year and published on our website.',
};

const GOVERNORS_WORDS: Record<string, string> = {
  policy_success:
    'The governing body judges that the SEND policy worked well this year. Pupils with SEN made progress against their trajectories, early identification through the half-termly progress meetings brought support sooner, and parents told us they felt listened to.',
  register_numbers:
    'The number of pupils at SEN support rose a little, mostly in communication and interaction.',
  provision_and_impact:
    'Most pupils measured at entry and exit of an intervention made progress. Reading interventions gave the best value for their cost.',
  training_done:
    'All teaching assistants were trained in precision teaching and in supporting autistic pupils.',
  next_priorities:
    'Next year we will extend speech and language support in the early years, train all staff in emotional literacy, and improve transition planning for pupils moving to secondary school.',
};

export async function insertDemoSchoolReports(
  database: Database,
  demo: DemoSchool,
  context: { today: IsoDate },
) {
  const schoolId = demo.school.id;
  const senco = demo.staff.find((s) => s.roles.includes('senco'));
  const head = demo.staff.find((s) => s.roles.includes('head_teacher'));
  if (!senco || !head) return;
  const year = academicYearStartOf(context.today);
  const idOf = (n: number) => `${schoolId.slice(0, 24)}${String(n).padStart(12, '0')}`;
  await database.db.transaction(async (tx) => {
    // This year's SEN information report: every item but two written.
    const draftId = await insertSchoolReport(tx, {
      schoolId,
      id: idOf(181),
      kind: 'sen_information',
      academicYear: year,
      texts: {},
      updatedBy: senco.id,
    });
    const texts = Object.fromEntries(
      SEN_INFORMATION_ITEMS.filter((i) => SEN_INFORMATION_WORDS[i.key]).map((i) => [
        i.key,
        SEN_INFORMATION_WORDS[i.key] as string,
      ]),
    );
    await updateSchoolReportTexts(tx, schoolId, draftId, 1, {
      texts,
      updatedBy: senco.id,
      updatedByName: senco.name,
    });
    // Last year's governors' report, published in July with the figures as they were then.
    let publishedOn = `${year}-07-15` as IsoDate;
    while (!isSchoolDay(publishedOn)) publishedOn = addDays(publishedOn, -1);
    const lastId = await insertSchoolReport(tx, {
      schoolId,
      id: idOf(182),
      kind: 'governors_annual',
      academicYear: year - 1,
      texts: {},
      updatedBy: head.id,
    });
    const words = Object.fromEntries(
      GOVERNORS_ANNUAL_ITEMS.filter((i) => GOVERNORS_WORDS[i.key]).map((i) => [
        i.key,
        GOVERNORS_WORDS[i.key] as string,
      ]),
    );
    await updateSchoolReportTexts(tx, schoolId, lastId, 1, {
      texts: words,
      updatedBy: head.id,
      updatedByName: head.name,
    });
    const figures = await reportFigures(tx, schoolId, year - 1, publishedOn, DEFAULT_SUPPRESSION_THRESHOLD);
    await publishSchoolReport(tx, schoolId, lastId, 2, {
      published: { texts: words, figures },
      publishedBy: head.id,
      publishedAt: new Date(`${publishedOn}T15:30:00Z`),
    });
  });
}
