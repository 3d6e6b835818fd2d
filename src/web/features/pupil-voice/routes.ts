import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PUPIL_VOICE_KINDS, type PupilVoiceKind } from '../../../domain/family.ts';
import { checkPupilVoice, ownWordsHeading, pupilVoiceFormValues } from '../../../domain/pupil-voice.ts';
import { pupilVoiceFormModel, pupilVoiceShown } from '../../../presenters/pupil-voice.ts';
import type { Services } from '../../../services/index.ts';
import type { PupilVoiceInput } from '../../../services/pupil-voice/index.ts';
import { formRoute } from '../../form-route.ts';
import type { Parsed } from '../../forms/errors.ts';
import { type FormBody, isUuid } from '../../forms/fields.ts';
import { idParam, pupilIdOf } from '../../params.ts';
import { paths } from '../../paths.ts';

const VIEWS = 'features/pupil-voice/views';

/** The version a form carries: a whole number, else the form is refused (it was not sent by the page). */
function versionOf(body: FormBody): number | null {
  const v = body.version;
  return typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : null;
}

function parseAnswers(kind: PupilVoiceKind, body: FormBody): Parsed<PupilVoiceInput & { version: number }> {
  const version = versionOf(body);
  const checked = checkPupilVoice(kind, body);
  if (!checked.ok) return { ok: false, errors: checked.problems };
  if (version === null)
    return { ok: false, errors: [{ field: 'form', message: 'The form was not sent whole: open it again' }] };
  return { ok: true, data: { answers: checked.answers, writtenWith: checked.writtenWith, version } };
}

const pupilName = (p: { forename: string; preferredName?: string | null }) =>
  p.preferredName?.trim() || p.forename;

/**
 * The pupil's own voice (docs/adr/0039): their one-page profile and their views before a review,
 * written with an adult at school, on a form made for a child. The pupil has no account: the adult signs in.
 */
export async function pupilVoiceRoutes(app: FastifyInstance, services: Services) {
  const voiceIdOf = (request: FastifyRequest) => idParam(request, 'pupilVoiceId');
  const query = (request: FastifyRequest) => request.query as Record<string, unknown>;
  /** What the new form is for, from its address: a kind, and for a review the plan. */
  const newFor = (request: FastifyRequest) => {
    const q = query(request);
    const kind: PupilVoiceKind = PUPIL_VOICE_KINDS.includes(q.kind as PupilVoiceKind)
      ? (q.kind as PupilVoiceKind)
      : 'one_page_profile';
    return { kind, planId: kind === 'review_views' && isUuid(q.plan) ? q.plan.toLowerCase() : null };
  };

  app.get(paths.pupilVoice.pattern, async (request, reply) => {
    const found = await services.pupilVoice.list(request.actor!, pupilIdOf(request));
    const name = pupilName(found.pupil);
    return reply.page(`${VIEWS}/list.njk`, {
      pageTitle: `${name}’s own words`,
      pupil: found.pupil,
      name,
      heading: ownWordsHeading(found.pupil),
      voices: found.voices.map((v) => ({ ...pupilVoiceShown(v), planCycle: v.planCycle })),
      mayWrite: found.mayWrite,
      plansAwaitingViews: found.plansAwaitingViews,
    });
  });

  formRoute(app, {
    path: paths.pupilVoiceNew,
    template: `${VIEWS}/form.njk`,
    async load(request, { audit }) {
      const found = await services.pupilVoice.forNew(request.actor!, pupilIdOf(request), { audit });
      const { kind, planId } = newFor(request);
      const plan = found.plansAwaitingViews.find((p) => p.id === planId) ?? null;
      const name = pupilName(found.pupil);
      return {
        pageTitle: kind === 'one_page_profile' ? `All about me: ${name}` : `What I think: ${name}`,
        pupil: found.pupil,
        name,
        kind,
        plan,
        plansAwaitingViews: found.plansAwaitingViews,
        questions: pupilVoiceFormModel(kind),
        // The profile is the form's own kind (no query); a review's views carry their plan.
        action:
          kind === 'review_views'
            ? paths.pupilVoiceNew.to({ pupilId: found.pupil.id }, { kind, plan: planId ?? undefined })
            : paths.pupilVoiceNew.to({ pupilId: found.pupil.id }),
        version: 0,
      };
    },
    initial: () => ({ version: '0' }),
    parse: (body, request) => parseAnswers(newFor(request).kind, body),
    submit: (request, { version: _v, ...input }) => {
      const { kind, planId } = newFor(request);
      return services.pupilVoice.record(request.actor!, pupilIdOf(request), kind, planId, input);
    },
    done: (_id, _d, request) => ({
      redirect: paths.pupilVoice.to({ pupilId: pupilIdOf(request) }),
      flash: 'Saved in their own words.',
    }),
  });

  formRoute(app, {
    path: paths.pupilVoiceEdit,
    template: `${VIEWS}/form.njk`,
    async load(request, { audit }) {
      const found = await services.pupilVoice.forEdit(
        request.actor!,
        pupilIdOf(request),
        voiceIdOf(request),
        {
          audit,
        },
      );
      const { voice } = found;
      const name = pupilName(found.pupil);
      return {
        pageTitle: voice.kind === 'one_page_profile' ? `All about me: ${name}` : `What I think: ${name}`,
        pupil: found.pupil,
        name,
        kind: voice.kind,
        plan: voice.planId ? { id: voice.planId, cycle: voice.planCycle } : null,
        questions: pupilVoiceFormModel(voice.kind),
        saved: pupilVoiceShown(voice),
        savedValues: pupilVoiceFormValues(voice.kind, voice.answers, voice.writtenWith),
        action: paths.pupilVoiceEdit.to({ pupilId: found.pupil.id, pupilVoiceId: voice.id }),
        version: voice.version,
        editing: true,
      };
    },
    initial: (data) => ({
      ...data.savedValues,
      version: String(data.version),
    }),
    async parse(body, request) {
      const found = await services.pupilVoice.forEdit(
        request.actor!,
        pupilIdOf(request),
        voiceIdOf(request),
        {
          audit: false,
        },
      );
      return parseAnswers(found.voice.kind, body);
    },
    submit: (request, { version, ...input }) =>
      services.pupilVoice.change(request.actor!, pupilIdOf(request), voiceIdOf(request), version, input),
    conflictAnchor: 'saved-by-someone-else',
    done: (_r, _d, request) => ({
      redirect: paths.pupilVoice.to({ pupilId: pupilIdOf(request) }),
      flash: 'Saved in their own words.',
    }),
  });
}
