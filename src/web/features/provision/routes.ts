import type { FastifyInstance, FastifyRequest } from 'fastify';
import { toCsv } from '../../../documents/csv.ts';
import { academicYearStartOf } from '../../../domain/calendar.ts';
import { AREA_LABELS, AREAS_OF_NEED } from '../../../domain/census.ts';
import { formatDate } from '../../../domain/dates.ts';
import {
  CHECK_DECISION_LABELS,
  CHECK_DECISIONS,
  COST_MODEL_LABELS,
  COST_MODELS,
  DELIVERER_KINDS,
  DELIVERER_LABELS,
  MEASURE_KINDS,
  MEASURE_LABELS,
  type MeasureKind,
} from '../../../domain/provision.ts';
import { penceForInput } from '../../../domain/provision-costs.ts';
import {
  IMPACT_PERIOD_RULE,
  type ImpactPeriod,
  measureForInput,
  measureHint,
} from '../../../domain/provision-impact.ts';
import { notSchoolDayReason } from '../../../domain/school-days.ts';
import { figuresNotice } from '../../../presenters/figures.ts';
import { mapCsv, mapModel } from '../../../presenters/provision.ts';
import type { Services } from '../../../services/index.ts';
import { ValidationError } from '../../../services/kernel/errors.ts';
import { dateAnchors, formRoute } from '../../form-route.ts';
import { dateParts } from '../../forms/dates.ts';
import { parseForm } from '../../forms/errors.ts';
import { stripControlCharacters } from '../../forms/fields.ts';
import { idParam } from '../../params.ts';
import { paths } from '../../paths.ts';
import { filterOptions, filterQuery, parseFilters } from '../../shared/pupil-filters.ts';
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
  areaLabel,
  checkText,
  dates,
  impactText,
  labels,
  measureLabel,
  money,
  progressText,
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

const options = <T extends string>(values: readonly T[], words: Record<T, string>) =>
  values.map((v) => ({ value: v, text: words[v] }));

