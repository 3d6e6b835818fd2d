import type { Executor } from '../../db/client.ts';
import type { SectionAccess } from '../../domain/access.ts';
import {
  type PlanStrategyField,
  type RecommendationStanding,
  recommendationSource,
  recommendationStandings,
} from '../../domain/agencies.ts';
import { pupilReferralActions, recommendationActions } from '../../policies/agencies.ts';
import type { PolicyActor } from '../../policies/kernel.ts';
import { recommendationsOfPupil, recommendationUsesOfPupil } from '../../repositories/agencies.ts';

/** A plan as the advice list reads it: its targets (with where each came from) and its parts. */
export interface AdvicePlan {
  id: string;
  targets: readonly { id: string; position: number; recommendationId: string | null }[];
  qualityFirst: string | null;
  interventions: string | null;
  taSupport: string | null;
}

export interface AdviceItem {
  id: string;
  position: number;
  area: string | null;
  kind: string;
  text: string;
  source: string;
  report: { id: string; title: string; agencyName: string; authorName: string; writtenOn: string };
  standing: RecommendationStanding;
}

/**
 * The advice of outside agencies for a pupil, as a plan (or the pupil's page) shows it: each
 * recommendation of the pupil's reports with its source, whether it is in this plan (as a target or a
 * strategy) and the provision groups it went into. Null for a reader who may not read recommendations
 * (the office); `mayUse` says whether this reader may put them into a plan.
 */
export async function adviceFor(
  db: Executor,
  a: PolicyActor & { schoolId: string },
  pupil: { id: string; leftOn: string | null },
  access: SectionAccess,
  plan: AdvicePlan | null,
): Promise<{ items: AdviceItem[]; mayUseInPlan: boolean; mayUseInProvision: boolean } | null> {
  if (!pupilReferralActions(a, { pupil }, { access }).readRecommendations) return null;
  const [rows, uses] = await Promise.all([
    recommendationsOfPupil(db, a.schoolId, pupil.id),
    recommendationUsesOfPupil(db, a.schoolId, pupil.id),
  ]);
  const withSource = rows.map((r) => ({ ...r, source: recommendationSource(r.report) }));
  const standings = recommendationStandings(
    withSource.map((r) => ({ id: r.recommendation.id, text: r.recommendation.text, source: r.source })),
    plan && {
      id: plan.id,
      targets: plan.targets,
      fields: {
        qualityFirst: plan.qualityFirst,
        interventions: plan.interventions,
        taSupport: plan.taSupport,
      } satisfies Record<PlanStrategyField, string | null>,
    },
    uses,
  );
  const actions = recommendationActions(a, null, { access, left: pupil.leftOn !== null });
  return {
    items: withSource.map((r) => ({
      id: r.recommendation.id,
      position: r.recommendation.position,
      area: r.recommendation.area,
      kind: r.recommendation.kind,
      text: r.recommendation.text,
      source: r.source,
      report: {
        id: r.report.id,
        title: r.report.title,
        agencyName: r.report.agencyName,
        authorName: r.report.authorName,
        writtenOn: r.report.writtenOn,
      },
      standing: standings.get(r.recommendation.id)!,
    })),
    mayUseInPlan: actions.useInPlan,
    mayUseInProvision: actions.useInProvision,
  };
}
