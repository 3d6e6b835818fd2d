import type { FastifyInstance, FastifyRequest } from 'fastify';
import { academicYearLabel, academicYearStartOf } from '../../../domain/calendar.ts';
import { qualificationFor } from '../../../domain/training.ts';
import type { Services } from '../../../services/index.ts';
import { dateAnchors, formRoute } from '../../form-route.ts';
import { dateParts } from '../../forms/dates.ts';
import { isUuid } from '../../forms/fields.ts';
import { idParam } from '../../params.ts';
import { paths } from '../../paths.ts';
import {
  parseAppointment,
  parseAppointmentChange,
  parseNewTraining,
  parsePlanItem,
  parsePlanItemChange,
  parseTrainingChange,
  parseVersionOnly,
  planYearOf,
  yearOf,
} from './schemas.ts';
import {
  appointmentValues,
  areaOptions,
  groupsChosen,
  planItemValues,
  planYearOptions,
  qualificationOptions,
  recordRow,
  schoolModel,
  staffChoicesModel,
  staffGroupOptions,
  statusOptions,
  termOptions,
  trainingFormValues,
  withGroups,
} from './view-models.ts';

const TRAINING_FORM = 'features/training/views/form.njk';
const PLAN_FORM = 'features/training/views/plan-form.njk';
const SENCO_FORM = 'features/training/views/senco-form.njk';
const trainingIdOf = (request: FastifyRequest) => idParam(request, 'trainingId');
const planItemIdOf = (request: FastifyRequest) => idParam(request, 'planItemId');
const appointmentIdOf = (request: FastifyRequest) => idParam(request, 'appointmentId');

