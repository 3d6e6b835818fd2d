import type { FastifyInstance, FastifyRequest } from 'fastify';
import { toCsv } from '../../../documents/csv.ts';
import { academicYearStartOf } from '../../../domain/calendar.ts';
import { formatDate } from '../../../domain/dates.ts';
import { CHECK_DECISION_LABELS, type MeasureKind } from '../../../domain/provision.ts';
import { IMPACT_PERIOD_RULE, type ImpactPeriod } from '../../../domain/provision-impact.ts';
import { mapCsv, mapModel } from '../../../presenters/provision.ts';
import type { Services } from '../../../services/index.ts';
import { NotFoundError, ValidationError } from '../../../services/kernel/errors.ts';
import { dateAnchors, formRoute } from '../../form-route.ts';
import { dateParts } from '../../forms/dates.ts';
import { parseForm } from '../../forms/errors.ts';
import { isUuid, stripControlCharacters } from '../../forms/fields.ts';
import { idParam } from '../../params.ts';
import { paths } from '../../paths.ts';
import { parseFilters } from '../../shared/pupil-filters.ts';
import {
  parseAddPupil,
  parseCheck,
  parseGroupChange,
  parseIntervention,
  parseLeaving,
  parseMeasures,
  parseNewGroup,
  parseRates,
  parseSession,
  VersionSchema,
} from './schemas.ts';
import {
  addPupilModel,
  catalogueByArea,
  checkFormModel,
  effectivenessModel,
  figuresModel,
  groupEditModel,
  groupFormValues,
  groupListRows,
  groupPageModel,
  interventionEditModel,
  interventionFormValues,
  leavingModel,
  mapPageModel,
  mapPrintModel,
  measuresFormModel,
  measuresFormValues,
  memberNames,
  newGroupFormModel,
  newGroupFormValues,
  newInterventionModel,
  newInterventionValues,
  ratesFormValues,
  registerRows,
  sessionFormModel,
  sessionFormValues,
} from './view-models.ts';

const V = 'features/provision/views';
const groupIdOf = (request: FastifyRequest) => idParam(request, 'groupId');
const interventionIdOf = (request: FastifyRequest) => idParam(request, 'interventionId');
const memberIdOf = (request: FastifyRequest) => idParam(request, 'memberId');
const query = (request: FastifyRequest) => request.query as Record<string, unknown>;

/** ?period=2025 (the academic year 2025/26, up to ten years back) or ?period=all (the default). */
function impactPeriodOf(raw: string | undefined, today: string): ImpactPeriod {
  const latest = academicYearStartOf(today);
  const year = raw && /^\d{4}$/.test(raw) ? Number(raw) : null;
  return year !== null && year <= latest && year >= latest - 10 ? { yearStart: year } : 'all';
}
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
/** The recommendation a new group is started for (a query parameter), or null; anything but an id is "not found". */
const recommendationIdOf = (request: FastifyRequest): string | null => {
  const v = query(request).recommendationId;
  if (v === undefined || v === '') return null;
  if (!isUuid(v)) throw new NotFoundError('Recommendation not found');
  return v.toLowerCase();
};

