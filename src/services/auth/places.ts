import type { ActorKind, Role } from '../../domain/access.ts';
import type { Memberships } from '../../repositories/sessions.ts';

/**
 * Where a person may act, one kind at a time: each school they work in (staff), each organisation
 * (an officer), their own children (a parent), what schools shared with them (a professional). A
 * teacher who is also a parent at the school chooses: as staff they do not see their own child.
 */
export type Place =
  | { kind: 'staff'; schoolId: string; name: string; roles: Role[] }
  | { kind: 'officer'; organisationId: string; name: string; roles: Role[] }
  | { kind: 'parent'; name: string; roles: Role[] }
  | { kind: 'professional'; name: string; roles: Role[] };

export function placesOf(m: Memberships): Place[] {
  return [
    ...m.schools
      .filter((s) => s.roles.length > 0)
      .map((s): Place => ({ kind: 'staff', schoolId: s.schoolId, name: s.schoolName, roles: s.roles })),
    ...m.organisations
      .filter((o) => o.roles.length > 0)
      .map(
        (o): Place => ({
          kind: 'officer',
          organisationId: o.organisationId,
          name: o.organisationName,
          roles: o.roles,
        }),
      ),
    ...(m.parent ? [{ kind: 'parent', name: 'Your children', roles: ['parent'] } as Place] : []),
    ...(m.professional
      ? [{ kind: 'professional', name: m.professional.agencyName, roles: ['agency_professional'] } as Place]
      : []),
  ];
}

/** How a place is named in a form's value: `school:<id>`, `organisation:<id>`, `parent`, `professional`. */
export function placeValue(p: Place): string {
  if (p.kind === 'staff') return `school:${p.schoolId}`;
  if (p.kind === 'officer') return `organisation:${p.organisationId}`;
  return p.kind;
}

/** The session's columns for a place. */
export function placeColumns(p: Place | null): {
  actingAs: ActorKind | null;
  schoolId: string | null;
  organisationId: string | null;
} {
  return {
    actingAs: p?.kind ?? null,
    schoolId: p?.kind === 'staff' ? p.schoolId : null,
    organisationId: p?.kind === 'officer' ? p.organisationId : null,
  };
}

/** The place a session's columns name, if the person still holds it. */
export function placeOfSession(
  places: readonly Place[],
  session: { actingAs: ActorKind | null; schoolId: string | null; organisationId: string | null },
): Place | null {
  return (
    places.find((p) =>
      p.kind === 'staff'
        ? session.actingAs === 'staff' && p.schoolId === session.schoolId
        : p.kind === 'officer'
          ? session.actingAs === 'officer' && p.organisationId === session.organisationId
          : session.actingAs === p.kind,
    ) ?? null
  );
}

/** The chooser's radios: each place by name, the roles held there, the one acted in now checked. */
export function placeChoices(
  places: readonly Place[],
  current: { kind: ActorKind; schoolId: string | null; organisationId: string | null } | null,
) {
  const now = current ? placeOfSession(places, { actingAs: current.kind, ...current }) : null;
  return {
    places: places.map((p) => ({
      value: placeValue(p),
      text:
        p.kind === 'parent'
          ? 'As a parent or carer: your children'
          : p.kind === 'professional'
            ? `As a professional: ${p.name}`
            : p.name,
      roles: p.roles,
      checked: now !== null && placeValue(now) === placeValue(p),
    })),
  };
}
