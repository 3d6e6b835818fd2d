import type { FastifyInstance } from 'fastify';
import { AREA_LABELS, AREAS_OF_NEED } from '../../../domain/census.ts';
import { AGENCY_SUGGESTIONS, CONCERN_OUTCOME_LABELS, CONCERN_OUTCOMES } from '../../../domain/concerns.ts';
import { formatDate } from '../../../domain/dates.ts';
import { can } from '../../../domain/roles.ts';
import type { Actor } from '../../../services/actor.ts';
import { NotFoundError } from '../../../services/errors.ts';
import type { Services } from '../../../services/index.ts';
import { dateParts, type FormBody } from '../../forms.ts';
import { idParam, pupilIdOf } from '../../params.ts';
import { requireSchoolChosen, requireSignIn } from '../../plugins/session.ts';
import { dateAnchors, showFormErrors, submitForm } from '../../render.ts';
import { needOptions } from '../register/view-models.ts';
import { INTERVENTION_ROWS, parseConcernForm, parseConcernReview } from './schemas.ts';

const RAISE_FORM = 'features/concerns/views/raise.njk';
const REVIEW_FORM = 'features/concerns/views/review.njk';

export async function concernRoutes(app: FastifyInstance, services: Services) {
  app.addHook('preHandler', requireSignIn);
  app.addHook('preHandler', requireSchoolChosen);

  app.get('/concerns', async (request, reply) => {
    const actor = request.actor!;
    if (can(actor.role, 'concern.review')) {
      const { open, reviewed } = await services.concerns.forReview(actor);
      return reply.page('features/concerns/views/list.njk', {
        pageTitle: 'Concerns',
        open,
        reviewed,
        reviewer: true,
      });
    }
    const mine = await services.concerns.raisedBy(actor);
    return reply.page('features/concerns/views/list.njk', {
      pageTitle: 'Concerns you raised',
      mine,
      reviewer: false,
    });
  });

  const raiseData = async (actor: Actor, pupilId: string) => {
    const found = await services.concerns.raiseForm(actor, pupilId);
    return {
      pageTitle: `Raise a concern about ${found.pupil.forename} ${found.pupil.surname}`,
      pupil: found.pupil,
      carers: found.carers.map((c) => `${c.name} (${c.relationship})`).join(', ') || 'None recorded',
      referredBy: actor.name,
      areaOptions: AREAS_OF_NEED.map((a) => ({ value: a, text: AREA_LABELS[a] })),
      interventionRows: Array.from({ length: INTERVENTION_ROWS }, (_, i) => i + 1),
    };
  };

  app.get('/pupils/:id/concerns/new', async (request, reply) => {
    const data = await raiseData(request.actor!, pupilIdOf(request));
    return reply.page(RAISE_FORM, {
      ...data,
      values: { ...dateParts('concernDate', services.clock.today()) },
    });
  });

  app.post('/pupils/:id/concerns/new', async (request, reply) => {
    const pupilId = pupilIdOf(request);
    const body = (request.body ?? {}) as FormBody;
    const data = await raiseData(request.actor!, pupilId);
    const parsed = parseConcernForm(body, services.clock.today);
    const anchors = { ...dateAnchors('concernDate'), kind: 'kind', areasOfNeed: 'areasOfNeed' };
    if (!parsed.ok) return showFormErrors(reply, RAISE_FORM, data, parsed.errors, body, anchors);
    const done = await submitForm(
      reply,
      RAISE_FORM,
      data,
      body,
      () => services.concerns.raise(request.actor!, pupilId, parsed.data),
      anchors,
    );
    if (!done.ok) return done.response;
    return reply
      .flash('Concern sent to the SENCo. You will see the outcome here when they have reviewed it.')
      .redirect(`/concerns/${done.result}`, 303);
  });

  app.get('/concerns/:concernId', async (request, reply) => {
    const found = await services.concerns.view(
      request.actor!,
      idParam(request, 'concernId', 'Concern not found'),
    );
    return reply.page('features/concerns/views/show.njk', {
      pageTitle: `Concern about ${found.forename} ${found.surname}`,
      ...found,
      carers: found.carers.map((c) => `${c.name} (${c.relationship})`).join(', ') || 'None recorded',
      areas: found.concern.areasOfNeed.map((a) => AREA_LABELS[a]),
    });
  });

  const reviewData = async (actor: Actor, concernId: string) => {
    const found = await services.concerns.view(actor, concernId);
    if (!found.canReview) throw new NotFoundError('Concern not found');
    return {
      pageTitle: `Review the concern about ${found.forename} ${found.surname}`,
      ...found,
      areas: found.concern.areasOfNeed.map((a) => AREA_LABELS[a]),
      outcomes: CONCERN_OUTCOMES.map((o) => ({ value: o, text: CONCERN_OUTCOME_LABELS[o] })),
      agencies: AGENCY_SUGGESTIONS,
      concernDateText: formatDate(found.concern.concernDate),
      needOptions,
    };
  };

  app.get('/concerns/:concernId/review', async (request, reply) => {
    const data = await reviewData(request.actor!, idParam(request, 'concernId', 'Concern not found'));
    return reply.page(REVIEW_FORM, {
      ...data,
      values: { version: String(data.concern.version), ...dateParts('reviewedOn', services.clock.today()) },
    });
  });

  app.post('/concerns/:concernId/review', async (request, reply) => {
    const concernId = idParam(request, 'concernId', 'Concern not found');
    const body = (request.body ?? {}) as FormBody;
    const data = await reviewData(request.actor!, concernId);
    const parsed = parseConcernReview(body, services.clock.today);
    const anchors = { ...dateAnchors('reviewedOn'), outcome: 'outcome' };
    if (!parsed.ok) return showFormErrors(reply, REVIEW_FORM, data, parsed.errors, body, anchors);
    const d = parsed.data;
    const done = await submitForm(
      reply,
      REVIEW_FORM,
      data,
      body,
      () =>
        services.concerns.review(request.actor!, concernId, d.version, {
          outcome: d.outcome,
          actionTaken: d.actionTaken,
          agency: d.agency,
          reviewedOn: d.reviewedOn,
          primaryNeed: d.primaryNeed,
          secondaryNeed: d.secondaryNeed,
        }),
      anchors,
    );
    if (!done.ok) return done.response;
    return reply
      .flash(`Concern reviewed: ${CONCERN_OUTCOME_LABELS[d.outcome].toLowerCase()}.`)
      .redirect('/concerns', 303);
  });
}
