import type { FastifyInstance, FastifyRequest } from 'fastify';
import { formatDate } from '../../../domain/dates.ts';
import { consultationAnswerDue } from '../../../domain/ehc-plan.ts';
import type { Services } from '../../../services/index.ts';
import { NotFoundError } from '../../../services/kernel/errors.ts';
import { downloadHeaders } from '../../../services/kernel/files.ts';
import { formRoute } from '../../form-route.ts';
import type { FormBody } from '../../forms/fields.ts';
import { idParam } from '../../params.ts';
import { paths } from '../../paths.ts';
import {
  compareQuery,
  defaultComparison,
  parseAmend,
  parseCease,
  parseComments,
  parseIssue,
  parseSection,
  parseSend,
  sectionKey,
  sectionValues,
  withAnotherRow,
} from './schemas.ts';
import {
  amendReasons,
  ceaseReasons,
  compareModel,
  issueModel,
  planPageModel,
  sectionFormModel,
  sendModel,
} from './view-models.ts';

const V = 'features/ehc-plans/views';
const planIdOf = (request: FastifyRequest) => idParam(request, 'ehcPlanId');
const caseIdOf = (request: FastifyRequest) => idParam(request, 'caseId');

/** A version asked for by number (`?version=2`), or none. */
function versionQuery(request: FastifyRequest): number | undefined {
  const v = (request.query as Record<string, unknown>).version;
  return typeof v === 'string' && /^[1-9]\d{0,3}$/.test(v) ? Number(v) : undefined;
}

/** The section asked for: in the address (`?section=b`) or the form. */
function sectionOf(request: FastifyRequest) {
  const q = (request.query as Record<string, unknown>).section;
  const body = (request.body ?? {}) as FormBody;
  const key = sectionKey(q) ?? sectionKey(body.section);
  if (!key) throw new NotFoundError('Section not found');
  return key;
}

/*
 * The local authority's EHC plans (docs/adr/0038): thin routes on the plan service, which authorises,
 * audits and applies the rules. A plan PDF loads pdfkit with the first one, not at start.
 */
