import type { FastifyInstance, FastifyRequest } from 'fastify';
import { academicYearLabel } from '../../../domain/calendar.ts';
import type { Services } from '../../../services/index.ts';
import { dateAnchors, formRoute } from '../../form-route.ts';
import { parseForm } from '../../forms/errors.ts';
import type { FormBody } from '../../forms/fields.ts';
import { paths } from '../../paths.ts';
import { DetailsSchema, parseRollOverChoices, parseRollOverForm, toDetailsInput } from './schemas.ts';
import { detailsModel, detailsValues, previewModel, previewValues, rollOverText } from './view-models.ts';

const YEAR = /^\d{4}$/;
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The year the roll-over page is about: from the address on the first view, from the form after. */
function requestedYear(request: FastifyRequest): number | null {
  const body = request.method === 'POST' ? ((request.body ?? {}) as FormBody) : null;
  const raw = body ? body.academicYear : (request.query as Record<string, unknown>).year;
  return typeof raw === 'string' && YEAR.test(raw) ? Number(raw) : null;
}

export async function schoolRoutes(app: FastifyInstance, services: Services) {
  formRoute(app, {
    path: paths.school,
    template: 'features/school/views/details.njk',
    anchors: { phase: 'phase' },
    async load(request) {
      const details = await services.school.details(request.actor!);
      return { pageTitle: 'School details', ...detailsModel(details) };
    },
    initial: (data) => detailsValues(data.school),
    parse: (body) => parseForm(DetailsSchema, body),
    submit: (request, input) =>
      services.school.updateDetails(request.actor!, input.version, toDetailsInput(input)),
    done: () => ({ redirect: paths.school.to(), flash: 'School details saved.' }),
  });

  app.get(paths.rollOver.pattern, async (request, reply) => {
    const start = await services.school.rollOverStart(request.actor!);
    return reply.page('features/school/views/roll-over.njk', {
      pageTitle: 'Year-end roll-over',
      ...start,
      toLabel: academicYearLabel(start.status.toYear),
      fromLabel: academicYearLabel(start.status.fromYear),
      text: rollOverText(start.status),
      previewHref: paths.rollOverPreview.to(`?year=${start.status.toYear}`),
    });
  });

  formRoute(app, {
    path: paths.rollOverPreview,
    template: 'features/school/views/preview.njk',
    anchors: dateAnchors('leftOn'),
    async load(request, { audit }) {
      const query = request.query as Record<string, unknown>;
      const body = request.method === 'POST' ? ((request.body ?? {}) as FormBody) : null;
      const preview = await services.school.rollOverPreview(request.actor!, requestedYear(request), {
        choices: body ? parseRollOverChoices(body).choices : null,
        mode: query.keep === 'classes' ? 'same_class' : 'year_group',
        audit,
      });
      const model = previewModel(preview);
      return {
        pageTitle: `Roll over to ${model.yearLabel}`,
        ...model,
        // Kept for the form's initial values (the suggestions).
        preview,
      };
    },
    initial: (data) => previewValues(data.preview),
    refreshButtons: ['refresh'],
    parse: (body) => parseRollOverForm(body),
    submit: (request, input) => services.school.rollOverApply(request.actor!, input),
    done: ({ academicYear, counts }) => ({
      redirect: paths.rollOver.to(),
      flash: `The school has been rolled over to ${academicYearLabel(academicYear)}: ${plural(counts.movingUp, 'pupil', 'pupils')} moved up a year group, ${counts.changedClass} changed class, ${counts.left} left${counts.classesCreated ? `, ${plural(counts.classesCreated, 'new class', 'new classes')} made` : ''}.`,
    }),
  });
}
