/**
 * The Unique Pupil Number (UPN) of the DfE: 13 characters. Character 1 is a check letter; characters
 * 2–4 the LA number, 5–8 the establishment number, 9–10 the year allocated, 11–13 a serial number.
 * In a temporary UPN the last character is a letter. The check letter is the sum of each of
 * characters 2–13 times its position (2–13), modulo 23, mapped through the alphabet below (no I, O, S).
 */
const LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';
const UPN_SHAPE = /^[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]$/;

function characterValue(ch: string): number {
  if (ch >= '0' && ch <= '9') return Number(ch);
  const index = LETTERS.indexOf(ch);
  if (index < 0) throw new Error(`Character ${ch} cannot appear in a UPN`);
  return index;
}

/** The check letter for the 12 characters that follow it. */
export function upnCheckLetter(body: string): string {
  if (body.length !== 12) throw new Error('A UPN body has 12 characters');
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += characterValue(body[i]!) * (i + 2);
  return LETTERS[sum % 23]!;
}

export function normaliseUpn(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}

export type UpnProblem = 'empty' | 'length' | 'characters' | 'check_letter';

/** Why a UPN is wrong, or null when it is right. Expects a normalised value. */
export function upnProblem(upn: string): UpnProblem | null {
  if (upn.length === 0) return 'empty';
  if (upn.length !== 13) return 'length';
  if (!UPN_SHAPE.test(upn)) return 'characters';
  return upnCheckLetter(upn.slice(1)) === upn[0] ? null : 'check_letter';
}

export const UPN_MESSAGES: Record<UpnProblem, string> = {
  empty: 'Enter the UPN',
  length: 'UPN must be 13 characters, like A123456789012',
  characters: 'UPN must start with a letter, then 11 numbers, then a number or letter (not I, O or S)',
  check_letter: 'UPN check letter is wrong: check the UPN against the pupil’s records',
};

/** Make a UPN from its parts (LA 3 digits, establishment 4 digits, year 2 digits, serial 3 digits). */
export function makeUpn(laCode: string, establishmentNumber: string, year: number, serial: number): string {
  const body = `${laCode.padStart(3, '0')}${establishmentNumber.padStart(4, '0')}${String(year % 100).padStart(2, '0')}${String(serial % 1000).padStart(3, '0')}`;
  return upnCheckLetter(body) + body;
}
