import { describe, expect, it } from 'vitest';
import { examplePlanSections } from '../../test/builders/ehc-plans.ts';
import { consultationAnswerDue, isOpenVersion, type PlanSections } from './ehc-plan.ts';
import { draftSections } from './ehc-plan-draft.ts';
import { sectionProblems, withoutDanglingLinks } from './ehc-plan-sections.ts';

const plan = (): PlanSections =>
  structuredClone(examplePlanSections({ id: null, name: 'Oakfield', urn: null }));

describe('what a section may hold', () => {
  it('passes every section of a plan that holds together', () => {
    const s = plan();
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h1', 'h2', 'i', 'j', 'k'] as const)
      expect(sectionProblems(s, key), key).toEqual([]);
  });

  it('refuses links to nothing, repeated references, control characters and a blank need', () => {
    const s = plan();
    s.e.outcomes[0]!.provisionIds.push('prov-none');
    expect(sectionProblems(s, 'e')).toEqual([
      { field: 'e.0.provisionIds', message: 'Outcome 1 names provision that is not in the plan' },
    ]);
    const t = plan();
    t.f.provision[1]!.id = 'prov-salt';
    expect(sectionProblems(t, 'f').map((p) => p.message)).toContain(
      'Two items of the plan have the same reference: save the section again',
    );
    const u = plan();
    u.b.needs[0]!.text = 'x\u0000y';
    u.b.needs[1]!.text = '  ';
    expect(sectionProblems(u, 'b').map((p) => p.field)).toEqual(['b.0.text', 'b.1.text']);
    const v = plan();
    v.h2.provision = [{ ...v.f.provision[0]!, id: 'h2-1', socialCareKind: null }];
    expect(sectionProblems(v, 'h2')).toEqual([
      { field: 'h2.0.socialCareKind', message: 'Choose the kind of social care of item 1' },
    ]);
    const w = plan();
    w.i = { schoolId: null, name: 'Hillside', urn: '12', kind: null };
    expect(sectionProblems(w, 'i')).toEqual([
      { field: 'i.urn', message: 'A unique reference number (URN) is 6 or 7 digits' },
    ]);
  });

  it('drops the links to a need removed from B, keeping the rest', () => {
    const s = plan();
    s.b.needs = s.b.needs.filter((n) => n.id !== 'need-social');
    const kept = withoutDanglingLinks(s);
    expect(kept.e.outcomes.find((o) => o.id === 'outcome-play')?.needIds).toEqual([]);
    expect(kept.f.provision.find((p) => p.id === 'prov-social')?.needIds).toEqual([]);
    expect(kept.e.outcomes.find((o) => o.id === 'outcome-instructions')?.needIds).toEqual(['need-language']);
  });
});

describe('the first draft from a case', () => {
  it('is tolerant of a copy that is not a whole pack: A and B left to write, K the request', () => {
    const s = draftSections({ coveringStatement: 'Please assess' }, '2026-07-01', []);
    expect(s.a.text).toBe('');
    expect(s.b.needs).toEqual([]);
    expect(s.k.advice).toEqual([
      expect.objectContaining({ id: 'advice-request', source: 'request', receivedOn: '2026-07-01' }),
    ]);
    expect(s.i).toBeNull();
  });

  it('lists in K only advice received or already held, each linked to the case’s advice', () => {
    const id = '4b0c1a4e-1111-4222-8333-944455556666';
    const s = draftSections(null, '2026-07-01', [
      {
        id,
        source: 'educational_psychologist',
        askedOf: 'Northshire EPS',
        receivedOn: '2026-08-20',
        alreadyHeld: false,
      },
      {
        id: id.replace('4b', '5b'),
        source: 'health',
        askedOf: 'Community paediatrics',
        receivedOn: null,
        alreadyHeld: false,
      },
    ]);
    expect(s.k.advice.map((a) => a.caseAdviceId ?? null)).toEqual([null, id]);
    expect(s.k.advice[1]?.title).toBe('An educational psychologist: Northshire EPS');
  });
});

describe('the school consulted about being named', () => {
  it('has 15 days to answer, beginning with the day it is consulted', () => {
    expect(consultationAnswerDue('2026-11-02')).toBe('2026-11-16');
    // Across the end of February in a leap year.
    expect(consultationAnswerDue('2028-02-20')).toBe('2028-03-05');
  });
});

describe('the open version of a plan', () => {
  it('is one being written or with the parents; one issued or not issued (the plan ceased) is not', () => {
    expect(isOpenVersion({ stage: 'writing' })).toBe(true);
    expect(isOpenVersion({ stage: 'sent' })).toBe(true);
    expect(isOpenVersion({ stage: 'issued' })).toBe(false);
    expect(isOpenVersion({ stage: 'not_issued' })).toBe(false);
  });
});
