import type { FastifyInstance } from 'fastify';
import { toCsv } from '../../../documents/csv.ts';
import { AREA_LABELS, AREAS_OF_NEED, NEED_CODES, NEEDS } from '../../../domain/census.ts';
import { formatDate } from '../../../domain/dates.ts';
import { onRegister, SEN_STAGES, STAGE_LABELS, stageLabel } from '../../../domain/register.ts';
import { can } from '../../../domain/roles.ts';
import type { Actor } from '../../../services/actor.ts';
import type { Services } from '../../../services/index.ts';
import { dateParts, type FormBody } from '../../forms.ts';
import { pupilIdOf } from '../../params.ts';
import { requireSchoolChosen, requireSignIn } from '../../plugins/session.ts';
import { dateAnchors, showFormErrors, submitForm } from '../../render.ts';
import { parseFilters } from '../pupils/schemas.ts';
import { filterOptions, filterQuery } from '../pupils/view-models.ts';
import { parseRegisterChange, parseRegisterReview } from './schemas.ts';
import { CSV_HEADER, needOptions, registerCsvRows, registerRows } from './view-models.ts';

const CHANGE_FORM = 'features/register/views/change.njk';
const REVIEW_FORM = 'features/register/views/review-pupil.njk';

export async function registerRoutes(app: FastifyInstance, services: Services) {
  app.addHook('preHandler', requireSignIn);
  app.addHook('preHandler', requireSchoolChosen);

  app.get('/register', async (request, reply) => {
    const { filters } = parseFilters(request.query as Record<string, unknown>);
    const result = await services.register.list(request.actor!, filters);
    const query = filterQuery(filters);
    return reply.page('features/register/views/register.njk', {
      pageTitle: 'SEN register',
      rows: registerRows(result.rows, result.termStart),
      counts: result.counts,
      filters,
      options: filterOptions(filters, result.classes),
      csvHref: `/register.csv${query}`,
      printHref: `/register/print${query}`,
      canExport: can(request.actor!.role, 'register.export'),
      canReview: can(request.actor!.role, 'register.review'),
    });
  });

  app.get('/register.csv', async (request, reply) => {
    const { filters } = parseFilters(request.query as Record<string, unknown>);
    const rows = await services.register.exportRows(request.actor!, filters, 'csv');
    const csv = toCsv(CSV_HEADER, registerCsvRows(registerRows(rows, '')));
    const date = services.clock.today();
    return reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="sen-register-${date}.csv"`)
      .send(`\uFEFF${csv}`);
  });

  app.get('/register/print', async (request, reply) => {
    const { filters } = parseFilters(request.query as Record<string, unknown>);
    const rows = await services.register.exportRows(request.actor!, filters, 'print');
    return reply.page('features/register/views/print.njk', {
      pageTitle: 'SEN register (print)',
      rows: registerRows(rows, ''),
      printedOn: formatDate(services.clock.today()),
    });
  });

  app.get('/figures', async (request, reply) => {
    const counts = await services.register.counts(request.actor!);
    return reply.page('features/register/views/figures.njk', {
      pageTitle: 'SEN figures',
      counts,
      stages: SEN_STAGES.map((s) => ({ label: stageLabel(s), n: counts.byStage[s] })),
      needs: NEED_CODES.map((c) => ({ code: c, label: NEEDS[c].label, ...counts.byNeed[c] })).filter(
        (n) => n.sen_support + n.ehc_plan > 0,
      ),
      areas: [
        ...AREAS_OF_NEED.map((a) => ({ label: AREA_LABELS[a], n: counts.byArea[a] })),
        { label: 'Other', n: counts.byArea.other },
      ],
    });
  });

  const changeData = async (actor: Actor, pupilId: string) => {
    const found = await services.register.changeForm(actor, pupilId);
    return {
      pageTitle: `Change SEN stage or needs: ${found.pupil.forename} ${found.pupil.surname}`,
      pupil: found.pupil,
      currentStage: stageLabel(found.pupil.senStage),
      stages: SEN_STAGES.map((s) => ({ value: s, text: stageLabel(s) })),
      needOptions,
    };
  };

  app.get('/pupils/:id/register', async (request, reply) => {
    const pupilId = pupilIdOf(request);
    const data = await changeData(request.actor!, pupilId);
    return reply.page(CHANGE_FORM, {
      ...data,
      values: {
        stage: data.pupil.senStage,
        primaryNeed: data.pupil.primaryNeed ?? '',
        secondaryNeed: data.pupil.secondaryNeed ?? '',
        ...dateParts('effectiveDate', services.clock.today()),
      },
    });
  });

  app.post('/pupils/:id/register', async (request, reply) => {
    const pupilId = pupilIdOf(request);
    const body = (request.body ?? {}) as FormBody;
    const data = await changeData(request.actor!, pupilId);
    const parsed = parseRegisterChange(body, services.clock.today);
    const anchors = { ...dateAnchors('effectiveDate'), stage: 'stage' };
    if (!parsed.ok) return showFormErrors(reply, CHANGE_FORM, data, parsed.errors, body, anchors);
    const d = parsed.data;
    const done = await submitForm(
      reply,
      CHANGE_FORM,
      data,
      body,
      () =>
        services.register.changePosition(request.actor!, pupilId, {
          stage: d.stage,
          // The form always shows the need fields: they count only where needs are recorded.
          primaryNeed: onRegister(d.stage) ? d.primaryNeed : null,
          secondaryNeed: onRegister(d.stage) ? d.secondaryNeed : null,
          effectiveDate: d.effectiveDate!,
          reason: d.reason,
        }),
      anchors,
    );
    if (!done.ok) return done.response;
    return reply.flash(`SEN stage saved: ${STAGE_LABELS[d.stage]}.`).redirect(`/pupils/${pupilId}`, 303);
  });

  app.get('/register/review', async (request, reply) => {
    const result = await services.register.reviewList(request.actor!);
    const rows = registerRows(result.rows, result.termStart);
    const next = rows.find((r) => !r.reviewedThisTerm);
    return reply.page('features/register/views/review.njk', {
      pageTitle: 'Termly register review',
      rows,
      reviewedThisTerm: result.reviewedThisTerm,
      total: result.total,
      termStart: formatDate(result.termStart),
      nextHref: next ? `/register/review/${next.id}` : null,
    });
  });

  const reviewData = async (actor: Actor, pupilId: string) => {
    const found = await services.register.reviewForm(actor, pupilId);
    return {
      pageTitle: `Register review: ${found.pupil.forename} ${found.pupil.surname}`,
      pupil: found.pupil,
      className: found.className,
      currentStage: stageLabel(found.pupil.senStage),
      lastReviews: found.reviews,
      position: found.position,
      total: found.total,
      moveStages: SEN_STAGES.filter((s) => s !== 'none' && s !== found.pupil.senStage).map((s) => ({
        value: s,
        text: stageLabel(s),
      })),
      needOptions,
    };
  };

  app.get('/register/review/:id', async (request, reply) => {
    const pupilId = pupilIdOf(request);
    const data = await reviewData(request.actor!, pupilId);
    return reply.page(REVIEW_FORM, {
      ...data,
      values: {
        primaryNeed: data.pupil.primaryNeed ?? '',
        secondaryNeed: data.pupil.secondaryNeed ?? '',
        ...dateParts('reviewedOn', services.clock.today()),
      },
    });
  });

  app.post('/register/review/:id', async (request, reply) => {
    const pupilId = pupilIdOf(request);
    const body = (request.body ?? {}) as FormBody;
    const data = await reviewData(request.actor!, pupilId);
    const parsed = parseRegisterReview(body, services.clock.today);
    const anchors = { ...dateAnchors('reviewedOn'), outcome: 'outcome' };
    if (!parsed.ok) return showFormErrors(reply, REVIEW_FORM, data, parsed.errors, body, anchors);
    const d = parsed.data;
    const done = await submitForm(
      reply,
      REVIEW_FORM,
      data,
      body,
      () =>
        services.register.recordReview(request.actor!, pupilId, {
          outcome: d.outcome,
          toStage: d.toStage,
          primaryNeed: d.primaryNeed,
          secondaryNeed: d.secondaryNeed,
          reviewedOn: d.reviewedOn!,
          reason: d.reason,
        }),
      anchors,
    );
    if (!done.ok) return done.response;
    const next = await services.register.nextToReview(request.actor!, pupilId);
    reply.flash(`Review recorded for ${data.pupil.forename} ${data.pupil.surname}.`);
    return reply.redirect(next ? `/register/review/${next}` : '/register/review', 303);
  });
}
