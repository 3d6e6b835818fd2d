import type { FastifyInstance, FastifyRequest } from 'fastify';
import { topUpDocument } from '../../../presenters/top-up.ts';
import type { Services } from '../../../services/index.ts';
import { downloadHeaders } from '../../../services/kernel/files.ts';
import { dateAnchors, formRoute } from '../../form-route.ts';
import { isUuid } from '../../forms/fields.ts';
import { idParam, pupilIdOf } from '../../params.ts';
import { paths } from '../../paths.ts';
import { parseApplication, parseDecision, parseStart, parseVersionOnly } from './schemas.ts';
import {
  applicationFormValues,
  applicationPageModel,
  decisionFormValues,
  decisionPageModel,
  outcomeItems,
} from './view-models.ts';

const VIEWS = 'features/top-up/views';
const topUpIdOf = (request: FastifyRequest) => idParam(request, 'topUpId');
const caseIdOf = (request: FastifyRequest) => idParam(request, 'caseId');
const actionOf = (request: FastifyRequest) => {
  const v = (request.query as Record<string, unknown> | undefined)?.action;
  return typeof v === 'string' && isUuid(v) ? v.toLowerCase() : null;
};

/**
 * High-needs top-up funding: the school builds an application from the pupil's record in one action,
 * writes its case, sends it (or downloads it and records it as sent), or withdraws it; the local
 * authority records its decision on the case.
 */
export async function topUpRoutes(app: FastifyInstance, services: Services) {
  const t = services.topUp;

  formRoute(app, {
    path: paths.topUpNew,
    template: `${VIEWS}/new.njk`,
    async load(request, { audit }) {
      const page = await t.forNew(request.actor!, pupilIdOf(request), {
        pupilActionId: actionOf(request),
        audit,
      });
      return {
        ...page,
        pageTitle: 'Apply for high-needs top-up funding',
        backHref: paths.pupil.to({ pupilId: page.pupil.id }, '#provision'),
        formAction: paths.topUpNew.to({ pupilId: page.pupil.id }),
        draftHref: page.draftId ? paths.topUp.to({ topUpId: page.draftId }) : null,
      };
    },
    initial: (data) => ({ pupilActionId: data.pupilAction?.id ?? '' }),
    parse: (body) => parseStart(body),
    submit: (request, form) => t.start(request.actor!, pupilIdOf(request), form),
    done: (result) => ({
      redirect: paths.topUp.to({ topUpId: result.topUpId }),
      flash: result.existing
        ? 'An application is already being written for this pupil: here it is.'
        : 'The application is built from the pupil’s record. Check it, write the school’s case, then send it.',
    }),
  });

  formRoute(app, {
    path: paths.topUp,
    template: `${VIEWS}/show.njk`,
    anchors: { ...dateAnchors('periodFrom', 'periodTo') },
    async load(request, { audit }) {
      const page = await t.view(request.actor!, topUpIdOf(request), { audit });
      return { page, ...applicationPageModel(page), version: page.version };
    },
    initial: (data) => applicationFormValues(data.page),
    parse: (body) => parseApplication(body),
    async submit(request, form) {
      const { version, ...fields } = form;
      await t.save(request.actor!, topUpIdOf(request), version, fields);
    },
    done: (_r, _f, request) => ({
      redirect: paths.topUp.to({ topUpId: topUpIdOf(request) }),
      flash: 'The application is saved.',
    }),
  });

  formRoute(app, {
    path: paths.topUpSend,
    template: `${VIEWS}/send.njk`,
    async load(request, { audit }) {
      const page = await t.view(request.actor!, topUpIdOf(request), { audit });
      return {
        page,
        ...applicationPageModel(page),
        pageTitle: 'Send the application',
        version: page.version,
      };
    },
    initial: (data) => ({ version: String(data.page.version) }),
    parse: (body) => parseVersionOnly(body),
    async submit(request, form) {
      // The PDF is made here from the application as the page shows it; the service keeps both as sent
      // (and refuses if the record changed in between).
      const id = topUpIdOf(request);
      const page = await t.view(request.actor!, id, { audit: false });
      const { topUpPdf } = await import('../../../documents/top-up-pdf.ts');
      const pdf = await topUpPdf(
        topUpDocument(page.data, {
          status: 'sent',
          sentAt: new Date(),
          sentByName: request.actor!.name,
          sentHow: page.actions.sendToLocalAuthority ? 'local_authority' : 'download',
        }),
      );
      return t.send(request.actor!, id, form.version, { data: page.data, pdf });
    },
    done: (result, _f, request) => ({
      redirect: paths.topUp.to({ topUpId: topUpIdOf(request) }),
      flash: result.sentTo
        ? `The application is sent to ${result.sentTo}. Its decision will show here.`
        : 'The application is recorded as sent by the school, with the files kept as sent.',
    }),
  });

  formRoute(app, {
    path: paths.topUpWithdraw,
    template: `${VIEWS}/withdraw.njk`,
    async load(request, { audit }) {
      const page = await t.view(request.actor!, topUpIdOf(request), { audit });
      return {
        page,
        ...applicationPageModel(page),
        pageTitle: 'Withdraw the application',
        version: page.version,
      };
    },
    initial: (data) => ({ version: String(data.page.version) }),
    parse: (body) => parseVersionOnly(body),
    submit: (request, form) => t.withdraw(request.actor!, topUpIdOf(request), form.version),
    done: (_r, _f, request) => ({
      redirect: paths.topUp.to({ topUpId: topUpIdOf(request) }),
      flash: 'The application is withdrawn.',
    }),
  });

  app.get(paths.topUpPdf.pattern, async (request, reply) => {
    const file = await t.file(request.actor!, topUpIdOf(request), 'pdf');
    const { topUpPdf } = await import('../../../documents/top-up-pdf.ts');
    const bytes = file.stored ?? (await topUpPdf(topUpDocument(file.data, file.standing)));
    return reply
      .headers(
        downloadHeaders({ name: `${file.name}.pdf`, contentType: 'application/pdf', size: bytes.length }),
      )
      .send(bytes);
  });

  app.get(paths.topUpJson.pattern, async (request, reply) => {
    const file = await t.file(request.actor!, topUpIdOf(request), 'json');
    const bytes = Buffer.from(`${JSON.stringify(file.data, null, 2)}\n`);
    return reply
      .headers(
        downloadHeaders({ name: `${file.name}.json`, contentType: 'application/json', size: bytes.length }),
      )
      .send(bytes);
  });

  formRoute(app, {
    path: paths.caseTopUpDecision,
    template: `${VIEWS}/decision.njk`,
    anchors: { ...dateAnchors('decidedOn', 'fundedFrom', 'fundedUntil'), outcome: 'outcome' },
    async load(request, { audit }) {
      const page = await t.decisionPage(request.actor!, caseIdOf(request), { audit });
      return { page, ...decisionPageModel(page), version: page.version, outcomeItems };
    },
    initial: (data) => decisionFormValues(data.page),
    parse: (body) => parseDecision(body),
    async submit(request, form) {
      const { version, ...fields } = form;
      await t.decide(request.actor!, caseIdOf(request), version, fields);
    },
    done: (_r, _f, request) => ({
      redirect: paths.caseTopUpDecision.to({ caseId: caseIdOf(request) }),
      flash: 'The decision is recorded. The school sees it now.',
    }),
  });
}
