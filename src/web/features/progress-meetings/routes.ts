import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { formRoute } from '../../form-route.ts';
import { parseForm } from '../../forms/errors.ts';
import { idParam, pupilIdOf } from '../../params.ts';
import { paths } from '../../paths.ts';
import {
  ActionDoneSchema,
  PrepareSchema,
  parseMeeting,
  parseMeetingConcern,
  toConcernInput,
} from './schemas.ts';
import { meetingFormValues, meetingListModel, meetingPageModel } from './view-models.ts';

const meetingIdOf = (request: FastifyRequest) => idParam(request, 'meetingId');

/** Half-termly pupil progress meetings: the list, the meeting, the concern it raises, your actions. */
export async function progressMeetingRoutes(app: FastifyInstance, services: Services) {
  const today = services.clock.today;

  // This half term's meetings by class; preparing one opens it.
  formRoute(app, {
    path: paths.progressMeetings,
    template: 'features/progress-meetings/views/list.njk',
    async load(request) {
      const list = await services.progressMeetings.list(request.actor!);
      return { pageTitle: 'Pupil progress meetings', ...meetingListModel(list) };
    },
    parse: (body) => parseForm(PrepareSchema, body),
    submit: (request, input) =>
      services.progressMeetings.prepare(request.actor!, input.classId.toLowerCase()),
    done: (r) => ({
      redirect: paths.progressMeeting.to({ meetingId: r.meetingId }),
      flash: r.created ? `The progress meeting for ${r.className} has been prepared.` : undefined,
    }),
  });

  // The meeting: the prepared list, and the record of who was there and what was decided.
  formRoute(app, {
    path: paths.progressMeeting,
    template: 'features/progress-meetings/views/meeting.njk',
    anchors: { heldOn: 'heldOn-day', attendeeIds: 'attendeeIds' },
    conflictAnchor: 'decisions',
    async load(request, { audit }) {
      const page = await services.progressMeetings.meeting(request.actor!, meetingIdOf(request), { audit });
      return {
        pageTitle: `Progress meeting: ${page.meeting.className}, ${page.meeting.label}`,
        ...page,
        ...meetingPageModel(page),
      };
    },
    initial: (data) => meetingFormValues(data),
    parse: (body) => parseMeeting(body, today),
    submit: (request, input) => services.progressMeetings.record(request.actor!, meetingIdOf(request), input),
    done: (r, _input, request) => ({
      redirect: paths.progressMeeting.to({ meetingId: meetingIdOf(request) }),
      flash: `The progress meeting for ${r.className} has been saved.`,
    }),
  });

  // A decision to raise a concern becomes one (prefilled from the meeting's notes).
  formRoute(app, {
    path: paths.progressMeetingConcern,
    template: 'features/progress-meetings/views/concern.njk',
    anchors: { kind: 'kind', areasOfNeed: 'areasOfNeed' },
    async load(request, { audit }) {
      const form = await services.progressMeetings.concernForm(
        request.actor!,
        meetingIdOf(request),
        pupilIdOf(request),
        { audit },
      );
      return { pageTitle: `Raise a concern about ${form.pupil.forename} ${form.pupil.surname}`, ...form };
    },
    initial: (data) => ({
      kind: 'send',
      reasons: data.notes ?? '',
      classroomEvidence: `Discussed at the pupil progress meeting for ${data.meeting.className} (${data.meeting.label}).`,
    }),
    parse: (body) => parseMeetingConcern(body),
    submit: (request, input) =>
      services.progressMeetings.raiseConcern(
        request.actor!,
        meetingIdOf(request),
        pupilIdOf(request),
        toConcernInput(input, today()),
      ),
    done: (concernId) => ({
      redirect: paths.concern.to({ concernId }),
      flash: 'The concern has been raised.',
    }),
  });

  // Your own actions from the meetings, each marked done here.
  formRoute(app, {
    path: paths.progressMeetingActions,
    template: 'features/progress-meetings/views/actions.njk',
    async load(request) {
      return {
        pageTitle: 'Your actions from progress meetings',
        ...(await services.progressMeetings.myActions(request.actor!)),
      };
    },
    parse: (body) => parseForm(ActionDoneSchema, body),
    submit: (request, input) =>
      services.progressMeetings.markDone(request.actor!, input.actionId.toLowerCase(), input.version),
    done: (r) => ({
      redirect: paths.progressMeetingActions.to(),
      flash: `The action for ${r.pupilName} is done.`,
    }),
  });
}
