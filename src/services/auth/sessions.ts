import type { Database } from '../../db/client.ts';
import { insertAuditEvent } from '../../repositories/audit.ts';
import {
  deleteSession,
  findSession,
  type OrganisationMembershipItem,
  type ProfessionalItem,
  type SchoolMembershipItem,
  type SessionRow,
  setSessionContext,
  touchSession,
} from '../../repositories/sessions.ts';
import type { Actor } from '../kernel/actor.ts';
import { type Place, placeColumns, placeOfSession, placesOf, placeValue } from './places.ts';
import { noSessionCache, type SessionCache } from './session-cache.ts';
import { hashToken } from './sign-in.ts';

const TOUCH_AFTER_MS = 5 * 60 * 1000;
export const IDLE_LIMIT_MS = 2 * 60 * 60 * 1000;

export interface LiveSession {
  status: 'live';
  sessionId: string;
  actor: Actor;
  schools: SchoolMembershipItem[];
  organisations: OrganisationMembershipItem[];
  parent: boolean;
  professional: ProfessionalItem | null;
  /** Everywhere the person may act, one kind at a time. */
  places: Place[];
  /** Where the session acts, by name, for the header. */
  contextName: string | null;
  /** Signed in, belongs to more than one place, and has not yet chosen where to work. */
  needsChoice: boolean;
  mustChangePassword: boolean;
}

/** A session that has ended (idle too long, expired, sign-in turned off): whose it was. */
export interface EndedSession {
  status: 'ended';
  sessionId: string;
  userId: string;
  schoolId: string | null;
}

export type ResolvedSession = LiveSession | EndedSession;

function live(session: SessionRow, requestId: string): LiveSession | null {
  const base = {
    userId: session.userId,
    name: session.name,
    email: session.email,
    requestId,
  };
  const places = placesOf(session);
  const place = placeOfSession(places, session);
  // Nowhere chosen (or no longer held): a staff actor of no school, who may only choose.
  const actor: Actor = {
    ...base,
    kind: place?.kind ?? 'staff',
    roles: place?.roles ?? [],
    ...placeColumns(place),
  };
  return {
    status: 'live',
    sessionId: session.id,
    actor,
    schools: session.schools,
    organisations: session.organisations,
    parent: session.parent,
    professional: session.professional,
    places,
    contextName: place?.name ?? null,
    needsChoice: place === null,
    mustChangePassword: session.mustChangePassword,
  };
}

export function createSessions(database: Database, cache: SessionCache = noSessionCache) {
  const { db } = database;
  return {
    /** The session behind a cookie's token: live (with the actor), ended (with whose it was), or none. */
    async resolve(token: string, requestId: string): Promise<ResolvedSession | null> {
      const sessionId = hashToken(token);
      const now = Date.now();
      // A session read a moment ago stands for its row while it has not expired and needs no touch:
      // idle for at most TOUCH_AFTER_MS, it is far from the idle limit, so both limits stay exact.
      const kept = cache.get(sessionId);
      if (kept && kept.expiresAt.getTime() > now && now - kept.lastSeenAt.getTime() <= TOUCH_AFTER_MS) {
        return live(kept, requestId);
      }
      const version = cache.version();
      const session = await findSession(db, sessionId);
      if (!session) {
        if (kept) cache.dropSession(sessionId);
        return null;
      }
      const idleFor = Date.now() - session.lastSeenAt.getTime();
      if (session.disabledAt || session.expiresAt.getTime() <= Date.now() || idleFor > IDLE_LIMIT_MS) {
        await deleteSession(db, sessionId);
        cache.dropSession(sessionId);
        return { status: 'ended', sessionId, userId: session.userId, schoolId: session.schoolId };
      }
      if (idleFor > TOUCH_AFTER_MS) {
        await touchSession(db, sessionId);
        session.lastSeenAt = new Date();
      }
      cache.put(sessionId, session, version);
      return live(session, requestId);
    },

    /** Act as one of the kinds the person holds, where: a school, an organisation, a parent, a professional. */
    async chooseContext(session: LiveSession, value: string): Promise<boolean> {
      const place = session.places.find((p) => placeValue(p) === value);
      if (!place) return false;
      const columns = placeColumns(place);
      await db.transaction(async (tx) => {
        await setSessionContext(tx, session.sessionId, columns);
        await insertAuditEvent(tx, {
          schoolId: columns.schoolId,
          userId: session.actor.userId,
          role: place.roles.join(','),
          action: 'auth.context_chosen',
          requestId: session.actor.requestId,
          detail:
            place.kind === 'staff'
              ? null
              : {
                  actingAs: place.kind,
                  ...(columns.organisationId ? { organisationId: columns.organisationId } : {}),
                },
        });
      });
      cache.dropSession(session.sessionId);
      return true;
    },

    async signOut(token: string, actor: Actor | null): Promise<void> {
      const sessionId = hashToken(token);
      await db.transaction(async (tx) => {
        await deleteSession(tx, sessionId);
        if (actor) {
          await insertAuditEvent(tx, {
            schoolId: actor.schoolId,
            userId: actor.userId,
            role: actor.roles.join(',') || null,
            action: 'auth.signed_out',
            requestId: actor.requestId,
          });
        }
      });
      cache.dropSession(sessionId);
    },
  };
}
