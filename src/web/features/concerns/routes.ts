import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SERVICE_KIND_LABELS, type ServiceKind } from '../../../domain/agencies.ts';
import { ncYearLabel } from '../../../domain/calendar.ts';
import { AREA_LABELS, AREAS_OF_NEED } from '../../../domain/census.ts';
import {
  AGENCY_SUGGESTIONS,
  CONCERN_OUTCOME_IN_TEXT,
  CONCERN_OUTCOME_LABELS,
  CONCERN_OUTCOMES,
  CONCERN_SOURCE_LABELS,
  CONCERN_VIA_LABELS,
  CONCERN_VIAS,
} from '../../../domain/concerns.ts';
import { formatDate } from '../../../domain/dates.ts';
import { FLAG_LABELS } from '../../../domain/flags.ts';
import { PLAN_STATUS_LABELS } from '../../../domain/plans.ts';
import type { Services } from '../../../services/index.ts';
import { dateAnchors, formRoute } from '../../form-route.ts';
import { dateParts } from '../../forms/dates.ts';
import { idParam, pupilIdOf } from '../../params.ts';
import { paths } from '../../paths.ts';
import { needOptions } from '../../shared/need-options.ts';
import {
  INTERVENTION_ROWS,
  parseConcernForm,
  parseConcernReview,
  parseOutsideConcernForm,
} from './schemas.ts';

/**
 * The services of the school's directory as the review form's choices, by kind then name, each saying
 * when it is on the local authority's list.
 */
function agencyOptionsOf(
  directory: { id: string; name: string; serviceKind: ServiceKind; ownerKind: 'school' | 'organisation' }[],
) {
  return directory.map((d) => ({
    value: d.id,
    text: `${d.name} (${SERVICE_KIND_LABELS[d.serviceKind]}${d.ownerKind === 'organisation' ? ', local authority' : ''})`,
  }));
}

const RAISE_FORM = 'features/concerns/views/raise.njk';
const REVIEW_FORM = 'features/concerns/views/review.njk';
const ANCHORS = {
  ...dateAnchors('concernDate'),
  kind: 'kind',
  areasOfNeed: 'areasOfNeed',
  source: 'source',
  receivedVia: 'receivedVia',
};

const carersText = (carers: { name: string; relationship: string }[] | null) =>
  carers === null ? null : carers.map((c) => `${c.name} (${c.relationship})`).join(', ') || 'None recorded';

