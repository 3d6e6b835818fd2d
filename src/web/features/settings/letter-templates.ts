import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { LETTER_KIND_LABELS, LETTER_KINDS, MERGE_FIELDS } from '../../../domain/letters.ts';
import type { Services } from '../../../services/index.ts';
import { formRoute } from '../../form-route.ts';
import { parseForm } from '../../forms/errors.ts';
import { choice, type FormBody, isUuid, optionalText, text, version } from '../../forms/fields.ts';
import { idParam } from '../../params.ts';
import { paths } from '../../paths.ts';

const TEMPLATE_FORM = 'features/settings/views/letter-template.njk';

const templateShape = {
  name: text('Name', { max: 120, requiredMessage: 'Enter a name for the letter' }),
  body: text('Letter', { max: 10_000, multiline: true, requiredMessage: 'Enter the text of the letter' }),
  slip: optionalText('Reply slip', { max: 4000, multiline: true }),
  previewPupilId: z
    .string({ error: 'Choose a pupil from the list' })
    .optional()
    .refine((v) => !v || isUuid(v), 'Choose a pupil from the list')
    .transform((v) => v || null),
};
const ChangeSchema = z.object({ ...templateShape, version: version() });
const NewSchema = z.object({
  ...templateShape,
  kind: choice(LETTER_KINDS, 'Choose what the letter is for'),
});

const mergeFields = Object.entries(MERGE_FIELDS).map(([name, meaning]) => ({ name: `{{${name}}}`, meaning }));

/** The school's letter templates (settings.manage): change one with a preview, or add one. */
export function letterTemplateRoutes(app: FastifyInstance, services: Services) {
  const templateIdOf = (request: FastifyRequest) => idParam(request, 'templateId');

  formRoute(app, {
    path: paths.letterTemplate,
    template: TEMPLATE_FORM,
    async load(request) {
      const found = await services.letters.templateForEdit(request.actor!, templateIdOf(request));
      const t = found.template!;
      return {
        pageTitle: `Change the letter: ${t.name}`,
        ...found,
        template: t,
        kindLabel: LETTER_KIND_LABELS[t.kind],
        version: t.version,
        mergeFields,
        action: paths.letterTemplate.to({ templateId: t.id }),
      };
    },
    initial: ({ template: t }) => ({
      name: t.name,
      body: t.body,
      slip: t.slip ?? '',
      version: String(t.version),
    }),
    parse: (body: FormBody) => parseForm(ChangeSchema, body),
    preview: (request, input) =>
      services.letters.previewTemplate(request.actor!, input, input.previewPupilId),
    submit: (request, input) =>
      services.letters.saveTemplate(request.actor!, templateIdOf(request), input.version, {
        name: input.name,
        body: input.body,
        slip: input.slip,
      }),
    done: (_r, input) => ({
      redirect: paths.settings.to('#letter-templates'),
      flash: `${input.name} saved.`,
    }),
  });

  formRoute(app, {
    path: paths.letterTemplateNew,
    template: TEMPLATE_FORM,
    anchors: { kind: 'kind' },
    async load(request) {
      const found = await services.letters.templateForEdit(request.actor!, null);
      return {
        pageTitle: 'Add a letter',
        ...found,
        kindOptions: LETTER_KINDS.map((k) => ({ value: k, text: LETTER_KIND_LABELS[k] })),
        mergeFields,
        action: paths.letterTemplateNew.to(),
      };
    },
    initial: () => ({ kind: 'other' }),
    parse: (body: FormBody) => parseForm(NewSchema, body),
    preview: (request, input) =>
      services.letters.previewTemplate(request.actor!, input, input.previewPupilId),
    submit: (request, input) =>
      services.letters.addTemplate(request.actor!, input.kind, {
        name: input.name,
        body: input.body,
        slip: input.slip,
      }),
    done: (_r, input) => ({
      redirect: paths.settings.to('#letter-templates'),
      flash: `${input.name} added.`,
    }),
  });
}
