import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../../services/errors.ts';
import type { Services } from '../../../services/index.ts';
import { parseForm } from '../../forms.ts';
import { cookieOptions, SESSION_COOKIE } from '../../plugins/session.ts';
import { showFormErrors, submitForm } from '../../render.ts';
import { PHASE_LABELS, PHASES, SetupSchema } from './schemas.ts';

const TEMPLATE = 'features/setup/views/setup.njk';
const pageData = () => ({
  pageTitle: 'Set up OpenSEND for your school',
  phases: PHASES.map((p) => ({ value: p, text: PHASE_LABELS[p] })),
});

export async function setupRoutes(app: FastifyInstance, services: Services) {
  app.get('/setup', async (_request, reply) => {
    if (!(await services.setup.needsSetup())) throw new NotFoundError();
    return reply.page(TEMPLATE, pageData());
  });

  app.post('/setup', async (request, reply) => {
    if (!(await services.setup.needsSetup())) throw new NotFoundError();
    const parsed = parseForm(SetupSchema, request.body);
    const values = { ...(request.body as object), password: '', confirmPassword: '' };
    if (!parsed.ok) return showFormErrors(reply, TEMPLATE, pageData(), parsed.errors, values);
    const { confirmPassword: _, ...input } = parsed.data;
    const done = await submitForm(reply, TEMPLATE, pageData(), values, () =>
      services.setup.setUpSchool(input, request.id),
    );
    if (!done.ok) return done.response;
    const signedIn = await services.auth.signIn(input.sencoEmail, input.password, request.id);
    if (signedIn.ok) reply.setCookie(SESSION_COOKIE, signedIn.token, cookieOptions(request));
    return reply.flash(`${input.schoolName} is set up. You are signed in as its SENCo.`).redirect('/', 303);
  });
}
