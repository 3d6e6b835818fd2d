import type { Executor } from '../db/client.ts';
import type { DemoSchool } from '../demo/generate.ts';
import type { Random } from '../demo/random.ts';
import { academicYearStartOf } from '../domain/calendar.ts';
import { AREAS_OF_NEED, type AreaOfNeed, areaOfNeed, isNeedCode } from '../domain/census.ts';
import { addSchoolDays, responseDueOn } from '../domain/complaints.ts';
import { addDays, type IsoDate, parseIsoDate, toIsoDate } from '../domain/dates.ts';
import { isSchoolDay } from '../domain/school-days.ts';
import { qualificationFor } from '../domain/training.ts';
import { insertComplaint, insertComplaintStage } from '../repositories/complaints.ts';
import { insertPlanItem, insertSencoAppointment, insertTraining } from '../repositories/training.ts';

/*
 * The demo's complaints log, staff training and SENCO appointment (issue 18), for the first school:
 *  - two concerns resolved informally; a formal complaint that went to the head teacher and was partly
 *    upheld; one open at the SENCo stage with its response due in a few school days, about a class
 *    teacher's practice (signed in as that teacher, it is nowhere to be seen);
 *  - two years of training for the staff across the areas of need, with one whole-school INSET day;
 *  - this year's training plan, which leaves out the area of need most common on the register (a gap);
 *  - the SENCO appointed about fourteen months ago, the NPQ for SENCOs (or the National Award, by the
 *    date) in progress.
 * Every date counts back from today, so the demo reads the same whichever day it is made.
 */

/** The last school day on or before a day. */
function schoolDayOnOrBefore(day: IsoDate): IsoDate {
  let d = day;
  while (!isSchoolDay(d)) d = addDays(d, -1);
  return d;
}

/** The school day `n` school days before `day`. */
function schoolDaysBefore(day: IsoDate, n: number): IsoDate {
  let d = day;
  let left = n;
  while (left > 0) {
    d = addDays(d, -1);
    if (isSchoolDay(d)) left--;
  }
  return d;
}

function monthsBefore(day: IsoDate, months: number): IsoDate {
  const { year, month, day: dom } = parseIsoDate(day);
  const total = year * 12 + (month - 1) - months;
  return toIsoDate(Math.floor(total / 12), (total % 12) + 1, Math.min(dom, 28));
}

