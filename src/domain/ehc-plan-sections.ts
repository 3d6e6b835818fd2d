import {
  type PlanAdvice,
  type PlanNeed,
  type PlanOutcome,
  type PlanPlacement,
  type PlanProvision,
  type PlanSectionKey,
  type PlanSections,
  PROVISION_SECTIONS,
  type ProvisionSectionKey,
  SOCIAL_CARE_KINDS,
} from './ehc-plan.ts';

/*
 * What one section of an EHC plan may hold (docs/adr/0038): the rules a saved section must keep whatever
 * form it came from — texts within their lengths and free of control characters, ids unique in the plan,
 * and every link (an outcome's needs and provision, an item of provision's needs) to something in the
 * plan. Pure: a section in, its problems out, each naming the field it is about.
 */

export const MAX_SECTION_TEXT = 10_000;
export const MAX_ITEM_TEXT = 2_000;
export const MAX_ITEMS = 100;

export interface SectionProblem {
  field: string;
  message: string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

function textProblem(value: unknown, field: string, label: string, max: number, out: SectionProblem[]) {
  if (typeof value !== 'string') {
    out.push({ field, message: `Enter ${label} as text` });
    return;
  }
  if (value.length > max) out.push({ field, message: `${label} must be ${max} characters or fewer` });
  else if (CONTROL.test(value)) out.push({ field, message: `${label} must not contain control characters` });
}

/** Every id used in the plan's needs (B, C, D) and provision (F, G, H1, H2). */
export function planIds(sections: PlanSections) {
  return {
    needs: new Set([...sections.b.needs, ...sections.c.needs, ...sections.d.needs].map((n) => n.id)),
    provision: new Set(PROVISION_SECTIONS.flatMap((k) => sections[k].provision.map((p) => p.id))),
  };
}

/** The sections a section links to: an outcome names needs and provision; provision names needs. */
function needProblems(needs: readonly PlanNeed[], key: 'b' | 'c' | 'd', out: SectionProblem[]) {
  if (needs.length > MAX_ITEMS)
    out.push({ field: key, message: `A section holds at most ${MAX_ITEMS} needs` });
  needs.forEach((n, i) => {
    const field = `${key}.${i}`;
    if (!ID.test(n.id)) out.push({ field, message: 'A need’s reference is not valid' });
    textProblem(n.text, `${field}.text`, `Need ${i + 1}`, MAX_ITEM_TEXT, out);
    if (typeof n.text === 'string' && n.text.trim() === '')
      out.push({ field: `${field}.text`, message: `Describe need ${i + 1}, or remove it` });
  });
}

function provisionProblems(
  items: readonly PlanProvision[],
  key: ProvisionSectionKey,
  needIds: ReadonlySet<string>,
  out: SectionProblem[],
) {
  if (items.length > MAX_ITEMS)
    out.push({ field: key, message: `A section holds at most ${MAX_ITEMS} items of provision` });
  items.forEach((p, i) => {
    const field = `${key}.${i}`;
    if (!ID.test(p.id)) out.push({ field, message: 'An item’s reference is not valid' });
    textProblem(p.what, `${field}.what`, `What item ${i + 1} provides`, MAX_ITEM_TEXT, out);
    textProblem(p.who, `${field}.who`, `Who provides item ${i + 1}`, MAX_ITEM_TEXT, out);
    textProblem(p.frequency, `${field}.frequency`, `How often item ${i + 1} is given`, MAX_ITEM_TEXT, out);
    textProblem(p.duration, `${field}.duration`, `How long item ${i + 1} lasts`, MAX_ITEM_TEXT, out);
    if (typeof p.what === 'string' && p.what.trim() === '')
      out.push({ field: `${field}.what`, message: `Say what item ${i + 1} provides, or remove it` });
    for (const n of p.needIds)
      if (!needIds.has(n))
        out.push({
          field: `${field}.needIds`,
          message: `Item ${i + 1} names a need that is not in the plan`,
        });
    const kind = p.socialCareKind ?? null;
    if (kind !== null && !Object.hasOwn(SOCIAL_CARE_KINDS, kind))
      out.push({
        field: `${field}.socialCareKind`,
        message: `Choose the kind of social care of item ${i + 1}`,
      });
    if ((key === 'h1' || key === 'h2') && kind === null)
      out.push({
        field: `${field}.socialCareKind`,
        message: `Choose the kind of social care of item ${i + 1}`,
      });
  });
}

function outcomeProblems(
  outcomes: readonly PlanOutcome[],
  ids: { needs: ReadonlySet<string>; provision: ReadonlySet<string> },
  out: SectionProblem[],
) {
  if (outcomes.length > MAX_ITEMS)
    out.push({ field: 'e', message: `Section E holds at most ${MAX_ITEMS} outcomes` });
  outcomes.forEach((o, i) => {
    const field = `e.${i}`;
    if (!ID.test(o.id)) out.push({ field, message: 'An outcome’s reference is not valid' });
    textProblem(o.text, `${field}.text`, `Outcome ${i + 1}`, MAX_ITEM_TEXT, out);
    if (typeof o.text === 'string' && o.text.trim() === '')
      out.push({ field: `${field}.text`, message: `Write outcome ${i + 1}, or remove it` });
    for (const n of o.needIds)
      if (!ids.needs.has(n))
        out.push({
          field: `${field}.needIds`,
          message: `Outcome ${i + 1} names a need that is not in the plan`,
        });
    for (const p of o.provisionIds)
      if (!ids.provision.has(p))
        out.push({
          field: `${field}.provisionIds`,
          message: `Outcome ${i + 1} names provision that is not in the plan`,
        });
  });
}

function adviceProblems(advice: readonly PlanAdvice[], out: SectionProblem[]) {
  if (advice.length > MAX_ITEMS)
    out.push({ field: 'k', message: `Section K holds at most ${MAX_ITEMS} items` });
  advice.forEach((a, i) => {
    const field = `k.${i}`;
    if (!ID.test(a.id)) out.push({ field, message: 'An item’s reference is not valid' });
    textProblem(a.title, `${field}.title`, `Advice ${i + 1}`, MAX_ITEM_TEXT, out);
    textProblem(a.source, `${field}.source`, `Whose advice ${i + 1} is`, 200, out);
  });
}

function placementProblems(i: PlanPlacement | null, out: SectionProblem[]) {
  if (i === null) return;
  textProblem(i.name, 'i.name', 'The school’s name', 300, out);
  if (typeof i.name === 'string' && i.name.trim() === '')
    out.push({ field: 'i.name', message: 'Enter the name of the school or other institution' });
  if (i.urn !== null && !/^\d{6,7}$/.test(i.urn))
    out.push({ field: 'i.urn', message: 'A unique reference number (URN) is 6 or 7 digits' });
  if (i.kind !== null) textProblem(i.kind, 'i.kind', 'The type of school', 300, out);
}

/**
 * The problems of the plan with one section in place (the other sections as they stand, so a link to
 * another section is checked against it). An empty list: the section may be saved.
 */
export function sectionProblems(sections: PlanSections, key: PlanSectionKey): SectionProblem[] {
  const out: SectionProblem[] = [];
  const ids = planIds(sections);
  switch (key) {
    case 'a':
    case 'j':
      textProblem(sections[key].text, `${key}.text`, 'The section', MAX_SECTION_TEXT, out);
      break;
    case 'b':
    case 'c':
    case 'd':
      needProblems(sections[key].needs, key, out);
      break;
    case 'e':
      outcomeProblems(sections.e.outcomes, ids, out);
      break;
    case 'f':
    case 'g':
    case 'h1':
    case 'h2':
      provisionProblems(sections[key].provision, key, ids.needs, out);
      break;
    case 'i':
      placementProblems(sections.i, out);
      break;
    case 'k':
      adviceProblems(sections.k.advice, out);
      break;
  }
  // Ids are unique across the plan: an outcome or a target names one thing.
  const all = [
    ...[...sections.b.needs, ...sections.c.needs, ...sections.d.needs].map((n) => n.id),
    ...PROVISION_SECTIONS.flatMap((k) => sections[k].provision.map((p) => p.id)),
    ...sections.e.outcomes.map((o) => o.id),
  ];
  if (new Set(all).size !== all.length)
    out.push({
      field: key,
      message: 'Two items of the plan have the same reference: save the section again',
    });
  return out;
}

/**
 * A plan's links that point at nothing after a section lost an item (a need removed from B that an
 * outcome still named): the links are dropped, so the plan holds together as saved.
 */
export function withoutDanglingLinks(sections: PlanSections): PlanSections {
  const ids = planIds(sections);
  const provision = (k: ProvisionSectionKey) => ({
    provision: sections[k].provision.map((p) => ({
      ...p,
      needIds: p.needIds.filter((n) => ids.needs.has(n)),
    })),
  });
  return {
    ...sections,
    e: {
      outcomes: sections.e.outcomes.map((o) => ({
        ...o,
        needIds: o.needIds.filter((n) => ids.needs.has(n)),
        provisionIds: o.provisionIds.filter((p) => ids.provision.has(p)),
      })),
    },
    f: provision('f'),
    g: provision('g'),
    h1: provision('h1'),
    h2: provision('h2'),
  };
}
