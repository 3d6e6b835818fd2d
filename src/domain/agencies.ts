import type { AreaOfNeed } from './census.ts';
import { formatDate } from './dates.ts';

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

/**
 * A PDF that carries JavaScript or actions that run on opening is refused: a report is something to
 * read, and a school's staff open it on the school's machines. Other kinds of file carry no scripts
 * that OpenSEND would let run (files always go out as downloads).
 */
export function pdfHasScript(bytes: Buffer): boolean {
  const text = bytes.toString('latin1');
  return /\/(JavaScript|JS|OpenAction|AA|Launch|EmbeddedFile|RichMedia|XFA)\b/.test(text);
}