export async function insertDemoComplaintsAndTraining(
  tx: Executor,
  demo: DemoSchool,
  r: Random,
  context: { today: IsoDate },
): Promise<void> {
  const { today } = context;
  const schoolId = demo.school.id;
  const senco = demo.staff.find((s) => s.roles.includes('senco'));
  const head = demo.staff.find((s) => s.roles.includes('head_teacher'));
  if (!senco || !head) return;
  const teachers = demo.staff.filter((s) => s.roles.includes('class_teacher') && !s.roles.includes('senco'));
  const tas = demo.staff.filter((s) => s.roles.includes('teaching_assistant'));
  const year3 = demo.staff.find((s) => s.roles[0] === 'class_teacher' && s.description.includes('Year 3'));
  const onRegister = demo.pupils.filter(
    (p) => !p.leftOn && (p.senStage === 'sen_support' || p.senStage === 'ehc_plan'),
  );
  const classOf = (userId: string) => demo.classTeachers.find((c) => c.userId === userId)?.classId ?? null;
  const pupilIn = (classId: string | null) =>
    onRegister.find((p) => p.classId === classId) ?? onRegister[0] ?? null;
  const id = () => r.uuid();

  // The complaints log.
  const complaintRow = (c: {
    kind: 'concern' | 'formal';
    receivedOn: IsoDate;
    complainantName: string;
    complainantRelationship: string;
    pupilId: string | null;
    summary: string;
    aboutUserIds?: string[];
    stage?: 'senco' | 'head_teacher';
    closed?: { outcome: 'resolved' | 'partly_upheld'; summary: string; on: IsoDate };
  }) => ({
    schoolId,
    id: id(),
    kind: c.kind,
    receivedOn: c.receivedOn,
    complainantName: c.complainantName,
    complainantRelationship: c.complainantRelationship,
    pupilId: c.pupilId,
    summary: c.summary,
    aboutUserIds: c.aboutUserIds ?? [],
    stage: c.stage ?? ('senco' as const),
    status: c.closed ? ('closed' as const) : ('open' as const),
    outcome: c.closed?.outcome ?? null,
    outcomeSummary: c.closed?.summary ?? null,
    closedOn: c.closed?.on ?? null,
    createdBy: senco.id,
    createdByName: senco.name,
  });
  const firstPupil = onRegister[0] ?? null;
  const secondPupil = onRegister[1] ?? null;
  const concernOne = schoolDaysBefore(today, 70);
  const concernTwo = schoolDaysBefore(today, 30);
  const rows = [
    complaintRow({
      kind: 'concern',
      receivedOn: concernOne,
      complainantName: firstPupil ? `Mrs ${firstPupil.surname}` : 'A parent',
      complainantRelationship: firstPupil
        ? `Mother of ${firstPupil.forename} ${firstPupil.surname}`
        : 'Parent',
      pupilId: firstPupil?.id ?? null,
      summary: 'Worried that the reading books sent home are too hard and homework ends in tears.',
      closed: {
        outcome: 'resolved',
        summary: 'Met the SENCo and class teacher; books now matched to the phonics phase taught.',
        on: addSchoolDays(concernOne, 3),
      },
    }),
    complaintRow({
      kind: 'concern',
      receivedOn: concernTwo,
      complainantName: secondPupil ? `Mr ${secondPupil.surname}` : 'A parent',
      complainantRelationship: secondPupil
        ? `Father of ${secondPupil.forename} ${secondPupil.surname}`
        : 'Parent',
      pupilId: secondPupil?.id ?? null,
      summary: 'Was not told that the speech and language group had moved to the afternoons.',
      closed: {
        outcome: 'resolved',
        summary: 'Apologised; the group’s times now go home with the termly provision letter.',
        on: addSchoolDays(concernTwo, 2),
      },
    }),
  ];
  // A formal complaint answered by the SENCo, taken to the head teacher, and partly upheld.
  const formalPupil = onRegister[2] ?? firstPupil;
  const formalStart = schoolDaysBefore(today, 110);
  const sencoAnswered = addSchoolDays(formalStart, 12);
  const headStart = addSchoolDays(sencoAnswered, 4);
  const headAnswered = addSchoolDays(headStart, 13);
  const formal = complaintRow({
    kind: 'formal',
    receivedOn: formalStart,
    complainantName: formalPupil ? `Ms ${formalPupil.surname}` : 'A parent',
    complainantRelationship: formalPupil
      ? `Mother of ${formalPupil.forename} ${formalPupil.surname}`
      : 'Parent',
    pupilId: formalPupil?.id ?? null,
    summary:
      'The one-to-one support in the support plan did not happen for most of last half term, and the parents were not told.',
    stage: 'head_teacher',
    closed: {
      outcome: 'partly_upheld',
      summary:
        'Support was missed for four weeks while a teaching assistant was absent (upheld); the parents had been told at the review (not upheld). The sessions are being made up.',
      on: addSchoolDays(headAnswered, 1),
    },
  });
  rows.push(formal);
  // One open, its response due within a few school days, about the Year 3 class teacher.
  const about = year3 ?? teachers[0];
  const openStart = schoolDaysBefore(schoolDayOnOrBefore(today), 12);
  const openPupil = about ? pupilIn(classOf(about.id)) : firstPupil;
  const open = complaintRow({
    kind: 'formal',
    receivedOn: openStart,
    complainantName: openPupil ? `Mr ${openPupil.surname}` : 'A parent',
    complainantRelationship: openPupil ? `Father of ${openPupil.forename} ${openPupil.surname}` : 'Parent',
    pupilId: openPupil?.id ?? null,
    summary:
      'Their child is regularly kept in at break to finish work, against the support plan’s movement breaks.',
    aboutUserIds: about ? [about.id] : [],
  });
  rows.push(open);
  for (const row of rows) await insertComplaint(tx, row);
  const stage = (
    complaintId: string,
    s: 'senco' | 'head_teacher',
    startedOn: IsoDate,
    handler: { id: string; name: string },
    response: string | null,
    respondedOn: IsoDate | null,
  ) =>
    insertComplaintStage(tx, {
      schoolId,
      id: id(),
      complaintId,
      stage: s,
      startedOn,
      responseDueOn: responseDueOn(startedOn),
      handledBy: handler.id,
      handledByName: handler.name,
      response,
      respondedOn,
    });
  await stage(
    formal.id,
    'senco',
    formalStart,
    senco,
    'The support was missed while a teaching assistant was absent. A new timetable starts next week.',
    sencoAnswered,
  );
  await stage(
    formal.id,
    'head_teacher',
    headStart,
    head,
    'I have looked into this again: the missed support is upheld and will be made up before half term; the review notes show the parents were told.',
    headAnswered,
  );
  await stage(open.id, 'senco', openStart, senco, null, null);

  // Two years of training, with one whole-school INSET day, and this year's plan with a gap.
  const needCounts = new Map<AreaOfNeed, number>();
  for (const p of onRegister) {
    const code = p.primaryNeed;
    const area = code && isNeedCode(code) ? areaOfNeed(code) : null;
    if (area) needCounts.set(area, (needCounts.get(area) ?? 0) + 1);
  }
  const byCount = [...AREAS_OF_NEED].sort((a, b) => (needCounts.get(b) ?? 0) - (needCounts.get(a) ?? 0));
  const gapArea = byCount[0]!;
  const covered = byCount.filter((a) => a !== gapArea);
  const yearStart = academicYearStartOf(today);
  const thisYearFrom = toIsoDate(yearStart, 9, 1);
  const within = (from: IsoDate, to: IsoDate) => {
    const span = Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000));
    return schoolDayOnOrBefore(addDays(from, r.int(0, span)));
  };
  const COURSES: Record<AreaOfNeed | 'general', { course: string; provider: string; hours: number }[]> = {
    communication_and_interaction: [
      { course: 'Attention Autism: bucket time', provider: 'Autism outreach service', hours: 3 },
      { course: 'Colourful Semantics', provider: 'NHS speech and language therapy', hours: 2 },
    ],
    cognition_and_learning: [
      { course: 'Precision teaching for reading', provider: 'Educational psychology service', hours: 2 },
      {
        course: 'Supporting pupils with dyslexia in phonics',
        provider: 'The SENCo (school-based INSET)',
        hours: 1.5,
      },
    ],
    social_emotional_and_mental_health: [
      { course: 'Zones of Regulation', provider: 'Behaviour support team', hours: 3 },
      { course: 'Emotion coaching', provider: 'Mental health support team', hours: 2.5 },
    ],
    sensory_and_physical: [
      { course: 'Supporting pupils with hearing loss', provider: 'Sensory support service', hours: 2 },
      { course: 'Fine motor skills groups', provider: 'NHS occupational therapy', hours: 1.5 },
    ],
    general: [
      {
        course: 'Writing SMART targets for support plans',
        provider: 'The SENCo (school-based INSET)',
        hours: 1,
      },
    ],
  };
  const training: Parameters<typeof insertTraining>[1] = [];
  const record = (
    userId: string,
    area: AreaOfNeed | 'general',
    completedOn: IsoDate,
    course?: { course: string; provider: string; hours: number },
  ) => {
    const c = course ?? r.pick(COURSES[area]);
    training.push({
      schoolId,
      id: id(),
      userId,
      course: c.course,
      completedOn,
      hours: c.hours,
      needArea: area === 'general' ? null : area,
      provider: c.provider,
      notes: null,
      recordedBy: senco.id,
      recordedByName: senco.name,
    });
  };
  const staffInClasses = [...teachers, ...tas];
  // Last year: every area, the gap's included (as it was then).
  const lastFrom = toIsoDate(yearStart - 1, 9, 1);
  const lastTo = toIsoDate(yearStart, 7, 21);
  for (const person of staffInClasses) {
    record(person.id, r.pick([...AREAS_OF_NEED]), within(lastFrom, lastTo));
  }
  record(senco.id, gapArea, within(lastFrom, lastTo));
  // The whole-school INSET day at the start of this year, given by the SENCo (seed 001).
  const insetDay = schoolDayOnOrBefore(addDays(thisYearFrom, 1) > today ? today : addDays(thisYearFrom, 1));
  const insetArea = covered[0]!;
  for (const person of [head, ...staffInClasses]) {
    record(person.id, insetArea, insetDay, {
      course: 'INSET: adaptive teaching for pupils on the SEN register',
      provider: 'The SENCo (school-based INSET)',
      hours: 5,
    });
  }
  // This year: a few courses in the covered areas, none in the gap.
  for (const person of staffInClasses.slice(0, 5)) {
    record(person.id, r.pick(covered), within(thisYearFrom, today));
  }
  record(senco.id, 'general', within(thisYearFrom, today));
  await insertTraining(tx, training);

  // Each planned item's title is one of its own area's (the areas covered differ from school to school).
  const PLANNED: Record<AreaOfNeed, { title: string; audience: string }> = {
    communication_and_interaction: {
      title: 'Speech and language screening with the NHS team',
      audience: 'Early years and Key Stage 1 staff',
    },
    cognition_and_learning: { title: 'Precision teaching refresher', audience: 'All teaching assistants' },
    social_emotional_and_mental_health: {
      title: 'Emotion coaching refresher',
      audience: 'All class teachers and teaching assistants',
    },
    sensory_and_physical: { title: 'Sensory circuits in the morning', audience: 'All teaching assistants' },
  };
  const plannedArea = (a: AreaOfNeed) => ({ ...PLANNED[a], area: a });
  const plan = [
    { ...plannedArea(covered[1] ?? covered[0]!), term: 'spring' as const, status: 'planned' as const },
    { ...plannedArea(covered[2] ?? covered[0]!), term: 'summer' as const, status: 'planned' as const },
    {
      title: 'INSET: adaptive teaching for pupils on the SEN register',
      area: insetArea,
      audience: 'All staff',
      term: 'autumn' as const,
      status: 'done' as const,
    },
  ];
  for (const item of plan) {
    await insertPlanItem(tx, {
      schoolId,
      id: id(),
      academicYear: yearStart,
      title: item.title,
      needArea: item.area,
      audience: item.audience,
      term: item.term,
      status: item.status,
      notes: null,
      createdBy: senco.id,
      createdByName: senco.name,
    });
  }

  // The SENCO, appointed about fourteen months ago, part way through the mandatory qualification.
  const appointedOn = schoolDayOnOrBefore(monthsBefore(today, 14));
  await insertSencoAppointment(tx, {
    schoolId,
    id: id(),
    userId: senco.id,
    appointedOn,
    qualification: qualificationFor(appointedOn),
    startedOn: schoolDayOnOrBefore(addDays(appointedOn, 60)),
    achievedOn: null,
    provider: 'Best Practice Network',
    endedOn: null,
    updatedBy: head.id,
  });
}
