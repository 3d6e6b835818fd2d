import type { Db, Executor } from '../../db/client.ts';
import { atLeast, type Level, type Section, type SectionAccess, sectionAccess } from '../../domain/access.ts';
import type { AuditAction } from '../../domain/audit.ts';
import { formatDate } from '../../domain/dates.ts';
import { ownerColumns, type RecordOwner } from '../../domain/owners.ts';
import { insertAuditEvents } from '../../repositories/audit.ts';
import { findPupilWithReach, type PupilRow } from '../../repositories/pupils.ts';
import { type Actor, type SchoolActor, scopeOf } from './actor.ts';
import { type AuditOptions, auditRow } from './audit.ts';
import { type FieldError, NotFoundError, ValidationError } from './errors.ts';

/*
 * One unit of work for every change: (the caller has checked the capability) → begin → lock and scope
 * the pupil inside the transaction → change → typed audit rows → commit. A unique rule broken by a
 * concurrent save becomes a field error, like the same rule checked in advance. The unit carries its
 * owner (docs/adr/0029): a school's, for staff, or an organisation's, for an officer; its audit rows
 * join that owner's chain.
 */

/** What a broken unique constraint means to the person who sent the form. */
const UNIQUE_RULES: Record<string, FieldError> = {
  pupil_upn_key: { field: 'upn', message: 'A pupil with this UPN already exists in this school' },
  app_user_email_key: { field: 'email', message: 'An account with this email address already exists' },
  membership_pkey: { field: 'email', message: 'This person is already a member of staff at this school' },
  staff_invitation_pending_key: {
    field: 'email',
    message: 'This person has already been invited and has not answered yet',
  },
  school_urn_key: { field: 'urn', message: 'A school with this URN already exists' },
  school_class_name_key: { field: 'name', message: 'A class with this name already exists' },
  membership_role_school_id_user_id_role_pk: { field: 'roles', message: 'Each role can be given once' },
  support_plan_one_active_key: {
    field: 'form',
    message: 'This pupil already has a plan in place: review it before putting another in place',
  },
  intervention_name_key: {
    field: 'name',
    message: 'An intervention with this name is already in the catalogue: choose another name',
  },
  group_member_current_key: { field: 'pupilId', message: 'This pupil is already in the group' },
  top_up_application_one_draft_key: {
    field: 'form',
    message: 'Someone else has just started an application for this pupil: open it from the pupil’s page',
  },
  top_up_decision_case_key: {
    field: 'form',
    message: 'Someone else has just recorded the decision on this application: open the page again to see it',
  },
  support_plan_cycle_key: {
    field: 'form',
    message: 'Someone else has just started a plan for this pupil: open it from the pupil’s page',
  },
};

interface PgErrorLike {
  code?: string;
  constraint?: string;
  cause?: unknown;
}

/** The database error underneath a query error (the driver's, wrapped by the query builder). */
export function databaseError(error: unknown): PgErrorLike | null {
  let e: unknown = error;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const candidate = e as PgErrorLike;
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) return candidate;
    e = candidate.cause;
  }
  return null;
}

function uniqueViolation(error: unknown): FieldError | null {
  const pg = databaseError(error);
  if (pg?.code !== '23505') return null;
  return (
    (pg.constraint && UNIQUE_RULES[pg.constraint]) || {
      field: 'form',
      message: 'This has already been saved',
    }
  );
}

/** An officer acting for their organisation (a local authority or trust). */
export type OrganisationActor = Actor & { organisationId: string };

export interface Work<A extends Actor = SchoolActor> {
  tx: Executor;
  actor: A;
  /** Whose change it is: its audit rows join this owner's chain. */
  owner: RecordOwner;
  /** Queue an audit row; all are written at the end, in the same transaction. */
  audit(action: AuditAction, options?: AuditOptions): void;
}

async function ownedUnitOfWork<A extends Actor, T>(
  db: Db,
  actor: A,
  owner: RecordOwner,
  work: (w: Work<A>) => Promise<T>,
): Promise<T> {
  try {
    return await db.transaction(async (tx) => {
      const rows: ReturnType<typeof auditRow>[] = [];
      const result = await work({
        tx,
        actor,
        owner,
        audit: (action, options) =>
          rows.push({ ...auditRow(actor, action, options), ...ownerColumns(owner) }),
      });
      await insertAuditEvents(tx, rows);
      return result;
    });
  } catch (error) {
    const unique = uniqueViolation(error);
    if (unique) throw new ValidationError([unique]);
    throw error;
  }
}

/**
 * A change by someone from outside the school (a professional sending a report back) to the school’s
 * records, audited on the school’s chain. The caller has checked what the person may do.
 */
export function schoolUnitOfWork<A extends Actor, T>(
  db: Db,
  actor: A,
  schoolId: string,
  work: (w: Work<A>) => Promise<T>,
): Promise<T> {
  return ownedUnitOfWork(db, actor, { kind: 'school', schoolId }, work);
}

/** A change by staff to their school's records, audited on the school's chain. */
export function unitOfWork<T>(db: Db, actor: SchoolActor, work: (w: Work) => Promise<T>): Promise<T> {
  return ownedUnitOfWork(db, actor, { kind: 'school', schoolId: actor.schoolId }, work);
}

/**
 * A change by an officer to their organisation's records (its cases), in one transaction with its
 * audit rows on the organisation's chain. The caller has checked the capability.
 */
export function organisationUnitOfWork<T>(
  db: Db,
  actor: OrganisationActor,
  work: (w: Work<OrganisationActor>) => Promise<T>,
): Promise<T> {
  return ownedUnitOfWork(db, actor, { kind: 'organisation', organisationId: actor.organisationId }, work);
}

export interface PupilWork extends Work {
  pupil: PupilRow;
  className: string | null;
  access: SectionAccess;
}

/**
 * A change to one pupil's record: the pupil row is locked and the actor's access to `section` at
 * `level` checked inside the transaction; a pupil they cannot reach is "not found".
 */
export function changePupil<T>(
  db: Db,
  actor: SchoolActor,
  pupilId: string,
  need: { section: Section; level: Level },
  work: (w: PupilWork) => Promise<T>,
): Promise<T> {
  return unitOfWork(db, actor, async (w) => {
    const scope = scopeOf(actor);
    const found = await findPupilWithReach(w.tx, scope, pupilId, { lock: true });
    const access = found ? sectionAccess(actor.roles, found.reaches) : null;
    if (!found || !access || !atLeast(access[need.section], need.level)) {
      throw new NotFoundError('Pupil not found', { kind: 'pupil', id: pupilId });
    }
    if (found.pupil.leftOn) {
      // The date they left is part of their details: someone who reaches them only through the
      // directory (a concern) is told that they left, not when.
      const when = atLeast(access.identity, 'read') ? ` on ${formatDate(found.pupil.leftOn)}` : '';
      throw new ValidationError([
        {
          field: 'form',
          message: `${found.pupil.forename} ${found.pupil.surname} left the school${when}: their record is kept, and can no longer be changed`,
        },
      ]);
    }
    return work({ ...w, pupil: found.pupil, className: found.className, access });
  });
}
