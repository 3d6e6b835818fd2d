import type { PolicyActor } from './kernel.ts';

/**
 * What a school may do to a member of its staff. An account belongs to a person: the school changes
 * only its own membership and roles; it may reset the password or turn off the sign-in only of an
 * account that belongs to no other school or organisation. Nobody removes themselves here.
 */
export interface StaffActions {
  changeRoles: boolean;
  removeFromSchool: boolean;
  resetPassword: boolean;
  turnOffSignIn: boolean;
  turnOnSignIn: boolean;
  /** Why the account itself is out of the school's hands, when it is. */
  accountNotOurs: boolean;
}

export function staffActions(
  actor: PolicyActor,
  member: { userId: string; belongsElsewhere: boolean; disabledAt: Date | null },
  _context: Record<string, never> = {},
): StaffActions {
  const self = member.userId === actor.userId;
  const ours = !member.belongsElsewhere;
  return {
    changeRoles: true,
    removeFromSchool: !self,
    resetPassword: ours && !self,
    turnOffSignIn: ours && !self && member.disabledAt === null,
    turnOnSignIn: ours && !self && member.disabledAt !== null,
    accountNotOurs: !ours,
  };
}
