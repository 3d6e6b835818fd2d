import { formatDate, type IsoDate } from '../../domain/dates.ts';
import {
  type ConsentState,
  consentState,
  LAWFUL_BASIS_LABELS,
  type Lateness,
  type LawfulBasis,
  lateness,
  REFERRAL_STATUS_LABELS,
  type ReferralStatus,
} from '../../domain/referrals.ts';
import type { ReferralItem } from '../../repositories/referrals.ts';
import { paths } from '../paths.ts';

/*
 * How a referral reads wherever it is shown: its referral pages, the pupil page's "Outside agencies"
 * section and the pupil's chronology.
 */

export const CONSENT_STATE_TEXT: Record<ConsentState, string> = {
  none: 'No consent recorded',
  in_force: 'Consent given',
  expired: 'Consent has ended',
  withdrawn: 'Consent withdrawn: the referral and its sharing stopped',
};

const STATUS_TAG: Record<ReferralStatus, string> = {
  drafted: 'govuk-tag--grey',
  awaiting_consent: 'govuk-tag--yellow',
  sent: 'govuk-tag--blue',
  waiting_list: 'govuk-tag--light-blue',
  accepted: 'govuk-tag--light-blue',
  seen: 'govuk-tag--turquoise',
  report_received: 'govuk-tag--green',
  closed: 'govuk-tag--grey',
  declined: 'govuk-tag--orange',
  stopped: 'govuk-tag--red',
};

export function statusTag(status: ReferralStatus) {
  return { text: REFERRAL_STATUS_LABELS[status], classes: STATUS_TAG[status] };
}

export function lateText(late: Lateness | 'report' | 'response' | null, due?: string | null): string | null {
  if (!late) return null;
  const kind = typeof late === 'string' ? late : late.kind;
  const when = typeof late === 'string' ? due : late.due;
  const since = when ? ` (due ${formatDate(when)})` : '';
  return kind === 'report' ? `Report late${since}` : `Answer late${since}`;
}

/** Each step of each referral, for the pupil's chronology. */
export function referralChronology(referrals: readonly ReferralItem[]) {
  return referrals.flatMap((r) =>
    r.events.map((e) => ({
      date: e.happenedOn,
      title: `Referral to ${r.agencyName}: ${REFERRAL_STATUS_LABELS[e.status].toLowerCase()}`,
      detail: e.note ?? '',
      by: e.byName,
      href: paths.referral.to({ referralId: r.id }),
    })),
  );
}

/** The pupil page's "Outside agencies" section, for those who may read it (null otherwise). */
export function pupilReferralsModel(
  page: {
    pupil: { id: string; forename: string };
    referrals: readonly ReferralItem[];
    agencyActions: readonly { id: string; notes: string | null; createdAt: string; createdByName: string }[];
    referralActions: { read: boolean; start: boolean };
  },
  today: IsoDate,
) {
  if (!page.referralActions.read) return null;
  return {
    startHref: page.referralActions.start ? paths.referralNew.to({ pupilId: page.pupil.id }) : null,
    fromReviews: page.referralActions.start
      ? page.agencyActions.map((a) => ({
          ...a,
          href: paths.referralNew.to({ pupilId: page.pupil.id }, { action: a.id }),
        }))
      : [],
    items: page.referrals.map((r) => {
      const state = consentState(r.consents, today);
      return {
        ...r,
        href: paths.referral.to({ referralId: r.id }),
        statusTag: statusTag(r.status),
        consentText:
          r.lawfulBasis === 'consent' || state !== 'none'
            ? CONSENT_STATE_TEXT[state]
            : LAWFUL_BASIS_LABELS[r.lawfulBasis as LawfulBasis],
        late: lateText(lateness(r, today)),
      };
    }),
  };
}