const INTERVENTION_OPTIONS = {
  areaOptions: options(AREAS_OF_NEED, AREA_LABELS),
  delivererOptions: options(DELIVERER_KINDS, DELIVERER_LABELS),
  costModelOptions: options(COST_MODELS, COST_MODEL_LABELS),
  measureOptions: options(MEASURE_KINDS, MEASURE_LABELS),
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
      groups: result.groups.map((g) => ({
        ...g,
        dates: dates(g.startDate, g.endDate),
        frequency: labels.frequency(g.sessionsPerWeek, g.minutesPerSession),
        checkText: checkText(g.check, g.ended),
      })),
    });
  });

  // The catalogue
  app.get(paths.interventions.pattern, async (request, reply) => {
    const { interventions, actions } = await p.catalogue(request.actor!);
    const byArea = AREAS_OF_NEED.map((area) => ({
      label: AREA_LABELS[area],
      interventions: interventions
        .filter((i) => i.area === area && (!i.archivedAt || actions.manageCatalogue))
        .map((i) => ({
          ...i,
          frequency: labels.frequency(i.sessionsPerWeek, i.minutesPerSession),
          deliverer: labels.deliverer(i.usualDeliverer),
          cost:
            i.costModel === 'staff_time'
              ? COST_MODEL_LABELS.staff_time
              : `${COST_MODEL_LABELS[i.costModel]}: ${money(i.fixedCostPence ?? 0)}`,
          measure: measureLabel(i.measureKind, i.measureName),
        })),
    }));
    return reply.page(`${V}/catalogue.njk`, { pageTitle: 'Intervention catalogue', byArea, actions });
  });

  const interventionForm = <T extends object>(title: string, extra: T) => ({
    pageTitle: title,
    ...INTERVENTION_OPTIONS,
    ...extra,
  });

  formRoute(app, {
    path: paths.interventionNew,
    template: `${V}/intervention-form.njk`,
    async load(request) {
      await p.rates(request.actor!); // only those who manage provision
      return interventionForm('Add an intervention', { isNew: true });
    },
    initial: () => ({
      usualGroupSize: '4',
      sessionsPerWeek: '3',
      minutesPerSession: '30',
      costModel: 'staff_time',
    }),
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
    async load(request) {
      const found = await p.interventionForEdit(request.actor!, interventionIdOf(request));
      return interventionForm(`Change ${found.intervention.name}`, {
        intervention: found.intervention,
        hasMeasures: found.hasMeasures,
        version: found.intervention.version,
      });
    },
    initial: ({ intervention: i }) => ({
      name: i.name,
      area: i.area,
      description: i.description ?? '',
      evidenceBase: i.evidenceBase ?? '',
      usualDeliverer: i.usualDeliverer,
      usualGroupSize: String(i.usualGroupSize),
      sessionsPerWeek: String(i.sessionsPerWeek),
      minutesPerSession: String(i.minutesPerSession),
      costModel: i.costModel,
      fixedCost: penceForInput(i.fixedCostPence),
      measureKind: i.measureKind,
      measureName: i.measureName ?? '',
      version: String(i.version),
    }),
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
    initial: ({ rates }) =>
      Object.fromEntries(
        rates.flatMap((r) => [
          [r.kind, penceForInput(r.hourlyPence)],
          [`shown-${r.kind}`, String(r.hourlyPence)],
        ]),
      ),
    parse: (body) => parseRates(body),
    submit: (request, d) => p.saveRates(request.actor!, d.shown, d.rates),
    done: () => ({ redirect: paths.provision.to(), flash: 'Hourly rates saved. Costs now use them.' }),
  });

  // Groups

  formRoute(app, {
    path: paths.groupNew,
    template: `${V}/group-form.njk`,
    anchors: { ...dateAnchors('startDate', 'endDate'), pupilIds: 'pupilIds', delivererKind: 'delivererKind' },
    async load(request) {
      const o = await p.groupFormOptions(request.actor!);
      return {
        pageTitle: 'Start a group',
        isNew: true,
        interventions: o.interventions,
        deliverers: o.deliverers,
        pupils: o.pupils.map((x) => ({ ...x, year: labels.year(x.ncYear), stage: labels.stage(x.senStage) })),
        delivererKinds: options(DELIVERER_KINDS, DELIVERER_LABELS),
      };
    },
    initial: (data, request) => {
      const chosen = data.interventions.find((i) => i.id === str(query(request).interventionId));
      return {
        ...dateParts('startDate', services.clock.today()),
        ...(chosen
          ? {
              interventionId: chosen.id,
              name: chosen.name,
              delivererKind: chosen.usualDeliverer,
              sessionsPerWeek: String(chosen.sessionsPerWeek),
              minutesPerSession: String(chosen.minutesPerSession),
            }
          : {}),
      };
    },
    parse: (body) => parseNewGroup(body),
    submit: (request, input) => p.startGroup(request.actor!, input),
    done: (groupId, input) => ({
      redirect: paths.group.to({ groupId }),
      flash: `${input.name} has started with ${input.pupilIds.length === 1 ? '1 pupil' : `${input.pupilIds.length} pupils`}.`,
    }),
  });

  app.get(paths.group.pattern, async (request, reply) => {
    const page = await p.group(request.actor!, groupIdOf(request));
    const kind = page.group.measureKind as MeasureKind;
    const names = new Map(page.members.map((m) => [m.member.pupilId, `${m.forename} ${m.surname}`]));
    return reply.page(`${V}/group.njk`, {
      pageTitle: page.group.name,
      ...page,
      area: areaLabel(page.group.area),
      dates: dates(page.group.startDate, page.group.endDate),
      frequency: labels.frequency(page.group.sessionsPerWeek, page.group.minutesPerSession),
      deliverer: `${page.group.delivererName} (${labels.deliverer(page.group.delivererKind)})`,
      measure: measureLabel(page.group.measureKind, page.group.measureName),
      impactText: impactText(kind, page.impact),
      checkText: checkText(page.check, page.ended),
      costThisYear: money(page.members.reduce((s, m) => s + m.costThisYear, 0)),
      rows: page.members.map((m) => ({
        ...m,
        name: `${m.forename} ${m.surname}`,
        spell: dates(m.member.joinedOn, m.member.leftOn),
        entry: labels.measure(kind, m.measures.entry),
        exit: labels.measure(kind, m.measures.exit),
        progressText: progressText(kind, m.progress),
        costThisYear: money(m.costThisYear),
      })),
      sessionRows: page.sessions.map((s) => ({
        ...s,
        present: s.attendance.filter((a) => a.present).map((a) => names.get(a.pupilId) ?? ''),
        absent: s.attendance.filter((a) => !a.present).map((a) => names.get(a.pupilId) ?? ''),
      })),
      checkRows: page.checks.map((c) => ({
        ...c,
        decisionText: labels.decision(c.decision),
        pupils: c.pupils.map((x) => ({ ...x, name: names.get(x.pupilId) ?? '' })),
      })),
    });
  });

  formRoute(app, {
    path: paths.groupEdit,
    template: `${V}/group-form.njk`,
    anchors: { ...dateAnchors('startDate', 'endDate'), delivererKind: 'delivererKind' },
    async load(request) {
      const { group, deliverers } = await p.groupForEdit(request.actor!, groupIdOf(request));
      return {
        pageTitle: `Change ${group.name}`,
        isNew: false,
        group,
        deliverers,
        version: group.version,
        delivererKinds: options(DELIVERER_KINDS, DELIVERER_LABELS),
      };
    },
    initial: ({ group: g }) => ({
      name: g.name,
      delivererId: g.delivererId ?? 'other',
      delivererName: g.delivererId ? '' : g.delivererName,
      delivererKind: g.delivererKind,
      sessionsPerWeek: String(g.sessionsPerWeek),
      minutesPerSession: String(g.minutesPerSession),
      location: g.location ?? '',
      agency: g.agency ?? '',
      version: String(g.version),
      ...dateParts('startDate', g.startDate),
      ...dateParts('endDate', g.endDate),
    }),
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
      return {
        pageTitle: `Add a pupil to ${group.name}`,
        group,
        q,
        searched: q.length > 0,
        found: found.map((x) => ({ ...x, year: labels.year(x.ncYear) })),
      };
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
    async load(request) {
      const found = await p.memberForLeaving(request.actor!, groupIdOf(request), memberIdOf(request));
      return {
        pageTitle: `${found.pupil.forename} ${found.pupil.surname} leaves ${found.group.name}`,
        ...found,
        joined: formatDate(found.member.joinedOn),
        version: found.member.version,
      };
    },
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
    async load(request) {
      const form = await p.sessionForm(request.actor!, groupIdOf(request));
      return {
        pageTitle: `Record a session: ${form.group.name}`,
        group: form.group,
        frequency: labels.frequency(form.group.sessionsPerWeek, form.group.minutesPerSession),
        pupils: form.pupils.map((x) => ({ id: x.member.pupilId, name: `${x.forename} ${x.surname}` })),
        /** Today (the date filled in) is a weekend or holiday: said before the session is saved. */
        todayNotSchoolDay: notSchoolDayReason(form.today),
        today: form.today,
      };
    },
    initial: (data) => ({
      ...dateParts('heldOn', services.clock.today()),
      present: data.pupils.map((x) => x.id),
    }),
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
    async load(request, { audit }) {
      const form = await p.measuresForm(request.actor!, groupIdOf(request), { audit });
      const kind = form.group.measureKind as MeasureKind;
      return {
        pageTitle: `Entry and exit measures: ${form.group.name}`,
        group: form.group,
        measure: measureLabel(kind, form.group.measureName),
        hint: `Enter each as ${measureHint(kind)}. Leave a box empty if it has not been measured.`,
        rows: form.members.map((m) => ({
          id: m.member.id,
          name: `${m.forename} ${m.surname}`,
          spell: dates(m.member.joinedOn, m.member.leftOn),
          entryOn: m.member.entryMeasuredOn,
          exitOn: m.member.exitMeasuredOn,
          version: m.member.version,
          entry: measureForInput(kind, m.member.entryMeasure),
          exit: measureForInput(kind, m.member.exitMeasure),
        })),
        names: new Map(form.members.map((m) => [m.member.id, `${m.forename} ${m.surname}`])),
      };
    },
    initial: (data) =>
      Object.fromEntries(
        data.rows.flatMap((r) => [
          [`entry-${r.id}`, r.entry],
          [`exit-${r.id}`, r.exit],
          [`version-${r.id}`, String(r.version)],
        ]),
      ),
    async parse(body, request) {
      const form = await p.measuresForm(request.actor!, groupIdOf(request), { audit: false });
      const names = new Map(form.members.map((m) => [m.member.id, `${m.forename} ${m.surname}`]));
      return parseMeasures(body, form.group.measureKind as MeasureKind, names, today);
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
    async load(request) {
      const form = await p.checkForm(request.actor!, groupIdOf(request));
      return {
        pageTitle: `Half-termly check: ${form.group.name}`,
        group: form.group,
        pupils: form.pupils.map((x) => ({ id: x.member.pupilId, name: `${x.forename} ${x.surname}` })),
        decisions: options(CHECK_DECISIONS, CHECK_DECISION_LABELS),
      };
    },
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
  const mapQuery = (filters: ReturnType<typeof parseFilters>['filters'], term: string) =>
    filterQuery(filters, { term });

  app.get(paths.provisionMap.pattern, async (request, reply) => {
    const { filters, term } = mapRequest(request);
    const result = await p.map(request.actor!, filters, term);
    const model = mapModel(result);
    const exportQuery = mapQuery(filters, result.term.key);
    return reply.page(`${V}/map.njk`, {
      pageTitle: `Provision map: ${result.term.label}`,
      ...model,
      filters,
      options: filterOptions(filters, result.classes, result.yearGroups),
      termOptions: result.terms.map((t) => ({
        value: t.key,
        text: t.label,
        selected: t.key === result.term.key,
      })),
      canExport: result.canExport,
      csvHref: paths.provisionMapCsv.to(exportQuery),
      printHref: paths.provisionMapPrint.to(exportQuery),
      pdfHref: paths.provisionMapPdf.to(exportQuery),
    });
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
    return reply.page(`${V}/map-print.njk`, {
      pageTitle: `Provision map: ${result.term.label} (print)`,
      ...mapModel(result),
      printedOn: formatDate(services.clock.today()),
    });
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
      rows: result.rows.map((r) => {
        const kind = r.group.measureKind as MeasureKind;
        return {
          ...r,
          dates: dates(r.group.startDate, r.group.endDate),
          deliverer: `${r.group.delivererName} (${labels.deliverer(r.group.delivererKind)})`,
          frequency: labels.frequency(r.group.sessionsPerWeek, r.group.minutesPerSession),
          area: areaLabel(r.group.area),
          impactText: impactText(kind, r.impact),
          cost: money(r.costPence),
          pupils: r.members.map((m) => ({
            name: `${m.forename} ${m.surname}`,
            progress: progressText(kind, m.progress),
          })),
        };
      }),
    });
  });

  app.get(paths.provisionEffectiveness.pattern, async (request, reply) => {
    const result = await p.effectiveness(request.actor!, impactPeriodOf(str(query(request).period), today()));
    const kinds = MEASURE_KINDS.filter((k) => result.rows.some((r) => r.measureKind === k));
    const key = (period: ImpactPeriod) => (period === 'all' ? 'all' : String(period.yearStart));
    return reply.page(`${V}/effectiveness.njk`, {
      pageTitle: 'How well interventions work',
      periodRule: IMPACT_PERIOD_RULE,
      periodLabel: result.periodLabel,
      periods: result.periods.map((x) => ({
        ...x,
        href: paths.provisionEffectiveness.to({ period: key(x.period) }),
        current: key(x.period) === key(result.period),
      })),
      sections: kinds.map((kind) => ({
        label: MEASURE_LABELS[kind],
        kind,
        rows: result.rows
          .filter((r) => r.measureKind === kind)
          .sort((a, b) => (b.summary.averageProgress ?? -Infinity) - (a.summary.averageProgress ?? -Infinity))
          .map((r) => ({
            ...r,
            area: areaLabel(r.area),
            measure: r.measureName ?? MEASURE_LABELS[kind],
            impactText: impactText(kind, r.summary),
            cost: money(r.costPence),
            costPerUnit: r.costPerUnitPence === null ? 'No progress measured' : money(r.costPerUnitPence),
            byNeed: r.byNeed.map((n) => ({ ...n, text: impactText(kind, n.summary) })),
          })),
      })),
    });
  });

  app.get(paths.provisionFigures.pattern, async (request, reply) => {
    const figures = await p.figures(request.actor!);
    return reply.page(`${V}/figures.njk`, {
      pageTitle: `Provision figures ${figures.yearLabel}`,
      ...figures,
      periodRule: IMPACT_PERIOD_RULE,
      notice: figuresNotice(figures.threshold, true, [
        { name: 'Pupils in interventions by area of need', counts: figures.areas.map((a) => a.pupils) },
        { name: 'Pupils who made progress', counts: figures.impact.map((i) => i.improved) },
      ]),
      cost: figures.costPence === null ? 'Hidden' : money(figures.costPence),
      costSoFar: figures.costSoFarPence === null ? 'Hidden' : money(figures.costSoFarPence),
      today: formatDate(services.clock.today()),
      areas: figures.areas.map((a) => ({
        ...a,
        label: areaLabel(a.area),
        cost: a.costPence === null ? 'Hidden' : money(a.costPence),
      })),
    });
  });
}
