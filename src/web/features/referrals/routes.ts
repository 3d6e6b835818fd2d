import type { FastifyInstance, FastifyRequest } from 'fastify';
import { formatDate } from '../../../domain/dates.ts';
import { REFERRAL_STATUS_LABELS } from '../../../domain/referrals.ts';
import type { Services } from '../../../services/index.ts';
import { downloadHeaders } from '../../../services/kernel/files.ts';
import { dateAnchors, formRoute } from '../../form-route.ts';
import { dateParts } from '../../forms/dates.ts';
import { isUuid } from '../../forms/fields.ts';
import { idParam, pupilIdOf } from '../../params.ts';
import { paths } from '../../paths.ts';
import {
  parseConsent,
  parseEditReferral,
  parseStartReferral,
  parseStep,
  parseWithdrawal,
  referralFilters,
} from './schemas.ts';
import {
  basisItems,
  CONSENT_STATE_TEXT,
  howItems,
  kindFilterItems,
  lateText,
  referralFormValues,
  referralPageModel,
  serviceOptions,
  shareItems,
  statusFilterItems,
  statusTag,
} from './view-models.ts';

const FORM = 'features/referrals/views/form.njk';
/** The form's choices, worked out in the template from the values shown. */
const FORM_HELPERS = { serviceOptions, shareItems, basisItems };
const referralIdOf = (request: FastifyRequest) => idParam(request, 'referralId');
const queryId = (request: FastifyRequest, name: string) => {
  const v = (request.query as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' && isUuid(v) ? v.toLowerCase() : null;
};

export async function referralRoutes(app: FastifyInstance, services: Services) {
  app.get(paths.referrals.pattern, async (request, reply) => {
    const filters = referralFilters(request.query);
    const { page, ...chosen } = filters;
    const list = await services.referrals.list(request.actor!, chosen, page);
    const lastPage = Math.max(1, Math.ceil(list.total / list.pageSize));
    const query = {
      status: chosen.status,
      kind: chosen.serviceKind,
      late: chosen.lateOnly ? 'yes' : undefined,
    };
    return reply.page('features/referrals/views/list.njk', {
      pageTitle: 'Referrals to outside agencies',
      ...list,
      lastPage,
      filters: chosen,
      statusItems: statusFilterItems(chosen.status),
      kindItems: kindFilterItems(chosen.serviceKind),
      rows: list.rows.map((r) => ({
        ...r,
        href: paths.referral.to({ referralId: r.id }),
        statusTag: statusTag(r.status),
        consentText: CONSENT_STATE_TEXT[r.consentState],
        lateText: lateText(r.late, r.late === 'report' ? r.reportDueOn : r.respondBy),
      })),
      previous: list.page > 1 ? paths.referrals.to({ ...query, page: list.page - 1 }) : null,
      next: list.page < lastPage ? paths.referrals.to({ ...query, page: list.page + 1 }) : null,
    });
  });

  formRoute(app, {
    path: paths.referralNew,
    template: FORM,
    anchors: { shareSections: 'shareSections', lawfulBasis: 'lawfulBasis' },
    async load(request, { audit }) {
      const pupilId = pupilIdOf(request);
      const from = { concernId: queryId(request, 'concern'), pupilActionId: queryId(request, 'action') };
      const found = await services.referrals.startForm(request.actor!, pupilId, from, { audit });
      return {
        pageTitle: `Refer ${found.pupil.forename} ${found.pupil.surname} to an outside agency`,
        ...found,
        formAction: paths.referralNew.to(
          { pupilId },
          { concern: found.concern?.id, action: found.action?.id },
        ),
        backHref: paths.pupil.to({ pupilId }),
        directoryHref: paths.agencies.to(),
        ...FORM_HELPERS,
        startFrom: found.concern ? 'concern' : found.action ? 'review' : null,
      };
    },
    initial: (data) => ({
      agencyId: data.suggestedAgencyId ?? '',
      tried: data.tried,
      // From a concern, the concern goes too: it is what the school is asking about.
      shareSections: data.concern
        ? ['register', 'concerns', 'plans', 'provision']
        : ['register', 'plans', 'provision'],
      lawfulBasis: 'consent',
      concernId: data.concern?.id ?? '',
      pupilActionId: data.action?.id ?? '',
    }),
    parse: (body) => parseStartReferral(body),
    submit: (request, input) => services.referrals.start(request.actor!, pupilIdOf(request), input),
    done: (referralId) => ({
      redirect: paths.referral.to({ referralId }),
      flash: 'Referral drafted. Record consent, then send it when you are ready.',
    }),
  });

  app.get(paths.referral.pattern, async (request, reply) => {
    const referralId = referralIdOf(request);
    const page = await services.referrals.view(request.actor!, referralId);
    // The service's professional, as the professionals' service shows it.
    const professional = await services.professionals.shareSummary(request.actor!, referralId);
    return reply.page('features/referrals/views/show.njk', {
      ...referralPageModel(page),
      professional,
      reportsOfReferral: { reports: page.reports, actions: page.actions },
    });
  });

  formRoute(app, {
    path: paths.referralEdit,
    template: FORM,
    anchors: { shareSections: 'shareSections', lawfulBasis: 'lawfulBasis' },
    async load(request, { audit }) {
      const referralId = referralIdOf(request);
      const found = await services.referrals.editForm(request.actor!, referralId, { audit });
      return {
        pageTitle: `Change the referral of ${found.pupil.forename} ${found.pupil.surname}`,
        ...found,
        editing: true,
        version: found.referral.version,
        formAction: paths.referralEdit.to({ referralId }),
        backHref: paths.referral.to({ referralId }),
        directoryHref: paths.agencies.to(),
        ...FORM_HELPERS,
      };
    },
    initial: (data) => referralFormValues(data.referral),
    parse: (body) => parseEditReferral(body),
    submit: (request, input) => {
      const { version, ...rest } = input;
      return services.referrals.update(request.actor!, referralIdOf(request), version, rest);
    },
    done: (_r, _i, request) => ({
      redirect: paths.referral.to({ referralId: referralIdOf(request) }),
      flash: 'Referral changed.',
    }),
  });

  formRoute(app, {
    path: paths.referralStep,
    template: 'features/referrals/views/step.njk',
    anchors: { ...dateAnchors('on', 'respondBy', 'reportDueOn'), to: 'to' },
    async load(request, { audit }) {
      const page = await services.referrals.stepForm(request.actor!, referralIdOf(request), { audit });
      return {
        ...referralPageModel(page),
        pageTitle: 'Record the next step',
        version: page.referral.version,
      };
    },
    initial: (data) => ({ version: String(data.version), ...dateParts('on', services.clock.today()) }),
    parse: (body) => parseStep(body, services.clock.today),
    submit: (request, input) =>
      services.referrals.recordStep(request.actor!, referralIdOf(request), input.version, input.step),
    done: (_r, input, request) => ({
      redirect: paths.referral.to({ referralId: referralIdOf(request) }),
      flash: `Recorded: ${REFERRAL_STATUS_LABELS[input.step.to].toLowerCase()} on ${formatDate(input.step.on)}.`,
    }),
  });

  formRoute(app, {
    path: paths.referralConsentNew,
    template: 'features/referrals/views/consent.njk',
    anchors: { ...dateAnchors('givenOn', 'validUntil'), givenBy: 'givenBy', how: 'how', covers: 'covers' },
    async load(request, { audit }) {
      const found = await services.referrals.consentForm(request.actor!, referralIdOf(request), { audit });
      return {
        pageTitle: `Record consent to the referral of ${found.pupil.forename} ${found.pupil.surname}`,
        ...found,
        backHref: paths.referral.to({ referralId: found.referral.id }),
        formAction: paths.referralConsentNew.to({ referralId: found.referral.id }),
        howItems,
      };
    },
    initial: () => ({
      givenBy: 'parent',
      covers: ['referral', 'sharing'],
      ...dateParts('givenOn', services.clock.today()),
    }),
    parse: (body) => parseConsent(body, services.clock.today),
    submit: (request, input) =>
      services.referrals.recordConsent(request.actor!, referralIdOf(request), input),
    done: (_id, _i, request) => ({
      redirect: paths.referral.to({ referralId: referralIdOf(request) }),
      flash: 'Consent recorded.',
    }),
    forget: ['form'],
  });

  formRoute(app, {
    path: paths.referralConsentWithdraw,
    template: 'features/referrals/views/withdraw.njk',
    anchors: dateAnchors('withdrawnOn'),
    async load(request, { audit }) {
      const found = await services.referrals.withdrawalForm(
        request.actor!,
        referralIdOf(request),
        idParam(request, 'consentId'),
        { audit },
      );
      return {
        pageTitle: `Record that ${found.consent.givenByName} withdrew consent`,
        ...found,
        backHref: paths.referral.to({ referralId: found.referral.id }),
        formAction: paths.referralConsentWithdraw.to({
          referralId: found.referral.id,
          consentId: found.consent.id,
        }),
      };
    },
    initial: () => dateParts('withdrawnOn', services.clock.today()),
    parse: (body) => parseWithdrawal(body, services.clock.today),
    submit: (request, input) =>
      services.referrals.withdrawConsent(
        request.actor!,
        referralIdOf(request),
        idParam(request, 'consentId'),
        input,
      ),
    done: (result, _i, request) => ({
      redirect: paths.referral.to({ referralId: referralIdOf(request) }),
      flash: `Consent withdrawn: the referral has stopped${result.sharesEnded ? ' and sharing with the service has ended' : ''}.`,
    }),
  });

  app.get(paths.referralConsentForm.pattern, async (request, reply) => {
    const file = await services.referrals.consentFile(
      request.actor!,
      referralIdOf(request),
      idParam(request, 'consentId'),
    );
    return reply.headers(downloadHeaders(file)).send(file.bytes);
  });
}
