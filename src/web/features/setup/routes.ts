import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { NotFoundError } from '../../../services/kernel/errors.ts';
import { formRoute } from '../../form-route.ts';
import { parseForm } from '../../forms/errors.ts';
import { paths } from '../../paths.ts';
import { cookieOptions, SESSION_COOKIE } from '../../plugins/session.ts';
import { PHASE_LABELS, PHASES, SetupSchema } from './schemas.ts';

export async function setupRoutes(app: FastifyInstance, services: Services) {
  formRoute(app, {
    path: paths.setup,
    template: 'features/setup/views/setup.njk',
    forget: ['password', 'confirmPassword'],
    async load() {
      if (!(await services.setup.needsSetup())) throw new NotFoundError();
      return {
        pageTitle: 'Set up OpenSEND for your school',
        phases: PHASES.map((p) => ({ value: p, text: PHASE_LABELS[p] })),
      };
    },
    parse: (body) => parseForm(SetupSchema, body),
    async submit(request, data) {
      const { confirmPassword: _, ...input } = data;
      await services.setup.setUpSchool(input, request.id);
      return services.auth.signIn(
        { email: input.sencoEmail, password: input.password, address: request.ip },
        request.id,
      );
    },
    done(signedIn, input, request, reply) {
      if (signedIn.ok) reply.setCookie(SESSION_COOKIE, signedIn.token, cookieOptions(request));
      return {
        redirect: paths.home.to(),
        flash: `${input.schoolName} is set up. You are signed in as its SENCo.`,
      };
    },
  });
}
