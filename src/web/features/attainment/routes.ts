import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bandsText, DEFAULT_BANDS } from '../../../domain/attainment.ts';
import type { Services } from '../../../services/index.ts';
import { NotFoundError } from '../../../services/kernel/errors.ts';
import { formRoute } from '../../form-route.ts';
import { fileFrom } from '../../forms/upload.ts';
import { idParam, pupilIdOf } from '../../params.ts';
import { paths } from '../../paths.ts';
import {
  parseArchive,
  parseGrid,
  parseSubject,
  parseSubjectChange,
  parseTrajectory,
  termFromQuery,
  termQuery,
} from './schemas.ts';
import {
  belowTrajectoryModel,
  gridModel,
  gridValues,
  progressHomeModel,
  pupilProgressModel,
  subjectListModel,
  trajectoryFormModel,
} from './view-models.ts';

const SUBJECT_FORM = 'features/attainment/views/subject-form.njk';
const classIdOf = (request: FastifyRequest) => idParam(request, 'classId');
const subjectIdOf = (request: FastifyRequest) => idParam(request, 'subjectId');

/** The term a link asks for; a term that cannot be read is "not found". */
function termOfRequest(request: FastifyRequest) {
  const term = termFromQuery(request.query);
  if (term === null) throw new NotFoundError('Term not found');
  return term;
}

