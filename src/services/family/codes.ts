import { createHash, randomInt } from 'node:crypto';
import { CODE_ALPHABET, CODE_LENGTH } from '../../domain/family.ts';

/* Invitation codes made and kept (the alphabet and the format are domain/family.ts's). */

/** A new invitation code: ten letters from the alphabet, shown to people as two groups of five. */
export function newInvitationCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** What is stored of a code: its SHA-256, never the code. */
export function invitationCodeHash(code: string): string {
  return createHash('sha256').update(`opensend-family-invitation:${code}`).digest('hex');
}
