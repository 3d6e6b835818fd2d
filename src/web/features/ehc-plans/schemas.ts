import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { isNeedCode } from '../../../domain/census.ts';
import type { IsoDate } from '../../../domain/dates.ts';
import { ADVICE_SOURCES, isKeyOf } from '../../../domain/ehc.ts';
import {
  CEASE_REASONS,
  isPlacementSetting,
  PLAN_SECTIONS,
  type PlanAdvice,
  type PlanNeed,
  type PlanOutcome,
  type PlanPlacement,
  type PlanProvision,
  type PlanSectionKey,
  type PlanSections,
  SOCIAL_CARE_KINDS,
  type SocialCareKind,
} from '../../../domain/ehc-plan.ts';
import { MAX_ITEM_TEXT, MAX_ITEMS, MAX_SECTION_TEXT } from '../../../domain/ehc-plan-sections.ts';
import { AMENDMENT_REASONS } from '../../../services/ehc/plans.ts';
import type { FieldError } from '../../../services/kernel/errors.ts';
import { dateField, dateFromFields, dateParts, parseWithDates } from '../../forms/dates.ts';
import type { Parsed } from '../../forms/errors.ts';
import {
  choice,
  type FormBody,
  hasControlCharacters,
  optionalText,
  text,
  version,
} from '../../forms/fields.ts';

/*
 * The EHC plan's forms, parsed. A section is one form whatever its shape: a text (A, J); a list of needs
 * (B, C, D), outcomes (E) or items of provision (F, G, H1, H2), each row numbered (`text-0`, `who-1`…)
 * with its reference kept in a hidden field, a "Remove" box, and blank rows to add to; the school (I);
 * the advice (K). Every value is hostile until parsed: sent twice, too long, with hidden characters, or
 * a reference the plan does not hold, each gets a message by its field and the rows typed are shown
 * back. The service checks the section's rules again against the plan as saved.
 */

const keys = <T extends object>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];
const ID = /^[A-Za-z0-9_-]{1,64}$/;

export type SectionKind = 'text' | 'needs' | 'outcomes' | 'provision' | 'placement' | 'advice';
export const SECTION_KINDS: Record<PlanSectionKey, SectionKind> = {
  a: 'text',
  b: 'needs',
  c: 'needs',
  d: 'needs',
  e: 'outcomes',
  f: 'provision',
  g: 'provision',
  h1: 'provision',
  h2: 'provision',
  i: 'placement',
  j: 'text',
  k: 'advice',
};

/** The section asked for (`?section=b`, or the form's own field), or null. */
export function sectionKey(value: unknown): PlanSectionKey | null {
  return typeof value === 'string' && isKeyOf(PLAN_SECTIONS, value) ? value : null;
}

/** The most rows a section's form takes: a section's items and a few blank rows. */
export const MAX_ROWS = MAX_ITEMS + 10;

/** Blank rows shown for adding (one more each time "Add another row" is pressed). */
export const BLANK_ROWS = 1;

class Reader {
  errors: FieldError[] = [];
  constructor(readonly body: FormBody) {}

  one(name: string, label: string): string {
    const v = this.body[name];
    if (Array.isArray(v)) {
      this.errors.push({ field: name, message: `${label} must be entered once, as text` });
      return '';
    }
    return (v ?? '').replace(/\r\n?/g, '\n').trim();
  }

  text(name: string, label: string, options: { max?: number; multiline?: boolean } = {}): string {
    const v = this.one(name, label);
    const max = options.max ?? MAX_ITEM_TEXT;
    if (hasControlCharacters(v, options.multiline ?? true))
      this.errors.push({ field: name, message: `${label} must not contain hidden control characters` });
    else if (v.length > max)
      this.errors.push({ field: name, message: `${label} must be ${max} characters or fewer` });
    return v;
  }

