import type { FastifyInstance } from 'fastify';
import { subjectAccessZip } from '../../../documents/subject-access.ts';
import { REQUESTERS, SUBJECT_ACCESS_STATUS_LABELS } from '../../../domain/subject-access.ts';
import type { Services } from '../../../services/index.ts';
import { downloadHeaders } from '../../../services/kernel/files.ts';
import { dateAnchors, formRoute } from '../../form-route.ts';
import { version as versionField } from '../../forms/fields.ts';
import { idParam } from '../../params.ts';
import { paths } from '../../paths.ts';
import { parseNewRequest, parseRelease } from './schemas.ts';

const pupilIdOf = (request: Parameters<typeof idParam>[0]) => idParam(request, 'pupilId');
const requestIdOf = (request: Parameters<typeof idParam>[0]) => idParam(request, 'subjectAccessId');

/** Subject access: record a request, gather and keep the export, download it to check, record its release. */
export async function subjectAccessRoutes(app: FastifyInstance, services: Services) {
  const sa = services.subjectAccess;

  app.get(paths.subjectAccessList.pattern, async (request, reply) => {
    const open = await sa.open(request.actor!);
    return reply.page('features/subject-access/views/list.njk', {
      pageTitle: 'Subject access requests',
      requests: open.map((r) => ({ ...r, statusLabel: SUBJECT_ACCESS_STATUS_LABELS[r.status] })),
    });
  });

  formRoute(app, {
    path: paths.subjectAccessNew,
    template: 'features/subject-access/views/new.njk',
    anchors: { ...dateAnchors('receivedOn'), requester: 'requester' },
    async load(request, { audit }) {
      const pupil = await sa.form(request.actor!, pupilIdOf(request), { audit });
      return {
        pageTitle: `Record a subject access request about ${pupil.forename} ${pupil.surname}`,
        pupil,
        requesters: Object.entries(REQUESTERS).map(([value, text]) => ({ value, text })),
      };
    },
    parse: (body) => parseNewRequest(body, services.clock.today),
    submit: (request, input) => sa.record(request.actor!, pupilIdOf(request), input),
    done: (id) => ({
      redirect: paths.subjectAccess.to({ subjectAccessId: id }),
      flash: 'Subject access request recorded.',
    }),
  });

  app.get(paths.subjectAccess.pattern, async (request, reply) => {
    const found = await sa.get(request.actor!, requestIdOf(request));
    return reply.page('features/subject-access/views/show.njk', {
      pageTitle: `Subject access request about ${found.pupil.forename} ${found.pupil.surname}`,
      ...found,
      requesterLabel: REQUESTERS[found.request.requester],
      statusLabel: SUBJECT_ACCESS_STATUS_LABELS[found.request.status],
      values: { version: String(found.request.version) },
      errors: { list: [], fields: {} },
    });
  });

  // Gather everything held, make the ZIP here (documents are made at the edge), keep it with the request.
  app.post(paths.subjectAccessProduce.pattern, async (request, reply) => {
    const id = requestIdOf(request);
    await sa.check(request.actor!, id);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const version = versionField().safeParse(body.version);
    if (!version.success)
      return reply.code(400).send('The form was incomplete: open the request again and retry.');
    const data = await sa.gather(request.actor!, id);
    if (data.version !== version.data)
      return reply
        .flash('Someone else has changed this request since you opened it: here it is now.')
        .redirect(paths.subjectAccess.to({ subjectAccessId: id }), 303);
    await sa.saveExport(request.actor!, id, version.data, await subjectAccessZip(data), data.flagged);
    return reply
      .flash(
        data.flagged.length > 0
          ? `Export produced. ${data.flagged.length === 1 ? 'One record names' : `${data.flagged.length} records name`} another pupil: redact before release.`
          : 'Export produced. Check it before you release it.',
      )
      .redirect(paths.subjectAccess.to({ subjectAccessId: id }), 303);
  });

  app.get(paths.subjectAccessExport.pattern, async (request, reply) => {
    const file = await sa.download(request.actor!, requestIdOf(request));
    return reply.headers(downloadHeaders(file)).send(file.bytes);
  });

  formRoute(app, {
    path: paths.subjectAccessRelease,
    template: 'features/subject-access/views/show.njk',
    anchors: dateAnchors('releasedOn'),
    async load(request) {
      const found = await sa.get(request.actor!, requestIdOf(request));
      return {
        pageTitle: `Subject access request about ${found.pupil.forename} ${found.pupil.surname}`,
        ...found,
        requesterLabel: REQUESTERS[found.request.requester],
        statusLabel: SUBJECT_ACCESS_STATUS_LABELS[found.request.status],
        version: found.request.version,
      };
    },
    initial: (data) => ({ version: String(data.version) }),
    parse: (body) => parseRelease(body, services.clock.today),
    submit: (request, input) => sa.release(request.actor!, requestIdOf(request), input),
    done: (_r, _input, request) => ({
      redirect: paths.subjectAccess.to({ subjectAccessId: requestIdOf(request) }),
      flash: 'Recorded as released.',
    }),
  });
}
