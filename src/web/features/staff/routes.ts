import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SCHOOL_ROLES, type SchoolRole } from '../../../domain/access.ts';
import type { Services } from '../../../services/index.ts';
import { formRoute } from '../../form-route.ts';
import { parseForm } from '../../forms/errors.ts';
import { checkboxes, email, idList, newPassword, text, version } from '../../forms/fields.ts';
import { idParam } from '../../params.ts';
import { paths } from '../../paths.ts';

const ROLES_MESSAGE = 'Select roles from the list';

const NewStaffSchema = z.object({
  name: text('Full name', { max: 120, requiredMessage: 'Enter their full name' }),
  email: email(),
  roles: checkboxes(SCHOOL_ROLES, ROLES_MESSAGE).refine((r) => r.length > 0, 'Select at least one role'),
  // Only used when the email is new to OpenSEND: someone who already has an account is invited instead.
  password: z.unknown().optional(),
});

const ChangeStaffSchema = z.object({
  roles: checkboxes(SCHOOL_ROLES, ROLES_MESSAGE).refine(
    (r) => r.length > 0,
    'Select at least one role (to take every role away, remove them from the school)',
  ),
  classIds: idList('Select classes from the list'),
  version: version(),
});

const PasswordSchema = z.object({ password: newPassword() });

export async function staffRoutes(app: FastifyInstance, services: Services) {
  app.get(paths.staff.pattern, async (request, reply) => {
    const { staff, invitations } = await services.staff.list(request.actor!);
    return reply.page('features/staff/views/list.njk', { pageTitle: 'Staff', staff, invitations });
  });

  formRoute(app, {
    path: paths.staffNew,
    template: 'features/staff/views/new.njk',
    anchors: { roles: 'roles' },
    forget: ['password'],
    async load(request) {
      services.staff.checkCanManage(request.actor!);
      return { pageTitle: 'Add a member of staff' };
    },
    parse: (body) => {
      const parsed = parseForm(NewStaffSchema, body);
      if (!parsed.ok) return parsed;
      const pw = parseForm(PasswordSchema, body);
      // The password is checked only for a new account: the service decides which this is.
      return {
        ok: true as const,
        data: {
          ...parsed.data,
          password: pw.ok ? pw.data.password : null,
          passwordErrors: pw.ok ? [] : pw.errors,
        },
      };
    },
    async submit(request, input) {
      return services.staff.add(request.actor!, {
        name: input.name,
        email: input.email,
        roles: input.roles as SchoolRole[],
        password: input.password,
        passwordProblem: input.passwordErrors[0]?.message ?? null,
      });
    },
    done: (result, input) =>
      result.kind === 'added'
        ? {
            redirect: paths.staffMember.to({ staffId: result.userId }),
            flash: `${input.name} can now sign in with their email address and the password you set. They will be asked to choose their own password straight away.`,
          }
        : {
            redirect: paths.staff.to(),
            flash: `${input.email} already has an OpenSEND account, so they have been invited instead. They will join the school when they accept, next time they sign in.`,
          },
  });

  async function memberPage(request: import('fastify').FastifyRequest) {
    const staffId = idParam(request, 'staffId');
    const { member, classIds, classes, actions } = await services.staff.get(request.actor!, staffId);
    return {
      pageTitle: member.name,
      member,
      version: member.version,
      currentClassIds: classIds,
      actions,
      classOptions: classes.map((c) => ({ value: c.id, text: c.name })),
      isSelf: member.userId === request.actor!.userId,
    };
  }

  formRoute(app, {
    path: paths.staffMember,
    template: 'features/staff/views/edit.njk',
    anchors: { roles: 'roles', classIds: 'classIds' },
    load: (request) => memberPage(request),
    initial: (data) => ({
      roles: data.member.roles,
      classIds: data.currentClassIds,
      version: String(data.member.version),
    }),
    parse: (body) => parseForm(ChangeStaffSchema, body),
    submit: (request, input) =>
      services.staff.change(request.actor!, idParam(request, 'staffId'), {
        roles: input.roles as SchoolRole[],
        classIds: input.classIds,
        version: input.version,
      }),
    done: () => ({ redirect: paths.staff.to(), flash: 'Changes saved.' }),
  });

  formRoute(app, {
    path: paths.staffPassword,
    template: 'features/staff/views/edit.njk',
    forget: ['password'],
    load: (request) => memberPage(request),
    parse: (body) => parseForm(PasswordSchema, body),
    submit: (request, input) =>
      services.staff.resetPassword(request.actor!, idParam(request, 'staffId'), input.password),
    done: (name, _i, request) => ({
      redirect: paths.staffMember.to({ staffId: idParam(request, 'staffId') }),
      flash: `Password reset for ${name}. They have been signed out everywhere, and must choose their own password when they next sign in.`,
    }),
  });

  app.post(paths.staffSignIn.pattern, async (request, reply) => {
    const staffId = idParam(request, 'staffId');
    const on = (request.body as Record<string, unknown>)?.signIn === 'on';
    await services.staff.setSignIn(request.actor!, staffId, on);
    return reply
      .flash(on ? 'They can sign in again.' : 'Their sign-in is turned off and they have been signed out.')
      .redirect(paths.staffMember.to({ staffId }), 303);
  });

  app.post(paths.staffRemove.pattern, async (request, reply) => {
    const name = await services.staff.remove(request.actor!, idParam(request, 'staffId'));
    return reply
      .flash(`${name} has been removed from this school. Their history stays in the records.`)
      .redirect(paths.staff.to(), 303);
  });

  app.post(paths.invitationWithdraw.pattern, async (request, reply) => {
    await services.staff.withdrawInvitation(request.actor!, idParam(request, 'invitationId'));
    return reply.flash('Invitation withdrawn.').redirect(paths.staff.to(), 303);
  });
}
