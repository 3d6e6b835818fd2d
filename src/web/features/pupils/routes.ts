import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ncYearLabel } from '../../../domain/calendar.ts';
import { CONTEXT_FLAGS, FLAG_LABELS } from '../../../domain/flags.ts';
import { flagsOf } from '../../../presenters/pupils.ts';
import type { Services } from '../../../services/index.ts';
import { ValidationError } from '../../../services/kernel/errors.ts';
import { dateAnchors, formRoute } from '../../form-route.ts';
import { parseForm } from '../../forms/errors.ts';
import { isUuid, stripControlCharacters } from '../../forms/fields.ts';
import { idParam, pupilIdOf } from '../../params.ts';
import { paths } from '../../paths.ts';
import {
  filterOptions,
  filterQuery,
  outsideYearGroupOption,
  parseFilters,
  yearGroupOptions,
} from '../../shared/pupil-filters.ts';
import { hasParentFields, ParentSchema, parsePupilForm, toParentInput, VersionSchema } from './schemas.ts';
import { pupilFormValues, pupilPageModel } from './view-models.ts';

const FORM = 'features/pupils/views/form.njk';
const PARENT_FORM = 'features/pupils/views/parent-form.njk';
const ANCHORS = { ...dateAnchors('dateOfBirth', 'admissionDate'), sex: 'sex', flags: 'flags' };

