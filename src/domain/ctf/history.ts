import type { NeedCode } from '../census.ts';
import { addDays, formatDate, type IsoDate } from '../dates.ts';
import {
  CENSUS_PROVISION,
  classifyRegisterChange,
  onRegister,
  type RegisterChangeKind,
  type RegisterPosition,
  registerRuleErrors,
  type SenStage,
} from '../register.ts';
import type { CtfProvision, CtfSenHistory, CtfSenNeed, CtfSenProvision } from './model.ts';

/**
 * A CTF's SEN history and OpenSEND's register history are two views of the same facts: dated
 * provisions (N, K, E) with ranked needs that apply over periods. These functions turn one into the
 * other and say what breaks the rules ("Moving schools" in DOMAIN.md and the census rules).
 */

export const PROVISION_STAGE: Record<CtfProvision, SenStage> = {
  N: 'none',
  K: 'sen_support',
  E: 'ehc_plan',
};

export interface TimelinePoint extends RegisterPosition {
  date: IsoDate;
}

function latestProvision(history: CtfSenHistory): CtfSenProvision | null {
  let latest: CtfSenProvision | null = null;
  for (const p of history.provisions) if (!latest || p.startDate > latest.startDate) latest = p;
  return latest;
}

/**
 * When a need applies from. A need the file gives no start date for applies from the start of the
 * pupil's latest provision: the file does not say when it began, so it is not carried further back.
 */
function needStart(need: CtfSenNeed, history: CtfSenHistory): IsoDate | null {
  return need.startDate ?? latestProvision(history)?.startDate ?? null;
}

function needsOn(history: CtfSenHistory, date: IsoDate): CtfSenNeed[] {
  return history.needs
    .filter((n) => {
      const start = needStart(n, history);
      return start !== null && start <= date && (n.endDate === null || n.endDate >= date);
    })
    .sort((a, b) => a.rank - b.rank);
}

function provisionOn(history: CtfSenHistory, date: IsoDate): CtfProvision {
  let found: CtfSenProvision | null = null;
  for (const p of history.provisions) {
    if (p.startDate <= date && (!found || p.startDate > found.startDate)) found = p;
  }
  return found?.provision ?? 'N';
}

function positionOn(history: CtfSenHistory, date: IsoDate): RegisterPosition {
  const stage = PROVISION_STAGE[provisionOn(history, date)];
  if (!onRegister(stage)) return { stage, primaryNeed: null, secondaryNeed: null };
  const needs = needsOn(history, date);
  return { stage, primaryNeed: needs[0]?.type ?? null, secondaryNeed: needs[1]?.type ?? null };
}

const samePosition = (a: RegisterPosition, b: RegisterPosition) =>
  a.stage === b.stage && a.primaryNeed === b.primaryNeed && a.secondaryNeed === b.secondaryNeed;

/** Every date the position changed, from no SEN, oldest first: the register entries the history makes. */
export function senTimeline(history: CtfSenHistory): TimelinePoint[] {
  const dates = new Set<IsoDate>();
  for (const p of history.provisions) dates.add(p.startDate);
  for (const n of history.needs) {
    const start = needStart(n, history);
    if (start) dates.add(start);
    if (n.endDate) dates.add(addDays(n.endDate, 1));
  }
  const first = [...history.provisions].sort((a, b) => (a.startDate < b.startDate ? -1 : 1))[0];
  const points: TimelinePoint[] = [];
  let previous: RegisterPosition = { stage: 'none', primaryNeed: null, secondaryNeed: null };
  for (const date of [...dates].sort()) {
    if (!first || date < first.startDate) continue;
    const position = positionOn(history, date);
    if (samePosition(position, previous)) continue;
    points.push({ date, ...position });
    previous = position;
  }
  return points;
}

/** A register entry the history makes: its date, the position before and after, and what the change was. */
export interface HistoryEntry {
  effectiveDate: IsoDate;
  from: RegisterPosition;
  to: RegisterPosition;
  kind: RegisterChangeKind;
}

export function registerEntriesOf(history: CtfSenHistory): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  let from: RegisterPosition = { stage: 'none', primaryNeed: null, secondaryNeed: null };
  for (const point of senTimeline(history)) {
    const { date, ...to } = point;
    const change = classifyRegisterChange(from, to);
    if ('kind' in change) entries.push({ effectiveDate: date, from, to, kind: change.kind });
    from = to;
  }
  return entries;
}

/** Where the history leaves the pupil now: the position after its last change (no SEN if none). */
export function currentPosition(history: CtfSenHistory): RegisterPosition {
  const points = senTimeline(history);
  const last = points.at(-1);
  return last
    ? { stage: last.stage, primaryNeed: last.primaryNeed, secondaryNeed: last.secondaryNeed }
    : { stage: 'none', primaryNeed: null, secondaryNeed: null };
}

export interface HistoryRuleOptions {
  dateOfBirth: IsoDate;
  today: IsoDate;
  /**
   * Writing: ranks 1 and 2 only, and no need at N at any time. Reading another school's file accepts
   * further ranks (the census allows them; OpenSEND keeps the two first) and judges needs at N only now.
   */
  strict: boolean;
}

