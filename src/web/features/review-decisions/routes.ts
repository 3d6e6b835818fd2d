import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { formRoute } from '../../form-route.ts';
import { idParam } from '../../params.ts';
import { paths } from '../../paths.ts';
import { parseReviewDecision } from './schemas.ts';
import { decisionFlash, decisionModel, reviewsModel } from './view-models.ts';

const V = 'features/review-decisions/views';
const decisionIdOf = (request: FastifyRequest) => idParam(request, 'reviewDecisionId');

/*
 * The local authority's annual reviews (docs/adr/0038): the reviews due across its plans and the
 * reports waiting for its decision; the decision on a report. Thin routes on the review-decision
 * service, which authorises, audits and applies the rules.
 */
export async function reviewDecisionRoutes(app: FastifyInstance, services: Services) {
  const reviews = services.reviewDecisions;

  app.get(paths.organisationReviews.pattern, async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const result = await reviews.reviews(request.actor!, {
      show: str(q.show),
      schoolId: str(q.school),
      mine: q.mine === '1',
      page: /^[1-9][0-9]{0,5}$/.test(str(q.page) ?? '') ? Number(q.page) : 1,
    });
    return reply.page(`${V}/reviews.njk`, reviewsModel(result));
  });

  formRoute(app, {
    path: paths.organisationReviewDecision,
    template: `${V}/decision.njk`,
    anchors: { decidedOn: 'decidedOn-day', decision: 'decision', ceaseReason: 'ceaseReason' },
    async load(request, { audit }) {
      return decisionModel(await reviews.decisionView(request.actor!, decisionIdOf(request), { audit }));
    },
    initial: (data) => ({ version: String(data.view.version) }),
    parse: (body) => parseReviewDecision(body),
    submit: (request, d) =>
      reviews.decide(request.actor!, decisionIdOf(request), {
        version: d.version,
        decision: d.decision,
        decidedOn: d.decidedOn,
        reasons: d.reasons,
        ceaseReason: d.ceaseReason,
      }),
    done: (result, _d, request) => ({
      redirect: paths.organisationReviewDecision.to({ reviewDecisionId: decisionIdOf(request) }),
      flash: decisionFlash(result),
    }),
  });
}
