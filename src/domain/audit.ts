/**
 * Every action the audit trail records, with the words a SENCo would use for it. The audit table's
 * `action` column holds only these (a union type), and every page that shows the trail reads them here.
 */
export const AUDIT_ACTION_LABELS = {
  // Signing in and out
  'auth.signed_in': 'Signed in',
  'auth.sign_in_failed': 'Failed to sign in',
  'auth.sign_in_throttled': 'Sign-in paused after repeated failures',
  'auth.signed_out': 'Signed out',
  'auth.context_chosen': 'Chose where to work',
  // Parents and professionals
  'children.viewed': 'A parent or carer viewed the list of their children',
  'shares.viewed': 'A professional viewed what schools have shared with them',
  // The family's door (docs/adr/0039): what parents and carers saw and did, on the school's trail
  'family.invited': 'Invited a parent or carer to see their child’s record online',
  'family.invitation_ended': 'Withdrew an invitation to a parent or carer',
  'family.joined': 'A parent or carer used an invitation: their account is linked to the child',
  'family.join_failed': 'A wrong, used or expired invitation code was entered',
  'family.access_ended': 'Ended a parent’s or carer’s online access to the child',
  'family.access_viewed': 'Viewed which parents and carers use OpenSEND for the child',
  'family.invitation_printed': 'Printed the letter inviting a parent or carer, with its code',
  'family.child_viewed': 'A parent or carer viewed their child’s page',
  'family.read': 'A parent or carer read a plan, letter or EHC plan',
  'family.views_given': 'A parent or carer gave their views',
  'family.views_changed': 'A parent or carer changed their views',
  'family.letter_replied': 'A parent or carer replied to a letter',
  'family.concern_raised': 'A parent or carer raised a concern',
  'family.consent_given': 'A parent or carer gave consent online',
  'family.consent_refused': 'A parent or carer refused consent online',
  'family.consent_withdrawn': 'A parent or carer withdrew consent online',
  'family.contact_change_asked': 'A parent or carer asked to change their contact details',
  'family.contact_change_accepted': 'Confirmed a parent’s or carer’s new contact details',
  'family.contact_change_declined': 'Declined a parent’s or carer’s new contact details',
  'family.mail_preferences_changed': 'A parent or carer chose which emails they receive',
  'pupil_voice.recorded': 'Recorded the pupil’s own views',
  'pupil_voice.changed': 'Changed the pupil’s own views',
  'pupil_voice.viewed': 'Viewed the pupil’s own views',
  'auth.password_changed': 'Changed their password',
  'auth.password_set': 'Chose their first password from the link sent by email',
  'auth.code_sent': 'Signed in with their password on a new device: a code was sent by email',
  'auth.code_failed': 'Entered a wrong or expired sign-in code',
  'auth.account_made':
    'Made their account (a parent new to OpenSEND, once the code sent to their email was right)',
  'auth.device_remembered': 'Entered the code sent by email: the device is remembered',
  'auth.devices_forgotten': 'Forgot the devices remembered for their account',
  'auth.email_change_asked':
    'Asked to change the email they sign in with: a code was sent to the new address',
  'auth.email_change_refused': 'Tried to change the email they sign in with, and was refused',
  'auth.email_changed': 'Changed the email they sign in with (the new address proven by a code)',
  'auth.form_held': 'Sent a form after their session ended (kept for them)',
  // Set-up and the command line
  'school.set_up': 'Set up the school',
  'demo.loaded': 'Loaded the demo data',
  'account.password_reset_by_command': 'Password reset from the command line',
  'account.senco_created_by_command': 'SENCo account created from the command line',
  'audit.verified': 'Checked the audit trail for tampering',
  'audit.chain_keyed': 'Began keying the audit trail (entries before this one are sealed by it)',
  'audit.checkpoint_written': 'Wrote a checkpoint of the audit trail',
  // Mail
  'mail.test_queued': 'Sent a test email',
  // Subject access
  'subject_access.recorded': 'Recorded a subject access request',
  'subject_access.viewed': 'Viewed a subject access request',
  'subject_access.gathered': 'Gathered everything held about a pupil for a subject access request',
  'subject_access.produced': 'Produced the export for a subject access request',
  'subject_access.downloaded': 'Downloaded the export of a subject access request',
  'subject_access.released': 'Recorded a subject access request as answered',
  // Retention
  'retention.listed': 'Listed records past their retention date',
  'retention.reviewed': 'Found records past their retention date (the nightly review)',
  'retention.erase_opened': 'Opened the erasure of a record past its retention date',
  'retention.erased': 'Erased a record past its retention date',
  'retention.kept': 'Kept a record past its retention date, to look at again later',
  'settings.retention_changed': 'Changed how long records are kept',
  // Staff
  'staff.added': 'Added a member of staff',
  'staff.invited': 'Invited someone who already has an account',
  'staff.invitation_accepted': 'Accepted an invitation to join the school',
  'staff.invitation_declined': 'Declined an invitation to join the school',
  'staff.invitation_withdrawn': 'Withdrew an invitation',
  'staff.changed': 'Changed a member of staff’s roles or classes',
  'staff.removed': 'Removed a member of staff from the school',
  'staff.sign_in_disabled': 'Turned off a member of staff’s sign-in',
  'staff.sign_in_enabled': 'Turned on a member of staff’s sign-in',
  'staff.password_reset': 'Reset a member of staff’s password',
  // Refusals
  'access.refused': 'Was refused a page their role cannot use',
  'access.not_found': 'Asked for a record they cannot reach',
  'access.probe_from_other_school': 'Someone from another school asked for this record',
  // Pupils
  'pupil.viewed': 'Viewed the record',
  'pupil.listed': 'Saw this pupil in the pupil list',
  'pupil.found_for_concern': 'Saw this pupil when finding a pupil to raise a concern',
  'pupil.opened_form': 'Opened a form about the pupil',
  'pupil.created': 'Added the pupil',
  'pupil.updated': 'Changed details',
  'pupil.parent_added': 'Added a parent or carer',
  'pupil.parent_changed': 'Changed a parent or carer’s details',
  'pupil.parent_removed': 'Removed a parent or carer',
  'pupil.staff_assigned': 'Assigned a member of staff to the pupil',
  'pupil.staff_unassigned': 'Removed a member of staff from the pupil',
  'pupil.audit_viewed': 'Viewed who has seen this record',
  // The register
  'register.listed': 'Saw this pupil in the SEN register',
  'register.exported': 'Exported the SEN register',
  'register.review_listed': 'Saw this pupil in the register review list',
  'register.changed': 'Changed SEN stage or needs',
  'register.reviewed': 'Recorded a register review',
  'register.counts_viewed': 'Viewed the school’s SEN figures',
  'register.review_skipped': 'Left the pupil until later in the register review',
  // Concerns
  'concern.raised': 'Raised a concern',
  'concern.recorded': 'Recorded a concern from outside the staff',
  'concern.viewed': 'Viewed a concern',
  'concern.reviewed': 'Reviewed a concern',
  'concern.listed': 'Saw this pupil in the list of concerns',
  // Classes and the school year
  'class.created': 'Created a class',
  'class.changed': 'Changed a class',
  'class.archived': 'Archived a class',
  'pupil.class_moved': 'Moved the pupil to another class',
  'class.pupils_listed': 'Saw this pupil in a class’s list of pupils',
  // Termly attainment and expected trajectories
  'attainment.subjects_started': 'Started the school’s assessment subjects (reading, writing, maths)',
  'attainment.subject_added': 'Added an assessment subject',
  'attainment.subject_changed': 'Changed an assessment subject',
  'attainment.subject_archived': 'Archived an assessment subject',
  'attainment.grid_viewed': 'Saw this pupil on a class’s attainment grid',
  'attainment.results_recorded': 'Recorded the pupil’s termly attainment',
  'attainment.results_cleared': 'Cleared the pupil’s termly attainment',
  'attainment.pupil_viewed': 'Viewed the pupil’s progress',
  'attainment.trajectory_set': 'Set the pupil’s expected trajectory',
  'attainment.below_trajectory_listed': 'Saw this pupil in the list of pupils below their trajectory',
  'attainment.import_previewed': 'Saw this pupil in the preview of an attainment import',
  'attainment.imported': 'Imported the pupil’s termly attainment',
  // Half-termly pupil progress meetings
  'progress_meeting.prepared': 'Prepared a class’s pupil progress meeting',
  'progress_meeting.viewed': 'Saw this pupil in a class’s pupil progress meeting',
  'progress_meeting.recorded': 'Recorded a pupil progress meeting',
  'progress_meeting.decision_recorded': 'Recorded a decision about this pupil at a progress meeting',
  'progress_meeting.decision_removed': 'Removed a decision about this pupil from a progress meeting',
  'progress_meeting.actions_listed': 'Saw this pupil in their list of actions from progress meetings',
  'progress_meeting.action_done': 'Marked an action from a progress meeting done',
  'progress_meeting.concern_linked': 'Raised the concern a progress meeting decided on',
  // Non-academic outcomes rated at reviews
  'outcome.viewed': 'Viewed the pupil’s outcomes and their ratings',
  'outcome.named': 'Named an outcome to rate at reviews',
  'outcome.rated': 'Rated an outcome at a review',
  'school.roll_over_previewed': 'Saw this pupil in the year-end roll-over preview',
  'school.details_changed': 'Changed the school’s details',
  'school.rolled_over': 'Rolled the school over to a new academic year',
  // Pupils in and out
  'import.previewed': 'Uploaded pupils from the MIS for a preview',
  'import.viewed': 'Viewed the preview of an import of pupils from the MIS',
  'import.applied': 'Applied an import of pupils from the MIS',
  'import.discarded': 'Discarded an import of pupils',
  'import.expired': 'Removed an upload of pupils left unapplied for a week',
  'pupil.updated_from_import': 'Details updated from the MIS import',
  'pupil.created_from_import': 'Added from the MIS import',
  'pupil.created_from_ctf': 'Added from a Common Transfer File',
  'pupil.left': 'Recorded that the pupil left the school',
  'ctf.imported': 'Imported a Common Transfer File',
  'ctf.exported': 'Produced a Common Transfer File',
  // Support plans, the working document and reviews
  'plan.created': 'Started a support plan',
  'plan.changed': 'Changed a support plan',
  'plan.viewed': 'Viewed a support plan',
  'plan.printed': 'Printed or downloaded a support plan',
  'plan.agreed': 'Agreed a support plan and put it in place',
  'plan.shared': 'Recorded that a support plan was shared with parents',
  'plan.review_started': 'Started the review of a support plan',
  'plan.reviewed': 'Recorded the review of a support plan',
  'plan.closed': 'Closed a support plan',
  'plan.note_added': 'Added a note to a support plan',
  'plan.note_changed': 'Corrected a note the same day',
  'plan.target_check_recorded': 'Recorded a half-termly target check',
  'plan.target_check_changed': 'Changed a half-termly target check',
  'pupil.profile_changed': 'Changed the pupil’s one-page profile',
  'pupil.action_recorded': 'Recorded an action from a review',
  'bank.entry_added': 'Added a target or strategy to the bank',
  'bank.entry_hidden': 'Hid a target or strategy in the bank',
  // The provision map
  'intervention.created': 'Added an intervention to the catalogue',
  'intervention.changed': 'Changed an intervention in the catalogue',
  'group.created': 'Started a provision group',
  'group.changed': 'Changed a provision group',
  'group.viewed': 'Viewed a provision group',
  'group.pupil_added': 'Added the pupil to a provision group',
  'group.pupil_left': 'Took the pupil out of a provision group',
  'session.recorded': 'Recorded a session of a provision group',
  'measure.recorded': 'Recorded an entry or exit measure',
  'group.checked': 'Recorded the half-termly check of a group',
  'provision.viewed': 'Viewed the provision map',
  'provision.exported': 'Exported the provision map',
  'rates.changed': 'Changed the hourly rates for costing staff time',
  // The directory of outside agencies (the school's own list, or the local authority's for its schools)
  'agency.created': 'Added a service to the directory of outside agencies',
  'agency.changed': 'Changed a service in the directory of outside agencies',
  'agency.starter_added': 'Added the common services to the directory of outside agencies',
  'agency.professional_added': 'Added a professional to a service in the directory',
  'agency.professional_changed': 'Changed a professional of a service in the directory',
  'agency.counts_viewed': 'Viewed the counts of referrals to outside agencies',
  // Recommendations of outside agencies, into the plan and the provision
  'recommendation.viewed': 'Viewed a recommendation of an outside agency',
  'recommendation.used': 'Used a recommendation of an outside agency in the plan or the provision',
  // Letters
  'letter.produced': 'Produced a letter to parents',
  'letter.slip_recorded': 'Recorded the signed slip returned',
  'letter.viewed': 'Viewed a letter',
  'letter.printed': 'Printed or downloaded a letter',
  'letter.listed': 'Saw this pupil in a list of letters',
  'letter_template.changed': 'Changed a letter template',
  'ctf.previewed': 'Uploaded a Common Transfer File for a preview',
  'ctf.downloaded': 'Downloaded a Common Transfer File',
  // Settings and backups
  'settings.changed': 'Changed the school’s settings',
  'backup.made': 'Made a backup of the database',
  'backup.restored': 'Restored the database from a backup',
  // The school and organisations
  'organisation.overview_viewed': 'Viewed figures across the organisation’s schools',
  // The school's SEN reports (issue 18): no pupil named
  'school_report.listed': 'Viewed the list of the school’s SEN reports',
  'school_report.drafted': 'Started drafting one of the school’s SEN reports',
  'school_report.viewed': 'Read one of the school’s SEN reports',
  'school_report.saved': 'Saved the school’s words in one of its SEN reports',
  'school_report.published':
    'Published one of the school’s SEN reports: its words and figures frozen for the year',
  'school_report.downloaded': 'Downloaded one of the school’s SEN reports (PDF or web page)',
  'case.opened': 'Opened a case about a child (the local authority’s own record)',
  'case.viewed': 'Viewed a case about a child',
  // The local authority's caseload: the EHC needs assessment with its statutory clock
  'caseload.viewed': 'Viewed the caseload of EHC needs assessments and top-up applications',
  'case.decision_recorded':
    'Recorded a decision on a case (to assess or not, a panel, to issue a plan or not)',
  'case.advice_requested': 'Recorded advice asked for in an EHC needs assessment',
  'case.advice_viewed': 'Viewed advice asked for in an EHC needs assessment',
  'case.advice_changed': 'Recorded when advice came, or corrected when it was asked',
  'case.exception_recorded': 'Recorded an exception to the time limits of an EHC needs assessment',
  'case.exception_ended': 'Recorded the end of an exception to the time limits',
  'case.dates_changed': 'Changed a case’s dates or its caseworker',
  'case.received_downloaded': 'Downloaded what a school sent to the local authority',
  'sen2.figures_viewed': 'Viewed the EHC needs assessment figures for the SEN2 return',
  'sen2.return_viewed': 'Viewed the SEN2 return: its summary and the children to correct',
  'sen2.return_downloaded': 'Downloaded the SEN2 return as the DfE’s XML',
  'ehc.counts_viewed': 'Viewed the school’s EHC figures (counts only)',
  'school.closure_added': 'Recorded a closure of the school of four weeks or more',
  'school.closure_removed': 'Removed a closure of the school',
  'audit.school_viewed': 'Viewed the school’s audit trail',
  'dashboard.viewed': 'Saw this pupil in a list of work to do',
  // Referrals to outside agencies
  'referral.started': 'Started a referral to an outside agency',
  'referral.viewed': 'Viewed a referral to an outside agency',
  'referral.changed': 'Changed a draft referral',
  'referral.listed': 'Saw this pupil in the list of referrals',
  'referral.step_recorded': 'Recorded a step of a referral',
  'referral.consent_recorded': 'Recorded consent to a referral',
  'referral.consent_withdrawn':
    'Recorded that consent to a referral was withdrawn (the referral and its sharing stopped)',
  'referral.consent_form_downloaded': 'Downloaded a signed consent form',
  // Outside agencies: the professional of a referral, and the reports that come back
  'referral.professional_invited':
    'Invited the agency’s professional to a referral and shared the record with them',
  'referral.share_ended': 'Ended the sharing of a referral with the agency’s professional',
  'referral.shared_viewed': 'A professional viewed what a school shared with them for a referral',
  'report.added': 'Added an agency’s report and its recommendations',
  'report.viewed': 'Viewed an agency’s report',
  'report.downloaded': 'Downloaded the file of an agency’s report',
  // High-needs top-up funding: the school's application and the local authority's decision
  'top_up.started': 'Started an application for high-needs top-up funding',
  'top_up.viewed': 'Viewed an application for high-needs top-up funding',
  'top_up.changed': 'Changed an application for high-needs top-up funding',
  'top_up.sent': 'Sent an application for high-needs top-up funding to the local authority',
  'top_up.marked_sent': 'Recorded an application for high-needs top-up funding as sent by the school',
  'top_up.received': 'Received a school’s application for high-needs top-up funding into the caseload',
  'top_up.withdrawn': 'Withdrew an application for high-needs top-up funding',
  'top_up.downloaded': 'Downloaded an application for high-needs top-up funding',
  'top_up.decision_viewed': 'Viewed an application for high-needs top-up funding and its decision',
  'top_up.decided': 'Recorded the local authority’s decision on high-needs top-up funding',
  // The EHC needs assessment as the school asks for it (docs/adr/0036)
  'ehc_request.started': 'Started a request for an EHC needs assessment',
  'ehc_request.viewed': 'Viewed a request for an EHC needs assessment',
  'ehc_request.saved': 'Changed a request for an EHC needs assessment being written',
  'ehc_request.consent_recorded': 'Recorded the parent’s consent to an EHC needs assessment',
  'ehc_request.downloaded': 'Downloaded the evidence pack of a request for an EHC needs assessment',
  'ehc_request.sent': 'Sent a request for an EHC needs assessment to the local authority',
  'ehc_request.withdrawn': 'Withdrew a request for an EHC needs assessment',
  'ehc_request.listed': 'Saw this pupil in the list of requests for EHC needs assessments',
  'ehc_case.received': 'Received a school’s request for an EHC needs assessment into the caseload',
  'ehc_case.withdrawn_by_school': 'The school withdrew its request for an EHC needs assessment',
  // The school's side of a pupil's EHC plan (docs/adr/0038)
  'ehc_plan.viewed_by_school': 'Viewed a pupil’s EHC plan',
  'ehc_plan.downloaded_by_school': 'Downloaded a pupil’s EHC plan',
  'ehc_plan.outcome_taken': 'Took an outcome of the EHC plan as a target of the support plan',
  'ehc_plan.provision_viewed': 'Viewed the provision of EHC plans beside the provision map',
  'ehc_plan.provision_linked': 'Linked an item of EHC plan provision to a provision group',
  'ehc_plan.provision_unlinked': 'Removed the link from an item of EHC plan provision to a group',
  'ehc_plan_summary.recorded': 'Recorded an EHC plan from another local authority',
  'ehc_plan_summary.viewed': 'Viewed an EHC plan from another local authority, as the school recorded it',
  'ehc_plan_summary.downloaded': 'Downloaded the PDF of an EHC plan from another local authority',
  'ehc_plan_summary.ended': 'Ended the school’s record of an EHC plan from another local authority',
  // The local authority's side of annual reviews of EHC plans (docs/adr/0038)
  'annual_reviews.listed': 'Viewed the annual reviews of EHC plans due across the local authority',
  'review_decision.viewed': 'Viewed a school’s annual review report and the local authority’s decision on it',
  'review_decision.decided':
    'Recorded the local authority’s decision on an annual review (keep, amend or cease the EHC plan)',
  // The local authority's EHC plan (docs/adr/0038)
  'ehc_plan.started': 'Started the draft EHC plan from an EHC needs assessment',
  'ehc_plan.viewed': 'Viewed an EHC plan at the local authority',
  'ehc_plan.section_saved': 'Saved a section of an EHC plan being written',
  'ehc_plan.sent': 'Sent a draft EHC plan or proposed amendments to the parents',
  'ehc_plan.comments_recorded': 'Recorded the parents’ comments and the school consulted on an EHC plan',
  'ehc_plan.issued': 'Issued an EHC plan as final',
  'ehc_plan.amendment_started': 'Started an amendment of an EHC plan',
  'ehc_plan.ceased': 'Ceased an EHC plan',
  'ehc_plan.versions_compared': 'Compared two versions of an EHC plan',
  'ehc_plan.downloaded': 'Downloaded an EHC plan as a PDF',
  // Annual reviews of EHC plans: the school's side (docs/adr/0038)
  'annual_review.started': 'Started arranging the annual review of an EHC plan',
  'annual_review.viewed': 'Viewed the annual review of an EHC plan',
  'annual_review.arranged': 'Changed the arrangements of the annual review of an EHC plan',
  'annual_review.meeting_recorded': 'Recorded the meeting of the annual review of an EHC plan',
  'annual_review.sent': 'Sent the report of an annual review to the local authority',
  'annual_review.marked_sent': 'Recorded the report of an annual review as sent by the school',
  'annual_review.cancelled': 'Cancelled the annual review of an EHC plan',
  'annual_review.downloaded': 'Downloaded the report of an annual review',
  'annual_review.listed': 'Saw this pupil in the list of annual reviews',
  'ehc_review.received': 'Received a school’s annual review report into the authority’s records',
  // The complaints log, staff training and the SENCO's qualification (issue 18)
  'complaint.listed': 'Saw the complaints log',
  'complaint.viewed': 'Viewed a complaint',
  'complaint.form_opened': 'Opened the form to record a complaint',
  'complaint.recorded': 'Recorded a complaint',
  'complaint.changed': 'Changed the details of a complaint',
  'complaint.responded': 'Recorded the response to a stage of a complaint',
  'complaint.escalated': 'Took a complaint to its next stage',
  'complaint.closed': 'Closed a complaint with its outcome',
  'training.recorded': 'Recorded training a member of staff did',
  'training.changed': 'Changed a record of staff training',
  'training.deleted': 'Deleted a record of staff training',
  'training_plan.item_added': 'Added an item to the training plan',
  'training_plan.item_changed': 'Changed an item of the training plan',
  'senco_appointment.recorded': 'Recorded a SENCO’s appointment',
  'senco_appointment.changed': 'Changed a SENCO’s appointment or qualification',
} as const;

