import type { Section } from './access.ts';
import { formatDate, type IsoDate } from './dates.ts';

/*
 * What a referral says the school has tried, drawn from the pupil's plan and provision (the SENCo then
 * edits it), and how the sections a school may share read on a referral form and page.
 */

/** The sections a school may share, as a parent or a professional would read them. */
export const SHARE_SECTION_LABELS: Partial<Record<Section, string>> = {
  identity: 'Name, date of birth and contacts',
  medical: 'Medical information',
  register: 'SEN stage and needs',
  concerns: 'Concerns raised and their outcomes',
  plans: 'Support plans and their reviews',
  provision: 'Provision: groups and interventions, with attendance',
};

export interface TriedPlan {
  cycle: number;
  status: string;
  startDate: IsoDate | null;
  reviewDate: IsoDate | null;
  qualityFirst: string | null;
  interventions: string | null;
  targets: { target: string; outcome: string | null }[];
}

export interface TriedGroup {
  interventionName: string;
  groupName: string;
  sessionsPerWeek: number;
  minutesPerSession: number;
  /** When the pupil joined and left (or the group ended); null when still in it. */
  from: IsoDate;
  to: IsoDate | null;
}

const OUTCOME_WORDS: Record<string, string> = {
  achieved: 'achieved',
  partly_achieved: 'partly achieved',
  not_achieved: 'not achieved',
};

/** Hours a week, in words a busy reader takes in: "1 hour", "40 minutes", "1.5 hours". */
export function weeklyTime(sessionsPerWeek: number, minutesPerSession: number): string {
  const minutes = sessionsPerWeek * minutesPerSession;
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round((minutes / 60) * 10) / 10;
  return `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
}

/**
 * The text a referral's "what has been tried" starts from: the plan's targets (with their outcome where
 * reviewed), its strategies and interventions, and each provision group the pupil was in with its time
 * a week and its dates. Empty when nothing is recorded.
 */
export function triedText(plan: TriedPlan | null, groups: readonly TriedGroup[], planName: string): string {
  const parts: string[] = [];
  if (plan) {
    const when = plan.startDate
      ? ` (from ${formatDate(plan.startDate)}${plan.reviewDate ? ` to ${formatDate(plan.reviewDate)}` : ''})`
      : '';
    const lines = [`${planName} ${plan.cycle}${when}:`];
    for (const t of plan.targets) {
      const outcome = t.outcome && OUTCOME_WORDS[t.outcome] ? ` (${OUTCOME_WORDS[t.outcome]})` : '';
      lines.push(`- Target: ${t.target}${outcome}`);
    }
    if (plan.qualityFirst?.trim()) lines.push(`- In class: ${plan.qualityFirst.trim()}`);
    if (plan.interventions?.trim()) lines.push(`- Interventions: ${plan.interventions.trim()}`);
    if (lines.length > 1) parts.push(lines.join('\n'));
  }
  if (groups.length > 0) {
    const lines = ['Provision:'];
    for (const g of groups) {
      const name = g.groupName.toLowerCase().includes(g.interventionName.toLowerCase())
        ? g.groupName
        : `${g.interventionName} (${g.groupName})`;
      const dates = g.to
        ? `from ${formatDate(g.from)} to ${formatDate(g.to)}`
        : `since ${formatDate(g.from)}`;
      lines.push(
        `- ${name}: ${g.sessionsPerWeek} × ${g.minutesPerSession} minutes a week (${weeklyTime(g.sessionsPerWeek, g.minutesPerSession)}), ${dates}`,
      );
    }
    parts.push(lines.join('\n'));
  }
  return parts.join('\n\n');
}
