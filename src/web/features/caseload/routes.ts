import type { FastifyInstance, FastifyRequest } from 'fastify';
import { addDays } from '../../../domain/dates.ts';
import { ADVICE_SOURCES, CASE_DECISIONS } from '../../../domain/ehc.ts';
import { mayStartDraftPlan, RECORDABLE_EXCEPTION_GROUNDS } from '../../../domain/ehc-case.ts';
import type { EvidencePack } from '../../../domain/ehc-pack.ts';
import type { Services } from '../../../services/index.ts';
import { downloadHeaders } from '../../../services/kernel/files.ts';
import { formRoute } from '../../form-route.ts';
import { dateParts } from '../../forms/dates.ts';
import { idParam } from '../../params.ts';
import { paths } from '../../paths.ts';
import {
  parseAdvice,
  parseAdviceChange,
  parseClosure,
  parseDates,
  parseDecision,
  parseException,
  parseExceptionEnd,
} from './schemas.ts';
import { caseloadModel, casePageModel, decisionFlash, options, sen2Model } from './view-models.ts';

const V = 'features/caseload/views';
const caseIdOf = (request: FastifyRequest) => idParam(request, 'caseId');

/*
 * The local authority's caseload (docs/adr/0036) and the school's closures: thin routes on the caseload
 * and closure services, which authorise, audit and apply the rules.
 */
/** A pack received as data alone, as its PDF (pdfkit and its fonts load with the first PDF, not at start). */
const packPdf = {
  async pdf(pack: EvidencePack): Promise<Buffer> {
    const { renderPackPdf } = await import('../../../documents/ehc-pack-pdf.ts');
    return renderPackPdf(pack);
  },
};

