import { z } from 'zod';
import { AREAS_OF_NEED } from '../../../domain/census.ts';
import { FAMILY_MAIL_CHOICES, LETTER_REPLIES } from '../../../domain/family.ts';
import { FAMILY_CONCERN_MAX } from '../../../domain/family-concerns.ts';
import { LETTER_REPLY_NOTE_MAX, MEETING_ANSWERS } from '../../../services/family/letters.ts';
import { parseForm } from '../../forms/errors.ts';
import { checkboxes, choice, optionalChoice, optionalText, text } from '../../forms/fields.ts';

/** A parent's reply to a letter: which reply, their note (want to talk), whether they will come (a meeting). */
export function parseLetterReplyForm(body: unknown) {
  return parseForm(
    z.object({
      reply: choice(LETTER_REPLIES, 'Choose what you would like to tell the school'),
      note: optionalText('Your note', { max: LETTER_REPLY_NOTE_MAX, multiline: true }),
      meeting: optionalChoice(MEETING_ANSWERS, 'Say whether you will come to the meeting'),
    }),
    body,
  );
}

/** A parent's worry: their words, and the areas it is about if they say. */
export function parseFamilyConcernForm(body: unknown) {
  return parseForm(
    z.object({
      worry: text('What worries you', {
        max: FAMILY_CONCERN_MAX,
        multiline: true,
        requiredMessage: 'Tell the school what worries you',
      }),
      areasOfNeed: checkboxes(AREAS_OF_NEED, 'Choose from the list, or leave it blank'),
    }),
    body,
  );
}

/** The emails a parent wants: the optional kinds ticked. */
export function parseFamilyMailForm(body: unknown) {
  return parseForm(
    z.object({
      // The form always sends `sent`: a post without it is no answer (not "none of them").
      sent: z.literal('1', { error: 'Choose the emails you want, then save' }),
      wanted: checkboxes(FAMILY_MAIL_CHOICES, 'Choose emails from the list'),
    }),
    body,
  );
}
