import type { FastifyInstance } from 'fastify';
import { figuresNotice } from '../../../presenters/figures.ts';
import type { Services } from '../../../services/index.ts';
import { paths } from '../../paths.ts';
import { ownWorkModel } from '../../shared/own-work.ts';
import { firstStepsModel } from './view-models.ts';

export async function homeRoutes(app: FastifyInstance, services: Services) {
  app.get(paths.home.pattern, async (request, reply) => {
    const actor = request.actor!;
    if (actor.kind === 'officer') return reply.redirect(paths.organisation.to(), 303);
    if (actor.kind === 'parent') return reply.redirect(paths.children.to(), 303);
    if (actor.kind === 'professional') return reply.redirect(paths.shared.to(), 303);
    const home = await services.home.overview(actor);
    const [counts, myConcerns, ownWork, contactChangesWaiting, meetingActions] = await Promise.all([
      home.may.figures ? services.register.counts(actor) : Promise.resolve(null),
      home.may.raiseConcern ? services.concerns.raisedBy(actor, 5) : Promise.resolve([]),
      home.may.ownWork ? services.home.ownWork(actor, 'home') : Promise.resolve(null),
      services.contactChanges.waitingCount(actor),
      services.progressMeetings.openActionCount(actor),
    ]);
    return reply.page('features/home/views/home.njk', {
      pageTitle: 'Home',
      ...home,
      firstSteps: firstStepsModel(home.firstSteps),
      counts,
      myConcerns,
      ownWork: ownWorkModel(ownWork),
      contactChangesWaiting,
      meetingActions,
      mayProgressMeetings: services.progressMeetings.mayUse(actor),
    });
  });

  app.get(paths.organisation.pattern, async (request, reply) => {
    const overview = await services.organisation.overview(request.actor!);
    const columns = ['total', 'monitoring', 'senSupport', 'ehcPlan'] as const;
    return reply.page('features/home/views/organisation.njk', {
      pageTitle: 'Schools',
      ...overview,
      notice: figuresNotice(overview.threshold, true, [
        {
          name: 'Pupils by SEN stage in each school',
          counts: overview.rows.flatMap((r) => columns.map((c) => r[c])),
        },
        { name: 'Totals across the schools', counts: columns.map((c) => overview.totals[c]) },
      ]),
    });
  });
}
