import { makeUpn } from '../../src/domain/upn.ts';
import { unescapeHtml } from './support.ts';

/**
 * Forms as the pages render them, read from the HTML, and filled in as a person would: the security
 * suites send each route a body its own page could have sent, so that a refusal is for the reason
 * under test and not for a missing field.
 */

export type Pairs = [string, string][];

export interface FormField {
  name: string;
  /** The input's type, or select, or textarea. */
  kind: string;
  /** As rendered: the value, the checked or selected choices (joined by U+0001), or ''. */
  value: string;
  checked: boolean;
  /** The choices of radios, checkboxes and selects. */
  options: string[];
}

const attr = (tag: string, name: string) => {
  const v = new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];
  return v === undefined ? undefined : unescapeHtml(v);
};

/** The POST forms of a page, by where each is sent (its CSRF token left out). */
export function formsOf(body: string): Map<string, FormField[]> {
  const found = new Map<string, FormField[]>();
  for (const m of body.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const attrs = m[1] ?? '';
    const action = attr(attrs, 'action') ?? '';
    if (/method="get"/i.test(attrs) || !action) continue;
    found.set(action, fieldsOf(m[2] ?? ''));
  }
  return found;
}

/** The query-string keys a page uses: its links' and its GET forms' fields. */
export function queryKeysOf(body: string): string[] {
  const keys = new Set<string>();
  for (const m of body.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    if (/method="get"/i.test(m[1] ?? '')) for (const f of fieldsOf(m[2] ?? '')) keys.add(f.name);
  }
  for (const href of body.matchAll(/href="[^"?]*\?([^"#]*)"/g)) {
    for (const k of new URLSearchParams(unescapeHtml(href[1] ?? '')).keys()) keys.add(k);
  }
  return [...keys];
}

function fieldsOf(inner: string): FormField[] {
  const fields: FormField[] = [];
  for (const tag of inner.matchAll(/<input\b[^>]*>/g)) {
    const name = attr(tag[0], 'name');
    if (!name || name === '_csrf') continue;
    const kind = attr(tag[0], 'type') ?? 'text';
    const value = attr(tag[0], 'value') ?? '';
    const checked = /\bchecked\b/.test(tag[0]);
    const choice = kind === 'radio' || kind === 'checkbox';
    const group = choice ? fields.find((f) => f.name === name) : undefined;
    if (group) {
      group.options.push(value);
      if (checked) group.value = group.checked ? `${group.value}\u0001${value}` : value;
      group.checked ||= checked;
    } else fields.push({ name, kind, value: choice && !checked ? '' : value, checked, options: [value] });
  }
  for (const sel of inner.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const name = attr(sel[1] ?? '', 'name');
    if (!name) continue;
    const options = [...(sel[2] ?? '').matchAll(/<option\b[^>]*>/g)].map((o) => o[0]);
    const selected = options.find((o) => /\bselected\b/.test(o));
    fields.push({
      name,
      kind: 'select',
      value: selected ? (attr(selected, 'value') ?? '') : '',
      checked: false,
      options: options.map((o) => attr(o, 'value') ?? ''),
    });
  }
  for (const area of inner.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const name = attr(area[1] ?? '', 'name');
    if (!name) continue;
    const value = unescapeHtml((area[2] ?? '').replace(/^\n/, ''));
    fields.push({ name, kind: 'textarea', value, checked: false, options: [] });
  }
  return fields;
}

let serial = 0;
/** A value a person might type into an empty field of this name, so that the rest of a form is valid. */
export function plausible(name: string): string {
  serial += 1;
  if (/email/i.test(name)) return `fuzz.${serial}@example.org`;
  if (/phone/i.test(name)) return '01632 960001';
  if (/^currentPassword$/.test(name)) return 'not the current password';
  if (/password/i.test(name)) return 'Quarry-Violet-Trumpet-Lantern-58';
  if (/^upn$/i.test(name)) return makeUpn('999', '4321', 26, serial);
  if (/percent/i.test(name)) return '95.5';
  if (/dateOfBirth-year$/.test(name)) return '2019';
  if (/-day$/.test(name)) return '1';
  if (/-month$/.test(name)) return '6';
  if (/-year$/.test(name)) return '2026';
  return `Fuzz ${name} ${serial}`;
}

/** The form as a person would send it having filled in every field (the first choice where none is made). */
export function filledIn(fields: FormField[]): Pairs {
  const pairs: Pairs = [];
  for (const f of fields) {
    if (f.kind === 'radio' || f.kind === 'checkbox' || f.kind === 'select') {
      const chosen = f.value ? f.value.split('\u0001') : [f.options.find((o) => o !== '') ?? ''];
      for (const v of chosen) pairs.push([f.name, v]);
    } else if (f.kind === 'hidden' || f.value !== '') pairs.push([f.name, f.value]);
    else pairs.push([f.name, plausible(f.name)]);
  }
  return pairs;
}
