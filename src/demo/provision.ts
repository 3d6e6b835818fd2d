import { academicYearStartOf } from '../domain/calendar.ts';
import { type AreaOfNeed, areaOfNeed, type NeedCode } from '../domain/census.ts';
import { addDays, compareIsoDates, type IsoDate, toIsoDate } from '../domain/dates.ts';
import type { MeasureKind } from '../domain/provision.ts';
import { STARTER_INTERVENTIONS } from '../domain/provision-starter.ts';
import { halfTermsOf, isSchoolDay } from '../domain/school-days.ts';
import type { ProvisionRows } from '../repositories/provision.ts';
import { demoPlanDelivery, INDIVIDUAL } from './ehc-plans.ts';
import type { Random } from './random.ts';

/*
 * Three years of provision for a demo school: the starter catalogue; groups delivered by each teaching
 * assistant for the pupils they work with, autumn to February and February to July, the two years
 * before this one (as far back as the plans go) and this year; sessions on school days with some missed; entry and exit measures (a few groups ended without
 * exit measures, a few this half-term without a check, for the SENCo's dashboard); half-termly checks;
 * and a few pupils with an education, health and care plan whose individual support takes them over the
 * high-needs threshold. The maths number sense group works clearly better than the online reading
 * programme, measured the same way.
 */

/** The demo school's provision, as rows ready to insert. */
export type DemoProvision = ProvisionRows;

interface Person {
  id: string;
  name: string;
}

export interface ListedPupil {
  id: string;
  forename: string;
  stage: 'sen_support' | 'ehc_plan';
  primaryNeed: NeedCode | null;
  dateOfBirth: IsoDate;
  /** The day they started at the school (no group before it). */
  admissionDate: IsoDate | null;
}

/** Which starter interventions a pupil with a need in each area is given, in turn. */
const BY_AREA: Record<AreaOfNeed, string[]> = {
  cognition_and_learning: [
    'Maths number sense group',
    'Online reading programme',
    'Phonics catch-up group',
    'Spelling group',
    'One-to-one reading',
  ],
  communication_and_interaction: [
    'Small-group language programme',
    'Speech sound practice',
    'Social skills group',
  ],
  social_emotional_and_mental_health: ['Emotional literacy support', 'Nurture breakfast group'],
  sensory_and_physical: ['Sensory circuits', 'Fine motor skills group', 'Gross motor skills programme'],
};

/** Progress for an intervention over a block: the number sense group works, the online programme barely. */
function exitFor(r: Random, name: string, kind: MeasureKind, entry: number, months: number): number {
  switch (kind) {
    case 'standardised_score':
      return name === 'Maths number sense group' ? entry + r.int(5, 12) : entry + r.int(-3, 3);
    case 'age_months':
      return entry + Math.max(0, Math.round(months * (r.int(10, 30) / 10)));
    case 'rating':
      return Math.min(5, entry + r.int(0, 2));
    case 'named_assessment':
      return entry + r.int(1, 12);
    case 'named_assessment_lower':
      return Math.max(0, entry - r.int(0, 7));
  }
}

function entryFor(r: Random, kind: MeasureKind, ageMonths: number): number {
  switch (kind) {
    case 'standardised_score':
      return r.int(70, 86);
    case 'age_months':
      return Math.max(24, ageMonths - r.int(12, 30));
    case 'rating':
      return r.int(1, 3);
    case 'named_assessment':
      return r.int(10, 40);
    case 'named_assessment_lower':
      return r.int(15, 28);
  }
}

function monthsBetween(from: IsoDate, to: IsoDate): number {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return (ty - fy) * 12 + (tm - fm);
}

/** The school day on or before `date` (`after`: on or after): every dated event of the demo falls on one. */
function schoolDay(date: IsoDate, direction: 'before' | 'after' = 'before'): IsoDate {
  let d = date;
  while (!isSchoolDay(d)) d = addDays(d, direction === 'before' ? -1 : 1);
  return d;
}

