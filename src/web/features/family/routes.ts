import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { pupilIdOf } from '../../params.ts';
import { paths } from '../../paths.ts';
import { viewsLinks } from './views-routes.ts';

/** A parent's pages for one child (docs/adr/0039): the child's first page here; each area in its own file. */
export async function familyRoutes(app: FastifyInstance, services: Services) {
  app.get(paths.child.pattern, async (request, reply) => {
    const child = await services.family.child(request.actor!, pupilIdOf(request));
    return reply.page('features/family/views/child.njk', {
      pageTitle: child.name,
      child,
      viewsAsked: viewsLinks(child.pupilId, child.waiting.views),
    });
  });
}
