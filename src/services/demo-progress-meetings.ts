import type { Executor } from '../db/client.ts';
import type { DemoSchool } from '../demo/generate.ts';
import type { Random } from '../demo/random.ts';
import { ROLE_LABELS } from '../domain/access.ts';
import { addDays, type IsoDate } from '../domain/dates.ts';
import type { OutcomeArea } from '../domain/outcomes.ts';
import type { MeetingDecision } from '../domain/progress-meetings.ts';
import { halfTermsUpTo, MEETING_ROLES } from '../domain/progress-meetings.ts';
import { isSchoolDay } from '../domain/school-days.ts';
import { insertConcerns } from '../repositories/concerns.ts';
import { insertOutcome, insertRatings } from '../repositories/outcomes.ts';
import { insertDecisions, insertMeeting } from '../repositories/progress-meetings.ts';

/*
 * The demo's half-termly pupil progress meetings: for each class of the school, a meeting in each of
 * the last three half terms that have begun (the current one held once three weeks of it have passed,
 * else only prepared), with the class teacher, SENCo, head (and assessment lead, where the school has
 * one) there, and decisions about three or four children each: most actions done, the latest open, and
 * one decision that became a concern. Its own random stream, so the rest of the demo stays as it was.
 */

const NOTES: Record<MeetingDecision, readonly string[]> = {
  concern: [
    'Reading has not moved since the summer; struggles to hold sounds in order. Raise a concern with the SENCo.',
    'Finds the start of the afternoon very hard and is often out of the room. Raise a concern about regulation.',
  ],
  provision_change: [
    'Start the phonics catch-up group three mornings a week.',
    'Move from the maths group to precision teaching, ten minutes daily.',
    'Add a daily check-in with the teaching assistant before lessons.',
  ],
  referral: [
    'Ask the speech and language service for an assessment (parents agree).',
    'Refer to the educational psychologist for advice on working memory.',
  ],
  trajectory_change: [
    'Move to small steps in writing: the year group’s standard is not the right target this year.',
    'Raise the reading trajectory to the expected standard: progress since the autumn has been strong.',
  ],
  no_action: ['On track: keep the current support.', 'Good progress this half term; nothing to change.'],
  other: ['Talk to parents at the next parents’ evening about homework routines.'],
};

const DECISIONS: readonly MeetingDecision[] = [
  'provision_change',
  'provision_change',
  'no_action',
  'no_action',
  'referral',
  'trajectory_change',
  'other',
];

export async function insertDemoProgressMeetings(
  tx: Executor,
  demo: DemoSchool,
  r: Random,
  context: { today: IsoDate },
): Promise<void> {
  const { today } = context;
  const schoolId = demo.school.id;
  const senco = demo.staff.find((s) => s.roles.includes('senco'));
  const head = demo.staff.find((s) => s.roles.includes('head_teacher'));
  const lead = demo.staff.find((s) => s.roles.includes('assessment_lead'));
  if (!senco) return;
  const onOrBefore = (day: IsoDate) => {
    let d = day > today ? today : day;
    while (!isSchoolDay(d)) d = addDays(d, -1);
    return d;
  };
  const rolesOf = (roles: readonly string[]) =>
    roles
      .filter((x) => (MEETING_ROLES as readonly string[]).includes(x))
      .map((x) => ROLE_LABELS[x as 'senco']);
  await insertDemoOutcomes(tx, demo, r, { today, onOrBefore, senco });
  let concernGiven = false;
  const halfTerms = halfTermsUpTo(today, 3).reverse();
  const classes = [...demo.classes].filter((c) => !c.archivedAt).sort((a, b) => a.name.localeCompare(b.name));
  for (const c of classes) {
    const teacherId = demo.classTeachers.find((t) => t.classId === c.id)?.userId;
    const teacher = demo.staff.find((s) => s.id === teacherId);
    const pupils = demo.pupils
      .filter((p) => p.classId === c.id && !p.leftOn)
      .sort((a, b) => a.surname.localeCompare(b.surname) || a.forename.localeCompare(b.forename));
    if (pupils.length === 0) continue;
    for (const h of halfTerms) {
      const meetingId = r.uuid();
      const heldOn = onOrBefore(addDays(h.from, 24));
      const held = heldOn >= h.from && addDays(h.from, 21) <= today;
      const attendees = [teacher, senco, lead, head]
        .filter((s): s is NonNullable<typeof s> => Boolean(s))
        .map((s) => ({ userId: s.id, name: s.name, roles: rolesOf(s.roles) }));
      await insertMeeting(tx, {
        schoolId,
        id: meetingId,
        classId: c.id!,
        academicYear: h.academicYear,
        halfTerm: h.halfTerm,
        heldOn: held ? heldOn : null,
        attendees: held ? attendees : [],
        notes: held ? `Each child in ${c.name} discussed; the pupils below their trajectory first.` : null,
        status: held ? 'held' : 'planned',
        createdBy: (lead ?? senco).id,
        createdByName: (lead ?? senco).name,
      });
      if (!held) continue;
      const discussed = new Set<number>();
      const count = Math.min(pupils.length, r.int(3, 4));
      while (discussed.size < count) discussed.add(r.int(0, pupils.length - 1));
      const rows = [];
      for (const i of [...discussed].sort((a, b) => a - b)) {
        const p = pupils[i]!;
        let decision = r.pick(DECISIONS);
        if (!concernGiven && p.senStage === 'none') decision = 'concern';
        const owner = decision === 'no_action' ? null : decision === 'referral' ? senco : (teacher ?? senco);
        const due = owner ? onOrBefore(addDays(heldOn, r.int(14, 28))) : null;
        const dueOn = due && due < heldOn ? heldOn : due;
        const done = dueOn !== null && dueOn < today && r.chance(0.85);
        let concernId: string | null = null;
        if (decision === 'concern') {
          concernGiven = true;
          concernId = r.uuid();
          await insertConcerns(tx, [
            {
              schoolId,
              id: concernId,
              pupilId: p.id!,
              kind: 'send',
              concernDate: heldOn,
              raisedBy: (teacher ?? senco).id,
              raisedByName: (teacher ?? senco).name,
              raisedByRole: 'Class teacher',
              reasons: NOTES.concern[0]!,
              classroomEvidence: `Discussed at the pupil progress meeting for ${c.name} (${h.label}).`,
              areasOfNeed: ['cognition_and_learning'],
              interventionsTried: [],
            },
          ]);
        }
        rows.push({
          schoolId,
          id: r.uuid(),
          meetingId,
          pupilId: p.id!,
          decision,
          notes: r.pick(NOTES[decision]),
          actionOwnerId: owner?.id ?? null,
          actionOwnerName: owner?.name ?? null,
          actionDueOn: dueOn,
          actionDoneAt: done ? new Date(`${dueOn}T15:30:00Z`) : null,
          actionDoneBy: done ? owner!.id : null,
          concernId,
          recordedBy: (lead ?? senco).id,
          recordedByName: (lead ?? senco).name,
        });
      }
      await insertDecisions(tx, rows);
    }
  }
}