  many(name: string): string[] {
    const v = this.body[name];
    return (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((x) => x !== '');
  }

  /** The row's reference: kept if it is one, a new one for a new row. */
  id(i: number, prefix: string): { id: string; isNew: boolean } {
    const v = this.body[`id-${i}`];
    if (typeof v === 'string' && ID.test(v)) return { id: v, isNew: false };
    if (v !== undefined && v !== '')
      this.errors.push({ field: `text-${i}`, message: 'This row is not valid: open the page again' });
    return { id: `${prefix}-${randomUUID().slice(0, 8)}`, isNew: true };
  }

  rows(): number {
    const v = Number(this.one('rows', 'The number of rows'));
    return Number.isInteger(v) && v >= 0 ? Math.min(v, MAX_ROWS) : 0;
  }

  removed(i: number) {
    return this.body[`remove-${i}`] !== undefined;
  }
}

/** The links chosen in a row (needs, provision), each one the plan holds. */
function links(r: Reader, name: string, allowed: ReadonlySet<string>, message: string): string[] {
  const chosen = r.many(name);
  if (chosen.some((x) => !allowed.has(x))) r.errors.push({ field: name, message });
  return [...new Set(chosen.filter((x) => allowed.has(x)))];
}

function allNeedIds(s: PlanSections) {
  return new Set([...s.b.needs, ...s.c.needs, ...s.d.needs].map((n) => n.id));
}
function allProvisionIds(s: PlanSections) {
  return new Set([...s.f.provision, ...s.g.provision, ...s.h1.provision, ...s.h2.provision].map((p) => p.id));
}

export interface SectionInput<K extends PlanSectionKey = PlanSectionKey> {
  versionVersion: number;
  /** The fingerprint of the section as the form was loaded with it (see `sectionDigest`). */
  sectionDigest: string | null;
  section: K;
  value: PlanSections[K];
}

/** Parse one section's form against the plan as it stands (for the links a row may choose). */
export function parseSection(
  key: PlanSectionKey,
  body: FormBody,
  current: PlanSections,
): Parsed<SectionInput> {
  const r = new Reader(body);
  const v = version().safeParse(body.version);
  if (!v.success)
    r.errors.push({ field: 'form', message: v.error.issues[0]?.message ?? 'Open the page again' });
  const rows = r.rows();
  const digestRaw = body.digest;
  const digest = typeof digestRaw === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(digestRaw) ? digestRaw : null;
  let value: PlanSections[PlanSectionKey];
  switch (SECTION_KINDS[key]) {
    case 'text':
      value = { text: r.text('text', 'The section', { max: MAX_SECTION_TEXT }) };
      break;
    case 'needs': {
      const needs: PlanNeed[] = [];
      for (let i = 0; i < rows; i++) {
        const { id, isNew } = r.id(i, 'need');
        const text = r.text(`text-${i}`, `Need ${i + 1}`);
        const type = key === 'b' ? r.one(`type-${i}`, `The type of need ${i + 1}`) : '';
        if (type !== '' && !isNeedCode(type))
          r.errors.push({ field: `type-${i}`, message: 'Choose a type of need from the list' });
        if (r.removed(i) || (isNew && text === '' && type === '')) continue;
        if (text === '')
          r.errors.push({ field: `text-${i}`, message: `Describe need ${i + 1}, or tick “Remove”` });
        needs.push({ id, needType: type !== '' && isNeedCode(type) ? type : null, text });
      }
      value = { needs };
      break;
    }
    case 'outcomes': {
      const outcomes: PlanOutcome[] = [];
      const needIds = allNeedIds(current);
      const provisionIds = allProvisionIds(current);
      for (let i = 0; i < rows; i++) {
        const { id, isNew } = r.id(i, 'outcome');
        const text = r.text(`text-${i}`, `Outcome ${i + 1}`);
        const by = dateFromFields(body, `by-${i}`, `The date outcome ${i + 1} is for`, { optional: true });
        if (by.error) r.errors.push({ field: `by-${i}`, message: by.error });
        const needs = links(r, `needs-${i}`, needIds, 'Choose needs from the plan');
        const provision = links(r, `provision-${i}`, provisionIds, 'Choose provision from the plan');
        if (
          r.removed(i) ||
          (isNew && text === '' && !by.value && needs.length === 0 && provision.length === 0)
        )
          continue;
        if (text === '')
          r.errors.push({ field: `text-${i}`, message: `Write outcome ${i + 1}, or tick “Remove”` });
        outcomes.push({ id, text, by: by.value, needIds: needs, provisionIds: provision });
      }
      value = { outcomes };
      break;
    }
    case 'provision': {
      const items: PlanProvision[] = [];
      const needIds = allNeedIds(current);
      const care = key === 'h1' || key === 'h2';
      for (let i = 0; i < rows; i++) {
        const { id, isNew } = r.id(i, 'prov');
        const what = r.text(`what-${i}`, `What item ${i + 1} provides`);
        const who = r.text(`who-${i}`, `Who provides item ${i + 1}`, { max: 500 });
        const frequency = r.text(`frequency-${i}`, `How often item ${i + 1} is given`, { max: 500 });
        const duration = r.text(`duration-${i}`, `How long item ${i + 1} lasts`, { max: 500 });
        const needs = links(r, `needs-${i}`, needIds, 'Choose needs from the plan');
        const kindRaw = care ? r.one(`kind-${i}`, `The kind of social care of item ${i + 1}`) : '';
        let kind: SocialCareKind | null = null;
        if (kindRaw !== '') {
          if (isKeyOf(SOCIAL_CARE_KINDS, kindRaw)) kind = kindRaw;
          else r.errors.push({ field: `kind-${i}`, message: 'Choose the kind of social care from the list' });
        }
        const blank =
          what === '' &&
          who === '' &&
          frequency === '' &&
          duration === '' &&
          needs.length === 0 &&
          kindRaw === '';
        if (r.removed(i) || (isNew && blank)) continue;
        if (what === '')
          r.errors.push({ field: `what-${i}`, message: `Say what item ${i + 1} provides, or tick “Remove”` });
        if (care && kind === null && kindRaw === '')
          r.errors.push({ field: `kind-${i}`, message: `Choose the kind of social care of item ${i + 1}` });
        items.push({
          id,
          what,
          who,
          frequency,
          duration,
          needIds: needs,
          ...(care ? { socialCareKind: kind } : {}),
        });
      }
      value = { provision: items };
      break;
    }
    case 'placement': {
      const how = r.one('placement', 'Whether a school is named');
      if (how === 'none') value = null;
      else if (how === 'listed') {
        const schoolId = r.one('schoolId', 'The school');
        if (!/^[0-9a-f-]{36}$/i.test(schoolId))
          r.errors.push({ field: 'schoolId', message: 'Choose one of the authority’s schools' });
        // The name and URN are the installation's: filled in by the route from the school chosen.
        value = { schoolId: schoolId.toLowerCase(), name: '', urn: null, kind: null } satisfies PlanPlacement;
      } else if (how === 'other') {
        const name = r.text('name', 'The name of the school or institution', { max: 300, multiline: false });
        const urn = r.text('urn', 'The URN', { max: 7, multiline: false });
        const kind = r.one('kind', 'The type of setting');
        if (kind !== '' && !isPlacementSetting(kind))
          r.errors.push({ field: 'kind', message: 'Choose a type of setting from the list' });
        if (name === '')
          r.errors.push({ field: 'name', message: 'Enter the name of the school or other institution' });
        if (urn !== '' && !/^\d{6,7}$/.test(urn))
          r.errors.push({ field: 'urn', message: 'A URN is 6 or 7 digits' });
        value = {
          schoolId: null,
          name,
          urn: urn === '' ? null : urn,
          kind: isPlacementSetting(kind) ? kind : null,
        };
      } else {
        r.errors.push({ field: 'placement', message: 'Choose whether the plan names a school' });
        value = null;
      }
      break;
    }
    case 'advice': {
      const advice: PlanAdvice[] = [];
      const before = new Map(current.k.advice.map((a) => [a.id, a]));
      for (let i = 0; i < rows; i++) {
        const { id, isNew } = r.id(i, 'advice');
        const title = r.text(`text-${i}`, `Advice ${i + 1}`, { max: 500, multiline: false });
        const source = r.one(`source-${i}`, `Whose advice ${i + 1} is`);
        const received = dateFromFields(body, `received-${i}`, `The date advice ${i + 1} came`, {
          optional: true,
        });
        if (received.error) r.errors.push({ field: `received-${i}`, message: received.error });
        if (r.removed(i) || (isNew && title === '' && !received.value)) continue;
        const old = before.get(id);
        const known = source === 'request' || isKeyOf(ADVICE_SOURCES, source);
        if (!known) r.errors.push({ field: `source-${i}`, message: 'Choose whose advice it is' });
        if (title === '')
          r.errors.push({ field: `text-${i}`, message: `Name advice ${i + 1}, or tick “Remove”` });
        advice.push({
          id,
          source: known ? source : (old?.source ?? 'other'),
          title,
          receivedOn: received.value as IsoDate | null,
          ...(old?.caseAdviceId ? { caseAdviceId: old.caseAdviceId } : {}),
        });
      }
      value = { advice };
      break;
    }
  }
  if (r.errors.length > 0 || !v.success) return { ok: false, errors: r.errors };
  return { ok: true, data: { versionVersion: v.data, sectionDigest: digest, section: key, value } };
}

/** The form's values for a section as saved (with one blank row to add to). */
export function sectionValues(
  key: PlanSectionKey,
  s: PlanSections,
  versionVersion: number,
  digest: string,
  blank = BLANK_ROWS,
): FormBody {
  const out: FormBody = { version: String(versionVersion), digest, section: key };
  const rows = (n: number) => {
    out.rows = String(n + blank);
  };
  switch (SECTION_KINDS[key]) {
    case 'text':
      out.text = (s[key] as { text: string }).text;
      break;
    case 'needs': {
      const needs = (s[key] as { needs: PlanNeed[] }).needs;
      needs.forEach((n, i) => {
        out[`id-${i}`] = n.id;
        out[`text-${i}`] = n.text;
        out[`type-${i}`] = n.needType ?? '';
      });
      rows(needs.length);
      break;
    }
    case 'outcomes':
      s.e.outcomes.forEach((o, i) => {
        out[`id-${i}`] = o.id;
        out[`text-${i}`] = o.text;
        Object.assign(out, dateParts(`by-${i}`, o.by));
        out[`needs-${i}`] = o.needIds;
        out[`provision-${i}`] = o.provisionIds;
      });
      rows(s.e.outcomes.length);
      break;
    case 'provision': {
      const items = (s[key] as { provision: PlanProvision[] }).provision;
      items.forEach((p, i) => {
        out[`id-${i}`] = p.id;
        out[`what-${i}`] = p.what;
        out[`who-${i}`] = p.who;
        out[`frequency-${i}`] = p.frequency;
        out[`duration-${i}`] = p.duration;
        out[`needs-${i}`] = p.needIds;
        out[`kind-${i}`] = p.socialCareKind ?? '';
      });
      rows(items.length);
      break;
    }
    case 'placement':
      if (!s.i) out.placement = 'none';
      else if (s.i.schoolId) {
        out.placement = 'listed';
        out.schoolId = s.i.schoolId;
      } else {
        out.placement = 'other';
        out.name = s.i.name;
        out.urn = s.i.urn ?? '';
        out.kind = s.i.kind ?? '';
      }
      break;
    case 'advice':
      s.k.advice.forEach((a, i) => {
        out[`id-${i}`] = a.id;
        out[`text-${i}`] = a.title;
        out[`source-${i}`] = a.source;
        Object.assign(out, dateParts(`received-${i}`, a.receivedOn));
      });
      rows(s.k.advice.length);
      break;
  }
  return out;
}

/** The values of a form shown again with one more blank row ("Add another"). */
export function withAnotherRow(values: FormBody): FormBody {
  const n = Number(values.rows);
  return { ...values, rows: String(Number.isInteger(n) && n >= 0 ? Math.min(n + 1, MAX_ROWS) : 1) };
}

export function parseSend(body: unknown) {
  return parseWithDates({ version: version() }, { sentOn: dateField('sentOn', 'Date it was sent') }, body);
}

export function parseIssue(body: unknown) {
  return parseWithDates(
    { version: version() },
    { issuedOn: dateField('issuedOn', 'Date the final plan was issued') },
    body,
  );
}

export function parseComments(body: unknown) {
  return parseWithDates(
    {
      version: version(),
      parentsComments: optionalText('The parents’ comments', { max: 5000, multiline: true }),
      preferredSchool: optionalText('The school the parents asked for', { max: 300 }),
      consultedSchool: optionalText('The school consulted', { max: 300 }),
      consultedAnswer: optionalText('The school’s answer', { max: 5000, multiline: true }),
    },
    {
      parentsCommentsOn: dateField('parentsCommentsOn', 'Date of the comments', { optional: true }),
      consultedOn: dateField('consultedOn', 'Date the school was consulted', { optional: true }),
    },
    body,
  );
}

export function parseAmend(body: unknown) {
  return parseWithDates(
    { version: version(), reason: choice(keys(AMENDMENT_REASONS), 'Choose why the plan is amended') },
    {},
    body,
  );
}

export function parseCease(body: unknown) {
  return parseWithDates(
    {
      version: version(),
      reason: choice(keys(CEASE_REASONS), 'Choose why the plan ceased'),
      reasons: text('The reasons', {
        max: 5000,
        multiline: true,
        requiredMessage: 'Give the reasons: the parents are told them with their right of appeal',
      }),
    },
    { ceasedOn: dateField('ceasedOn', 'Date the plan ceased') },
    body,
  );
}

export const compareQuery = z.object({
  from: z
    .string()
    .regex(/^[1-9]\d{0,3}$/)
    .transform(Number)
    .optional()
    .catch(undefined),
  to: z
    .string()
    .regex(/^[1-9]\d{0,3}$/)
    .transform(Number)
    .optional()
    .catch(undefined),
});

/**
 * The versions to compare: as chosen, or else the one before the latest against the latest (nothing
 * when the plan has one version only).
 */
export function defaultComparison(
  versions: readonly { number: number }[],
  chosen: { from?: number; to?: number },
): { from?: number; to?: number } {
  if (chosen.from !== undefined || chosen.to !== undefined) return chosen;
  const numbers = versions.map((v) => v.number).sort((a, b) => a - b);
  if (numbers.length < 2) return {};
  return { from: numbers.at(-2), to: numbers.at(-1) };
}