export async function concernRoutes(app: FastifyInstance, services: Services) {
  app.get(paths.concerns.pattern, async (request, reply) => {
    const overview = await services.concerns.overview(request.actor!);
    return reply.page('features/concerns/views/list.njk', { pageTitle: 'Concerns', ...overview });
  });

  const raiseData = async (request: FastifyRequest, audit: boolean, outside: boolean) => {
    const pupilId = pupilIdOf(request);
    const found = outside
      ? await services.concerns.recordForm(request.actor!, pupilId, { audit })
      : await services.concerns.raiseForm(request.actor!, pupilId, { audit });
    return {
      pageTitle: `${outside ? 'Record' : 'Raise'} a concern about ${found.pupil.forename} ${found.pupil.surname}`,
      pupil: found.pupil,
      className: found.className,
      yearGroup: ncYearLabel(found.pupil.ncYear),
      carers: carersText(found.carers),
      referredBy: request.actor!.name,
      outside,
      mayRecordFromOutside: found.mayRecordFromOutside,
      areaOptions: AREAS_OF_NEED.map((a) => ({ value: a, text: AREA_LABELS[a] })),
      sourceOptions: (['parent', 'pupil', 'professional'] as const).map((s) => ({
        value: s,
        text: CONCERN_SOURCE_LABELS[s],
      })),
      viaOptions: CONCERN_VIAS.map((v) => ({ value: v, text: CONCERN_VIA_LABELS[v] })),
      interventionRows: Array.from({ length: INTERVENTION_ROWS }, (_, i) => i + 1),
    };
  };

  formRoute(app, {
    path: paths.concernNew,
    template: RAISE_FORM,
    anchors: ANCHORS,
    load: (request, { audit }) => raiseData(request, audit, false),
    initial: () => dateParts('concernDate', services.clock.today()),
    parse: (body) => parseConcernForm(body, services.clock.today),
    submit: (request, input) => services.concerns.raise(request.actor!, pupilIdOf(request), input),
    done: (concernId) => ({
      redirect: paths.concern.to({ concernId }),
      flash: 'Concern sent to the SENCo. You will see the outcome here when they have reviewed it.',
    }),
  });

  formRoute(app, {
    path: paths.concernRecord,
    template: RAISE_FORM,
    anchors: ANCHORS,
    load: (request, { audit }) => raiseData(request, audit, true),
    initial: () => dateParts('concernDate', services.clock.today()),
    parse: (body) => parseOutsideConcernForm(body, services.clock.today),
    submit: (request, input) =>
      services.concerns.recordFromOutside(request.actor!, pupilIdOf(request), input),
    done: (concernId) => ({
      redirect: paths.concern.to({ concernId }),
      flash: 'Concern recorded. Review it when you are ready.',
    }),
  });

  app.get(paths.concern.pattern, async (request, reply) => {
    const found = await services.concerns.view(request.actor!, idParam(request, 'concernId'));
    return reply.page('features/concerns/views/show.njk', {
      pageTitle: `Concern about ${found.forename} ${found.surname}`,
      ...found,
      carers: carersText(found.carers),
      areas: found.concern.areasOfNeed.map((a) => AREA_LABELS[a]),
    });
  });

  formRoute(app, {
    path: paths.concernReview,
    template: REVIEW_FORM,
    anchors: { ...dateAnchors('reviewedOn'), outcome: 'outcome' },
    async load(request, { audit }) {
      const found = await services.concerns.reviewForm(request.actor!, idParam(request, 'concernId'), {
        audit,
      });
      return {
        pageTitle: `Review the concern about ${found.forename} ${found.surname}`,
        ...found,
        version: found.concern.version,
        carers: carersText(found.carers),
        areas: found.concern.areasOfNeed.map((a) => AREA_LABELS[a]),
        outcomes: CONCERN_OUTCOMES.map((o) => ({ value: o, text: CONCERN_OUTCOME_LABELS[o] })),
        agencies: AGENCY_SUGGESTIONS,
        agencyOptions: agencyOptionsOf(found.directory),
        concernDateText: formatDate(found.concern.concernDate),
        needOptions,
        flagLabels: found.context?.flags.map((f) => FLAG_LABELS[f]) ?? [],
        plans: found.plans.map((p) => ({ ...p, statusLabel: PLAN_STATUS_LABELS[p.status] })),
      };
    },
    initial: (data) => ({
      version: String(data.concern.version),
      ...dateParts('reviewedOn', services.clock.today()),
    }),
    parse: (body) => parseConcernReview(body, services.clock.today),
    submit: (request, d) =>
      services.concerns.review(request.actor!, idParam(request, 'concernId'), d.version, {
        outcome: d.outcome,
        actionTaken: d.actionTaken,
        agency: d.agency,
        agencyId: d.agencyId,
        reviewedOn: d.reviewedOn,
        primaryNeed: d.primaryNeed,
        secondaryNeed: d.secondaryNeed,
        startPlan: d.startPlan,
      }),
    done: (result, d) =>
      result.planId
        ? {
            // The pupil's page shows the new draft plan among their plans.
            redirect: paths.pupil.to({ pupilId: result.pupilId }),
            flash: `Concern reviewed: ${CONCERN_OUTCOME_IN_TEXT[d.outcome]}. A draft ${result.planName} has been started for the class teacher to write.`,
          }
        : {
            redirect: paths.concerns.to(),
            flash: `Concern reviewed: ${CONCERN_OUTCOME_IN_TEXT[d.outcome]}.`,
          },
  });
}
