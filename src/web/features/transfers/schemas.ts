import { z } from 'zod';
import { type CtfSchoolRef, parseDfeNumber } from '../../../domain/ctf/model.ts';
import type { IsoDate } from '../../../domain/dates.ts';
import { formatDate } from '../../../domain/dates.ts';
import { isUrn, termEnd } from '../../../domain/leavers.ts';
import type { LeavingInput } from '../../../services/transfers/index.ts';
import { dateField, parseWithDates } from '../../forms/dates.ts';
import type { Parsed } from '../../forms/errors.ts';
import { parseForm } from '../../forms/errors.ts';
import { type FormBody, idList, optionalText, version } from '../../forms/fields.ts';
import { fileFrom, type UploadedFile } from '../../forms/upload.ts';

/** The upload form: one file, which must be there and not empty (the service reads it). */
export function parseCtfUpload(body: FormBody): Parsed<UploadedFile> {
  const found = fileFrom(body as Record<string, unknown>, 'file', 'the Common Transfer File (.xml)');
  return found.ok
    ? { ok: true, data: found.file }
    : { ok: false, errors: [{ field: 'file', message: found.message }] };
}

const ApplySchema = z.object({
  version: version(),
  history: idList('Select pupils from the list'),
});

export function parseApply(body: FormBody): Parsed<{ version: number; historyFor: string[] }> {
  const parsed = parseForm(ApplySchema, body);
  return parsed.ok
    ? { ok: true, data: { version: parsed.data.version, historyFor: parsed.data.history } }
    : parsed;
}

const ExportSchema = z.object({
  pupilIds: idList('Select pupils from the list of leavers').refine(
    (ids) => ids.length > 0,
    'Select the pupils the file is for',
  ),
  dfeNumber: optionalText('DfE number', { max: 20 }).refine(
    (v) => v === null || parseDfeNumber(v) !== null,
    'Enter the DfE number as 7 numbers, like 888 4321, or leave it blank',
  ),
});

export function parseExport(
  body: FormBody,
): Parsed<{ pupilIds: string[]; destination: CtfSchoolRef | null }> {
  const parsed = parseForm(ExportSchema, body);
  if (!parsed.ok) return parsed;
  const { pupilIds, dfeNumber } = parsed.data;
  return { ok: true, data: { pupilIds, destination: dfeNumber ? parseDfeNumber(dfeNumber) : null } };
}

const leavingShape = {
  version: version(),
  destination: optionalText('School they are going to', { max: 200 }),
  destinationUrn: optionalText('URN', { max: 20 })
    .transform((v) => (v === null ? null : v.replace(/\s+/g, '')))
    .refine((v) => v === null || isUrn(v), 'The URN must be 6 numbers, like 123456, or leave it blank'),
};

export function parseLeaving(body: FormBody, today: () => IsoDate): Parsed<LeavingInput> {
  const result = parseWithDates(
    leavingShape,
    {
      // The end of term is checked here too (the service checks it again), so every problem shows at once.
      leftOn: dateField('leftOn', 'Leaving date', {
        requiredMessage: 'Enter the date the pupil left, or leaves',
        today: () => termEnd(today()),
        notInFuture: `The leaving date can be no later than the end of this term (${formatDate(termEnd(today()))}): record it nearer the time`,
      }),
    },
    body,
  );
  if (!result.ok) return result;
  const d = result.data;
  return {
    ok: true,
    data: {
      version: d.version,
      leftOn: d.leftOn as IsoDate,
      destination: d.destination,
      destinationUrn: d.destinationUrn,
    },
  };
}
