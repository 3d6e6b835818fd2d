import {
  CSDPA_SECTION_2_KINDS,
  PLAN_SECTION_KEYS,
  PLAN_SECTION_SHORT,
  PLAN_SECTIONS,
  type PlanAdvice,
  type PlanNeed,
  type PlanOutcome,
  type PlanPlacement,
  type PlanProvision,
  type PlanSectionKey,
  type PlanSections,
  PROVISION_SECTIONS,
  type ProvisionSectionKey,
  placementSettingText,
  SOCIAL_CARE_KINDS,
} from './ehc-plan.ts';

/*
 * The plan-quality check and the comparison of two versions (docs/adr/0038). Pure.
 *
 * The check follows the golden thread of the SEND Code of Practice (9.61–9.69): every special
 * educational need in B is met by provision in F; every outcome in E is served by provision; every item
 * of provision is specified and quantified — who gives it, how often, for how long, without the words
 * that leave it open ("access to", "as needed", "up to", "regular"…), or it cannot be enforced; and
 * social care stands in the right one of H1 (services under section 2 of the Chronically Sick and
 * Disabled Persons Act 1970) and H2 (all other social care). Health needs in C and social care needs in D
 * are held to the same thread with G and with H1/H2. The caseworker sees the findings before a draft
 * goes to the parents and on the plan; they do not stop a plan being sent (a caseworker may have
 * reasons), they say what a tribunal would ask.
 */

export const QUALITY_RULES = {
  need_without_provision: 'A need with no provision to meet it',
  outcome_without_provision: 'An outcome with no provision to serve it',
  outcome_without_need: 'An outcome that names no need it meets',
  provision_not_specified: 'Provision that is not specified and quantified',
  social_care_misplaced: 'Social care provision in the wrong one of H1 and H2',
} as const;
export type QualityRule = keyof typeof QUALITY_RULES;

export interface QualityFinding {
  rule: QualityRule;
  /** The section of the need, outcome or item the finding is about. */
  section: PlanSectionKey;
  /** The section where it is put right: a need with no provision is met by writing the provision. */
  fixIn: PlanSectionKey;
  /** The need, outcome or item of provision the finding is about. */
  itemId: string;
  /** What is wrong and how to put it right, in plain words. */
  message: string;
}

/** Words that leave provision open to interpretation: each found is named in the finding. */
export const VAGUE_WORDS: readonly { pattern: RegExp; words: string }[] = [
  { pattern: /\baccess to\b/i, words: 'access to' },
  { pattern: /\bas (?:and when )?(?:needed|required|necessary|appropriate)\b/i, words: 'as needed' },
  { pattern: /\b(?:where|when|if) (?:needed|required|necessary|appropriate)\b/i, words: 'where appropriate' },
  { pattern: /\bopportunit(?:y|ies)\b/i, words: 'opportunities' },
  { pattern: /\bup to\b/i, words: 'up to' },
  { pattern: /\bregular(?:ly)?\b/i, words: 'regular' },
];

/** The first few words of a text, for a finding's message ("Speech and language programme…"). */
export function shortText(text: string, words = 8): string {
  const parts = text.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return '(not described)';
  return parts.length > words ? `${parts.slice(0, words).join(' ')}…` : parts.join(' ');
}

/** The sections whose provision meets the needs of a section: B by F, C by G (or F), D by H1 or H2. */
const MEETS: Record<'b' | 'c' | 'd', readonly ProvisionSectionKey[]> = {
  b: ['f'],
  c: ['g', 'f'],
  d: ['h1', 'h2'],
};

/** Whether an item of provision is vague: the words found, or none. */
export function vagueWordsIn(item: Pick<PlanProvision, 'what' | 'who' | 'frequency' | 'duration'>): string[] {
  const text = [item.what, item.who, item.frequency, item.duration].join(' \n ');
  return VAGUE_WORDS.filter((v) => v.pattern.test(text)).map((v) => v.words);
}

