import type {
  concern,
  parentCarer,
  pupil,
  pupilAssignment,
  registerEntry,
  registerReview,
  schoolClass,
} from '../db/schema/index.ts';
import { rolesLabel, type SchoolRole } from '../domain/access.ts';
import { academicYearStartOf } from '../domain/calendar.ts';
import type { AreaOfNeed, NeedCode } from '../domain/census.ts';
import { areaOfNeed } from '../domain/census.ts';
import type { ConcernOutcome } from '../domain/concerns.ts';
import { addDays, compareIsoDates, type IsoDate, toIsoDate } from '../domain/dates.ts';
import { classifyRegisterChange, type SenStage } from '../domain/register.ts';
import { isSchoolDay } from '../domain/school-days.ts';
import { makeUpn } from '../domain/upn.ts';
import type { PlanHistoryRows } from '../repositories/plans.ts';
import { type DemoLeavers, demoLongGoneLeavers } from './leavers.ts';
import {
  ADULT_NAMES,
  BOY_NAMES,
  CLASS_NAMES,
  GIRL_NAMES,
  MEN_NAMES,
  SCHOOL_NAMES,
  SURNAMES,
  WOMEN_NAMES,
} from './names.ts';
import { classOnDate, type DemoHistory, generateDemoHistory } from './plans.ts';
import { type DemoProvision, generateDemoProvision, type ListedPupil } from './provision.ts';
import { Random } from './random.ts';
import { type DemoSubjectAccessRow, demoSubjectAccess } from './subject-access.ts';

/**
 * A realistic fictional primary school: Nursery to Year 6 in 14 classes (~420 pupils), staff in every
 * role, about 13% at SEN support and 2–3% with EHC plans with a need mix close to national figures,
 * contextual flags, concerns in every state and two years of register history. Deterministic by seed.
 */
export interface DemoStaff {
  id: string;
  name: string;
  email: string;
  roles: SchoolRole[];
  /** What the sign-in list says about them, e.g. "class teacher of Year 3 Oak". */
  description: string;
}

export interface DemoSchool {
  school: {
    id: string;
    name: string;
    urn: string;
    laCode: string;
    establishmentNumber: string;
    phase: string;
    lowestNcYear: number;
    highestNcYear: number;
    rolledOverTo: number;
  };
  staff: DemoStaff[];
  classes: (typeof schoolClass.$inferInsert)[];
  classTeachers: { schoolId: string; classId: string; userId: string }[];
  pupils: (typeof pupil.$inferInsert)[];
  parents: (typeof parentCarer.$inferInsert)[];
  assignments: (typeof pupilAssignment.$inferInsert)[];
  registerEntries: (typeof registerEntry.$inferInsert)[];
  /** Common Transfer Files sent long ago (for a leaver past the retention date). */
  ctfExports: DemoLeavers['ctfExports'];
  registerReviews: (typeof registerReview.$inferInsert)[];
  concerns: (typeof concern.$inferInsert)[];
  provision: DemoProvision;
  /** Two years of support plans: targets, notes, reviews, actions, one-page profiles and the bank. */
  plans: PlanHistoryRows;
  /** Letters sent to parents over the same years, with the school's templates. */
  letters: DemoHistory['letters'];
  /** A subject access request waiting to be answered. */
  subjectAccess: DemoSubjectAccessRow[];
}

// National figures (DfE SEN in England, primary) rounded: primary need among pupils at K and at E.
const K_NEEDS: Record<NeedCode, number> = {
  SLCN: 33,
  SEMH: 18,
  MLD: 13,
  ASD: 10,
  SPLD: 9,
  OTH: 4,
  NSA: 4,
  PD: 3,
  HI: 1.5,
  VI: 1,
  SLD: 0.6,
  MSI: 0.3,
  PMLD: 0.1,
};
const E_NEEDS: Record<NeedCode, number> = {
  ASD: 34,
  SLCN: 22,
  SEMH: 13,
  SLD: 8,
  MLD: 6,
  PD: 6,
  PMLD: 3,
  HI: 3,
  VI: 2,
  OTH: 2,
  SPLD: 1,
  MSI: 0.5,
  NSA: 0,
};

