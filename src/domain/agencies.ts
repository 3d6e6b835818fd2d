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