/** The plan-quality check: every finding, in the order of the plan's sections. */
export function checkPlan(sections: PlanSections): QualityFinding[] {
  const findings: QualityFinding[] = [];
  const provisionIn = (keys: readonly ProvisionSectionKey[]) => keys.flatMap((k) => sections[k].provision);
  const allProvisionIds = new Set(provisionIn(PROVISION_SECTIONS).map((p) => p.id));

  // Needs (B, C, D) with no provision: named by an item of the right sections, directly or through an
  // outcome that meets the need and names the item.
  for (const key of ['b', 'c', 'd'] as const) {
    const items = provisionIn(MEETS[key]);
    const ids = new Set(items.map((p) => p.id));
    sections[key].needs.forEach((n, i) => {
      const direct = items.some((p) => p.needIds.includes(n.id));
      const throughOutcome = sections.e.outcomes.some(
        (o) => o.needIds.includes(n.id) && o.provisionIds.some((p) => ids.has(p)),
      );
      if (!direct && !throughOutcome)
        findings.push({
          rule: 'need_without_provision',
          section: key,
          fixIn: MEETS[key][0] ?? key,
          itemId: n.id,
          message: `${PLAN_SECTION_SHORT[key]}, need ${i + 1} (“${shortText(n.text)}”) has no provision in ${MEETS[key].map((k) => PLAN_SECTION_SHORT[k]).join(' or ')} to meet it`,
        });
    });
  }

  sections.e.outcomes.forEach((o, i) => {
    const label = `Outcome ${i + 1} (“${shortText(o.text)}”)`;
    if (!o.provisionIds.some((p) => allProvisionIds.has(p)))
      findings.push({
        rule: 'outcome_without_provision',
        section: 'e',
        fixIn: 'e',
        itemId: o.id,
        message: `${label} has no provision to serve it: link it to provision in Section F`,
      });
    const needIds = new Set([...sections.b.needs, ...sections.c.needs, ...sections.d.needs].map((n) => n.id));
    if (!o.needIds.some((n) => needIds.has(n)))
      findings.push({
        rule: 'outcome_without_need',
        section: 'e',
        fixIn: 'e',
        itemId: o.id,
        message: `${label} names no need it meets: link it to a need in Section B`,
      });
  });

  for (const key of PROVISION_SECTIONS) {
    sections[key].provision.forEach((p, i) => {
      const label = `${PLAN_SECTION_SHORT[key]}, item ${i + 1} (“${shortText(p.what)}”)`;
      const missing = [
        p.who.trim() === '' ? 'who provides it' : null,
        p.frequency.trim() === '' ? 'how often' : null,
        p.duration.trim() === '' ? 'for how long' : null,
      ].filter((m): m is string => m !== null);
      if (missing.length > 0)
        findings.push({
          rule: 'provision_not_specified',
          section: key,
          fixIn: key,
          itemId: p.id,
          message: `${label} does not say ${missing.join(', ')}`,
        });
      const vague = vagueWordsIn(p);
      if (vague.length > 0)
        findings.push({
          rule: 'provision_not_specified',
          section: key,
          fixIn: key,
          itemId: p.id,
          message: `${label} uses words that leave it open (${vague.map((v) => `“${v}”`).join(', ')}): say exactly what is provided`,
        });
      if (key === 'h1' || key === 'h2') {
        const kind = p.socialCareKind ?? null;
        const csdpa = kind !== null && CSDPA_SECTION_2_KINDS.includes(kind);
        if (kind === null)
          findings.push({
            rule: 'social_care_misplaced',
            section: key,
            fixIn: key,
            itemId: p.id,
            message: `${label} does not say what kind of social care it is, so whether it belongs in H1 or H2 cannot be checked`,
          });
        else if (key === 'h1' && !csdpa)
          findings.push({
            rule: 'social_care_misplaced',
            section: key,
            fixIn: key,
            itemId: p.id,
            message: `${label} is ${SOCIAL_CARE_KINDS[kind].toLowerCase()}: not a service under section 2 of the 1970 Act, so it belongs in Section H2`,
          });
        else if (key === 'h2' && csdpa)
          findings.push({
            rule: 'social_care_misplaced',
            section: key,
            fixIn: key,
            itemId: p.id,
            message: `${label} is ${SOCIAL_CARE_KINDS[kind].toLowerCase()}: a service under section 2 of the 1970 Act, so it belongs in Section H1`,
          });
      }
    });
  }
  const order = new Map(PLAN_SECTION_KEYS.map((k, i) => [k, i]));
  return findings.sort((x, y) => (order.get(x.section) ?? 0) - (order.get(y.section) ?? 0));
}

/* ---------------------------------------------------------------------------------------------------
 * What changed between two versions: section by section, item by item (items matched by their ids,
 * which stay the same across versions), each field's old and new words.
 */

export interface FieldDifference {
  label: string;
  from: string;
  to: string;
}

export interface ItemDifference {
  change: 'added' | 'removed' | 'changed';
  itemId: string | null;
  /** The item as it reads (its text, or what it provides). */
  label: string;
  fields: FieldDifference[];
}

export interface SectionDifference {
  section: PlanSectionKey;
  heading: string;
  items: ItemDifference[];
}

type Item = { id: string };

