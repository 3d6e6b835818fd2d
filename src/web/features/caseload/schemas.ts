import { z } from 'zod';
import { ADVICE_SOURCES, CASE_DECISIONS, EXCEPTION_GROUNDS } from '../../../domain/ehc.ts';
import { dateField, parseWithDates } from '../../forms/dates.ts';
import { checkbox, choice, isUuid, optionalText, version } from '../../forms/fields.ts';

/*
 * The caseload's forms, parsed: every date as three fields, every choice from its list, every text
 * checked for length and hidden control characters. The service checks the rules again (dates in order,
 * not in the future, the decision the stage allows).
 */

const keys = <T extends object>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

const optionalId = (message: string) =>
  z
    .string({ error: message })
    .optional()
    .refine((v) => v === undefined || v === '' || isUuid(v), message)
    .transform((v) => (v ? v.toLowerCase() : null));

export function parseDecision(body: unknown) {
  return parseWithDates(
    {
      version: version(),
      kind: choice(keys(CASE_DECISIONS), 'Choose the decision'),
      reasons: optionalText('The reasons', { max: 5000, multiline: true }),
      panelNotes: optionalText('The panel’s notes', { max: 5000, multiline: true }),
    },
    {
      decidedOn: dateField('decidedOn', 'Date of the decision'),
      parentsToldOn: dateField('parentsToldOn', 'Date the parents were told', { optional: true }),
    },
    body,
  );
}

export function parseAdvice(body: unknown) {
  return parseWithDates(
    {
      version: version(),
      source: choice(keys(ADVICE_SOURCES), 'Choose who the advice is asked of'),
      askedOf: optionalText('Who was asked', { max: 200 }),
      schoolId: optionalId('Choose one of the authority’s schools, or none'),
      alreadyHeld: checkbox(),
      note: optionalText('The note', { max: 5000, multiline: true }),
    },
    {
      requestedOn: dateField('requestedOn', 'Date the advice was asked for', { optional: true }),
      receivedOn: dateField('receivedOn', 'Date the advice came', { optional: true }),
    },
    body,
  );
}

export function parseAdviceChange(body: unknown) {
  return parseWithDates(
    { version: version(), note: optionalText('The note', { max: 5000, multiline: true }) },
    {
      requestedOn: dateField('requestedOn', 'Date the advice was asked for', { optional: true }),
      receivedOn: dateField('receivedOn', 'Date the advice came', { optional: true }),
    },
    body,
  );
}

export function parseException(body: unknown) {
  return parseWithDates(
    {
      version: version(),
      ground: choice(keys(EXCEPTION_GROUNDS), 'Choose the ground of the exception'),
      note: optionalText('The note', { max: 5000, multiline: true }),
    },
    {
      startsOn: dateField('startsOn', 'Date it began'),
      endsOn: dateField('endsOn', 'Date it ended', { optional: true }),
    },
    body,
  );
}

export function parseExceptionEnd(body: unknown) {
  return parseWithDates({}, { endsOn: dateField('endsOn', 'Date it ended') }, body);
}

export function parseDates(body: unknown) {
  return parseWithDates(
    {
      version: version(),
      caseworkerUserId: optionalId('Choose one of the authority’s caseworkers'),
      withdrawn: checkbox(),
    },
    {
      draftSentOn: dateField('draftSentOn', 'Date the draft plan was served', { optional: true }),
      finalIssuedOn: dateField('finalIssuedOn', 'Date the final plan was issued', { optional: true }),
    },
    body,
  );
}

export function parseClosure(body: unknown) {
  return parseWithDates(
    { note: optionalText('The note', { max: 200 }) },
    {
      firstDay: dateField('firstDay', 'First day closed'),
      lastDay: dateField('lastDay', 'Last day closed'),
    },
    body,
  );
}
