import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { idParam, pupilIdOf } from '../../params.ts';
import { paths } from '../../paths.ts';

/**
 * A letter's page for a parent: the letter as sent and the reply form (features/family/views/letter.njk
 * includes letter-reply.njk). The reading pages may give the letter a fuller page; the reply form is the
 * same include there.
 */
export async function familyLetterPageRoutes(app: FastifyInstance, services: Services) {
  app.get(paths.childLetter.pattern, async (request, reply) => {
    const page = await services.familyLetters.letter(
      request.actor!,
      pupilIdOf(request),
      idParam(request, 'letterId'),
    );
    return reply.page('features/family/views/letter.njk', {
      pageTitle: `A letter from the school: ${page.childName}`,
      ...page,
    });
  });
}