const CLASS_PLAN: { ncYear: number; count: number; label: string }[] = [
  { ncYear: -1, count: 1, label: 'Nursery' },
  { ncYear: 0, count: 2, label: 'Reception' },
  { ncYear: 1, count: 2, label: 'Year 1' },
  { ncYear: 2, count: 2, label: 'Year 2' },
  { ncYear: 3, count: 2, label: 'Year 3' },
  { ncYear: 4, count: 2, label: 'Year 4' },
  { ncYear: 5, count: 2, label: 'Year 5' },
  { ncYear: 6, count: 1, label: 'Year 6' },
];

const REASONS: Record<AreaOfNeed, string[]> = {
  communication_and_interaction: [
    'Finds it hard to follow two-part instructions and often repeats the last word said to them.',
    'Speech is difficult for adults to understand; rarely joins group discussion.',
    'Struggles to take turns in conversation and becomes distressed when routines change.',
  ],
  cognition_and_learning: [
    'Is not making progress in phonics: still secure on phase 2 sounds only after two terms.',
    'Struggles to retain lesson content from one day to the next, particularly in maths.',
    'Reading age about two years below chronological age; avoids writing tasks.',
  ],
  social_emotional_and_mental_health: [
    'Frequent outbursts at transitions (lunch, home time); hard to settle afterwards.',
    'Has become withdrawn this term; reluctant to come into class in the morning.',
    'Finds it hard to manage friendships; several playground incidents this half term.',
  ],
  sensory_and_physical: [
    'Holds books very close and squints at the board; fine motor skills well behind peers.',
    'Seems not to hear instructions given from behind; parent reports recurring ear infections.',
    'Tires quickly in PE and struggles with handwriting and scissors.',
  ],
};

const EVIDENCE = [
  'Book scrutiny shows work well below age-related expectations across the last half term.',
  'Observation notes from three lessons attached to the class file; teacher assessment at pupil progress meeting.',
  'Termly assessment: working towards in reading, writing and maths; gap with peers widening.',
  'Behaviour log shows eight incidents this half term, mostly at unstructured times.',
];

const INTERVENTIONS = [
  {
    intervention: 'Small-group phonics catch-up',
    frequency: '4 times a week, 20 minutes',
    duration: '6 weeks',
  },
  { intervention: 'Precision teaching of key words', frequency: 'Daily, 10 minutes', duration: '8 weeks' },
  {
    intervention: 'Talk Boost language group',
    frequency: '3 times a week, 30 minutes',
    duration: '10 weeks',
  },
  { intervention: 'Zones of Regulation check-ins', frequency: 'Daily, 5 minutes', duration: 'Half a term' },
  {
    intervention: 'Number sense group (1st Class@Number)',
    frequency: '3 times a week, 30 minutes',
    duration: '10 weeks',
  },
  { intervention: 'Fine motor skills group', frequency: 'Twice a week, 20 minutes', duration: '6 weeks' },
];

const RELATIONSHIPS = ['Mother', 'Father', 'Grandmother', 'Stepfather', 'Aunt', 'Foster carer'];

export interface GenerateOptions {
  seed: number;
  /** Index of the school in a multi-school dataset: changes names, URN and emails. */
  index?: number;
  today: IsoDate;
  passwordHash: string;
  /** Email domain for staff accounts. */
  emailDomain?: string;
  organisationId?: string | null;
}

function dobForNcYear(r: Random, ncYear: number, academicYearStart: number): IsoDate {
  // Born between 1 September (academicYearStart - ncYear - 5) and 31 August (academicYearStart - ncYear - 4).
  const startYear = academicYearStart - ncYear - 5;
  const offset = r.int(0, 364);
  return addDays(toIsoDate(startYear, 9, 1), offset);
}

