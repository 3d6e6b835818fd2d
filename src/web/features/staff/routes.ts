import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ROLE_LABELS, SCHOOL_ROLES } from '../../../domain/roles.ts';
import type { Services } from '../../../services/index.ts';
import { checkbox, choice, email, type FormBody, isUuid, newPassword, parseForm, text } from '../../forms.ts';
import { idParam } from '../../params.ts';
import { requireSchoolChosen, requireSignIn } from '../../plugins/session.ts';
import { showFormErrors, submitForm } from '../../render.ts';

const NewStaffSchema = z.object({
  name: text('Full name', { max: 120, requiredMessage: 'Enter their full name' }),
  email: email(),
  role: choice(SCHOOL_ROLES, 'Select a role'),
  password: newPassword(),
});

const ChangeStaffSchema = z.object({
  role: choice(SCHOOL_ROLES, 'Select a role'),
  classIds: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .refine((list) => list.every(isUuid), 'Select classes from the list'),
  active: checkbox(),
});

const PasswordSchema = z.object({ password: newPassword() });

const roleOptions = (selected?: string) =>
  SCHOOL_ROLES.map((r) => ({ value: r, text: ROLE_LABELS[r], checked: r === selected }));

export async function staffRoutes(app: FastifyInstance, services: Services) {
  app.addHook('preHandler', requireSignIn);
  app.addHook('preHandler', requireSchoolChosen);

  app.get('/staff', async (request, reply) => {
    const { staff } = await services.staff.list(request.actor!);
    return reply.page('features/staff/views/list.njk', { pageTitle: 'Staff', staff, now: new Date() });
  });

  const NEW_FORM = 'features/staff/views/new.njk';
  app.get('/staff/new', async (request, reply) => {
    services.staff.checkCanManage(request.actor!);
    return reply.page(NEW_FORM, { pageTitle: 'Add a member of staff', roles: roleOptions() });
  });

  app.post('/staff/new', async (request, reply) => {
    services.staff.checkCanManage(request.actor!);
    const body = (request.body ?? {}) as FormBody;
    const values = { ...body, password: '' };
    const data = { pageTitle: 'Add a member of staff', roles: roleOptions(String(body.role ?? '')) };
    const parsed = parseForm(NewStaffSchema, body);
    if (!parsed.ok) return showFormErrors(reply, NEW_FORM, data, parsed.errors, values, { role: 'role' });
    const done = await submitForm(reply, NEW_FORM, data, values, () =>
      services.staff.add(request.actor!, parsed.data),
    );
    if (!done.ok) return done.response;
    return reply
      .flash(
        `${parsed.data.name} can now sign in with their email address and the password you set. Ask them to keep it private.`,
      )
      .redirect(`/staff/${done.result}`, 303);
  });

  const EDIT_FORM = 'features/staff/views/edit.njk';
  const editData = async (request: FastifyRequest, userId: string) => {
    const { member, classIds, classes } = await services.staff.get(request.actor!, userId);
    return {
      pageTitle: member.name,
      member,
      classIds,
      classOptions: classes.map((c) => ({ value: c.id, text: c.name })),
      isSelf: member.userId === request.actor!.userId,
    };
  };

  app.get('/staff/:userId', async (request, reply) => {
    const data = await editData(request, idParam(request, 'userId', 'Staff member not found'));
    return reply.page(EDIT_FORM, {
      ...data,
      roles: roleOptions(data.member.role),
      values: { classIds: data.classIds, active: data.member.disabledAt ? '' : 'yes' },
    });
  });

  app.post('/staff/:userId', async (request, reply) => {
    const userId = idParam(request, 'userId', 'Staff member not found');
    const body = (request.body ?? {}) as FormBody;
    const data = { ...(await editData(request, userId)), roles: roleOptions(String(body.role ?? '')) };
    const parsed = parseForm(ChangeStaffSchema, body);
    if (!parsed.ok) return showFormErrors(reply, EDIT_FORM, data, parsed.errors, body, { role: 'role' });
    const done = await submitForm(
      reply,
      EDIT_FORM,
      data,
      body,
      () => services.staff.change(request.actor!, userId, parsed.data),
      {
        role: 'role',
      },
    );
    if (!done.ok) return done.response;
    return reply.flash('Changes saved.').redirect('/staff', 303);
  });

  app.post('/staff/:userId/password', async (request, reply) => {
    const userId = idParam(request, 'userId', 'Staff member not found');
    const body = (request.body ?? {}) as FormBody;
    const data = await editData(request, userId);
    const page = {
      ...data,
      roles: roleOptions(data.member.role),
      values: { classIds: data.classIds, active: data.member.disabledAt ? '' : 'yes' },
    };
    const parsed = parseForm(PasswordSchema, body);
    if (!parsed.ok) {
      return showFormErrors(reply, EDIT_FORM, page, parsed.errors, page.values);
    }
    await services.staff.resetPassword(request.actor!, userId, parsed.data.password);
    return reply
      .flash(`Password reset for ${data.member.name}. They have been signed out everywhere.`)
      .redirect(`/staff/${userId}`, 303);
  });
}
