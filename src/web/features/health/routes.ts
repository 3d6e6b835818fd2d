import type { FastifyInstance } from 'fastify';
import { ping } from '../../../db/client.ts';
import type { Services } from '../../../services/index.ts';

export async function healthRoutes(app: FastifyInstance, services: Services) {
  app.get('/healthz', async (_request, reply) => {
    try {
      await ping(services.database.db);
      return { status: 'ok', database: services.database.kind };
    } catch {
      reply.code(503);
      return { status: 'unavailable', database: services.database.kind };
    }
  });
}
