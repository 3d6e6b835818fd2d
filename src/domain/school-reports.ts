import type { NeedCode } from './census.ts';
import type { SenStage } from './register.ts';

/*
 * The school's two SEN reports, item by item (issue 18).
 *
 * The SEN information report: what the Special Educational Needs and Disability Regulations 2014,
 * Schedule 1, say a school's governing body must publish on its website each year, with the
 * disability and accessibility information that the Children and Families Act 2014 (section 69(3)(b)
 * and (c), with the Equality Act 2010, Schedule 10) adds to it.
 *
 * The governors' annual SEN report: "The Governing Body will report annually on the success of the
 * SEND policy" (seed 001), with the figures a governing body reads that by.
 *
 * Each item says where OpenSEND draws figures for it from live data (a `source`), and whether the school
 * must write its own words for it (`schoolWrites`). Figures never name a pupil and small numbers are
 * suppressed (domain/suppression.ts).
 */

export const SCHOOL_REPORT_KINDS = ['sen_information', 'governors_annual'] as const;
export type SchoolReportKind = (typeof SCHOOL_REPORT_KINDS)[number];

export const SCHOOL_REPORT_KIND_LABELS: Record<SchoolReportKind, string> = {
  sen_information: 'SEN information report',
  governors_annual: 'Governors’ annual SEN report',
};

/** Where OpenSEND draws an item's figures from. */
export const FIGURE_SOURCES = {
  register: 'The SEN register: pupils at each stage and by primary need',
  progress: 'Attainment against each pupil’s expected trajectory, pupils with SEN beside their peers',
  provision: 'The provision map: interventions, their cost by area of need',
  impact: 'Entry and exit measures of interventions: how many pupils made progress',
  senco: 'The SENCO’s appointment and mandatory qualification',
  training: 'Staff training recorded this year, by area of need',
  complaints: 'The complaints log: concerns and formal complaints by stage and outcome',
  agencies: 'Referrals to outside services, by kind of service',
  ehc: 'Requests for an EHC needs assessment and EHC plans held',
} as const;
export type FigureSource = keyof typeof FIGURE_SOURCES;

/** Whether the school writes its own words for an item: it must, it may, or the figures say it all. */
export type SchoolWrites = 'required' | 'optional' | 'none';

export interface ReportItem {
  key: string;
  heading: string;
  /** Where in the law (or the seed) the item comes from. */
  basis: string;
  /** What the school's words should say: the hint beside the box it writes in. */
  guidance: string;
  /** The live figures drawn for it, if any. */
  sources: readonly FigureSource[];
  schoolWrites: SchoolWrites;
}

const item = (
  key: string,
  heading: string,
  basis: string,
  guidance: string,
  sources: readonly FigureSource[],
  schoolWrites: SchoolWrites = 'required',
): ReportItem => ({ key, heading, basis, guidance, sources, schoolWrites });

