/**
 * Every address of OpenSEND, in one place: one path object per address gives both the route pattern
 * Fastify registers (`paths.plan.pattern`) and the link to it (`paths.plan.to({ planId })`), so a
 * route and its links cannot drift apart. No route is registered with a pattern written anywhere
 * else (paths.test.ts checks the routes and the source).
 *
 * Route patterns use the same parameter names everywhere (:pupilId, :concernId, :staffId, :parentId,
 * :invitationId, :importId, :classId, :planId, :noteId, :bankEntryId, …): `web/params.ts` parses each
 * by name, and the security suites know what kind of id each one takes.
 */

/** The names of the parameters of a route pattern: `'/plans/:planId/notes/:noteId'` → `'planId' | 'noteId'`. */
export type ParamNames<P extends string> = P extends `${string}:${infer Rest}`
  ? Rest extends `${infer Name}/${infer Tail}`
    ? Name | ParamNames<`/${Tail}`>
    : Rest
  : never;

/** The values of a pattern's parameters, each named. */
export type PathParams<P extends string> = { readonly [K in ParamNames<P>]: string };

/**
 * What follows the path in a link: a query (its values URL-encoded; an undefined value is left out),
 * or a search or fragment already built (starting with `?` or `#`, or empty).
 */
export type LinkTail = Readonly<Record<string, string | number | undefined>> | string;

type ToArgs<P extends string> = [ParamNames<P>] extends [never]
  ? [tail?: LinkTail]
  : [params: PathParams<P>, tail?: LinkTail];

export interface Path<P extends string = string> {
  /** The route pattern, for Fastify. */
  readonly pattern: P;
  /** Its parameter names, in the order they appear. */
  readonly params: readonly ParamNames<P>[];
  /** The link: each parameter's value URL-encoded; a missing parameter is a type error (and throws). */
  to(...args: ToArgs<P>): string;
}

const PARAM = /:([A-Za-z][A-Za-z0-9]*)/g;

function tailOf(tail: LinkTail | undefined): string {
  if (tail === undefined || tail === '') return '';
  if (typeof tail === 'string') {
    if (!tail.startsWith('?') && !tail.startsWith('#'))
      throw new Error(`A link's tail starts with ? or #, not ${JSON.stringify(tail.slice(0, 20))}`);
    return tail;
  }
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(tail))
    if (value !== undefined) query.append(name, String(value));
  const search = query.toString();
  return search ? `?${search}` : '';
}

/** One address: its route pattern and the links to it. */
export function path<const P extends string>(pattern: P): Path<P> {
  if (!pattern.startsWith('/')) throw new Error(`A route pattern starts with /: ${pattern}`);
  const params = [...pattern.matchAll(PARAM)].map((m) => m[1]) as ParamNames<P>[];
  return {
    pattern,
    params,
    to(...args: ToArgs<P>) {
      const [values, tail] = (params.length === 0 ? [undefined, args[0]] : args) as [
        Record<string, unknown> | undefined,
        LinkTail | undefined,
      ];
      const link = pattern.replace(PARAM, (_m, name: string) => {
        const value = values?.[name];
        if (typeof value !== 'string' || value === '')
          throw new Error(`The link to ${pattern} needs ${name}, a non-empty string`);
        return encodeURIComponent(value);
      });
      return link + tailOf(tail);
    },
  };
}

