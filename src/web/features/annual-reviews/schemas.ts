import type { z } from 'zod';
import {
  OUTCOME_PROGRESS,
  type OutcomeProgress,
  PLAN_SECTION_KEYS,
  type PlanSectionKey,
  PROVISION_DELIVERY,
  type ProvisionDelivery,
  REVIEW_DECISIONS,
  REVIEW_INVITEES,
  type ReviewDecision,
  type ReviewInvitee,
} from '../../../domain/ehc-plan.ts';
import { INVITATION_HOW, type InvitationHow } from '../../../domain/ehc-review.ts';
import type { ArrangementInput, MeetingInput } from '../../../services/ehc/annual-reviews.ts';
import type { FieldError } from '../../../services/kernel/errors.ts';
import { dateFromFields } from '../../forms/dates.ts';
import type { Parsed } from '../../forms/errors.ts';
import {
  checkbox,
  choice,
  type FormBody,
  optionalChoice,
  optionalText,
  text,
  version,
} from '../../forms/fields.ts';

/*
 * The forms of an annual review. Lists (invitations, advice, who came, changes proposed) are rows the
 * page numbers 0, 1, 2… with a few empty rows to add to; a row left wholly empty is no row, a row half
 * filled is asked about. The number of rows is the page's hidden field, capped, so a tampered count
 * reads nothing more. Each outcome and item of provision carries its id from the plan in a hidden field;
 * the service refuses an id the plan does not hold.
 */

export const MAX_ROWS = 40;
const INVITEES = Object.keys(REVIEW_INVITEES) as [ReviewInvitee, ...ReviewInvitee[]];
const HOWS = Object.keys(INVITATION_HOW) as [InvitationHow, ...InvitationHow[]];
const PROGRESS = Object.keys(OUTCOME_PROGRESS) as [OutcomeProgress, ...OutcomeProgress[]];
const DELIVERY = Object.keys(PROVISION_DELIVERY) as [ProvisionDelivery, ...ProvisionDelivery[]];
const DECISIONS = Object.keys(REVIEW_DECISIONS) as [ReviewDecision, ...ReviewDecision[]];
const SECTIONS = PLAN_SECTION_KEYS as [PlanSectionKey, ...PlanSectionKey[]];
const OUT_OF_DATE = 'This form is out of date: open the page again and make your change there';

/** Reads fields one at a time, collecting every error by its field. */
class Reader {
  readonly errors: FieldError[] = [];
  constructor(readonly body: FormBody) {}
  field<T extends z.ZodType>(name: string, schema: T): z.output<T> | null {
    const result = schema.safeParse(this.body[name]);
    if (result.success) return result.data;
    this.errors.push({ field: name, message: result.error.issues[0]?.message ?? 'Check this answer' });
    return null;
  }
  date(name: string, label: string) {
    const { value, error } = dateFromFields(this.body, name, label, { optional: true });
    if (error) this.errors.push({ field: name, message: error });
    return value;
  }
  /** Whether a row has anything typed in the given fields. */
  filled(names: string[]) {
    return names.some((n) => {
      const v = this.body[n];
      return v !== undefined && v !== '' && !(Array.isArray(v) && v.every((x) => x === ''));
    });
  }
  /** The page's count of rows, capped; a count missing or malformed refuses the whole form. */
  rows(name: string): number {
    const v = this.body[name];
    if (typeof v === 'string' && /^\d{1,3}$/.test(v)) return Math.min(Number(v), MAX_ROWS);
    if (!this.errors.some((e) => e.field === 'form'))
      this.errors.push({ field: 'form', message: OUT_OF_DATE });
    return 0;
  }
}

const dateParts = (n: string) => [`${n}-day`, `${n}-month`, `${n}-year`];