/** The SEN information report: Schedule 1, in its order, then the Children and Families Act's additions. */
export const SEN_INFORMATION_ITEMS: readonly ReportItem[] = [
  item(
    'kinds_of_sen',
    'The kinds of special educational needs we provide for',
    'Schedule 1, paragraph 1',
    'The needs the school provides for, in the four broad areas of need.',
    ['register'],
  ),
  item(
    'identification',
    'How we identify and assess pupils with special educational needs',
    'Schedule 1, paragraph 2',
    'How a concern is raised and followed up, and who is involved.',
    [],
  ),
  item(
    'evaluating_provision',
    'How we evaluate the effectiveness of our provision',
    'Schedule 1, paragraph 3(a)',
    'How interventions are measured on entry and exit and reviewed.',
    ['impact'],
  ),
  item(
    'assessing_progress',
    'How we assess and review pupils’ progress towards their outcomes',
    'Schedule 1, paragraph 3(b)',
    'Termly assessment, expected trajectories, progress meetings and reviews with parents.',
    ['progress'],
  ),
  item(
    'teaching_approach',
    'Our approach to teaching pupils with special educational needs',
    'Schedule 1, paragraph 3(c)',
    'Quality first teaching and the graduated approach: assess, plan, do, review.',
    [],
  ),
  item(
    'adaptations',
    'How we adapt the curriculum and the learning environment',
    'Schedule 1, paragraph 3(d)',
    'Adaptations to lessons, resources and classrooms.',
    [],
  ),
  item(
    'additional_support',
    'Additional support for learning',
    'Schedule 1, paragraph 3(e)',
    'The interventions the school offers and how pupils are chosen for them.',
    ['provision'],
  ),
  item(
    'inclusion_in_activities',
    'How pupils with SEN take part in activities with other pupils',
    'Schedule 1, paragraph 3(f)',
    'Clubs, trips and other activities, and the adjustments made so every pupil can join in.',
    [],
  ),
  item(
    'emotional_social_development',
    'Support for emotional and social development',
    'Schedule 1, paragraph 3(g)',
    'Pastoral support, pupils’ views, and the measures taken to prevent bullying.',
    [],
  ),
  item(
    'senco',
    'Our SENCO and how to contact them',
    'Schedule 1, paragraph 4',
    'The SENCO’s name and how parents can contact them.',
    ['senco'],
  ),
  item(
    'staff_expertise',
    'Staff expertise and training',
    'Schedule 1, paragraph 5',
    'The training staff have had, and how specialist expertise is secured.',
    ['training'],
  ),
  item(
    'equipment_facilities',
    'Equipment and facilities',
    'Schedule 1, paragraph 6',
    'How equipment and facilities to support pupils with SEN are secured.',
    [],
  ),
  item(
    'consulting_parents',
    'Consulting and involving parents',
    'Schedule 1, paragraph 7',
    'How parents are consulted about and involved in their child’s education.',
    [],
  ),
  item(
    'consulting_pupils',
    'Consulting and involving pupils',
    'Schedule 1, paragraph 8',
    'How pupils are consulted about and involved in their education.',
    [],
  ),
  item(
    'complaints',
    'Complaints about SEN provision',
    'Schedule 1, paragraph 9',
    'How a parent raises a concern or complaint: the SENCo, then the head teacher, then the SEN governor.',
    ['complaints'],
  ),
  item(
    'other_bodies',
    'Working with other bodies',
    'Schedule 1, paragraph 10',
    'How the school involves health and social care services, the local authority and others.',
    ['agencies', 'ehc'],
  ),
  item(
    'support_for_parents',
    'Support services for parents',
    'Schedule 1, paragraph 11',
    'Contact details of support services for parents, including the local SENDIAS service.',
    [],
  ),
  item(
    'transitions',
    'Transitions',
    'Schedule 1, paragraph 12',
    'Joining the school, moving between classes and moving on to the next school.',
    [],
  ),
  item(
    'local_offer',
    'The local authority’s local offer',
    'Schedule 1, paragraph 13',
    'Where the local authority publishes its local offer (a web address).',
    [],
  ),
  item(
    'disability_admission',
    'Admission of disabled pupils',
    'Children and Families Act 2014, section 69(3)(b); Equality Act 2010',
    'The arrangements for the admission of disabled pupils.',
    [],
  ),
  item(
    'disability_treatment',
    'Preventing disabled pupils being treated less favourably',
    'Children and Families Act 2014, section 69(3)(b); Equality Act 2010',
    'The steps taken so disabled pupils are not treated less favourably than other pupils.',
    [],
  ),
  item(
    'disability_facilities',
    'Facilities that help disabled pupils',
    'Children and Families Act 2014, section 69(3)(b); Equality Act 2010',
    'The facilities provided to help disabled pupils to have access to the school.',
    [],
  ),
  item(
    'accessibility_plan',
    'Our accessibility plan',
    'Children and Families Act 2014, section 69(3)(c); Equality Act 2010, Schedule 10',
    'The accessibility plan: how the school is improving access to the curriculum, the buildings and information.',
    [],
  ),
];

/** The governors' annual SEN report: how well the SEND policy worked this year, with its figures. */
export const GOVERNORS_ANNUAL_ITEMS: readonly ReportItem[] = [
  item(
    'policy_success',
    'How well the SEND policy worked this year',
    'Seed 001: the Governing Body reports annually on the success of the SEND policy',
    'The governing body’s judgement of the year, drawing on the figures below.',
    [],
  ),
  item(
    'register_numbers',
    'Pupils on the SEN register',
    'Seed 001; SEND Code of Practice 6.79',
    'What the numbers show: changes since last year, needs that have grown.',
    ['register'],
    'optional',
  ),
  item(
    'pupil_progress',
    'Progress of pupils with SEN',
    'Seed 004: schools must track progress for all pupils',
    'How pupils with SEN progressed against their expected trajectories, beside their peers.',
    ['progress'],
    'optional',
  ),
  item(
    'provision_and_impact',
    'Provision, its cost and its impact',
    'SEND Code of Practice 6.72',
    'What the interventions achieved for what they cost.',
    ['provision', 'impact'],
    'optional',
  ),
  item(
    'ehc_plans',
    'Requests for EHC needs assessments and EHC plans',
    'SEND Code of Practice 6.63',
    'Requests made this year and how they stand.',
    ['ehc'],
    'optional',
  ),
  item(
    'training_done',
    'Staff training',
    'Seed 001: the SENCo provides school-based INSET; seed 004: CPD matches areas for development',
    'Training done this year against the needs of the school’s pupils.',
    ['training', 'senco'],
    'optional',
  ),
  item(
    'complaints_received',
    'Complaints',
    'Seed 001: complaints go to the SENCo, then the head teacher, then the SEND governor',
    'Complaints about SEN provision this year and how they were resolved.',
    ['complaints'],
    'optional',
  ),
  item(
    'agencies_used',
    'Outside services we worked with',
    'Schedule 1, paragraph 10',
    'The outside services the school worked with and what they added.',
    ['agencies'],
    'optional',
  ),
  item(
    'next_priorities',
    'Priorities for next year',
    'SEND Code of Practice 6.79',
    'What the governing body and the school will improve next year.',
    [],
  ),
];

