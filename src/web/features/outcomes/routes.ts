import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { OUTCOME_AREAS, OUTCOME_RATING_LABELS, OUTCOME_RATINGS } from '../../../domain/outcomes.ts';
import type { Services } from '../../../services/index.ts';
import type { FieldError } from '../../../services/kernel/errors.ts';
import { formRoute } from '../../form-route.ts';
import { dateFromFields, dateParts } from '../../forms/dates.ts';
import { type Parsed, parseForm } from '../../forms/errors.ts';
import { choice, type FormBody, isUuid, optionalText, text } from '../../forms/fields.ts';
import { pupilIdOf } from '../../params.ts';
import { paths } from '../../paths.ts';

const OutcomeSchema = z.object({
  area: choice(OUTCOME_AREAS, 'Select the area of the outcome'),
  description: text('The outcome', { max: 500, requiredMessage: 'Enter what the pupil will be able to do' }),
});

const RATING_FIELD = /^rating-([0-9a-fA-F-]{36})$/;

/** Ratings at a review: the date, and for each outcome `rating-<id>` (1–5) and `note-<id>`. */
function parseRatings(
  body: FormBody,
  today: string,
): Parsed<{ ratedOn: string; ratings: { outcomeId: string; rating: number; note: string | null }[] }> {
  const errors: FieldError[] = [];
  const date = dateFromFields(body, 'ratedOn', 'Date of the review', {
    requiredMessage: 'Enter the date of the review',
  });
  if (date.error) errors.push({ field: 'ratedOn', message: date.error });
  else if (date.value && date.value > today)
    errors.push({ field: 'ratedOn', message: 'The date of the review must be today or earlier' });
  const ratings = [];
  const keys = Object.keys(body).filter((k) => RATING_FIELD.test(k));
  if (keys.length > 50)
    return {
      ok: false,
      errors: [{ field: 'form', message: 'This form is out of date: open the page again' }],
    };
  for (const key of keys) {
    const id = RATING_FIELD.exec(key)![1]!;
    if (!isUuid(id)) continue;
    const raw = body[key];
    const rating = typeof raw === 'string' && /^[1-5]$/.test(raw) ? Number(raw) : null;
    if (rating === null) {
      errors.push({ field: key, message: 'Choose a rating from 1 to 5' });
      continue;
    }
    const note = optionalText('Note', { max: 500, multiline: true }).safeParse(body[`note-${id}`]);
    if (!note.success) errors.push({ field: `note-${id}`, message: note.error.issues[0]!.message });
    ratings.push({ outcomeId: id.toLowerCase(), rating, note: note.success ? note.data : null });
  }
  if (errors.length > 0 || !date.value) return { ok: false, errors };
  return { ok: true, data: { ratedOn: date.value, ratings } };
}

/** A pupil's non-academic outcomes: the table of their ratings over time, naming one, rating them. */
export async function outcomeRoutes(app: FastifyInstance, services: Services) {
  const today = services.clock.today;
  const scale = OUTCOME_RATINGS.map((n) => ({
    value: String(n),
    text: `${n} – ${OUTCOME_RATING_LABELS[n]}`,
  }));

  formRoute(app, {
    path: paths.pupilOutcomes,
    template: 'features/outcomes/views/outcomes.njk',
    anchors: { area: 'area' },
    async load(request, { audit }) {
      const found = await services.outcomes.forPupil(request.actor!, pupilIdOf(request), { audit });
      return {
        pageTitle: `${found.pupil.forename} ${found.pupil.surname}’s outcomes`,
        ...found,
        areas: OUTCOME_AREAS,
      };
    },
    parse: (body) => parseForm(OutcomeSchema, body),
    submit: (request, input) => services.outcomes.name(request.actor!, pupilIdOf(request), input),
    done: (_id, _input, request) => ({
      redirect: paths.pupilOutcomes.to({ pupilId: pupilIdOf(request) }),
      flash: 'The outcome has been added: it is rated at each review.',
    }),
  });

  formRoute(app, {
    path: paths.pupilOutcomeRatings,
    template: 'features/outcomes/views/rate.njk',
    anchors: { ratedOn: 'ratedOn-day' },
    async load(request, { audit }) {
      const found = await services.outcomes.forPupil(request.actor!, pupilIdOf(request), { audit });
      return {
        pageTitle: `Rate ${found.pupil.forename} ${found.pupil.surname}’s outcomes`,
        ...found,
        open: found.outcomes.filter((o) => !o.endedOn),
        scale,
      };
    },
    initial: () => dateParts('ratedOn', today()),
    parse: (body) => parseRatings(body, today()),
    submit: (request, input) => services.outcomes.rate(request.actor!, pupilIdOf(request), input),
    done: (n, _input, request) => ({
      redirect: paths.pupilOutcomes.to({ pupilId: pupilIdOf(request) }),
      flash: `${n === 1 ? '1 outcome' : `${n} outcomes`} rated.`,
    }),
  });
}
