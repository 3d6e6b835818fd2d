import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ncYearLabel } from '../../../domain/calendar.ts';
import { CONTEXT_FLAGS, FLAG_LABELS } from '../../../domain/flags.ts';
import { can } from '../../../domain/roles.ts';
import type { Services } from '../../../services/index.ts';
import { type FormBody, isUuid, parseForm } from '../../forms.ts';
import { idParam, pupilIdOf } from '../../params.ts';
import { requireSchoolChosen, requireSignIn } from '../../plugins/session.ts';
import { dateAnchors, showFormErrors, submitForm } from '../../render.ts';
import { hasParentFields, ParentSchema, parseFilters, parsePupilForm, toParentInput } from './schemas.ts';
import {
  filterOptions,
  filterQuery,
  flagsOf,
  pupilFormValues,
  pupilPageModel,
  YEAR_GROUP_OPTIONS,
} from './view-models.ts';

const FORM = 'features/pupils/views/form.njk';
const ANCHORS = { ...dateAnchors('dateOfBirth', 'admissionDate'), sex: 'sex', flags: 'flags' };

export async function pupilRoutes(app: FastifyInstance, services: Services) {
  app.addHook('preHandler', requireSignIn);
  app.addHook('preHandler', requireSchoolChosen);

  const formData = async (request: FastifyRequest, extra: Record<string, unknown>) => {
    const classes = await services.pupils.editorOptions(request.actor!);
    return {
      classOptions: [{ value: '', text: 'No class' }, ...classes.map((c) => ({ value: c.id, text: c.name }))],
      yearOptions: [{ value: '', text: 'From date of birth' }, ...YEAR_GROUP_OPTIONS],
      flagOptions: CONTEXT_FLAGS.map((f) => ({ value: f, text: FLAG_LABELS[f] })),
      ...extra,
    };
  };

  app.get('/pupils', async (request, reply) => {
    const { filters, page } = parseFilters(request.query as Record<string, unknown>);
    const result = await services.pupils.list(request.actor!, filters, page);
    const rows = result.rows.map((r) => ({
      ...r,
      yearGroup: ncYearLabel(r.ncYear),
      flags: flagsOf(r),
    }));
    const lastPage = Math.max(1, Math.ceil(result.total / result.pageSize));
    return reply.page('features/pupils/views/list.njk', {
      pageTitle: 'Pupils',
      rows,
      total: result.total,
      page: result.page,
      lastPage,
      previousHref:
        result.page > 1 ? `/pupils${filterQuery(filters, { page: String(result.page - 1) })}` : null,
      nextHref:
        result.page < lastPage ? `/pupils${filterQuery(filters, { page: String(result.page + 1) })}` : null,
      filters,
      options: filterOptions(filters, result.classes),
      showSen: result.showSen,
      canAdd: can(request.actor!.role, 'pupil.edit'),
    });
  });

  app.get('/pupils/new', async (request, reply) => {
    return reply.page(FORM, await formData(request, { pageTitle: 'Add a pupil', isNew: true }));
  });

  app.post('/pupils/new', async (request, reply) => {
    const body = (request.body ?? {}) as FormBody;
    const data = await formData(request, { pageTitle: 'Add a pupil', isNew: true });
    const parsed = parsePupilForm(body, services.clock.today);
    const parent = hasParentFields(body) ? parseForm(ParentSchema, body) : null;
    const errors = [...(parsed.ok ? [] : parsed.errors), ...(parent && !parent.ok ? parent.errors : [])];
    if (!parsed.ok || (parent && !parent.ok)) return showFormErrors(reply, FORM, data, errors, body, ANCHORS);
    const done = await submitForm(
      reply,
      FORM,
      data,
      body,
      () =>
        services.pupils.create(request.actor!, parsed.data, parent?.ok ? toParentInput(parent.data) : null),
      ANCHORS,
    );
    if (!done.ok) return done.response;
    return reply
      .flash(`${parsed.data.forename} ${parsed.data.surname} has been added.`)
      .redirect(`/pupils/${done.result}`, 303);
  });

  app.get('/pupils/:id', async (request, reply) => {
    const page = await services.pupils.view(request.actor!, pupilIdOf(request));
    const actor = request.actor!;
    return reply.page('features/pupils/views/show.njk', {
      pageTitle: `${page.pupil.forename} ${page.pupil.surname}`,
      ...pupilPageModel(page),
      can: {
        edit: can(actor.role, 'pupil.edit'),
        changeRegister: can(actor.role, 'register.change'),
        raiseConcern: can(actor.role, 'concern.raise'),
        audit: can(actor.role, 'audit.view'),
        manageStaff: can(actor.role, 'staff.manage'),
      },
      assignable: can(actor.role, 'staff.manage') ? await services.pupils.assignableStaff(actor) : [],
    });
  });

  app.get('/pupils/:id/edit', async (request, reply) => {
    const found = await services.pupils.forEdit(request.actor!, pupilIdOf(request));
    return reply.page(
      FORM,
      await formData(request, {
        pageTitle: `Change ${found.pupil.forename} ${found.pupil.surname}’s details`,
        pupilId: found.pupil.id,
        values: pupilFormValues(found.pupil),
      }),
    );
  });

  app.post('/pupils/:id/edit', async (request, reply) => {
    const pupilId = pupilIdOf(request);
    await services.pupils.checkEditable(request.actor!, pupilId);
    const body = (request.body ?? {}) as FormBody;
    const data = await formData(request, { pageTitle: 'Change pupil details', pupilId });
    const parsed = parsePupilForm(body, services.clock.today);
    if (!parsed.ok) return showFormErrors(reply, FORM, data, parsed.errors, body, ANCHORS);
    const version = Number(body.version);
    const done = await submitForm(
      reply,
      FORM,
      data,
      body,
      () => services.pupils.update(request.actor!, pupilId, version, parsed.data),
      ANCHORS,
    );
    if (!done.ok) return done.response;
    return reply.flash('Pupil details saved.').redirect(`/pupils/${pupilId}`, 303);
  });

  const PARENT_FORM = 'features/pupils/views/parent-form.njk';
  app.get('/pupils/:id/parents/new', async (request, reply) => {
    const found = await services.pupils.forEdit(request.actor!, pupilIdOf(request));
    return reply.page(PARENT_FORM, {
      pageTitle: `Add a parent or carer for ${found.pupil.forename} ${found.pupil.surname}`,
      pupilId: found.pupil.id,
      values: { parentalResponsibility: 'yes' },
    });
  });

  app.post('/pupils/:id/parents/new', async (request, reply) => {
    const pupilId = pupilIdOf(request);
    await services.pupils.checkEditable(request.actor!, pupilId);
    const data = { pageTitle: 'Add a parent or carer', pupilId };
    const parsed = parseForm(ParentSchema, request.body);
    if (!parsed.ok) return showFormErrors(reply, PARENT_FORM, data, parsed.errors, request.body);
    await services.pupils.addParent(request.actor!, pupilId, toParentInput(parsed.data));
    return reply.flash(`${parsed.data.parentName} has been added.`).redirect(`/pupils/${pupilId}`, 303);
  });

  app.get('/pupils/:id/parents/:parentId/edit', async (request, reply) => {
    const found = await services.pupils.parentForEdit(
      request.actor!,
      pupilIdOf(request),
      idParam(request, 'parentId', 'Parent or carer not found'),
    );
    const p = found.parent;
    return reply.page(PARENT_FORM, {
      pageTitle: `Change ${p.name}’s details`,
      pupilId: found.pupil.id,
      parentId: p.id,
      values: {
        parentName: p.name,
        relationship: p.relationship,
        phone: p.phone ?? '',
        parentEmail: p.email ?? '',
        parentalResponsibility: p.parentalResponsibility ? 'yes' : '',
      },
    });
  });

  app.post('/pupils/:id/parents/:parentId/edit', async (request, reply) => {
    const pupilId = pupilIdOf(request);
    const parentId = idParam(request, 'parentId', 'Parent or carer not found');
    await services.pupils.parentForEdit(request.actor!, pupilId, parentId);
    const data = { pageTitle: 'Change parent or carer details', pupilId, parentId };
    const parsed = parseForm(ParentSchema, request.body);
    if (!parsed.ok) return showFormErrors(reply, PARENT_FORM, data, parsed.errors, request.body);
    await services.pupils.updateParent(request.actor!, pupilId, parentId, toParentInput(parsed.data));
    return reply.flash(`${parsed.data.parentName}’s details saved.`).redirect(`/pupils/${pupilId}`, 303);
  });

  app.post('/pupils/:id/parents/:parentId/remove', async (request, reply) => {
    const pupilId = pupilIdOf(request);
    const name = await services.pupils.removeParent(
      request.actor!,
      pupilId,
      idParam(request, 'parentId', 'Parent or carer not found'),
    );
    return reply
      .flash(`${name} has been removed from the pupil’s record.`)
      .redirect(`/pupils/${pupilId}`, 303);
  });

  app.post('/pupils/:id/staff', async (request, reply) => {
    const pupilId = pupilIdOf(request);
    const assignable = await services.pupils.assignableStaff(request.actor!);
    const userId = String((request.body as FormBody)?.userId ?? '');
    if (!isUuid(userId) || !assignable.some((s) => s.userId === userId)) {
      return reply.flash('Select a teaching assistant to add.').redirect(`/pupils/${pupilId}#staff`, 303);
    }
    await services.pupils.assignStaff(request.actor!, pupilId, userId);
    return reply.flash('Teaching assistant added.').redirect(`/pupils/${pupilId}#staff`, 303);
  });

  app.post('/pupils/:id/staff/:userId/remove', async (request, reply) => {
    const pupilId = pupilIdOf(request);
    const userId = idParam(request, 'userId', 'Not found');
    await services.pupils.unassignStaff(request.actor!, pupilId, userId);
    return reply.flash('Teaching assistant removed.').redirect(`/pupils/${pupilId}#staff`, 303);
  });
}
