import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import {
  appUser,
  concern,
  parentCarer,
  pupil,
  pupilAssignment,
  registerEntry,
  registerReview,
  schoolClass,
} from '../db/schema.ts';
import type { AreaOfNeed, NeedCode } from '../domain/census.ts';
import type { ConcernKind, ConcernOutcome, ConcernStatus } from '../domain/concerns.ts';
import type { RegisterChangeKind, RegisterReviewOutcome, SenStage } from '../domain/register.ts';
import type { PupilScope } from '../services/actor.ts';
import { pupilScopeCondition } from './scope.ts';

/*
 * A pupil's whole record in one round trip: the pupil, class and parents, and (for those who may see
 * SEN information) the register history, register reviews, concerns and assigned staff, each as a
 * JSON array built by PostgreSQL. Office staff's version leaves the SEN parts out in the database.
 */

export interface ParentCarerItem {
  id: string;
  name: string;
  relationship: string;
  phone: string | null;
  email: string | null;
  parentalResponsibility: boolean;
  contactPriority: number;
}
export interface RegisterEntryItem {
  effectiveDate: string;
  fromStage: SenStage;
  stage: SenStage;
  primaryNeed: NeedCode | null;
  secondaryNeed: NeedCode | null;
  changeKind: RegisterChangeKind;
  reason: string;
  decidedByName: string;
}
export interface RegisterReviewItem {
  reviewedOn: string;
  outcome: RegisterReviewOutcome;
  fromStage: SenStage;
  toStage: SenStage;
  reason: string;
  reviewedByName: string;
}
export interface ConcernItem {
  id: string;
  kind: ConcernKind;
  concernDate: string;
  raisedByName: string;
  areasOfNeed: AreaOfNeed[];
  status: ConcernStatus;
  outcome: ConcernOutcome | null;
  reviewedOn: string | null;
}
export interface AssignedStaffItem {
  userId: string;
  name: string;
}

const EMPTY = sql`'[]'::json`;

function jsonList(select: SQL): SQL {
  return sql`coalesce((${select}), '[]'::json)`;
}

/** JSON may come back as text through some drivers: accept both. */
function parsed<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

export async function pupilRecord(db: Executor, scope: PupilScope, pupilId: string, includeSen: boolean) {
  const same = (t: { schoolId: unknown; pupilId: unknown }) =>
    sql`${t.schoolId} = ${pupil.schoolId} and ${t.pupilId} = ${pupil.id}`;
  const rows = await db
    .select({
      pupil,
      className: schoolClass.name,
      parents: sql<ParentCarerItem[] | string>`${jsonList(sql`select json_agg(json_build_object(
        'id', ${parentCarer.id}, 'name', ${parentCarer.name}, 'relationship', ${parentCarer.relationship},
        'phone', ${parentCarer.phone}, 'email', ${parentCarer.email},
        'parentalResponsibility', ${parentCarer.parentalResponsibility}, 'contactPriority', ${parentCarer.contactPriority})
        order by ${parentCarer.contactPriority}, ${parentCarer.name})
        from ${parentCarer} where ${same(parentCarer)}`)}`,
      history: sql<RegisterEntryItem[] | string>`${
        includeSen
          ? jsonList(sql`select json_agg(json_build_object(
        'effectiveDate', ${registerEntry.effectiveDate}, 'fromStage', ${registerEntry.fromStage}, 'stage', ${registerEntry.stage},
        'primaryNeed', ${registerEntry.primaryNeed}, 'secondaryNeed', ${registerEntry.secondaryNeed},
        'changeKind', ${registerEntry.changeKind}, 'reason', ${registerEntry.reason}, 'decidedByName', ${registerEntry.decidedByName})
        order by ${registerEntry.effectiveDate} desc, ${registerEntry.recordedAt} desc)
        from ${registerEntry} where ${same(registerEntry)}`)
          : EMPTY
      }`,
      reviews: sql<RegisterReviewItem[] | string>`${
        includeSen
          ? jsonList(sql`select json_agg(json_build_object(
        'reviewedOn', ${registerReview.reviewedOn}, 'outcome', ${registerReview.outcome}, 'fromStage', ${registerReview.fromStage},
        'toStage', ${registerReview.toStage}, 'reason', ${registerReview.reason}, 'reviewedByName', ${registerReview.reviewedByName})
        order by ${registerReview.reviewedOn} desc, ${registerReview.recordedAt} desc)
        from ${registerReview} where ${same(registerReview)}`)
          : EMPTY
      }`,
      concerns: sql<ConcernItem[] | string>`${
        includeSen
          ? jsonList(sql`select json_agg(json_build_object(
        'id', ${concern.id}, 'kind', ${concern.kind}, 'concernDate', ${concern.concernDate}, 'raisedByName', ${concern.raisedByName},
        'areasOfNeed', ${concern.areasOfNeed}, 'status', ${concern.status}, 'outcome', ${concern.outcome}, 'reviewedOn', ${concern.reviewedOn})
        order by ${concern.concernDate} desc, ${concern.id})
        from ${concern} where ${same(concern)}`)
          : EMPTY
      }`,
      assignedStaff: sql<AssignedStaffItem[] | string>`${
        includeSen
          ? jsonList(sql`select json_agg(json_build_object('userId', ${appUser.id}, 'name', ${appUser.name}) order by ${appUser.name})
        from ${pupilAssignment} join ${appUser} on ${appUser.id} = ${pupilAssignment.userId} where ${same(pupilAssignment)}`)
          : EMPTY
      }`,
    })
    .from(pupil)
    .leftJoin(schoolClass, and(eq(schoolClass.schoolId, pupil.schoolId), eq(schoolClass.id, pupil.classId)))
    .where(and(pupilScopeCondition(scope), eq(pupil.id, pupilId)))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  return {
    pupil: row.pupil,
    className: row.className,
    parents: parsed(row.parents),
    history: parsed(row.history),
    reviews: parsed(row.reviews),
    concerns: parsed(row.concerns),
    assignedStaff: parsed(row.assignedStaff),
  };
}
