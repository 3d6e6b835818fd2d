import type { AreaOfNeed } from './census.ts';
import { formatDate } from './dates.ts';
import type { ReferralStatus } from './referrals.ts';
import { HIDDEN_IN_LONG_TEXT, HIDDEN_IN_ONE_LINE } from './text.ts';

/*
 * Outside agencies (DOMAIN.md "Outside agencies"; seeds 000, 001, 003, 004): the directory of services a
 * school refers to, kept by the school and, for all its schools, by the local authority.
 */

/** The kinds of service a school refers a pupil to. */
export const SERVICE_KINDS = [
  'educational_psychology',
  'speech_and_language_therapy',
  'occupational_therapy',
  'physiotherapy',
  'camhs',
  'mental_health_support_team',
  'school_nurse',
  'specialist_teacher_autism',
  'specialist_teacher_sensory',
  'specialist_teacher_learning',
  'thrive',
  'play_and_art_therapy',
  'early_help',
  'social_care',
  'other',
] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

export const SERVICE_KIND_LABELS: Record<ServiceKind, string> = {
  educational_psychology: 'Educational psychology',
  speech_and_language_therapy: 'Speech and language therapy',
  occupational_therapy: 'Occupational therapy',
  physiotherapy: 'Physiotherapy',
  camhs: 'Child and adolescent mental health services (CAMHS)',
  mental_health_support_team: 'Mental health support team',
  school_nurse: 'School nurse',
  specialist_teacher_autism: 'Specialist teacher: autism',
  specialist_teacher_sensory: 'Specialist teacher: hearing and vision',
  specialist_teacher_learning: 'Specialist teacher: learning',
  thrive: 'Thrive',
  play_and_art_therapy: 'Play and art therapy',
  early_help: 'Early help (EHAT)',
  social_care: 'Children’s social care',
  other: 'Another service',
};

export function isServiceKind(value: unknown): value is ServiceKind {
  return typeof value === 'string' && (SERVICE_KINDS as readonly string[]).includes(value);
}

/** Whose list a service is on: the school's own, or the local authority's list for its schools. */
export type DirectoryOwnerKind = 'school' | 'organisation';

/** What a professional recommends, each item tagged with the area of need it serves. */
export const RECOMMENDATION_KINDS = ['strategy', 'target', 'provision', 'further_assessment'] as const;
export type RecommendationKind = (typeof RECOMMENDATION_KINDS)[number];

export const RECOMMENDATION_KIND_LABELS: Record<RecommendationKind, string> = {
  strategy: 'Strategy',
  target: 'Target',
  provision: 'Provision',
  further_assessment: 'Further assessment',
};

export function isRecommendationKind(value: unknown): value is RecommendationKind {
  return typeof value === 'string' && (RECOMMENDATION_KINDS as readonly string[]).includes(value);
}

/** How a recommendation was used: as a target or strategy in a plan, or in the provision. */
export const RECOMMENDATION_USES = ['target', 'strategy', 'provision'] as const;
export type RecommendationUse = (typeof RECOMMENDATION_USES)[number];

/** Who sent a report back: the professional through OpenSEND, or the school from paper or email. */
export type ReportSubmittedBy = 'professional' | 'school';

/**
 * Where a recommendation came from, as a plan or the provision map shows it beside what it became:
 * "Recommended by the educational psychologist, report of 3 March 2026".
 */
export function recommendationSource(report: {
  authorRole: string | null;
  agencyName: string;
  writtenOn: string;
}): string {
  const who = report.authorRole?.trim() ? `the ${lowerFirst(report.authorRole.trim())}` : report.agencyName;
  return `Recommended by ${who}, report of ${formatDate(report.writtenOn)}`;
}

function lowerFirst(s: string): string {
  // Keep acronyms ("SALT", "CAMHS nurse") as they are written.
  return /^[A-Z]{2}/.test(s) ? s : s.charAt(0).toLowerCase() + s.slice(1);
}

export interface RecommendationItem {
  area: AreaOfNeed | null;
  kind: RecommendationKind;
  text: string;
}

/** Undo a stream's FlateDecode, giving at most `maxBytes`; throws when it cannot (broken, or larger). */
export type Inflate = (data: Uint8Array, maxBytes: number) => Uint8Array;

