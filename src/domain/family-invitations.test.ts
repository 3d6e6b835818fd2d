import { describe, expect, it } from 'vitest';
import { formatInvitationCode, normaliseInvitationCode } from './family.ts';
import {
  invitationExpiry,
  invitationState,
  isAnotherFamily,
  mayBeInvited,
  readReceipts,
} from './family-invitations.ts';

describe('invitation codes', () => {
  it('are shown as two groups of five', () => {
    expect(formatInvitationCode('ABCDEFGHJK')).toBe('ABCDE-FGHJK');
  });

  it('are read back however they were typed: small letters, spaces, dashes', () => {
    for (const typed of ['ABCDE-FGHJK', 'abcde fghjk', ' AbCdE–FgHjK ', 'ABCDEFGHJK', 'abc.de_fg hjk'])
      expect(normaliseInvitationCode(typed)).toBe('ABCDEFGHJK');
  });

  it('are refused when they cannot be a code: too short, too long, letters not in the alphabet', () => {
    for (const typed of [
      '',
      'ABCDE',
      'ABCDE-FGHJKM',
      'ABCDE-FGHJ0',
      'OOOOO-IIIII',
      '<script>',
      'ABCDE\u0000FGHJK',
    ])
      expect(normaliseInvitationCode(typed)).toBeNull();
  });
});

describe('who may be invited, and where an invitation stands', () => {
  it('only a parent or carer with parental responsibility and no court order', () => {
    expect(mayBeInvited({ parentalResponsibility: true, courtOrder: false })).toBe(true);
    expect(mayBeInvited({ parentalResponsibility: false, courtOrder: false })).toBe(false);
    expect(mayBeInvited({ parentalResponsibility: true, courtOrder: true })).toBe(false);
  });

  it('works for 14 days, once, until withdrawn or tried five times', () => {
    const now = new Date('2026-11-20T12:00:00Z');
    const expiresAt = invitationExpiry(now);
    expect(expiresAt.toISOString()).toBe('2026-12-04T12:00:00.000Z');
    const fresh = { usedAt: null, endedAt: null, expiresAt, attempts: 0 };
    expect(invitationState(fresh, now)).toBe('waiting');
    expect(invitationState(fresh, expiresAt)).toBe('expired');
    expect(invitationState({ ...fresh, usedAt: now }, now)).toBe('used');
    expect(invitationState({ ...fresh, endedAt: now }, now)).toBe('ended');
    expect(invitationState({ ...fresh, attempts: 5 }, now)).toBe('stopped');
    expect(invitationState({ ...fresh, attempts: 4 }, now)).toBe('waiting');
  });

  it('an address linked to a parent of another name at the school is another family; the same name is a brother’s or sister’s parent', () => {
    expect(isAnotherFamily({ name: 'Kasia Kowalski' }, [])).toBe(false);
    expect(isAnotherFamily({ name: 'Kasia Kowalski' }, [{ name: ' kasia  KOWALSKI ' }])).toBe(false);
    expect(isAnotherFamily({ name: 'Ben Jones' }, [{ name: 'Kasia Kowalski' }])).toBe(true);
    expect(
      isAnotherFamily({ name: 'Kasia Kowalski' }, [{ name: 'Kasia Kowalski' }, { name: 'Ben Jones' }]),
    ).toBe(true);
  });
});

describe('read receipts', () => {
  it('are one line per person and record, with the last and first read and how many times; other pages left out', () => {
    const at = (d: string) => new Date(`2026-12-0${d}T10:00:00Z`);
    const lines = readReceipts([
      { at: at('6'), who: 'Kasia', record: 'letter', id: 'L1' },
      { at: at('5'), who: 'Kasia', record: 'consent', id: 'P1' },
      { at: at('4'), who: 'Tomasz', record: 'letter', id: 'L1' },
      { at: at('3'), who: 'Kasia', record: 'letter', id: 'L1' },
      { at: at('2'), who: 'Kasia', record: 'plan', id: 'S1' },
      { at: at('1'), who: 'Kasia', record: 'letter', id: null },
    ]);
    expect(lines).toEqual([
      { who: 'Kasia', record: 'letter', id: 'L1', lastAt: at('6'), firstAt: at('3'), times: 2 },
      { who: 'Tomasz', record: 'letter', id: 'L1', lastAt: at('4'), firstAt: at('4'), times: 1 },
      { who: 'Kasia', record: 'plan', id: 'S1', lastAt: at('2'), firstAt: at('2'), times: 1 },
    ]);
  });
});