export function itemsOf(kind: SchoolReportKind): readonly ReportItem[] {
  return kind === 'sen_information' ? SEN_INFORMATION_ITEMS : GOVERNORS_ANNUAL_ITEMS;
}

/** The items a school writes words for (required or optional): one box each on the edit page. */
export function writtenItems(kind: SchoolReportKind): readonly ReportItem[] {
  return itemsOf(kind).filter((i) => i.schoolWrites !== 'none');
}

export type ChecklistState = 'written' | 'missing' | 'optional';

export interface ChecklistEntry {
  key: string;
  heading: string;
  state: ChecklistState;
  /** Drawn from live data too (the figures appear whatever the school writes). */
  drawn: boolean;
}

/** Each item and whether it is done: a required item with no words of the school's is missing. */
export function checklist(kind: SchoolReportKind, texts: Readonly<Record<string, string>>) {
  const entries: ChecklistEntry[] = itemsOf(kind).map((i) => {
    const written = hasWords(texts[i.key] ?? '');
    const state: ChecklistState = written
      ? 'written'
      : i.schoolWrites === 'required'
        ? 'missing'
        : 'optional';
    return { key: i.key, heading: i.heading, state, drawn: i.sources.length > 0 };
  });
  const missing = entries.filter((e) => e.state === 'missing');
  return { entries, missing, complete: missing.length === 0 };
}

/** The longest text the school may write for one item. */
export const MAX_ITEM_TEXT = 10_000;

/** The longest run of characters without a space an item may hold (a long web address fits). */
export const MAX_WORD = 200;

/** Does a text hold anything a reader would see (not only spaces and invisible characters)? */
export function hasWords(text: string): boolean {
  return (
    text.replace(/[\s\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2060-\u206f\ufeff]/gu, '') !==
    ''
  );
}

/**
 * Characters a report's text may not hold: control characters (C0 but tab and line breaks, DEL, C1),
 * the bidirectional overrides and isolates that reorder text as it is shown (a phone number on the
 * school's website), line and paragraph separators, and non-characters.
 */
const REFUSED_CHARACTERS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufffe\uffff]/u;

/**
 * Problems with the school's words for a report, item by item: only its own items, no control
 * characters (other than line breaks and tabs), no longer than MAX_ITEM_TEXT.
 */
export function textProblems(
  kind: SchoolReportKind,
  texts: Readonly<Record<string, unknown>>,
): { field: string; message: string }[] {
  const keys = new Set(writtenItems(kind).map((i) => i.key));
  const problems: { field: string; message: string }[] = [];
  for (const [key, value] of Object.entries(texts)) {
    if (!keys.has(key)) {
      problems.push({ field: key, message: 'This report has no such item' });
      continue;
    }
    if (typeof value !== 'string') {
      problems.push({ field: key, message: 'Enter text' });
      continue;
    }
    const normalised = value.replace(/\r\n?/g, '\n');
    if (REFUSED_CHARACTERS.test(normalised))
      problems.push({ field: key, message: 'Remove the hidden control characters from this text' });
    else if (normalised.length > MAX_ITEM_TEXT)
      problems.push({
        field: key,
        message: `Keep this to ${MAX_ITEM_TEXT.toLocaleString('en-GB')} characters or fewer`,
      });
    else if (normalised.split(/\s+/).some((word) => [...word].length > MAX_WORD))
      // A very long unbroken run cannot be laid out on a page (and is slow to try): it is never prose.
      problems.push({
        field: key,
        message: `Break up the long run of characters: no word or web address may be longer than ${MAX_WORD} characters`,
      });
  }
  return problems;
}