export function generateDemoSchool(options: GenerateOptions): DemoSchool {
  const index = options.index ?? 0;
  const r = new Random(options.seed * 7919 + index * 104729 + 1);
  const today = options.today;
  const academicYearStart = academicYearStartOf(today);
  const schoolId = r.uuid();
  const baseName = SCHOOL_NAMES[index % SCHOOL_NAMES.length]!;
  const name =
    index < SCHOOL_NAMES.length
      ? baseName
      : `${baseName.replace(/ School$/, '')} ${Math.floor(index / SCHOOL_NAMES.length) + 1}`;
  const laCode = '999';
  const establishmentNumber = String(2000 + index).padStart(4, '0');
  const domain =
    options.emailDomain ??
    (index === 0 ? 'brookfield.example' : `school${String(index).padStart(3, '0')}.example`);
  const school = {
    id: schoolId,
    name,
    urn: String(990000 + index),
    laCode,
    establishmentNumber,
    phase: 'primary',
    lowestNcYear: -1,
    highestNcYear: 6,
    // Its classes are this year's: the next roll-over prepares the year after.
    rolledOverTo: academicYearStart,
  };

  // Classes
  const classes: DemoSchool['classes'] = [];
  let nameIndex = 0;
  for (const plan of CLASS_PLAN) {
    for (let i = 0; i < plan.count; i++) {
      const suffix =
        plan.count > 1 || plan.ncYear > 0 ? ` ${CLASS_NAMES[nameIndex++ % CLASS_NAMES.length]}` : '';
      classes.push({
        schoolId,
        id: r.uuid(),
        name: `${plan.label}${suffix}`,
        ncYear: plan.ncYear,
        ncYears: [plan.ncYear],
      });
    }
  }

  // Staff
  const staff: DemoStaff[] = [];
  // Each member of staff has a name of their own (two "Joanne Patel"s would make every list ambiguous).
  const adult = () => {
    for (;;) {
      const name = `${r.pick(ADULT_NAMES)} ${r.pick(SURNAMES)}`;
      if (!staff.some((s) => s.name === name)) return name;
    }
  };
  const addStaff = (roles: SchoolRole[], local: string, description: string) => {
    const person = { id: r.uuid(), name: adult(), email: `${local}@${domain}`, roles, description };
    staff.push(person);
    return person;
  };
  // As in many primaries, the SENCo also teaches a class: the first Year 4 class is theirs.
  const sencoClass = classes.find((c) => c.ncYear === 4)!;
  const sencoTeacher = addStaff(
    ['senco', 'class_teacher'],
    'senco',
    `SENCo, and class teacher of ${sencoClass.name}`,
  );
  addStaff(['head_teacher'], 'head', 'head teacher');
  const classTeachers: DemoSchool['classTeachers'] = [];
  classes.forEach((c, i) => {
    const teacher =
      c === sencoClass
        ? sencoTeacher
        : addStaff(['class_teacher'], `teacher${i + 1}`, `class teacher of ${c.name}`);
    classTeachers.push({ schoolId, classId: c.id, userId: teacher.id });
  });
  const tas = Array.from({ length: 6 }, (_, i) =>
    addStaff(['teaching_assistant'], `ta${i + 1}`, 'teaching assistant'),
  );
  addStaff(['office'], 'office', 'office manager');
  addStaff(['sen_governor'], 'governor', 'SEN governor');

  // Pupils
  const pupils: DemoSchool['pupils'] = [];
  const parents: DemoSchool['parents'] = [];
  let serial = 0;
  for (const c of classes) {
    const size = c.ncYear === -1 ? 26 : 30 - r.int(0, 1);
    for (let i = 0; i < size; i++) {
      const female = r.chance(0.49);
      const forename = r.pick(female ? GIRL_NAMES : BOY_NAMES);
      const surname = r.pick(SURNAMES);
      const ncYear = c.ncYear ?? 0;
      const dateOfBirth = dobForNcYear(r, ncYear, academicYearStart);
      const pupilPremium = r.chance(0.25);
      const lookedAfter = r.chance(0.01);
      const id = r.uuid();
      const admissionYear = academicYearStart - Math.max(0, ncYear + 1);
      pupils.push({
        schoolId,
        id,
        upn: makeUpn(laCode, establishmentNumber, admissionYear % 100, serial++),
        forename,
        surname,
        preferredName: r.chance(0.03) ? forename.slice(0, 3) : null,
        dateOfBirth,
        sex: female ? 'female' : 'male',
        classId: c.id,
        ncYearOverride: r.chance(0.004) ? ncYear - 1 : null,
        admissionDate: firstSchoolDayFrom(toIsoDate(admissionYear, 9, r.int(1, 8))),
        pupilPremium: pupilPremium || lookedAfter,
        freeSchoolMeals: pupilPremium && r.chance(0.85),
        lookedAfter,
        previouslyLookedAfter: !lookedAfter && r.chance(0.015),
        eal: r.chance(0.2),
        serviceChild: r.chance(0.02),
        youngCarer: ncYear >= 3 && r.chance(0.02),
        medicalCondition: r.chance(0.06),
        medicalNotes: null,
        attendancePercent:
          Math.round(
            Math.min(100, Math.max(72, 96 - Math.abs(r.next() * 8 + (r.chance(0.1) ? 10 : 0)))) * 10,
          ) / 10,
        senStage: 'none',
        primaryNeed: null,
        secondaryNeed: null,
      });
      const parentSurname = r.chance(0.85) ? surname : r.pick(SURNAMES);
      const relationship = lookedAfter ? 'Foster carer' : r.chance(0.7) ? 'Mother' : r.pick(RELATIONSHIPS);
      parents.push({
        schoolId,
        id: r.uuid(),
        pupilId: id,
        name: `${adultFor(r, relationship)} ${parentSurname}`,
        relationship,
        phone: `07700 900${String(r.int(0, 999)).padStart(3, '0')}`,
        email: r.chance(0.8) ? `parent${serial}@families.example` : null,
        parentalResponsibility: relationship !== 'Foster carer',
        contactPriority: 1,
      });
      if (r.chance(0.55)) {
        const second =
          relationship === 'Mother'
            ? r.pick(['Father', 'Father', 'Grandfather', 'Mother'])
            : r.pick(['Mother', 'Grandmother']);
        parents.push({
          schoolId,
          id: r.uuid(),
          pupilId: id,
          name: `${adultFor(r, second)} ${parentSurname}`,
          relationship: second,
          phone: `07700 900${String(r.int(0, 999)).padStart(3, '0')}`,
          email: null,
          parentalResponsibility: true,
          contactPriority: 2,
        });
      }
    }
  }

  // Register: stages and history over two years.
  const senco = staff[0]!;
  const registerEntries: DemoSchool['registerEntries'] = [];
  const registerReviews: DemoSchool['registerReviews'] = [];
  const twoYearsAgo = addDays(today, -730);
  const lastTermReview = schoolDayNear(addDays(today, -90 - r.int(0, 10)), '');
  const record = (
    p: (typeof pupils)[number],
    to: { stage: SenStage; primaryNeed: NeedCode | null; secondaryNeed: NeedCode | null },
    date: IsoDate,
    reason: string,
    concernId: string | null = null,
  ) => {
    const from = {
      stage: p.senStage ?? 'none',
      primaryNeed: p.primaryNeed ?? null,
      secondaryNeed: p.secondaryNeed ?? null,
    };
    const change = classifyRegisterChange(from, to);
    if ('error' in change) return;
    // Decided on a school day: the one before (not before the pupil came or their last change), else after.
    const previous = registerEntries.findLast((e) => e.pupilId === p.id)?.effectiveDate;
    const admitted = p.admissionDate ? addDays(p.admissionDate, -1) : '';
    const effectiveDate = schoolDayNear(date, [previous ?? '', admitted].sort(compareIsoDates)[1]!);
    registerEntries.push({
      schoolId,
      id: r.uuid(),
      pupilId: p.id!,
      effectiveDate,
      fromStage: from.stage,
      stage: to.stage,
      primaryNeed: to.primaryNeed,
      secondaryNeed: to.secondaryNeed,
      changeKind: change.kind,
      reason,
      decidedBy: senco.id,
      decidedByName: senco.name,
      source: concernId ? 'concern' : 'register',
      concernId,
    });
    p.senStage = to.stage;
    p.primaryNeed = to.primaryNeed;
    p.secondaryNeed = to.secondaryNeed;
  };
  const secondaryFor = (primary: NeedCode): NeedCode | null => {
    if (!r.chance(0.3) || primary === 'NSA') return null;
    const options: NeedCode[] = (['SLCN', 'SEMH', 'SPLD', 'MLD', 'ASD', 'PD'] as NeedCode[]).filter(
      (c) => c !== primary,
    );
    return r.pick(options);
  };
  const randomDateBetween = (from: IsoDate, to: IsoDate): IsoDate => {
    if (compareIsoDates(from, to) >= 0) return to;
    const span = Math.round((Date.parse(to) - Date.parse(from)) / 86400000);
    return addDays(from, r.int(0, span));
  };

  const eligible = pupils.filter((p) => (classes.find((c) => c.id === p.classId)?.ncYear ?? 0) >= 0);
  for (const p of eligible) {
    const start = [twoYearsAgo, p.admissionDate ?? twoYearsAgo].sort(compareIsoDates)[1]!;
    const roll = r.next();
    // Only pupils here for well over a year can have an EHC plan issued here, or have left the register.
    const longStanding = compareIsoDates(start, addDays(today, -480)) <= 0;
    if (roll < 0.03 && longStanding) {
      // EHC plan: SEN support first, then the plan.
      const need = r.weighted(E_NEEDS);
      const kNeed = need === 'NSA' ? 'SLCN' : need;
      const kDate = randomDateBetween(start, addDays(today, -400));
      record(
        p,
        { stage: 'sen_support', primaryNeed: kNeed, secondaryNeed: null },
        kDate,
        'Little progress despite quality-first teaching and targeted support; parents agree.',
      );
      record(
        p,
        { stage: 'ehc_plan', primaryNeed: need, secondaryNeed: secondaryFor(need) },
        randomDateBetween(addDays(kDate, 200), addDays(today, -30)),
        'EHC plan issued by the local authority.',
      );
    } else if (roll < 0.165) {
      const need = r.weighted(K_NEEDS);
      if (r.chance(0.4)) {
        record(
          p,
          { stage: 'monitoring', primaryNeed: null, secondaryNeed: null },
          randomDateBetween(start, addDays(today, -200)),
          'Concern raised at pupil progress meeting; monitoring for a term.',
        );
      }
      const since =
        p.senStage === 'monitoring'
          ? addDays(registerEntries[registerEntries.length - 1]!.effectiveDate, 90)
          : start;
      record(
        p,
        { stage: 'sen_support', primaryNeed: need, secondaryNeed: secondaryFor(need) },
        randomDateBetween(since, addDays(today, -20)),
        'Needs provision additional to and different from peers; parents informed formally.',
      );
    } else if (roll < 0.205) {
      record(
        p,
        { stage: 'monitoring', primaryNeed: null, secondaryNeed: null },
        randomDateBetween(addDays(today, -300), addDays(today, -10)),
        'Emerging concern: monitoring with adaptations in class.',
      );
    } else if (roll < 0.225 && longStanding) {
      // Was on the register, now left.
      const need = r.weighted(K_NEEDS);
      const kDate = randomDateBetween(start, addDays(today, -300));
      record(
        p,
        { stage: 'sen_support', primaryNeed: need, secondaryNeed: null },
        kDate,
        'Placed at SEN support after review of interventions.',
      );
      record(
        p,
        { stage: 'none', primaryNeed: null, secondaryNeed: null },
        randomDateBetween(addDays(kDate, 120), addDays(today, -15)),
        'Targets met; now making expected progress with quality-first teaching.',
      );
    }
  }
  // Register reviews: most listed pupils were reviewed last term; some already this term.
  for (const p of pupils) {
    if (!p.senStage || p.senStage === 'none') continue;
    const lastEntry = registerEntries.filter((e) => e.pupilId === p.id).at(-1);
    if (lastEntry && compareIsoDates(lastEntry.effectiveDate, lastTermReview) < 0 && r.chance(0.85)) {
      registerReviews.push({
        schoolId,
        id: r.uuid(),
        pupilId: p.id!,
        reviewedOn: lastTermReview,
        outcome: 'stays',
        fromStage: p.senStage,
        toStage: p.senStage,
        reason: 'Still needs the current level of support; plan reviewed with parents.',
        reviewedBy: senco.id,
        reviewedByName: senco.name,
      });
      if (r.chance(0.3)) {
        registerReviews.push({
          schoolId,
          id: r.uuid(),
          pupilId: p.id!,
          reviewedOn: schoolDayNear(addDays(today, -r.int(1, 20)), ''),
          outcome: 'stays',
          fromStage: p.senStage,
          toStage: p.senStage,
          reason: 'Reviewed at the autumn register review: support continues.',
          reviewedBy: senco.id,
          reviewedByName: senco.name,
        });
      }
    }
  }

  // Concerns in every state.
  const concerns: DemoSchool['concerns'] = [];
  // Who taught the pupil when: this year's class teacher, or the one of their year group then.
  const teacherOf = (p: (typeof pupils)[number], on: IsoDate) => {
    const c = classOnDate(
      classes.map((x) => ({ id: x.id!, ncYear: x.ncYear ?? 0 })),
      p.classId ?? null,
      on,
      academicYearStart,
    );
    return staff.find((s) => s.id === classTeachers.find((ct) => ct.classId === c?.id)?.userId) ?? senco;
  };
  const addConcern = (
    p: (typeof pupils)[number],
    date: IsoDate,
    kind: 'send' | 'pastoral',
    outcome: ConcernOutcome | null,
    area?: AreaOfNeed,
  ) => {
    const areaChoice: AreaOfNeed =
      area ??
      (p.primaryNeed
        ? (areaOfNeed(p.primaryNeed) ?? 'cognition_and_learning')
        : r.pick([
            'communication_and_interaction',
            'cognition_and_learning',
            'social_emotional_and_mental_health',
            'sensory_and_physical',
          ] as const));
    const raiser = teacherOf(p, date);
    const id = r.uuid();
    // Raised and reviewed on school days, once the pupil was at the school.
    const admitted = p.admissionDate ?? date;
    const raisedOn = schoolDayNear(
      compareIsoDates(date, admitted) < 0 ? admitted : date,
      addDays(admitted, -1),
    );
    const interventions = [r.pick(INTERVENTIONS), ...(r.chance(0.5) ? [r.pick(INTERVENTIONS)] : [])];
    concerns.push({
      schoolId,
      id,
      pupilId: p.id!,
      kind,
      concernDate: raisedOn,
      raisedBy: raiser.id,
      raisedByName: raiser.name,
      raisedByRole: rolesLabel(raiser.roles),
      reasons: r.pick(REASONS[kind === 'pastoral' ? 'social_emotional_and_mental_health' : areaChoice]),
      classroomEvidence: r.pick(EVIDENCE),
      areasOfNeed: [kind === 'pastoral' ? 'social_emotional_and_mental_health' : areaChoice],
      interventionsTried: interventions,
      status: outcome ? 'reviewed' : 'open',
      outcome,
      actionTaken: outcome ? actionFor(outcome) : null,
      agency:
        outcome === 'agency_referral'
          ? r.pick(['Speech and language therapy', 'Educational psychology', 'Occupational therapy'])
          : null,
      reviewedBy: outcome ? senco.id : null,
      reviewedByName: outcome ? senco.name : null,
      reviewedOn: outcome ? schoolDayNear(addDays(raisedOn, r.int(3, 12)), raisedOn) : null,
    });
    return id;
  };
  // Concerns that led to the current register position.
  for (const e of registerEntries) {
    if (
      (e.changeKind === 'added_to_monitoring' || e.changeKind === 'added_to_sen_support') &&
      r.chance(0.6)
    ) {
      const p = pupils.find((x) => x.id === e.pupilId)!;
      const date = addDays(e.effectiveDate, -r.int(7, 21));
      const id = addConcern(
        p,
        date,
        'send',
        e.changeKind === 'added_to_monitoring' ? 'monitoring' : 'sen_support',
      );
      const reviewed = concerns[concerns.length - 1]!;
      reviewed.reviewedOn = e.effectiveDate;
      e.concernId = id;
      e.source = 'concern';
      // As the concern's review writes it.
      e.reason = `Concern reviewed: ${reviewed.actionTaken}`;
    }
  }
  const unlisted = pupils.filter(
    (p) => p.senStage === 'none' && (classes.find((c) => c.id === p.classId)?.ncYear ?? 0) >= 0,
  );
  const pickUnlisted = () => unlisted.splice(r.int(0, unlisted.length - 1), 1)[0]!;
  for (let i = 0; i < 5; i++)
    addConcern(pickUnlisted(), addDays(today, -r.int(1, 25)), i === 4 ? 'pastoral' : 'send', null);
  for (const outcome of [
    'no_further_action',
    'pastoral_support',
    'agency_referral',
    'no_further_action',
  ] as const) {
    addConcern(
      pickUnlisted(),
      addDays(today, -r.int(40, 200)),
      outcome === 'pastoral_support' ? 'pastoral' : 'send',
      outcome,
    );
  }

  // Teaching assistants work with pupils on the register in their year groups.
  const assignments: DemoSchool['assignments'] = [];
  const listed = pupils.filter((p) => p.senStage === 'sen_support' || p.senStage === 'ehc_plan');
  listed.forEach((p, i) => {
    const ta = tas[i % tas.length]!;
    assignments.push({ schoolId, pupilId: p.id!, userId: ta.id });
  });

  // Provision, from a generator of its own so that everything above stays as it was for a seed.
  const pupilsOf = new Map<string, ListedPupil[]>();
  for (const a of assignments) {
    const p = listed.find((x) => x.id === a.pupilId)!;
    pupilsOf.set(a.userId, [
      ...(pupilsOf.get(a.userId) ?? []),
      {
        id: p.id!,
        forename: p.forename,
        stage: p.senStage as 'sen_support' | 'ehc_plan',
        primaryNeed: (p.primaryNeed ?? null) as NeedCode | null,
        dateOfBirth: p.dateOfBirth,
        admissionDate: p.admissionDate ?? null,
      },
    ]);
  }
  const provision = generateDemoProvision(new Random(options.seed * 7919 + index * 104729 + 2), {
    schoolId,
    today,
    senco: staff[0]!,
    tas,
    pupilsOf,
  });

  // Plans and letters, from a generator of their own too.
  const history = generateDemoHistory(
    new Random(options.seed * 7919 + index * 104729 + 3),
    {
      schoolId,
      schoolName: name,
      today,
      senco,
      office: staff.find((s) => s.roles.includes('office'))!,
      staff,
      classes: classes.map((c) => ({ id: c.id!, name: c.name, ncYear: c.ncYear ?? 0 })),
      classTeachers,
      pupils: pupils.map((p) => ({
        id: p.id!,
        forename: p.forename,
        surname: p.surname,
        preferredName: p.preferredName ?? null,
        dateOfBirth: p.dateOfBirth,
        sex: p.sex ?? '',
        classId: p.classId ?? null,
        ncYearOverride: p.ncYearOverride ?? null,
        senStage: p.senStage ?? 'none',
      })),
      parents: parents.map((x) => ({
        id: x.id!,
        pupilId: x.pupilId,
        name: x.name,
        relationship: x.relationship ?? '',
        email: x.email ?? null,
        parentalResponsibility: x.parentalResponsibility ?? true,
      })),
      registerEntries: registerEntries.map((e) => ({
        id: e.id!,
        pupilId: e.pupilId,
        effectiveDate: e.effectiveDate,
        stage: e.stage,
        primaryNeed: e.primaryNeed ?? null,
        secondaryNeed: e.secondaryNeed ?? null,
        concernId: e.concernId ?? null,
      })),
      assignments,
      provision,
    },
    new Set<string>(WOMEN_NAMES),
    new Random(options.seed * 7919 + index * 104729 + 4),
  );
  // A pupil who left the register left through their plan's review: the entry is the one it wrote.
  for (const e of registerEntries) {
    const written = history.registerByReview.get(e.id!);
    if (written) Object.assign(e, written);
  }

  // Pupils who left long ago, some now past the retention date: added after the history, which is this year's.
  const longGone = demoLongGoneLeavers(new Random(options.seed * 7919 + index * 104729 + 6), {
    schoolId,
    laCode,
    establishmentNumber,
  });

  return {
    school,
    staff,
    classes,
    classTeachers,
    pupils: [...pupils, ...longGone.pupils],
    parents: [...parents, ...longGone.parents],
    assignments,
    registerEntries: [...registerEntries, ...longGone.registerEntries],
    ctfExports: longGone.ctfExports,
    registerReviews,
    concerns,
    provision,
    plans: history.plans,
    letters: history.letters,
    subjectAccess: demoSubjectAccess(new Random(options.seed * 7919 + index * 104729 + 5), {
      schoolId,
      today,
      senco,
      pupils: pupils.map((p) => ({ id: p.id!, senStage: p.senStage ?? 'none' })),
      parents: parents.map((x) => ({
        pupilId: x.pupilId,
        name: x.name,
        parentalResponsibility: x.parentalResponsibility ?? true,
      })),
    }),
  };
}

