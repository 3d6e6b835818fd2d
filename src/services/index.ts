import type { Database } from '../db/client.ts';
import { DEFAULT_SUPPRESSION_THRESHOLD } from '../domain/suppression.ts';
import { createAdminService } from './admin.ts';
import { createAgencyService, createOrganisationDirectory } from './agencies/index.ts';
import { createReferralService } from './agencies/referrals.ts';
import { createAttainmentService } from './attainment/index.ts';
import { type CheckpointOptions, createAuditCheckpoints } from './audit/checkpoints.ts';
import { createAuditService } from './audit/index.ts';
import { createAccountService } from './auth/account.ts';
import { createEmailChangeService } from './auth/email-change.ts';
import { createSessionCache, SESSION_CACHE_MS } from './auth/session-cache.ts';
import { createSessions } from './auth/sessions.ts';
import { createSetUp } from './auth/set-up.ts';
import { createCodeCheck, createSignIn } from './auth/sign-in.ts';
import { type BackupOptions, createBackupService } from './backups/index.ts';
import { createClassService } from './classes/index.ts';
import { createComplaintService } from './complaints/index.ts';
import { createConcernService } from './concerns/index.ts';
import { createDemoService } from './demo.ts';
import { createAnnualReviewService } from './ehc/annual-reviews.ts';
import { createCaseloadService } from './ehc/cases.ts';
import { createClosureService } from './ehc/closures.ts';
import { createEhcPlanService } from './ehc/plans.ts';
import { createEhcRequestService } from './ehc/requests.ts';
import { createReviewDecisionService } from './ehc/review-decisions.ts';
import { createEhcSchoolFigures } from './ehc/school-figures.ts';
import { createSchoolPlanService } from './ehc/school-plans.ts';
import { createSen2Service } from './ehc/sen2.ts';
import { createTopUpService } from './ehc/top-up.ts';
import { createFamilyConcernService } from './family/concerns.ts';
import { createFamilyConsentService } from './family/consent.ts';
import { createContactChangeService } from './family/contact.ts';
import { createFamilyService } from './family/index.ts';
import { createInvitationService } from './family/invitations.ts';
import { createFamilyLetterService } from './family/letters.ts';
import { createFamilyMailService } from './family/mail.ts';
import { createFamilyReading } from './family/reading.ts';
import { createFamilyViewService } from './family/views.ts';
import { createHealthService } from './health.ts';
import { createHomeService } from './home.ts';
import { createImportService } from './imports/index.ts';
import { type Clock, systemClock } from './kernel/clock.ts';
import { type MailContext, NO_MAIL_CONTEXT } from './kernel/ports.ts';
import { auditRefusals } from './kernel/refusals.ts';
import { createLetterService } from './letters/index.ts';
import { createOrganisationService } from './organisation.ts';
import { createOutboxService } from './outbox.ts';
import { createOutcomeService } from './outcomes/index.ts';
import { createPeopleService } from './people.ts';
import { createBank } from './plans/bank.ts';
import { createPlanService } from './plans/index.ts';
import { createProfiles } from './plans/profile.ts';
import { createSettings } from './plans/settings.ts';
import { createProfessionalService } from './professionals/index.ts';
import { createProgressMeetingService } from './progress-meetings/index.ts';
import { createProvisionService } from './provision/index.ts';
import { createPupilVoiceService } from './pupil-voice/index.ts';
import { createPupilService } from './pupils/index.ts';
import { createRecommendationService } from './recommendations/index.ts';
import { createRegisterService } from './register/index.ts';
import { createRetentionService } from './retention/index.ts';
import { createSchoolService } from './school/index.ts';
import { createSchoolReportService } from './school-reports/index.ts';
import { createSetupService } from './setup.ts';
import { createStaffService } from './staff/index.ts';
import { createSubjectAccessService } from './subject-access/index.ts';
import { createTrainingService } from './training/index.ts';
import { createTransferService } from './transfers/index.ts';
import { createWorkListService } from './work-lists/index.ts';

export interface ServicesOptions {
  /** Counts below this are suppressed wherever a governor or an officer sees figures. */
  suppressionThreshold?: number;
  /** Backups of the embedded database: where, encrypted with what, kept how long. */
  backups?: BackupOptions;
  /** How long a session read from the database stands for it in this process (0: read it every time). */
  sessionCacheMs?: number;
  /** Signed checkpoints of the audit trail: where they are written, kept how long. */
  auditCheckpoints?: CheckpointOptions;
  /** Where links in mail point, whether a mail server is set up, and how to wake the job worker. */
  mail?: MailContext;
}

