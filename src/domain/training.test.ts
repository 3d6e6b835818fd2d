import { describe, expect, it } from 'vitest';
import {
  countdownText,
  qualificationDeadline,
  qualificationFor,
  qualificationProblem,
  type SencoAppointmentFacts,
  sencoQualificationStatus,
  trainingAgainstNeeds,
  trainingAreaOf,
  wholeMonthsBetween,
} from './training.ts';

const sam = (over: Partial<SencoAppointmentFacts> = {}): SencoAppointmentFacts => ({
  name: 'Sam Senco',
  appointedOn: '2024-09-01',
  qualification: null,
  startedOn: null,
  achievedOn: null,
  endedOn: null,
  ...over,
});

describe('which qualification a new SENCO takes', () => {
  it('is the NPQ for SENCOs from 1 September 2024, the National Award before', () => {
    expect(qualificationFor('2024-08-31')).toBe('national_award');
    expect(qualificationFor('2024-09-01')).toBe('npq_senco');
    expect(qualificationFor('2019-01-07')).toBe('national_award');
  });

  it('refuses the other qualification in plain words, unless it was held before taking up the post', () => {
    expect(qualificationProblem('2024-09-01', 'national_award', null)).toBe(
      'A SENCo who took up the post on or after 1 September 2024 must achieve the NPQ for SENCOs, not the National Award for SEN Co-ordination',
    );
    expect(qualificationProblem('2024-08-31', 'npq_senco', null)).toBe(
      'A SENCo who took up the post before 1 September 2024 must achieve the National Award for SEN Co-ordination, not the NPQ for SENCOs',
    );
    expect(qualificationProblem('2024-09-01', 'npq_senco', null)).toBeNull();
    expect(qualificationProblem('2024-08-31', 'national_award', '2025-06-01')).toBeNull();
    expect(qualificationProblem('2024-09-01', null, null)).toBeNull();
    expect(qualificationProblem('2025-01-06', 'national_award', '2021-07-01')).toBeNull();
    expect(qualificationProblem('2025-01-06', 'national_award', '2025-07-01')).not.toBeNull();
  });
});

describe('the three-year deadline', () => {
  it('is three years from taking up the post', () => {
    expect(qualificationDeadline('2024-09-01')).toBe('2027-09-01');
  });

  it('falls on 28 February for an appointment on a leap day', () => {
    expect(qualificationDeadline('2028-02-29')).toBe('2031-02-28');
  });

  it('counts down in months, then days', () => {
    expect(countdownText(sam(), '2026-11-20')).toBe(
      'Sam Senco must achieve the NPQ for SENCOs by 1 September 2027: 9 months left',
    );
    expect(countdownText(sam(), '2027-08-20')).toBe(
      'Sam Senco must achieve the NPQ for SENCOs by 1 September 2027: 12 days left',
    );
    expect(countdownText(sam({ appointedOn: '2022-01-10' }), '2025-03-15')).toBe(
      'Overdue: Sam Senco had to achieve the National Award for SEN Co-ordination by 10 January 2025, 2 months ago',
    );
  });

  it('is marked overdue the day after the deadline, not on it', () => {
    expect(sencoQualificationStatus(sam(), '2027-09-01').state).toBe('due');
    expect(sencoQualificationStatus(sam(), '2027-09-02').state).toBe('overdue');
  });

  it('is met once achieved, and nothing more is counted', () => {
    const s = sencoQualificationStatus(
      sam({ startedOn: '2025-01-10', achievedOn: '2026-07-01' }),
      '2026-11-20',
    );
    expect(s).toEqual({ state: 'achieved', qualification: 'npq_senco', achievedOn: '2026-07-01' });
    expect(countdownText(sam({ achievedOn: '2026-07-01' }), '2026-11-20')).toBeNull();
  });

  it('is not counted for a SENCO already qualified when appointed', () => {
    const s = sencoQualificationStatus(
      sam({ qualification: 'national_award', achievedOn: '2015-07-01' }),
      '2026-11-20',
    );
    expect(s).toEqual({ state: 'already_qualified', qualification: 'national_award' });
  });

  it('is not counted once the appointment has ended, but is while it has yet to end', () => {
    expect(sencoQualificationStatus(sam({ endedOn: '2026-08-31' }), '2026-11-20').state).toBe('ended');
    expect(sencoQualificationStatus(sam({ endedOn: '2026-12-31' }), '2026-11-20').state).toBe('due');
  });

  it('knows when the qualification is in progress', () => {
    const s = sencoQualificationStatus(sam({ startedOn: '2025-10-01' }), '2026-11-20');
    expect(s).toMatchObject({ state: 'due', inProgress: true, monthsLeft: 9 });
  });

  it('counts whole months', () => {
    expect(wholeMonthsBetween('2026-03-01', '2026-04-28')).toBe(1);
    expect(wholeMonthsBetween('2026-03-28', '2026-04-28')).toBe(1);
    expect(wholeMonthsBetween('2026-01-31', '2026-02-28')).toBe(0);
  });
});

describe('the training plan against the register’s needs', () => {
  it('flags an area with pupils and no training done or planned', () => {
    const rows = trainingAgainstNeeds(
      { social_emotional_and_mental_health: 9, communication_and_interaction: 6 },
      { communication_and_interaction: 6, general: 3 },
      { communication_and_interaction: 1 },
    );
    const semh = rows.find((r) => r.area === 'social_emotional_and_mental_health')!;
    expect(semh).toMatchObject({ pupils: 9, hours: 0, planned: 0 });
    expect(semh.gap).toMatch(/^9 pupils on the register have social, emotional and mental health/);
    expect(rows.find((r) => r.area === 'communication_and_interaction')!.gap).toBeNull();
    expect(rows.find((r) => r.area === 'sensory_and_physical')!.gap).toBeNull();
  });

  it('flags a large area with little training and nothing planned', () => {
    const rows = trainingAgainstNeeds(
      { cognition_and_learning: 10, communication_and_interaction: 10 },
      { cognition_and_learning: 1, communication_and_interaction: 30 },
      {},
    );
    expect(rows.find((r) => r.area === 'cognition_and_learning')!.gap).toMatch(/under a tenth/);
    const planned = trainingAgainstNeeds(
      { cognition_and_learning: 10, communication_and_interaction: 10 },
      { cognition_and_learning: 1, communication_and_interaction: 30 },
      { cognition_and_learning: 1 },
    );
    expect(planned.find((r) => r.area === 'cognition_and_learning')!.gap).toBeNull();
  });

  it('reads a stored area, none being general training', () => {
    expect(trainingAreaOf(null)).toBe('general');
    expect(trainingAreaOf('sensory_and_physical')).toBe('sensory_and_physical');
    expect(trainingAreaOf('nonsense')).toBe('general');
  });
});