export async function attainmentRoutes(app: FastifyInstance, services: Services) {
  app.get(paths.progress.pattern, async (request, reply) => {
    const home = await services.attainment.home(request.actor!);
    return reply.page('features/attainment/views/home.njk', {
      pageTitle: 'Progress',
      ...progressHomeModel(home, request.actor!),
    });
  });

  app.get(paths.progressBelowTrajectory.pattern, async (request, reply) => {
    const classId = (request.query as Record<string, unknown>).classId;
    const list = await services.attainment.belowTrajectory(request.actor!, {
      classId: typeof classId === 'string' ? classId.toLowerCase() : null,
    });
    return reply.page('features/attainment/views/below-trajectory.njk', {
      pageTitle: 'Pupils below their expected trajectory',
      ...belowTrajectoryModel(list),
    });
  });

  // The class attainment grid for a term: every pupil on roll by every subject, saved in one go.
  formRoute(app, {
    path: paths.classAttainment,
    template: 'features/attainment/views/grid.njk',
    conflictAnchor: 'grid',
    async load(request, { audit }) {
      const grid = await services.attainment.grid(
        request.actor!,
        classIdOf(request),
        termOfRequest(request),
        {
          audit,
        },
      );
      return { pageTitle: `${grid.schoolClass.name}: attainment, ${grid.termLabel}`, ...gridModel(grid) };
    },
    initial: (data) => gridValues(data),
    parse: (body) => parseGrid(body),
    submit: (request, input) =>
      services.attainment.saveGrid(request.actor!, classIdOf(request), termOfRequest(request), input.cells),
    done: (result, _input, request) => {
      const term = termOfRequest(request);
      return {
        redirect: paths.classAttainment.to(
          { classId: classIdOf(request) },
          term ? { term: termQuery(term) } : '',
        ),
        flash:
          result.pupils === 0
            ? 'Nothing had changed: no results were saved.'
            : `${result.termLabel} results saved for ${result.pupils === 1 ? '1 pupil' : `${result.pupils} pupils`} in ${result.name}.`,
      };
    },
  });

  app.get(paths.pupilProgress.pattern, async (request, reply) => {
    const page = await services.attainment.pupilProgress(request.actor!, pupilIdOf(request));
    return reply.page('features/attainment/views/pupil.njk', {
      pageTitle: `${page.pupil.forename} ${page.pupil.surname}: progress`,
      ...pupilProgressModel(page),
    });
  });

  formRoute(app, {
    path: paths.pupilTrajectory,
    template: 'features/attainment/views/trajectory.njk',
    anchors: { scale: 'scale' },
    async load(request, { audit }) {
      const page = await services.attainment.pupilProgress(request.actor!, pupilIdOf(request), {
        audit,
        write: true,
        subjectId: subjectIdOf(request),
      });
      const model = trajectoryFormModel(page, subjectIdOf(request));
      if (!model) throw new NotFoundError('Subject not found');
      return {
        pageTitle: `${page.pupil.forename} ${page.pupil.surname}: expected trajectory in ${model.subject.name}`,
        ...model,
      };
    },
    initial: (data) => data.initial,
    parse: (body) => parseTrajectory(body),
    submit: (request, input) =>
      services.attainment.setTrajectory(request.actor!, pupilIdOf(request), subjectIdOf(request), input),
    done: (result, _input, request) => ({
      redirect: paths.pupilProgress.to({ pupilId: pupilIdOf(request) }),
      flash: `${result.name}’s expected trajectory in ${result.subject} saved.`,
    }),
  });

  // Results from the MIS: a CSV file checked first (what it adds and changes, which rows are wrong),
  // then imported whole or not at all.
  formRoute(app, {
    path: paths.progressImport,
    template: 'features/attainment/views/import.njk',
    async load(request) {
      services.attainment.checkCanManage(request.actor!);
      return { pageTitle: 'Import attainment from the MIS' };
    },
    parse: (body) => {
      const file = fileFrom(body as Record<string, unknown>, 'file', 'a CSV file');
      return file.ok
        ? { ok: true as const, data: file.file }
        : { ok: false as const, errors: [{ field: 'file', message: file.message }] };
    },
    preview: (request, file) =>
      services.attainment.previewImport(request.actor!, { fileName: file.fileName, data: file.data }),
    submit: (request, file) =>
      services.attainment.applyImport(request.actor!, { fileName: file.fileName, data: file.data }),
    done: (result) => ({
      redirect: paths.progress.to(),
      flash: `Imported: ${result.add} ${result.add === 1 ? 'result' : 'results'} added and ${result.change} changed for ${result.pupils} ${result.pupils === 1 ? 'pupil' : 'pupils'}${result.same ? `; ${result.same} already as in the file` : ''}.`,
    }),
    forget: ['file'],
  });

  app.get(paths.progressSubjects.pattern, async (request, reply) => {
    const list = await services.attainment.subjects(request.actor!);
    return reply.page('features/attainment/views/subjects.njk', {
      pageTitle: 'Subjects and scales',
      ...subjectListModel(list),
    });
  });

  formRoute(app, {
    path: paths.progressSubjectNew,
    template: SUBJECT_FORM,
    anchors: { scale: 'scale' },
    async load(request) {
      services.attainment.checkCanManage(request.actor!);
      return { pageTitle: 'Add a subject', isNew: true };
    },
    initial: () => ({ scale: 'bands', bands: bandsText(DEFAULT_BANDS), expectedBand: 'EXS' }),
    parse: (body) => parseSubject(body),
    submit: (request, input) => services.attainment.addSubject(request.actor!, input),
    done: (_id, input) => ({ redirect: paths.progressSubjects.to(), flash: `${input.name} has been added.` }),
  });

  formRoute(app, {
    path: paths.progressSubject,
    template: SUBJECT_FORM,
    anchors: { scale: 'scale' },
    async load(request) {
      const subject = await services.attainment.subject(request.actor!, subjectIdOf(request));
      return {
        pageTitle: `Change ${subject.name}`,
        subject,
        version: subject.version,
        currentBands: bandsText(subject.bands),
      };
    },
    initial: (data) => ({
      name: data.subject.name,
      scale: data.subject.scale,
      bands: bandsText(data.subject.bands),
      expectedBand: data.subject.expectedBand ?? '',
      scoreMin: data.subject.scoreMin?.toString() ?? '',
      scoreMax: data.subject.scoreMax?.toString() ?? '',
      scoreExpected: data.subject.scoreExpected?.toString() ?? '',
      stepsPerYear: data.subject.stepsPerYear?.toString() ?? '',
      version: String(data.subject.version),
    }),
    parse: (body) => parseSubjectChange(body),
    submit: (request, input) =>
      services.attainment.changeSubject(request.actor!, subjectIdOf(request), input.version, input),
    done: (_r, input) => ({ redirect: paths.progressSubjects.to(), flash: `${input.name} saved.` }),
  });

  formRoute(app, {
    path: paths.progressSubjectArchive,
    template: 'features/attainment/views/subject-archive.njk',
    async load(request) {
      const subject = await services.attainment.subject(request.actor!, subjectIdOf(request));
      return { pageTitle: `Archive ${subject.name}`, subject, version: subject.version };
    },
    initial: (data) => ({ version: String(data.subject.version) }),
    parse: (body) => parseArchive(body),
    submit: (request, input) =>
      services.attainment.archiveSubject(request.actor!, subjectIdOf(request), input.version),
    done: (name) => ({
      redirect: paths.progressSubjects.to(),
      flash: `${name} has been archived: it is no longer on the class grid; its results are kept.`,
    }),
  });
}