export type AuditAction = keyof typeof AUDIT_ACTION_LABELS;
export const AUDIT_ACTIONS = Object.keys(AUDIT_ACTION_LABELS) as AuditAction[];

export function isAuditAction(value: string): value is AuditAction {
  return Object.hasOwn(AUDIT_ACTION_LABELS, value);
}

/** One field that a change altered: its label, and the old and new values as they read on screen. */
export interface FieldChange {
  label: string;
  from: string;
  to: string;
}

/** Compare two versions of a record field by field; values are shown as the caller formats them. */
export function fieldChanges<T extends Record<string, unknown>>(
  before: T,
  after: Partial<T>,
  labels: { [K in keyof T]?: string },
  format: (key: keyof T, value: unknown) => string = (_k, v) =>
    v === null || v === undefined ? '' : String(v),
): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const key of Object.keys(labels) as (keyof T)[]) {
    if (!(key in after)) continue;
    const from = format(key, before[key]);
    const to = format(key, after[key]);
    if (from !== to)
      changes.push({ label: labels[key] as string, from: from || '(none)', to: to || '(none)' });
  }
  return changes;
}

const STAGE_WORDS: Record<string, string> = {
  none: 'not on the register',
  monitoring: 'monitoring',
  sen_support: 'SEN support',
  ehc_plan: 'EHC plan',
};

