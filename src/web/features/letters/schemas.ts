import type { IsoDate } from '../../../domain/dates.ts';
import { SENT_VIA } from '../../../domain/letters.ts';
import { dateField, dateParts, parseWithDates } from '../../forms/dates.ts';
import { choice, type FormBody, idList, optionalText, uuid, version } from '../../forms/fields.ts';

/** Writing a letter: which, to whom, when and how; the review meeting for an invitation. */
export function parseLetterForm(body: unknown, today: () => IsoDate) {
  const result = parseWithDates(
    {
      templateId: uuid('Choose a letter from the list'),
      recipientIds: idList('Choose parents and carers from the list'),
      sentVia: choice(SENT_VIA, 'Choose how the letter is sent'),
      meetingTime: optionalText('Time of the meeting', { max: 20 }),
    },
    {
      sentOn: dateField('sentOn', 'Date sent', {
        requiredMessage: 'Enter the date the letter is sent',
        notInFuture: 'The date sent must be today or in the past',
        today,
      }),
      meetingDate: dateField('meetingDate', 'Date of the meeting', { optional: true }),
    },
    body,
  );
  if (!result.ok) return result;
  return { ok: true as const, data: { ...result.data, sentOn: result.data.sentOn! } };
}

/**
 * The "Preview" of a letter needs only the letter chosen: how and when it is sent do not change its
 * text, so they are not asked for yet (a preview saves nothing).
 */
export function parseLetterPreview(body: unknown, today: () => IsoDate) {
  const b = { ...((body ?? {}) as FormBody) };
  if (!(SENT_VIA as readonly string[]).includes(String(b.sentVia))) b.sentVia = 'post';
  const sentOn = dateField('sentOn', 'Date sent', { notInFuture: 'x', today }).safeParse(b);
  if (!sentOn.success) Object.assign(b, dateParts('sentOn', today()));
  return parseLetterForm(b, today);
}

/** Recording the signed slip that came back. */
export function parseSlipForm(body: unknown, today: () => IsoDate) {
  const result = parseWithDates(
    {
      note: optionalText('Note', { max: 1000, multiline: true }),
      version: version(),
    },
    {
      returnedOn: dateField('returnedOn', 'Date it came back', {
        requiredMessage: 'Enter the date the signed slip came back',
        notInFuture: 'The date it came back must be today or in the past',
        today,
      }),
    },
    body,
  );
  if (!result.ok) return result;
  return { ok: true as const, data: { ...result.data, returnedOn: result.data.returnedOn! } };
}
