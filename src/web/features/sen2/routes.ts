import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { downloadHeaders } from '../../../services/kernel/files.ts';
import { paths } from '../../paths.ts';
import { sen2ReturnModel } from './view-models.ts';

/*
 * The local authority's SEN2 return (docs/sen2.md): a page with the census date, the summary and the
 * children to correct, and the DfE's XML to download. Thin routes on the SEN2 service, which authorises
 * and audits.
 */

/** The census year asked for (?year=2027), or null for the one being prepared. */
function yearOf(request: FastifyRequest): number | null {
  const q = request.query as Record<string, unknown>;
  return typeof q.year === 'string' && /^\d{4}$/.test(q.year) ? Number(q.year) : null;
}

export async function sen2Routes(app: FastifyInstance, services: Services) {
  app.get(paths.organisationSen2.pattern, async (request, reply) => {
    const page = await services.sen2.sen2Return(request.actor!, yearOf(request));
    return reply.page('features/sen2/views/sen2-return.njk', sen2ReturnModel(page));
  });

  app.get(paths.organisationSen2Xml.pattern, async (request, reply) => {
    const file = await services.sen2.sen2XmlFile(request.actor!, yearOf(request));
    return reply
      .headers(downloadHeaders({ name: file.name, contentType: file.contentType, size: file.bytes.length }))
      .send(file.bytes);
  });
}