export function parseArrangements(body: FormBody): Parsed<{ version: number } & ArrangementInput> {
  const r = new Reader(body);
  const v = r.field('version', version());
  if (v === null) return { ok: false, errors: [{ field: 'form', message: OUT_OF_DATE }] };
  const meetingOn = r.date('meetingOn', 'The date of the meeting');
  const meetingTime = r.field('meetingTime', optionalText('The time of the meeting', { max: 40 }));
  if (meetingTime && !/^([01]?\d|2[0-3])[:.][0-5]\d\s*(am|pm)?$/i.test(meetingTime.trim()))
    r.errors.push({ field: 'meetingTime', message: 'Enter the time of the meeting like 9:30 or 14:00' });
  const meetingPlace = r.field('meetingPlace', optionalText('Where the meeting is', { max: 200 }));
  const phaseTransfer = r.field('phaseTransfer', checkbox()) ?? false;
  const nextSchool = r.field('nextSchool', optionalText('The next school', { max: 200 }));
  const invitations: ArrangementInput['invitations'] = [];
  for (let i = 0; i < r.rows('invitationRows'); i++) {
    if (!r.filled([`inviteName-${i}`, ...dateParts(`inviteSent-${i}`)])) continue;
    const invitee = r.field(`invitee-${i}`, choice(INVITEES, `Invitation ${i + 1}: choose who is invited`));
    const name = r.field(
      `inviteName-${i}`,
      text(`Invitation ${i + 1}: the name`, {
        max: 200,
        requiredMessage: `Invitation ${i + 1}: enter the name of the person invited`,
      }),
    );
    const how = r.field(
      `inviteHow-${i}`,
      choice(HOWS, `Invitation ${i + 1}: choose how the invitation went`),
    );
    const sentOn = r.date(`inviteSent-${i}`, `Invitation ${i + 1}: the date sent`);
    if (invitee && name && how) invitations.push({ invitee, name, how, sentOn });
  }
  const advice: ArrangementInput['advice'] = [];
  for (let i = 0; i < r.rows('adviceRows'); i++) {
    const dates = ['adviceAsked', 'adviceReceived', 'adviceCirculated'].flatMap((d) =>
      dateParts(`${d}-${i}`),
    );
    if (!r.filled([`adviceFrom-${i}`, ...dates])) continue;
    const from = r.field(
      `adviceFrom-${i}`,
      text(`Advice ${i + 1}: who from`, {
        max: 200,
        requiredMessage: `Advice ${i + 1}: enter who the advice is from`,
      }),
    );
    const askedOn = r.date(`adviceAsked-${i}`, `Advice ${i + 1}: the date asked`);
    const receivedOn = r.date(`adviceReceived-${i}`, `Advice ${i + 1}: the date received`);
    const circulatedOn = r.date(`adviceCirculated-${i}`, `Advice ${i + 1}: the date circulated`);
    if (from) advice.push({ from, askedOn, receivedOn, circulatedOn });
  }
  if (r.errors.length > 0) return { ok: false, errors: r.errors };
  return {
    ok: true,
    data: {
      version: v,
      meetingOn,
      meetingTime,
      meetingPlace,
      phaseTransfer,
      nextSchool,
      invitations,
      advice,
    },
  };
}

