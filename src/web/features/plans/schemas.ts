import { z } from 'zod';
import { AREAS_OF_NEED, type AreaOfNeed } from '../../../domain/census.ts';
import { type IsoDate, isRealDate } from '../../../domain/dates.ts';
import { PROGRESS_JUDGEMENTS, REVIEW_DECISIONS, TARGET_OUTCOMES } from '../../../domain/plans.ts';
import { CHECK_PROGRESS } from '../../../domain/target-checks.ts';
import type { FieldError } from '../../../services/kernel/errors.ts';
import type { PlanInput, ReviewInput, TargetInput } from '../../../services/plans/index.ts';
import type { TargetCheckInput } from '../../../services/plans/target-checks.ts';
import { dateField, parseWithDates } from '../../forms/dates.ts';
import { type Parsed, zodFieldErrors } from '../../forms/errors.ts';
import {
  checkbox,
  checkboxes,
  choice,
  type FormBody,
  isUuid,
  optionalChoice,
  optionalText,
  rowIds,
  text,
  version,
  versionOrNew,
} from '../../forms/fields.ts';

/** The most target rows any school's form can have (the settings allow 1 to 10). */
export const MOST_TARGET_ROWS = 10;

const OUT_OF_DATE = 'This form is out of date: open the page again';
/** A form whose list of targets names one twice: the page never sends that. */
const TARGET_TWICE =
  'This form lists a target more than once: open the page again from the plan and send it from there';

const longText = (label: string, max = 4000) => optionalText(label, { max, multiline: true });

const optionalId = (message: string) =>
  z
    .string({ error: message })
    .optional()
    .refine((v) => !v || isUuid(v), message)
    .transform((v) => (v ? v.toLowerCase() : null));

const planShape = {
  needAreas: checkboxes(AREAS_OF_NEED, 'Select areas of need from the list'),
  strengths: longText('Areas of strength'),
  areasOfConcern: longText('Areas of concern'),
  desiredOutcomes: longText('Desired outcomes'),
  qualityFirst: longText('Quality-first inclusive approaches'),
  interventions: longText('Interventions'),
  taSupport: longText('Focused support from a teaching assistant'),
  resources: longText('Resources'),
  parentPupilContribution: longText('How the parents and the pupil contribute'),
  parentsSupportAtHome: longText('How parents can support at home'),
  parentsViews: longText('The parents’ views'),
  pupilViews: longText('The pupil’s views'),
  version: version(),
};

/** One row of the targets fieldset: blank rows are ignored, removed rows dropped. */
function parseTargetRow(b: FormBody, i: number): { target: TargetInput | null; errors: FieldError[] } {
  const name = (field: string) => `target${i}-${field}`;
  const parsed = z
    .object({
      [name('id')]: optionalId('This form is out of date: open the page again'),
      [name('target')]: longText(`Target ${i}`, 1000),
      [name('criteria')]: longText(`The achievement criteria of target ${i}`, 1000),
      [name('resources')]: longText(`The resources and techniques of target ${i}`, 1000),
      [name('strategies')]: longText(`The class strategies and support of target ${i}`, 1000),
      [name('area')]: optionalChoice(AREAS_OF_NEED, 'Select an area of need from the list'),
      [name('bankEntryId')]: optionalId('This form is out of date: open the page again'),
      [name('remove')]: checkbox(),
      [name('saveToBank')]: checkbox(),
    })
    .safeParse(b);
  if (!parsed.success) return { target: null, errors: zodFieldErrors(parsed.error) };
  const d = parsed.data as Record<string, string | boolean | null>;
  const id = d[name('id')] as string | null;
  if (d[name('remove')]) return { target: null, errors: [] };
  const target = (d[name('target')] as string | null) ?? '';
  const criteria = d[name('criteria')] as string | null;
  const resources = d[name('resources')] as string | null;
  const strategies = d[name('strategies')] as string | null;
  if (!id && !target && !criteria && !resources && !strategies) return { target: null, errors: [] };
  const errors: FieldError[] = [];
  if (!target) errors.push({ field: name('target'), message: `Enter target ${i}, or remove it` });
  const area = d[name('area')] as AreaOfNeed | null;
  const saveToBank = Boolean(d[name('saveToBank')]);
  if (saveToBank && !area)
    errors.push({
      field: name('area'),
      message: `Choose the area of need of target ${i} to save it to the bank`,
    });
  return {
    target: {
      id,
      area,
      target,
      achievementCriteria: criteria,
      resourcesAndTechniques: resources,
      classStrategies: strategies,
      bankEntryId: d[name('bankEntryId')] as string | null,
      saveToBank,
    },
    errors,
  };
}