/** The names of what runs or acts on its own in a PDF: scripts, actions, launched or embedded files. */
const SCRIPT_NAME = /\/(JavaScript|JS|OpenAction|AA|Launch|EmbeddedFile|RichMedia|XFA)\b/;
/** The most a PDF's streams are inflated to, in all: ten times the file, at least 1 MB, at most 50 MB. */
const inflateBudget = (size: number) => Math.min(50 * 1024 * 1024, Math.max(10 * size, 1024 * 1024));

/** PDF text with the `#xx` escapes of names undone (`/J#61vaScript` is `/JavaScript`). */
function unescapedNames(text: string): string {
  return text.includes('#')
    ? text.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    : text;
}

/**
 * A PDF that carries JavaScript or actions that run on opening is refused: a report is something to
 * read, and a school's staff open it on the school's machines. Other kinds of file carry no scripts
 * that OpenSEND would let run (files always go out as downloads).
 *
 * The names are looked for with their `#xx` escapes undone, in the file and in every stream compressed
 * with FlateDecode (inflated within a budget; one that fails is skipped), except images and font
 * programs, whose binary would match by chance. Object streams (`/ObjStm`, or any stream with `/First`
 * and `/N`) hold whole dictionaries, where actions live: one that cannot be read (another filter, a
 * predictor, broken, over the budget) is refused as if it carried a script.
 */
export function pdfHasScript(bytes: Buffer, inflate: Inflate): boolean {
  const text = bytes.toString('latin1');
  if (SCRIPT_NAME.test(unescapedNames(text))) return true;
  let budget = inflateBudget(bytes.length);
  const keyword = /\bstream(?:\r\n|\n|\r)/g;
  for (let found = keyword.exec(text); found; found = keyword.exec(text)) {
    const start = found.index + found[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) break;
    keyword.lastIndex = end + 'endstream'.length;
    const before = text.slice(Math.max(0, found.index - 65536), found.index);
    const dictionary = unescapedNames(before.slice(before.lastIndexOf('obj') + 3));
    const flate = /\/FlateDecode\b/.test(dictionary);
    const objectStream =
      /\/Type\s*\/ObjStm\b/.test(dictionary) || (/\/First\b/.test(dictionary) && /\/N\b/.test(dictionary));
    if (objectStream) {
      if (!/\/Filter\b/.test(dictionary)) continue; // its bytes are the file's, already read
      const otherFilter = /\/(ASCIIHexDecode|ASCII85Decode|LZWDecode|RunLengthDecode|Crypt|AHx|A85|LZW|RL)\b/;
      if (!flate || otherFilter.test(dictionary) || /\/Predictor\s+([2-9]|\d\d)/.test(dictionary))
        return true;
    } else if (
      !flate ||
      /\/Subtype\s*\/(Image|Type1C|CIDFontType0C|OpenType)\b/.test(dictionary) ||
      /\/(Length[123]|Type\s*\/XRef)\b/.test(dictionary)
    )
      continue;
    let inflated: Uint8Array;
    try {
      inflated = inflate(bytes.subarray(start, end), budget);
    } catch {
      if (objectStream) return true;
      continue;
    }
    budget -= inflated.length;
    if (SCRIPT_NAME.test(unescapedNames(Buffer.from(inflated).toString('latin1')))) return true;
  }
  return false;
}

/*
 * The directory's entries as people type them, and what makes one wrong. The web parses the form and the
 * service checks these again, so that the command line and every other caller keep the same rules.
 */

/** The longest wait a service may give, in weeks (ten years: anything longer is a typing mistake). */
export const MAX_WAIT_WEEKS = 520;

export interface AgencyInput {
  name: string;
  serviceKind: ServiceKind;
  contactName: string | null;
  email: string | null;
  phone: string | null;
  website: string | null;
  address: string | null;
  howToRefer: string | null;
  needsFromSchool: string | null;
  typicalWaitWeeks: number | null;
}

export interface ProfessionalInput {
  name: string;
  jobTitle: string | null;
  email: string | null;
}

