import type { FastifyInstance } from 'fastify';
import { formatDate } from '../../../domain/dates.ts';
import { termEnd } from '../../../domain/leavers.ts';
import type { Services } from '../../../services/index.ts';
import { dateAnchors, formRoute } from '../../form-route.ts';
import { idParam, pupilIdOf } from '../../params.ts';
import { paths } from '../../paths.ts';
import { parseApply, parseCtfUpload, parseExport, parseLeaving } from './schemas.ts';
import { previewModel } from './view-models.ts';

/** Common Transfer Files in and out, and recording that a pupil has left. */
export async function transferRoutes(app: FastifyInstance, services: Services) {
  const t = services.transfers;

  formRoute(app, {
    path: paths.ctfImport,
    template: 'features/transfers/views/import.njk',
    load: async (request) => ({
      pageTitle: 'Common Transfer Files',
      imports: await t.ctfImports(request.actor!),
    }),
    parse: (body) => parseCtfUpload(body),
    submit: (request, file) => t.previewCtf(request.actor!, { fileName: file.fileName, data: file.data }),
    done: (importId) => ({ redirect: paths.ctfImportPreview.to({ importId }) }),
  });

  formRoute(app, {
    path: paths.ctfImportPreview,
    template: 'features/transfers/views/preview.njk',
    async load(request) {
      const row = await t.ctfImport(request.actor!, idParam(request, 'importId'));
      return {
        pageTitle: `Common Transfer File from ${row.plan.source.name}`,
        importId: row.id,
        fileName: row.fileName,
        status: row.status,
        appliedAt: row.appliedAt,
        version: row.version,
        ...previewModel(row.plan),
      };
    },
    initial: (data) => ({
      version: String(data.version),
      history: data.historyRows.flatMap((r) => (r.pupilId ? [r.pupilId] : [])),
    }),
    parse: (body) => parseApply(body),
    submit: (request, input) => t.applyCtf(request.actor!, idParam(request, 'importId'), input),
    done: (result, _input, request) => ({
      redirect: paths.ctfImportPreview.to({ importId: idParam(request, 'importId') }),
      flash: `Applied: ${result.created === 1 ? '1 pupil' : `${result.created} pupils`} added, SEN history added for ${result.historyAdded === 1 ? '1 pupil' : `${result.historyAdded} pupils`} already here.`,
    }),
  });

  app.post(paths.ctfImportDiscard.pattern, async (request, reply) => {
    await t.discardCtf(request.actor!, idParam(request, 'importId'));
    return reply
      .flash('The file is discarded: nothing in it was applied.')
      .redirect(paths.ctfImport.to(), 303);
  });

  formRoute(app, {
    path: paths.ctfExport,
    template: 'features/transfers/views/export.njk',
    async load(request) {
      const options = await t.ctfExportOptions(request.actor!);
      return { pageTitle: 'Make a Common Transfer File for leavers', ...options };
    },
    parse: (body) => parseExport(body),
    submit: (request, input) => t.produceCtf(request.actor!, input),
    done: (result) => ({
      redirect: paths.ctfExportDone.to({ ctfExportId: result.exportId }),
      flash: `Common Transfer File ${result.fileName} made.`,
    }),
  });

  app.get(paths.ctfExportDone.pattern, async (request, reply) => {
    const row = await t.ctfExport(request.actor!, idParam(request, 'ctfExportId'));
    return reply.page('features/transfers/views/export-done.njk', {
      pageTitle: `Common Transfer File ${row.fileName}`,
      file: row,
    });
  });

  app.get(paths.ctfExportFile.pattern, async (request, reply) => {
    const file = await t.downloadCtf(request.actor!, idParam(request, 'ctfExportId'));
    return reply
      .header('content-type', 'application/xml; charset=utf-8')
      .header('content-disposition', `attachment; filename="${file.fileName}"`)
      .header('cache-control', 'no-store')
      .send(file.xml);
  });

  formRoute(app, {
    path: paths.pupilLeave,
    template: 'features/transfers/views/leave.njk',
    anchors: dateAnchors('leftOn'),
    async load(request, { audit }) {
      const found = await t.leavingForm(request.actor!, pupilIdOf(request), { audit });
      return {
        pageTitle: `Record that ${found.pupil.forename} ${found.pupil.surname} has left`,
        pupil: found.pupil,
        version: found.pupil.version,
        latest: formatDate(termEnd(found.today)),
      };
    },
    initial: (data) => ({ version: String(data.version) }),
    parse: (body) => parseLeaving(body, services.clock.today),
    submit: (request, input) => t.recordLeaving(request.actor!, pupilIdOf(request), input),
    done: (_r, input, request) => ({
      redirect: paths.pupil.to({ pupilId: pupilIdOf(request) }),
      flash: `Recorded as leaving on ${formatDate(input.leftOn)}. The record is now read-only.`,
    }),
  });
}