/** The school days from `from` to `to` on which a group meeting `perWeek` times a week meets. */
function meetingDays(from: IsoDate, to: IsoDate, perWeek: number): IsoDate[] {
  const days: IsoDate[] = [];
  const weekdays = Math.min(5, perWeek);
  for (let d = from; compareIsoDates(d, to) <= 0; d = addDays(d, 1)) {
    const weekday = (new Date(`${d}T12:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
    if (weekday < weekdays && isSchoolDay(d)) days.push(d);
  }
  return days;
}

export function generateDemoProvision(
  r: Random,
  options: {
    schoolId: string;
    today: IsoDate;
    senco: Person;
    tas: Person[];
    /** Each teaching assistant's pupils on the register. */
    pupilsOf: Map<string, ListedPupil[]>;
  },
): DemoProvision {
  const { schoolId, today } = options;
  const out: DemoProvision = {
    interventions: [],
    groups: [],
    members: [],
    sessions: [],
    attendance: [],
    checks: [],
    checkPupils: [],
  };
  const catalogue = new Map<string, (typeof STARTER_INTERVENTIONS)[number] & { id: string }>();
  for (const i of STARTER_INTERVENTIONS) {
    const row = { ...i, id: r.uuid() };
    catalogue.set(i.name, row);
    out.interventions.push({ schoolId, ...row, source: 'starter' });
  }
  const individual = {
    id: r.uuid(),
    name: INDIVIDUAL,
    area: 'social_emotional_and_mental_health' as const,
    description:
      'A teaching assistant works with one pupil for much of the school day, as their plan sets out.',
    evidenceBase: null,
    usualDeliverer: 'teaching_assistant' as const,
    usualGroupSize: 1,
    sessionsPerWeek: 5,
    minutesPerSession: 150,
    costModel: 'staff_time' as const,
    fixedCostPence: null,
    measureKind: 'rating' as const,
    measureName: null,
  };
  out.interventions.push({ schoolId, ...individual, source: 'school' });

  const thisYear = academicYearStartOf(today);
  const blocks: { from: IsoDate; to: IsoDate }[] = [];
  for (const y of [thisYear - 2, thisYear - 1, thisYear]) {
    blocks.push({ from: schoolDay(toIsoDate(y, 9, 15), 'after'), to: schoolDay(toIsoDate(y + 1, 2, 6)) });
    blocks.push({
      from: schoolDay(toIsoDate(y + 1, 2, 23), 'after'),
      to: schoolDay(toIsoDate(y + 1, 7, 10)),
    });
  }

  const addGroup = (
    kind: {
      id: string;
      name: string;
      measureKind: MeasureKind;
      sessionsPerWeek: number;
      minutesPerSession: number;
    },
    name: string,
    deliverer: Person,
    pupils: ListedPupil[],
    block: { from: IsoDate; to: IsoDate },
    location: string,
    agency: string | null,
  ) => {
    const groupId = r.uuid();
    const ended = compareIsoDates(block.to, today) < 0;
    const last = ended ? block.to : today;
    out.groups.push({
      schoolId,
      id: groupId,
      interventionId: kind.id,
      name,
      delivererId: deliverer.id,
      delivererName: deliverer.name,
      delivererKind: 'teaching_assistant',
      startDate: block.from,
      endDate: ended ? block.to : null,
      sessionsPerWeek: kind.sessionsPerWeek,
      minutesPerSession: kind.minutesPerSession,
      location,
      agency,
    });
    const skipExit = ended && r.chance(0.08);
    const spells = pupils.map((p) => {
      // A few pupils leave a group early (moved on to something else): the SENCo records it. The others
      // stay until the group ends, which is the group's end date, not a leaving of their own.
      const leftOn =
        ended && pupils.length > 1 && r.chance(0.08) ? schoolDay(addDays(block.from, r.int(30, 70))) : null;
      const until = leftOn ?? last;
      const ageMonths = monthsBetween(p.dateOfBirth, block.from);
      const entry = entryFor(r, kind.measureKind, ageMonths);
      const measuredExit = (leftOn !== null || ended) && !skipExit;
      const exitOn = leftOn ?? block.to;
      out.members.push({
        schoolId,
        id: r.uuid(),
        groupId,
        pupilId: p.id,
        joinedOn: block.from,
        leftOn,
        // The SENCo starts the groups and moves pupils in and out (provision.manage); the assistant delivers.
        addedByName: options.senco.name,
        leftByName: leftOn ? options.senco.name : null,
        entryMeasure: entry,
        entryMeasuredOn: block.from,
        exitMeasure: measuredExit
          ? exitFor(r, kind.name, kind.measureKind, entry, monthsBetween(block.from, exitOn))
          : null,
        exitMeasuredOn: measuredExit ? exitOn : null,
      });
      return { pupil: p, until };
    });
    for (const day of meetingDays(block.from, last, kind.sessionsPerWeek)) {
      // Now and then a session does not happen (a trip, an assembly, the deliverer away).
      if (r.chance(0.06)) continue;
      const sessionId = r.uuid();
      out.sessions.push({
        schoolId,
        id: sessionId,
        groupId,
        heldOn: day,
        note: null,
        recordedBy: deliverer.id,
        recordedByName: deliverer.name,
      });
      for (const s of spells) {
        if (compareIsoDates(day, s.until) > 0) continue;
        out.attendance.push({ schoolId, sessionId, pupilId: s.pupil.id, present: !r.chance(0.09) });
      }
    }
    // Half-termly checks: each half-term that ended while the group ran (most groups also this one).
    for (const half of [
      ...halfTermsOf(thisYear - 2),
      ...halfTermsOf(thisYear - 1),
      ...halfTermsOf(thisYear),
    ]) {
      const on = schoolDay(addDays(half.to, -7));
      if (compareIsoDates(on, block.from) < 0 || compareIsoDates(on, last) > 0) continue;
      const checkId = r.uuid();
      const stop = ended && compareIsoDates(half.to, block.to) >= 0;
      out.checks.push({
        schoolId,
        id: checkId,
        groupId,
        checkedOn: on,
        decision: stop ? 'stop' : r.chance(0.85) ? 'continue' : 'alter',
        notes: null,
        checkedBy: options.senco.id,
        checkedByName: options.senco.name,
      });
      for (const s of spells) {
        if (compareIsoDates(on, s.until) > 0) continue;
        out.checkPupils.push({
          schoolId,
          checkId,
          pupilId: s.pupil.id,
          expectedProgress: kind.name === 'Online reading programme' ? r.chance(0.4) : r.chance(0.8),
          note: null,
        });
      }
    }
  };

  const LOCATIONS = ['Library', 'Group room', 'Quiet room', 'Hall', 'Outdoor classroom'];
  options.tas.forEach((ta, taIndex) => {
    const pupils = options.pupilsOf.get(ta.id) ?? [];
    blocks.forEach((block, blockIndex) => {
      if (compareIsoDates(block.from, today) > 0) return;
      const byArea = new Map<AreaOfNeed, ListedPupil[]>();
      for (const p of pupils) {
        if (p.admissionDate && compareIsoDates(p.admissionDate, block.from) > 0) continue;
        const area = p.primaryNeed ? areaOfNeed(p.primaryNeed) : null;
        if (!area) continue;
        byArea.set(area, [...(byArea.get(area) ?? []), p]);
      }
      for (const [area, inArea] of byArea) {
        const names = BY_AREA[area];
        const name = names[(taIndex + blockIndex) % names.length]!;
        const kind = catalogue.get(name)!;
        const size = Math.max(1, Math.min(kind.usualGroupSize, 6));
        for (let i = 0; i < inArea.length; i += size) {
          const chunk = inArea.slice(i, i + size);
          addGroup(
            kind,
            chunk.length === 1 ? `${name}: ${chunk[0]!.forename}` : `${name} (${ta.name.split(' ')[0]})`,
            ta,
            chunk,
            block,
            r.pick(LOCATIONS),
            null,
          );
        }
      }
    });
  });

  // Individual support and speech and language therapy for a few pupils with a plan, this year.
  const withPlans = [...options.pupilsOf.entries()]
    .flatMap(([taId, ps]) => ps.filter((p) => p.stage === 'ehc_plan').map((p) => ({ taId, p })))
    .slice(0, 3);
  const salt = catalogue.get('Speech and language therapy')!;
  for (const { taId, p } of withPlans) {
    const ta = options.tas.find((t) => t.id === taId)!;
    const from = schoolDay(toIsoDate(thisYear, 9, 8), 'after');
    if (compareIsoDates(from, today) > 0) continue;
    const year = { from, to: schoolDay(toIsoDate(thisYear + 1, 7, 17)) };
    addGroup(individual, `Individual support: ${p.forename}`, ta, [p], year, 'Classroom', null);
    addGroup(
      salt,
      `Speech and language therapy: ${p.forename}`,
      ta,
      [p],
      year,
      'Quiet room',
      'NHS speech and language therapy service',
    );
  }

  // What each plan's section F requires and none of the pupil's groups this year delivers: the school
  // starts it this year, one item at a time, with the pupil's own assistant (a visiting therapist for
  // speech and language therapy). What no group delivers (equipment, a visiting service, the class
  // teacher's own teaching) is left to the page that finds it.
  const yearFrom = schoolDay(toIsoDate(thisYear, 9, 8), 'after');
  if (compareIsoDates(yearFrom, today) <= 0) {
    const year = { from: yearFrom, to: schoolDay(toIsoDate(thisYear + 1, 7, 17)) };
    const interventionOf = new Map(out.groups.map((g) => [g.id, g.interventionId]));
    const nameOf = new Map(out.interventions.map((i) => [i.id, i.name]));
    const ongoing = new Set(out.groups.filter((g) => g.endDate === null).map((g) => g.id));
    for (const [taId, ps] of options.pupilsOf) {
      const ta = options.tas.find((t) => t.id === taId)!;
      for (const p of ps.filter((x) => x.stage === 'ehc_plan')) {
        if (p.admissionDate && compareIsoDates(p.admissionDate, year.from) > 0) continue;
        const has = new Set(
          out.members
            .filter((m) => m.pupilId === p.id && !m.leftOn && ongoing.has(m.groupId))
            .map((m) => nameOf.get(interventionOf.get(m.groupId)!)!),
        );
        for (const item of demoPlanDelivery(p.primaryNeed ?? 'SLCN')) {
          const first = item.interventions[0];
          if (!first || item.interventions.some((name) => has.has(name))) continue;
          const external = first === 'Speech and language therapy';
          addGroup(
            first === INDIVIDUAL ? individual : catalogue.get(first)!,
            first === INDIVIDUAL ? `Individual support: ${p.forename}` : `${first}: ${p.forename}`,
            ta,
            [p],
            year,
            first === INDIVIDUAL ? 'Classroom' : r.pick(LOCATIONS),
            external ? 'NHS speech and language therapy service' : null,
          );
          has.add(first);
        }
      }
    }
  }
  return out;
}