export interface DirectoryProblem {
  field: string;
  message: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** A web address: http or https, or a bare domain ("northshire.gov.uk/salt"), never javascript: or data:. */
const WEBSITE =
  /^(https?:\/\/)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:\d{1,5})?([/?#]\S*)?$/i;
const PHONE = /^[0-9+() .-]{6,30}$/;

const ONE_LINE: Record<string, number> = { name: 120, contactName: 120, email: 254, phone: 30, website: 300 };
const LONG: Record<string, number> = { address: 500, howToRefer: 2000, needsFromSchool: 2000 };
const FIELD_LABELS: Record<string, string> = {
  name: 'Name of the service',
  contactName: 'Contact name',
  email: 'Email address',
  phone: 'Phone number',
  website: 'Website',
  address: 'Address',
  howToRefer: 'How to refer',
  needsFromSchool: 'What the service needs from the school',
  jobTitle: 'Job title',
};

function textProblems(
  values: Record<string, string | null>,
  limits: Record<string, number>,
  multiline: boolean,
): DirectoryProblem[] {
  const problems: DirectoryProblem[] = [];
  for (const [field, max] of Object.entries(limits)) {
    const value = values[field];
    if (value === null || value === undefined) continue;
    const label = FIELD_LABELS[field] ?? field;
    if ((multiline ? HIDDEN_IN_LONG_TEXT : HIDDEN_IN_ONE_LINE).test(value))
      problems.push({
        field,
        message: multiline
          ? `${label} must not contain hidden control characters: type or paste it again`
          : `${label} must be a single line of text without hidden control characters`,
      });
    else if (value.length > max)
      problems.push({ field, message: `${label} must be ${max} characters or fewer` });
  }
  return problems;
}

function emailProblem(email: string | null): DirectoryProblem | null {
  return email !== null && !EMAIL.test(email)
    ? { field: 'email', message: 'Enter an email address in the correct format, like name@example.com' }
    : null;
}

/** What is wrong with a service as entered, in plain English; empty when it can be saved. */
export function agencyProblems(input: AgencyInput): DirectoryProblem[] {
  const problems: DirectoryProblem[] = [];
  if (!input.name.trim()) problems.push({ field: 'name', message: 'Enter the name of the service' });
  if (!isServiceKind(input.serviceKind))
    problems.push({ field: 'serviceKind', message: 'Select the kind of service from the list' });
  const { serviceKind: _k, typicalWaitWeeks: _w, ...texts } = input;
  problems.push(...textProblems(texts, ONE_LINE, false), ...textProblems(texts, LONG, true));
  const taken = new Set(problems.map((p) => p.field));
  const email = emailProblem(input.email);
  if (email && !taken.has('email')) problems.push(email);
  if (input.phone !== null && !taken.has('phone') && !PHONE.test(input.phone))
    problems.push({ field: 'phone', message: 'Enter a phone number using digits, like 01632 960 123' });
  if (input.website !== null && !taken.has('website') && !WEBSITE.test(input.website))
    problems.push({ field: 'website', message: 'Enter a web address, like https://www.example.gov.uk' });
  const wait = input.typicalWaitWeeks;
  if (wait !== null && !(Number.isInteger(wait) && wait >= 0 && wait <= MAX_WAIT_WEEKS))
    problems.push({
      field: 'typicalWaitWeeks',
      message: `Enter the typical wait as a whole number of weeks from 0 to ${MAX_WAIT_WEEKS}, like 12`,
    });
  return problems;
}

/** What is wrong with a professional as entered; empty when they can be saved. */
export function professionalProblems(input: ProfessionalInput): DirectoryProblem[] {
  const problems: DirectoryProblem[] = [];
  if (!input.name.trim()) problems.push({ field: 'name', message: 'Enter the professional’s name' });
  problems.push(
    ...textProblems(
      { name: input.name, jobTitle: input.jobTitle, email: input.email },
      {
        name: 120,
        jobTitle: 120,
        email: 254,
      },
      false,
    ),
  );
  const email = emailProblem(input.email);
  if (email && !problems.some((p) => p.field === 'email')) problems.push(email);
  return problems;
}

/** A website as a link: a bare domain gets https:// in front (the directory never links anything else). */
export function websiteLink(website: string | null): string | null {
  if (!website || !WEBSITE.test(website)) return null;
  return /^https?:\/\//i.test(website) ? website : `https://${website}`;
}

/** "12 weeks", "1 week", "No wait"; null when the service gave none. */
export function waitText(weeks: number | null): string | null {
  if (weeks === null) return null;
  if (weeks === 0) return 'No waiting list';
  return `${weeks} ${weeks === 1 ? 'week' : 'weeks'}`;
}

/**
 * How the referral counts group the steps of a referral: under way (drafted to seen), done (report
 * received or closed), or ended without one (declined, stopped).
 */
export const REFERRAL_COUNT_GROUPS = ['underWay', 'done', 'ended'] as const;
export type ReferralCountGroup = (typeof REFERRAL_COUNT_GROUPS)[number];
export const REFERRAL_COUNT_GROUP_LABELS: Record<ReferralCountGroup, string> = {
  underWay: 'Under way',
  done: 'Report received or closed',
  ended: 'Declined or stopped',
};

export function referralCountGroup(status: ReferralStatus): ReferralCountGroup {
  if (status === 'report_received' || status === 'closed') return 'done';
  if (status === 'declined' || status === 'stopped') return 'ended';
  return 'underWay';
}

/*
 * Recommendations into the plan (seed 000: "the specialist advice on targets and strategies will be
 * shared with the class teacher … and used … with writing the learner's IEP"). A recommendation goes
 * into the pupil's current plan as a target (a target of its own, with its source beside it) or as a
 * strategy (a line in one of the plan's parts on how the school supports, its source after it), or
 * into the provision (a group the pupil joins, or one started for them).
 */

/** The parts of a plan a strategy may go into: seed 004's a), b) and c). */
export const PLAN_STRATEGY_FIELDS = ['qualityFirst', 'interventions', 'taSupport'] as const;
export type PlanStrategyField = (typeof PLAN_STRATEGY_FIELDS)[number];

export const PLAN_STRATEGY_FIELD_LABELS: Record<PlanStrategyField, string> = {
  qualityFirst: 'Quality-first inclusive approaches (what the class teacher does)',
  interventions: 'Interventions, how they are delivered and monitored',
  taSupport: 'Focused support from a teaching assistant',
};

export function isPlanStrategyField(value: unknown): value is PlanStrategyField {
  return typeof value === 'string' && (PLAN_STRATEGY_FIELDS as readonly string[]).includes(value);
}

/**
 * A strategy as it goes into a part of the plan: its words, then where it came from in brackets, on a
 * line of its own after what the part already says.
 */
export function withStrategy(existing: string | null, text: string, source: string): string {
  const line = `${text.trim()} (${source})`;
  const before = existing?.trimEnd() ?? '';
  return before ? `${before}\n${line}` : line;
}

/** Whether a part of a plan still holds a strategy put there from a recommendation (its line as written). */
export function holdsStrategy(fieldText: string | null, text: string, source: string): boolean {
  return Boolean(fieldText?.includes(`${text.trim()} (${source})`));
}

/** Where a recommendation stands in one plan and in the provision. */
export interface RecommendationStanding {
  /** In this plan: as a target (its id), or as a strategy (the part it is in); null when not. */
  inPlan:
    | { as: 'target'; targetId: string; position: number }
    | { as: 'strategy'; field: PlanStrategyField }
    | null;
  /** The groups it went into (joined or started for the pupil). */
  groups: { groupId: string; name: string }[];
}

/**
 * Where each recommendation stands in a plan: a target of the plan taken from it (while the target is
 * still in the plan), a strategy put into one of the plan's parts (while its line is still there), and
 * the provision groups it was used for. A recommendation used as a target and later taken out of the
 * draft is "not yet used" in it again.
 */
export function recommendationStandings(
  recommendations: readonly { id: string; text: string; source: string }[],
  plan: {
    id: string;
    targets: readonly { id: string; position: number; recommendationId: string | null }[];
    fields: Partial<Record<PlanStrategyField, string | null>>;
  } | null,
  uses: readonly {
    recommendationId: string;
    usedAs: RecommendationUse;
    planId: string | null;
    planField: PlanStrategyField | null;
    provisionGroupId: string | null;
    groupName: string | null;
  }[],
): Map<string, RecommendationStanding> {
  const out = new Map<string, RecommendationStanding>();
  for (const r of recommendations) {
    const mine = uses.filter((u) => u.recommendationId === r.id);
    const target = plan?.targets.find((t) => t.recommendationId === r.id);
    const strategy = plan
      ? mine.find(
          (u) =>
            u.usedAs === 'strategy' &&
            u.planId === plan.id &&
            u.planField !== null &&
            holdsStrategy(plan.fields[u.planField] ?? null, r.text, r.source),
        )
      : undefined;
    const groups = new Map<string, string>();
    for (const u of mine)
      if (u.usedAs === 'provision' && u.provisionGroupId) groups.set(u.provisionGroupId, u.groupName ?? '');
    out.set(r.id, {
      inPlan: target
        ? { as: 'target', targetId: target.id, position: target.position }
        : strategy?.planField
          ? { as: 'strategy', field: strategy.planField }
          : null,
      groups: [...groups].map(([groupId, name]) => ({ groupId, name })),
    });
  }
  return out;
}
