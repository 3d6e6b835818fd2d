import { rolesLabel, type SchoolRole } from '../domain/access.ts';
import { STARTER_BANK } from '../domain/bank-starter.ts';
import { academicYearStartOf, effectiveNcYear, ncYearLabel } from '../domain/calendar.ts';
import { type AreaOfNeed, areaOfNeed, type NeedCode } from '../domain/census.ts';
import { type IsoDate, toIsoDate } from '../domain/dates.ts';
import {
  type LetterKind,
  type MergeInput,
  mergeValues,
  namesInText,
  renderTemplate,
  type SentVia,
  STARTER_TEMPLATES,
} from '../domain/letters.ts';
import {
  carriesForward,
  decisionAction,
  decisionStartsNewPlan,
  defaultReviewDate,
  type PlanStatus,
  type ProgressJudgement,
  personalise,
  pupilSnapshot,
  type ReviewDecision,
  type TargetOutcome,
} from '../domain/plans.ts';
import type { SenStage } from '../domain/register.ts';
import { dayNumber, fromDayNumber, isSchoolDay } from '../domain/school-days.ts';
import {
  CHECK_MARGIN_DAYS,
  type CheckProgress,
  checkPointsBetween,
  type TargetCheckItem,
  type TargetCheckPoint,
} from '../domain/target-checks.ts';
import type { LetterHistoryRows, LetterInsert } from '../repositories/letters.ts';
import type { PlanHistoryRows, PlanInsert, TargetInsert } from '../repositories/plans.ts';
import type { ProvisionRows } from '../repositories/provision.ts';
import { DEFAULT_SETTINGS } from '../services/plans/settings.ts';
import {
  ACCESS_RESOURCES,
  ANY_TARGET_NOTES,
  AT_HOME,
  CHECK_NOTES,
  CONCERNS,
  CONTRIBUTION,
  DECISION_NOTES,
  EARLY_EHC_REQUEST,
  EHC_OUTCOME_INTRO,
  EVIDENCE,
  fill,
  HANDWRITTEN_TARGETS,
  IMPORTANT_TO_ME,
  LESSONS,
  LIKE_AND_ADMIRE,
  OUTCOMES,
  PARENT_VIEWS,
  PLAN_NOTES,
  PUPIL_VIEWS,
  progressTone,
  REVIEW_PARENT_VIEWS,
  REVIEW_PUPIL_VIEWS,
  SENCO_NOTES,
  SPECIALISTS,
  STRENGTHS,
  SUPPORT_ME,
  TA_SUPPORT,
  TARGET_NOTES,
  TARGET_TECHNIQUES,
  TECHNIQUES,
} from './plan-texts.ts';
import type { Random } from './random.ts';

/*
 * Two years of the graduated approach for a demo school, as the plan and letter services would have
 * written it: for each pupil placed at SEN support (and every pupil with an EHC plan), one support plan
 * a term from the day they were placed, each agreed with the parents, annotated by the class teacher
 * and the teaching assistant, reviewed by the SENCo with an outcome for every target, the targets not
 * met carried into the next plan; the current plan in place (a few due for review, a few overdue, a few
 * still drafts); the reviews that led to an EHC needs assessment; pupils who left the register leaving
 * through a review; a one-page profile for most; the Appendix D letter when a pupil was placed, review
 * invitations, plans sent home and leaving letters, with most slips back and some outstanding.
 *
 * What the plans gained later comes from a second stream of its own (`later`), so that everything above
 * stays as it was for a seed: who agreed and who closed each plan, the pupil as a closed plan knew them,
 * the school's setting for half-termly target checks and the checks it says were due.
 */

export interface HistoryPerson {
  id: string;
  name: string;
  roles: SchoolRole[];
}

export interface HistoryPupil {
  id: string;
  forename: string;
  surname: string;
  preferredName: string | null;
  dateOfBirth: IsoDate;
  sex: string;
  classId: string | null;
  ncYearOverride: number | null;
  senStage: SenStage;
}

export interface HistoryRegisterEntry {
  id: string;
  pupilId: string;
  effectiveDate: IsoDate;
  stage: SenStage;
  primaryNeed: NeedCode | null;
  secondaryNeed: NeedCode | null;
  concernId: string | null;
}

export interface HistoryInput {
  schoolId: string;
  schoolName: string;
  today: IsoDate;
  senco: HistoryPerson;
  office: HistoryPerson;
  /** Everyone on the staff, by id (class teachers, assistants…). */
  staff: HistoryPerson[];
  classes: { id: string; name: string; ncYear: number }[];
  classTeachers: { classId: string; userId: string }[];
  pupils: HistoryPupil[];
  parents: {
    id: string;
    pupilId: string;
    name: string;
    relationship: string;
    email: string | null;
    parentalResponsibility: boolean;
  }[];
  registerEntries: HistoryRegisterEntry[];
  assignments: { pupilId: string; userId: string }[];
  provision: ProvisionRows;
}

export interface DemoHistory {
  plans: PlanHistoryRows;
  letters: LetterHistoryRows;
  /** Register entries written by a plan review (leaving the register): what the review wrote. */
  registerByReview: Map<string, { reason: string; source: 'register_review' }>;
}

const { planName, maxTargets, reviewInterval } = DEFAULT_SETTINGS;

// School days (remembered: the same few hundred days are asked about again and again)

const dayNumbers = new Map<IsoDate, number>();
const dates = new Map<number, IsoDate>();
const schoolDays = new Map<number, boolean>();
function dayOf(date: IsoDate): number {
  let n = dayNumbers.get(date);
  if (n === undefined) {
    n = dayNumber(date);
    dayNumbers.set(date, n);
  }
  return n;
}
function dateOf(n: number): IsoDate {
  let d = dates.get(n);
  if (d === undefined) {
    d = fromDayNumber(n);
    dates.set(n, d);
  }
  return d;
}
function isSchool(n: number): boolean {
  let yes = schoolDays.get(n);
  if (yes === undefined) {
    yes = isSchoolDay(dateOf(n));
    schoolDays.set(n, yes);
  }
  return yes;
}
const plusDays = (date: IsoDate, days: number) => dateOf(dayOf(date) + days);

function schoolDayOnOrAfter(date: IsoDate): IsoDate {
  let n = dayOf(date);
  while (!isSchool(n)) n++;
  return dateOf(n);
}

function schoolDayOnOrBefore(date: IsoDate): IsoDate {
  let n = dayOf(date);
  while (!isSchool(n)) n--;
  return dateOf(n);
}

function addSchoolDays(date: IsoDate, days: number): IsoDate {
  let n = dayOf(date);
  let left = days;
  while (left > 0) {
    n++;
    if (isSchool(n)) left--;
  }
  return dateOf(n);
}

/** School days after `from` up to and including `to`. */
function schoolDaysFrom(from: IsoDate, to: IsoDate): number {
  let count = 0;
  for (let n = dayOf(from) + 1; n <= dayOf(to); n++) if (isSchool(n)) count++;
  return count;
}

const daysBetween = (from: IsoDate, to: IsoDate) => dayOf(to) - dayOf(from);

/** Each school year's half-termly check points (the same for every plan: worked out once). */
const checkPointsOfYear = new Map<number, TargetCheckPoint[]>();
/**
 * A plan's half-termly check points: domain/target-checks.ts' targetCheckPoints (the half-terms whose
 * check falls due from two weeks after the start to two weeks before the review), from the year's points.
 */