export async function caseloadRoutes(app: FastifyInstance, services: Services) {
  const caseload = services.caseload;

  app.get(paths.caseload.pattern, async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const result = await caseload.caseload(request.actor!, {
      show: str(q.show),
      kind: str(q.kind),
      schoolId: str(q.school),
      page: /^[1-9][0-9]{0,5}$/.test(str(q.page) ?? '') ? Number(q.page) : 1,
    });
    return reply.page(`${V}/caseload.njk`, caseloadModel(result));
  });

  app.get(paths.organisationCase.pattern, async (request, reply) => {
    const view = await caseload.caseView(request.actor!, caseIdOf(request));
    // The plan the case led to, or the way to start it (docs/adr/0038).
    const plan = await services.ehcPlans.planOfCase(request.actor!, view.case.id);
    const mayStartPlan = !plan && view.actions.change && !!view.clock && mayStartDraftPlan(view.clock.stage);
    return reply.page(`${V}/case.njk`, { ...casePageModel(view), plan, mayStartPlan });
  });

  const download =
    (format: 'pdf' | 'json') => async (request: FastifyRequest, reply: import('fastify').FastifyReply) => {
      const file = await caseload.receivedFile(request.actor!, caseIdOf(request), format, packPdf);
      return reply
        .headers(downloadHeaders({ name: file.name, contentType: file.contentType, size: file.bytes.length }))
        .send(file.bytes);
    };
  app.get(paths.caseReceivedPdf.pattern, download('pdf'));
  app.get(paths.caseReceivedJson.pattern, download('json'));

  /** What every form of a case shows: its heading, and the case as it is now. */
  const caseContext = (view: Awaited<ReturnType<typeof caseload.caseView>>, pageTitle: string) => ({
    caseId: view.case.id,
    pageTitle,
    heading: casePageModel(view).pageTitle,
    current: {
      received: view.case.openedOn,
      stageLabel: view.stageLabel,
      decisions: view.decisions.map((d) => ({
        kindLabel: d.kindLabel,
        decidedOn: d.decidedOn,
        parentsToldOn: d.parentsToldOn,
      })),
    },
  });

  formRoute(app, {
    path: paths.caseDecisionNew,
    template: `${V}/decision-form.njk`,
    anchors: { decidedOn: 'decidedOn-day', parentsToldOn: 'parentsToldOn-day', kind: 'kind' },
    async load(request, { audit }) {
      const view = await caseload.caseView(request.actor!, caseIdOf(request), { audit, need: 'decide' });
      const kinds = view.actions.change
        ? options(CASE_DECISIONS)
        : options(CASE_DECISIONS).filter((o) => o.value === 'panel');
      // Advice asked for and not yet in: a decision whether to issue a plan is made on the advice gathered.
      const adviceOutstanding = view.advice
        .filter((x) => x.requestedOn && !x.receivedOn)
        .map((x) => x.sourceLabel);
      return { ...caseContext(view, 'Record a decision'), kinds, adviceOutstanding, version: view.version };
    },
    initial: (data) => ({
      version: String(data.version),
      ...(data.kinds.length === 1 ? { kind: 'panel' } : {}),
    }),
    parse: (body) => parseDecision(body),
    submit: (request, d) =>
      caseload.recordDecision(request.actor!, caseIdOf(request), {
        version: d.version,
        kind: d.kind,
        decidedOn: d.decidedOn,
        parentsToldOn: d.parentsToldOn,
        reasons: d.reasons,
        panelNotes: d.panelNotes,
      }),
    done: (_r, d, request) => ({
      redirect: paths.organisationCase.to({ caseId: caseIdOf(request) }),
      flash: decisionFlash(d.kind),
    }),
  });

  formRoute(app, {
    path: paths.caseAdviceNew,
    template: `${V}/advice-form.njk`,
    anchors: { requestedOn: 'requestedOn-day', receivedOn: 'receivedOn-day' },
    async load(request, { audit }) {
      const view = await caseload.caseView(request.actor!, caseIdOf(request), { audit, need: 'change' });
      return {
        ...caseContext(view, 'Ask for advice'),
        sources: options(ADVICE_SOURCES),
        schools: view.schools,
        version: view.version,
        isNew: true,
      };
    },
    initial: (data) => ({ version: String(data.version) }),
    parse: (body) => parseAdvice(body),
    submit: (request, d) =>
      caseload.askAdvice(request.actor!, caseIdOf(request), {
        version: d.version,
        source: d.source,
        askedOf: d.askedOf,
        schoolId: d.schoolId,
        requestedOn: d.requestedOn,
        alreadyHeld: d.alreadyHeld,
        receivedOn: d.receivedOn,
        note: d.note,
      }),
    done: (_r, _d, request) => ({
      redirect: paths.organisationCase.to({ caseId: caseIdOf(request) }),
      flash: 'Advice recorded: its 6 weeks are on the clock.',
    }),
  });

  formRoute(app, {
    path: paths.caseAdvice,
    template: `${V}/advice-form.njk`,
    anchors: { requestedOn: 'requestedOn-day', receivedOn: 'receivedOn-day' },
    async load(request, { audit }) {
      const found = await caseload.adviceOf(request.actor!, caseIdOf(request), idParam(request, 'adviceId'), {
        audit,
      });
      return {
        ...found,
        pageTitle: `Advice from ${found.advice.askedOf}`,
        heading: found.kindLabel,
        isNew: false,
      };
    },
    initial: (data) => ({
      version: String(data.version),
      note: data.advice.note ?? '',
      ...dateParts('requestedOn', data.advice.requestedOn),
      ...dateParts('receivedOn', data.advice.receivedOn),
    }),
    parse: (body) => parseAdviceChange(body),
    submit: (request, d) =>
      caseload.updateAdvice(request.actor!, caseIdOf(request), idParam(request, 'adviceId'), {
        version: d.version,
        requestedOn: d.requestedOn,
        receivedOn: d.receivedOn,
        note: d.note,
      }),
    done: (_r, _d, request) => ({
      redirect: paths.organisationCase.to({ caseId: caseIdOf(request) }),
      flash: 'Advice saved.',
    }),
  });

  formRoute(app, {
    path: paths.caseExceptionNew,
    template: `${V}/exception-form.njk`,
    anchors: { startsOn: 'startsOn-day', endsOn: 'endsOn-day', ground: 'ground' },
    async load(request, { audit }) {
      const view = await caseload.caseView(request.actor!, caseIdOf(request), { audit, need: 'change' });
      return {
        ...caseContext(view, 'Record an exception to the time limits'),
        grounds: options(RECORDABLE_EXCEPTION_GROUNDS),
        version: view.version,
      };
    },
    initial: (data) => ({ version: String(data.version) }),
    parse: (body) => parseException(body),
    submit: (request, d) =>
      caseload.recordException(request.actor!, caseIdOf(request), {
        version: d.version,
        ground: d.ground,
        startsOn: d.startsOn,
        endsOn: d.endsOn,
        note: d.note,
      }),
    done: (_r, _d, request) => ({
      redirect: paths.organisationCase.to({ caseId: caseIdOf(request) }),
      flash: 'Exception recorded: the clock shows the deadlines it excuses.',
    }),
  });

  formRoute(app, {
    path: paths.caseExceptionEnd,
    template: `${V}/exception-end.njk`,
    anchors: { endsOn: 'endsOn-day' },
    async load(request, { audit }) {
      const view = await caseload.caseView(request.actor!, caseIdOf(request), { audit, need: 'change' });
      const exceptionId = idParam(request, 'exceptionId');
      const exception = view.exceptions.find((e) => e.id === exceptionId);
      if (!exception) {
        const { NotFoundError } = await import('../../../services/kernel/errors.ts');
        throw new NotFoundError('Exception not found');
      }
      return { ...caseContext(view, 'When the exception ended'), exception };
    },
    parse: (body) => parseExceptionEnd(body),
    submit: (request, d) =>
      caseload.endException(request.actor!, caseIdOf(request), idParam(request, 'exceptionId'), {
        endsOn: d.endsOn,
      }),
    done: (_r, _d, request) => ({
      redirect: paths.organisationCase.to({ caseId: caseIdOf(request) }),
      flash: 'The end of the exception is recorded.',
    }),
  });

  formRoute(app, {
    path: paths.caseDates,
    template: `${V}/dates-form.njk`,
    anchors: { draftSentOn: 'draftSentOn-day', finalIssuedOn: 'finalIssuedOn-day' },
    async load(request, { audit }) {
      const view = await caseload.caseView(request.actor!, caseIdOf(request), { audit, need: 'change' });
      return {
        ...caseContext(view, 'The caseworker and the plan’s dates'),
        caseworkers: view.caseworkers,
        caseRow: view.case,
        finalFrom: view.clock?.finalFrom ?? null,
        parentsEndOn: view.clock?.finalFrom ? addDays(view.clock.finalFrom, -1) : null,
        draftDueBy: view.clock?.draftDueBy ?? null,
        version: view.version,
      };
    },
    initial: (data) => ({
      version: String(data.version),
      caseworkerUserId: data.caseRow.caseworkerUserId ?? '',
      ...dateParts('draftSentOn', data.caseRow.draftSentOn),
      ...dateParts('finalIssuedOn', data.caseRow.finalIssuedOn),
    }),
    parse: (body) => parseDates(body),
    submit: (request, d) =>
      caseload.updateDates(request.actor!, caseIdOf(request), {
        version: d.version,
        caseworkerUserId: d.caseworkerUserId,
        draftSentOn: d.draftSentOn,
        finalIssuedOn: d.finalIssuedOn,
        withdrawn: d.withdrawn,
      }),
    done: (_r, d, request) => ({
      redirect: paths.organisationCase.to({ caseId: caseIdOf(request) }),
      flash: d.withdrawn ? 'The request is recorded as withdrawn and the case closed.' : 'Dates saved.',
    }),
  });

  app.get(paths.organisationSen2Figures.pattern, async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const year = typeof q.year === 'string' && /^\d{4}$/.test(q.year) ? Number(q.year) : Number.NaN;
    const figures = await caseload.sen2Figures(request.actor!, year);
    return reply.page(`${V}/sen2.njk`, sen2Model(figures));
  });

  // The school's closures of four weeks or more (for the local authority's clock).
  formRoute(app, {
    path: paths.schoolClosures,
    template: `${V}/closures.njk`,
    anchors: { firstDay: 'firstDay-day', lastDay: 'lastDay-day' },
    load: async (request) => ({
      pageTitle: 'The school’s closures',
      ...(await services.closures.list(request.actor!)),
    }),
    parse: (body) => parseClosure(body),
    submit: (request, d) =>
      services.closures.add(request.actor!, { firstDay: d.firstDay, lastDay: d.lastDay, note: d.note }),
    done: () => ({ redirect: paths.schoolClosures.to(), flash: 'Closure recorded.' }),
  });

  app.post(paths.schoolClosureRemove.pattern, async (request, reply) => {
    await services.closures.remove(request.actor!, idParam(request, 'closureId'));
    return reply.flash('Closure removed.').redirect(paths.schoolClosures.to(), 303);
  });
}
