import { z } from 'zod';
import { AREAS_OF_NEED } from '../../../domain/census.ts';
import { CONCERN_KINDS } from '../../../domain/concerns.ts';
import type { IsoDate } from '../../../domain/dates.ts';
import { isMeetingDecision } from '../../../domain/progress-meetings.ts';
import type { ConcernInput } from '../../../services/concerns/index.ts';
import type { FieldError } from '../../../services/kernel/errors.ts';
import type { MeetingRecordInput } from '../../../services/progress-meetings/index.ts';
import { dateFromFields } from '../../forms/dates.ts';
import { type Parsed, parseForm, zodFieldErrors } from '../../forms/errors.ts';
import {
  checkboxes,
  choice,
  type FormBody,
  idList,
  isUuid,
  optionalText,
  text,
  uuid,
  version,
} from '../../forms/fields.ts';

/** Preparing a class's meeting for this half term. */
export const PrepareSchema = z.object({ classId: uuid('Choose a class from the list') });

/** Marking one of your actions done. */
export const ActionDoneSchema = z.object({
  actionId: uuid('This form is out of date: open the page again and make your change there'),
  version: version(),
});

const MeetingShape = z.object({
  version: version(),
  attendeeIds: idList('Select the people who were there from the list'),
  notes: optionalText('Notes of the meeting', { max: 4000, multiline: true }),
});

const DECISION_FIELD = /^decision-([0-9a-fA-F-]{36})$/;
/** No class has more pupils than this: a form with more decisions is not one of ours. */
const MAX_DECISIONS = 120;

/**
 * The record of a meeting: who was there, when, its notes, and for each pupil a decision (left empty:
 * not discussed), notes, and the action's owner and due date (`decision-<pupilId>`, `notes-<pupilId>`,
 * `owner-<pupilId>`, `due-<pupilId>-day|month|year`).
 */
export function parseMeeting(body: FormBody, today: () => IsoDate): Parsed<MeetingRecordInput> {
  const errors: FieldError[] = [];
  const base = MeetingShape.safeParse(body);
  if (!base.success) errors.push(...zodFieldErrors(base.error));
  const held = dateFromFields(body, 'heldOn', 'Date of the meeting', {
    requiredMessage: 'Enter the date the meeting was held',
  });
  if (held.error) errors.push({ field: 'heldOn', message: held.error });
  else if (held.value && held.value > today())
    errors.push({ field: 'heldOn', message: 'The date the meeting was held must be today or earlier' });
  const decisions: MeetingRecordInput['decisions'] = [];
  const keys = Object.keys(body).filter((k) => DECISION_FIELD.test(k));
  if (keys.length > MAX_DECISIONS)
    return {
      ok: false,
      errors: [{ field: 'form', message: 'This form has too many pupils: open the page again' }],
    };
  for (const key of keys) {
    const pupilId = DECISION_FIELD.exec(key)![1]!;
    if (!isUuid(pupilId)) continue;
    const raw = body[key];
    if (raw === undefined || raw === '') continue;
    if (typeof raw !== 'string' || !isMeetingDecision(raw)) {
      errors.push({ field: key, message: 'Choose a decision from the list' });
      continue;
    }
    const notes = optionalText('Notes', { max: 2000, multiline: true }).safeParse(body[`notes-${pupilId}`]);
    if (!notes.success) errors.push({ field: `notes-${pupilId}`, message: notes.error.issues[0]!.message });
    const ownerRaw = body[`owner-${pupilId}`];
    let owner: string | null = null;
    if (ownerRaw !== undefined && ownerRaw !== '') {
      if (typeof ownerRaw === 'string' && isUuid(ownerRaw)) owner = ownerRaw.toLowerCase();
      else errors.push({ field: `owner-${pupilId}`, message: 'Choose who will do the action from the list' });
    }
    const due = dateFromFields(body, `due-${pupilId}`, 'Date the action is due by', { optional: true });
    if (due.error) errors.push({ field: `due-${pupilId}`, message: due.error });
    decisions.push({
      pupilId: pupilId.toLowerCase(),
      decision: raw,
      notes: notes.success ? notes.data : null,
      actionOwnerId: owner,
      actionDueOn: due.value,
    });
  }
  if (errors.length > 0 || !base.success || !held.value) return { ok: false, errors };
  return {
    ok: true,
    data: {
      version: base.data.version,
      heldOn: held.value,
      attendeeIds: base.data.attendeeIds.map((id) => id.toLowerCase()),
      notes: base.data.notes,
      decisions,
    },
  };
}

/** The concern a meeting decided on: what it is, why, the evidence and the areas of need. */
export const MeetingConcernSchema = z.object({
  kind: choice(CONCERN_KINDS, 'Select whether the concern is SEND or pastoral'),
  reasons: text('Reasons', {
    max: 4000,
    multiline: true,
    requiredMessage: 'Enter the reasons for the concern',
  }),
  classroomEvidence: text('Evidence from the classroom', {
    max: 4000,
    multiline: true,
    requiredMessage: 'Enter the evidence from classroom practice and the meeting',
  }),
  areasOfNeed: checkboxes(AREAS_OF_NEED, 'Select areas of need from the list').refine(
    (a) => a.length > 0,
    'Select at least one area of need',
  ),
});

export function parseMeetingConcern(body: FormBody) {
  return parseForm(MeetingConcernSchema, body);
}

export function toConcernInput(d: z.output<typeof MeetingConcernSchema>, today: IsoDate): ConcernInput {
  return { ...d, concernDate: today, interventionsTried: [] };
}