/** `date` if a school day, else the school day before it (if after `notBefore`), else the one after. */
/** The first school day on or after `date` (a pupil starts school on one). */
function firstSchoolDayFrom(date: IsoDate): IsoDate {
  let d = date;
  while (!isSchoolDay(d)) d = addDays(d, 1);
  return d;
}

function schoolDayNear(date: IsoDate, notBefore: IsoDate): IsoDate {
  for (let d = date; compareIsoDates(d, notBefore) > 0; d = addDays(d, -1)) if (isSchoolDay(d)) return d;
  let d = addDays(date, 1);
  while (!isSchoolDay(d)) d = addDays(d, 1);
  return d;
}

function adultFor(r: Random, relationship: string): string {
  if (/Mother|Grandmother|Aunt|Stepmother/.test(relationship)) return r.pick(WOMEN_NAMES);
  if (/Father|Grandfather|Stepfather|Uncle/.test(relationship)) return r.pick(MEN_NAMES);
  return r.pick(ADULT_NAMES);
}

function actionFor(outcome: ConcernOutcome): string {
  switch (outcome) {
    case 'no_further_action':
      return 'Discussed with class teacher: progress within expected range; keep under review at the next pupil progress meeting.';
    case 'pastoral_support':
      return 'Weekly check-in with the learning mentor; parents met with the class teacher.';
    case 'monitoring':
      return 'Added to the monitoring list; class strategies agreed and a review in six weeks.';
    case 'sen_support':
      return 'Placed at SEN support; support plan to be written with parents; letter sent home.';
    case 'agency_referral':
      return 'Parental consent obtained; referral made to the outside agency.';
  }
}