export function isSchoolReportKind(value: unknown): value is SchoolReportKind {
  return typeof value === 'string' && (SCHOOL_REPORT_KINDS as readonly string[]).includes(value);
}

/** The academic year a report of this kind is drafted for today: this year's information report, last year's governors' report once the year is over. */
export function reportYears(currentYear: number): { kind: SchoolReportKind; academicYear: number }[] {
  return [
    { kind: 'sen_information', academicYear: currentYear },
    { kind: 'sen_information', academicYear: currentYear - 1 },
    { kind: 'governors_annual', academicYear: currentYear - 1 },
  ];
}

/**
 * Why a report of this kind and year may not be drafted or published yet, or null. The governors'
 * annual report is of a finished school year (its figures are the whole year's); the SEN information
 * report describes the school as it is and may be published at any time.
 */
export function notYetReportable(
  kind: SchoolReportKind,
  academicYear: number,
  currentYear: number,
): string | null {
  if (kind === 'governors_annual' && academicYear >= currentYear)
    return 'The governors’ annual report is of a finished school year: draft and publish it once the year has ended';
  return null;
}

/** A pupil as the register's history needs them: on roll between two dates, their stage and need now. */
export interface PupilForHistory {
  id: string;
  admissionDate: string | null;
  leftOn: string | null;
  senStage: SenStage;
  primaryNeed: NeedCode | null;
}

export interface RegisterChange {
  pupilId: string;
  effectiveDate: string;
  fromStage: SenStage;
  stage: SenStage;
  primaryNeed: NeedCode | null;
}

/**
 * The pupils on roll on a date, with the stage and primary need they had then: the last change to the
 * register on or before the date; before their first change, the stage it moved them from; with no
 * change recorded at all, their stage now. `changes` oldest first.
 */
export function stagesAt(
  pupils: readonly PupilForHistory[],
  changes: readonly RegisterChange[],
  date: string,
): { id: string; stage: SenStage; primaryNeed: NeedCode | null }[] {
  const changesOf = new Map<string, RegisterChange[]>();
  for (const c of changes) {
    const list = changesOf.get(c.pupilId);
    if (list) list.push(c);
    else changesOf.set(c.pupilId, [c]);
  }
  const onRoll = pupils.filter(
    (p) => (p.admissionDate === null || p.admissionDate <= date) && (p.leftOn === null || p.leftOn > date),
  );
  return onRoll.map((p) => {
    const list = changesOf.get(p.id) ?? [];
    if (list.length === 0) return { id: p.id, stage: p.senStage, primaryNeed: p.primaryNeed };
    let last: RegisterChange | null = null;
    for (const c of list) if (c.effectiveDate <= date) last = c;
    if (last) return { id: p.id, stage: last.stage, primaryNeed: last.primaryNeed ?? p.primaryNeed };
    const first = list[0] as RegisterChange;
    return {
      id: p.id,
      stage: first.fromStage,
      primaryNeed: first.fromStage === 'none' ? null : p.primaryNeed,
    };
  });
}

/** A pupil's name as the report check needs it. */
export interface PupilName {
  forename: string;
  surname: string;
  preferredName?: string | null;
}

/** Curly and straight apostrophes alike: O’Neil is O'Neil. */
const plain = (s: string) => s.replace(/[’‘`]/g, "'");
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The written items whose text holds a pupil's full name (forename or preferred name, then surname),
 * whole words, in any case: a report goes on the school's website and must name no child. The answer
 * names the items, never the pupils, so that the warning itself names no one.
 */
export function itemsNamingPupils(
  kind: SchoolReportKind,
  texts: Readonly<Record<string, string>>,
  pupils: readonly PupilName[],
): ReportItem[] {
  const fulls = new Set<string>();
  for (const p of pupils) {
    const surname = p.surname.trim();
    if (!surname) continue;
    for (const first of [p.forename, p.preferredName])
      if (first?.trim()) fulls.add(plain(`${first.trim()} ${surname}`).toLocaleLowerCase('en-GB'));
  }
  if (fulls.size === 0) return [];
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}])(?:${[...fulls]
      .map((n) => n.split(/\s+/).map(escapeRegExp).join('\\s+'))
      .join('|')})(?![\\p{L}\\p{N}])`,
    'iu',
  );
  return writtenItems(kind).filter((i) => pattern.test(plain(texts[i.key] ?? '')));
}
