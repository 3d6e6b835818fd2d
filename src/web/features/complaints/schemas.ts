import { z } from 'zod';
import {
  COMPLAINT_KINDS,
  COMPLAINT_OUTCOMES,
  type ComplaintKind,
  type ComplaintOutcome,
  type ComplaintStatus,
  outcomeProblem,
} from '../../../domain/complaints.ts';
import type { IsoDate } from '../../../domain/dates.ts';
import type { ComplaintDetails, NewComplaintInput } from '../../../services/complaints/index.ts';
import { dateField, parseWithDates } from '../../forms/dates.ts';
import { choice, idList, isUuid, optionalText, text, version } from '../../forms/fields.ts';

/** A member of staff or pupil chosen from a list, or nothing ("" for none). */
const optionalId = (message: string) =>
  z
    .string({ error: message })
    .optional()
    .refine((v) => !v || isUuid(v), message)
    .transform((v) => (v ? v.toLowerCase() : null));

const detailShape = {
  kind: choice(COMPLAINT_KINDS, 'Select whether it is a concern or a formal complaint'),
  complainantName: text('The name of the person complaining', {
    max: 120,
    requiredMessage: 'Enter the name of the person complaining',
  }),
  complainantRelationship: optionalText('Their relationship to the school', { max: 80 }),
  pupilId: optionalId('Choose a pupil from the list'),
  summary: text('What the complaint is about', {
    max: 5000,
    multiline: true,
    requiredMessage: 'Say what the complaint is about',
  }),
  aboutUserIds: idList('Choose members of staff from the list'),
};

const receivedOn = (today: () => IsoDate) =>
  dateField('receivedOn', 'Date it was received', {
    requiredMessage: 'Enter the date it was received',
    notInFuture: 'The date it was received must be today or earlier',
    today,
  });

export function parseNewComplaint(body: unknown, today: () => IsoDate) {
  const parsed = parseWithDates(
    { ...detailShape, handledBy: optionalId('Choose who handles it from the list') },
    { receivedOn: receivedOn(today) },
    body,
  );
  if (!parsed.ok) return parsed;
  const input: NewComplaintInput = { ...parsed.data, receivedOn: parsed.data.receivedOn! };
  return { ok: true as const, data: input };
}

export function parseComplaintChange(body: unknown, today: () => IsoDate) {
  const parsed = parseWithDates(
    { ...detailShape, version: version() },
    { receivedOn: receivedOn(today) },
    body,
  );
  if (!parsed.ok) return parsed;
  const { version: v, ...rest } = parsed.data;
  const input: ComplaintDetails & { version: number } = { ...rest, receivedOn: rest.receivedOn!, version: v };
  return { ok: true as const, data: input };
}

export function parseResponse(body: unknown, today: () => IsoDate) {
  const parsed = parseWithDates(
    {
      response: text('The response', { max: 10000, multiline: true, requiredMessage: 'Enter the response' }),
      version: version(),
    },
    {
      respondedOn: dateField('respondedOn', 'Date the response was sent', {
        requiredMessage: 'Enter the date the response was sent',
        notInFuture: 'The date the response was sent must be today or earlier',
        today,
      }),
    },
    body,
  );
  if (!parsed.ok) return parsed;
  return { ok: true as const, data: { ...parsed.data, respondedOn: parsed.data.respondedOn! } };
}

export function parseEscalation(body: unknown, today: () => IsoDate) {
  const parsed = parseWithDates(
    { handledBy: optionalId('Choose who handles it from the list'), version: version() },
    {
      startedOn: dateField('startedOn', 'Date the stage started', {
        requiredMessage: 'Enter the date the stage started',
        notInFuture: 'The date the stage started must be today or earlier',
        today,
      }),
    },
    body,
  );
  if (!parsed.ok) return parsed;
  return { ok: true as const, data: { ...parsed.data, startedOn: parsed.data.startedOn! } };
}

/**
 * The close form. When something is wrong, the checks that need the complaint (`facts`: the outcomes its
 * kind allows, the date it was received) are made too, so every error is shown in one round.
 */
export function parseClose(
  body: unknown,
  today: () => IsoDate,
  facts?: { kind: ComplaintKind; receivedOn: IsoDate },
) {
  const closedOn = dateField('closedOn', 'Date it was closed', {
    requiredMessage: 'Enter the date it was closed',
    notInFuture: 'The date it was closed must be today or earlier',
    today,
  });
  const parsed = parseWithDates(
    {
      outcome: choice(COMPLAINT_OUTCOMES, 'Select the outcome'),
      outcomeSummary: optionalText('What was decided', { max: 5000, multiline: true }),
      version: version(),
    },
    { closedOn },
    body,
  );
  if (!parsed.ok) {
    if (!facts) return parsed;
    const errors = [...parsed.errors];
    const has = (field: string) => errors.some((e) => e.field === field);
    const outcome = (body as Record<string, unknown> | null)?.outcome;
    if (!has('outcome') && typeof outcome === 'string') {
      const problem = outcomeProblem(facts.kind, outcome as ComplaintOutcome);
      if (problem) errors.push({ field: 'outcome', message: problem });
    }
    const date = closedOn.safeParse(body ?? {});
    if (!has('closedOn') && date.success && date.data && date.data < facts.receivedOn)
      errors.push({
        field: 'closedOn',
        message: 'The date it was closed must be on or after it was received',
      });
    return { ok: false as const, errors };
  }
  return { ok: true as const, data: { ...parsed.data, closedOn: parsed.data.closedOn! } };
}

/**
 * The log's filters from the query: unknown values are ignored (the whole log is shown). `status=overdue`
 * shows the open ones whose response is overdue.
 */
export function logFilters(query: unknown): {
  kind: ComplaintKind | null;
  status: ComplaintStatus | null;
  overdueOnly: boolean;
} {
  const q = (query ?? {}) as Record<string, unknown>;
  const kind = q.kind === 'concern' || q.kind === 'formal' ? q.kind : null;
  const overdueOnly = q.status === 'overdue';
  const status = q.status === 'open' || q.status === 'closed' ? q.status : overdueOnly ? 'open' : null;
  return { kind, status, overdueOnly };
}
