import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AREA_LABELS, AREAS_OF_NEED, type AreaOfNeed } from '../../../domain/census.ts';
import { formatPounds } from '../../../domain/money.ts';
import { areaNumber } from '../../../domain/plans.ts';
import type { Services } from '../../../services/index.ts';
import { formRoute } from '../../form-route.ts';
import { parseForm } from '../../forms/errors.ts';
import {
  checkbox,
  choice,
  pounds,
  stripControlCharacters,
  text,
  versionOrNew,
  wholeNumber,
} from '../../forms/fields.ts';
import { idParam } from '../../params.ts';
import { paths } from '../../paths.ts';

/** The school's own settings for its plans, and the bank of targets and strategies it keeps. */

const INTERVALS = ['termly', 'half_termly'] as const;
export const INTERVAL_LABELS: Record<(typeof INTERVALS)[number], string> = {
  termly: 'Termly (about every 12 weeks)',
  half_termly: 'Half-termly (about every 6 weeks)',
};

const PlanSettingsSchema = z.object({
  planName: text('The name', {
    max: 60,
    requiredMessage: 'Enter what the school calls its plans, like SEN Support Plan or IEP',
  }),
  reviewInterval: choice(INTERVALS, 'Select how often plans are reviewed'),
  halfTermlyTargetChecks: checkbox(),
  maxTargets: wholeNumber(1, 10, 'Enter the most targets a plan may hold, a number from 1 to 10'),
  topUpThreshold: pounds('The threshold', {
    requiredMessage: 'Enter the threshold in pounds, like £6,000',
    max: 100_000_00,
  }),
  nearingPercent: wholeNumber(1, 100, 'Enter a percentage from 1 to 100'),
  version: versionOrNew(),
});

export function planSettingsSummary(values: Awaited<ReturnType<Services['settings']['values']>>) {
  return [
    { key: { text: 'What the school calls its plans' }, value: { text: values.planName } },
    { key: { text: 'Review interval' }, value: { text: INTERVAL_LABELS[values.reviewInterval] } },
    {
      key: { text: 'Half-termly target checks' },
      value: { text: values.halfTermlyTargetChecks ? 'Yes' : 'No' },
    },
    { key: { text: 'Most targets in a plan' }, value: { text: String(values.maxTargets) } },
    { key: { text: 'High-needs threshold' }, value: { text: formatPounds(values.topUpThresholdPence) } },
    { key: { text: 'Nearing the threshold from' }, value: { text: `${values.nearingPercent}%` } },
  ];
}

export function planSettingsRoutes(app: FastifyInstance, services: Services) {
  formRoute(app, {
    path: paths.settingsPlans,
    template: 'features/settings/views/plans.njk',
    anchors: { reviewInterval: 'reviewInterval' },
    async load(request) {
      const values = await services.settings.forEdit(request.actor!);
      return {
        pageTitle: 'Settings for support plans',
        current: values,
        currentSummary: planSettingsSummary(values),
        version: values.version,
        intervals: INTERVALS.map((i) => ({ value: i, text: INTERVAL_LABELS[i] })),
      };
    },
    initial: ({ current }) => ({
      planName: current.planName,
      reviewInterval: current.reviewInterval,
      halfTermlyTargetChecks: current.halfTermlyTargetChecks ? 'yes' : '',
      maxTargets: String(current.maxTargets),
      topUpThreshold: formatPounds(current.topUpThresholdPence),
      nearingPercent: String(current.nearingPercent),
      version: String(current.version),
    }),
    parse: (body) => parseForm(PlanSettingsSchema, body),
    submit: (request, { version, topUpThreshold, ...d }) =>
      services.settings.save(request.actor!, version, { ...d, topUpThresholdPence: topUpThreshold }),
    done: () => ({ redirect: paths.settings.to(), flash: 'Settings for support plans saved.' }),
  });

  app.get(paths.settingsBank.pattern, async (request, reply) => {
    const raw = request.query as Record<string, unknown>;
    const q = stripControlCharacters(typeof raw.q === 'string' ? raw.q : '')
      .trim()
      .slice(0, 100);
    const area = AREAS_OF_NEED.includes(raw.area as AreaOfNeed) ? (raw.area as AreaOfNeed) : undefined;
    const entries = await services.bank.manage(request.actor!, { q, area });
    return reply.page('features/settings/views/bank.njk', {
      pageTitle: 'The bank of targets and strategies',
      q,
      area,
      areaOptions: [
        { value: '', text: 'Every area', selected: !area },
        ...AREAS_OF_NEED.map((a) => ({
          value: a,
          text: `${areaNumber(a)} ${AREA_LABELS[a]}`,
          selected: area === a,
        })),
      ],
      entries,
      query: new URLSearchParams({ ...(q ? { q } : {}), ...(area ? { area } : {}) }).toString(),
    });
  });

  app.post(paths.bankEntryHide.pattern, async (request, reply) => {
    await services.bank.hide(request.actor!, idParam(request, 'bankEntryId'));
    const back = (request.body as Record<string, unknown> | undefined)?.query;
    const query = typeof back === 'string' && /^[\w=&%+.-]{0,300}$/.test(back) && back ? `?${back}` : '';
    return reply
      .flash('Hidden from the bank. Plans that used it keep their targets.')
      .redirect(paths.settingsBank.to(query), 303);
  });
}
