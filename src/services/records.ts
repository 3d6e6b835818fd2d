import type { Database } from '../db/client.ts';
import { auditEventsForPupil } from '../repositories/audit.ts';
import { registerCountsBySchool } from '../repositories/pupils.ts';
import { findOrganisation, schoolsOfOrganisation } from '../repositories/schools.ts';
import type { Actor } from './actor.ts';
import { audit } from './audit.ts';
import { requireSchoolPermission } from './authorise.ts';
import { ForbiddenError } from './errors.ts';
import type { PupilService } from './pupils.ts';

export function createRecordsService(database: Database, pupils: PupilService) {
  const { db } = database;
  return {
    /** Who read or changed a pupil's record: for the SENCo and head teacher. */
    async pupilAuditTrail(actor: Actor, pupilId: string) {
      const a = requireSchoolPermission(actor, 'audit.view');
      const found = await pupils.pupilInScopeOr404(a, pupilId);
      const events = await auditEventsForPupil(db, a.schoolId, pupilId);
      await audit(db, a, 'pupil.audit_viewed', pupilId);
      return { pupil: found.pupil, events };
    },

    /** Register figures for each school of the officer's organisation: never a named pupil. */
    async organisationOverview(actor: Actor) {
      if (actor.role !== 'organisation_officer' || !actor.organisationId) throw new ForbiddenError();
      const organisation = await findOrganisation(db, actor.organisationId);
      const schools = await schoolsOfOrganisation(db, actor.organisationId);
      const counts = await registerCountsBySchool(
        db,
        schools.map((s) => s.id),
      );
      const rows = schools.map((s) => {
        const mine = counts.filter((c) => c.schoolId === s.id);
        const get = (stage: string) => mine.find((c) => c.senStage === stage)?.n ?? 0;
        const total = mine.reduce((sum, c) => sum + c.n, 0);
        return {
          schoolId: s.id,
          name: s.name,
          urn: s.urn,
          total,
          monitoring: get('monitoring'),
          senSupport: get('sen_support'),
          ehcPlan: get('ehc_plan'),
        };
      });
      const totals = rows.reduce(
        (t, r) => ({
          total: t.total + r.total,
          monitoring: t.monitoring + r.monitoring,
          senSupport: t.senSupport + r.senSupport,
          ehcPlan: t.ehcPlan + r.ehcPlan,
        }),
        { total: 0, monitoring: 0, senSupport: 0, ehcPlan: 0 },
      );
      await audit(db, actor, 'organisation.overview_viewed', null, { schools: rows.length });
      return { organisation, rows, totals };
    },
  };
}

export type RecordsService = ReturnType<typeof createRecordsService>;
