import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { downloadHeaders } from '../../../services/kernel/files.ts';
import { dateAnchors, formRoute } from '../../form-route.ts';
import { idParam, pupilIdOf } from '../../params.ts';
import { paths } from '../../paths.ts';
import {
  parseEndSummary,
  parseProvisionLink,
  parseSummary,
  parseTakeOutcome,
  SUMMARY_PROVISION_ROWS,
} from './schemas.ts';
import { besideModel, pupilPlanModel } from './view-models.ts';

/*
 * The school's side of a pupil's EHC plan: the plan as issued (never a draft), its outcomes taken as
 * targets where a support plan's targets are written, the provision of every plan beside the provision
 * map, and a plan from another local authority recorded from its PDF. Thin: each route parses, calls one
 * service, and renders or redirects.
 */

const VIEWS = 'features/ehc-plan-school/views';
const summaryIdOf = (request: FastifyRequest) => idParam(request, 'summaryId');
const planIdOf = (request: FastifyRequest) => idParam(request, 'planId');
/** The PDF's file name: the version, and no name of the child (it may be forwarded). */
const ehcPlanFileName = (input: { version: { number: number } }) =>
  `ehc-plan-version-${input.version.number}.pdf`;

export async function ehcPlanSchoolRoutes(app: FastifyInstance, services: Services) {
  const s = services.schoolEhcPlans;

  app.get(paths.pupilEhcPlan.pattern, async (request, reply) => {
    const page = await s.pupilPlan(request.actor!, pupilIdOf(request));
    return reply.page(`${VIEWS}/plan.njk`, pupilPlanModel(page));
  });

  app.get(paths.pupilEhcPlanPdf.pattern, async (request, reply) => {
    const input = await s.pupilPlanDocument(request.actor!, pupilIdOf(request));
    // pdfkit and its fonts load with the first PDF, not at start.
    const { renderEhcPlanPdf } = await import('../../../documents/ehc-plan-pdf.ts');
    const bytes = await renderEhcPlanPdf(input);
    return reply
      .headers(
        downloadHeaders({ name: ehcPlanFileName(input), contentType: 'application/pdf', size: bytes.length }),
      )
      .send(bytes);
  });

  formRoute(app, {
    path: paths.ehcPlanSummaryNew,
    template: `${VIEWS}/summary-new.njk`,
    anchors: { ...dateAnchors('issuedOn'), ...dateAnchors('lastReviewOn') },
    async load(request) {
      const found = await s.forNewSummary(request.actor!, pupilIdOf(request));
      return {
        pageTitle: `Record an EHC plan from another local authority for ${found.pupil.forename} ${found.pupil.surname}`,
        pupil: found.pupil,
        backHref: paths.pupil.to({ pupilId: found.pupil.id }),
        formAction: paths.ehcPlanSummaryNew.to({ pupilId: found.pupil.id }),
        provisionRows: Array.from({ length: SUMMARY_PROVISION_ROWS }, (_, i) => i + 1),
      };
    },
    parse: (body) => parseSummary(body, services.clock.today),
    submit: (request, input) => s.recordSummary(request.actor!, pupilIdOf(request), input),
    done: (result) => ({
      redirect: paths.ehcPlanSummary.to({ summaryId: result.summaryId }),
      flash:
        'The plan is recorded: its outcomes can be taken as targets, and its provision stands beside the provision map.',
    }),
  });

  formRoute(app, {
    path: paths.ehcPlanSummary,
    template: `${VIEWS}/summary.njk`,
    async load(request, { audit }) {
      const found = await s.summary(request.actor!, summaryIdOf(request), { audit });
      return {
        pageTitle: `${found.pupil.forename} ${found.pupil.surname}: EHC plan from ${found.summary.localAuthorityName}`,
        ...found,
        version: found.summary.version,
        backHref: paths.pupil.to({ pupilId: found.pupil.id }),
        pdfHref: found.summary.fileId ? paths.ehcPlanSummaryPdf.to({ summaryId: found.summary.id }) : null,
        formAction: paths.ehcPlanSummary.to({ summaryId: found.summary.id }),
      };
    },
    initial: (data) => ({ version: String(data.version) }),
    parse: (body) => parseEndSummary(body),
    submit: (request, input) => s.endSummary(request.actor!, summaryIdOf(request), input.version),
    done: (result) => ({
      redirect: paths.pupil.to({ pupilId: result.pupilId }),
      flash: 'The school’s record of the plan is ended.',
    }),
  });

  app.get(paths.ehcPlanSummaryPdf.pattern, async (request, reply) => {
    const file = await s.summaryFile(request.actor!, summaryIdOf(request));
    return reply
      .headers(downloadHeaders({ name: file.name, contentType: file.contentType, size: file.bytes.length }))
      .send(file.bytes);
  });

  formRoute(app, {
    path: paths.planEhcOutcomes,
    template: `${VIEWS}/outcomes.njk`,
    anchors: { outcomeId: 'outcome-list' },
    async load(request, { audit }) {
      const page = await s.outcomesForPlan(request.actor!, planIdOf(request), { audit });
      return {
        pageTitle: `Take a target from ${page.pupil.forename} ${page.pupil.surname}’s EHC plan`,
        ...page,
        version: page.plan.version,
        backHref: paths.planEdit.to({ planId: page.plan.id }),
        planHref: paths.plan.to({ planId: page.plan.id }),
        formAction: paths.planEhcOutcomes.to({ planId: page.plan.id }),
      };
    },
    initial: (data) => ({ version: String(data.version) }),
    parse: (body) => parseTakeOutcome(body),
    submit: (request, input) => s.takeOutcome(request.actor!, planIdOf(request), input),
    done: (result, _i, request) => ({
      redirect: paths.planEdit.to({ planId: planIdOf(request) }, `#target${result.position}-target`),
      flash: `The outcome is target ${result.position} of the plan, with where it came from: reword it as a short-term step toward the outcome.`,
    }),
  });

  formRoute(app, {
    path: paths.provisionEhcPlans,
    template: `${VIEWS}/beside.njk`,
    anchors: { groupId: 'link-error', form: 'link-error' },
    async load(request, { audit }) {
      const page = await s.provisionBeside(request.actor!, { audit });
      return besideModel(page);
    },
    parse: (body) => parseProvisionLink(body),
    async submit(request, input) {
      if (input.action === 'unlink') {
        await s.unlinkProvision(request.actor!, input.pupilId, input.linkId);
        return 'The link is removed.';
      }
      const done = await s.linkProvision(request.actor!, input.pupilId, input);
      return `${done.groupName} is linked to ${done.ref}.`;
    },
    done: (flash, input) => ({
      redirect: paths.provisionEhcPlans.to(`#pupil-${input.pupilId}`),
      flash,
    }),
  });
}
