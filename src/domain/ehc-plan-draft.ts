import { isNeedCode, needLabel } from './census.ts';
import type { IsoDate } from './dates.ts';
import { ADVICE_SOURCES, type AdviceSource, isKeyOf } from './ehc.ts';
import { emptySections, type PlanAdvice, type PlanNeed, type PlanSections } from './ehc-plan.ts';

/*
 * The first draft of an EHC plan, written from what the assessment gathered (docs/adr/0038): section A
 * from the views in the school's pack (the child's one-page profile and views, the parents' views);
 * section B from the pack's needs (the census types of need, in their ranks, the primary first, the
 * pack's summary of need beside the first); section K from the request itself and every piece of advice
 * received (or already held). Section I is left blank: a draft names no school. Pure, and tolerant of a
 * copy that is not a whole pack (a request sent by hand): what is missing is left for the caseworker.
 */

export interface DraftAdvice {
  id: string;
  source: AdviceSource;
  askedOf: string;
  receivedOn: IsoDate | null;
  alreadyHeld: boolean;
}

const record = (v: unknown): Record<string, unknown> | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** Section A: the child's words first, then the parents'. */
export function viewsFromPack(received: unknown): string {
  const pack = record(received);
  const parts: string[] = [];
  const childs = record(pack?.childsViews);
  const profile = record(childs?.profile);
  const labelled: [string, unknown][] = [
    ['What people like and admire about me', profile?.likeAndAdmire],
    ['What is important to me', profile?.importantToMe],
    ['How best to support me', profile?.howToSupportMe],
  ];
  for (const [label, value] of labelled) {
    const t = text(value);
    if (t) parts.push(`${label}: ${t}`);
  }
  for (const v of list(childs?.views)) {
    const t = text(record(v)?.text);
    if (t) parts.push(`The child’s views (${text(record(v)?.context) ?? 'given to the school'}): ${t}`);
  }
  for (const v of list(pack?.parentsViews)) {
    const t = text(record(v)?.text);
    if (t) parts.push(`The parents’ views (${text(record(v)?.context) ?? 'given to the school'}): ${t}`);
  }
  return parts.join('\n\n');
}

/** Section B: one need for each census type of need in the pack, by rank. */
export function needsFromPack(received: unknown): PlanNeed[] {
  const pack = record(received);
  const child = record(pack?.child);
  const summary = text(record(pack?.need)?.summary);
  const types = list(child?.senTypes)
    .map((t) => record(t))
    .filter(
      (t): t is Record<string, unknown> => !!t && typeof t.senType === 'string' && isNeedCode(t.senType),
    )
    .sort((x, y) => Number(x.senTypeRank ?? 9) - Number(y.senTypeRank ?? 9));
  const seen = new Set<string>();
  const needs: PlanNeed[] = [];
  for (const t of types) {
    const code = t.senType as string;
    if (seen.has(code) || !isNeedCode(code)) continue;
    seen.add(code);
    needs.push({
      id: `need-${needs.length + 1}`,
      needType: code,
      text: needs.length === 0 && summary ? summary : `${needLabel(code)}: describe the child’s needs.`,
    });
  }
  if (needs.length === 0 && summary) needs.push({ id: 'need-1', needType: null, text: summary });
  return needs;
}

/** Section K: the request and its evidence, then each piece of advice received or already held. */
export function adviceForPlan(receivedOn: IsoDate, advice: readonly DraftAdvice[]): PlanAdvice[] {
  return [
    {
      id: 'advice-request',
      source: 'request',
      title: 'The school’s request for an EHC needs assessment and its evidence',
      receivedOn,
    },
    ...advice
      .filter((a) => a.receivedOn !== null || a.alreadyHeld)
      .map((a) => ({
        id: `advice-${a.id}`,
        source: a.source,
        title: `${isKeyOf(ADVICE_SOURCES, a.source) ? ADVICE_SOURCES[a.source] : a.source}: ${a.askedOf}${a.alreadyHeld ? ' (advice already held)' : ''}`,
        receivedOn: a.receivedOn,
        caseAdviceId: a.id,
      })),
  ];
}

/** The first draft of the plan from the case: A, B and K filled, I blank, the rest to write. */
export function draftSections(
  received: unknown,
  receivedOn: IsoDate,
  advice: readonly DraftAdvice[],
): PlanSections {
  const sections = emptySections();
  sections.a = { text: viewsFromPack(received) };
  sections.b = { needs: needsFromPack(received) };
  sections.k = { advice: adviceForPlan(receivedOn, advice) };
  return sections;
}