/** The sentence the audit pages show for one event: its label, made specific by its detail. */
export function describeAuditEvent(action: string, detail: Record<string, unknown> | null): string {
  const label = isAuditAction(action) ? AUDIT_ACTION_LABELS[action] : action;
  const d = detail ?? {};
  if (action === 'register.changed' || action === 'register.reviewed') {
    const from = STAGE_WORDS[String(d.from)];
    const to = STAGE_WORDS[String(d.to)];
    if (from && to && from !== to) {
      return `${action === 'register.reviewed' ? 'Register review: changed' : 'Changed'} SEN stage from ${from} to ${to}`;
    }
    if (action === 'register.reviewed') return 'Recorded a register review (stage unchanged)';
    return 'Changed SEN needs';
  }
  if (action === 'pupil.opened_form' && typeof d.form === 'string') return `Opened the form to ${d.form}`;
  if (action === 'access.refused' && typeof d.page === 'string') return `${label}: ${d.page}`;
  if (action === 'access.probe_from_other_school' && typeof d.fromSchool === 'string') {
    return `Someone from ${d.fromSchool} asked for this record and was refused`;
  }
  return label;
}

/** The changes an event recorded, for the audit pages ("Class: Oak → Ash"). */
export function changesOf(detail: Record<string, unknown> | null): FieldChange[] {
  const changes = detail?.changes;
  if (!Array.isArray(changes)) return [];
  return changes.filter(
    (c): c is FieldChange => typeof c === 'object' && c !== null && 'label' in c && 'from' in c && 'to' in c,
  );
}