function planCheckPoints(start: IsoDate, reviewDate: IsoDate): TargetCheckPoint[] {
  const from = plusDays(start, CHECK_MARGIN_DAYS);
  const to = plusDays(reviewDate, -CHECK_MARGIN_DAYS);
  const points: TargetCheckPoint[] = [];
  for (let year = academicYearStartOf(from); year <= academicYearStartOf(to); year++) {
    let ofYear = checkPointsOfYear.get(year);
    if (!ofYear) {
      ofYear = checkPointsBetween(toIsoDate(year, 9, 1), toIsoDate(year + 1, 8, 31));
      checkPointsOfYear.set(year, ofYear);
    }
    points.push(...ofYear.filter((x) => x.dueOn >= from && x.dueOn <= to));
  }
  return points;
}
const minDate = (a: IsoDate, b: IsoDate) => (a < b ? a : b);
const maxDate = (a: IsoDate, b: IsoDate) => (a > b ? a : b);

/** A school day from `from` to `to` (both included), or null when there is none. */
function schoolDayBetween(r: Random, from: IsoDate, to: IsoDate): IsoDate | null {
  if (to < from) return null;
  const first = dayOf(from);
  const span = daysBetween(from, to);
  for (let tries = 0; tries < 8; tries++) {
    const n = first + r.int(0, span);
    if (isSchool(n)) return dateOf(n);
  }
  const next = schoolDayOnOrAfter(from);
  return next <= to ? next : null;
}

/**
 * A moment on a day, in school hours (stored as UTC: close enough to the time in England); on `today`
 * just after midnight, so that nothing is stamped later than the moment the demo is made.
 */
function at(date: IsoDate, hour: number, minute: number, today: IsoDate): Date {
  const h = date >= today ? 0 : hour;
  return new Date(`${date}T${String(h).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00Z`);
}

// The pupil's school life

interface Cycle {
  createdOn: IsoDate;
  createdBy: HistoryPerson;
  start: IsoDate;
  reviewDate: IsoDate;
  /** Null while the plan is a draft. */
  agreedOn: IsoDate | null;
  /** Null for the plan in force or a draft. */
  heldOn: IsoDate | null;
  status: PlanStatus;
}

const AREAS: AreaOfNeed[] = [
  'communication_and_interaction',
  'cognition_and_learning',
  'social_emotional_and_mental_health',
  'sensory_and_physical',
];

function areasOf(primary: NeedCode | null, secondary: NeedCode | null): AreaOfNeed[] {
  const areas = [primary, secondary]
    .map((c) => (c ? areaOfNeed(c) : null))
    .filter((a): a is AreaOfNeed => a !== null);
  const unique = [...new Set(areas)];
  return unique.length > 0 ? unique : ['cognition_and_learning'];
}

/** "Mrs Shah", as children and parents say a member of staff's name. */
function titled(person: { name: string }, women: ReadonlySet<string>): string {
  const [first = '', ...rest] = person.name.split(' ');
  const surname = rest.join(' ') || first;
  if (!women.has(first)) return `Mr ${surname}`;
  return `${['Mrs', 'Miss', 'Ms'][first.length % 3]} ${surname}`;
}

type WorkingTarget = TargetInsert & { carried: number };

/** The last day of the term (19 December, 31 March, 21 July: the usual holidays of school-days.ts) on or after a date. */
function termEndOnOrAfter(date: IsoDate): IsoDate {
  const y = Number(date.slice(0, 4));
  const ends = [toIsoDate(y, 3, 31), toIsoDate(y, 7, 21), toIsoDate(y, 12, 19), toIsoDate(y + 1, 3, 31)];
  return ends.find((e) => e >= date)!;
}

/**
 * When a plan starting on `start` is to be reviewed: in the last month of a term at least nine weeks
 * away (many schools review towards the end of each term), or (`rolling`) after 11 to 13 school weeks.
 */
function reviewDateFor(r: Random, start: IsoDate, rolling: boolean): IsoDate {
  if (!rolling) return schoolDayOnOrBefore(plusDays(termEndOnOrAfter(plusDays(start, 63)), -r.int(0, 30)));
  return addSchoolDays(start, r.int(55, 65));
}

/** The day a review was held: on or near its date (a few days either side), on a school day. */
function heldOnFor(r: Random, start: IsoDate, reviewDate: IsoDate, today: IsoDate): IsoDate {
  const near = plusDays(reviewDate, r.int(-3, 6));
  const held = isSchool(dayOf(near)) ? near : schoolDayOnOrBefore(near);
  return minDate(maxDate(held, schoolDayOnOrAfter(plusDays(start, 28))), schoolDayOnOrBefore(today));
}
type Tone = 'good' | 'mixed' | 'hard';

/** A plan started on a day (as the service starts one: that day, reviewed 12 weeks on) and not yet agreed. */
function draftCycle(createdOn: IsoDate, createdBy: HistoryPerson): Cycle {
  return {
    createdOn,
    createdBy,
    start: createdOn,
    // The service's default, moved to a school day (no review is set for a weekend or a holiday).
    reviewDate: schoolDayOnOrBefore(defaultReviewDate(createdOn, reviewInterval)),
    agreedOn: null,
    heldOn: null,
    status: 'draft',
  };
}

/**
 * The plans of a pupil still on the register (or the monitoring list), from the first to the one in
 * force today: one a term, each reviewed on or near its review date and the next drafted at the review;
 * the last in place (its review to come, due soon, or overdue and perhaps started), or still a draft
 * when the review was days ago or the pupil was only just placed (or no plan at all yet). A school puts
 * off a few reviews (`postponements`: the first reviews it meets that fell due in the last five weeks).
 */
function cyclesToToday(
  r: Random,
  school: { postponements: number },
  rolling: boolean,
  firstCreated: IsoDate,
  startedBy: HistoryPerson,
  sincePlaced: number,
  today: IsoDate,
  senco: HistoryPerson,
): Cycle[] {
  const draft = draftCycle;
  // Placed in the last few weeks: the first plan is being written (or not yet started).
  if (sincePlaced < 21 && r.chance(0.3)) return [];
  if (sincePlaced < 14 || (sincePlaced <= 75 && r.chance(0.5))) return [draft(firstCreated, startedBy)];
  const cycles: Cycle[] = [];
  let createdOn = firstCreated;
  let createdBy = startedBy;
  // The first plan starts when it is agreed with the parents, a week or two after it was started.
  let start = minDate(addSchoolDays(firstCreated, r.int(3, 10)), schoolDayOnOrBefore(today));
  let agreedOn: IsoDate | null = start;
  for (;;) {
    const reviewDate = reviewDateFor(r, start, rolling);
    const late = reviewDate < today ? schoolDaysFrom(reviewDate, today) : 0;
    // The plan in force: its review is still to come, or has just passed (half of those not yet held),
    // or now and then is weeks late.
    const postponed = late > 0 && late <= 25 && (r.chance(0.1) || school.postponements > 0);
    if (reviewDate >= today || (late <= 2 && r.chance(0.3)) || postponed) {
      if (postponed && school.postponements > 0) school.postponements--;
      if (!agreedOn || agreedOn > today) return [...cycles, draft(createdOn, createdBy)];
      const status: PlanStatus = late > 0 && r.chance(0.3) ? 'in_review' : 'active';
      return [...cycles, { createdOn, createdBy, start, reviewDate, agreedOn, heldOn: null, status }];
    }
    const heldOn = heldOnFor(r, start, reviewDate, today);
    cycles.push({ createdOn, createdBy, start, reviewDate, agreedOn, heldOn, status: 'closed' });
    // The review drafts the next plan that day (the SENCo records it); it is agreed at the meeting or in
    // the days after, and one drafted at a review days ago may not be agreed yet.
    createdOn = heldOn;
    createdBy = senco;
    start = heldOn;
    agreedOn =
      schoolDaysFrom(heldOn, today) <= 8 && r.chance(0.15)
        ? null
        : r.chance(0.5)
          ? heldOn
          : addSchoolDays(heldOn, r.int(1, 6));
  }
}

