import type { Database } from '../../db/client.ts';
import { academicYearStartOf } from '../../domain/calendar.ts';
import { addYears } from '../../domain/dates.ts';
import { figuresShown, type ShownCount, shownCount } from '../../domain/suppression.ts';
import { planReviewCounts, requestOutcomeCounts } from '../../repositories/ehc-figures.ts';
import type { Actor } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { mayUseSection, requireCapability } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';

/*
 * The school's EHC figures for its governors (docs/sen2.md "Counts for governors"): requests for an EHC
 * needs assessment sent this school year and where they stand, the plans the pupils on roll hold, and
 * how many of the plans a year old or more were reviewed within twelve months. Counts only; small
 * numbers suppressed as on the SEN figures page (domain/suppression.ts) for someone who sees no named
 * pupil's EHC work.
 */

/** Where a request the school sent stands, in the words the governors see. */
export const REQUEST_OUTCOMES = {
  waiting: 'Waiting for the authority’s decision whether to assess',
  assessing: 'Being assessed, or the plan being written',
  plan_issued: 'EHC plan issued',
  not_assessing: 'The authority decided not to assess',
  not_issuing: 'Assessed: the authority decided not to issue a plan',
  withdrawn: 'Withdrawn',
  elsewhere: 'Sent to an authority that does not use OpenSEND',
} as const;
export type RequestOutcome = keyof typeof REQUEST_OUTCOMES;

const OUTCOME_OF_STAGE: Record<string, RequestOutcome> = {
  received: 'waiting',
  assessing: 'assessing',
  drafting: 'assessing',
  draft_sent: 'assessing',
  plan_issued: 'plan_issued',
  not_assessing: 'not_assessing',
  not_issuing: 'not_issuing',
  withdrawn: 'withdrawn',
};

const OUTCOME_KEYS = Object.keys(REQUEST_OUTCOMES) as RequestOutcome[];

export function createEhcSchoolFigures(
  database: Database,
  clock: Clock,
  options: { suppressionThreshold: number },
) {
  const { db } = database;
  return {
    async ehcCounts(actor: Actor) {
      const a = requireCapability(actor, 'counts.view');
      const today = clock.today();
      const yearStart = `${academicYearStartOf(today)}-09-01`;
      const yearAgo = addYears(today, -1);
      const [requests, plans] = await Promise.all([
        requestOutcomeCounts(db, a.schoolId, yearStart),
        planReviewCounts(db, a.schoolId, yearAgo),
      ]);
      const cells = new Map<string, number>();
      for (const k of OUTCOME_KEYS) cells.set(`request:${k}`, 0);
      let sent = 0;
      for (const r of requests) {
        const key = `request:${r.stage ? (OUTCOME_OF_STAGE[r.stage] ?? 'waiting') : 'elsewhere'}`;
        cells.set(key, (cells.get(key) ?? 0) + r.n);
        sent += r.n;
      }
      cells.set('requests', sent);
      cells.set('held', plans.held);
      cells.set('due', plans.due);
      cells.set('reviewed', plans.reviewed);
      cells.set('notReviewed', plans.due - plans.reviewed);
      const suppress = !mayUseSection(a, 'ehc');
      const shown = figuresShown(
        cells,
        [
          ['requests', OUTCOME_KEYS.map((k) => `request:${k}`)],
          ['due', ['reviewed', 'notReviewed']],
        ],
        suppress ? options.suppressionThreshold : 0,
        // The plans held are the school's count of pupils with an EHC plan, which the DfE publishes.
        { fixed: new Set(['held']) },
      );
      const show = (key: string): ShownCount => shownCount(shown, cells, key);
      await audit(db, a, 'ehc.counts_viewed');
      return {
        yearStart,
        yearAgo,
        requests: show('requests'),
        outcomes: OUTCOME_KEYS.map((k) => ({ key: k, label: REQUEST_OUTCOMES[k], n: show(`request:${k}`) })),
        plansHeld: show('held'),
        reviewsDue: show('due'),
        reviewed: show('reviewed'),
        notReviewed: show('notReviewed'),
        suppressed: suppress,
        threshold: options.suppressionThreshold,
      };
    },
  };
}

export type EhcSchoolFigures = ReturnType<typeof createEhcSchoolFigures>;
