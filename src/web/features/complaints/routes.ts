import type { FastifyInstance, FastifyRequest } from 'fastify';
import { COMPLAINT_STAGE_HOLDERS } from '../../../domain/complaints.ts';
import type { Services } from '../../../services/index.ts';
import { dateAnchors, formRoute } from '../../form-route.ts';
import { dateParts } from '../../forms/dates.ts';
import { idParam } from '../../params.ts';
import { paths } from '../../paths.ts';
import {
  logFilters,
  parseClose,
  parseComplaintChange,
  parseEscalation,
  parseNewComplaint,
  parseResponse,
} from './schemas.ts';
import {
  complaintFormValues,
  complaintPageModel,
  formOptionsModel,
  kindOptions,
  logModel,
  outcomeOptions,
} from './view-models.ts';

const FORM = 'features/complaints/views/form.njk';
const complaintIdOf = (request: FastifyRequest) => idParam(request, 'complaintId');

export async function complaintRoutes(app: FastifyInstance, services: Services) {
  const today = services.clock.today;

  app.get(paths.complaints.pattern, async (request, reply) => {
    const { overdueOnly, ...filters } = logFilters(request.query);
    const log = await services.complaints.list(request.actor!, filters);
    return reply.page('features/complaints/views/list.njk', {
      pageTitle: 'Complaints',
      filters: { ...filters, overdueOnly },
      ...logModel(log, overdueOnly),
    });
  });

  const detailAnchors = {
    ...dateAnchors('receivedOn'),
    kind: 'kind',
    aboutUserIds: 'aboutUserIds',
    pupilId: 'pupilId',
    handledBy: 'handledBy',
  };

  formRoute(app, {
    path: paths.complaintNew,
    template: FORM,
    anchors: detailAnchors,
    async load(request, { audit }) {
      const options = formOptionsModel(await services.complaints.formOptions(request.actor!, { audit }));
      return { pageTitle: 'Record a complaint', isNew: true, kindOptions, ...options };
    },
    initial: () => ({ ...dateParts('receivedOn', today()) }),
    parse: (body) => parseNewComplaint(body, today),
    submit: (request, input) => services.complaints.create(request.actor!, input),
    done: (complaintId, input) => ({
      redirect: paths.complaint.to({ complaintId }),
      flash:
        input.kind === 'concern'
          ? 'The informal concern has been recorded.'
          : 'The complaint has been recorded.',
    }),
  });

  app.get(paths.complaint.pattern, async (request, reply) => {
    const page = await services.complaints.get(request.actor!, complaintIdOf(request));
    return reply.page('features/complaints/views/show.njk', {
      pageTitle: `${page.complaint.kind === 'concern' ? 'Informal concern' : 'Complaint'} from ${page.complaint.complainantName}`,
      ...complaintPageModel(page),
    });
  });

  async function loadPage(request: FastifyRequest, audit: boolean) {
    const page = await services.complaints.get(request.actor!, complaintIdOf(request), { audit });
    return complaintPageModel(page);
  }

  formRoute(app, {
    path: paths.complaintEdit,
    template: FORM,
    anchors: detailAnchors,
    conflictAnchor: 'current',
    async load(request, { audit }) {
      const page = await loadPage(request, audit);
      const options = formOptionsModel(
        await services.complaints.formOptions(request.actor!, { audit: false }),
      );
      return { pageTitle: 'Change the complaint’s details', kindOptions, ...options, ...page };
    },
    initial: (data) => complaintFormValues(data.complaint),
    parse: (body) => parseComplaintChange(body, today),
    submit: (request, input) => {
      const { version, ...details } = input;
      return services.complaints.update(request.actor!, complaintIdOf(request), version, details);
    },
    done: (_r, _i, request) => ({
      redirect: paths.complaint.to({ complaintId: complaintIdOf(request) }),
      flash: 'The complaint’s details have been saved.',
    }),
  });

  formRoute(app, {
    path: paths.complaintRespond,
    template: 'features/complaints/views/respond.njk',
    anchors: dateAnchors('respondedOn'),
    conflictAnchor: 'current',
    async load(request, { audit }) {
      const page = await loadPage(request, audit);
      return { pageTitle: 'Record the response', ...page };
    },
    initial: (data) => ({ version: String(data.version), ...dateParts('respondedOn', today()) }),
    parse: (body) => parseResponse(body, today),
    submit: (request, input) =>
      services.complaints.respond(request.actor!, complaintIdOf(request), input.version, input),
    done: (_r, _i, request) => ({
      redirect: paths.complaint.to({ complaintId: complaintIdOf(request) }),
      flash: 'The response has been recorded.',
    }),
  });

  formRoute(app, {
    path: paths.complaintEscalate,
    template: 'features/complaints/views/escalate.njk',
    anchors: { ...dateAnchors('startedOn'), handledBy: 'handledBy' },
    conflictAnchor: 'current',
    async load(request, { audit }) {
      const page = await loadPage(request, audit);
      return { pageTitle: 'Take the complaint to its next stage', ...page };
    },
    initial: (data) => ({ version: String(data.version), ...dateParts('startedOn', today()) }),
    parse: (body) => parseEscalation(body, today),
    submit: (request, input) =>
      services.complaints.escalate(request.actor!, complaintIdOf(request), input.version, input),
    done: (result, _i, request) => ({
      redirect: paths.complaint.to({ complaintId: complaintIdOf(request) }),
      flash: `The complaint is now at ${COMPLAINT_STAGE_HOLDERS[result.stage]}.`,
    }),
  });

  formRoute(app, {
    path: paths.complaintClose,
    template: 'features/complaints/views/close.njk',
    anchors: { ...dateAnchors('closedOn'), outcome: 'outcome' },
    conflictAnchor: 'current',
    async load(request, { audit }) {
      const page = await loadPage(request, audit);
      return {
        pageTitle: page.complaint.kind === 'concern' ? 'Close the informal concern' : 'Close the complaint',
        outcomeOptions: outcomeOptions(page.complaint.kind),
        ...page,
      };
    },
    initial: (data) => ({ version: String(data.version), ...dateParts('closedOn', today()) }),
    async parse(body, request) {
      const first = parseClose(body, today);
      if (first.ok) return first;
      const { complaint } = await services.complaints.get(request.actor!, complaintIdOf(request), {
        audit: false,
      });
      return parseClose(body, today, complaint);
    },
    submit: (request, input) =>
      services.complaints.close(request.actor!, complaintIdOf(request), input.version, input),
    done: (label, _i, request) => ({
      redirect: paths.complaint.to({ complaintId: complaintIdOf(request) }),
      flash: `The complaint has been closed: ${label.toLowerCase()}.`,
    }),
  });
}
