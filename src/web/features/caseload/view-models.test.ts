import { describe, expect, it } from 'vitest';
import type { Deadline } from '../../../domain/ehc-clock.ts';
import type { CaseloadService } from '../../../services/ehc/cases.ts';
import { casePageModel, decisionFlash } from './view-models.ts';

type CaseView = Awaited<ReturnType<CaseloadService['caseView']>>;

/*
 * The case page's Advice table: each row carries its own advice deadline, not the first one's
 * (received advice shows Met; outstanding advice shows its own due date).
 */
function deadline(
  adviceId: string,
  dueOn: string,
  status: Deadline['status'],
  doneOn: string | null,
): Deadline {
  return {
    key: `advice:${adviceId}`,
    kind: 'advice',
    label: 'Advice',
    regulation: 'Regulation 8(2)',
    dueOn,
    doneOn,
    status,
    exceptions: [],
    note: null,
    open: status !== 'met',
    adviceId,
  } as Deadline;
}

describe('casePageModel', () => {
  it('gives each advice row its own deadline', () => {
    const view = {
      case: { id: 'case-1', caseworkerUserId: null },
      clock: {
        deadlines: [
          deadline('a-1', '2026-08-26', 'met', '2026-08-20'),
          deadline('a-2', '2026-09-02', 'due', null),
        ],
        exceptions: [],
      },
      exceptions: [],
      received: null,
      pupil: { forename: 'Kit', surname: 'Kowalski' },
      kindLabel: 'EHC needs assessment',
      decisions: [],
      advice: [
        { id: 'a-1', askedOf: 'Educational psychology', requestedOn: '2026-07-22', receivedOn: '2026-08-20' },
        { id: 'a-2', askedOf: 'Health', requestedOn: '2026-07-29', receivedOn: null },
        { id: 'a-3', askedOf: 'Held already', requestedOn: null, receivedOn: '2026-07-01' },
      ],
      actions: {},
      receivedPack: null,
      caseworkers: [],
    } as unknown as CaseView;
    const model = casePageModel(view);
    expect(model.advice.map((a) => [a.id, a.due?.statusLabel ?? null, a.due?.dueOn ?? null])).toEqual([
      ['a-1', 'Met', '2026-08-26'],
      ['a-2', 'Due', '2026-09-02'],
      ['a-3', null, null],
    ]);
  });
});

describe('decisionFlash', () => {
  it('keeps proper names and abbreviations as written', () => {
    expect(decisionFlash('assess')).toBe('Decision recorded: to carry out an EHC needs assessment.');
    expect(decisionFlash('issue_plan')).toBe('Decision recorded: to issue an EHC plan.');
  });
});