/**
 * The plans of a pupil who left the register through a review: one a term from the first, the last
 * reviewed on the day the pupil left (early or late against its review date, as it fell).
 */
function cyclesUntil(
  r: Random,
  rolling: boolean,
  firstCreated: IsoDate,
  startedBy: HistoryPerson,
  until: IsoDate,
  senco: HistoryPerson,
): Cycle[] {
  const cycles: Cycle[] = [];
  let createdOn = firstCreated;
  let createdBy = startedBy;
  let start = minDate(addSchoolDays(firstCreated, r.int(3, 10)), plusDays(until, -56));
  let agreedOn = start;
  for (;;) {
    const reviewDate = reviewDateFor(r, start, rolling);
    const heldOn = reviewDate >= plusDays(until, -28) ? until : heldOnFor(r, start, reviewDate, until);
    const last = heldOn >= plusDays(until, -28);
    cycles.push({
      createdOn,
      createdBy,
      start,
      reviewDate: last && reviewDate > plusDays(until, 30) ? until : reviewDate,
      agreedOn,
      heldOn: last ? until : heldOn,
      status: 'closed',
    });
    if (last) return cycles;
    createdOn = heldOn;
    createdBy = senco;
    start = heldOn;
    agreedOn = r.chance(0.5) ? heldOn : addSchoolDays(heldOn, r.int(1, 6));
  }
}

/**
 * The class a pupil was in on a date: this year's, or in an earlier year the class of their year group
 * then in the same place (the demo keeps one set of classes, this year's, and the staff who teach them).
 */
export function classOnDate<C extends { id: string; ncYear: number }>(
  classes: readonly C[],
  classId: string | null,
  date: IsoDate,
  thisYear: number,
): C | undefined {
  const now = classes.find((c) => c.id === classId);
  if (!now) return undefined;
  const yearsAgo = thisYear - academicYearStartOf(date);
  if (yearsAgo <= 0) return now;
  const sameYear = classes.filter((c) => c.ncYear === now.ncYear);
  const then = classes.filter((c) => c.ncYear === now.ncYear - yearsAgo);
  return then[Math.max(0, sameYear.indexOf(now)) % Math.max(1, then.length)] ?? now;
}

