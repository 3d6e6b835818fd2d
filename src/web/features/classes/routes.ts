import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { dateAnchors, formRoute } from '../../form-route.ts';
import { dateParts } from '../../forms/dates.ts';
import { parseForm } from '../../forms/errors.ts';
import { idParam, pupilIdOf } from '../../params.ts';
import { paths } from '../../paths.ts';
import {
  ClassChangeSchema,
  ClassSchema,
  parseAdd,
  parseMove,
  parseNothing,
  parsePupilClass,
  toClassInput,
} from './schemas.ts';
import { classFormValues, classListModel, classPageModel, yearGroupItems } from './view-models.ts';

const FORM = 'features/classes/views/form.njk';
const CLASS_PAGE = 'features/classes/views/show.njk';
const classIdOf = (request: FastifyRequest) => idParam(request, 'classId');

export async function classRoutes(app: FastifyInstance, services: Services) {
  const today = services.clock.today;

  app.get(paths.classes.pattern, async (request, reply) => {
    const list = await services.classes.list(request.actor!);
    return reply.page('features/classes/views/list.njk', { pageTitle: 'Classes', ...classListModel(list) });
  });

  formRoute(app, {
    path: paths.classNew,
    template: FORM,
    anchors: { ncYears: 'ncYears', teacherIds: 'teacherIds' },
    async load(request) {
      const options = await services.classes.formOptions(request.actor!);
      return {
        pageTitle: 'Add a class',
        isNew: true,
        yearGroupItems: yearGroupItems(options.yearGroups),
        teachers: options.teachers,
      };
    },
    parse: (body) => parseForm(ClassSchema, body),
    submit: (request, input) => services.classes.create(request.actor!, toClassInput(input)),
    done: (classId, input) => ({
      redirect: paths.schoolClass.to({ classId }),
      flash: `${input.name} has been added.`,
    }),
  });

  // The class page: its pupils, and the forms that move them out or put pupils with no class in it.
  async function classPage(request: FastifyRequest, audit: boolean) {
    const page = await services.classes.get(request.actor!, classIdOf(request), { audit });
    return { pageTitle: page.schoolClass.name, ...classPageModel(page) };
  }
  const initialDates = () => ({ ...dateParts('movedOn', today()), ...dateParts('addedOn', today()) });

  formRoute(app, {
    path: paths.schoolClass,
    template: CLASS_PAGE,
    anchors: { ...dateAnchors('movedOn', 'addedOn'), pupilIds: 'pupilIds', addPupilIds: 'addPupilIds' },
    load: (request, { audit }) => classPage(request, audit),
    initial: initialDates,
    parse: (body) => parseMove(body, today),
    submit: (request, input) =>
      services.classes.movePupils(request.actor!, classIdOf(request), {
        pupilIds: input.pupilIds,
        toClassId: input.toClassId,
        movedOn: input.movedOn!,
      }),
    done: (result, _input, request) => ({
      redirect: paths.schoolClass.to({ classId: classIdOf(request) }),
      flash: `${result.moved === 1 ? '1 pupil' : `${result.moved} pupils`} moved from ${result.fromName} to ${result.toName ?? 'no class'}.`,
    }),
  });

  formRoute(app, {
    path: paths.classPupils,
    template: CLASS_PAGE,
    anchors: { ...dateAnchors('movedOn', 'addedOn'), pupilIds: 'pupilIds', addPupilIds: 'addPupilIds' },
    load: (request, { audit }) => classPage(request, audit),
    initial: initialDates,
    parse: (body) => parseAdd(body, today),
    submit: (request, input) =>
      services.classes.addPupils(request.actor!, classIdOf(request), {
        pupilIds: input.addPupilIds,
        movedOn: input.addedOn!,
      }),
    done: (result, _input, request) => ({
      redirect: paths.schoolClass.to({ classId: classIdOf(request) }),
      flash: `${result.added === 1 ? '1 pupil' : `${result.added} pupils`} put in ${result.name}.`,
    }),
  });

  formRoute(app, {
    path: paths.classEdit,
    template: FORM,
    anchors: { ncYears: 'ncYears', teacherIds: 'teacherIds' },
    async load(request) {
      const found = await services.classes.forEdit(request.actor!, classIdOf(request));
      return {
        pageTitle: `Change ${found.schoolClass.name}`,
        schoolClass: found.schoolClass,
        currentTeachers: found.schoolClass.teachers.map((t) => t.name).join(', '),
        version: found.schoolClass.version,
        yearGroupItems: yearGroupItems(found.yearGroups),
        teachers: found.teachers,
      };
    },
    initial: (data) => classFormValues(data.schoolClass),
    parse: (body) => parseForm(ClassChangeSchema, body),
    submit: (request, input) =>
      services.classes.update(request.actor!, classIdOf(request), input.version, toClassInput(input)),
    done: (_r, input, request) => ({
      redirect: paths.schoolClass.to({ classId: classIdOf(request) }),
      flash: `${input.name} saved.`,
    }),
  });

  formRoute(app, {
    path: paths.classArchive,
    template: 'features/classes/views/archive.njk',
    async load(request) {
      const found = await services.classes.forArchive(request.actor!, classIdOf(request));
      return { pageTitle: `Archive ${found.schoolClass.name}`, ...found };
    },
    parse: parseNothing,
    submit: (request) => services.classes.archive(request.actor!, classIdOf(request)),
    done: (name) => ({
      redirect: paths.classes.to(),
      flash: `${name} has been archived. Its name can be used for a new class; its pupils’ history still names it.`,
    }),
  });

  formRoute(app, {
    path: paths.pupilClass,
    template: 'features/classes/views/pupil-class.njk',
    anchors: { ...dateAnchors('movedOn'), toClassId: 'toClassId' },
    async load(request, { audit }) {
      const found = await services.classes.forPupil(request.actor!, pupilIdOf(request), { audit });
      return {
        pageTitle: `Change ${found.pupil.forename} ${found.pupil.surname}’s class`,
        pupil: found.pupil,
        className: found.className,
        classOptions: found.classes.map((c) => ({ value: c.id, text: c.name })),
      };
    },
    initial: () => dateParts('movedOn', today()),
    parse: (body) => parsePupilClass(body, today),
    submit: (request, input) =>
      services.classes.changeClass(request.actor!, pupilIdOf(request), {
        fromClassId: input.fromClassId,
        toClassId: input.toClassId,
        movedOn: input.movedOn!,
      }),
    done: (result, _input, request) => ({
      redirect: paths.pupil.to({ pupilId: pupilIdOf(request) }),
      flash: result.toName
        ? `${result.name} is now in ${result.toName}.`
        : `${result.name} is now in no class.`,
    }),
  });
}
