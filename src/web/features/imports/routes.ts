import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isImportField } from '../../../domain/imports/fields.ts';
import type { Services } from '../../../services/index.ts';
import type { FieldError } from '../../../services/kernel/errors.ts';
import { dateAnchors, formRoute } from '../../form-route.ts';
import { dateFromFields } from '../../forms/dates.ts';
import { parseForm } from '../../forms/errors.ts';
import { type FormBody, hasControlCharacters, idList, version } from '../../forms/fields.ts';
import { fileFrom } from '../../forms/upload.ts';
import { idParam } from '../../params.ts';
import { paths } from '../../paths.ts';
import {
  columnsPageModel,
  discardedPageModel,
  fieldOptions,
  previewPageModel,
  SHOWN,
  uploadPageModel,
} from './view-models.ts';

/**
 * Pupils in from the MIS: upload a CSV file, choose what unknown columns hold, check the preview,
 * apply it (or discard it). Each page asks the service, which checks the pupils.import capability.
 */
const importIdOf = (request: FastifyRequest) => idParam(request, 'importId');

const VersionSchema = z.object({ version: version() });
const ApplySchema = z.object({
  version: version(),
  leavers: idList('Select pupils from the list of pupils missing from the file'),
  // Sent with the parental-responsibility question: without it, the form never showed one.
  responsibilityAsked: z.literal('1').optional(),
  responsibility: z
    .union([z.string(), z.array(z.string())], { error: 'Choose relationships from the list' })
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .refine(
      (list) => list.length <= 200 && list.every((k) => k.length <= 60 && !hasControlCharacters(k)),
      'Choose relationships from the list',
    ),
});

/** The mapping screen's choices, by column: `column-3` = a field, "ignore", or nothing chosen. */
function parseColumns(body: FormBody) {
  const errors: FieldError[] = [];
  const choices: (string | null)[] = [];
  for (const [key, value] of Object.entries(body)) {
    const match = /^column-(\d{1,3})$/.exec(key);
    if (!match) continue;
    const index = Number(match[1]);
    if (typeof value !== 'string' || (value !== '' && value !== 'ignore' && !isImportField(value))) {
      errors.push({ field: key, message: 'Choose from the list' });
      continue;
    }
    choices[index] = value === '' ? null : value;
  }
  const v = parseForm(VersionSchema, body);
  if (!v.ok) errors.unshift(...v.errors);
  if (errors.length > 0 || !v.ok) return { ok: false as const, errors };
  return {
    ok: true as const,
    data: { version: v.data.version, choices: Array.from(choices, (c) => c ?? null) },
  };
}

export async function importRoutes(app: FastifyInstance, services: Services) {
  formRoute(app, {
    path: paths.importPupils,
    template: 'features/imports/views/upload.njk',
    async load(request) {
      const overview = await services.imports.overview(request.actor!);
      return { pageTitle: 'Import pupils from the MIS', ...uploadPageModel(overview) };
    },
    parse: (body) => {
      const file = fileFrom(body as Record<string, unknown>, 'file', 'a CSV file');
      return file.ok
        ? { ok: true as const, data: file.file }
        : { ok: false as const, errors: [{ field: 'file', message: file.message }] };
    },
    submit: (request, file) =>
      services.imports.upload(request.actor!, { fileName: file.fileName, data: file.data }),
    done: (result) => ({
      redirect: result.needsMapping
        ? paths.importPupilsColumns.to({ importId: result.importId })
        : paths.importPupilsPreview.to({ importId: result.importId }),
    }),
    forget: ['file'],
  });

  formRoute(app, {
    path: paths.importPupilsColumns,
    template: 'features/imports/views/columns.njk',
    async load(request) {
      const data = await services.imports.columns(request.actor!, importIdOf(request));
      return {
        pageTitle: 'Choose what each column holds',
        version: 'version' in data ? data.version : undefined,
        fieldOptions,
        ...columnsPageModel(data),
      };
    },
    initial: (data) => ({
      version: String(data.version ?? ''),
      ...Object.fromEntries(
        [...data.unknown, ...data.recognised].map((c) => [`column-${c.index}`, c.choice ?? '']),
      ),
    }),
    parse: (body) => parseColumns(body),
    submit: (request, input) =>
      services.imports.mapColumns(request.actor!, importIdOf(request), input.version, input.choices),
    done: (_counts, _input, request) => ({
      redirect: paths.importPupilsPreview.to({ importId: importIdOf(request) }),
    }),
  });

  formRoute(app, {
    path: paths.importPupilsPreview,
    template: 'features/imports/views/preview.njk',
    anchors: { ...dateAnchors('leftOn'), leavers: 'leavers', responsibility: 'responsibility' },
    async load(request, { audit }) {
      const page = await services.imports.preview(request.actor!, importIdOf(request), {
        audit,
        shown: SHOWN,
      });
      if (page.stage === 'discarded') {
        return {
          pageTitle: `${page.import.fileName}: discarded`,
          stage: 'discarded',
          ...discardedPageModel(page.import),
        };
      }
      if (page.stage === 'mapping') {
        return {
          pageTitle: `Choose the columns of ${page.import.fileName}`,
          stage: 'mapping',
          importId: page.import.id,
        };
      }
      return {
        pageTitle: `Check the pupils from ${page.import.fileName}`,
        stage: 'preview',
        version: page.version,
        ...previewPageModel(page, services.clock.today()),
      };
    },
    initial: (data) => ({
      version: String('version' in data ? data.version : ''),
      ...('responsibility' in data && data.responsibility
        ? {
            responsibilityAsked: '1',
            responsibility: data.responsibility.kinds.filter((k) => k.usual).map((k) => k.kind),
          }
        : {}),
    }),
    parse: (body) => {
      const parsed = parseForm(ApplySchema, body);
      const leftOn = dateFromFields(body, 'leftOn', 'Date they left', { optional: true });
      const errors = [
        ...(parsed.ok ? [] : parsed.errors),
        ...(leftOn.error ? [{ field: 'leftOn', message: leftOn.error }] : []),
      ];
      if (!parsed.ok || leftOn.error) return { ok: false as const, errors };
      return { ok: true as const, data: { ...parsed.data, leftOn: leftOn.value } };
    },
    submit: (request, input) =>
      services.imports.apply(
        request.actor!,
        importIdOf(request),
        input.version,
        { pupilIds: input.leavers, leftOn: input.leftOn },
        input.responsibilityAsked ? input.responsibility : undefined,
      ),
    done: (result, _input, request) => ({
      redirect: paths.importPupilsPreview.to({ importId: importIdOf(request) }),
      flash: `The import is applied: ${result.new} ${result.new === 1 ? 'pupil' : 'pupils'} added, ${result.changed} updated${result.left ? `, ${result.left} marked as left` : ''}.`,
    }),
  });

  app.post(paths.importPupilsDiscard.pattern, async (request, reply) => {
    await services.imports.discard(request.actor!, importIdOf(request));
    return reply
      .flash('The import is discarded: nothing in it was applied.')
      .redirect(paths.importPupils.to(), 303);
  });
}
