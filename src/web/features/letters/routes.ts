import type { FastifyInstance, FastifyRequest } from 'fastify';
import { formatDate, todayInEngland } from '../../../domain/dates.ts';
import { LETTER_KIND_LABELS, SENT_VIA, SENT_VIA_LABELS, slipOverdue } from '../../../domain/letters.ts';
import { readReceiptLines } from '../../../presenters/family-plan.ts';
import { letterDocument } from '../../../presenters/letters.ts';
import type { Services } from '../../../services/index.ts';
import { dateAnchors, formRoute, PREVIEW_FIELD } from '../../form-route.ts';
import { dateParts } from '../../forms/dates.ts';
import { isUuid } from '../../forms/fields.ts';
import { idParam, pupilIdOf } from '../../params.ts';
import { paths } from '../../paths.ts';
import { parseLetterForm, parseLetterPreview, parseSlipForm } from './schemas.ts';

const WRITE_FORM = 'features/letters/views/write.njk';
const letterIdOf = (request: FastifyRequest) => idParam(request, 'letterId');

/** A template id from the query string (the letter chosen from the list), or none. */
function templateOfQuery(request: FastifyRequest): string | null {
  const t = (request.query as Record<string, unknown>).template;
  return isUuid(t) ? t.toLowerCase() : null;
}

/** Letters to parents: writing one for a pupil, the letter, its print view and PDF, the signed slip. */
export async function letterRoutes(app: FastifyInstance, services: Services) {
  formRoute(app, {
    path: paths.letterNew,
    template: WRITE_FORM,
    anchors: {
      ...dateAnchors('sentOn', 'meetingDate'),
      templateId: 'templateId',
      recipientIds: 'recipientIds',
      sentVia: 'sentVia',
    },
    async load(request, { audit }) {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const chosen = isUuid(body.templateId) ? body.templateId : templateOfQuery(request);
      const form = await services.letters.writeForm(
        request.actor!,
        pupilIdOf(request),
        { templateId: chosen },
        { audit },
      );
      return {
        pageTitle: `Write a letter to ${form.pupil.forename} ${form.pupil.surname}’s parents`,
        ...form,
        templateOptions: form.templates.map((t) => ({
          value: t.id,
          text: t.name,
          hint: t.slip ? 'With a reply slip to sign and return' : undefined,
        })),
        viaOptions: SENT_VIA.map((v) => ({ value: v, text: SENT_VIA_LABELS[v] })),
      };
    },
    initial: (data) => ({
      templateId: data.template?.id ?? '',
      recipientIds: data.defaultRecipientIds,
      ...dateParts('sentOn', services.clock.today()),
    }),
    parse: (body) =>
      body[PREVIEW_FIELD] !== undefined
        ? parseLetterPreview(body, services.clock.today)
        : parseLetterForm(body, services.clock.today),
    async preview(request, input) {
      const form = await services.letters.writeForm(
        request.actor!,
        pupilIdOf(request),
        {
          templateId: input.templateId,
          recipientIds: input.recipientIds,
          meeting: { date: input.meetingDate, time: input.meetingTime },
        },
        { audit: false },
      );
      return form.preview;
    },
    submit: (request, input) =>
      services.letters.produce(request.actor!, pupilIdOf(request), {
        templateId: input.templateId,
        recipientIds: input.recipientIds,
        sentOn: input.sentOn,
        sentVia: input.sentVia,
        meetingDate: input.meetingDate,
        meetingTime: input.meetingTime,
      }),
    done: (letterId) => ({
      redirect: paths.letter.to({ letterId }),
      flash: 'Letter produced. Print it or download the PDF to send.',
    }),
  });

  app.get(paths.letter.pattern, async (request, reply) => {
    const found = await services.letters.view(request.actor!, letterIdOf(request));
    const l = found.letter;
    return reply.page('features/letters/views/show.njk', {
      pageTitle: `${LETTER_KIND_LABELS[l.kind]}: ${found.pupil.forename} ${found.pupil.surname}`,
      ...found,
      kindLabel: LETTER_KIND_LABELS[l.kind],
      viaLabel: SENT_VIA_LABELS[l.sentVia],
      slipOverdue: slipOverdue(l, found.today),
      /** "Read by Kasia Kowalski (mother) online on 3 December 2026", one line per parent. */
      familyReads: readReceiptLines(found.familyReads, todayInEngland),
    });
  });

  app.get(paths.letterPrint.pattern, async (request, reply) => {
    const source = await services.letters.forDocument(request.actor!, letterIdOf(request), 'print');
    const document = letterDocument(source);
    return reply.page('features/letters/views/print.njk', {
      pageTitle: document.title,
      document,
      letterId: source.id,
    });
  });

  app.get(paths.letterPdf.pattern, async (request, reply) => {
    const source = await services.letters.forDocument(request.actor!, letterIdOf(request), 'pdf');
    // pdfkit and its fonts are loaded on the first PDF, not at server start.
    const { letterPdf } = await import('../../../documents/letter-pdf.ts');
    const bytes = await letterPdf(letterDocument(source));
    const name = `letter-${source.pupil.surname}-${source.sentOn}`.replace(/[^A-Za-z0-9-]+/g, '-');
    return reply
      .header('Content-Type', 'application/pdf')
      .header('Content-Disposition', `attachment; filename="${name}.pdf"`)
      .header('Cache-Control', 'no-store')
      .send(bytes);
  });

  formRoute(app, {
    path: paths.letterSlip,
    template: 'features/letters/views/slip.njk',
    anchors: dateAnchors('returnedOn'),
    async load(request, { audit }) {
      const found = await services.letters.slipForm(request.actor!, letterIdOf(request), { audit });
      return {
        pageTitle: `Record the signed slip: ${found.pupil.forename} ${found.pupil.surname}`,
        ...found,
        kindLabel: LETTER_KIND_LABELS[found.letter.kind],
        sentOnText: formatDate(found.letter.sentOn),
        version: found.letter.version,
      };
    },
    initial: (data) => ({
      version: String(data.letter.version),
      ...dateParts('returnedOn', services.clock.today()),
    }),
    parse: (body) => parseSlipForm(body, services.clock.today),
    submit: (request, input) =>
      services.letters.recordSlip(request.actor!, letterIdOf(request), input.version, {
        returnedOn: input.returnedOn,
        note: input.note,
      }),
    done: (_r, _i, request) => ({
      redirect: paths.letter.to({ letterId: letterIdOf(request) }),
      flash: 'Signed slip recorded.',
    }),
  });
}