export function parseMeeting(body: FormBody): Parsed<{ version: number } & MeetingInput> {
  const r = new Reader(body);
  const v = r.field('version', version());
  if (v === null) return { ok: false, errors: [{ field: 'form', message: OUT_OF_DATE }] };
  const pupilViews = r.field('pupilViews', optionalText('The child’s views', { max: 5000, multiline: true }));
  const parentViews = r.field(
    'parentViews',
    optionalText('The parents’ views', { max: 5000, multiline: true }),
  );
  const attendees: MeetingInput['attendees'] = [];
  for (let i = 0; i < r.rows('attendeeRows'); i++) {
    if (!r.filled([`attendeeName-${i}`])) continue;
    const invitee = r.field(
      `attendee-${i}`,
      choice(INVITEES, `Person ${i + 1} at the meeting: choose who they are`),
    );
    const name = r.field(
      `attendeeName-${i}`,
      text(`Person ${i + 1} at the meeting: the name`, { max: 200, requiredMessage: 'Enter the name' }),
    );
    if (invitee && name) attendees.push({ invitee, name });
  }
  const outcomeReviews: MeetingInput['outcomeReviews'] = [];
  for (let i = 0; i < r.rows('outcomeRows'); i++) {
    const outcomeId = r.field(
      `outcomeId-${i}`,
      text('The outcome', { max: 200, requiredMessage: OUT_OF_DATE }),
    );
    const progress = r.field(
      `progress-${i}`,
      optionalChoice(PROGRESS, `Outcome ${i + 1}: choose the progress made`),
    );
    const evidence = r.field(
      `evidence-${i}`,
      optionalText(`Outcome ${i + 1}: the evidence`, { max: 5000, multiline: true }),
    );
    if (outcomeId) outcomeReviews.push({ outcomeId, progress, evidence: evidence ?? '' });
  }
  const provisionReviews: MeetingInput['provisionReviews'] = [];
  for (let i = 0; i < r.rows('provisionRows'); i++) {
    const provisionId = r.field(
      `provisionId-${i}`,
      text('The provision', { max: 200, requiredMessage: OUT_OF_DATE }),
    );
    const delivery = r.field(
      `delivery-${i}`,
      optionalChoice(DELIVERY, `Provision ${i + 1}: choose whether it was delivered as the plan specifies`),
    );
    const comment = r.field(
      `comment-${i}`,
      optionalText(`Provision ${i + 1}: the comment`, { max: 2000, multiline: true }),
    );
    if (provisionId) provisionReviews.push({ provisionId, delivery, comment: comment ?? '' });
  }
  const proposedChanges: MeetingInput['proposedChanges'] = [];
  for (let i = 0; i < r.rows('changeRows'); i++) {
    if (!r.filled([`changeText-${i}`])) continue;
    const section = r.field(
      `changeSection-${i}`,
      choice(SECTIONS, `Change ${i + 1}: choose the section of the plan`),
    );
    const change = r.field(
      `changeText-${i}`,
      text(`Change ${i + 1}`, { max: 2000, multiline: true, requiredMessage: 'Enter the change' }),
    );
    if (section && change) proposedChanges.push({ section, text: change });
  }
  const recommendation = r.field(
    'recommendation',
    optionalChoice(DECISIONS, 'Choose whether to recommend keeping, amending or ceasing the plan'),
  );
  const recommendationReasons = r.field(
    'recommendationReasons',
    optionalText('The reasons for the recommendation', { max: 5000, multiline: true }),
  );
  const held = r.field('held', checkbox()) ?? false;
  if (r.errors.length > 0) return { ok: false, errors: r.errors };
  return {
    ok: true,
    data: {
      version: v,
      pupilViews,
      parentViews,
      attendees,
      outcomeReviews,
      provisionReviews,
      proposedChanges,
      recommendation,
      recommendationReasons,
      held,
    },
  };
}

export function parseVersionOnly(body: FormBody): Parsed<{ version: number }> {
  const r = new Reader(body);
  const v = r.field('version', version());
  return v === null
    ? { ok: false, errors: [{ field: 'form', message: OUT_OF_DATE }] }
    : { ok: true, data: { version: v } };
}

export function parseCancel(body: FormBody): Parsed<{ version: number; reason: string }> {
  const r = new Reader(body);
  const v = r.field('version', version());
  if (v === null) return { ok: false, errors: [{ field: 'form', message: OUT_OF_DATE }] };
  const reason = r.field(
    'reason',
    text('The reason', { max: 1000, multiline: true, requiredMessage: 'Enter why the review is cancelled' }),
  );
  if (r.errors.length > 0 || reason === null) return { ok: false, errors: r.errors };
  return { ok: true, data: { version: v, reason } };
}