/** What breaks the rules in a pupil's SEN history, in plain English (empty when nothing does). */
export function senHistoryProblems(history: CtfSenHistory, options: HistoryRuleOptions): string[] {
  const problems: string[] = [];
  const seenDates = new Set<IsoDate>();
  for (const p of history.provisions) {
    if (p.startDate > options.today) {
      problems.push(
        `SEN provision ${p.provision} starts on ${formatDate(p.startDate)}, which is in the future`,
      );
    }
    if (p.startDate < options.dateOfBirth) {
      problems.push(
        `SEN provision ${p.provision} starts on ${formatDate(p.startDate)}, before the pupil was born`,
      );
    }
    if (seenDates.has(p.startDate)) {
      problems.push(`Two SEN provisions start on the same day (${formatDate(p.startDate)})`);
    }
    seenDates.add(p.startDate);
  }
  if (history.needs.length > 0 && history.provisions.length === 0) {
    problems.push('Types of need are given without any dated SEN provision');
  }
  for (const n of history.needs) {
    if (options.strict ? n.rank !== 1 && n.rank !== 2 : n.rank < 1) {
      problems.push(`${n.type} has rank ${n.rank}: ranks are 1 (primary need) and 2 (secondary need)`);
    }
    if (n.startDate && n.endDate && n.endDate < n.startDate) {
      problems.push(`${n.type} ends on ${formatDate(n.endDate)}, before it starts`);
    }
    if (n.startDate && n.startDate > options.today) {
      problems.push(`${n.type} starts on ${formatDate(n.startDate)}, which is in the future`);
    }
  }
  // No rank twice, and no type twice, among the needs that apply at once.
  const checkDates = new Set<IsoDate>([...history.provisions.map((p) => p.startDate)]);
  for (const n of history.needs) {
    const start = needStart(n, history);
    if (start) checkDates.add(start);
  }
  const reported = new Set<string>();
  for (const date of [...checkDates].sort()) {
    const active = needsOn(history, date);
    const ranks = new Map<number, NeedCode>();
    const types = new Set<NeedCode>();
    for (const n of active) {
      if (ranks.has(n.rank) && !reported.has(`rank${n.rank}`)) {
        problems.push(`Two needs have rank ${n.rank} at the same time (${ranks.get(n.rank)} and ${n.type})`);
        reported.add(`rank${n.rank}`);
      }
      if (types.has(n.type) && !reported.has(`type${n.type}`)) {
        problems.push(`${n.type} is given twice at the same time`);
        reported.add(`type${n.type}`);
      }
      ranks.set(n.rank, n.type);
      types.add(n.type);
    }
    const provision = provisionOn(history, date);
    const isLast = date === [...checkDates].sort().at(-1);
    if (provision === 'N' && active.length > 0 && (options.strict || isLast) && !reported.has('needsAtN')) {
      problems.push(
        `Types of need (${active.map((n) => n.type).join(', ')}) are given for ${formatDate(date)}, when SEN provision is N: needs are recorded only at K or E`,
      );
      reported.add('needsAtN');
    }
  }
  // The census rules for each position the history passes through; the latest needs a primary need.
  const points = senTimeline(history);
  points.forEach((point, i) => {
    for (const e of registerRuleErrors(point)) {
      const needed = e.message.startsWith('Select the primary need');
      if (needed && i < points.length - 1) continue;
      const text = needed
        ? `No primary need (rank 1) is given for ${point.stage === 'ehc_plan' ? 'the EHC plan (E)' : 'SEN support (K)'} from ${formatDate(point.date)}`
        : `${e.message} (from ${formatDate(point.date)})`;
      if (!problems.includes(text)) problems.push(text);
    }
  });
  return problems;
}

/** One dated register entry of OpenSEND, oldest first, for writing a pupil's SEN history. */
export interface RegisterHistoryItem {
  effectiveDate: IsoDate;
  stage: SenStage;
  primaryNeed: NeedCode | null;
  secondaryNeed: NeedCode | null;
}

/**
 * A pupil's register history as a CTF's SEN history: a SEN provision each time the census code
 * changes (monitoring is N), and each need with the dates it applied at its rank.
 */
export function senHistoryFromRegister(entries: readonly RegisterHistoryItem[]): CtfSenHistory {
  const provisions: CtfSenProvision[] = [];
  const needs: CtfSenNeed[] = [];
  const open: (CtfSenNeed | null)[] = [null, null];
  let previous: CtfProvision = 'N';
  for (const e of entries) {
    const code = CENSUS_PROVISION[e.stage];
    if (code !== previous) {
      const last = provisions.at(-1);
      if (last && last.startDate === e.effectiveDate) {
        provisions.pop();
        const before = provisions.at(-1)?.provision ?? 'N';
        if (before !== code) provisions.push({ startDate: e.effectiveDate, provision: code });
      } else {
        provisions.push({ startDate: e.effectiveDate, provision: code });
      }
      previous = code;
    }
    const wanted = onRegister(e.stage) ? [e.primaryNeed, e.secondaryNeed] : [null, null];
    for (const i of [0, 1]) {
      const current = open[i] ?? null;
      if (current?.type === wanted[i]) continue;
      if (current) {
        if (current.startDate === e.effectiveDate) needs.splice(needs.indexOf(current), 1);
        else current.endDate = addDays(e.effectiveDate, -1);
      }
      const type = wanted[i];
      open[i] = type ? { type, rank: i + 1, startDate: e.effectiveDate, endDate: null } : null;
      if (open[i]) needs.push(open[i]!);
    }
  }
  return { provisions, needs };
}
