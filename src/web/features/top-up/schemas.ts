import { z } from 'zod';
import type { IsoDate } from '../../../domain/dates.ts';
import { TOP_UP_OUTCOMES, type TopUpOutcome } from '../../../domain/ehc.ts';
import { formatPounds, parsePounds } from '../../../domain/money.ts';
import { TOP_UP_MAX_PENCE } from '../../../domain/top-up.ts';
import { dateField, parseWithDates } from '../../forms/dates.ts';
import type { Parsed } from '../../forms/errors.ts';
import {
  choice,
  type FormBody,
  isUuid,
  optionalText,
  text,
  version,
  versionOrNew,
} from '../../forms/fields.ts';

/*
 * The forms of high-needs top-up funding: the school's application (the amount a year, the period, the
 * school's case), sending it, withdrawing it; and the local authority's decision. Every amount is read
 * digit by digit into whole pence ("£-5", "1e9" and "6,000.005" are not amounts); every date is three
 * fields; what the rules between fields say (dates in order, a refusal with no amount) the domain
 * checks in the service, so the same messages reach every caller.
 */

/** An optional amount of pounds a year: empty is none; anything not an amount of pounds from 1p is refused. */
const optionalPounds = (label: string) =>
  z
    .string({ error: `${label} must be entered once` })
    .optional()
    .transform((v) => (v ?? '').trim())
    .transform((v, ctx) => {
      if (v === '') return null;
      const pence = parsePounds(v);
      if (pence === null) {
        ctx.addIssue({ code: 'custom', message: `${label} must be an amount in pounds, like £4,500` });
        return z.NEVER;
      }
      if (pence <= 0) {
        ctx.addIssue({ code: 'custom', message: `${label} must be more than £0` });
        return z.NEVER;
      }
      if (pence > TOP_UP_MAX_PENCE) {
        ctx.addIssue({
          code: 'custom',
          message: `${label} must be ${formatPounds(TOP_UP_MAX_PENCE)} or less`,
        });
        return z.NEVER;
      }
      return pence;
    });

export interface ApplicationForm {
  version: number;
  amountPence: number | null;
  periodFrom: IsoDate | null;
  periodTo: IsoDate | null;
  rationale: string | null;
}

export function parseApplication(body: FormBody): Parsed<ApplicationForm> {
  const parsed = parseWithDates(
    {
      version: version(),
      amount: optionalPounds('The amount a year'),
      rationale: optionalText('Why the plan is efficient and likely to succeed', {
        max: 5000,
        multiline: true,
      }),
    },
    {
      periodFrom: dateField('periodFrom', 'The date the funding starts', { optional: true }),
      periodTo: dateField('periodTo', 'The date the funding ends', { optional: true }),
    },
    body,
  );
  if (!parsed.ok) return parsed;
  const d = parsed.data;
  return {
    ok: true,
    data: {
      version: d.version,
      amountPence: d.amount,
      periodFrom: d.periodFrom,
      periodTo: d.periodTo,
      rationale: d.rationale,
    },
  };
}

/** A form whose only field is the version the user saw (send, withdraw). */
export function parseVersionOnly(body: FormBody): Parsed<{ version: number }> {
  const parsed = z.object({ version: version() }).safeParse(body ?? {});
  return parsed.success
    ? { ok: true, data: parsed.data }
    : {
        ok: false,
        errors: [
          {
            field: 'form',
            message: 'This form is out of date: open the page again and make your change there',
          },
        ],
      };
}

/** The review decision an application answers, from the start form's hidden field (or the link's query). */
export function parseStart(body: FormBody): Parsed<{ pupilActionId: string | null }> {
  const v = body.pupilActionId;
  if (v === undefined || v === '') return { ok: true, data: { pupilActionId: null } };
  if (typeof v !== 'string' || !isUuid(v))
    return {
      ok: false,
      errors: [{ field: 'form', message: 'This form is out of date: open the pupil’s page again' }],
    };
  return { ok: true, data: { pupilActionId: v.toLowerCase() } };
}

const OUTCOMES = Object.keys(TOP_UP_OUTCOMES) as [TopUpOutcome, ...TopUpOutcome[]];

export interface DecisionForm {
  version: number;
  outcome: TopUpOutcome;
  decidedOn: IsoDate;
  amountPence: number | null;
  band: string | null;
  conditions: string | null;
  reasons: string | null;
  fundedFrom: IsoDate | null;
  fundedUntil: IsoDate | null;
}

export function parseDecision(body: FormBody): Parsed<DecisionForm> {
  const parsed = parseWithDates(
    {
      version: versionOrNew(),
      outcome: choice(OUTCOMES, 'Choose the decision: agreed, agreed in part or refused'),
      amount: optionalPounds('The amount agreed a year'),
      band: optionalText('The band', { max: 100 }),
      conditions: optionalText('The conditions', { max: 3000, multiline: true }),
      reasons: text('The reasons', {
        max: 5000,
        multiline: true,
        requiredMessage: 'Give the reasons for the decision, as the school will read them',
      }),
    },
    {
      // Not in the future, and not before the application was received: the service's rule, by its clock.
      decidedOn: dateField('decidedOn', 'The date of the decision', {
        requiredMessage: 'Enter the date of the decision',
      }),
      fundedFrom: dateField('fundedFrom', 'The date the funding starts', { optional: true }),
      fundedUntil: dateField('fundedUntil', 'The date the funding ends', { optional: true }),
    },
    body,
  );
  if (!parsed.ok) return parsed;
  const d = parsed.data;
  return {
    ok: true,
    data: {
      version: d.version,
      outcome: d.outcome,
      decidedOn: d.decidedOn as IsoDate,
      amountPence: d.amount,
      band: d.band,
      conditions: d.conditions,
      reasons: d.reasons,
      fundedFrom: d.fundedFrom,
      fundedUntil: d.fundedUntil,
    },
  };
}
