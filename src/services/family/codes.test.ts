import { describe, expect, it } from 'vitest';
import { CODE_ALPHABET, CODE_LENGTH } from '../../domain/family.ts';
import { invitationCodeHash, newInvitationCode } from './codes.ts';

describe('invitation codes', () => {
  it('are ten letters of the alphabet without look-alikes', () => {
    for (let i = 0; i < 200; i++) {
      const code = newInvitationCode();
      expect(code).toHaveLength(CODE_LENGTH);
      for (const ch of code) expect(CODE_ALPHABET).toContain(ch);
    }
    for (const ch of '0O1IL5S2Z') expect(CODE_ALPHABET).not.toContain(ch);
  });

  it('are kept only as a hash, different for each code', () => {
    const hash = invitationCodeHash('ABCDEFGHJK');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain('ABCDEFGHJK');
    expect(invitationCodeHash('ABCDEFGHJM')).not.toBe(hash);
  });
});