export async function provisionRoutes(app: FastifyInstance, services: Services) {
  const p = services.provision;
  const today = () => services.clock.today();

  // Groups: the start page of the provision map for everyone who works with it.
  app.get(paths.provision.pattern, async (request, reply) => {
    const show = str(query(request).show);
    const which = show === 'ended' || show === 'all' ? show : 'current';
    const result = await p.groups(request.actor!, { which });
    const attention = result.actions.viewRegister ? await p.attention(request.actor!) : null;
    return reply.page(`${V}/index.njk`, {
      pageTitle: 'Provision',
      which,
      actions: result.actions,
      attention,
      groups: groupListRows(result.groups),
    });
  });

  // The catalogue
  app.get(paths.interventions.pattern, async (request, reply) => {
    const catalogue = await p.catalogue(request.actor!);
    return reply.page(`${V}/catalogue.njk`, {
      pageTitle: 'Intervention catalogue',
      byArea: catalogueByArea(catalogue),
      actions: catalogue.actions,
    });
  });

  formRoute(app, {
    path: paths.interventionNew,
    template: `${V}/intervention-form.njk`,
    async load(request) {
      await p.rates(request.actor!); // only those who manage provision
      return newInterventionModel();
    },
    initial: newInterventionValues,
    parse: (body) => parseIntervention(body),
    submit: (request, input) => p.addIntervention(request.actor!, input),
    done: (_id, input) => ({
      redirect: paths.interventions.to(),
      flash: `${input.name} has been added to the catalogue.`,
    }),
  });

  formRoute(app, {
    path: paths.interventionEdit,
    template: `${V}/intervention-form.njk`,
    load: async (request) =>
      interventionEditModel(await p.interventionForEdit(request.actor!, interventionIdOf(request))),
    initial: ({ intervention }) => interventionFormValues(intervention),
    parse: (body) => {
      const parsed = parseIntervention(body);
      const v = parseForm(VersionSchema, body);
      if (!parsed.ok || !v.ok)
        return {
          ok: false as const,
          errors: [...(v.ok ? [] : v.errors), ...(parsed.ok ? [] : parsed.errors)],
        };
      return { ok: true as const, data: { input: parsed.data, version: v.data.version } };
    },
    submit: (request, d) =>
      p.changeIntervention(request.actor!, interventionIdOf(request), d.version, d.input),
    done: (_r, d) => ({ redirect: paths.interventions.to(), flash: `${d.input.name} saved.` }),
  });

  app.post(paths.interventionArchive.pattern, async (request, reply) => {
    const id = interventionIdOf(request);
    await p.interventionForEdit(request.actor!, id); // only those who manage provision; unknown → not found
    const body = (request.body ?? {}) as Record<string, unknown>;
    const v = parseForm(VersionSchema, body);
    if (!v.ok)
      return reply
        .flash(v.errors[0]!.message)
        .redirect(paths.interventionEdit.to({ interventionId: id }), 303);
    const archived = body.archived !== 'no';
    try {
      await p.archiveIntervention(request.actor!, id, v.data.version, archived);
    } catch (error) {
      if (error instanceof ValidationError)
        return reply
          .flash(error.errors[0]!.message)
          .redirect(paths.interventionEdit.to({ interventionId: id }), 303);
      throw error;
    }
    return reply
      .flash(
        archived
          ? 'Archived: its groups run on, and no new group can start from it.'
          : 'Back in the catalogue.',
      )
      .redirect(paths.interventions.to(), 303);
  });

  // Hourly rates
  formRoute(app, {
    path: paths.provisionRates,
    template: `${V}/rates.njk`,
    async load(request) {
      return { pageTitle: 'Hourly rates for costing staff time', rates: await p.rates(request.actor!) };
    },
    initial: ({ rates }) => ratesFormValues(rates),
    parse: (body) => parseRates(body),
    submit: (request, d) => p.saveRates(request.actor!, d.shown, d.rates),
    done: () => ({ redirect: paths.provision.to(), flash: 'Hourly rates saved. Costs now use them.' }),
  });

  // Groups

  formRoute(app, {
    path: paths.groupNew,
    template: `${V}/group-form.njk`,
    anchors: { ...dateAnchors('startDate', 'endDate'), pupilIds: 'pupilIds', delivererKind: 'delivererKind' },
    // Started from an outside agency's recommendation (?recommendationId=…, kept as the form posts back
    // to its own address): the pupil chosen, the agency filled in, and the use recorded as it starts.
    async load(request, { audit }) {
      const recommendationId = recommendationIdOf(request);
      const [options, from] = await Promise.all([
        p.groupFormOptions(request.actor!),
        recommendationId
          ? services.recommendations.forNewGroup(request.actor!, recommendationId, { audit })
          : null,
      ]);
      return { ...newGroupFormModel(options), fromRecommendation: from };
    },
    initial: (data, request) => ({
      ...newGroupFormValues(data.interventions, str(query(request).interventionId), services.clock.today()),
      ...(data.fromRecommendation
        ? {
            pupilIds: [data.fromRecommendation.pupil.id],
            agency: data.fromRecommendation.report.agencyName,
          }
        : {}),
    }),
    parse: (body) => parseNewGroup(body),
    submit: (request, input) => {
      const recommendationId = recommendationIdOf(request);
      return recommendationId
        ? services.recommendations.startGroup(request.actor!, recommendationId, input)
        : p.startGroup(request.actor!, input);
    },
    done: (groupId, input) => ({
      redirect: paths.group.to({ groupId }),
      flash: `${input.name} has started with ${input.pupilIds.length === 1 ? '1 pupil' : `${input.pupilIds.length} pupils`}.`,
    }),
  });

  app.get(paths.group.pattern, async (request, reply) => {
    const page = await p.group(request.actor!, groupIdOf(request));
    return reply.page(`${V}/group.njk`, groupPageModel(page));
  });

  formRoute(app, {
    path: paths.groupEdit,
    template: `${V}/group-form.njk`,
    anchors: { ...dateAnchors('startDate', 'endDate'), delivererKind: 'delivererKind' },
    load: async (request) => groupEditModel(await p.groupForEdit(request.actor!, groupIdOf(request))),
    initial: ({ group }) => groupFormValues(group),
    parse: (body) => parseGroupChange(body),
    submit: (request, d) => p.changeGroup(request.actor!, groupIdOf(request), d.version, d.input),
    done: (_r, d, request) => ({
      redirect: paths.group.to({ groupId: groupIdOf(request) }),
      flash: `${d.input.name} saved.`,
    }),
  });

  formRoute(app, {
    path: paths.groupPupils,
    template: `${V}/add-pupil.njk`,
    anchors: { ...dateAnchors('joinedOn'), pupilId: 'pupilId' },
    async load(request) {
      const { group } = await p.groupForEdit(request.actor!, groupIdOf(request));
      const q = stripControlCharacters(str(query(request).q) ?? '')
        .trim()
        .slice(0, 100);
      const found = q ? await p.findPupilsToAdd(request.actor!, q) : [];
      return addPupilModel(group, q, found);
    },
    initial: () => dateParts('joinedOn', services.clock.today()),
    parse: (body) => parseAddPupil(body),
    submit: (request, d) =>
      p.addPupil(request.actor!, groupIdOf(request), d.pupilId.toLowerCase(), d.joinedOn!),
    done: (_r, _d, request) => ({
      redirect: paths.group.to({ groupId: groupIdOf(request) }),
      flash: 'Pupil added to the group.',
    }),
  });

  formRoute(app, {
    path: paths.groupPupilLeaves,
    template: `${V}/leave.njk`,
    anchors: dateAnchors('leftOn'),
    load: async (request) =>
      leavingModel(await p.memberForLeaving(request.actor!, groupIdOf(request), memberIdOf(request))),
    initial: (data) => ({
      version: String(data.member.version),
      ...dateParts('leftOn', data.member.leftOn ?? services.clock.today()),
    }),
    parse: (body) => parseLeaving(body),
    submit: (request, d) =>
      p.pupilLeaves(request.actor!, groupIdOf(request), memberIdOf(request), d.version, d.leftOn!),
    done: (_r, d, request) => ({
      redirect: paths.group.to({ groupId: groupIdOf(request) }),
      flash: `Leaving date saved: in the group until ${formatDate(d.leftOn)}.`,
    }),
  });

  // The deliverer's work
  formRoute(app, {
    path: paths.groupSession,
    template: `${V}/session.njk`,
    anchors: { ...dateAnchors('heldOn'), present: 'present', notSchoolDayConfirmed: 'notSchoolDayConfirmed' },
    load: async (request) => sessionFormModel(await p.sessionForm(request.actor!, groupIdOf(request))),
    initial: (data) => sessionFormValues(data.pupils, services.clock.today()),
    parse: (body) => parseSession(body, today),
    submit: (request, input) => p.recordSession(request.actor!, groupIdOf(request), input),
    done: (counts, input, request) => ({
      redirect: paths.group.to({ groupId: groupIdOf(request) }),
      flash: `Session on ${formatDate(input.heldOn)} recorded: ${counts.present} present, ${counts.absent} absent.`,
    }),
  });

  formRoute(app, {
    path: paths.groupMeasures,
    template: `${V}/measures.njk`,
    anchors: dateAnchors('entryOn', 'exitOn'),
    load: async (request, { audit }) =>
      measuresFormModel(await p.measuresForm(request.actor!, groupIdOf(request), { audit })),
    initial: (data) => measuresFormValues(data.rows),
    async parse(body, request) {
      const form = await p.measuresForm(request.actor!, groupIdOf(request), { audit: false });
      return parseMeasures(body, form.group.measureKind as MeasureKind, memberNames(form.members), today);
    },
    submit: (request, input) => p.saveMeasures(request.actor!, groupIdOf(request), input),
    done: (n, _i, request) => ({
      redirect: paths.group.to({ groupId: groupIdOf(request) }),
      flash: n === 0 ? 'No measures changed.' : `Measures saved for ${n === 1 ? '1 pupil' : `${n} pupils`}.`,
    }),
  });

  formRoute(app, {
    path: paths.groupCheck,
    template: `${V}/check.njk`,
    anchors: { ...dateAnchors('checkedOn'), decision: 'decision' },
    load: async (request) => checkFormModel(await p.checkForm(request.actor!, groupIdOf(request))),
    initial: () => dateParts('checkedOn', services.clock.today()),
    async parse(body, request) {
      const form = await p.checkForm(request.actor!, groupIdOf(request));
      return parseCheck(
        body,
        form.pupils.map((x) => x.member.pupilId),
        today,
      );
    },
    submit: (request, input) => p.recordCheck(request.actor!, groupIdOf(request), input),
    done: (_r, input, request) => ({
      redirect: paths.group.to({ groupId: groupIdOf(request) }),
      flash: `Check recorded: ${CHECK_DECISION_LABELS[input.decision]}.`,
    }),
  });

  // The map and its exports
  const mapRequest = (request: FastifyRequest) => {
    const q = query(request);
    const { filters } = parseFilters(q);
    const term = str(q.term);
    return { filters, term: term && /^\d{4}-(autumn|spring|summer)$/.test(term) ? term : undefined };
  };

  app.get(paths.provisionMap.pattern, async (request, reply) => {
    const { filters, term } = mapRequest(request);
    const result = await p.map(request.actor!, filters, term);
    return reply.page(`${V}/map.njk`, mapPageModel(result, filters));
  });

  app.get(paths.provisionMapCsv.pattern, async (request, reply) => {
    const { filters, term } = mapRequest(request);
    const result = await p.exportMap(request.actor!, filters, term, 'csv');
    const { header, rows } = mapCsv(result);
    return reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="provision-map-${result.term.key}.csv"`)
      .send(`\uFEFF${toCsv(header, rows)}`);
  });

  app.get(paths.provisionMapPrint.pattern, async (request, reply) => {
    const { filters, term } = mapRequest(request);
    const result = await p.exportMap(request.actor!, filters, term, 'print');
    return reply.page(`${V}/map-print.njk`, mapPrintModel(result, services.clock.today()));
  });

  app.get(paths.provisionMapPdf.pattern, async (request, reply) => {
    const { filters, term } = mapRequest(request);
    const result = await p.exportMap(request.actor!, filters, term, 'pdf');
    // pdfkit and its fonts are loaded on the first PDF, not at server start.
    const { provisionMapPdf } = await import('../../../documents/provision-pdf.ts');
    const pdf = await provisionMapPdf(mapModel(result), { printedOn: formatDate(services.clock.today()) });
    return reply
      .header('Content-Type', 'application/pdf')
      .header('Content-Disposition', `attachment; filename="provision-map-${result.term.key}.pdf"`)
      .send(pdf);
  });

  app.get(paths.provisionRegister.pattern, async (request, reply) => {
    const result = await p.register(request.actor!);
    return reply.page(`${V}/register.njk`, {
      pageTitle: 'Intervention register',
      rows: registerRows(result.rows),
    });
  });

  app.get(paths.provisionEffectiveness.pattern, async (request, reply) => {
    const result = await p.effectiveness(request.actor!, impactPeriodOf(str(query(request).period), today()));
    return reply.page(`${V}/effectiveness.njk`, {
      pageTitle: 'How well interventions work',
      periodRule: IMPACT_PERIOD_RULE,
      ...effectivenessModel(result),
    });
  });

  app.get(paths.provisionFigures.pattern, async (request, reply) => {
    const figures = await p.figures(request.actor!);
    return reply.page(`${V}/figures.njk`, figuresModel(figures, services.clock.today()));
  });
}