export function generateDemoHistory(
  r: Random,
  input: HistoryInput,
  women: ReadonlySet<string>,
  later: Random,
): DemoHistory {
  const { schoolId, today, senco, office } = input;
  const thisYear = academicYearStartOf(today);
  const out: PlanHistoryRows = {
    settings: [],
    bankEntries: [],
    plans: [],
    targets: [],
    notes: [],
    checks: [],
    reviews: [],
    actions: [],
    profiles: [],
  };
  const letters: LetterInsert[] = [];
  const noteRow = (
    planId: string,
    pupilId: string,
    targetId: string | null,
    writtenOn: IsoDate,
    body: string,
    author: HistoryPerson,
  ) => ({
    schoolId,
    id: r.uuid(),
    planId,
    pupilId,
    targetId,
    writtenOn,
    body,
    authorId: author.id,
    authorName: author.name,
    authorRoles: rolesLabel(author.roles),
    createdAt: at(writtenOn, r.int(10, 17), r.int(0, 59), today),
  });
  const registerByReview = new Map<string, { reason: string; source: 'register_review' }>();

  // The starter bank, as the bank service adds it the first time someone opens it.
  const bank = STARTER_BANK.map((e) => ({ ...e, id: r.uuid(), timesUsed: 0 }));
  const bankTargets = new Map<AreaOfNeed, typeof bank>();
  const bankStrategies = new Map<AreaOfNeed, typeof bank>();
  const bankById = new Map(bank.map((e) => [e.id, e]));
  for (const e of bank) {
    const into = e.kind === 'target' ? bankTargets : bankStrategies;
    into.set(e.area, [...(into.get(e.area) ?? []), e]);
  }
  // The starter letters, as the letter service adds them the first time they are needed.
  const templates = STARTER_TEMPLATES.map((t) => ({ ...t, id: r.uuid() }));
  const templateOf = (kind: LetterKind) => templates.find((t) => t.kind === kind)!;

  const staffById = new Map(input.staff.map((s) => [s.id, s]));
  const teacherOfClass = new Map<string, HistoryPerson>();
  for (const ct of input.classTeachers) {
    const person = staffById.get(ct.userId);
    if (person && !teacherOfClass.has(ct.classId)) teacherOfClass.set(ct.classId, person);
  }
  const taOf = new Map<string, HistoryPerson>();
  for (const a of input.assignments) {
    const person = staffById.get(a.userId);
    if (person && !taOf.has(a.pupilId)) taOf.set(a.pupilId, person);
  }
  const parentsOf = new Map<string, HistoryInput['parents']>();
  for (const p of input.parents) parentsOf.set(p.pupilId, [...(parentsOf.get(p.pupilId) ?? []), p]);
  const entriesOf = new Map<string, HistoryRegisterEntry[]>();
  for (const e of input.registerEntries) entriesOf.set(e.pupilId, [...(entriesOf.get(e.pupilId) ?? []), e]);
  // What the pupil took part in, for the plan's "interventions" part.
  const groupById = new Map(input.provision.groups.map((g) => [g.id!, g]));
  const interventionById = new Map(input.provision.interventions.map((i) => [i.id!, i]));
  const groupsOf = new Map<
    string,
    { name: string; by: string; from: IsoDate; to: IsoDate; often: string }[]
  >();
  for (const m of input.provision.members) {
    const g = groupById.get(m.groupId);
    if (!g) continue;
    const kind = interventionById.get(g.interventionId);
    groupsOf.set(m.pupilId, [
      ...(groupsOf.get(m.pupilId) ?? []),
      {
        name: kind?.name ?? g.name,
        by: g.delivererName ?? '',
        from: m.joinedOn,
        to: m.leftOn ?? g.endDate ?? today,
        often: `${g.sessionsPerWeek} × ${g.minutesPerSession} minutes a week`,
      },
    ]);
  }

  /** The class a pupil was in on a date: this year's, or the one of their year group then. */
  const classAt = (p: HistoryPupil, date: IsoDate) => classOnDate(input.classes, p.classId, date, thisYear);
  const teacherAt = (p: HistoryPupil, date: IsoDate): HistoryPerson => {
    const c = classAt(p, date);
    return (c && teacherOfClass.get(c.id)) ?? senco;
  };

  // One pupil on the monitoring list whose class teacher started a plan weeks ago and has not finished it.
  const listedForWeeks = input.pupils.filter((p) =>
    (entriesOf.get(p.id) ?? []).some(
      (e) =>
        e.stage === 'monitoring' && p.senStage === 'monitoring' && e.effectiveDate <= plusDays(today, -28),
    ),
  );
  const unfinished = listedForWeeks.length > 0 ? r.pick(listedForWeeks).id : null;
  // A couple of reviews put off (a parent could not come, the SENCo was out): overdue on the dashboard.
  const school = { postponements: 2 };
  /** The half-termly target checks open today, recorded already: one or two are left for the dashboard. */
  const openToday: string[] = [];
  /** Checks open today with no school day yet to have been recorded on (they wait too). */
  let waitingToday = 0;

  for (const p of input.pupils) {
    const entries = entriesOf.get(p.id) ?? [];
    if (entries.length === 0) continue;
    const female = p.sex === 'female';
    const name = p.preferredName ?? p.forename;
    const ta = taOf.get(p.id) ?? null;
    /** `n` different items (the lists hold more than `n` different ones). */
    const pickSome = (items: readonly string[], n: number) => {
      const chosen: string[] = [];
      while (chosen.length < n) {
        const item = r.pick(items);
        if (!chosen.includes(item)) chosen.push(item);
      }
      return chosen;
    };
    const taName = ta ? titled(ta, women) : undefined;
    const say = (text: string) => fill(text, { name, female, ta: taName });
    const needsAt = (date: IsoDate) => {
      const e = [...entries].reverse().find((x) => x.effectiveDate <= date) ?? entries[0]!;
      return { primary: e.primaryNeed, secondary: e.secondaryNeed };
    };
    /**
     * The pupil as a plan reviewed on `heldOn` knew them, as the review keeps it before its decision
     * moves them: the year group and class of that school year (the school's year then, and an override
     * a year lower for each year back), and the stage and needs the register said that day, less the
     * entry the review itself writes.
     */
    const pupilOnReview = (heldOn: IsoDate, written: HistoryRegisterEntry | undefined) => {
      const then = academicYearStartOf(heldOn);
      const e = entries.findLast((x) => x.effectiveDate <= heldOn && x !== written) ?? entries[0]!;
      return pupilSnapshot(
        {
          dateOfBirth: p.dateOfBirth,
          ncYearOverride: p.ncYearOverride === null ? null : p.ncYearOverride - (thisYear - then),
          className: classAt(p, heldOn)?.name ?? null,
          senStage: e.stage,
          primaryNeed: e.primaryNeed,
          secondaryNeed: e.secondaryNeed,
        },
        heldOn,
        then,
      );
    };
    const parents = parentsOf.get(p.id) ?? [];
    const responsible = parents.filter((x) => x.parentalResponsibility);
    // Those with parental responsibility; a foster carer when no one else is recorded.
    const addressed = responsible.length > 0 ? responsible : parents;
    const recipients = addressed.map((x) => x.name);
    const hasEmail = parents.some((x) => x.email);
    const parentLabel = (x: (typeof parents)[number]) => `${x.name} (${x.relationship.toLowerCase()})`;

    // Where the pupil stands: placed at SEN support (and perhaps an EHC plan since), left the
    // register through a review, or on the monitoring list.
    const placed = entries.find((e) => e.stage === 'sen_support');
    const ehc = entries.find((e) => e.stage === 'ehc_plan');
    const left = placed
      ? entries.find((e) => e.stage === 'none' && e.effectiveDate > placed.effectiveDate)
      : undefined;
    const monitoring = entries.find((e) => e.stage === 'monitoring');
    let from: HistoryRegisterEntry;
    if (placed) from = placed;
    else if (monitoring && p.senStage === 'monitoring' && (p.id === unfinished || r.chance(0.15)))
      from = monitoring;
    else continue;
    const onSupport = from.stage === 'sen_support';
    // How well this child responds to support: those who left did well; those who needed an EHC plan less so.
    const responsiveness = left ? 0.75 : ehc ? 0.3 : 0.35 + r.next() * 0.35;

    // Letters as they are produced: the template merged with the pupil, the parents and the plan then.
    const letter = (
      kind: LetterKind,
      sentOn: IsoDate,
      plan: { id: string; startDate: IsoDate; reviewDate: IsoDate; targetCount: number } | null,
      options: { meeting?: { date: IsoDate; time: string } } = {},
    ) => {
      if (sentOn > today) return;
      const template = templateOf(kind);
      const sender = r.chance(0.75) ? office : senco;
      const c = classAt(p, sentOn);
      const mergeInput: MergeInput = {
        pupil: {
          forename: p.forename,
          preferredName: p.preferredName,
          surname: p.surname,
          dateOfBirth: p.dateOfBirth,
          className: c?.name ?? null,
          yearGroup: ncYearLabel(effectiveNcYear(p.dateOfBirth, p.ncYearOverride, sentOn)),
        },
        recipients,
        schoolName: input.schoolName,
        sencoName: senco.name,
        today: sentOn,
        planName,
        plan: plan
          ? { startDate: plan.startDate, reviewDate: plan.reviewDate, targetCount: plan.targetCount }
          : null,
        maxTargets,
        meeting: options.meeting ?? null,
        // Only those who may read the pupil's provision see it filled; no starter letter names it.
        provision: null,
      };
      const values = mergeValues(mergeInput);
      const slip = template.slip ? renderTemplate(template.slip, values) : null;
      const via: SentVia =
        kind === 'review_invitation' || kind === 'plan_shared'
          ? hasEmail && r.chance(0.5)
            ? 'email'
            : 'book_bag'
          : r.pick<SentVia>(
              hasEmail ? ['post', 'email', 'email', 'book_bag', 'by_hand'] : ['post', 'book_bag', 'by_hand'],
            );
      let slipReturnedOn: IsoDate | null = null;
      if (slip) {
        // Old slips were mostly chased and came back; recent ones may not be back yet.
        const rate = daysBetween(sentOn, today) > 120 ? 0.95 : 0.8;
        // A reply to an invitation comes back before the meeting (or is handed in at it).
        const meeting = options.meeting?.date;
        const back = minDate(addSchoolDays(sentOn, r.int(1, 12)), meeting ?? '9999-12-31');
        if (r.chance(rate) && back <= today) slipReturnedOn = back;
      }
      letters.push({
        schoolId,
        id: r.uuid(),
        pupilId: p.id,
        templateId: template.id,
        kind,
        planId: plan?.id ?? null,
        recipients: recipients.length > 0 ? namesInText(recipients) : 'Parent/Carer',
        recipientCarerIds: addressed.map((x) => x.id),
        body: renderTemplate(template.body, values),
        slip,
        pupilAsSent: { forename: p.forename, surname: p.surname, className: c?.name ?? null },
        sentOn,
        sentVia: via,
        sentBy: sender.id,
        sentByName: sender.name,
        slipExpected: slip !== null,
        slipReturnedOn,
        slipRecordedBy: slipReturnedOn ? office.id : null,
        slipRecordedByName: slipReturnedOn ? office.name : null,
        slipNote: slipReturnedOn && r.chance(0.15) ? r.pick(SLIP_NOTES) : null,
        createdAt: at(sentOn, r.int(9, 15), r.int(0, 59), today),
        version: slipReturnedOn ? 2 : 1,
      });
    };

    // 1. The cycles: one plan a term from the day the pupil was placed.
    const placedOn = from.effectiveDate;
    const startedBy = from.concernId ? senco : teacherAt(p, placedOn);
    const firstCreated = minDate(
      schoolDayOnOrAfter(plusDays(placedOn, from.concernId ? 0 : r.int(0, 4))),
      today,
    );
    const sincePlaced = daysBetween(placedOn, today);
    const until = left ? left.effectiveDate : null;
    const rolling = r.chance(0.7);
    const startedWeeksAgo = maxDate(plusDays(placedOn, 7), plusDays(today, -45));
    const cycles: Cycle[] =
      p.id === unfinished
        ? [
            draftCycle(
              schoolDayBetween(r, startedWeeksAgo, plusDays(today, -15)) ?? startedWeeksAgo,
              startedBy,
            ),
          ]
        : until
          ? cyclesUntil(r, rolling, firstCreated, startedBy, until, senco)
          : cyclesToToday(r, school, rolling, firstCreated, startedBy, sincePlaced, today, senco);

    // 2. The decisions: an EHC needs assessment asked for well before the plan was issued, with a
    // specialist involved before that; now and then an agency or top-up funding for others.
    const decisions: ReviewDecision[] = cycles.map(() => 'new_plan');
    const reviewed = cycles.map((c, i) => ({ c, i })).filter((x) => x.c.heldOn !== null);
    if (left && reviewed.length > 0) decisions[reviewed.at(-1)!.i] = 'leave_register';
    if (ehc) {
      const before = reviewed.filter((x) => x.c.heldOn! <= plusDays(ehc.effectiveDate, -140));
      const request = before.at(-1) ?? reviewed.find((x) => x.c.heldOn! < ehc.effectiveDate);
      if (request) {
        decisions[request.i] = 'ehc_request';
        const earlier = reviewed.filter((x) => x.i < request.i);
        if (earlier.length > 0) decisions[earlier.at(-1)!.i] = 'involve_agency';
        if (earlier.length > 1 && r.chance(0.5)) decisions[earlier.at(-2)!.i] = 'top_up_funding';
      }
    } else {
      for (const x of reviewed) {
        if (decisions[x.i] !== 'new_plan') continue;
        const roll = r.next();
        if (roll < 0.08) decisions[x.i] = 'involve_agency';
        else if (roll < 0.1) decisions[x.i] = 'top_up_funding';
        else if (roll < 0.115 && onSupport && x.c.heldOn! >= plusDays(today, -180))
          decisions[x.i] = 'ehc_request';
      }
    }

    // 3. The plans, their targets, notes and reviews, cycle by cycle.
    const planIds = cycles.map(() => r.uuid());
    const usedBank = new Set<string>();
    const owner = teacherAt(p, firstCreated);
    let previous: { row: PlanInsert; targets: WorkingTarget[] } | null = null;
    let firstAgreedOn: IsoDate | null = null;
    /** What the last review decided when it involved an agency. */
    let involved: string | null = null;
    /** When the last review was held and recorded. */
    let lastReview: { heldOn: IsoDate; at: Date } | null = null;
    const targetRow = (
      area: AreaOfNeed,
      text: string,
      criteria: string | null,
      entryId: string | null,
    ): WorkingTarget => {
      const strategy = r.pick(bankStrategies.get(area) ?? []);
      return {
        schoolId,
        id: r.uuid(),
        planId: '',
        pupilId: p.id,
        position: 0,
        area,
        target: text,
        achievementCriteria: criteria,
        resourcesAndTechniques: say(
          TARGET_TECHNIQUES.find(([words]) => text.includes(say(words)))?.[1] ?? r.pick(TECHNIQUES[area]),
        ),
        classStrategies: strategy ? personalise(strategy.text, name) : null,
        outcome: null,
        outcomeEvidence: null,
        carriedFromId: null,
        bankEntryId: entryId,
        carried: 0,
      };
    };
    /**
     * New targets from the bank (now and then one written by hand), none the pupil has had before, and
     * only those that fit the pupil's needs (no hearing-aid target for a pupil who has no hearing loss);
     * one written by hand when the bank has none left.
     */
    const newTargets = (areas: AreaOfNeed[], needs: (NeedCode | null)[], count: number) => {
      const chosen: WorkingTarget[] = [];
      for (let k = 0; k < count; k++) {
        const area = k === 0 || areas.length === 1 ? areas[0]! : r.pick(areas);
        const options = (bankTargets.get(area) ?? []).filter(
          (e) => !usedBank.has(e.id) && fitsNeeds(e.text, needs),
        );
        if (r.chance(0.12) || options.length === 0) {
          const [text, criteria] = r.pick(HANDWRITTEN_TARGETS[area]);
          if (!chosen.some((c) => c.target === say(text)))
            chosen.push(targetRow(area, say(text), say(criteria), null));
          continue;
        }
        const entry = r.pick(options);
        usedBank.add(entry.id);
        chosen.push(
          targetRow(
            area,
            personalise(entry.text, name),
            entry.achievementCriteria ? personalise(entry.achievementCriteria, name) : null,
            entry.id,
          ),
        );
      }
      return chosen;
    };

    for (const [i, c] of cycles.entries()) {
      const id = planIds[i]!;
      const needs = needsAt(c.start);
      const areas = areasOf(needs.primary, needs.secondary);
      const withEhc = ehc !== undefined && c.start >= ehc.effectiveDate;
      const decision = decisions[i]!;
      const teacherThen = teacherAt(p, c.start);
      // Targets: every one the last review did not find achieved, carried in (as the service copies them:
      // the review's decision says so), and new ones up to three or four.
      let targets: WorkingTarget[] = [];
      if (previous) {
        targets = previous.targets
          .filter((t) => carriesForward(t.outcome ?? null))
          .map((t) => ({
            ...t,
            id: r.uuid(),
            carriedFromId: t.id!,
            outcome: null,
            outcomeEvidence: null,
            carried: t.carried + 1,
          }));
      }
      const carriedCount = targets.length;
      // A first draft just started may have no targets yet.
      const wanted = c.status === 'draft' && !previous ? r.int(0, 2) : r.chance(0.3) ? 4 : 3;
      if (targets.length < wanted && (c.status !== 'draft' || r.chance(0.6))) {
        targets.push(...newTargets(areas, [needs.primary, needs.secondary], wanted - targets.length));
      }
      targets = targets.slice(0, maxTargets).map((t, k) => ({ ...t, planId: id, position: k + 1 }));
      // The bank counts each time one of its targets is put into a plan (a carried one is not counted again).
      for (const t of targets.slice(carriedCount)) {
        const entry = t.bankEntryId ? bankById.get(t.bankEntryId) : undefined;
        if (entry) entry.timesUsed++;
      }
      // How each target will have gone by the review (known ahead, so the notes tell the same story).
      // A review that asks for more help (an agency, funding, an EHC needs assessment) follows a term of
      // little progress.
      const moreHelp = decisionAction(decision) !== null;
      const planned: (TargetOutcome | null)[] = targets.map((t) =>
        c.heldOn === null
          ? null
          : decision === 'leave_register'
            ? 'achieved'
            : outcomeFor(r, moreHelp ? 0.1 : responsiveness, moreHelp ? 0 : t.carried),
      );

      const blank = c.status === 'draft' && !previous && targets.length === 0;
      const strategies = areas
        .flatMap((a) => bankStrategies.get(a) ?? [])
        .filter((e) => fitsNeeds(e.text, [needs.primary, needs.secondary]));
      const qualityFirst = [r.pick(strategies), r.pick(strategies), r.pick(strategies)]
        .filter((x, k, all) => all.indexOf(x) === k)
        .map((x) => personalise(x.text, name))
        .join('\n');
      const taking = (groupsOf.get(p.id) ?? []).filter((g) => g.from <= c.reviewDate && g.to >= c.start);
      const interventions =
        taking.length > 0
          ? taking
              .map(
                (g) => `${g.name}: ${g.often}, with ${g.by}. Progress checked each half-term by the SENCo.`,
              )
              .join('\n')
          : 'Support in class from the class teacher; no group intervention this term.';
      const copied = previous?.row;
      const filled = <T>(value: T) => (blank ? null : value);
      const row: PlanInsert = {
        schoolId,
        id,
        pupilId: p.id,
        cycle: i + 1,
        status: c.status,
        needAreas: copied?.needAreas && !withEhc ? copied.needAreas : areas,
        strengths: filled(
          copied?.strengths ??
            `${pickSome(STRENGTHS, 2)
              .map((x) => say(x))
              .join('. ')}.`,
        ),
        areasOfConcern: filled(
          copied?.areasOfConcern ?? areas.map((a) => say(r.pick(CONCERNS[a]))).join(' '),
        ),
        desiredOutcomes: filled(
          withEhc
            ? `${say(EHC_OUTCOME_INTRO)}${areas
                .map((a) => say(r.pick(OUTCOMES[a])).replace(/^For /, 'for ').replace(/\.$/, ''))
                .join('; ')}.`
            : (copied?.desiredOutcomes ?? say(r.pick(OUTCOMES[areas[0]!]))),
        ),
        qualityFirst: filled(copied?.qualityFirst ?? qualityFirst),
        interventions: filled(c.status === 'draft' && copied ? copied.interventions : interventions),
        taSupport: filled(ta ? (copied?.taSupport ?? say(r.pick(TA_SUPPORT))) : null),
        resources: filled(copied?.resources ?? areas.map((a) => say(r.pick(ACCESS_RESOURCES[a]))).join('; ')),
        parentPupilContribution: filled(copied?.parentPupilContribution ?? say(r.pick(CONTRIBUTION))),
        parentsSupportAtHome: filled(copied?.parentsSupportAtHome ?? say(r.pick(AT_HOME[areas[0]!]))),
        // Views are asked afresh for each plan (the next draft starts without them).
        parentsViews: c.status === 'draft' ? null : say(r.pick(PARENT_VIEWS[areas[0]!])),
        pupilViews: c.status === 'draft' ? null : say(r.pick(PUPIL_VIEWS[areas[0]!])),
        startDate: c.start,
        reviewDate: c.reviewDate,
        ownerId: owner.id,
        ownerName: owner.name,
        agreedOn: c.agreedOn,
        // Agreed by the class teacher then; a plan the SENCo drafted at a review, by either of them.
        agreedByName: c.agreedOn
          ? (c.createdBy.id === senco.id && later.chance(0.5) ? senco : teacherAt(p, c.agreedOn)).name
          : null,
        agreedWith: c.agreedOn
          ? [
              ...parents.slice(0, r.chance(0.6) ? 1 : 2).map(parentLabel),
              name,
              `${teacherThen.name} (class teacher)`,
            ].join(', ')
          : null,
        sharedWithParentsOn: null,
        previousPlanId: i > 0 ? planIds[i - 1]! : null,
        createdBy: c.createdBy.id,
        createdByName: c.createdBy.name,
        // A plan drafted by a review was written in the review's own transaction.
        createdAt:
          lastReview && lastReview.heldOn === c.createdOn
            ? lastReview.at
            : at(c.createdOn, r.int(12, 17), r.int(0, 59), today),
        closedAt: null,
        closedByName: null,
        pupilAtClose: null,
        // Started, changed once or twice, agreed, perhaps its review started, and closed by its review.
        version:
          1 +
          (blank ? 0 : r.int(1, 2)) +
          (c.agreedOn ? 1 : 0) +
          (c.status === 'in_review' ? 1 : 0) +
          (c.heldOn ? 1 : 0),
      };
      // Shared with the parents at the meeting, or sent home after it; now and then not yet recorded.
      if (c.agreedOn) {
        firstAgreedOn ??= c.agreedOn;
        if (c.status === 'closed' || !r.chance(0.08)) {
          const byLetter = r.chance(0.4);
          const sharedOn = byLetter
            ? maxDate(c.agreedOn, minDate(addSchoolDays(c.agreedOn, r.int(1, 3)), schoolDayOnOrBefore(today)))
            : c.agreedOn;
          row.sharedWithParentsOn = sharedOn;
          if (byLetter)
            letter('plan_shared', sharedOn, {
              id,
              startDate: c.start,
              reviewDate: c.reviewDate,
              targetCount: targets.length,
            });
        }
      }

      // Notes: the working document, written by the class teacher and the assistant through the plan's life.
      const noteUntil = minDate(c.heldOn ? plusDays(c.heldOn, -1) : today, today);
      // The same words are not written twice on one plan.
      const written = new Set<string>();
      const once = (text: string) => {
        if (written.has(text)) return null;
        written.add(text);
        return text;
      };
      if (c.agreedOn && c.agreedOn <= noteUntil) {
        const life = daysBetween(c.agreedOn, noteUntil);
        const perTarget = c.heldOn ? r.int(1, 2) : Math.min(4, 1 + Math.floor(life / 21));
        targets.forEach((t, k) => {
          const outcome = planned[k];
          for (let n = 0; n < perTarget; n++) {
            const on = schoolDayBetween(r, c.agreedOn!, noteUntil);
            if (!on) continue;
            const author = ta && r.chance(0.55) ? ta : teacherAt(p, on);
            const tone: Tone =
              outcome === 'achieved'
                ? r.chance(0.8)
                  ? 'good'
                  : 'mixed'
                : outcome === 'not_achieved'
                  ? r.chance(0.6)
                    ? 'hard'
                    : 'mixed'
                  : r.chance(responsiveness)
                    ? 'good'
                    : r.chance(0.7)
                      ? 'mixed'
                      : 'hard';
            const own = tone === 'hard' ? undefined : notesFor(t.target);
            const text = once(
              own && r.chance(0.7)
                ? say(r.pick(tone === 'good' ? own[0] : own[1]))
                : say(r.pick(ANY_TARGET_NOTES[tone]).replace('{lesson}', r.pick(LESSONS))),
            );
            if (text) out.notes.push(noteRow(id, p.id, t.id!, on, text, author));
          }
        });
        const planWide = c.heldOn ? r.int(0, 1) : r.int(0, 2);
        for (let n = 0; n < planWide; n++) {
          const on = schoolDayBetween(r, c.agreedOn, noteUntil);
          if (!on) continue;
          const bySenco = r.chance(0.25);
          const author = bySenco ? senco : teacherAt(p, on);
          const text = once(say(r.pick(bySenco ? SENCO_NOTES : PLAN_NOTES)));
          if (text) out.notes.push(noteRow(id, p.id, null, on, text, author));
        }
      }

      // Half-termly target checks: one for each half-term the plan ran through while it was in place, as
      // the rules have them (domain/target-checks.ts), by the class teacher (now and then the SENCo),
      // mostly by the day it was due and a few in the days after, the targets' progress telling the same
      // story as their outcome at the review (for a plan still open, the way it is heading).
      /** A check's short note on a target: about its own words now and then, not twice on one plan. */
      const checkNote = (target: string, progress: CheckProgress) => {
        const own = progress === 'not_yet' ? undefined : notesFor(target);
        const choices = [
          ...(own && later.chance(0.3) ? [later.pick(progress === 'on_track' ? own[0] : own[1])] : []),
          ...[0, 1, 2].map(() => later.pick(CHECK_NOTES[progress]).replace('{lesson}', later.pick(LESSONS))),
        ];
        for (const text of choices) {
          const note = once(say(text));
          if (note) return note;
        }
        return null;
      };
      if (c.agreedOn && targets.length > 0) {
        const heading = planned.map((o, k) => o ?? outcomeFor(later, responsiveness, targets[k]!.carried));
        const points = planCheckPoints(c.start, c.reviewDate);
        for (const [j, point] of points.entries()) {
          const next = points[j + 1];
          // It can be recorded while it is the check open: from the day it opens, once the plan is in
          // place, until the next one opens, the day before the review date or the review, or today.
          const from = maxDate(point.opensOn, c.agreedOn);
          const until = [
            next ? plusDays(next.opensOn, -1) : today,
            plusDays(c.reviewDate, -1),
            c.heldOn ? plusDays(c.heldOn, -1) : today,
            today,
          ].reduce(minDate);
          const onTime = schoolDayBetween(later, from, minDate(until, point.dueOn));
          const afterwards = schoolDayBetween(
            later,
            maxDate(from, plusDays(point.dueOn, 1)),
            minDate(until, plusDays(point.dueOn, 21)),
          );
          const on = later.chance(0.1) ? (afterwards ?? onTime) : (onTime ?? afterwards);
          const openNow = point.opensOn <= today && (!next || next.opensOn > today) && today < c.reviewDate;
          if (!on) {
            // No school day yet to record it on: one of the checks still waiting.
            if (c.status === 'active' && openNow) waitingToday++;
            continue;
          }
          const by = later.chance(0.85) ? teacherAt(p, on) : senco;
          const share = (j + 1) / points.length;
          const items: TargetCheckItem[] = targets.map((t, k) => {
            const progress = checkProgress(later, heading[k]!, share);
            return {
              targetId: t.id!,
              position: t.position!,
              target: t.target,
              progress,
              note: later.chance(0.85) ? checkNote(t.target, progress) : null,
            };
          });
          const checkId = later.uuid();
          out.checks.push({
            schoolId,
            id: checkId,
            planId: id,
            pupilId: p.id,
            dueOn: point.dueOn,
            checkedOn: on,
            items,
            recordedBy: by.id,
            recordedByName: by.name,
            createdAt: at(on, later.int(12, 17), later.int(0, 59), today),
            version: 1,
          });
          if (c.status === 'active' && openNow) openToday.push(checkId);
        }
      }

      // An invitation to the review meeting, for most reviews (and for most of those coming up soon).
      const meetingOn =
        c.heldOn ?? (c.status === 'active' && c.reviewDate <= plusDays(today, 14) ? c.reviewDate : null);
      if (meetingOn && c.agreedOn && r.chance(c.heldOn ? 0.55 : 0.7)) {
        const sentOn = maxDate(
          addSchoolDays(c.agreedOn, 1),
          schoolDayOnOrBefore(plusDays(meetingOn, -r.int(10, 16))),
        );
        if (sentOn < meetingOn)
          letter(
            'review_invitation',
            sentOn,
            { id, startDate: c.start, reviewDate: c.reviewDate, targetCount: targets.length },
            { meeting: { date: meetingOn, time: r.pick(MEETING_TIMES) } },
          );
      }

      // The review: an outcome for every target, the views, the judgement and the decision.
      if (c.heldOn) {
        targets.forEach((t, k) => {
          t.outcome = planned[k]!;
          t.outcomeEvidence = r.pick(EVIDENCE[t.outcome]);
        });
        const achieved = targets.filter((t) => t.outcome === 'achieved').length / Math.max(1, targets.length);
        const progress: ProgressJudgement = moreHelp
          ? achieved > 0.3 || r.chance(0.6)
            ? 'less_than_expected'
            : 'no_progress'
          : achieved >= 0.75
            ? r.chance(0.5)
              ? 'better_than_expected'
              : 'as_expected'
            : achieved >= 0.34
              ? 'as_expected'
              : achieved > 0 || r.chance(0.6)
                ? 'less_than_expected'
                : 'no_progress';
        const tone = progressTone(progress);
        const teacherAtReview = teacherAt(p, c.heldOn);
        // The agency the last review involved comes to this one; a specialist now and then once the EHC plan is issued.
        const specialist =
          SPECIALISTS.find(([words]) => involved?.includes(words))?.[1] ??
          (withEhc && r.chance(0.3) ? 'Educational psychologist (local authority)' : null);
        const pupilCame = ageYears(p.dateOfBirth, c.heldOn) >= 6 || r.chance(0.3);
        const attendees = [
          ...parents.slice(0, r.chance(0.7) ? 1 : 2).map(parentLabel),
          ...(pupilCame ? [name] : []),
          `${teacherAtReview.name} (class teacher)`,
          ...(teacherAtReview.id !== senco.id ? [`${senco.name} (SENCo)`] : []),
          ...(ta && r.chance(0.4) ? [`${ta.name} (teaching assistant)`] : []),
          ...(specialist ? [specialist] : []),
        ];
        const earlier = reviewed.filter((x) => x.i < i).length;
        const decisionNotes =
          decision === 'ehc_request' && earlier < 2 ? EARLY_EHC_REQUEST : r.pick(DECISION_NOTES[decision]);
        const reviewId = r.uuid();
        const reviewedAt = at(c.heldOn, 16, r.int(0, 59), today);
        lastReview = { heldOn: c.heldOn, at: reviewedAt };
        row.closedAt = reviewedAt;
        row.closedByName = senco.name;
        row.pupilAtClose = pupilOnReview(c.heldOn, decision === 'leave_register' ? left : undefined);
        out.reviews.push({
          schoolId,
          id: reviewId,
          planId: id,
          pupilId: p.id,
          heldOn: c.heldOn,
          attendees: attendees.join(', '),
          pupilViews: pupilCame ? say(r.pick(REVIEW_PUPIL_VIEWS[tone])) : null,
          parentsViews: parents.length > 0 ? say(r.pick(REVIEW_PARENT_VIEWS[tone])) : null,
          progress,
          decision,
          decisionNotes,
          extendedTo: null,
          nextPlanId: decisionStartsNewPlan(decision) ? (planIds[i + 1] ?? null) : null,
          reviewedBy: senco.id,
          reviewedByName: senco.name,
          createdAt: reviewedAt,
        });
        const action = decisionAction(decision);
        if (action) {
          out.actions.push({
            schoolId,
            id: r.uuid(),
            pupilId: p.id,
            kind: action,
            planReviewId: reviewId,
            notes: decisionNotes,
            // The request the review decided on was made: the plan it led to has been issued.
            status: decision === 'ehc_request' && ehc && ehc.effectiveDate <= today ? 'done' : 'open',
            createdBy: senco.id,
            createdByName: senco.name,
            createdAt: reviewedAt,
          });
        }
        involved = decision === 'involve_agency' ? decisionNotes : null;
        if (decision === 'leave_register' && left) {
          registerByReview.set(left.id, {
            reason: `Plan review: ${decisionNotes}`,
            source: 'register_review',
          });
          letter('leaving_register', schoolDayOnOrAfter(plusDays(c.heldOn, r.int(1, 4))), null);
        }
      }
      out.plans.push(row);
      for (const { carried: _carried, ...t } of targets) out.targets.push(t);
      previous = { row, targets };
    }

    // 4. The Appendix D letter when the pupil was placed at SEN support, with its slip.
    if (onSupport && r.chance(0.95)) {
      const sentOn = schoolDayOnOrAfter(plusDays(placedOn, r.int(1, 5)));
      const first = cycles[0];
      // What a letter may say of the plan then: the new draft's dates and, before it has targets, the most it may hold.
      letter(
        'register_placement',
        sentOn,
        first && first.createdOn <= sentOn
          ? {
              id: planIds[0]!,
              startDate: first.createdOn,
              reviewDate: defaultReviewDate(first.createdOn, reviewInterval),
              targetCount: 0,
            }
          : null,
      );
    }

    // 5. The one-page profile, written with the child once their first plan was agreed.
    if (firstAgreedOn && r.chance(0.85)) {
      const area = areasOf(needsAt(today).primary, needsAt(today).secondary)[0]!;
      const written =
        schoolDayBetween(r, firstAgreedOn, minDate(plusDays(firstAgreedOn, 30), today)) ?? firstAgreedOn;
      const changes = r.int(0, 2);
      const updatedOn = changes > 0 ? (schoolDayBetween(r, written, today) ?? written) : written;
      const by = r.chance(0.7) ? teacherAt(p, updatedOn) : senco;
      out.profiles.push({
        schoolId,
        pupilId: p.id,
        likeAndAdmire: pickSome(LIKE_AND_ADMIRE, r.int(2, 3)).join(' '),
        importantToMe: pickSome(IMPORTANT_TO_ME, r.int(2, 3)).join(' '),
        howToSupportMe: pickSome([...SUPPORT_ME[area], ...SUPPORT_ME[r.pick(AREAS)]], 3).join(' '),
        updatedBy: by.id,
        updatedByName: by.name,
        updatedAt: at(updatedOn, r.int(12, 16), r.int(0, 59), today),
        version: 1 + changes,
      });
    }
  }

  // Teachers are mostly up to date with the check open now: one or two are not yet recorded (due, or
  // overdue), for the SENCo's dashboard.
  const notYet = new Set<string>();
  const leave = Math.max(0, Math.min(openToday.length, later.int(1, 2) - waitingToday));
  while (notYet.size < leave) notYet.add(later.pick(openToday));
  out.checks = out.checks.filter((x) => !notYet.has(x.id!));

  // The bank and the letters were added when first needed: before the first plan and the first letter.
  const firstPlan = out.plans.reduce<Date | null>(
    (a, x) => (x.createdAt && (!a || x.createdAt < a) ? x.createdAt : a),
    null,
  );
  const bankAdded = firstPlan ? new Date(firstPlan.getTime() - 600_000) : at(today, 0, 0, today);
  // The SENCo set the school's plans up before the first: its settings as they are by default, with
  // half-termly target checks turned on (seed 000: "Class teachers will review and update IEPs at least
  // half termly").
  out.settings = [
    {
      schoolId,
      ...DEFAULT_SETTINGS,
      halfTermlyTargetChecks: true,
      updatedBy: senco.id,
      updatedAt: new Date(bankAdded.getTime() - 600_000),
      version: 1,
    },
  ];
  out.bankEntries = bank.map((e) => ({
    schoolId,
    id: e.id,
    kind: e.kind,
    area: e.area,
    text: e.text,
    achievementCriteria: e.achievementCriteria ?? null,
    source: 'starter' as const,
    timesUsed: e.timesUsed,
    createdAt: bankAdded,
  }));
  const firstLetter = letters.reduce<Date | null>(
    (a, x) => (x.createdAt && (!a || x.createdAt < a) ? x.createdAt : a),
    null,
  );
  const templatesAdded = (firstLetter ?? at(today, 0, 0, today)).getTime() - 600_000;
  return {
    plans: out,
    letters: {
      templates: templates.map((t, i) => ({
        schoolId,
        id: t.id,
        kind: t.kind,
        name: t.name,
        body: t.body,
        slip: t.slip,
        createdAt: new Date(templatesAdded + i),
      })),
      letters,
    },
    registerByReview,
  };
}

