import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { paths } from '../../paths.ts';

export async function healthRoutes(app: FastifyInstance, services: Services) {
  app.get(paths.healthz.pattern, async (_request, reply) => {
    const health = await services.health.check();
    if (!health.ok) reply.code(503);
    return { status: health.ok ? 'ok' : 'unavailable', database: health.database };
  });
}
