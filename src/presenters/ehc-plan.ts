import { isNeedCode, needLabel } from '../domain/census.ts';
import { formatDate } from '../domain/dates.ts';
import { ADVICE_SOURCES } from '../domain/ehc.ts';
import {
  itemRef,
  PLAN_SECTION_KEYS,
  PLAN_SECTION_SHORT,
  PLAN_SECTIONS,
  type PlanNeed,
  type PlanProvision,
  type PlanSectionKey,
  type PlanSections,
  placementSettingText,
  SOCIAL_CARE_KINDS,
} from '../domain/ehc-plan.ts';

/*
 * An EHC plan as a document to read (docs/adr/0038): every section in order with its heading, each need,
 * outcome and item of provision numbered by its section (B1, E2, F3: the way plans are cross-referenced),
 * an outcome with the needs it meets and the provision that serves it, each item of provision with who,
 * what, how often and for how long and the needs it meets. Codes in words, dates formatted, an empty
 * section said to be empty, a link to an item no longer in the plan said to be missing. One shape for the
 * page (the `ehcPlan` macro in web/views/ehc-plan.njk) and any document made from a plan.
 */

/** A reference from one item to another: its number (B1), its words, and whether it is in the plan. */
export interface PlanItemLink {
  ref: string;
  /** The part of an anchor that names it on a page (`<prefix>-b1`); null when it is not in the plan. */
  anchor: string | null;
  text: string;
}

export interface PlanNeedView {
  id: string;
  ref: string;
  anchor: string;
  text: string;
  needType: string | null;
}

export interface PlanOutcomeView {
  id: string;
  ref: string;
  anchor: string;
  text: string;
  by: string | null;
  needs: PlanItemLink[];
  provision: PlanItemLink[];
}

export interface PlanProvisionView {
  id: string;
  ref: string;
  anchor: string;
  what: string;
  who: string;
  frequency: string;
  duration: string;
  needs: PlanItemLink[];
  /** The outcomes it serves (found from E). */
  outcomes: PlanItemLink[];
  socialCareKind: string | null;
}

interface SectionBase<K extends PlanSectionKey> {
  key: K;
  heading: string;
  short: string;
}

export type PlanSectionView =
  | (SectionBase<'a' | 'j'> & { kind: 'text'; text: string })
  | (SectionBase<'b' | 'c' | 'd'> & { kind: 'needs'; needs: PlanNeedView[] })
  | (SectionBase<'e'> & { kind: 'outcomes'; outcomes: PlanOutcomeView[] })
  | (SectionBase<'f' | 'g' | 'h1' | 'h2'> & { kind: 'provision'; provision: PlanProvisionView[] })
  | (SectionBase<'i'> & {
      kind: 'placement';
      placement: { name: string; urn: string | null; kind: string | null } | null;
    })
  | (SectionBase<'k'> & {
      kind: 'advice';
      advice: { ref: string; title: string; source: string; receivedOn: string | null }[];
    });

export interface PlanView {
  sections: PlanSectionView[];
  /** Every numbered item by its id, for a page that refers to one (a target taken from E1). */
  items: Record<string, PlanItemLink>;
}

const NEED_SECTIONS = ['b', 'c', 'd'] as const;
const PROVISION_KEYS = ['f', 'g', 'h1', 'h2'] as const;

/** The number of an item in its section: B1, E2, H1-3 (domain/ehc-plan.ts). */
export { itemRef };

const provisionText = (p: PlanProvision) => p.what;
const needText = (n: PlanNeed) => n.text;

