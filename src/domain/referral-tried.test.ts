import { describe, expect, it } from 'vitest';
import { triedText, weeklyTime } from './referral-tried.ts';

describe('what has been tried, drawn from the plan and provision', () => {
  it('lists the targets with their outcomes, the strategies and interventions, and each group with its time and dates', () => {
    const text = triedText(
      {
        cycle: 2,
        status: 'active',
        startDate: '2026-09-14',
        reviewDate: '2026-12-11',
        qualityFirst: 'Visual timetable; instructions chunked',
        interventions: 'Talk Boost',
        targets: [
          { target: 'Follow a two-step instruction', outcome: 'partly_achieved' },
          { target: 'Ask for help with a card', outcome: null },
        ],
      },
      [
        {
          interventionName: 'Talk Boost',
          groupName: 'Talk Boost: Year 3',
          sessionsPerWeek: 3,
          minutesPerSession: 20,
          from: '2026-09-21',
          to: null,
        },
        {
          interventionName: 'Precision teaching',
          groupName: 'Wednesday group',
          sessionsPerWeek: 1,
          minutesPerSession: 30,
          from: '2026-01-12',
          to: '2026-03-27',
        },
      ],
      'SEN Support Plan',
    );
    expect(text).toBe(
      [
        'SEN Support Plan 2 (from 14 September 2026 to 11 December 2026):',
        '- Target: Follow a two-step instruction (partly achieved)',
        '- Target: Ask for help with a card',
        '- In class: Visual timetable; instructions chunked',
        '- Interventions: Talk Boost',
        '',
        'Provision:',
        '- Talk Boost: Year 3: 3 × 20 minutes a week (1 hour), since 21 September 2026',
        '- Precision teaching (Wednesday group): 1 × 30 minutes a week (30 minutes), from 12 January 2026 to 27 March 2026',
      ].join('\n'),
    );
  });

  it('is empty when there is no plan and no provision, and leaves out an empty plan', () => {
    expect(triedText(null, [], 'Plan')).toBe('');
    expect(
      triedText(
        {
          cycle: 1,
          status: 'draft',
          startDate: null,
          reviewDate: null,
          qualityFirst: ' ',
          interventions: null,
          targets: [],
        },
        [],
        'Plan',
      ),
    ).toBe('');
  });

  it('says the time a week in minutes under an hour, in hours from an hour', () => {
    expect(weeklyTime(2, 20)).toBe('40 minutes');
    expect(weeklyTime(3, 20)).toBe('1 hour');
    expect(weeklyTime(3, 30)).toBe('1.5 hours');
  });
});
