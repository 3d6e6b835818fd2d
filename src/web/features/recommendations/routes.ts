import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { dateAnchors, formRoute } from '../../form-route.ts';
import { idParam } from '../../params.ts';
import { paths } from '../../paths.ts';
import { parseUseForm } from './schemas.ts';
import { areaOptions, useFormValues, usePageModel } from './view-models.ts';

const VIEWS = 'features/recommendations/views';

/** A recommendation of an outside agency: its page, and putting it into the plan or the provision. */
export async function recommendationRoutes(app: FastifyInstance, services: Services) {
  const recommendationIdOf = (request: FastifyRequest) => idParam(request, 'recommendationId');
  const r = services.recommendations;

  formRoute(app, {
    path: paths.recommendationUse,
    template: `${VIEWS}/use.njk`,
    anchors: { ...dateAnchors('joinedOn'), field: 'field', groupId: 'groupId' },
    async load(request, { audit }) {
      const page = await r.forUse(request.actor!, recommendationIdOf(request), { audit });
      return { page, ...usePageModel(page), areaOptions: areaOptions() };
    },
    initial: (data) => useFormValues(data.page),
    parse: (body) => parseUseForm(body),
    async submit(request, form) {
      const id = recommendationIdOf(request);
      switch (form.useAs) {
        case 'target': {
          const { planId, version, ...target } = form.data;
          const done = await r.useAsTarget(request.actor!, id, { planId, version, target });
          return {
            href: paths.plan.to({ planId }, `#target-${done.targetId}`),
            flash: 'Added to the plan as a target, with where it came from.',
          };
        }
        case 'strategy': {
          const { planId, version, field } = form.data;
          await r.useAsStrategy(request.actor!, id, { planId, version, field });
          return {
            href: paths.plan.to({ planId }, '#support'),
            flash: 'Added to the plan as a strategy, with where it came from.',
          };
        }
        case 'group': {
          await r.joinGroup(request.actor!, id, form.data);
          return {
            href: paths.group.to({ groupId: form.data.groupId }),
            flash: 'The pupil has joined the group, as the recommendation advised.',
          };
        }
      }
    },
    done: (result) => ({ redirect: result.href, flash: result.flash }),
  });
}
