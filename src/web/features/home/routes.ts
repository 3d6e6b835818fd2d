import type { FastifyInstance } from 'fastify';
import {
  type Chart,
  type ChartValue,
  chartBlock,
  formatChartValue,
  rangeInWords,
} from '../../../presenters/charts.ts';
import { figuresNotice } from '../../../presenters/figures.ts';
import type { Services } from '../../../services/index.ts';
import { paths } from '../../paths.ts';
import { ownWorkModel } from '../../shared/own-work.ts';
import { firstStepsModel } from './view-models.ts';

/** Each school's pupils at SEN support and with an EHC plan, as a share of its pupils: comparable across schools. */
function schoolsChart(
  rows: readonly { name: string; senSupportRate: number | null; ehcPlanRate: number | null }[],
): Chart {
  const chart: Chart = {
    id: 'chart-schools-stages',
    title: 'Pupils at SEN support and with an EHC plan, as a share of each school’s pupils',
    description: '',
    kind: 'bars',
    unit: 'percent',
    categoryHeading: 'School',
    categories: rows.map((r) => r.name),
    series: [
      { key: 'senSupport', label: 'SEN support' },
      { key: 'ehcPlan', label: 'EHC plan' },
    ],
    values: rows.map((r) => [r.senSupportRate, r.ehcPlanRate]),
  };
  return { ...chart, description: `${rangeInWords(chart, 0)} ${rangeInWords(chart, 1)}` };
}

/** From each school's published governors' report: pupils on or above their trajectory, with SEN and not. */
function progressChart(
  rows: readonly {
    name: string;
    published: { senOnTrack: ChartValue; peersOnTrack: ChartValue } | null;
  }[],
): Chart | null {
  const reporting = rows.filter((r) => r.published);
  if (reporting.length === 0) return null;
  const chart: Chart = {
    id: 'chart-schools-progress',
    title:
      'Pupils on or above their expected trajectory in each school, from its published governors’ report',
    description: '',
    kind: 'bars',
    unit: 'percent',
    categoryHeading: 'School',
    categories: reporting.map((r) => r.name),
    series: [
      { key: 'sen', label: 'Pupils with SEN' },
      { key: 'peers', label: 'Other pupils' },
    ],
    values: reporting.map((r) => [r.published?.senOnTrack ?? null, r.published?.peersOnTrack ?? null]),
  };
  return { ...chart, description: `${rangeInWords(chart, 0)} ${rangeInWords(chart, 1)}` };
}

/** Under six months left to achieve the SENCo's qualification: shown as a warning. */
const SHORT_MONTHS = 6;

/** The SENCo appointments' countdowns still running, and whether no SENCo is in post today. */
export function sencoModel(
  appointments: Awaited<ReturnType<Services['training']['sencoAppointments']>> | null,
) {
  if (!appointments) return { sencoCountdowns: [], noSencoInPost: false };
  return {
    sencoCountdowns: appointments.flatMap((s) =>
      s.countdown && (s.status.state === 'due' || s.status.state === 'overdue')
        ? [
            {
              id: s.id,
              text: s.countdown,
              overdue: s.status.state === 'overdue',
              warn: s.status.state === 'overdue' || s.status.monthsLeft < SHORT_MONTHS,
            },
          ]
        : [],
    ),
    noSencoInPost: !appointments.some((s) => s.status.state !== 'ended'),
  };
}

export async function homeRoutes(app: FastifyInstance, services: Services) {
  app.get(paths.home.pattern, async (request, reply) => {
    const actor = request.actor!;
    if (actor.kind === 'officer') return reply.redirect(paths.organisation.to(), 303);
    if (actor.kind === 'parent') return reply.redirect(paths.children.to(), 303);
    if (actor.kind === 'professional') return reply.redirect(paths.shared.to(), 303);
    const home = await services.home.overview(actor);
    const [counts, myConcerns, ownWork, contactChangesWaiting, meetingActions] = await Promise.all([
      home.may.figures ? services.register.counts(actor) : Promise.resolve(null),
      home.may.raiseConcern ? services.concerns.raisedBy(actor, 5) : Promise.resolve([]),
      home.may.ownWork ? services.home.ownWork(actor, 'home') : Promise.resolve(null),
      services.contactChanges.waitingCount(actor),
      services.progressMeetings.openActionCount(actor),
    ]);
    // The complaints log's overdue responses and the SENCO's qualification countdown (issue 18).
    const [complaintsOverdue, sencoAppointments] = await Promise.all([
      home.may.complaints ? services.complaints.overdueCount(actor) : Promise.resolve(0),
      home.may.training ? services.training.sencoAppointments(actor) : Promise.resolve(null),
    ]);
    const { sencoCountdowns, noSencoInPost } = sencoModel(sencoAppointments);
    return reply.page('features/home/views/home.njk', {
      pageTitle: 'Home',
      ...home,
      firstSteps: firstStepsModel(home.firstSteps),
      counts,
      myConcerns,
      ownWork: ownWorkModel(ownWork),
      contactChangesWaiting,
      complaintsOverdue,
      sencoCountdowns,
      meetingActions,
      mayProgressMeetings: services.progressMeetings.mayUse(actor),
      noSencoInPost,
    });
  });

  app.get(paths.organisation.pattern, async (request, reply) => {
    const overview = await services.organisation.overview(request.actor!);
    const columns = ['total', 'monitoring', 'senSupport', 'ehcPlan'] as const;
    const comparison = schoolsChart(overview.rows);
    const progress = progressChart(overview.rows);
    return reply.page('features/home/views/organisation.njk', {
      pageTitle: 'Schools',
      ...overview,
      comparison: chartBlock(comparison),
      progress: progress ? chartBlock(progress) : null,
      publishedRows: overview.rows
        .filter((r) => r.published)
        .map((r) => ({
          name: r.name,
          year: r.published?.yearLabel ?? '',
          madeProgress: formatChartValue(r.published?.madeProgress ?? null, 'percent'),
          costPerPupil: formatChartValue(r.published?.costPerPupilPence ?? null, 'pence'),
          staffTrained: String(r.published?.staffTrained ?? 0),
          complaints: String(r.published?.complaints ?? 0),
        })),
      notice: figuresNotice(overview.threshold, true, [
        {
          name: 'Pupils by SEN stage in each school',
          counts: overview.rows.flatMap((r) => columns.map((c) => r[c])),
        },
        { name: 'Totals across the schools', counts: columns.map((c) => overview.totals[c]) },
      ]),
    });
  });
}