export async function pupilRoutes(app: FastifyInstance, services: Services) {
  const formOptions = async (request: FastifyRequest, currentOverride: number | null = null) => {
    const { classes, yearGroups } = await services.pupils.editorOptions(request.actor!);
    const years = yearGroupOptions(yearGroups);
    // A year group outside the school's, already recorded, stays a choice so that saving keeps it.
    if (currentOverride !== null && !years.some((y) => y.value === String(currentOverride))) {
      years.push(outsideYearGroupOption(currentOverride));
    }
    return {
      classOptions: [{ value: '', text: 'No class' }, ...classes.map((c) => ({ value: c.id, text: c.name }))],
      yearOptions: [{ value: '', text: 'From date of birth' }, ...years],
      flagOptions: CONTEXT_FLAGS.map((f) => ({ value: f, text: FLAG_LABELS[f] })),
    };
  };

  app.get(paths.pupils.pattern, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const { filters, page } = parseFilters(query);
    // Leavers are shown only when asked for (the register and its exports never list them).
    if (query.leavers === '1') filters.leavers = true;
    const result = await services.pupils.list(request.actor!, filters, page);
    const rows = result.rows.map((r) => ({ ...r, yearGroup: ncYearLabel(r.ncYear), flags: flagsOf(r) }));
    const lastPage = Math.max(1, Math.ceil(result.total / result.pageSize));
    return reply.page('features/pupils/views/list.njk', {
      pageTitle: 'Pupils',
      rows,
      total: result.total,
      page: result.page,
      lastPage,
      previousHref:
        result.page > 1 ? paths.pupils.to(filterQuery(filters, { page: String(result.page - 1) })) : null,
      nextHref:
        result.page < lastPage
          ? paths.pupils.to(filterQuery(filters, { page: String(result.page + 1) }))
          : null,
      filters,
      options: filterOptions(filters, result.classes, result.yearGroups),
      showSen: result.showSen,
      canAdd: result.canAdd,
      canTransfer: result.canTransfer,
    });
  });

  /** Find any pupil by name to raise a concern: name, class and year group only. */
  app.get(paths.findPupil.pattern, async (request, reply) => {
    const raw = (request.query as Record<string, unknown>).q;
    const q = stripControlCharacters(typeof raw === 'string' ? raw : '')
      .trim()
      .slice(0, 100);
    // Asked even for an empty search: the service refuses (and records) whoever may not find pupils.
    const rows = await services.pupils.find(request.actor!, q);
    return reply.page('features/pupils/views/find.njk', {
      pageTitle: 'Find a pupil to raise a concern',
      q,
      rows: rows.map((r) => ({ ...r, yearGroup: ncYearLabel(r.ncYear) })),
      searched: q.length > 0,
    });
  });

  formRoute(app, {
    path: paths.pupilNew,
    template: FORM,
    anchors: ANCHORS,
    load: async (request) => ({ pageTitle: 'Add a pupil', isNew: true, ...(await formOptions(request)) }),
    // Most parents and carers named with a pupil have parental responsibility: ticked, as when adding one.
    initial: () => ({ parentalResponsibility: 'yes' }),
    parse: (body) => {
      const parsed = parsePupilForm(body, services.clock.today);
      const parent = hasParentFields(body) ? parseForm(ParentSchema, body) : null;
      const errors = [...(parsed.ok ? [] : parsed.errors), ...(parent && !parent.ok ? parent.errors : [])];
      if (!parsed.ok || (parent && !parent.ok)) return { ok: false as const, errors };
      return {
        ok: true as const,
        data: { pupil: parsed.data, parent: parent?.ok ? toParentInput(parent.data) : null },
      };
    },
    submit: (request, input) => services.pupils.create(request.actor!, input.pupil, input.parent),
    done: (pupilId, input) => ({
      redirect: paths.pupil.to({ pupilId }),
      flash: `${input.pupil.forename} ${input.pupil.surname} has been added.`,
    }),
  });

  app.get(paths.pupil.pattern, async (request, reply) => {
    const page = await services.pupils.view(request.actor!, pupilIdOf(request));
    // Complaints naming the pupil: only for those who manage complaints (issue 18).
    const complaints = await services.complaints.forPupilRecord(request.actor!, page.pupil.id);
    return reply.page('features/pupils/views/show.njk', {
      pageTitle: `${page.pupil.forename} ${page.pupil.surname}`,
      ...pupilPageModel(page, page.planName),
      assignable: page.assignableStaff,
      complaints,
    });
  });

  formRoute(app, {
    path: paths.pupilEdit,
    template: FORM,
    anchors: ANCHORS,
    async load(request, { audit }) {
      const found = await services.pupils.forEdit(request.actor!, pupilIdOf(request), { audit });
      return {
        pageTitle: `Change ${found.pupil.forename} ${found.pupil.surname}’s details`,
        pupilId: found.pupil.id,
        pupil: found.pupil,
        version: found.pupil.version,
        ...(await formOptions(request, found.pupil.ncYearOverride)),
      };
    },
    initial: (data) => pupilFormValues(data.pupil),
    parse: (body) => {
      const parsed = parsePupilForm(body, services.clock.today);
      const v = parseForm(VersionSchema, body);
      if (!parsed.ok || !v.ok)
        return {
          ok: false as const,
          errors: [...(v.ok ? [] : v.errors), ...(parsed.ok ? [] : parsed.errors)],
        };
      return { ok: true as const, data: { pupil: parsed.data, version: v.data.version } };
    },
    submit: (request, input) =>
      services.pupils.update(request.actor!, pupilIdOf(request), input.version, input.pupil),
    done: (_r, _i, request) => ({
      redirect: paths.pupil.to({ pupilId: pupilIdOf(request) }),
      flash: 'Pupil details saved.',
    }),
  });

  formRoute(app, {
    path: paths.parentNew,
    template: PARENT_FORM,
    async load(request, { audit }) {
      const found = await services.pupils.forEdit(request.actor!, pupilIdOf(request), { audit });
      return {
        pageTitle: `Add a parent or carer for ${found.pupil.forename} ${found.pupil.surname}`,
        pupilId: found.pupil.id,
      };
    },
    initial: () => ({ parentalResponsibility: 'yes' }),
    parse: (body) => parseForm(ParentSchema, body),
    submit: (request, input) =>
      services.pupils.addParent(request.actor!, pupilIdOf(request), toParentInput(input)),
    done: (_r, input, request) => ({
      redirect: paths.pupil.to({ pupilId: pupilIdOf(request) }),
      flash: `${input.parentName} has been added.`,
    }),
  });

  formRoute(app, {
    path: paths.parentEdit,
    template: PARENT_FORM,
    async load(request, { audit }) {
      const found = await services.pupils.parentForEdit(
        request.actor!,
        pupilIdOf(request),
        idParam(request, 'parentId'),
        {
          audit,
        },
      );
      return {
        pageTitle: `Change ${found.parent.name}’s details`,
        pupilId: found.pupil.id,
        parentId: found.parent.id,
        parent: found.parent,
        version: found.parent.version,
      };
    },
    initial: ({ parent: p }) => ({
      parentName: p.name,
      relationship: p.relationship,
      phone: p.phone ?? '',
      parentEmail: p.email ?? '',
      parentalResponsibility: p.parentalResponsibility ? 'yes' : '',
      courtOrder: p.courtOrder ? 'yes' : '',
      version: String(p.version),
    }),
    parse: (body) => {
      const parsed = parseForm(ParentSchema.extend({ version: VersionSchema.shape.version }), body);
      return parsed;
    },
    submit: (request, input) =>
      services.pupils.updateParent(
        request.actor!,
        pupilIdOf(request),
        idParam(request, 'parentId'),
        input.version,
        toParentInput(input),
      ),
    done: (_r, input, request) => ({
      redirect: paths.pupil.to({ pupilId: pupilIdOf(request) }),
      flash: `${input.parentName}’s details saved.`,
    }),
  });

  app.post(paths.parentRemove.pattern, async (request, reply) => {
    const pupilId = pupilIdOf(request);
    const name = await services.pupils.removeParent(request.actor!, pupilId, idParam(request, 'parentId'));
    return reply
      .flash(`${name} has been removed from the pupil’s record.`)
      .redirect(paths.pupil.to({ pupilId }), 303);
  });

  app.post(paths.pupilStaff.pattern, async (request, reply) => {
    const pupilId = pupilIdOf(request);
    const userId = (request.body as Record<string, unknown> | undefined)?.userId;
    try {
      await services.pupils.assignStaff(request.actor!, pupilId, isUuid(userId) ? userId : null);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return reply
        .flash('Select a teaching assistant to add.')
        .redirect(paths.pupil.to({ pupilId }, '#staff'), 303);
    }
    return reply.flash('Teaching assistant added.').redirect(paths.pupil.to({ pupilId }, '#staff'), 303);
  });

  app.post(paths.pupilStaffRemove.pattern, async (request, reply) => {
    const pupilId = pupilIdOf(request);
    await services.pupils.unassignStaff(request.actor!, pupilId, idParam(request, 'staffId'));
    return reply.flash('Teaching assistant removed.').redirect(paths.pupil.to({ pupilId }, '#staff'), 303);
  });
}