export const paths = {
  home: path('/'),
  healthz: path('/healthz'),
  favicon: path('/favicon.ico'),
  setup: path('/setup'),
  signIn: path('/sign-in'),
  signInCode: path('/sign-in/code'),
  setPassword: path('/sign-in/set-password'),
  signOut: path('/sign-out'),
  choose: path('/choose'),
  account: path('/account'),
  afterSignIn: path('/account/after-sign-in'),
  accountPassword: path('/account/password'),
  accountEmail: path('/account/email'),
  accountEmailCode: path('/account/email/code'),
  accountDevices: path('/account/devices'),
  invitation: path('/invitations/:schoolId/:invitationId'),
  resume: path('/resume/:heldFormId'),
  resumeDiscard: path('/resume/:heldFormId/discard'),
  retention: path('/retention'),
  retentionErase: path('/retention/:retentionReviewId/erase'),
  retentionKeep: path('/retention/:retentionReviewId/keep'),
  erasedRecord: path('/retention/erased/:pupilId'),
  settingsRetention: path('/settings/retention'),
  organisation: path('/organisation'),
  children: path('/children'),
  // The family's door (docs/adr/0039): a parent's pages for one child, and the way in.
  join: path('/join'),
  joinNewAccount: path('/join/new-account'),
  joinSignIn: path('/join/sign-in'),
  joinLink: path('/join/link'),
  familyMail: path('/account/mail'),
  child: path('/children/:pupilId'),
  childPlan: path('/children/:pupilId/plan'),
  childPlans: path('/children/:pupilId/plans'),
  childEarlierPlan: path('/children/:pupilId/plans/:planId'),
  childPlanViews: path('/children/:pupilId/plans/:planId/views'),
  childLetters: path('/children/:pupilId/letters'),
  childLetter: path('/children/:pupilId/letters/:letterId'),
  childLetterPdf: path('/children/:pupilId/letters/:letterId/letter.pdf'),
  childLetterReply: path('/children/:pupilId/letters/:letterId/reply'),
  childConcerns: path('/children/:pupilId/concerns'),
  childConcernNew: path('/children/:pupilId/concerns/new'),
  childConsent: path('/children/:pupilId/consent'),
  childReferral: path('/children/:pupilId/referrals/:referralId'),
  childConsentWithdraw: path('/children/:pupilId/consent/:consentId/withdraw'),
  childEhc: path('/children/:pupilId/ehc'),
  childEhcRequestViews: path('/children/:pupilId/ehc/requests/:ehcRequestId/views'),
  childEhcPlan: path('/children/:pupilId/ehc/plans/:ehcPlanId'),
  childEhcPlanViews: path('/children/:pupilId/ehc/plans/:ehcPlanId/views'),
  childAnnualReviewViews: path('/children/:pupilId/ehc/annual-reviews/:annualReviewId/views'),
  childContact: path('/children/:pupilId/contact'),
  childViews: path('/children/:pupilId/views'),
  // The school's side of the family's door.
  pupilFamily: path('/pupils/:pupilId/family'),
  parentInvite: path('/pupils/:pupilId/parents/:parentId/invite'),
  parentInvitation: path('/pupils/:pupilId/parents/:parentId/invitations/:parentInvitationId'),
  parentInvitationLetter: path(
    '/pupils/:pupilId/parents/:parentId/invitations/:parentInvitationId/letter.pdf',
  ),
  parentAccessEnd: path('/pupils/:pupilId/parents/:parentId/end-access'),
  contactChanges: path('/contact-changes'),
  contactChange: path('/contact-changes/:contactChangeId'),
  pupilVoice: path('/pupils/:pupilId/voice'),
  pupilVoiceNew: path('/pupils/:pupilId/voice/new'),
  pupilVoiceEdit: path('/pupils/:pupilId/voice/:pupilVoiceId/edit'),
  shared: path('/shared'),
  dashboard: path('/dashboard'),
  myPupils: path('/my-pupils'),
  pupils: path('/pupils'),
  pupilNew: path('/pupils/new'),
  findPupil: path('/pupils/find'),
  pupil: path('/pupils/:pupilId'),
  pupilEdit: path('/pupils/:pupilId/edit'),
  pupilAudit: path('/pupils/:pupilId/audit'),
  pupilRegister: path('/pupils/:pupilId/register'),
  pupilStaff: path('/pupils/:pupilId/staff'),
  pupilStaffRemove: path('/pupils/:pupilId/staff/:staffId/remove'),
  pupilClass: path('/pupils/:pupilId/class'),
  pupilLeave: path('/pupils/:pupilId/leave'),
  parentNew: path('/pupils/:pupilId/parents/new'),
  parentEdit: path('/pupils/:pupilId/parents/:parentId/edit'),
  parentRemove: path('/pupils/:pupilId/parents/:parentId/remove'),
  concernNew: path('/pupils/:pupilId/concerns/new'),
  concernRecord: path('/pupils/:pupilId/concerns/record'),
  concerns: path('/concerns'),
  concern: path('/concerns/:concernId'),
  concernReview: path('/concerns/:concernId/review'),
  register: path('/register'),
  registerCsv: path('/register.csv'),
  registerPrint: path('/register/print'),
  registerReview: path('/register/review'),
  registerReviewPupil: path('/register/review/:pupilId'),
  registerReviewSkip: path('/register/review/:pupilId/skip'),
  figures: path('/figures'),
  // The school's SEN reports (issue 18): the SEN information report and the governors' annual report.
  schoolReports: path('/school-reports'),
  schoolReportNew: path('/school-reports/new'),
  schoolReport: path('/school-reports/:schoolReportId'),
  schoolReportEdit: path('/school-reports/:schoolReportId/edit'),
  schoolReportPublish: path('/school-reports/:schoolReportId/publish'),
  schoolReportWebsite: path('/school-reports/:schoolReportId/website'),
  schoolReportHtml: path('/school-reports/:schoolReportId/website.html'),
  schoolReportPdf: path('/school-reports/:schoolReportId/pdf'),
  staff: path('/staff'),
  staffNew: path('/staff/new'),
  staffMember: path('/staff/:staffId'),
  staffPassword: path('/staff/:staffId/password'),
  staffRemove: path('/staff/:staffId/remove'),
  staffSignIn: path('/staff/:staffId/sign-in'),
  invitationWithdraw: path('/staff/invitations/:invitationId/withdraw'),
  classes: path('/classes'),
  classNew: path('/classes/new'),
  schoolClass: path('/classes/:classId'),
  classPupils: path('/classes/:classId/pupils'),
  // Half-termly pupil progress meetings: this half term's by class (prepare one), the meeting (record
  // it), the concern a decision raises, and a person's own actions from the meetings.
  progressMeetings: path('/progress-meetings'),
  progressMeetingActions: path('/progress-meetings/actions'),
  progressMeeting: path('/progress-meetings/:meetingId'),
  progressMeetingConcern: path('/progress-meetings/:meetingId/pupils/:pupilId/concern'),
  // A pupil's non-academic outcomes, their ratings over time, and rating them at a review.
  pupilOutcomes: path('/pupils/:pupilId/outcomes'),
  pupilOutcomeRatings: path('/pupils/:pupilId/outcomes/ratings'),
  classEdit: path('/classes/:classId/edit'),
  classArchive: path('/classes/:classId/archive'),
  // Termly attainment: the class grid, a pupil's progress and trajectories, the early-identification list.
  classAttainment: path('/classes/:classId/attainment'),
  progress: path('/progress'),
  progressBelowTrajectory: path('/progress/below-trajectory'),
  progressImport: path('/progress/import'),
  progressSubjects: path('/progress/subjects'),
  progressSubjectNew: path('/progress/subjects/new'),
  progressSubject: path('/progress/subjects/:subjectId'),
  progressSubjectArchive: path('/progress/subjects/:subjectId/archive'),
  pupilProgress: path('/pupils/:pupilId/progress'),
  pupilTrajectory: path('/pupils/:pupilId/progress/:subjectId/trajectory'),
  school: path('/school'),
  rollOver: path('/school/roll-over'),
  rollOverPreview: path('/school/roll-over/preview'),
  audit: path('/audit'),
  settings: path('/settings'),
  letterTemplateNew: path('/settings/letters/new'),
  letterTemplate: path('/settings/letters/:templateId'),
  settingsPlans: path('/settings/plans'),
  settingsOutbox: path('/settings/outbox'),
  settingsOutboxTest: path('/settings/outbox/test'),
  settingsBank: path('/settings/bank'),
  bankEntryHide: path('/settings/bank/:bankEntryId/hide'),
  letterNew: path('/pupils/:pupilId/letters/new'),
  letter: path('/letters/:letterId'),
  letterPrint: path('/letters/:letterId/print'),
  letterPdf: path('/letters/:letterId/pdf'),
  letterSlip: path('/letters/:letterId/slip'),
  planStart: path('/pupils/:pupilId/plans/new'),
  pupilProfile: path('/pupils/:pupilId/profile'),
  plan: path('/plans/:planId'),
  planEdit: path('/plans/:planId/edit'),
  planAgree: path('/plans/:planId/agree'),
  planShared: path('/plans/:planId/shared'),
  planNotes: path('/plans/:planId/notes'),
  noteCorrect: path('/plans/:planId/notes/:noteId/correct'),
  planStartReview: path('/plans/:planId/start-review'),
  planReview: path('/plans/:planId/review'),
  planClose: path('/plans/:planId/close'),
  planTargetCheck: path('/plans/:planId/target-check'),
  planPrint: path('/plans/:planId/print'),
  planPdf: path('/plans/:planId/pdf'),
  importPupils: path('/import/pupils'),
  importPupilsPreview: path('/import/pupils/:importId'),
  importPupilsColumns: path('/import/pupils/:importId/columns'),
  importPupilsDiscard: path('/import/pupils/:importId/discard'),
  subjectAccessNew: path('/pupils/:pupilId/subject-access/new'),
  subjectAccessList: path('/subject-access'),
  subjectAccess: path('/subject-access/:subjectAccessId'),
  subjectAccessProduce: path('/subject-access/:subjectAccessId/produce'),
  subjectAccessExport: path('/subject-access/:subjectAccessId/export'),
  subjectAccessRelease: path('/subject-access/:subjectAccessId/release'),
  ctfImport: path('/ctf/import'),
  ctfImportPreview: path('/ctf/import/:importId'),
  ctfImportDiscard: path('/ctf/import/:importId/discard'),
  ctfExport: path('/ctf/export'),
  ctfExportDone: path('/ctf/exports/:ctfExportId'),
  ctfExportFile: path('/ctf/exports/:ctfExportId/file'),
  provision: path('/provision'),
  provisionMap: path('/provision/map'),
  provisionMapCsv: path('/provision/map.csv'),
  provisionMapPrint: path('/provision/map/print'),
  provisionMapPdf: path('/provision/map.pdf'),
  provisionRegister: path('/provision/register'),
  provisionEffectiveness: path('/provision/effectiveness'),
  provisionFigures: path('/provision/figures'),
  provisionRates: path('/provision/rates'),
  interventions: path('/provision/interventions'),
  interventionNew: path('/provision/interventions/new'),
  interventionEdit: path('/provision/interventions/:interventionId/edit'),
  interventionArchive: path('/provision/interventions/:interventionId/archive'),
  groupNew: path('/provision/groups/new'),
  group: path('/provision/groups/:groupId'),
  groupEdit: path('/provision/groups/:groupId/edit'),
  groupPupils: path('/provision/groups/:groupId/pupils'),
  groupPupilLeaves: path('/provision/groups/:groupId/pupils/:memberId/leave'),
  groupSession: path('/provision/groups/:groupId/sessions/new'),
  groupMeasures: path('/provision/groups/:groupId/measures'),
  groupCheck: path('/provision/groups/:groupId/checks/new'),
  // The directory of outside agencies: the school's own list with its local authority's, and the
  // authority's list for its schools as its officers keep it; counts of referrals that name no pupil.
  agencies: path('/agencies'),
  agencyNew: path('/agencies/new'),
  agencyStarter: path('/agencies/starter'),
  agencyFigures: path('/agencies/figures'),
  agency: path('/agencies/:agencyId'),
  agencyEdit: path('/agencies/:agencyId/edit'),
  agencyArchive: path('/agencies/:agencyId/archive'),
  agencyProfessionalNew: path('/agencies/:agencyId/professionals/new'),
  agencyProfessional: path('/agencies/:agencyId/professionals/:agencyProfessionalId'),
  agencyProfessionalArchive: path('/agencies/:agencyId/professionals/:agencyProfessionalId/archive'),
  organisationAgencies: path('/organisation/agencies'),
  organisationAgencyNew: path('/organisation/agencies/new'),
  organisationAgencyFigures: path('/organisation/agencies/figures'),
  organisationAgency: path('/organisation/agencies/:agencyId'),
  organisationAgencyEdit: path('/organisation/agencies/:agencyId/edit'),
  organisationAgencyArchive: path('/organisation/agencies/:agencyId/archive'),
  organisationProfessionalNew: path('/organisation/agencies/:agencyId/professionals/new'),
  organisationProfessional: path('/organisation/agencies/:agencyId/professionals/:agencyProfessionalId'),
  organisationProfessionalArchive: path(
    '/organisation/agencies/:agencyId/professionals/:agencyProfessionalId/archive',
  ),
  // Outside agencies: referrals (with consent and steps), professionals invited to them, reports back,
  // and recommendations used in plans and provision.
  referrals: path('/referrals'),
  referralNew: path('/pupils/:pupilId/referrals/new'),
  referral: path('/referrals/:referralId'),
  referralEdit: path('/referrals/:referralId/edit'),
  referralStep: path('/referrals/:referralId/step'),
  referralConsentNew: path('/referrals/:referralId/consents/new'),
  referralConsentWithdraw: path('/referrals/:referralId/consents/:consentId/withdraw'),
  referralConsentForm: path('/referrals/:referralId/consents/:consentId/form'),
  referralInvite: path('/referrals/:referralId/invite'),
  referralShareEnd: path('/referrals/:referralId/share/end'),
  referralReportNew: path('/referrals/:referralId/reports/new'),
  report: path('/reports/:reportId'),
  reportFile: path('/reports/:reportId/file'),
  recommendationUse: path('/recommendations/:recommendationId/use'),
  sharedReferral: path('/shared/referrals/:referralId'),
  sharedReportNew: path('/shared/referrals/:referralId/report'),
  // The EHC needs assessment as the school asks for it: the evidence pack, reviewed, then sent to the
  // local authority's caseload (or downloaded as PDF and JSON); the school's closures for the LA's clock.
  ehcRequests: path('/ehc-requests'),
  ehcRequestNew: path('/pupils/:pupilId/ehc-requests/new'),
  ehcRequest: path('/ehc-requests/:ehcRequestId'),
  ehcRequestConsent: path('/ehc-requests/:ehcRequestId/consent'),
  ehcRequestSend: path('/ehc-requests/:ehcRequestId/send'),
  ehcRequestWithdraw: path('/ehc-requests/:ehcRequestId/withdraw'),
  ehcRequestPdf: path('/ehc-requests/:ehcRequestId/pack.pdf'),
  ehcRequestJson: path('/ehc-requests/:ehcRequestId/pack.json'),
  schoolClosures: path('/settings/closures'),
  schoolClosureRemove: path('/settings/closures/:closureId/remove'),
  // High-needs top-up funding as the school applies for it.
  topUpNew: path('/pupils/:pupilId/top-up/new'),
  topUp: path('/top-up/:topUpId'),
  topUpSend: path('/top-up/:topUpId/send'),
  topUpWithdraw: path('/top-up/:topUpId/withdraw'),
  topUpPdf: path('/top-up/:topUpId/application.pdf'),
  topUpJson: path('/top-up/:topUpId/application.json'),
  // The local authority's caseload: each case with its statutory clock, decisions, advice, exceptions.
  caseload: path('/organisation/cases'),
  organisationCase: path('/organisation/cases/:caseId'),
  caseDates: path('/organisation/cases/:caseId/dates'),
  caseDecisionNew: path('/organisation/cases/:caseId/decisions/new'),
  caseAdviceNew: path('/organisation/cases/:caseId/advice/new'),
  caseAdvice: path('/organisation/cases/:caseId/advice/:adviceId'),
  caseExceptionNew: path('/organisation/cases/:caseId/exceptions/new'),
  caseExceptionEnd: path('/organisation/cases/:caseId/exceptions/:exceptionId/end'),
  caseReceivedPdf: path('/organisation/cases/:caseId/received.pdf'),
  caseReceivedJson: path('/organisation/cases/:caseId/received.json'),
  caseTopUpDecision: path('/organisation/cases/:caseId/top-up-decision'),
  organisationSen2Figures: path('/organisation/figures/sen2'),
  // EHC plans (docs/adr/0038). The authority writes them: drafted from a case, section by section,
  // checked, sent to the parents, issued, amended, ceased; each version kept and compared.
  casePlanNew: path('/organisation/cases/:caseId/plan/new'),
  ehcPlan: path('/organisation/plans/:ehcPlanId'),
  // One section to write: ?section=b (and its field on the form).
  ehcPlanSection: path('/organisation/plans/:ehcPlanId/section'),
  ehcPlanSend: path('/organisation/plans/:ehcPlanId/send'),
  ehcPlanComments: path('/organisation/plans/:ehcPlanId/comments'),
  ehcPlanIssue: path('/organisation/plans/:ehcPlanId/issue'),
  ehcPlanAmend: path('/organisation/plans/:ehcPlanId/amend'),
  ehcPlanCease: path('/organisation/plans/:ehcPlanId/cease'),
  ehcPlanVersions: path('/organisation/plans/:ehcPlanId/versions'),
  ehcPlanPdf: path('/organisation/plans/:ehcPlanId/plan.pdf'),
  // The school's side of a plan: its pupils' final plans, their outcomes as targets, the provision the
  // plans require beside what is delivered; a plan from another authority recorded from its PDF.
  pupilEhcPlan: path('/pupils/:pupilId/ehc-plan'),
  pupilEhcPlanPdf: path('/pupils/:pupilId/ehc-plan.pdf'),
  ehcPlanSummaryNew: path('/pupils/:pupilId/ehc-plan/summary/new'),
  ehcPlanSummary: path('/ehc-plan-summaries/:summaryId'),
  ehcPlanSummaryPdf: path('/ehc-plan-summaries/:summaryId/plan.pdf'),
  // Where a support plan's targets are written: take one from an outcome in E of the pupil's EHC plan.
  planEhcOutcomes: path('/plans/:planId/ehc-outcomes'),
  provisionEhcPlans: path('/provision/ehc-plans'),
  // Annual reviews: the school arranges, holds and reports them; the authority decides.
  annualReviews: path('/annual-reviews'),
  annualReviewNew: path('/pupils/:pupilId/annual-reviews/new'),
  annualReview: path('/annual-reviews/:annualReviewId'),
  annualReviewMeeting: path('/annual-reviews/:annualReviewId/meeting'),
  annualReviewSend: path('/annual-reviews/:annualReviewId/send'),
  annualReviewCancel: path('/annual-reviews/:annualReviewId/cancel'),
  annualReviewPdf: path('/annual-reviews/:annualReviewId/report.pdf'),
  annualReviewJson: path('/annual-reviews/:annualReviewId/report.json'),
  organisationReviews: path('/organisation/reviews'),
  organisationReviewDecision: path('/organisation/reviews/:reviewDecisionId'),
  // The authority's SEN2 return for a census date: a summary, the rows to correct, and the DfE's XML.
  organisationSen2: path('/organisation/sen2'),
  organisationSen2Xml: path('/organisation/sen2/sen2.xml'),
  // The complaints log (issue 18): concerns and formal complaints, their stages, responses and outcomes.
  complaints: path('/complaints'),
  complaintNew: path('/complaints/new'),
  complaint: path('/complaints/:complaintId'),
  complaintEdit: path('/complaints/:complaintId/edit'),
  complaintRespond: path('/complaints/:complaintId/respond'),
  complaintEscalate: path('/complaints/:complaintId/escalate'),
  complaintClose: path('/complaints/:complaintId/close'),
  // Staff training, the training plan against the register's needs, and the SENCO's qualification.
  training: path('/training'),
  trainingNew: path('/training/new'),
  trainingStaff: path('/training/staff/:staffId'),
  trainingEdit: path('/training/records/:trainingId/edit'),
  trainingDelete: path('/training/records/:trainingId/delete'),
  trainingPlanNew: path('/training/plan/new'),
  trainingPlanEdit: path('/training/plan/:planItemId/edit'),
  sencoAppointmentNew: path('/training/senco/new'),
  sencoAppointmentEdit: path('/training/senco/:appointmentId/edit'),
} as const;

export type Paths = typeof paths;

type LinkFunction = (...args: unknown[]) => string;

/**
 * The links for templates, where a call names no parameters: `paths.plan(plan.id)` is
 * `paths.plan.to({ planId: plan.id })`, the values in the order of the pattern, then (optionally) the
 * link's tail: `paths.provision('?show=ended')`, `paths.groupNew({ interventionId: i.id })`.
 */
export const templateLinks: Readonly<Record<keyof Paths, LinkFunction>> = Object.fromEntries(
  Object.entries(paths).map(([name, p]: [string, Path]) => [
    name,
    (...args: unknown[]) => {
      const tail = args[p.params.length];
      if (p.params.length === 0) return (p.to as (tail?: unknown) => string)(tail);
      const values = Object.fromEntries(p.params.map((param, i) => [param, args[i]]));
      return (p.to as (values: unknown, tail?: unknown) => string)(values, tail);
    },
  ]),
) as Record<keyof Paths, LinkFunction>;
