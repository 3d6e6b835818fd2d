import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { paths } from '../../paths.ts';

/** The first pages of a parent and of a professional: the pupils they reach. */
export async function peopleRoutes(app: FastifyInstance, services: Services) {
  app.get(paths.children.pattern, async (request, reply) => {
    const { children } = await services.people.children(request.actor!);
    return reply.page('features/people/views/children.njk', { pageTitle: 'Your children', children });
  });

  app.get(paths.shared.pattern, async (request, reply) => {
    const { pupils } = await services.people.shared(request.actor!);
    return reply.page('features/people/views/shared.njk', { pageTitle: 'Shared with you', pupils });
  });
}
