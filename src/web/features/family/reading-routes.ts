import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  ehcVersionDate,
  ehcVersionIntro,
  ehcVersionKind,
  FAMILY_READING_TEXT,
  familyEarlierPlanPage,
  familyEarlierPlansPage,
  familyLetterPage,
  familyLettersPage,
  familyPlanPage,
} from '../../../presenters/family-plan.ts';
import { letterDocument } from '../../../presenters/letters.ts';
import { pupilVoiceForFamily } from '../../../presenters/pupil-voice.ts';
import type { Services } from '../../../services/index.ts';
import { NotFoundError } from '../../../services/kernel/errors.ts';
import { idParam, pupilIdOf } from '../../params.ts';
import { paths } from '../../paths.ts';

const VIEWS = 'features/family/views';

/** `?version=2` on an EHC plan's page: a whole number, else "not found". */
function versionOf(request: FastifyRequest): number | null {
  const raw = (request.query as Record<string, unknown> | undefined)?.version;
  if (raw === undefined) return null;
  if (typeof raw !== 'string' || !/^[1-9]\d{0,3}$/.test(raw)) throw new NotFoundError('EHC plan not found');
  return Number(raw);
}

/**
 * What a parent reads (docs/adr/0039): the support plan as agreed, the earlier plans, the letters sent
 * (as a page and as the school's PDF) and the EHC plan the local authority sent. Thin: one service call,
 * the page model from presenters/family-plan.ts, where every sentence the family reads is written.
 */
export async function familyReadingRoutes(app: FastifyInstance, services: Services) {
  const s = services.familyReading;

  app.get(paths.childPlan.pattern, async (request, reply) => {
    const page = await s.plan(request.actor!, pupilIdOf(request));
    const model = familyPlanPage(page);
    return reply.page(`${VIEWS}/plan.njk`, {
      pageTitle: `${FAMILY_READING_TEXT.plan.title} – ${page.childName}`,
      pupilId: page.pupilId,
      schoolName: page.schoolName,
      ownWords: page.voice ? pupilVoiceForFamily(page.child, page.voice) : null,
      ...model,
    });
  });

  app.get(paths.childPlans.pattern, async (request, reply) => {
    const page = await s.plans(request.actor!, pupilIdOf(request));
    return reply.page(`${VIEWS}/plans.njk`, {
      pageTitle: `${FAMILY_READING_TEXT.plans.title} – ${page.childName}`,
      pupilId: page.pupilId,
      childName: page.childName,
      ...familyEarlierPlansPage(page),
    });
  });

  app.get(paths.childEarlierPlan.pattern, async (request, reply) => {
    const page = await s.earlierPlan(request.actor!, pupilIdOf(request), idParam(request, 'planId'));
    const model = familyEarlierPlanPage(page);
    return reply.page(`${VIEWS}/earlier-plan.njk`, {
      pageTitle: `${model.title} – ${page.childName}`,
      pupilId: page.pupilId,
      childName: page.childName,
      ...model,
    });
  });

  app.get(paths.childLetters.pattern, async (request, reply) => {
    const page = await s.letters(request.actor!, pupilIdOf(request));
    return reply.page(`${VIEWS}/letters.njk`, {
      pageTitle: `${FAMILY_READING_TEXT.letters.title} – ${page.childName}`,
      pupilId: page.pupilId,
      childName: page.childName,
      ...familyLettersPage(page),
    });
  });

  app.get(paths.childLetter.pattern, async (request, reply) => {
    const letterId = idParam(request, 'letterId');
    const page = await s.letter(request.actor!, pupilIdOf(request), letterId);
    const model = familyLetterPage(page);
    // The reply form (read and agreed, or want to talk) sits under the letter.
    const replyState = await services.familyLetters.replyState(request.actor!, pupilIdOf(request), letterId);
    return reply.page(`${VIEWS}/letter.njk`, {
      pageTitle: `${model.subject} – ${page.childName}`,
      pupilId: page.pupilId,
      childName: page.childName,
      schoolName: page.schoolName,
      ...model,
      letter: { id: letterId },
      reply: replyState,
    });
  });

  app.get(paths.childLetterPdf.pattern, async (request, reply) => {
    const page = await s.letter(request.actor!, pupilIdOf(request), idParam(request, 'letterId'), 'pdf');
    const l = page.letter;
    // pdfkit and its fonts are loaded on the first PDF, not at server start.
    const { letterPdf } = await import('../../../documents/letter-pdf.ts');
    const bytes = await letterPdf(
      letterDocument({ ...l, pupil: l.pupilAsSent, schoolName: page.schoolName }),
    );
    const name = `letter-${l.pupilAsSent.surname}-${l.sentOn}`.replace(/[^A-Za-z0-9-]+/g, '-');
    return reply
      .header('Content-Type', 'application/pdf')
      .header('Content-Disposition', `attachment; filename="${name}.pdf"`)
      .header('Cache-Control', 'no-store')
      .send(bytes);
  });

  app.get(paths.childEhc.pattern, async (request, reply) => {
    const page = await s.ehc(request.actor!, pupilIdOf(request));
    return reply.page(`${VIEWS}/ehc.njk`, {
      pageTitle: `${FAMILY_READING_TEXT.ehc.title} – ${page.childName}`,
      pupilId: page.pupilId,
      childName: page.childName,
      text: FAMILY_READING_TEXT.ehc,
      versions: page.versions.map((v) => ({
        kind: ehcVersionKind(v),
        date: ehcVersionDate(v),
        from: FAMILY_READING_TEXT.ehc.from(v.authorityName),
        href: paths.childEhcPlan.to({ pupilId: page.pupilId, ehcPlanId: v.planId }, { version: v.number }),
      })),
    });
  });

  // The views form on a draft is another page's: linked only once that page exists.
  let viewsRoute: boolean | null = null;
  app.get(paths.childEhcPlan.pattern, async (request, reply) => {
    const pupilId = pupilIdOf(request);
    const ehcPlanId = idParam(request, 'ehcPlanId');
    const page = await s.ehcPlan(request.actor!, pupilId, ehcPlanId, versionOf(request));
    viewsRoute ??= app.hasRoute({ method: 'GET', url: paths.childEhcPlanViews.pattern });
    const v = page.version;
    const intro = ehcVersionIntro(v, { status: v.planStatus, ceasedOn: v.ceasedOn }, page.today);
    const kind = ehcVersionKind(v);
    return reply.page(`${VIEWS}/ehc-plan.njk`, {
      pageTitle: `${kind} – ${page.childName}`,
      pupilId,
      childName: page.childName,
      text: FAMILY_READING_TEXT.ehcPlan,
      kind,
      date: ehcVersionDate(v),
      from: FAMILY_READING_TEXT.ehc.from(v.authorityName),
      intro,
      viewsHref:
        intro.open && viewsRoute && v.stage === 'sent'
          ? paths.childEhcPlanViews.to({ pupilId, ehcPlanId })
          : null,
      sections: page.sections,
      others: page.others.map((o) => ({
        kind: ehcVersionKind(o),
        date: ehcVersionDate(o),
        href: paths.childEhcPlan.to({ pupilId, ehcPlanId: o.planId }, { version: o.number }),
      })),
    });
  });
}
