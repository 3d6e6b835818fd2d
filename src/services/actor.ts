import type { PupilScopeKind, Role } from '../domain/roles.ts';
import { PUPIL_SCOPE } from '../domain/roles.ts';

/** The person making a request, as the services see them. */
export interface Actor {
  userId: string;
  name: string;
  email: string;
  role: Role;
  /** The school this session acts in; null for an organisation officer. */
  schoolId: string | null;
  organisationId: string | null;
  requestId: string;
}

/** Which of a school's pupils an actor reaches. Repositories turn this into a condition in SQL. */
export type PupilScope =
  | { kind: 'school'; schoolId: string }
  | { kind: 'classes'; schoolId: string; userId: string }
  | { kind: 'assigned'; schoolId: string; userId: string }
  | { kind: 'none'; schoolId: string };

export function pupilScopeOf(actor: Actor & { schoolId: string }): PupilScope {
  const kind: PupilScopeKind = PUPIL_SCOPE[actor.role];
  if (kind === 'school' || kind === 'none') return { kind, schoolId: actor.schoolId };
  return { kind, schoolId: actor.schoolId, userId: actor.userId };
}
