import type { FastifyInstance } from 'fastify';
import { ROLE_LABELS, type Role } from '../../../domain/roles.ts';
import type { Services } from '../../../services/index.ts';
import { pupilIdOf } from '../../params.ts';
import { requireSchoolChosen, requireSignIn } from '../../plugins/session.ts';

const ACTION_LABELS: Record<string, string> = {
  'pupil.viewed': 'Viewed the record',
  'pupil.created': 'Added the pupil',
  'pupil.updated': 'Changed details',
  'pupil.opened_for_edit': 'Opened details to change',
  'pupil.parent_added': 'Added a parent or carer',
  'pupil.parent_changed': 'Changed a parent or carer’s details',
  'pupil.parent_removed': 'Removed a parent or carer',
  'pupil.staff_assigned': 'Added a teaching assistant',
  'pupil.staff_unassigned': 'Removed a teaching assistant',
  'pupil.access_denied': 'Tried to open the record without access',
  'pupil.audit_viewed': 'Viewed this audit trail',
  'pupil.opened_for_register_change': 'Opened the SEN stage form',
  'pupil.opened_for_register_review': 'Opened the register review',
  'pupil.opened_for_concern': 'Opened the concern form',
  'register.changed': 'Changed SEN stage or needs',
  'register.reviewed': 'Recorded a register review',
  'concern.raised': 'Raised a concern',
  'concern.viewed': 'Viewed a concern',
  'concern.reviewed': 'Reviewed a concern',
};

export async function auditRoutes(app: FastifyInstance, services: Services) {
  app.addHook('preHandler', requireSignIn);
  app.addHook('preHandler', requireSchoolChosen);

  app.get('/pupils/:id/audit', async (request, reply) => {
    const { pupil, events } = await services.records.pupilAuditTrail(request.actor!, pupilIdOf(request));
    return reply.page('features/audit/views/trail.njk', {
      pageTitle: `Who has seen or changed ${pupil.forename} ${pupil.surname}’s record`,
      pupil,
      events: events.map((e) => ({
        at: e.occurredAt,
        who: e.userName ?? 'System',
        role: e.role ? (ROLE_LABELS[e.role as Role] ?? e.role) : '',
        action: ACTION_LABELS[e.action] ?? e.action,
        requestId: e.requestId,
      })),
    });
  });
}
