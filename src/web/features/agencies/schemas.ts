import { z } from 'zod';
import {
  type AgencyInput,
  MAX_WAIT_WEEKS,
  type ProfessionalInput,
  SERVICE_KINDS,
} from '../../../domain/agencies.ts';
import { parseForm } from '../../forms/errors.ts';
import { choice, optionalEmail, optionalText, text, version } from '../../forms/fields.ts';

/** The typical wait as typed: empty, or a whole number of weeks (a minus sign or a point gets the message). */
const waitWeeks = () => {
  const message = `Enter the typical wait as a whole number of weeks from 0 to ${MAX_WAIT_WEEKS}, like 12`;
  return z
    .string({ error: message })
    .optional()
    .transform((v) => (v ?? '').trim())
    .refine((v) => v === '' || (/^\d{1,6}$/.test(v) && Number(v) <= MAX_WAIT_WEEKS), message)
    .transform((v) => (v === '' ? null : Number(v)));
};

const agencyShape = {
  name: text('Name of the service', { max: 120, requiredMessage: 'Enter the name of the service' }),
  serviceKind: choice(SERVICE_KINDS, 'Select the kind of service from the list'),
  contactName: optionalText('Contact name', { max: 120 }),
  email: optionalEmail('Email address'),
  phone: optionalText('Phone number', { max: 30 }),
  website: optionalText('Website', { max: 300 }),
  address: optionalText('Address', { max: 500, multiline: true }),
  howToRefer: optionalText('How to refer', { max: 2000, multiline: true }),
  needsFromSchool: optionalText('What the service needs from the school', { max: 2000, multiline: true }),
  typicalWaitWeeks: waitWeeks(),
};

export function parseAgency(body: unknown) {
  const parsed = parseForm(z.object(agencyShape), body);
  if (!parsed.ok) return parsed;
  return { ok: true as const, data: parsed.data satisfies AgencyInput };
}

const professionalShape = {
  name: text('Name', { max: 120, requiredMessage: 'Enter the professional’s name' }),
  jobTitle: optionalText('Job title', { max: 120 }),
  email: optionalEmail('Email address'),
};

export function parseProfessional(body: unknown) {
  const parsed = parseForm(z.object(professionalShape), body);
  if (!parsed.ok) return parsed;
  return { ok: true as const, data: parsed.data satisfies ProfessionalInput };
}

export const VersionSchema = z.object({ version: version() });

/** A form and the version of the record it changes, both parsed: every message of both together. */
export function withVersion<T>(
  parsed: { ok: true; data: T } | { ok: false; errors: { field: string; message: string }[] },
  body: unknown,
) {
  const v = parseForm(VersionSchema, body);
  if (!parsed.ok || !v.ok)
    return {
      ok: false as const,
      errors: [...(v.ok ? [] : v.errors), ...(parsed.ok ? [] : parsed.errors)],
    };
  return { ok: true as const, data: { input: parsed.data, version: v.data.version } };
}
