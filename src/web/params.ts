import type { FastifyRequest } from 'fastify';
import { NotFoundError } from '../services/kernel/errors.ts';
import { isUuid } from './forms/fields.ts';

/**
 * Ids from the URL path. Each parameter is named for the kind of record it takes, the same name in
 * every route; anything that is not a UUID is simply "not found".
 */
const KINDS = {
  pupilId: 'Pupil not found',
  concernId: 'Concern not found',
  staffId: 'Staff member not found',
  parentId: 'Parent or carer not found',
  invitationId: 'Invitation not found',
  classId: 'Class not found',
  schoolId: 'School not found',
  heldFormId: 'This form is no longer kept',
  letterId: 'Letter not found',
  templateId: 'Letter template not found',
  interventionId: 'Intervention not found',
  groupId: 'Group not found',
  memberId: 'Pupil not found in this group',
  planId: 'Plan not found',
  noteId: 'Note not found',
  bankEntryId: 'Bank entry not found',
  importId: 'Import not found',
  ctfExportId: 'Common Transfer File not found',
  subjectAccessId: 'Subject access request not found',
  retentionReviewId: 'Record to review not found',
  agencyId: 'Service not found in the directory',
  agencyProfessionalId: 'Professional not found',
  referralId: 'Referral not found',
  consentId: 'Consent not found',
  reportId: 'Report not found',
  recommendationId: 'Recommendation not found',
  ehcRequestId: 'Request for an EHC needs assessment not found',
  topUpId: 'Top-up funding application not found',
  closureId: 'Closure not found',
  caseId: 'Case not found',
  adviceId: 'Advice not found',
  exceptionId: 'Exception not found',
  decisionId: 'Decision not found',
  ehcPlanId: 'EHC plan not found',
  summaryId: 'EHC plan summary not found',
  annualReviewId: 'Annual review not found',
  reviewDecisionId: 'Annual review not found',
  parentInvitationId: 'Invitation not found',
  contactChangeId: 'Change of contact details not found',
  pupilVoiceId: 'The pupil’s views were not found',
  complaintId: 'Complaint not found',
  trainingId: 'Training not found',
  planItemId: 'Training plan item not found',
  appointmentId: 'SENCO appointment not found',
  schoolReportId: 'Report not found',
  subjectId: 'Subject not found',
  meetingId: 'Progress meeting not found',
} as const;
export type IdParam = keyof typeof KINDS;

export function idParam(request: FastifyRequest, name: IdParam): string {
  const id = (request.params as Record<string, string | undefined>)[name];
  if (!isUuid(id)) throw new NotFoundError(KINDS[name]);
  return id.toLowerCase();
}

export const pupilIdOf = (request: FastifyRequest) => idParam(request, 'pupilId');
