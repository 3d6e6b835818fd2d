import { z } from 'zod';
import type { IsoDate } from '../../../domain/dates.ts';
import { RETENTION_YEARS_RANGE, type RetentionYears } from '../../../domain/retention.ts';
import type { KeepInput } from '../../../services/retention/index.ts';
import { dateField, parseWithDates } from '../../forms/dates.ts';
import { type Parsed, parseForm } from '../../forms/errors.ts';
import { type FormBody, text, version, versionOrNew, wholeNumber } from '../../forms/fields.ts';

export function parseKeep(body: FormBody): Parsed<KeepInput> {
  const result = parseWithDates(
    {
      version: version(),
      reason: text('The reason', {
        max: 500,
        multiline: true,
        requiredMessage: 'Enter why the record is kept, for example a legal hold',
      }),
    },
    {
      lookAgainOn: dateField('lookAgainOn', 'The date to look again', {
        requiredMessage: 'Enter the date to look at the record again',
      }),
    },
    body,
  );
  if (!result.ok) return result;
  return {
    ok: true,
    data: {
      version: result.data.version,
      reason: result.data.reason,
      lookAgainOn: result.data.lookAgainOn as IsoDate,
    },
  };
}

const EraseSchema = z.object({
  version: version(),
  // Only the box's own value confirms an erasure that cannot be undone.
  confirm: z.unknown().refine((v) => v === 'yes', 'Confirm that the record is to be erased'),
});

export function parseErase(body: FormBody): Parsed<{ version: number }> {
  const result = parseForm(EraseSchema, body);
  if (!result.ok) return result;
  return { ok: true, data: { version: result.data.version } };
}

const { min, max } = RETENTION_YEARS_RANGE;
const YearsSchema = z.object({
  retentionYears: wholeNumber(
    min,
    max,
    `Enter the years the pupil’s record is kept, a number from ${min} to ${max}`,
  ),
  senRetentionYears: wholeNumber(
    min,
    max,
    `Enter the years the SEN file is kept, a number from ${min} to ${max}`,
  ),
  version: versionOrNew(),
});

export function parseYears(body: FormBody): Parsed<RetentionYears & { version: number }> {
  const result = parseForm(YearsSchema, body);
  if (!result.ok) return result;
  return {
    ok: true,
    data: {
      pupil: result.data.retentionYears,
      sen: result.data.senRetentionYears,
      version: result.data.version,
    },
  };
}
