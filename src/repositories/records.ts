import { type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import {
  agency,
  agencyProfessional,
  agencyReport,
  assessmentSubject,
  attainmentResult,
  auditEvent,
  bankEntry,
  caseAdvice,
  caseDecision,
  caseException,
  complaint,
  complaintStage,
  concern,
  contactChange,
  ctfExport,
  ehcAnnualReview,
  ehcPlan,
  ehcPlanSummary,
  ehcPlanVersion,
  ehcProvisionLink,
  ehcRequest,
  ehcReviewDecision,
  expectedTrajectory,
  familyView,
  groupCheckPupil,
  groupMember,
  heldForm,
  intervention,
  letter,
  letterReply,
  letterTemplate,
  membership,
  organisationCase,
  outcomeRating,
  parentAccount,
  parentCarer,
  parentInvitation,
  planNote,
  planReview,
  planTarget,
  planTargetCheck,
  progressMeeting,
  progressMeetingPupil,
  provisionGroup,
  pupil,
  pupilAction,
  pupilAssignment,
  pupilClassMove,
  pupilImport,
  pupilImportChange,
  pupilOutcome,
  pupilProfile,
  pupilShare,
  pupilVoice,
  recommendation,
  recommendationUse,
  referral,
  referralConsent,
  referralEvent,
  registerEntry,
  registerReview,
  registerReviewSkip,
  retentionReview,
  schoolClass,
  schoolClosure,
  schoolReport,
  sencoAppointment,
  sessionAttendance,
  staffInvitation,
  staffTraining,
  storedFile,
  subjectAccessRequest,
  supportPlan,
  topUpApplication,
  topUpDecision,
  trainingPlanItem,
} from '../db/schema/index.ts';
import type { RecordKindName, RecordOwnerKind } from '../domain/records.ts';

/**
 * Where each kind of record of the registry (domain/records.ts) keeps its rows: its table, the column
 * naming one record (null where a record is named by its parts, like a pupil's attendance at a
 * session), its owner's column, and its pupil's (null for a record about no one pupil, or about
 * several, like a Common Transfer File sent for a class).
 */
export interface RecordTable {
  table: PgTable;
  id: PgColumn | null;
  /** Whose the rows are: a school's (ownerId is its school_id) or an organisation's (organisation_id). */
  ownerKind: RecordOwnerKind;
  ownerId: PgColumn;
  pupilId: PgColumn | null;
  /** A person's account belongs to every school they are a member of: at most this many owners. */
  limit?: number;
  /**
   * The rows whose owner is a school, where a table also holds an organisation's (the directory of
   * services): a probe of an organisation's row names no school.
   */
  ofSchools?: SQL;
  /** A part of an organisation's case: about the case's child, named by its case. */
  caseId?: PgColumn;
}

const at = (
  table: PgTable & { schoolId: PgColumn },
  id: PgColumn | null,
  pupilId: PgColumn | null,
): RecordTable => ({ table, id, ownerKind: 'school', ownerId: table.schoolId, pupilId });

/** A part of an organisation's case: the organisation's row, about the case's child (through the case). */
const ofCase = (
  table: PgTable & { organisationId: PgColumn; id: PgColumn; caseId: PgColumn },
): RecordTable => ({
  table,
  id: table.id,
  ownerKind: 'organisation',
  ownerId: table.organisationId,
  pupilId: null,
  caseId: table.caseId,
});

export const RECORD_TABLES = {
  pupil: at(pupil, pupil.id, pupil.id),
  parent: at(parentCarer, parentCarer.id, parentCarer.pupilId),
  class_move: at(pupilClassMove, pupilClassMove.id, pupilClassMove.pupilId),
  assignment: at(pupilAssignment, null, pupilAssignment.pupilId),
  import_change: at(pupilImportChange, pupilImportChange.id, pupilImportChange.pupilId),
  ctf_export: at(ctfExport, ctfExport.id, null),
  register_entry: at(registerEntry, registerEntry.id, registerEntry.pupilId),
  register_review: at(registerReview, registerReview.id, registerReview.pupilId),
  register_review_skip: at(registerReviewSkip, null, registerReviewSkip.pupilId),
  concern: at(concern, concern.id, concern.pupilId),
  profile: at(pupilProfile, null, pupilProfile.pupilId),
  plan: at(supportPlan, supportPlan.id, supportPlan.pupilId),
  target: at(planTarget, planTarget.id, planTarget.pupilId),
  note: at(planNote, planNote.id, planNote.pupilId),
  target_check: at(planTargetCheck, planTargetCheck.id, planTargetCheck.pupilId),
  review: at(planReview, planReview.id, planReview.pupilId),
  action: at(pupilAction, pupilAction.id, pupilAction.pupilId),
  member: at(groupMember, groupMember.id, groupMember.pupilId),
  attendance: at(sessionAttendance, null, sessionAttendance.pupilId),
  group_check_pupil: at(groupCheckPupil, null, groupCheckPupil.pupilId),
  letter: at(letter, letter.id, letter.pupilId),
  subject_access: at(subjectAccessRequest, subjectAccessRequest.id, subjectAccessRequest.pupilId),
  parent_account: at(parentAccount, parentAccount.id, parentAccount.pupilId),
  pupil_share: at(pupilShare, pupilShare.id, pupilShare.pupilId),
  parent_invitation: at(parentInvitation, parentInvitation.id, parentInvitation.pupilId),
  family_view: at(familyView, familyView.id, familyView.pupilId),
  letter_reply: at(letterReply, letterReply.id, letterReply.pupilId),
  contact_change: at(contactChange, contactChange.id, contactChange.pupilId),
  pupil_voice: at(pupilVoice, pupilVoice.id, pupilVoice.pupilId),
  referral: at(referral, referral.id, referral.pupilId),
  referral_event: at(referralEvent, referralEvent.id, referralEvent.pupilId),
  referral_consent: at(referralConsent, referralConsent.id, referralConsent.pupilId),
  agency_report: at(agencyReport, agencyReport.id, agencyReport.pupilId),
  recommendation: at(recommendation, recommendation.id, recommendation.pupilId),
  recommendation_use: at(recommendationUse, recommendationUse.id, recommendationUse.pupilId),
  ehc_request: at(ehcRequest, ehcRequest.id, ehcRequest.pupilId),
  ehc_annual_review: at(ehcAnnualReview, ehcAnnualReview.id, ehcAnnualReview.pupilId),
  ehc_plan_summary: at(ehcPlanSummary, ehcPlanSummary.id, ehcPlanSummary.pupilId),
  ehc_provision_link: at(ehcProvisionLink, ehcProvisionLink.id, ehcProvisionLink.pupilId),
  top_up_application: at(topUpApplication, topUpApplication.id, topUpApplication.pupilId),
  retention_review: at(retentionReview, retentionReview.id, retentionReview.pupilId),
  attainment: at(attainmentResult, attainmentResult.id, attainmentResult.pupilId),
  trajectory: at(expectedTrajectory, expectedTrajectory.id, expectedTrajectory.pupilId),
  outcome: at(pupilOutcome, pupilOutcome.id, pupilOutcome.pupilId),
  outcome_rating: at(outcomeRating, outcomeRating.id, outcomeRating.pupilId),
  progress_meeting_pupil: at(progressMeetingPupil, progressMeetingPupil.id, progressMeetingPupil.pupilId),
  complaint: at(complaint, complaint.id, complaint.pupilId),
  stored_file: {
    table: storedFile,
    id: storedFile.id,
    ownerKind: 'school',
    ownerId: storedFile.ownerId,
    pupilId: storedFile.pupilId,
  },
  audit_event: {
    table: auditEvent,
    id: auditEvent.id,
    ownerKind: 'school',
    ownerId: auditEvent.schoolId,
    pupilId: auditEvent.pupilId,
  },
  staff: {
    table: membership,
    id: membership.userId,
    ownerKind: 'school',
    ownerId: membership.schoolId,
    pupilId: null,
    limit: 50,
  },
  invitation: at(staffInvitation, staffInvitation.id, null),
  // A form kept for someone whose session ended belongs to the school they were working in (if any).
  held_form: {
    table: heldForm,
    id: heldForm.id,
    ownerKind: 'school',
    ownerId: heldForm.schoolId,
    pupilId: null,
  },
  letter_template: at(letterTemplate, letterTemplate.id, null),
  bank_entry: at(bankEntry, bankEntry.id, null),
  intervention: at(intervention, intervention.id, null),
  group: at(provisionGroup, provisionGroup.id, null),
  class: at(schoolClass, schoolClass.id, null),
  import: at(pupilImport, pupilImport.id, null),
  school_closure: at(schoolClosure, schoolClosure.id, null),
  assessment_subject: at(assessmentSubject, assessmentSubject.id, null),
  progress_meeting: at(progressMeeting, progressMeeting.id, null),
  complaint_stage: at(complaintStage, complaintStage.id, null),
  staff_training: at(staffTraining, staffTraining.id, null),
  training_plan_item: at(trainingPlanItem, trainingPlanItem.id, null),
  senco_appointment: at(sencoAppointment, sencoAppointment.id, null),
  school_report: at(schoolReport, schoolReport.id, null),
  // A school's own list of services; the local authority's list for its schools is the organisation's.
  agency: {
    table: agency,
    id: agency.id,
    ownerKind: 'school',
    ownerId: agency.ownerId,
    pupilId: null,
    ofSchools: sql`${agency.ownerKind} = 'school'`,
  },
  agency_professional: {
    table: agencyProfessional,
    id: agencyProfessional.id,
    ownerKind: 'school',
    ownerId: agencyProfessional.ownerId,
    pupilId: null,
    ofSchools: sql`exists (select 1 from school where school.id = ${agencyProfessional.ownerId})`,
  },
  // The organisation's own: its pupil link is the row it was opened about (and the UPN, which follows a move).
  organisation_case: {
    table: organisationCase,
    id: organisationCase.id,
    ownerKind: 'organisation',
    ownerId: organisationCase.organisationId,
    pupilId: organisationCase.pupilId,
  },
  case_decision: ofCase(caseDecision),
  case_advice: ofCase(caseAdvice),
  case_exception: ofCase(caseException),
  top_up_decision: ofCase(topUpDecision),
  ehc_plan: {
    table: ehcPlan,
    id: ehcPlan.id,
    ownerKind: 'organisation',
    ownerId: ehcPlan.organisationId,
    pupilId: ehcPlan.pupilId,
  },
  ehc_plan_version: ofCase(ehcPlanVersion),
  ehc_review_decision: ofCase(ehcReviewDecision),
} satisfies Record<RecordKindName, RecordTable>;

/**
 * Tables with a pupil's id that are not a kind of record of their own: derived from another record
 * (the pupil's search terms), or the audit trail's index of who was shown (part of its event).
 */
export const DERIVED_PUPIL_TABLES = ['pupil_search_term', 'audit_event_pupil'] as const;