function listDifferences<T extends Item>(
  from: readonly T[],
  to: readonly T[],
  label: (item: T) => string,
  fieldsFrom: (item: T) => [string, string][],
  fieldsTo: (item: T) => [string, string][] = fieldsFrom,
): ItemDifference[] {
  const out: ItemDifference[] = [];
  const before = new Map(from.map((x) => [x.id, x]));
  const after = new Map(to.map((x) => [x.id, x]));
  for (const item of to) {
    const old = before.get(item.id);
    if (!old) {
      out.push({ change: 'added', itemId: item.id, label: label(item), fields: [] });
      continue;
    }
    const a = fieldsFrom(old);
    const b = fieldsTo(item);
    const changed = b
      .map(([name, value], i) => ({ label: name, from: a[i]?.[1] ?? '', to: value }))
      .filter((f) => f.from !== f.to);
    if (changed.length > 0)
      out.push({ change: 'changed', itemId: item.id, label: label(item), fields: changed });
  }
  for (const item of from)
    if (!after.has(item.id)) out.push({ change: 'removed', itemId: item.id, label: label(item), fields: [] });
  return out;
}

function textDifference(from: string, to: string): ItemDifference[] {
  return from === to
    ? []
    : [{ change: 'changed', itemId: null, label: 'The text', fields: [{ label: 'Text', from, to }] }];
}

/** The names of the linked items, as read ("need 1, need 2"), in the plan they are in. */
function linkNames(ids: readonly string[], names: ReadonlyMap<string, string>): string {
  return ids.map((id) => names.get(id) ?? 'an item no longer in the plan').join('; ') || 'none';
}

function namesOf(sections: PlanSections): Map<string, string> {
  const names = new Map<string, string>();
  for (const k of ['b', 'c', 'd'] as const)
    for (const n of sections[k].needs) names.set(n.id, `${PLAN_SECTION_SHORT[k]}: ${shortText(n.text, 6)}`);
  for (const k of PROVISION_SECTIONS)
    for (const p of sections[k].provision)
      names.set(p.id, `${PLAN_SECTION_SHORT[k]}: ${shortText(p.what, 6)}`);
  return names;
}

function placementText(i: PlanPlacement | null): string {
  if (!i) return 'No school named';
  return [i.name, i.urn ? `URN ${i.urn}` : null, placementSettingText(i.kind)].filter(Boolean).join(', ');
}

/** What changed from version `a` to version `b`: the sections that changed, each with its items. */
export function compareVersions(a: PlanSections, b: PlanSections): SectionDifference[] {
  const namesA = namesOf(a);
  const namesB = namesOf(b);
  const needFields = (n: PlanNeed): [string, string][] => [
    ['Need', n.text],
    ['Type of need', n.needType ?? ''],
  ];
  const provisionFields =
    (names: ReadonlyMap<string, string>) =>
    (p: PlanProvision): [string, string][] => [
      ['What', p.what],
      ['Who', p.who],
      ['How often', p.frequency],
      ['For how long', p.duration],
      ['Needs it meets', linkNames(p.needIds, names)],
      ['Kind of social care', p.socialCareKind ? SOCIAL_CARE_KINDS[p.socialCareKind] : ''],
    ];
  const outcomeFields =
    (names: ReadonlyMap<string, string>) =>
    (o: PlanOutcome): [string, string][] => [
      ['Outcome', o.text],
      ['By', o.by ?? ''],
      ['Needs it meets', linkNames(o.needIds, names)],
      ['Provision that serves it', linkNames(o.provisionIds, names)],
    ];
  const adviceFields = (x: PlanAdvice): [string, string][] => [
    ['Advice', x.title],
    ['Received', x.receivedOn ?? ''],
  ];
  const out: SectionDifference[] = [];
  for (const key of PLAN_SECTION_KEYS) {
    let items: ItemDifference[];
    switch (key) {
      case 'a':
      case 'j':
        items = textDifference(a[key].text, b[key].text);
        break;
      case 'b':
      case 'c':
      case 'd':
        items = listDifferences(a[key].needs, b[key].needs, (n) => shortText(n.text, 12), needFields);
        break;
      case 'e':
        // Links are compared by what they name in each version, so a link to a renumbered item reads the same.
        items = listDifferences(
          a.e.outcomes,
          b.e.outcomes,
          (o) => shortText(o.text, 12),
          outcomeFields(namesA),
          outcomeFields(namesB),
        );
        break;
      case 'f':
      case 'g':
      case 'h1':
      case 'h2':
        items = listDifferences(
          a[key].provision,
          b[key].provision,
          (p) => shortText(p.what, 12),
          provisionFields(namesA),
          provisionFields(namesB),
        );
        break;
      case 'i': {
        const from = placementText(a.i);
        const to = placementText(b.i);
        items =
          from === to
            ? []
            : [
                {
                  change: 'changed',
                  itemId: null,
                  label: 'The school or institution',
                  fields: [{ label: 'Named', from, to }],
                },
              ];
        break;
      }
      case 'k':
        items = listDifferences(a.k.advice, b.k.advice, (x) => x.title, adviceFields);
        break;
    }
    if (items.length > 0) out.push({ section: key, heading: PLAN_SECTIONS[key], items });
  }
  return out;
}