const OUTCOMES: readonly [OutcomeArea, string][] = [
  ['independence', 'Gets ready for PE and home time on their own'],
  ['communication', 'Asks an adult for help when stuck, using the help card'],
  ['regulation', 'Uses the calm corner and returns to learning within ten minutes'],
  ['attendance', 'Arrives on time at least four days a week'],
  ['wellbeing', 'Says they feel happy at school on the weekly check-in'],
];

/**
 * Outcomes beyond attainment for a few pupils on SEN support or with an EHC plan: two each, rated at
 * three reviews over the last six months, mostly moving up.
 */
async function insertDemoOutcomes(
  tx: Executor,
  demo: DemoSchool,
  r: Random,
  context: { today: IsoDate; onOrBefore: (d: IsoDate) => IsoDate; senco: { id: string; name: string } },
) {
  const { today, onOrBefore, senco } = context;
  const schoolId = demo.school.id;
  const pupils = demo.pupils
    .filter((p) => !p.leftOn && (p.senStage === 'sen_support' || p.senStage === 'ehc_plan'))
    .sort((a, b) => a.surname.localeCompare(b.surname) || a.forename.localeCompare(b.forename))
    .slice(0, 6);
  const reviews = [addDays(today, -175), addDays(today, -91), addDays(today, -7)].map(onOrBefore);
  for (const [n, p] of pupils.entries()) {
    const chosen = [OUTCOMES[n % OUTCOMES.length]!, OUTCOMES[(n + 2) % OUTCOMES.length]!];
    for (const [area, description] of chosen) {
      const outcomeId = r.uuid();
      await insertOutcome(tx, {
        schoolId,
        id: outcomeId,
        pupilId: p.id!,
        area,
        description,
        startedOn: onOrBefore(addDays(reviews[0]!, -28)),
        createdBy: senco.id,
        createdByName: senco.name,
      });
      let rating = r.int(1, 2);
      await insertRatings(
        tx,
        reviews.map((ratedOn, i) => {
          if (i > 0) rating = Math.min(5, Math.max(1, rating + r.pick([0, 1, 1, 2, -1])));
          return {
            schoolId,
            id: r.uuid(),
            pupilId: p.id!,
            outcomeId,
            rating,
            ratedOn,
            note:
              rating >= 4
                ? 'Doing this most days now'
                : rating <= 1
                  ? 'Not yet: needs an adult each time'
                  : 'With reminders',
            recordedBy: senco.id,
            recordedByName: senco.name,
          };
        }),
      );
    }
  }
}
