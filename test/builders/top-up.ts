import { topUpPdf } from '../../src/documents/top-up-pdf.ts';
import { topUpDocument } from '../../src/presenters/top-up.ts';
import type { Services } from '../../src/services/index.ts';
import type { Actor } from '../../src/services/kernel/actor.ts';

/**
 * Send a school's application for top-up funding as its page does: the PDF made from the application
 * as it stands, then both kept as sent by the service.
 */
export async function sendTopUp(services: Services, actor: Actor, topUpId: string, version: number) {
  const page = await services.topUp.view(actor, topUpId, { audit: false });
  const pdf = await topUpPdf(
    topUpDocument(page.data, {
      status: 'sent',
      sentAt: new Date(),
      sentByName: actor.name,
      sentHow: page.actions.sendToLocalAuthority ? 'local_authority' : 'download',
    }),
  );
  return services.topUp.send(actor, topUpId, version, { data: page.data, pdf });
}
