import type { FastifyInstance, FastifyRequest } from 'fastify';
import { reportHtmlDocument, reportHtmlFragment } from '../../../documents/school-report-html.ts';
import type { Services } from '../../../services/index.ts';
import { downloadHeaders } from '../../../services/kernel/files.ts';
import { formRoute } from '../../form-route.ts';
import { idParam } from '../../params.ts';
import { paths } from '../../paths.ts';
import { parseStart, parseTexts, parseVersion } from './schemas.ts';
import { reportFileName, reportPageModel } from './view-models.ts';

const reportIdOf = (request: FastifyRequest) => idParam(request, 'schoolReportId');

/**
 * The school's SEN reports: the list, a report with its charts and tables, the school's words, the
 * checklist of what is missing, publishing, and the report for the website (HTML) and as a PDF.
 */
export async function schoolReportRoutes(app: FastifyInstance, services: Services) {
  const reports = services.schoolReports;

  app.get(paths.schoolReports.pattern, async (request, reply) => {
    const list = await reports.list(request.actor!);
    return reply.page('features/school-reports/views/list.njk', { pageTitle: 'SEN reports', ...list });
  });

  formRoute(app, {
    path: paths.schoolReportNew,
    template: 'features/school-reports/views/list.njk',
    async load(request) {
      const list = await reports.list(request.actor!, { toWrite: true });
      return { pageTitle: 'SEN reports', ...list };
    },
    parse: (body) => parseStart(body),
    submit: (request, input) => reports.start(request.actor!, input),
    done: (schoolReportId) => ({ redirect: paths.schoolReportEdit.to({ schoolReportId }) }),
  });

  app.get(paths.schoolReport.pattern, async (request, reply) => {
    const found = await reports.report(request.actor!, reportIdOf(request));
    return reply.page('features/school-reports/views/show.njk', {
      pageTitle: `${found.report.kindLabel} ${found.report.yearLabel}`,
      found,
      model: reportPageModel(found),
    });
  });

  formRoute(app, {
    path: paths.schoolReportEdit,
    template: 'features/school-reports/views/edit.njk',
    conflictAnchor: 'report-items',
    async load(request, { audit }) {
      const found = await reports.forEdit(request.actor!, reportIdOf(request), { audit });
      return {
        pageTitle: `Write the ${found.report.kindLabel} ${found.report.yearLabel}`,
        ...found,
      };
    },
    initial: (data) => ({ ...data.texts, version: String(data.version) }),
    async parse(body, request) {
      const found = await reports.forEdit(request.actor!, reportIdOf(request), { audit: false });
      return parseTexts(found.report.kind, body);
    },
    submit: (request, input) =>
      reports.saveTexts(request.actor!, reportIdOf(request), input.version, input.texts),
    done: (result, _input, request) => ({
      redirect: paths.schoolReport.to({ schoolReportId: reportIdOf(request) }),
      flash: [
        result.checklist.complete
          ? 'Saved. Every required item is written.'
          : `Saved. ${result.checklist.missing.length === 1 ? '1 required item is' : `${result.checklist.missing.length} required items are`} still to write.`,
        result.namesPupil.length > 0
          ? `A pupil is named in ${result.namesPupil.join('; ')}: take the name out, as the report cannot be published with it.`
          : '',
      ]
        .join(' ')
        .trim(),
    }),
  });

  formRoute(app, {
    path: paths.schoolReportPublish,
    template: 'features/school-reports/views/publish.njk',
    async load(request, { audit }) {
      const found = await reports.report(request.actor!, reportIdOf(request), { audit, toPublish: true });
      return {
        pageTitle: `Publish the ${found.report.kindLabel} ${found.report.yearLabel}`,
        found,
        version: found.report.version,
      };
    },
    initial: (data) => ({ version: String(data.version) }),
    parse: (body) => parseVersion(body),
    submit: (request, input) => reports.publish(request.actor!, reportIdOf(request), input.version),
    done: (result, _input, request) => ({
      redirect: paths.schoolReport.to({ schoolReportId: reportIdOf(request) }),
      flash: `The ${result.kindLabel} ${result.yearLabel} is published: its words and figures are kept as they are now.`,
    }),
  });

  app.get(paths.schoolReportWebsite.pattern, async (request, reply) => {
    const found = await reports.report(request.actor!, reportIdOf(request), { purpose: 'html' });
    return reply.page('features/school-reports/views/website.njk', {
      pageTitle: `${found.report.kindLabel} ${found.report.yearLabel} for the school’s website`,
      found,
      html: reportHtmlFragment(reportPageModel(found)),
    });
  });

  app.get(paths.schoolReportHtml.pattern, async (request, reply) => {
    const found = await reports.report(request.actor!, reportIdOf(request), { purpose: 'html' });
    const bytes = Buffer.from(reportHtmlDocument(reportPageModel(found)), 'utf8');
    return reply
      .headers(
        downloadHeaders({
          name: reportFileName(found, 'html'),
          contentType: 'text/html; charset=utf-8',
          size: bytes.length,
        }),
      )
      .send(bytes);
  });

  app.get(paths.schoolReportPdf.pattern, async (request, reply) => {
    const found = await reports.report(request.actor!, reportIdOf(request), { purpose: 'pdf' });
    const { schoolReportPdf } = await import('../../../documents/school-report-pdf.ts');
    const bytes = await schoolReportPdf(reportPageModel(found));
    return reply
      .headers(
        downloadHeaders({
          name: reportFileName(found, 'pdf'),
          contentType: 'application/pdf',
          size: bytes.length,
        }),
      )
      .send(bytes);
  });
}
