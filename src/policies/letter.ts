import { atLeast, type SectionAccess } from '../domain/access.ts';
import type { PolicyActor } from './kernel.ts';

/**
 * What an actor may do with a letter to parents: whoever reads the pupil's letters may see and print
 * it; whoever writes them (the office, the SENCo, the head) records the signed slip when it comes back.
 * A leaver's letters are read-only.
 */
export interface LetterActions {
  print: boolean;
  recordSlip: boolean;
}

export function letterActions(
  _actor: PolicyActor,
  record: {
    letter: { slipExpected: boolean; slipReturnedOn: string | null };
    pupil: { leftOn: string | null };
  },
  context: { access: SectionAccess },
): LetterActions {
  const { letter, pupil } = record;
  const { access } = context;
  return {
    print: atLeast(access.letters, 'read'),
    recordSlip:
      pupil.leftOn === null &&
      atLeast(access.letters, 'write') &&
      letter.slipExpected &&
      letter.slipReturnedOn === null,
  };
}
