import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { paths } from '../../paths.ts';
import { letterTemplateRoutes } from './letter-templates.ts';
import { outboxRoutes } from './outbox.ts';
import { planSettingsRoutes, planSettingsSummary } from './plan-settings.ts';

/** The school's settings, for the SENCo and head: first, whether its data is safely backed up. */
export async function settingsRoutes(app: FastifyInstance, services: Services) {
  app.get(paths.settings.pattern, async (request, reply) => {
    const backups = services.backups.status(request.actor!);
    const letterTemplates = await services.letters.templates(request.actor!);
    const plans = planSettingsSummary(await services.settings.forEdit(request.actor!));
    const outbox = await services.outbox.list(request.actor!);
    const retention = await services.retention.years(request.actor!);
    return reply.page('features/settings/views/settings.njk', {
      pageTitle: 'Settings',
      backups,
      letterTemplates,
      plans,
      retention,
      mail: {
        serverSetUp: outbox.serverSetUp,
        waiting: outbox.messages.filter((m) => m.status === 'queued').length,
        failed: outbox.messages.filter((m) => m.status === 'failed').length,
      },
    });
  });
  letterTemplateRoutes(app, services);
  planSettingsRoutes(app, services);
  outboxRoutes(app, services);
}