export function parsePlanForm(body: unknown): Parsed<{ plan: PlanInput; version: number }> {
  const b = (body ?? {}) as FormBody;
  const result = parseWithDates(
    planShape,
    {
      startDate: dateField('startDate', 'Start date', { optional: true }),
      reviewDate: dateField('reviewDate', 'Review date', { optional: true }),
    },
    b,
  );
  const errors: FieldError[] = result.ok ? [] : [...result.errors];
  const targets: TargetInput[] = [];
  for (let i = 1; i <= MOST_TARGET_ROWS; i++) {
    const row = parseTargetRow(b, i);
    errors.push(...row.errors);
    if (row.target) targets.push(row.target);
  }
  if (!result.ok || errors.length > 0) return { ok: false, errors };
  const { version: v, startDate, reviewDate, ...fields } = result.data;
  return {
    ok: true,
    data: { plan: { ...fields, startDate, reviewDate, targets }, version: v },
  };
}

/** A date that has happened: `required` says what to enter when it is left empty (null: optional). */
const notInFuture = (name: string, label: string, required: string | null, today: () => IsoDate) =>
  dateField(name, label, {
    optional: required === null,
    requiredMessage: required ?? undefined,
    notInFuture: `${label} must be today or in the past`,
    today,
  });

export function parseAgreeForm(body: unknown, today: () => IsoDate) {
  const result = parseWithDates(
    {
      agreedWith: text('Who agreed it', {
        max: 300,
        requiredMessage: 'Enter who agreed the plan, like Mother, the pupil and the class teacher',
      }),
      version: version(),
    },
    {
      agreedOn: notInFuture('agreedOn', 'Date agreed', 'Enter the date the plan was agreed', today),
      sharedWithParentsOn: notInFuture('sharedWithParentsOn', 'Date shared with parents', null, today),
    },
    body,
  );
  if (!result.ok) return result;
  return { ok: true as const, data: { ...result.data, agreedOn: result.data.agreedOn! } };
}

export function parseSharedForm(body: unknown, today: () => IsoDate) {
  const result = parseWithDates(
    { version: version() },
    {
      sharedOn: notInFuture(
        'sharedOn',
        'Date shared with parents',
        'Enter the date the plan was shared with parents',
        today,
      ),
    },
    body,
  );
  if (!result.ok) return result;
  return { ok: true as const, data: { ...result.data, sharedOn: result.data.sharedOn! } };
}

export function parseNoteForm(body: unknown, today: () => IsoDate) {
  const result = parseWithDates(
    {
      targetId: optionalId('Choose a target of this plan'),
      body: text('The note', { max: 4000, multiline: true, requiredMessage: 'Enter the note' }),
    },
    { writtenOn: notInFuture('writtenOn', 'Date of the note', 'Enter the date of the note', today) },
    body,
  );
  if (!result.ok) return result;
  return { ok: true as const, data: { ...result.data, writtenOn: result.data.writtenOn! } };
}

export const CorrectNoteSchema = z.object({
  body: text('The note', { max: 4000, multiline: true, requiredMessage: 'Enter the note' }),
  version: version(),
});

export const VersionOnlySchema = z.object({ version: version() });