/** The plan as a document: every section (or those asked for), numbered and cross-referenced. */
export function planView(sections: PlanSections, only?: readonly PlanSectionKey[]): PlanView {
  const items: Record<string, PlanItemLink> = {};
  const refOf = new Map<string, PlanItemLink>();
  const add = (id: string, ref: string, text: string) => {
    const link = { ref, anchor: ref.toLowerCase(), text };
    if (!refOf.has(id)) refOf.set(id, link);
    items[id] = link;
    return link;
  };
  for (const key of NEED_SECTIONS) {
    sections[key].needs.forEach((n, i) => {
      add(n.id, itemRef(key, i), needText(n));
    });
  }
  for (const key of PROVISION_KEYS) {
    sections[key].provision.forEach((p, i) => {
      add(p.id, itemRef(key, i), provisionText(p));
    });
  }
  sections.e.outcomes.forEach((o, i) => {
    add(o.id, itemRef('e', i), o.text);
  });
  const link = (id: string, kind: 'need' | 'provision' | 'outcome'): PlanItemLink =>
    refOf.get(id) ?? { ref: '', anchor: null, text: `A ${kind} no longer in the plan` };

  const outcomesServedBy = new Map<string, PlanItemLink[]>();
  for (const o of sections.e.outcomes) {
    for (const pid of o.provisionIds) {
      outcomesServedBy.set(pid, [...(outcomesServedBy.get(pid) ?? []), link(o.id, 'outcome')]);
    }
  }

  const heading = <K extends PlanSectionKey>(key: K): SectionBase<K> => ({
    key,
    heading: PLAN_SECTIONS[key],
    short: PLAN_SECTION_SHORT[key],
  });
  const view = (key: PlanSectionKey): PlanSectionView => {
    switch (key) {
      case 'a':
      case 'j':
        return { ...heading(key), kind: 'text', text: sections[key].text };
      case 'b':
      case 'c':
      case 'd':
        return {
          ...heading(key),
          kind: 'needs',
          needs: sections[key].needs.map((n, i) => ({
            id: n.id,
            ref: itemRef(key, i),
            anchor: itemRef(key, i).toLowerCase(),
            text: n.text,
            needType: n.needType && isNeedCode(n.needType) ? needLabel(n.needType) : null,
          })),
        };
      case 'e':
        return {
          ...heading(key),
          kind: 'outcomes',
          outcomes: sections.e.outcomes.map((o, i) => ({
            id: o.id,
            ref: itemRef('e', i),
            anchor: itemRef('e', i).toLowerCase(),
            text: o.text,
            by: o.by ? formatDate(o.by) : null,
            needs: o.needIds.map((id) => link(id, 'need')),
            provision: o.provisionIds.map((id) => link(id, 'provision')),
          })),
        };
      case 'f':
      case 'g':
      case 'h1':
      case 'h2':
        return {
          ...heading(key),
          kind: 'provision',
          provision: sections[key].provision.map((p, i) => ({
            id: p.id,
            ref: itemRef(key, i),
            anchor: itemRef(key, i).toLowerCase(),
            what: p.what,
            who: p.who,
            frequency: p.frequency,
            duration: p.duration,
            needs: p.needIds.map((id) => link(id, 'need')),
            outcomes: outcomesServedBy.get(p.id) ?? [],
            socialCareKind: p.socialCareKind ? (SOCIAL_CARE_KINDS[p.socialCareKind] ?? null) : null,
          })),
        };
      case 'i':
        return {
          ...heading(key),
          kind: 'placement',
          placement: sections.i
            ? { name: sections.i.name, urn: sections.i.urn, kind: placementSettingText(sections.i.kind) }
            : null,
        };
      case 'k':
        return {
          ...heading(key),
          kind: 'advice',
          advice: sections.k.advice.map((a, i) => ({
            ref: itemRef('k', i),
            title: a.title,
            source:
              a.source === 'request'
                ? 'The school’s request for an EHC needs assessment'
                : (ADVICE_SOURCES[a.source as keyof typeof ADVICE_SOURCES] ?? a.source),
            receivedOn: a.receivedOn ? formatDate(a.receivedOn) : null,
          })),
        };
    }
  };
  const keys =
    only && only.length > 0 ? PLAN_SECTION_KEYS.filter((k) => only.includes(k)) : PLAN_SECTION_KEYS;
  return { sections: keys.map(view), items };
}