const SLIP_NOTES = [
  'Signed by mum; asked for a phone call about the plan.',
  'Returned in the book bag.',
  'Dad signed; would like a copy by email.',
  'Signed at the office.',
] as const;

const MEETING_TIMES = ['3:30pm', '3:45pm', '8:45am', '2:30pm', '4:00pm'] as const;

/** How a target went: more likely met the more a child responds to support and the longer it was worked on. */
/**
 * Bank entries written for one kind of need (hearing aids, enlarged print), by words they contain, and
 * the needs they fit; every other entry fits any pupil with a need in its area.
 */
const FOR_NEEDS: [string, NeedCode[]][] = [
  ['hearing aids', ['HI', 'MSI']],
  ['radio aid', ['HI', 'MSI']],
  ['enlarged', ['VI', 'MSI']],
  ['agreed route', ['VI', 'MSI', 'PD']],
  ['(hearing and vision)', ['HI', 'VI', 'MSI']],
];

/** Whether a bank entry suits a pupil with these needs. */
export function fitsNeeds(text: string, needs: readonly (NeedCode | null)[]): boolean {
  const rule = FOR_NEEDS.find(([words]) => text.includes(words));
  return !rule || needs.some((n) => n !== null && rule[1].includes(n));
}

function outcomeFor(r: Random, responsiveness: number, carried: number): TargetOutcome {
  const achieved = Math.min(0.92, responsiveness + 0.15 * carried);
  const roll = r.next();
  if (roll < achieved) return 'achieved';
  return roll < achieved + (1 - achieved) * 0.65 ? 'partly_achieved' : 'not_achieved';
}

/**
 * How a target stood at a half-termly check, from how it went in the end (or is heading) and how far
 * through the plan the check came (`share`, up to 1 at the last): one later achieved mostly on track and
 * more so as the review nears; one not achieved mostly not yet; one partly achieved mostly some progress.
 */
function checkProgress(r: Random, outcome: TargetOutcome, share: number): CheckProgress {
  switch (outcome) {
    case 'achieved':
      return r.chance(0.55 + 0.4 * share) ? 'on_track' : 'some_progress';
    case 'partly_achieved': {
      const roll = r.next();
      return roll < 0.2 ? 'on_track' : roll < 0.85 ? 'some_progress' : 'not_yet';
    }
    case 'not_achieved':
      return r.chance(0.7) ? 'not_yet' : 'some_progress';
  }
}

/** The notes written for this target's words (going well, getting there), if any. */
function notesFor(target: string) {
  const found = TARGET_NOTES.find(([words]) => target.includes(words));
  return found ? ([found[1], found[2]] as const) : undefined;
}

function ageYears(dateOfBirth: IsoDate, on: IsoDate): number {
  return Math.floor(daysBetween(dateOfBirth, on) / 365.25);
}
