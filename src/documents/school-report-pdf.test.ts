import { describe, expect, it } from 'vitest';
import { readPdf } from '../../test/pdf.ts';
import { reportModel } from '../presenters/school-reports.ts';
import type { ReportFigures } from '../services/school-reports/index.ts';
import { schoolReportPdf } from './school-report-pdf.ts';

const figures: ReportFigures = {
  academicYear: 2026,
  yearLabel: '2026/27',
  countedOn: '2026-10-01',
  threshold: 3,
  stagesOverYears: [
    { yearLabel: '2024/25', countedOn: '2024-10-01', onRoll: 200, senSupport: 30, ehcPlan: 4 },
    { yearLabel: '2025/26', countedOn: '2025-10-01', onRoll: 205, senSupport: 34, ehcPlan: 5 },
    { yearLabel: '2026/27', countedOn: '2026-10-01', onRoll: 210, senSupport: 38, ehcPlan: 6 },
  ],
  needs: [
    {
      code: 'SLCN',
      label: 'Speech, language and communication needs',
      senSupport: 12,
      ehcPlan: 'suppressed',
    },
    { code: 'ASD', label: 'Autistic spectrum disorder', senSupport: 9, ehcPlan: 4 },
    { code: 'HI', label: 'Hearing impairment', senSupport: 'suppressed', ehcPlan: 0 },
  ],
  areas: [],
  progress: [
    { subject: 'Reading', sen: { assessed: 30, onOrAbove: 18 }, peers: { assessed: 160, onOrAbove: 136 } },
    {
      subject: 'Maths',
      sen: { assessed: 30, onOrAbove: 'suppressed' },
      peers: { assessed: 160, onOrAbove: 128 },
    },
  ],
  provision: {
    pupils: 40,
    costPence: null,
    areas: [
      { label: 'Communication and interaction', pupils: 14, costPence: 1_250_000 },
      { label: 'Sensory and/or physical', pupils: 'suppressed', costPence: null },
    ],
    interventions: [
      { name: 'Reading catch-up', measured: 10, improved: 8 },
      { name: 'Lego therapy', measured: 4, improved: 'suppressed' },
    ],
    measured: 14,
    improved: 'suppressed',
  },
  ehc: { requests: 'suppressed', plansHeld: 6 },
  training: { sessions: 0, people: 0, hours: 0, byArea: [], senco: null },
  complaints: { total: 0, concerns: 0, formal: 0, byStage: [], byOutcome: [] },
  agencies: [],
};

describe('a school’s SEN report as a tagged PDF', () => {
  it('holds the school’s words, each chart as a Figure with its alternative text, and the tables of its numbers', async () => {
    const model = reportModel({
      kind: 'governors_annual',
      kindLabel: 'Governors’ annual SEN report',
      schoolName: 'Oakfield Primary',
      yearLabel: '2026/27',
      publishedAt: null,
      texts: { policy_success: 'The policy worked well.\n\nParents felt listened to.' },
      figures,
    });
    const bytes = await schoolReportPdf(model);
    const { text, info, fonts } = readPdf(bytes);
    expect(info).toMatch(/^Tagged:\s+yes$/m);
    expect(info).toMatch(/^Title:\s+Governors’ annual SEN report 2026\/27$/m);
    expect(fonts).toContain('DejaVuSans');
    expect(text).toContain('The policy worked well.');
    expect(text).toContain('How well the SEND policy worked this year');
    expect(text).toContain('Pupils on or above their expected trajectory, 2026/27');
    expect(text).toContain('Reading 60% 85%');
    expect(text).toContain('Maths Hidden 80%');
    expect(text).toContain('Not written yet.');
    const raw = bytes.toString('latin1');
    expect(raw.match(/\/S \/Figure/g)?.length).toBe(5);
    expect(raw).toMatch(/\/Alt \(/);
    expect(raw.match(/\/S \/Table/g)?.length).toBeGreaterThanOrEqual(5);
  });
});
