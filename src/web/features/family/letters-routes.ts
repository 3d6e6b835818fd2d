import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { formRoute } from '../../form-route.ts';
import { idParam, pupilIdOf } from '../../params.ts';
import { paths } from '../../paths.ts';
import { parseFamilyConcernForm, parseFamilyMailForm, parseLetterReplyForm } from './schemas.ts';

/*
 * A parent's replies to letters, their concerns, and the emails they choose (docs/adr/0039). Every id
 * in the address is checked through the child by the services: another family's is "not found".
 */
export async function familyLetterRoutes(app: FastifyInstance, services: Services) {
  const letterIdOf = (request: Parameters<typeof pupilIdOf>[0]) => idParam(request, 'letterId');

  // Reply to a letter: the form sits on the letter's page; this page shows it again with any message.
  formRoute(app, {
    path: paths.childLetterReply,
    template: 'features/family/views/letter-reply-page.njk',
    anchors: { reply: 'reply', meeting: 'meeting' },
    async load(request, { audit }) {
      const page = await services.familyLetters.letter(
        request.actor!,
        pupilIdOf(request),
        letterIdOf(request),
        {
          audit,
        },
      );
      return { pageTitle: `Reply to the letter: ${page.childName}`, ...page };
    },
    parse: (body) => parseLetterReplyForm(body),
    submit: (request, input) =>
      services.familyLetters.reply(request.actor!, pupilIdOf(request), letterIdOf(request), input),
    done: (_r, input, request) => ({
      redirect: paths.childLetter.to({ pupilId: pupilIdOf(request), letterId: letterIdOf(request) }),
      flash:
        input.reply === 'acknowledged'
          ? 'Thank you. The school can see you have read the letter.'
          : 'Thank you. The school can see you would like to talk, and will get in touch.',
    }),
  });

  app.get(paths.childConcerns.pattern, async (request, reply) => {
    const page = await services.familyConcerns.list(request.actor!, pupilIdOf(request));
    return reply.page('features/family/views/concerns.njk', {
      pageTitle: `Your worries: ${page.childName}`,
      ...page,
    });
  });

  formRoute(app, {
    path: paths.childConcernNew,
    template: 'features/family/views/concern-new.njk',
    anchors: { areasOfNeed: 'areasOfNeed' },
    async load(request) {
      const page = await services.familyConcerns.form(request.actor!, pupilIdOf(request));
      return { pageTitle: `Tell the school about a worry: ${page.childName}`, ...page };
    },
    parse: (body) => parseFamilyConcernForm(body),
    submit: (request, input) => services.familyConcerns.raise(request.actor!, pupilIdOf(request), input),
    done: (_r, _i, request) => ({
      redirect: paths.childConcerns.to({ pupilId: pupilIdOf(request) }),
      flash: 'Thank you. The school has your message. The SENCo will read it.',
    }),
  });

  formRoute(app, {
    path: paths.familyMail,
    template: 'features/family/views/mail.njk',
    anchors: { wanted: 'wanted', sent: 'wanted' },
    async load(request) {
      const choices = await services.familyMail.choices(request.actor!);
      return { pageTitle: 'Emails you get', choices };
    },
    initial: (data) => ({ wanted: data.choices.filter((c) => c.wanted).map((c) => c.kind) }),
    parse: (body) => parseFamilyMailForm(body),
    submit: (request, input) => services.familyMail.save(request.actor!, input.wanted),
    done: () => ({ redirect: paths.familyMail.to(), flash: 'Your choices are saved.' }),
  });
}
