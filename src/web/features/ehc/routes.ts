import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EvidencePack } from '../../../domain/ehc-pack.ts';
import { packFileName } from '../../../presenters/ehc-pack.ts';
import type { PackRenderer } from '../../../services/ehc/requests.ts';
import type { Services } from '../../../services/index.ts';
import { dateAnchors, formRoute } from '../../form-route.ts';
import { isUuid } from '../../forms/fields.ts';
import { idParam, pupilIdOf } from '../../params.ts';
import { paths } from '../../paths.ts';
import { parseConsent, parseSave, parseSend, parseStart, parseWithdraw, requestFilters } from './schemas.ts';
import {
  consentFormValues,
  consentHowItems,
  requesterItems,
  requestFormValues,
  requestListModel,
  requestPageModel,
  statusFilterItems,
} from './view-models.ts';

/*
 * The school's request for an EHC needs assessment: started from the pupil's page or a review's
 * decision, reviewed on its page (the evidence pack with "leave this out" per item), consented to, sent
 * to the local authority (or downloaded and marked as sent), withdrawn. Thin: each route parses, calls
 * one service, and renders or redirects.
 */

const requestIdOf = (request: FastifyRequest) => idParam(request, 'ehcRequestId');
const queryId = (request: FastifyRequest, name: string) => {
  const v = (request.query as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' && isUuid(v) ? v.toLowerCase() : null;
};

/** The pack's files: its PDF rendered on demand (pdfkit and its fonts load with the first PDF, not at start). */
const render: PackRenderer = {
  async pdf(pack: EvidencePack): Promise<Buffer> {
    const { renderPackPdf } = await import('../../../documents/ehc-pack-pdf.ts');
    return renderPackPdf(pack);
  },
  fileName: packFileName,
};

export async function ehcRequestRoutes(app: FastifyInstance, services: Services) {
  app.get(paths.ehcRequests.pattern, async (request, reply) => {
    const { page, ...filters } = requestFilters(request.query);
    const list = await services.ehcRequests.list(request.actor!, filters, page);
    return reply.page('features/ehc/views/list.njk', {
      pageTitle: 'EHC needs assessments and top-up funding',
      ...requestListModel(list, filters),
      statusItems: statusFilterItems(filters.status),
    });
  });

  formRoute(app, {
    path: paths.ehcRequestNew,
    template: 'features/ehc/views/new.njk',
    anchors: { requestedBy: 'requestedBy' },
    async load(request, { audit }) {
      const pupilId = pupilIdOf(request);
      const found = await services.ehcRequests.startForm(
        request.actor!,
        pupilId,
        { pupilActionId: queryId(request, 'action'), planReviewId: queryId(request, 'review') },
        { audit },
      );
      return {
        pageTitle: `Request an EHC needs assessment for ${found.pupil.forename} ${found.pupil.surname}`,
        ...found,
        formAction: paths.ehcRequestNew.to({ pupilId }, { action: found.action?.id }),
        backHref: paths.pupil.to({ pupilId }),
        draftHref: found.draftId ? paths.ehcRequest.to({ ehcRequestId: found.draftId }) : null,
        requesterItems,
      };
    },
    initial: (data) => ({ requestedBy: 'school', pupilActionId: data.action?.id ?? '' }),
    parse: (body) => parseStart(body),
    submit: (request, input) => services.ehcRequests.start(request.actor!, pupilIdOf(request), input),
    done: (ehcRequestId) => ({
      redirect: paths.ehcRequest.to({ ehcRequestId }),
      flash:
        'Request started: the evidence pack is built from the record. Review it, record consent, then send it.',
    }),
  });

  formRoute(app, {
    path: paths.ehcRequest,
    template: 'features/ehc/views/show.njk',
    anchors: { leftOut: 'leftOut', sufficient: 'sufficient' },
    async load(request, { audit }) {
      const page = await services.ehcRequests.view(request.actor!, requestIdOf(request), { audit });
      // The parents' views given online for this request, marked as theirs.
      const familyViews = await services.familyViews.onRecord(
        request.actor!,
        page.request.pupilId,
        'ehc_request',
        page.request.id,
      );
      return { ...requestPageModel(page), version: page.request.version, familyViews };
    },
    initial: (data) => requestFormValues(data.request),
    parse: (body) => parseSave(body),
    submit: (request, parsed) =>
      services.ehcRequests.save(request.actor!, requestIdOf(request), parsed.version, parsed.input),
    done: (_r, _i, request) => ({
      redirect: paths.ehcRequest.to({ ehcRequestId: requestIdOf(request) }),
      flash: 'Request saved.',
    }),
  });

  formRoute(app, {
    path: paths.ehcRequestConsent,
    template: 'features/ehc/views/consent.njk',
    anchors: { ...dateAnchors('consentOn'), how: 'how' },
    async load(request, { audit }) {
      const found = await services.ehcRequests.consentForm(request.actor!, requestIdOf(request), { audit });
      return {
        pageTitle: `Record consent to the EHC needs assessment of ${found.pupil.forename} ${found.pupil.surname}`,
        ...found,
        version: found.request.version,
        backHref: paths.ehcRequest.to({ ehcRequestId: found.request.id }),
        formAction: paths.ehcRequestConsent.to({ ehcRequestId: found.request.id }),
        consentHowItems,
      };
    },
    initial: (data) => consentFormValues(data.request, services.clock.today()),
    parse: (body) => parseConsent(body, services.clock.today),
    submit: (request, parsed) =>
      services.ehcRequests.recordConsent(request.actor!, requestIdOf(request), parsed.version, parsed.input),
    done: (_r, _i, request) => ({
      redirect: paths.ehcRequest.to({ ehcRequestId: requestIdOf(request) }),
      flash: 'Consent to the assessment recorded.',
    }),
  });

  formRoute(app, {
    path: paths.ehcRequestSend,
    template: 'features/ehc/views/send.njk',
    async load(request, { audit }) {
      const page = await services.ehcRequests.sendForm(request.actor!, requestIdOf(request), { audit });
      const model = requestPageModel(page);
      if (!page.actions.send) return { ...model, notSendable: true, version: page.request.version };
      return {
        ...model,
        pageTitle: page.localAuthority
          ? `Send the request to ${page.localAuthority.name}`
          : 'Send the request to the local authority',
        version: page.request.version,
      };
    },
    initial: (data) => ({ version: String(data.version) }),
    parse: (body) => parseSend(body),
    submit: (request, parsed) =>
      services.ehcRequests.send(request.actor!, requestIdOf(request), parsed.version, render),
    done: (result, _i, request) => ({
      redirect: paths.ehcRequest.to({ ehcRequestId: requestIdOf(request) }),
      flash:
        result.how === 'local_authority'
          ? `Sent to ${result.localAuthority}: the request is in their caseload. What was sent is kept below.`
          : 'Recorded as sent by the school. What was sent is kept below.',
    }),
  });

  formRoute(app, {
    path: paths.ehcRequestWithdraw,
    template: 'features/ehc/views/withdraw.njk',
    async load(request, { audit }) {
      const found = await services.ehcRequests.withdrawForm(request.actor!, requestIdOf(request), { audit });
      return {
        pageTitle: 'Withdraw the request for an EHC needs assessment',
        ...found,
        version: found.request.version,
        backHref: paths.ehcRequest.to({ ehcRequestId: found.request.id }),
        formAction: paths.ehcRequestWithdraw.to({ ehcRequestId: found.request.id }),
      };
    },
    initial: (data) => ({ version: String(data.version) }),
    parse: (body) => parseWithdraw(body),
    submit: (request, parsed) =>
      services.ehcRequests.withdraw(request.actor!, requestIdOf(request), parsed.version, {
        reason: parsed.reason,
      }),
    done: (_r, _i, request) => ({
      redirect: paths.ehcRequest.to({ ehcRequestId: requestIdOf(request) }),
      flash: 'Request withdrawn.',
    }),
  });

  const packFile = (format: 'pdf' | 'json') => async (request: FastifyRequest, reply: FastifyReply) => {
    const file = await services.ehcRequests.packFile(request.actor!, requestIdOf(request), format, render);
    return reply
      .header('Content-Type', file.contentType)
      .header('Content-Disposition', `attachment; filename="${file.name}"`)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Cache-Control', 'private, no-store')
      .send(file.bytes);
  };
  app.get(paths.ehcRequestPdf.pattern, packFile('pdf'));
  app.get(paths.ehcRequestJson.pattern, packFile('json'));
}
