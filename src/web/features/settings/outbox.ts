import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { paths } from '../../paths.ts';

const STATUS_TAGS = {
  queued: { text: 'Waiting', classes: 'govuk-tag--yellow' },
  sent: { text: 'Sent', classes: 'govuk-tag--green' },
  failed: { text: 'Not sent', classes: 'govuk-tag--red' },
} as const;

/** The school's outbox: the mail OpenSEND wrote for it and what became of each message. */
export function outboxRoutes(app: FastifyInstance, services: Services) {
  app.get(paths.settingsOutbox.pattern, async (request, reply) => {
    const outbox = await services.outbox.list(request.actor!);
    return reply.page('features/settings/views/outbox.njk', {
      pageTitle: 'Email sent by OpenSEND',
      serverSetUp: outbox.serverSetUp,
      yourEmail: outbox.yourEmail,
      messages: outbox.messages.map((m) => ({
        ...m,
        tag: STATUS_TAGS[m.status],
        // Without a mail server, a waiting message is shown whole, for the SENCo to print or copy.
        showText: m.status !== 'sent' && !outbox.serverSetUp,
      })),
    });
  });

  app.post(paths.settingsOutboxTest.pattern, async (request, reply) => {
    await services.outbox.sendTest(request.actor!);
    return reply
      .flash('A test email is on its way to your address.')
      .redirect(paths.settingsOutbox.to(), 303);
  });
}
