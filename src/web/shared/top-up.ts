import { formatDate } from '../../domain/dates.ts';
import { SCHOOL_REQUEST_STATUSES, TOP_UP_OUTCOMES } from '../../domain/ehc.ts';
import { formatPounds } from '../../domain/money.ts';
import { pupilProvision, type SpellFacts, thresholdOf } from '../../domain/provision-summary.ts';
import {
  type AgreedFunding,
  fundingAgainstCost,
  fundingInYear,
  topUpInHand,
  topUpInHandText,
} from '../../domain/top-up.ts';
import type { TopUpItem } from '../../repositories/top-up.ts';
import { paths } from '../paths.ts';

/**
 * High-needs top-up funding on the pupil's page, beside the provision's costs: the funding the local
 * authority agreed that falls in this academic and financial year, set against the cost above the
 * threshold; each application and where it stands; and, for the SENCo and head, where to start one
 * (the pupil's costs are over the threshold, or a review decided to consider it).
 */
export function pupilTopUpModel(page: {
  pupil: { id: string };
  topUps: readonly TopUpItem[];
  topUpReviewActions: readonly { id: string; notes: string | null; createdAt: string }[];
  topUpActions: { read: boolean; start: boolean; open: boolean };
  provision: readonly SpellFacts[];
  provisionSettings: readonly (
    | { topUpThresholdPence: number | null; nearingPercent: number | null }
    | undefined
  )[];
  today: string;
}) {
  if (!page.topUpActions.read) return null;
  const threshold = thresholdOf(page.provisionSettings[0]);
  const { costs } = pupilProvision(page.provision, threshold, page.today);
  const agreed: AgreedFunding[] = page.topUps.flatMap((t) =>
    t.decision &&
    t.decision.outcome !== 'refused' &&
    t.decision.amountPence &&
    t.decision.fundedFrom &&
    t.decision.fundedUntil
      ? [{ amountPence: t.decision.amountPence, from: t.decision.fundedFrom, until: t.decision.fundedUntil }]
      : [],
  );
  const funding = agreed.length
    ? [
        { year: costs.academic, kind: 'academic year' },
        { year: costs.financial, kind: 'financial year' },
      ].map(({ year, kind }) => {
        const f = fundingAgainstCost({
          costPence: year.pence,
          thresholdPence: threshold.thresholdPence,
          fundedPence: fundingInYear(agreed, year),
        });
        return {
          label: `Top-up funding in ${year.label} (${kind})`,
          text: `${formatPounds(f.fundedPence)} agreed, against ${formatPounds(f.abovePence)} of costs above the threshold${f.unfundedPence > 0 ? ` (${formatPounds(f.unfundedPence)} not funded)` : ''}`,
        };
      })
    : [];
  const draft = page.topUps.find((t) => t.status === 'draft');
  return {
    funding,
    /** Funding agreed for today, or an application sent and waiting: said instead of "consider applying". */
    inHand: topUpInHandText(
      topUpInHand(
        page.topUps.map((t) => ({
          status: t.status,
          sentOn: t.sentAt ? String(t.sentAt).slice(0, 10) : null,
          decision: t.decision,
        })),
        page.today,
      ),
    ),
    startHref:
      page.topUpActions.start && !draft && costs.topUp ? paths.topUpNew.to({ pupilId: page.pupil.id }) : null,
    fromReviews:
      page.topUpActions.start && !draft
        ? page.topUpReviewActions.map((a) => ({
            notes: a.notes,
            href: paths.topUpNew.to({ pupilId: page.pupil.id }, { action: a.id }),
          }))
        : [],
    items: page.topUps.map((t) => {
      const d = t.decision;
      const asked =
        t.amountPence !== null
          ? `${formatPounds(t.amountPence)} a year${t.periodFrom && t.periodTo ? `, ${formatDate(t.periodFrom)} to ${formatDate(t.periodTo)}` : ''}`
          : null;
      return {
        status: SCHOOL_REQUEST_STATUSES[t.status],
        sentOn: t.sentAt ? formatDate(String(t.sentAt).slice(0, 10)) : null,
        asked,
        decision: d
          ? `${TOP_UP_OUTCOMES[d.outcome]} on ${formatDate(d.decidedOn)}${d.amountPence !== null ? `: ${formatPounds(d.amountPence)} a year` : ''}${d.fundedFrom && d.fundedUntil ? `, ${formatDate(d.fundedFrom)} to ${formatDate(d.fundedUntil)}` : ''}${d.band ? ` (band ${d.band})` : ''}`
          : null,
        href: page.topUpActions.open ? paths.topUp.to({ topUpId: t.id }) : null,
      };
    }),
  };
}
