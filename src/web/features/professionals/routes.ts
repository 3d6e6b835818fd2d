import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RECOMMENDATION_KIND_LABELS, RECOMMENDATION_KINDS } from '../../../domain/agencies.ts';
import { AREA_LABELS, AREAS_OF_NEED } from '../../../domain/census.ts';
import type { Services } from '../../../services/index.ts';
import { downloadHeaders } from '../../../services/kernel/files.ts';
import { dateAnchors, formRoute } from '../../form-route.ts';
import type { FormBody } from '../../forms/fields.ts';
import { idParam } from '../../params.ts';
import { paths } from '../../paths.ts';
import { FIRST_ROWS, MAX_ROWS, parseInvite, parseReport, rowsOf } from './schemas.ts';

const referralIdOf = (request: FastifyRequest) => idParam(request, 'referralId');
const reportIdOf = (request: FastifyRequest) => idParam(request, 'reportId');

/** The choices of a recommendation row, for the report form's selects. */
const KIND_ITEMS = [
  { value: '', text: 'Choose the kind' },
  ...RECOMMENDATION_KINDS.map((k) => ({ value: k, text: RECOMMENDATION_KIND_LABELS[k] })),
];
const AREA_ITEMS = [
  { value: '', text: 'No one area' },
  ...AREAS_OF_NEED.map((a) => ({ value: a, text: AREA_LABELS[a] })),
];

/** "Add another recommendation": the form again with one more blank row, nothing saved. */
const ADD_ROW = '_addRow';
const reportForm = {
  refreshButtons: [ADD_ROW] as const,
  refreshValues: (_data: unknown, values: FormBody) => ({
    ...values,
    rows: String(Math.min(MAX_ROWS, rowsOf(values) + 1)),
  }),
  initial: () => ({ rows: String(FIRST_ROWS) }),
  anchors: dateAnchors('writtenOn'),
  forget: ['file'],
};

/**
 * The professional of a referral and the reports that come back (docs/adr/0033): the school invites the
 * professional and ends the sharing; the professional reads what was shared and sends a report; the
 * school adds a report received on paper; the report page and its file. Every page asks the service,
 * which decides who may (policies/agencies.ts) and audits where the owning school sees it.
 */
export async function professionalRoutes(app: FastifyInstance, services: Services) {
  const pros = services.professionals;

  formRoute(app, {
    path: paths.referralInvite,
    template: 'features/professionals/views/invite.njk',
    anchors: { ...dateAnchors('sharedUntil'), professional: 'professional' },
    async load(request, { audit }) {
      const form = await pros.inviteForm(request.actor!, referralIdOf(request), { audit });
      return {
        pageTitle: `Invite the professional of ${form.referral.agencyName}`,
        ...form,
        version: form.referral.version,
      };
    },
    initial: (data) => {
      const [year, month, day] = data.sharedUntil.split('-');
      return {
        version: String(data.version),
        professional: data.professionals[0]?.id ?? 'other',
        'sharedUntil-day': String(Number(day)),
        'sharedUntil-month': String(Number(month)),
        'sharedUntil-year': year ?? '',
      };
    },
    parse: (body) => parseInvite(body),
    submit: (request, input) => pros.invite(request.actor!, referralIdOf(request), input),
    done: (result, _input, request) => ({
      redirect: paths.referral.to({ referralId: referralIdOf(request) }),
      flash: result.setUpLink
        ? `${result.name} is invited: we have emailed ${result.email} a link to choose a password. They see what is shared until the day you chose.`
        : `${result.name} is invited: we have emailed ${result.email}. They see what is shared until the day you chose.`,
    }),
  });

  app.post(paths.referralShareEnd.pattern, async (request, reply) => {
    const referralId = referralIdOf(request);
    const { ended } = await pros.endShare(request.actor!, referralId);
    return reply
      .flash(
        ended
          ? 'Sharing has ended: the professional can no longer see anything of the pupil or the referral.'
          : 'Nothing is shared for this referral now: there was nothing to end.',
      )
      .redirect(paths.referral.to({ referralId }), 303);
  });

  formRoute(app, {
    path: paths.referralReportNew,
    template: 'features/professionals/views/report-new.njk',
    ...reportForm,
    async load(request) {
      const found = await pros.schoolReportForm(request.actor!, referralIdOf(request));
      return {
        pageTitle: `Add a report from ${found.referral.agencyName}`,
        school: true,
        action: paths.referralReportNew.to({ referralId: found.referral.id }),
        back: paths.referral.to({ referralId: found.referral.id }),
        agencyName: found.referral.agencyName,
        pupilName: `${found.pupil.forename} ${found.pupil.surname}`,
        kindItems: KIND_ITEMS,
        areaItems: AREA_ITEMS,
      };
    },
    parse: (body) => parseReport(body, { school: true }),
    submit: (request, input) => pros.addReport(request.actor!, referralIdOf(request), input),
    done: (result) => ({
      redirect: paths.report.to({ reportId: result.reportId }),
      flash: ['The report is added.', result.statusNote].filter(Boolean).join(' '),
    }),
  });

  app.get(paths.sharedReferral.pattern, async (request, reply) => {
    const seen = await pros.referral(request.actor!, referralIdOf(request));
    return reply.page('features/professionals/views/shared-referral.njk', {
      pageTitle: `Referral of ${seen.pupil.name} to ${seen.referral.agencyName}`,
      ...seen,
    });
  });

  formRoute(app, {
    path: paths.sharedReportNew,
    template: 'features/professionals/views/report-new.njk',
    ...reportForm,
    async load(request) {
      const found = await pros.professionalReportForm(request.actor!, referralIdOf(request));
      return {
        pageTitle: 'Send your report to the school',
        school: false,
        action: paths.sharedReportNew.to({ referralId: found.referral.id }),
        back: paths.sharedReferral.to({ referralId: found.referral.id }),
        agencyName: found.referral.agencyName,
        schoolName: found.schoolName,
        kindItems: KIND_ITEMS,
        areaItems: AREA_ITEMS,
      };
    },
    parse: (body) => parseReport(body, { school: false }),
    submit: (request, input) => pros.sendReport(request.actor!, referralIdOf(request), input),
    done: (_result, _input, request) => ({
      redirect: paths.sharedReferral.to({ referralId: referralIdOf(request) }),
      flash: 'Your report is sent to the school. Thank you.',
    }),
  });

  app.get(paths.report.pattern, async (request, reply) => {
    const seen = await pros.report(request.actor!, reportIdOf(request));
    return reply.page('features/professionals/views/report.njk', {
      pageTitle: seen.report.title,
      ...seen,
      back:
        seen.viewer === 'professional'
          ? paths.sharedReferral.to({ referralId: seen.referral.id })
          : seen.referral
            ? paths.referral.to({ referralId: seen.referral.id })
            : paths.pupil.to({ pupilId: seen.report.pupilId }),
    });
  });

  app.get(paths.reportFile.pattern, async (request, reply) => {
    const file = await pros.reportFile(request.actor!, reportIdOf(request));
    return reply.headers(downloadHeaders(file)).send(file.bytes);
  });
}
