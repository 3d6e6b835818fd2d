import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderAnnualReviewPdf } from '../../../documents/annual-review-pdf.ts';
import { reportFileName } from '../../../presenters/annual-review.ts';
import type { ReviewReportRenderer } from '../../../services/ehc/annual-reviews.ts';
import type { Services } from '../../../services/index.ts';
import { formRoute } from '../../form-route.ts';
import { idParam, pupilIdOf } from '../../params.ts';
import { paths } from '../../paths.ts';
import { parseArrangements, parseCancel, parseMeeting, parseVersionOnly } from './schemas.ts';
import {
  arrangementValues,
  meetingModel,
  meetingValues,
  overviewModel,
  reviewPageModel,
  rowCount,
} from './view-models.ts';

const VIEWS = 'features/annual-reviews/views';
const reviewIdOf = (request: FastifyRequest) => idParam(request, 'annualReviewId');
const render: ReviewReportRenderer = { pdf: renderAnnualReviewPdf, fileName: reportFileName };

/**
 * Annual reviews of EHC plans, the school's side: the list by when each is due, start one from the
 * pupil's plan, arrange it, record the meeting, send the report (into the local authority's records, or
 * downloaded and marked as sent), cancel; the report as PDF and JSON.
 */
export async function annualReviewRoutes(app: FastifyInstance, services: Services) {
  const s = services.annualReviews;

  app.get(paths.annualReviews.pattern, async (request, reply) => {
    const overview = await s.overview(request.actor!);
    return reply.page(`${VIEWS}/list.njk`, {
      pageTitle: 'Annual reviews of EHC plans',
      ...overviewModel(overview),
    });
  });

  formRoute(app, {
    path: paths.annualReviewNew,
    template: `${VIEWS}/new.njk`,
    async load(request, { audit }) {
      const page = await s.startForm(request.actor!, pupilIdOf(request), { audit });
      return {
        ...page,
        name: `${page.pupil.forename} ${page.pupil.surname}`,
        pageTitle: 'Start an annual review',
        backHref: paths.pupil.to({ pupilId: page.pupil.id }),
        formAction: paths.annualReviewNew.to({ pupilId: page.pupil.id }),
        openHref: page.openReviewId ? paths.annualReview.to({ annualReviewId: page.openReviewId }) : null,
      };
    },
    parse: () => ({ ok: true, data: {} }),
    submit: (request) => s.start(request.actor!, pupilIdOf(request)),
    done: (id) => ({
      redirect: paths.annualReview.to({ annualReviewId: id }),
      flash:
        'The annual review is started. Arrange the meeting and send the invitations at least two weeks before it.',
    }),
  });

  formRoute(app, {
    path: paths.annualReview,
    template: `${VIEWS}/show.njk`,
    async load(request, { audit }) {
      const page = await s.view(request.actor!, reviewIdOf(request), { audit });
      return { page, ...reviewPageModel(page), version: page.version, rowCount };
    },
    initial: (data) => arrangementValues(data.page),
    parse: (body) => parseArrangements(body),
    async submit(request, form) {
      const { version, ...input } = form;
      await s.saveArrangements(request.actor!, reviewIdOf(request), version, input);
    },
    done: (_r, _f, request) => ({
      redirect: paths.annualReview.to({ annualReviewId: reviewIdOf(request) }),
      flash: 'The arrangements are saved.',
    }),
  });

  formRoute(app, {
    path: paths.annualReviewMeeting,
    template: `${VIEWS}/meeting.njk`,
    async load(request, { audit }) {
      const page = await s.editForm(request.actor!, reviewIdOf(request), 'record an annual review meeting', {
        audit,
      });
      const model = reviewPageModel(page);
      // The parents' views given online for this review, shown as theirs and offered into the field.
      const familyViews = await services.familyViews.onRecord(
        request.actor!,
        page.review.pupilId,
        'annual_review',
        page.review.id,
      );
      return {
        page,
        ...model,
        ...meetingModel(page),
        familyViews,
        pageTitle: `Record the annual review meeting: ${model.name}`,
        backHref: paths.annualReview.to({ annualReviewId: page.review.id }),
        formAction: paths.annualReviewMeeting.to({ annualReviewId: page.review.id }),
        version: page.version,
        rowCount,
      };
    },
    initial: (data) => {
      const values = meetingValues(data.page);
      if (!values.parentViews && data.familyViews.forTheRecord)
        values.parentViews = data.familyViews.forTheRecord;
      return values;
    },
    parse: (body) => parseMeeting(body),
    async submit(request, form) {
      const { version, ...input } = form;
      await s.saveMeeting(request.actor!, reviewIdOf(request), version, input);
    },
    done: (_r, form, request) => ({
      redirect: paths.annualReview.to({ annualReviewId: reviewIdOf(request) }),
      flash: form.held ? 'The meeting is recorded as held.' : 'The meeting record is saved.',
    }),
  });

  formRoute(app, {
    path: paths.annualReviewSend,
    template: `${VIEWS}/send.njk`,
    async load(request, { audit }) {
      const page = await s.editForm(request.actor!, reviewIdOf(request), 'send an annual review report', {
        audit,
      });
      const model = reviewPageModel(page);
      return {
        page,
        ...model,
        pageTitle: `Send the annual review report: ${model.name}`,
        backHref: paths.annualReview.to({ annualReviewId: page.review.id }),
        formAction: paths.annualReviewSend.to({ annualReviewId: page.review.id }),
        intoAuthority: page.plan?.source === 'local_authority',
        localAuthority: page.plan?.localAuthority ?? 'the local authority',
        version: page.version,
      };
    },
    initial: (data) => ({ version: String(data.version) }),
    parse: (body) => parseVersionOnly(body),
    submit: (request, form) => s.send(request.actor!, reviewIdOf(request), form.version, render),
    done: (result, _f, request) => ({
      redirect: paths.annualReview.to({ annualReviewId: reviewIdOf(request) }),
      flash:
        result.how === 'local_authority'
          ? `The report is sent to ${result.localAuthority}. Its decision will show here.`
          : `The report is recorded as sent to ${result.localAuthority}, with the files kept as sent.`,
    }),
  });

  formRoute(app, {
    path: paths.annualReviewCancel,
    template: `${VIEWS}/cancel.njk`,
    async load(request, { audit }) {
      const page = await s.editForm(request.actor!, reviewIdOf(request), 'cancel an annual review', {
        audit,
      });
      const model = reviewPageModel(page);
      return {
        page,
        ...model,
        pageTitle: `Cancel the annual review: ${model.name}`,
        backHref: paths.annualReview.to({ annualReviewId: page.review.id }),
        formAction: paths.annualReviewCancel.to({ annualReviewId: page.review.id }),
        version: page.version,
      };
    },
    initial: (data) => ({ version: String(data.version) }),
    parse: (body) => parseCancel(body),
    submit: (request, form) =>
      s.cancel(request.actor!, reviewIdOf(request), form.version, { reason: form.reason }),
    done: (_r, _f, request) => ({
      redirect: paths.annualReview.to({ annualReviewId: reviewIdOf(request) }),
      flash: 'The annual review is cancelled.',
    }),
  });

  const reportFile = (format: 'pdf' | 'json') => async (request: FastifyRequest, reply: FastifyReply) => {
    const file = await s.reportFile(request.actor!, reviewIdOf(request), format, render);
    return reply
      .header('Content-Type', file.contentType)
      .header('Content-Disposition', `attachment; filename="${file.name}"`)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Cache-Control', 'private, no-store')
      .send(file.bytes);
  };
  app.get(paths.annualReviewPdf.pattern, reportFile('pdf'));
  app.get(paths.annualReviewJson.pattern, reportFile('json'));
}