/** The review: each target's outcome, the views, the judgement and what happens next. */
export function parseReviewForm(
  body: unknown,
  today: () => IsoDate,
): Parsed<ReviewInput & { version: number }> {
  const b = (body ?? {}) as FormBody;
  const result = parseWithDates(
    {
      attendees: text('Who attended', {
        max: 1000,
        multiline: true,
        requiredMessage: 'Enter who attended the review',
      }),
      pupilViews: longText('The pupil’s views'),
      parentsViews: longText('The parents’ views'),
      progress: choice(PROGRESS_JUDGEMENTS, 'Select the progress the pupil has made'),
      decision: choice(REVIEW_DECISIONS, 'Select what happens next'),
      decisionNotes: longText('Notes on the decision'),
      targets: rowIds(OUT_OF_DATE, TARGET_TWICE),
      version: version(),
    },
    {
      heldOn: notInFuture('heldOn', 'Date of the review', 'Enter the date of the review', today),
      extendedTo: dateField('extendedTo', 'New review date', { optional: true }),
    },
    b,
  );
  const errors: FieldError[] = result.ok ? [] : [...result.errors];
  const targetIds = rowIds(OUT_OF_DATE, TARGET_TWICE).safeParse(b.targets);
  const outcomes: ReviewInput['outcomes'] = [];
  (targetIds.success ? targetIds.data : []).forEach((id, i) => {
    const parsed = z
      .object({
        [`outcome-${id}`]: choice(TARGET_OUTCOMES, `Say whether target ${i + 1} was achieved`),
        [`evidence-${id}`]: longText(`The evidence for target ${i + 1}`, 2000),
      })
      .safeParse(b);
    if (!parsed.success) {
      errors.push(...zodFieldErrors(parsed.error));
      return;
    }
    const d = parsed.data as Record<string, string | null>;
    outcomes.push({
      targetId: id,
      outcome: d[`outcome-${id}`] as ReviewInput['outcomes'][number]['outcome'],
      evidence: d[`evidence-${id}`] ?? null,
    });
  });
  if (result.ok && result.data.decision === 'extend' && !result.data.extendedTo)
    errors.push({ field: 'extendedTo', message: 'Enter the new review date' });
  if (!result.ok || errors.length > 0) return { ok: false, errors };
  const { targets: _ids, version: v, heldOn, ...rest } = result.data;
  return { ok: true, data: { ...rest, heldOn: heldOn!, outcomes, version: v } };
}

export const ProfileSchema = z.object({
  likeAndAdmire: longText('What people like and admire about me', 2000),
  importantToMe: longText('What is important to me', 2000),
  howToSupportMe: longText('How best to support me', 2000),
  version: versionOrNew(),
});

/** The half-termly target check: how each target is going, with a short note, and the date. */
export function parseTargetCheckForm(
  body: unknown,
  today: () => IsoDate,
): Parsed<TargetCheckInput & { version: number }> {
  const b = (body ?? {}) as FormBody;
  const result = parseWithDates(
    {
      dueOn: z
        .string({ error: OUT_OF_DATE })
        .optional()
        .refine((v) => v !== undefined && isRealIsoDate(v), OUT_OF_DATE)
        .transform((v) => v as IsoDate),
      targets: rowIds(OUT_OF_DATE, TARGET_TWICE),
      version: versionOrNew(),
    },
    { checkedOn: notInFuture('checkedOn', 'Date of the check', 'Enter the date of the check', today) },
    b,
  );
  const errors: FieldError[] = result.ok ? [] : [...result.errors];
  const targetIds = rowIds(OUT_OF_DATE, TARGET_TWICE).safeParse(b.targets);
  const items: TargetCheckInput['items'] = [];
  (targetIds.success ? targetIds.data : []).forEach((id, i) => {
    const parsed = z
      .object({
        [`progress-${id}`]: choice(CHECK_PROGRESS, `Say how target ${i + 1} is going`),
        [`note-${id}`]: longText(`The note on target ${i + 1}`, 1000),
      })
      .safeParse(b);
    if (!parsed.success) {
      errors.push(...zodFieldErrors(parsed.error));
      return;
    }
    const d = parsed.data as Record<string, string | null>;
    items.push({
      targetId: id,
      progress: d[`progress-${id}`] as TargetCheckInput['items'][number]['progress'],
      note: d[`note-${id}`] ?? null,
    });
  });
  if (!result.ok || errors.length > 0) return { ok: false, errors };
  const { targets: _ids, version: v, checkedOn, dueOn } = result.data;
  return { ok: true, data: { dueOn, checkedOn: checkedOn!, items, version: v } };
}

function isRealIsoDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}