export async function trainingRoutes(app: FastifyInstance, services: Services) {
  const today = services.clock.today;

  app.get(paths.training.pattern, async (request, reply) => {
    const page = await services.training.school(request.actor!, yearOf(request.query));
    return reply.page('features/training/views/school.njk', {
      pageTitle: 'Staff training',
      ...schoolModel(page),
    });
  });

  formRoute(app, {
    path: paths.trainingNew,
    template: TRAINING_FORM,
    anchors: { ...dateAnchors('completedOn'), userIds: 'userIds', area: 'area' },
    async load(request) {
      const staff = staffChoicesModel(await services.training.staffChoices(request.actor!));
      return { pageTitle: 'Record training', isNew: true, staff, areaOptions, staffGroupOptions };
    },
    initial: (_data, request) => {
      const chosen = (request.query as Record<string, unknown>).staffId;
      return { ...dateParts('completedOn', today()), ...(isUuid(chosen) ? { userIds: [chosen] } : {}) };
    },
    // A group ticked (everyone, all teachers, all teaching assistants) adds its members to those ticked.
    async parse(body, request) {
      const groups = groupsChosen(body.staffGroups);
      if (groups.length === 0) return parseNewTraining(body, today);
      const staff = await services.training.staffChoices(request.actor!);
      return parseNewTraining({ ...body, userIds: withGroups(body.userIds, groups, staff) }, today);
    },
    submit: (request, input) => services.training.record(request.actor!, input.userIds, input.input),
    done: (result, input) => ({
      redirect:
        result.count === 1 ? paths.trainingStaff.to({ staffId: input.userIds[0]! }) : paths.training.to(),
      flash:
        result.count === 1
          ? `${input.input.course} has been recorded for ${result.names[0]}.`
          : `${input.input.course} has been recorded for ${result.count} members of staff: ${result.names.join(', ')}.`,
    }),
  });

  app.get(paths.trainingStaff.pattern, async (request, reply) => {
    const page = await services.training.person(request.actor!, idParam(request, 'staffId'));
    return reply.page('features/training/views/person.njk', {
      pageTitle: `${page.member.name}’s training`,
      member: page.member,
      totalHours: page.totalHours,
      records: page.records.map(recordRow),
    });
  });

  formRoute(app, {
    path: paths.trainingEdit,
    template: TRAINING_FORM,
    anchors: { ...dateAnchors('completedOn'), area: 'area' },
    conflictAnchor: 'current',
    async load(request) {
      const found = await services.training.getTraining(request.actor!, trainingIdOf(request));
      return {
        pageTitle: `Change ${found.training.name}’s training`,
        training: found.training,
        current: recordRow(found.training),
        version: found.version,
        areaOptions,
      };
    },
    initial: (data) => trainingFormValues(data.training),
    parse: (body) => parseTrainingChange(body, today),
    submit: (request, input) =>
      services.training.updateTraining(request.actor!, trainingIdOf(request), input.version, input.input),
    done: (result) => ({
      redirect: paths.trainingStaff.to({ staffId: result.userId }),
      flash: `${result.name}’s training has been saved.`,
    }),
  });

  formRoute(app, {
    path: paths.trainingDelete,
    template: 'features/training/views/delete.njk',
    async load(request) {
      const found = await services.training.getTraining(request.actor!, trainingIdOf(request));
      return {
        pageTitle: 'Delete this record of training',
        training: found.training,
        current: recordRow(found.training),
        version: found.version,
      };
    },
    initial: (data) => ({ version: String(data.version) }),
    parse: parseVersionOnly,
    submit: (request, input) =>
      services.training.deleteTraining(request.actor!, trainingIdOf(request), input.version),
    done: (result) => ({
      redirect: paths.trainingStaff.to({ staffId: result.userId }),
      flash: `${result.course} has been deleted from ${result.name}’s training.`,
    }),
  });

  const planOptions = { areaOptions, termOptions, statusOptions };

  formRoute(app, {
    path: paths.trainingPlanNew,
    template: PLAN_FORM,
    anchors: { academicYear: 'academicYear', area: 'area', status: 'status', term: 'term' },
    async load(request) {
      services.training.checkCanManage(request.actor!);
      return {
        pageTitle: 'Add to the training plan',
        isNew: true,
        ...planOptions,
        yearOptions: planYearOptions(academicYearStartOf(today())),
      };
    },
    initial: (_data, request) => {
      const current = academicYearStartOf(today());
      const asked = yearOf(request.query);
      const offered = planYearOptions(current).some((o) => o.value === String(asked));
      return { status: 'planned', academicYear: String(offered ? asked : current) };
    },
    parse: (body) => {
      const parsed = parsePlanItem(body);
      const year = planYearOf(body.academicYear, academicYearStartOf(today()));
      if (year === null) {
        const error = { field: 'academicYear', message: 'Choose the academic year from the list' };
        return { ok: false as const, errors: [...(parsed.ok ? [] : parsed.errors), error] };
      }
      return parsed.ok ? { ok: true as const, data: { input: parsed.data, year } } : parsed;
    },
    submit: (request, { input, year }) => services.training.addPlanItem(request.actor!, input, year),
    done: (_id, { input, year }) => ({
      redirect: paths.training.to({ year: String(year) }),
      flash: `${input.title} has been added to the plan for ${academicYearLabel(year)}.`,
    }),
  });

  formRoute(app, {
    path: paths.trainingPlanEdit,
    template: PLAN_FORM,
    anchors: { area: 'area', status: 'status', term: 'term' },
    conflictAnchor: 'current',
    async load(request) {
      const found = await services.training.getPlanItem(request.actor!, planItemIdOf(request));
      return {
        pageTitle: `Change ${found.item.title}`,
        item: found.item,
        version: found.version,
        ...planOptions,
      };
    },
    initial: (data) => planItemValues(data.item),
    parse: (body) => parsePlanItemChange(body),
    submit: (request, input) =>
      services.training.updatePlanItem(request.actor!, planItemIdOf(request), input.version, input.input),
    done: (_r, input) => ({ redirect: paths.training.to(), flash: `${input.input.title} has been saved.` }),
  });

  const sencoAnchors = {
    ...dateAnchors('appointedOn', 'startedOn', 'achievedOn', 'endedOn'),
    userId: 'userId',
    qualification: 'qualification',
  };

  formRoute(app, {
    path: paths.sencoAppointmentNew,
    template: SENCO_FORM,
    anchors: sencoAnchors,
    async load(request) {
      const sencos = await services.training.sencoChoices(request.actor!);
      return { pageTitle: 'Record a SENCo’s appointment', isNew: true, sencos, qualificationOptions };
    },
    initial: () => ({ qualification: qualificationFor(today()) }),
    parse: (body) => parseAppointment(body, today),
    submit: (request, input) => services.training.recordSencoAppointment(request.actor!, input),
    done: () => ({ redirect: paths.training.to(), flash: 'The SENCo’s appointment has been recorded.' }),
  });

  formRoute(app, {
    path: paths.sencoAppointmentEdit,
    template: SENCO_FORM,
    anchors: sencoAnchors,
    conflictAnchor: 'current',
    async load(request) {
      const found = await services.training.getSencoAppointment(request.actor!, appointmentIdOf(request));
      const sencos = await services.training.sencoChoices(request.actor!);
      const listed = sencos.some((s) => s.userId === found.appointment.userId)
        ? sencos
        : [...sencos, { userId: found.appointment.userId, name: found.name }];
      return {
        pageTitle: `${found.name}’s appointment and qualification`,
        appointment: found.appointment,
        name: found.name,
        version: found.version,
        sencos: listed,
        qualificationOptions,
      };
    },
    initial: (data) => appointmentValues(data.appointment),
    parse: (body) => parseAppointmentChange(body, today),
    submit: (request, input) =>
      services.training.updateSencoAppointment(
        request.actor!,
        appointmentIdOf(request),
        input.version,
        input.input,
      ),
    done: () => ({ redirect: paths.training.to(), flash: 'The SENCo’s appointment has been saved.' }),
  });
}
