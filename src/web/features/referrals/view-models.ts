import { SERVICE_KIND_LABELS, SERVICE_KINDS, type ServiceKind } from '../../../domain/agencies.ts';
import { SHARE_SECTION_LABELS } from '../../../domain/referral-tried.ts';
import {
  CONSENT_HOW_LABELS,
  LAWFUL_BASIS_LABELS,
  REFERRAL_STATUS_LABELS,
  REFERRAL_STATUSES,
  SHAREABLE_SECTIONS,
} from '../../../domain/referrals.ts';
import type { ReferralService } from '../../../services/agencies/referrals.ts';
import type { FormBody } from '../../forms/fields.ts';
import { paths } from '../../paths.ts';
import { CONSENT_STATE_TEXT, lateText, statusTag } from '../../shared/referrals.ts';

/*
 * The referral pages shaped for their templates: the words of each state, consent and lateness; the
 * choices of the forms; and the pupil page's "Outside agencies" section.
 */

type ReferralPage = Awaited<ReturnType<ReferralService['view']>>;
type Directory = Awaited<ReturnType<ReferralService['startForm']>>['directory'];

/** The services to choose from, each saying whose list it is on. */
export function serviceOptions(directory: Directory, chosen: string | undefined) {
  return [
    { value: '', text: 'Choose a service', selected: !chosen },
    ...directory.map((d) => ({
      value: d.id,
      text: `${d.name} (${SERVICE_KIND_LABELS[d.serviceKind]}${d.ownerKind === 'organisation' ? ', the local authority’s list' : ''})`,
      selected: chosen === d.id,
    })),
  ];
}

export const shareItems = (values: FormBody) =>
  SHAREABLE_SECTIONS.map((s) => ({
    value: s,
    text: SHARE_SECTION_LABELS[s] ?? s,
    checked: [values.shareSections ?? []].flat().includes(s),
  }));

export const basisItems = (values: FormBody) =>
  (['consent', 'public_task', 'legal_obligation'] as const).map((b) => ({
    value: b,
    text: LAWFUL_BASIS_LABELS[b],
    checked: (values.lawfulBasis ?? 'consent') === b,
  }));

export const howItems = (values: FormBody) =>
  (Object.keys(CONSENT_HOW_LABELS) as (keyof typeof CONSENT_HOW_LABELS)[]).map((h) => ({
    value: h,
    text: CONSENT_HOW_LABELS[h],
    checked: values.how === h,
  }));

/** The referral's page. */
export function referralPageModel(page: ReferralPage) {
  const r = page.referral;
  return {
    pageTitle: `Referral of ${page.pupil.forename} ${page.pupil.surname} to ${r.agencyName}`,
    referral: r,
    pupil: page.pupil,
    className: page.className,
    pupilHref: paths.pupil.to({ pupilId: r.pupilId }),
    statusTag: statusTag(r.status),
    serviceKind: SERVICE_KIND_LABELS[r.serviceKind],
    shares: r.shareSections.map((s) => SHARE_SECTION_LABELS[s] ?? s),
    basis: LAWFUL_BASIS_LABELS[r.lawfulBasis],
    consentState: page.consentState,
    consentText: CONSENT_STATE_TEXT[page.consentState],
    withdrawn: page.withdrawn,
    sendProblem: page.sendProblem,
    consents: page.consents.map((c) => ({
      ...c,
      how: CONSENT_HOW_LABELS[c.how],
      covers: [c.coversReferral ? 'the referral' : null, c.coversSharing ? 'sharing what is listed' : null]
        .filter(Boolean)
        .join(' and '),
      withdrawHref:
        page.actions.recordConsent && !c.withdrawnOn
          ? paths.referralConsentWithdraw.to({ referralId: r.id, consentId: c.id })
          : null,
      formHref: c.formFileId ? paths.referralConsentForm.to({ referralId: r.id, consentId: c.id }) : null,
    })),
    events: page.events.map((e) => ({ ...e, label: REFERRAL_STATUS_LABELS[e.status] })),
    nextSteps: page.nextSteps.map((s) => ({ value: s, text: REFERRAL_STATUS_LABELS[s] })),
    late: lateText(page.late),
    reportDue: page.reportDue,
    reports: page.reports.map((rep) => ({ ...rep, href: paths.report.to({ reportId: rep.id }) })),
    actions: page.actions,
    editHref:
      page.actions.manage && ['drafted', 'awaiting_consent'].includes(r.status)
        ? paths.referralEdit.to({ referralId: r.id })
        : null,
    stepHref: page.nextSteps.length ? paths.referralStep.to({ referralId: r.id }) : null,
    consentHref: page.actions.recordConsent ? paths.referralConsentNew.to({ referralId: r.id }) : null,
  };
}

/** Form values from a referral as it is (to edit a draft). */
export function referralFormValues(r: ReferralPage['referral']): FormBody {
  return {
    agencyId: r.agencyId,
    question: r.question,
    tried: r.tried ?? '',
    shareSections: r.shareSections,
    shareDocuments: r.shareDocuments ?? '',
    lawfulBasis: r.lawfulBasis,
    basisNote: r.basisNote ?? '',
    forEhcAssessment: r.forEhcAssessment ? 'yes' : [],
    version: String(r.version),
  } as FormBody;
}

export const statusFilterItems = (chosen: string | undefined) => [
  { value: '', text: 'Any', selected: !chosen },
  ...REFERRAL_STATUSES.map((s) => ({ value: s, text: REFERRAL_STATUS_LABELS[s], selected: chosen === s })),
];

export const kindFilterItems = (chosen: ServiceKind | undefined) => [
  { value: '', text: 'Any', selected: !chosen },
  ...SERVICE_KINDS.map((k) => ({ value: k, text: SERVICE_KIND_LABELS[k], selected: chosen === k })),
];

export { CONSENT_STATE_TEXT, lateText, statusTag };
