import type { FastifyInstance } from 'fastify';
import { toCsv } from '../../../documents/csv.ts';
import { AREA_LABELS, AREAS_OF_NEED, NEED_CODES, NEEDS } from '../../../domain/census.ts';
import { formatDate } from '../../../domain/dates.ts';
import { onRegister, SEN_STAGES, STAGE_LABELS, stageLabel } from '../../../domain/register.ts';
import { figuresNotice } from '../../../presenters/figures.ts';
import { CSV_HEADER, registerCsvRows, registerRows } from '../../../presenters/register.ts';
import type { Services } from '../../../services/index.ts';
import { dateAnchors, formRoute } from '../../form-route.ts';
import { dateParts } from '../../forms/dates.ts';
import { pupilIdOf } from '../../params.ts';
import { paths } from '../../paths.ts';
import { needOptions } from '../../shared/need-options.ts';
import { filterOptions, filterQuery, parseFilters } from '../../shared/pupil-filters.ts';
import { ehcFiguresModel } from './ehc-figures.ts';
import { parseRegisterChange, parseRegisterReview } from './schemas.ts';

export async function registerRoutes(app: FastifyInstance, services: Services) {
  app.get(paths.register.pattern, async (request, reply) => {
    const { filters } = parseFilters(request.query as Record<string, unknown>);
    const result = await services.register.list(request.actor!, filters);
    const query = filterQuery(filters);
    const rows = registerRows(result.rows, result.termStart, services.clock.today());
    return reply.page('features/register/views/register.njk', {
      pageTitle: 'SEN register',
      rows,
      notReviewed: rows.filter((r) => r.notReviewedForOverATerm).length,
      counts: result.counts,
      filters,
      options: filterOptions(filters, result.classes, result.yearGroups),
      csvHref: paths.registerCsv.to(query),
      printHref: paths.registerPrint.to(query),
      canExport: result.canExport,
      canReview: result.canReview,
    });
  });

  app.get(paths.registerCsv.pattern, async (request, reply) => {
    const { filters } = parseFilters(request.query as Record<string, unknown>);
    const rows = await services.register.exportRows(request.actor!, filters, 'csv');
    const csv = toCsv(CSV_HEADER, registerCsvRows(registerRows(rows, '')));
    const date = services.clock.today();
    return reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="sen-register-${date}.csv"`)
      .send(`\uFEFF${csv}`);
  });

  app.get(paths.registerPrint.pattern, async (request, reply) => {
    const { filters } = parseFilters(request.query as Record<string, unknown>);
    const rows = await services.register.exportRows(request.actor!, filters, 'print');
    return reply.page('features/register/views/print.njk', {
      pageTitle: 'SEN register (print)',
      rows: registerRows(rows, ''),
      printedOn: formatDate(services.clock.today()),
    });
  });

  app.get(paths.figures.pattern, async (request, reply) => {
    const counts = await services.register.counts(request.actor!);
    const ehc = await services.ehcFigures.ehcCounts(request.actor!);
    const stages = SEN_STAGES.map((s) => ({ label: stageLabel(s), n: counts.byStage[s] }));
    const needs = [
      ...NEED_CODES.map((c) => ({ label: `${NEEDS[c].label} (${c})`, ...counts.byNeed[c] })),
      { label: 'No primary need recorded', ...counts.noNeed },
    ].filter((n) => n.sen_support !== 0 || n.ehc_plan !== 0);
    const areas = [
      ...AREAS_OF_NEED.map((a) => ({ label: AREA_LABELS[a], n: counts.byArea[a] })),
      { label: 'Other', n: counts.byArea.other },
    ];
    return reply.page('features/register/views/figures.njk', {
      pageTitle: 'SEN figures',
      counts,
      stages,
      needs,
      areas,
      notice: figuresNotice(counts.threshold, counts.suppressed, [
        { name: 'Pupils by SEN stage', counts: [...stages.map((s) => s.n), counts.total] },
        {
          name: 'Primary need of pupils on the register',
          counts: needs.flatMap((n) => [n.sen_support, n.ehc_plan]),
        },
        { name: 'Pupils on the register by broad area of need', counts: areas.map((a) => a.n) },
        {
          name: 'Requests for an EHC needs assessment this school year',
          counts: [ehc.requests, ...ehc.outcomes.map((o) => o.n)],
        },
        { name: 'Annual reviews of EHC plans', counts: [ehc.reviewsDue, ehc.reviewed, ehc.notReviewed] },
      ]),
      ehc: ehcFiguresModel(ehc),
    });
  });

  formRoute(app, {
    path: paths.pupilRegister,
    template: 'features/register/views/change.njk',
    anchors: { ...dateAnchors('effectiveDate'), stage: 'stage' },
    async load(request, { audit }) {
      const found = await services.register.changeForm(request.actor!, pupilIdOf(request), { audit });
      return {
        pageTitle: `Change SEN stage or needs: ${found.pupil.forename} ${found.pupil.surname}`,
        pupil: found.pupil,
        version: found.pupil.version,
        currentStage: stageLabel(found.pupil.senStage),
        stages: SEN_STAGES.map((s) => ({ value: s, text: stageLabel(s) })),
        needOptions,
      };
    },
    initial: (data) => ({
      stage: data.pupil.senStage,
      primaryNeed: data.pupil.primaryNeed ?? '',
      secondaryNeed: data.pupil.secondaryNeed ?? '',
      version: String(data.pupil.version),
      ...dateParts('effectiveDate', services.clock.today()),
    }),
    parse: (body) => parseRegisterChange(body, services.clock.today),
    submit: (request, d) =>
      services.register.changePosition(request.actor!, pupilIdOf(request), {
        stage: d.stage,
        // The form always shows the need fields: they count only where needs are recorded.
        primaryNeed: onRegister(d.stage) ? d.primaryNeed : null,
        secondaryNeed: onRegister(d.stage) ? d.secondaryNeed : null,
        effectiveDate: d.effectiveDate!,
        reason: d.reason,
        version: d.version,
      }),
    done: (_k, d, request) => ({
      redirect: paths.pupil.to({ pupilId: pupilIdOf(request) }),
      flash: `SEN stage saved: ${STAGE_LABELS[d.stage]}.`,
    }),
  });

  app.get(paths.registerReview.pattern, async (request, reply) => {
    const result = await services.register.reviewList(request.actor!);
    const rows = registerRows(result.rows, result.termStart, services.clock.today()).map((r, i) => ({
      ...r,
      skipped: result.rows[i]?.skipped ?? false,
    }));
    const next = rows.find((r) => !r.reviewedThisTerm);
    return reply.page('features/register/views/review.njk', {
      pageTitle: 'Termly register review',
      rows,
      reviewedThisTerm: result.reviewedThisTerm,
      stillToDo: result.stillToDo,
      skipped: result.skipped,
      total: result.total,
      termStart: formatDate(result.termStart),
      nextHref: next ? paths.registerReviewPupil.to({ pupilId: next.id }) : null,
    });
  });

  formRoute(app, {
    path: paths.registerReviewPupil,
    template: 'features/register/views/review-pupil.njk',
    anchors: { ...dateAnchors('reviewedOn'), outcome: 'outcome' },
    async load(request, { audit }) {
      const found = await services.register.reviewForm(request.actor!, pupilIdOf(request), { audit });
      return {
        pageTitle: `Register review: ${found.pupil.forename} ${found.pupil.surname}`,
        pupil: found.pupil,
        version: found.pupil.version,
        className: found.className,
        currentStage: stageLabel(found.pupil.senStage),
        lastReviews: found.reviews,
        stillToDo: found.stillToDo,
        reviewedThisTerm: found.reviewedThisTerm,
        skipped: found.skipped,
        total: found.total,
        moveStages: SEN_STAGES.filter((s) => s !== 'none' && s !== found.pupil.senStage).map((s) => ({
          value: s,
          text: stageLabel(s),
        })),
        needOptions,
      };
    },
    initial: (data) => ({
      primaryNeed: data.pupil.primaryNeed ?? '',
      secondaryNeed: data.pupil.secondaryNeed ?? '',
      version: String(data.pupil.version),
      ...dateParts('reviewedOn', services.clock.today()),
    }),
    parse: (body) => parseRegisterReview(body, services.clock.today),
    submit: async (request, d) => {
      const pupilId = pupilIdOf(request);
      const reviewed = await services.register.recordReview(request.actor!, pupilId, {
        outcome: d.outcome,
        toStage: d.toStage,
        primaryNeed: d.primaryNeed,
        secondaryNeed: d.secondaryNeed,
        reviewedOn: d.reviewedOn!,
        reason: d.reason,
        version: d.version,
      });
      return {
        next: await services.register.nextToReview(request.actor!, pupilId),
        name: reviewed.pupilName,
      };
    },
    done: ({ next, name }) => ({
      redirect: next ? paths.registerReviewPupil.to({ pupilId: next }) : paths.registerReview.to(),
      flash: `Review recorded for ${name}.`,
    }),
  });

  /** Leave a pupil until later in this term's review, and go on to the next. */
  app.post(paths.registerReviewSkip.pattern, async (request, reply) => {
    const { next, pupilName } = await services.register.skip(request.actor!, pupilIdOf(request));
    return reply
      .flash(`${pupilName} left until later: they come back at the end of this term’s list.`)
      .redirect(next ? paths.registerReviewPupil.to({ pupilId: next }) : paths.registerReview.to(), 303);
  });
}
