import { describe, expect, it } from 'vitest';
import { ehcPlanActions } from './ehc-plans.ts';
import type { PolicyActor } from './kernel.ts';

const officer = (roles: PolicyActor['roles']): PolicyActor => ({ kind: 'officer', userId: 'u', roles });
const caseworker = officer(['caseworker']);

describe('what a person may do with an EHC plan at the local authority', () => {
  it('lets a caseworker write the version being written and send it, not issue it', () => {
    expect(ehcPlanActions(caseworker, { status: 'draft' }, { stage: 'writing' }, { ehc: 'write' })).toEqual({
      read: true,
      edit: true,
      send: true,
      recordComments: false,
      issue: false,
      amend: false,
      cease: false,
    });
  });

  it('once sent: the comments recorded and the version issued, its sections no longer written', () => {
    expect(
      ehcPlanActions(caseworker, { status: 'draft' }, { stage: 'sent' }, { ehc: 'write' }),
    ).toMatchObject({
      edit: false,
      send: false,
      recordComments: true,
      issue: true,
      amend: false,
    });
  });

  it('a final plan with nothing under way: amended or ceased; with an amendment under way, not amended again', () => {
    expect(ehcPlanActions(caseworker, { status: 'final' }, null, { ehc: 'write' })).toMatchObject({
      amend: true,
      cease: true,
    });
    expect(
      ehcPlanActions(caseworker, { status: 'final' }, { stage: 'writing' }, { ehc: 'write' }),
    ).toMatchObject({
      amend: false,
      edit: true,
      cease: true,
    });
  });

  it('a ceased plan, a manager or a panel member: read only; school staff and parents: nothing', () => {
    const none = {
      edit: false,
      send: false,
      recordComments: false,
      issue: false,
      amend: false,
      cease: false,
    };
    expect(ehcPlanActions(caseworker, { status: 'ceased' }, null, { ehc: 'write' })).toEqual({
      read: true,
      ...none,
    });
    expect(ehcPlanActions(officer(['manager']), { status: 'final' }, null, { ehc: 'read' })).toEqual({
      read: true,
      ...none,
    });
    for (const actor of [
      { kind: 'staff', userId: 'u', roles: ['senco'] },
      { kind: 'parent', userId: 'u', roles: ['parent'] },
    ] as PolicyActor[])
      expect(ehcPlanActions(actor, { status: 'final' }, null, { ehc: 'write' })).toEqual({
        read: false,
        ...none,
      });
  });
});
