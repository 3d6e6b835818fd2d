import type { Database } from '../../db/client.ts';
import type { AuditAction } from '../../domain/audit.ts';
import {
  auditEventsForPupil,
  auditEventsForSchool,
  insertAuditEvents,
  owningSchoolsOf,
  type SchoolAuditFilters,
} from '../../repositories/audit.ts';
import { parentAccountsOfSchool } from '../../repositories/family-invitations.ts';
import { findSchool } from '../../repositories/schools.ts';
import { staffOfSchool } from '../../repositories/staff.ts';
import { type Actor, rolesText } from '../kernel/actor.ts';
import { audit, auditRow } from '../kernel/audit.ts';
import { requireCapability, requireSection } from '../kernel/authorise.ts';
import { ForbiddenError, type NotFoundError } from '../kernel/errors.ts';
import { pupilFor } from '../kernel/pupil-access.ts';

export const SCHOOL_TRAIL_PAGE = 100;

/** The audit trail: reading it, recording refusals where the owning school sees them, checking the chain. */
export function createAuditService(database: Database) {
  const { db } = database;

  return {
    /** Who read or changed a pupil's record, including the lists that showed them. */
    async pupilTrail(actor: Actor, pupilId: string) {
      const a = requireSection(actor, 'audit');
      const found = await pupilFor(db, a, pupilId, { section: 'audit' });
      const events = await auditEventsForPupil(db, a.schoolId, pupilId, a.userId);
      await audit(db, a, 'pupil.audit_viewed', { pupilId });
      return { pupil: found.pupil, events };
    },

    /**
     * The school's whole trail for the SENCo and head, filtered by person, pupil, action and dates.
     * `unrecognised` names the filters sent with a value that is not one of theirs: then nothing is
     * shown (never the whole trail as if no filter had been asked for), and the page says so.
     */
    async schoolTrail(
      actor: Actor,
      filters: SchoolAuditFilters,
      page: number,
      unrecognised: readonly string[] = [],
    ) {
      const a = requireCapability(actor, 'audit.school');
      const [events, staff, parents] = await Promise.all([
        unrecognised.length > 0
          ? []
          : auditEventsForSchool(
              db,
              a.schoolId,
              filters,
              {
                limit: SCHOOL_TRAIL_PAGE + 1,
                offset: (page - 1) * SCHOOL_TRAIL_PAGE,
              },
              a.userId,
            ),
        staffOfSchool(db, a.schoolId),
        parentAccountsOfSchool(db, a.schoolId),
      ]);
      await audit(db, a, 'audit.school_viewed', {
        detail: { filters: { ...filters }, page, ...(unrecognised.length > 0 ? { unrecognised } : {}) },
      });
      return {
        events: events.slice(0, SCHOOL_TRAIL_PAGE),
        hasMore: events.length > SCHOOL_TRAIL_PAGE,
        staff,
        /** Parents and carers who have used OpenSEND for a child here (their reads are on the trail). */
        parents,
      };
    },

    /**
     * Record a refusal. A page the actor's roles cannot use is recorded in their school. A record they
     * cannot reach is recorded in their school and, when the record belongs to another school, in that
     * school too, against the pupil, so its "who has seen this record" shows the probe.
     */
    async recordRefusal(actor: Actor, error: ForbiddenError | NotFoundError, where: string): Promise<void> {
      if (error instanceof ForbiddenError) {
        await audit(db, actor, 'access.refused', { detail: { where, need: error.need } });
        return;
      }
      const record = error.record;
      if (!record) return;
      const owners = await owningSchoolsOf(db, record.kind, record.id);
      const own = owners.find((o) => o.schoolId === actor.schoolId);
      const rows = [
        auditRow(actor, 'access.not_found', {
          pupilId: own?.pupilId ?? null,
          detail: { where, kind: record.kind, id: record.id },
        }),
      ];
      const others = owners.filter((o) => o.schoolId !== actor.schoolId);
      if (others.length > 0) {
        const from = actor.schoolId
          ? ((await findSchool(db, actor.schoolId))?.name ?? 'another school')
          : actor.kind === 'professional'
            ? 'a professional of an outside agency'
            : actor.kind === 'parent'
              ? 'a parent or carer'
              : 'an organisation';
        for (const o of others) {
          rows.push({
            schoolId: o.schoolId,
            userId: actor.userId,
            role: rolesText(actor),
            action: 'access.probe_from_other_school' satisfies AuditAction,
            pupilId: o.pupilId,
            requestId: actor.requestId,
            detail: {
              where,
              kind: record.kind,
              id: record.id,
              fromSchool: from,
              fromSchoolId: actor.schoolId,
            },
          });
        }
      }
      await insertAuditEvents(db, rows);
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