export async function ehcPlanRoutes(app: FastifyInstance, services: Services) {
  const plans = services.ehcPlans;

  formRoute(app, {
    path: paths.casePlanNew,
    template: `${V}/start.njk`,
    async load(request, { audit }) {
      const view = await services.caseload.caseView(request.actor!, caseIdOf(request), {
        audit,
        need: 'change',
      });
      const child = view.pupil ? `${view.pupil.forename} ${view.pupil.surname}` : 'The child';
      return { pageTitle: `Start the draft plan: ${child}`, childName: child, caseId: view.case.id };
    },
    parse: () => ({ ok: true, data: {} }),
    submit: (request) => plans.startDraft(request.actor!, caseIdOf(request)),
    done: (result) => ({
      redirect: paths.ehcPlan.to({ ehcPlanId: result.planId }),
      flash: 'Draft plan started: sections A, B and K are written from the case. Write the rest.',
    }),
  });

  app.get(paths.ehcPlan.pattern, async (request, reply) => {
    const view = await plans.planView(request.actor!, planIdOf(request), { number: versionQuery(request) });
    return reply.page(`${V}/plan.njk`, planPageModel(view));
  });

  formRoute(app, {
    path: paths.ehcPlanSection,
    template: `${V}/section.njk`,
    async load(request, { audit }) {
      const key = sectionOf(request);
      const view = await plans.planView(request.actor!, planIdOf(request), {
        audit,
        need: key === 'i' ? undefined : 'edit',
      });
      if (key === 'i' && !view.actions.edit && !view.actions.recordComments)
        await plans.planView(request.actor!, planIdOf(request), { audit: false, need: 'edit' });
      return { ...sectionFormModel(view, key), sections: (view.open ?? view.shown).sections };
    },
    initial: (data) => sectionValues(data.section, data.sections, data.version, data.digest),
    parse: async (body, request) => {
      const key = sectionOf(request);
      const view = await plans.planView(request.actor!, planIdOf(request), { audit: false });
      return parseSection(key, body, (view.open ?? view.shown).sections);
    },
    submit: (request, input) =>
      plans.saveSection(request.actor!, planIdOf(request), {
        section: input.section,
        value: input.value,
        versionVersion: input.versionVersion,
        sectionDigest: input.sectionDigest,
      }),
    // A stale save's message leads to the other person's version of the section, shown below the form.
    conflictAnchor: 'their-version',
    refreshButtons: ['_add'],
    refreshValues: (_data, values) => withAnotherRow(values),
    done: (_r, input, request) => ({
      redirect: `${paths.ehcPlan.to({ ehcPlanId: planIdOf(request) })}#plan-section-${input.section}`,
      flash: 'Section saved.',
    }),
  });

  formRoute(app, {
    path: paths.ehcPlanSend,
    template: `${V}/send.njk`,
    anchors: { sentOn: 'sentOn-day' },
    async load(request, { audit }) {
      const view = await plans.planView(request.actor!, planIdOf(request), { audit, need: 'send' });
      return sendModel(view, view.today);
    },
    initial: (data) => ({ version: String(data.version) }),
    parse: (body) => parseSend(body),
    submit: (request, d) =>
      plans.sendVersion(request.actor!, planIdOf(request), { sentOn: d.sentOn, versionVersion: d.version }),
    done: (r, _d, request) => ({
      redirect: paths.ehcPlan.to({ ehcPlanId: planIdOf(request) }),
      flash: `Sent to the parents on ${formatDate(r.sentOn)}. Their 15 days to comment end on ${formatDate(r.commentsDueOn)}.`,
    }),
  });

  formRoute(app, {
    path: paths.ehcPlanComments,
    template: `${V}/comments.njk`,
    anchors: { parentsCommentsOn: 'parentsCommentsOn-day', consultedOn: 'consultedOn-day' },
    async load(request, { audit }) {
      const view = await plans.planView(request.actor!, planIdOf(request), { audit, need: 'recordComments' });
      const model = planPageModel(view);
      return {
        ...model,
        pageTitle: `The parents’ comments: ${model.childName}`,
        version: view.open?.version ?? 0,
      };
    },
    initial: (data) => ({
      version: String(data.version),
      // Nothing typed twice: comments the parents gave online fill an empty field.
      parentsComments: data.open?.parentsComments || (data.parentsOnline.forTheRecord ?? ''),
      preferredSchool: data.open?.preferredSchool ?? '',
      consultedSchool: data.open?.consultedSchool ?? '',
      consultedAnswer: data.open?.consultedAnswer ?? '',
    }),
    parse: (body) => parseComments(body),
    submit: (request, d) =>
      plans.recordComments(request.actor!, planIdOf(request), {
        versionVersion: d.version,
        parentsComments: d.parentsComments,
        parentsCommentsOn: d.parentsCommentsOn,
        preferredSchool: d.preferredSchool,
        consultedSchool: d.consultedSchool,
        consultedOn: d.consultedOn,
        consultedAnswer: d.consultedAnswer,
      }),
    done: (_r, d, request) => ({
      redirect: paths.ehcPlan.to({ ehcPlanId: planIdOf(request) }),
      flash: d.consultedOn
        ? `The parents’ comments and the school consulted are recorded. The school’s 15 days to answer end on ${formatDate(consultationAnswerDue(d.consultedOn))}.`
        : 'The parents’ comments and the school consulted are recorded.',
    }),
  });

  formRoute(app, {
    path: paths.ehcPlanIssue,
    template: `${V}/issue.njk`,
    anchors: { issuedOn: 'issuedOn-day' },
    async load(request, { audit }) {
      const view = await plans.planView(request.actor!, planIdOf(request), { audit, need: 'issue' });
      return issueModel(view);
    },
    initial: (data) => ({ version: String(data.version) }),
    parse: (body) => parseIssue(body),
    submit: (request, d) =>
      plans.issueVersion(request.actor!, planIdOf(request), {
        issuedOn: d.issuedOn,
        versionVersion: d.version,
      }),
    done: (r, _d, request) => ({
      redirect: paths.ehcPlan.to({ ehcPlanId: planIdOf(request) }),
      flash:
        r.withinTwentyWeeks === false
          ? `Final plan issued on ${formatDate(r.issuedOn)}, after the 20 weeks ended on ${formatDate(r.finalDueOn)}.`
          : `Final plan issued on ${formatDate(r.issuedOn)}.`,
    }),
  });

  formRoute(app, {
    path: paths.ehcPlanAmend,
    template: `${V}/amend.njk`,
    anchors: { reason: 'reason' },
    async load(request, { audit }) {
      const view = await plans.planView(request.actor!, planIdOf(request), { audit, need: 'amend' });
      const model = planPageModel(view);
      return {
        ...model,
        pageTitle: `Amend the plan: ${model.childName}`,
        reasons: amendReasons,
        version: view.plan.version,
      };
    },
    initial: (data) => ({ version: String(data.version) }),
    parse: (body) => parseAmend(body),
    submit: (request, d) =>
      plans.startAmendment(request.actor!, planIdOf(request), { reason: d.reason, planVersion: d.version }),
    done: (r, _d, request) => ({
      redirect: paths.ehcPlan.to({ ehcPlanId: planIdOf(request) }),
      flash: `Amendment started: version ${r.number} is a copy of the final plan to change.`,
    }),
  });

  formRoute(app, {
    path: paths.ehcPlanCease,
    template: `${V}/cease.njk`,
    anchors: { ceasedOn: 'ceasedOn-day', reason: 'reason', reasons: 'reasons' },
    async load(request, { audit }) {
      const view = await plans.planView(request.actor!, planIdOf(request), { audit, need: 'cease' });
      const model = planPageModel(view);
      return {
        ...model,
        pageTitle: `Cease the plan: ${model.childName}`,
        reasons: ceaseReasons,
        version: view.plan.version,
      };
    },
    initial: (data) => ({ version: String(data.version) }),
    parse: (body) => parseCease(body),
    submit: (request, d) =>
      plans.ceasePlan(request.actor!, planIdOf(request), {
        ceasedOn: d.ceasedOn,
        reason: d.reason,
        reasons: d.reasons,
        planVersion: d.version,
      }),
    done: (r, _d, request) => ({
      redirect: paths.ehcPlan.to({ ehcPlanId: planIdOf(request) }),
      flash:
        r.endedVersion !== null
          ? `The plan is ceased. Version ${r.endedVersion}, not yet issued, is kept as not issued. Tell the parents of the decision and their right of appeal.`
          : 'The plan is ceased. Tell the parents of the decision and their right of appeal.',
    }),
  });

  app.get(paths.ehcPlanVersions.pattern, async (request, reply) => {
    const q = compareQuery.parse(request.query ?? {});
    const view = await plans.planView(request.actor!, planIdOf(request), { audit: false });
    // Nothing chosen: the version before the latest against the latest.
    const { from, to } = defaultComparison(view.versions, q);
    const compared =
      from !== undefined && to !== undefined && from !== to
        ? await plans.compare(request.actor!, planIdOf(request), from, to)
        : null;
    if (!compared) await plans.planView(request.actor!, planIdOf(request));
    return reply.page(`${V}/versions.njk`, {
      ...compareModel(view, compared),
      sameVersion: from !== undefined && from === to,
      values: { from: String(from ?? ''), to: String(to ?? '') },
    });
  });

  app.get(paths.ehcPlanPdf.pattern, async (request, reply) => {
    const doc = await plans.planDocument(request.actor!, planIdOf(request), versionQuery(request));
    const { renderEhcPlanPdf } = await import('../../../documents/ehc-plan-pdf.ts');
    const bytes = await renderEhcPlanPdf(doc);
    const name = `ehc-plan-${doc.plan.id.slice(0, 8)}-version-${doc.version.number}.pdf`;
    return reply
      .headers(downloadHeaders({ name, contentType: 'application/pdf', size: bytes.length }))
      .send(bytes);
  });
}
