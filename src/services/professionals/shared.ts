import type { Database } from '../../db/client.ts';
import { atLeast, SECTION_LABELS, type Section, sectionAccess } from '../../domain/access.ts';
import { AREA_LABELS, type NeedCode, needLabel } from '../../domain/census.ts';
import { REFERRAL_STATUS_LABELS } from '../../domain/referrals.ts';
import { stageLabel } from '../../domain/register.ts';
import { professionalReferralActions } from '../../policies/agencies.ts';
import { insertAuditEvents } from '../../repositories/audit.ts';
import { currentPlanWithTargets, reportsOfReferral } from '../../repositories/professionals.ts';
import { provisionOfPupil } from '../../repositories/provision.ts';
import { findPupilWithReach } from '../../repositories/pupils.ts';
import type { Actor } from '../kernel/actor.ts';
import { auditRow } from '../kernel/audit.ts';
import type { Clock } from '../kernel/clock.ts';
import { professionalReferral, referralNotFound } from './access.ts';

/**
 * What a professional sees of a referral shared with them: the school's question, what was tried, where
 * the referral stands, and of the pupil only the sections this share names, read-only, while it is
 * live. The pupil is reached through the compiled reach (referrals_received, section by section), never
 * by the id in the address; each view is recorded in the trail of the school that shared it.
 */
export function createSharedReferrals(database: Database, clock: Clock) {
  const { db } = database;
  return {
    async referral(actor: Actor, referralId: string) {
      const { professional, referral, schoolName, share } = await professionalReferral(db, actor, referralId);
      const found = await findPupilWithReach(
        db,
        { schoolId: referral.schoolId, userId: professional.userId, roles: professional.roles },
        referral.pupilId,
      );
      if (!found || found.pupil.leftOn) throw referralNotFound(referralId);
      const access = sectionAccess(professional.roles, found.reaches, found.shared);
      // What the grant opens through all live shares, narrowed to what this referral's share names.
      const named = new Set<Section>(share.sections);
      const may = (s: Section) => named.has(s) && atLeast(access[s], 'read');
      const p = found.pupil;
      const today = clock.today();
      const [plan, provision, reports] = await Promise.all([
        may('plans') ? currentPlanWithTargets(db, referral.schoolId, p.id) : null,
        // Provision now: groups running today that the pupil is in (not those ended or left).
        may('provision') ? provisionOfPupil(db, referral.schoolId, p.id, { from: today, to: today }) : null,
        reportsOfReferral(db, referral.schoolId, referral.id),
      ]);
      const shown = (['identity', 'medical', 'register', 'plans', 'provision'] as const).filter(may);
      await insertAuditEvents(db, [
        {
          ...auditRow(professional, 'referral.shared_viewed', {
            pupilId: p.id,
            detail: { referralId, shareId: share.id, sections: shown },
          }),
          schoolId: referral.schoolId,
        },
      ]);
      const actions = professionalReferralActions(professional, {
        professionalUserId: referral.professionalUserId,
        status: referral.status,
        shareLive: share.live,
      });
      return {
        schoolName,
        referral: {
          id: referral.id,
          agencyName: referral.agencyName,
          question: referral.question,
          tried: referral.tried,
          shareDocuments: referral.shareDocuments,
          status: REFERRAL_STATUS_LABELS[referral.status],
          sentOn: referral.sentOn,
          reportDueOn: referral.reportDueOn,
        },
        share: {
          sections: share.sections.map((s) => SECTION_LABELS[s]),
          sharedUntil: share.sharedUntil,
        },
        pupil: {
          name: `${p.preferredName ?? p.forename} ${p.surname}`,
          className: found.className,
          dateOfBirth: may('identity') ? p.dateOfBirth : null,
        },
        identity: may('identity'),
        medical: may('medical') ? { condition: p.medicalCondition, notes: p.medicalNotes } : null,
        register: may('register')
          ? {
              stage: stageLabel(p.senStage),
              primaryNeed: p.primaryNeed ? needLabel(p.primaryNeed as NeedCode) : null,
              secondaryNeed: p.secondaryNeed ? needLabel(p.secondaryNeed as NeedCode) : null,
            }
          : null,
        plans: may('plans')
          ? plan && {
              status: plan.status,
              startDate: plan.startDate,
              reviewDate: plan.reviewDate,
              needAreas: plan.needAreas.map((a) => AREA_LABELS[a]),
              desiredOutcomes: plan.desiredOutcomes,
              targets: plan.targets.map((t) => ({
                area: t.area ? AREA_LABELS[t.area] : null,
                target: t.target,
                achievementCriteria: t.achievementCriteria,
                classStrategies: t.classStrategies,
              })),
            }
          : undefined,
        provision: provision
          ? provision
              .filter((g) => g.leftOn === null || g.leftOn >= today)
              .map((g) => ({
                interventionName: g.interventionName,
                groupName: g.groupName,
                sessionsPerWeek: g.sessionsPerWeek,
                minutesPerSession: g.minutesPerSession,
                joinedOn: g.joinedOn,
              }))
          : null,
        reports: reports.map((r) => ({
          id: r.id,
          title: r.title,
          writtenOn: r.writtenOn,
          authorName: r.authorName,
        })),
        actions,
      };
    },
  };
}
