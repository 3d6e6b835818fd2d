import type { FastifyInstance } from 'fastify';
import { can } from '../../../domain/roles.ts';
import type { Services } from '../../../services/index.ts';
import { requireSchoolChosen, requireSignIn } from '../../plugins/session.ts';

export async function homeRoutes(app: FastifyInstance, services: Services) {
  app.addHook('preHandler', requireSignIn);
  app.addHook('preHandler', requireSchoolChosen);

  app.get('/', async (request, reply) => {
    const actor = request.actor!;
    if (actor.role === 'organisation_officer') return reply.redirect('/organisation', 303);
    const counts = can(actor.role, 'counts.view') ? await services.register.counts(actor) : null;
    const openConcerns = can(actor.role, 'concern.review') ? await services.concerns.openCount(actor) : null;
    const myConcerns = can(actor.role, 'concern.raise')
      ? (await services.concerns.raisedBy(actor)).slice(0, 5)
      : [];
    return reply.page('features/home/views/home.njk', {
      pageTitle: 'Home',
      counts,
      openConcerns,
      myConcerns,
      can: {
        pupils: can(actor.role, 'pupil.view'),
        register: can(actor.role, 'sen.view'),
        review: can(actor.role, 'register.review'),
        raise: can(actor.role, 'concern.raise'),
        staff: can(actor.role, 'staff.manage'),
        addPupil: can(actor.role, 'pupil.edit'),
      },
    });
  });

  app.get('/organisation', async (request, reply) => {
    const overview = await services.records.organisationOverview(request.actor!);
    return reply.page('features/home/views/organisation.njk', { pageTitle: 'Schools', ...overview });
  });
}