export function createServices(
  database: Database,
  clock: Clock = systemClock,
  options: ServicesOptions = {},
) {
  const suppressionThreshold = options.suppressionThreshold ?? DEFAULT_SUPPRESSION_THRESHOLD;
  const mail = options.mail ?? NO_MAIL_CONTEXT;
  const audit = createAuditService(database);
  const auditCheckpoints = createAuditCheckpoints(
    database,
    options.auditCheckpoints ?? { directory: 'data/audit-checkpoints', keepDays: 14 },
  );
  const sessions = createSessionCache(options.sessionCacheMs ?? SESSION_CACHE_MS);
  const guarded = <T extends Record<string, unknown>>(area: string, service: T) =>
    auditRefusals(area, service, audit.recordRefusal);
  const provision = guarded('provision', createProvisionService(database, clock, { suppressionThreshold }));
  return {
    clock,
    health: createHealthService(database),
    auth: {
      signIn: createSignIn(database, mail),
      enterCode: createCodeCheck(database, clock, sessions),
      setUp: createSetUp(database, sessions),
      ...createSessions(database, sessions),
    },
    account: guarded('account', createAccountService(database, sessions)),
    emailChange: guarded('emailChange', createEmailChangeService(database, mail, sessions)),
    setup: createSetupService(database),
    home: guarded('home', createHomeService(database, clock)),
    staff: guarded('staff', createStaffService(database, sessions, mail)),
    outbox: guarded('outbox', createOutboxService(database, mail)),
    subjectAccess: guarded('subjectAccess', createSubjectAccessService(database, clock)),
    retention: guarded('retention', createRetentionService(database, clock)),
    pupils: guarded('pupils', createPupilService(database, clock)),
    plans: guarded('plans', createPlanService(database, clock, mail)),
    profiles: guarded('profiles', createProfiles(database)),
    pupilVoice: guarded('pupilVoice', createPupilVoiceService(database)),
    bank: guarded('bank', createBank(database)),
    settings: guarded('settings', createSettings(database)),
    letters: guarded('letters', createLetterService(database, clock, mail)),
    workLists: guarded(
      'workLists',
      createWorkListService(database, clock, (actor) => provision.attentionCounts(actor)),
    ),
    provision,
    recommendations: guarded(
      'recommendations',
      createRecommendationService(database, clock, createSettings(database)),
    ),
    register: guarded('register', createRegisterService(database, clock, { suppressionThreshold })),
    concerns: guarded('concerns', createConcernService(database, clock, mail)),
    referrals: guarded('referrals', createReferralService(database, clock, mail)),
    topUp: guarded('topUp', createTopUpService(database, clock, mail)),
    ehcRequests: guarded('ehcRequests', createEhcRequestService(database, clock)),
    schoolEhcPlans: guarded(
      'schoolEhcPlans',
      createSchoolPlanService(database, clock, createSettings(database)),
    ),
    annualReviews: guarded('annualReviews', createAnnualReviewService(database, clock, mail)),
    imports: guarded('imports', createImportService(database, clock)),
    transfers: guarded('transfers', createTransferService(database, clock)),
    classes: guarded('classes', createClassService(database, clock)),
    complaints: guarded('complaints', createComplaintService(database, clock)),
    training: guarded('training', createTrainingService(database, clock)),
    attainment: guarded('attainment', createAttainmentService(database, clock)),
    outcomes: guarded('outcomes', createOutcomeService(database, clock)),
    progressMeetings: guarded(
      'progressMeetings',
      createProgressMeetingService(database, clock, createConcernService(database, clock, mail)),
    ),
    school: guarded('school', createSchoolService(database, clock)),
    audit: guarded('audit', audit),
    organisation: guarded(
      'organisation',
      createOrganisationService(database, clock, { suppressionThreshold }),
    ),
    agencies: guarded('agencies', createAgencyService(database, clock, { suppressionThreshold })),
    organisationAgencies: guarded(
      'organisationAgencies',
      createOrganisationDirectory(database, clock, { suppressionThreshold }),
    ),
    caseload: guarded('caseload', createCaseloadService(database, clock, { suppressionThreshold, mail })),
    reviewDecisions: guarded('reviewDecisions', createReviewDecisionService(database, clock, { mail })),
    closures: guarded('closures', createClosureService(database, clock)),
    ehcPlans: guarded('ehcPlans', createEhcPlanService(database, clock, mail)),
    sen2: guarded('sen2', createSen2Service(database, clock)),
    ehcFigures: guarded('ehcFigures', createEhcSchoolFigures(database, clock, { suppressionThreshold })),
    schoolReports: guarded(
      'schoolReports',
      createSchoolReportService(database, clock, { suppressionThreshold }),
    ),
    people: guarded('people', createPeopleService(database)),
    family: guarded('family', createFamilyService(database, clock)),
    familyReading: guarded('familyReading', createFamilyReading(database, clock)),
    familyViews: guarded('familyViews', createFamilyViewService(database, clock)),
    familyConsent: guarded('familyConsent', createFamilyConsentService(database, clock)),
    contactChanges: guarded('contactChanges', createContactChangeService(database, mail)),
    familyLetters: guarded('familyLetters', createFamilyLetterService(database, clock)),
    familyConcerns: guarded('familyConcerns', createFamilyConcernService(database, clock)),
    familyMail: guarded('familyMail', createFamilyMailService(database)),
    familyInvitations: guarded('familyInvitations', createInvitationService(database, clock, mail, sessions)),
    professionals: guarded('professionals', createProfessionalService(database, clock, mail)),
    admin: createAdminService(database, auditCheckpoints, sessions),
    auditCheckpoints,
    backups: guarded(
      'backups',
      createBackupService(database, options.backups ?? { dataDir: 'data', keepDays: 14 }),
    ),
    demo: createDemoService(database, clock),
  };
}

export type Services = ReturnType<typeof createServices>;
