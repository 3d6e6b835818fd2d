/**
 * Every address a page links to, in one place: templates and redirects use these instead of writing
 * URLs by hand. Route patterns use the same parameter names everywhere (:pupilId, :concernId,
 * :staffId, :parentId, :invitationId), so the security suite knows what kind of id each one takes.
 */
export const paths = {
  home: () => '/',
  signIn: (returnTo?: string) =>
    returnTo ? `/sign-in?returnTo=${encodeURIComponent(returnTo)}` : '/sign-in',
  choose: () => '/choose',
  account: () => '/account',
  accountPassword: () => '/account/password',
  invitation: (schoolId: string, invitationId: string) => `/invitations/${schoolId}/${invitationId}`,
  resume: (heldId: string) => `/resume/${heldId}`,
  pupils: () => '/pupils',
  pupilNew: () => '/pupils/new',
  findPupil: () => '/pupils/find',
  pupil: (pupilId: string) => `/pupils/${pupilId}`,
  pupilEdit: (pupilId: string) => `/pupils/${pupilId}/edit`,
  pupilAudit: (pupilId: string) => `/pupils/${pupilId}/audit`,
  pupilRegister: (pupilId: string) => `/pupils/${pupilId}/register`,
  pupilStaff: (pupilId: string) => `/pupils/${pupilId}/staff`,
  pupilStaffRemove: (pupilId: string, staffId: string) => `/pupils/${pupilId}/staff/${staffId}/remove`,
  parentNew: (pupilId: string) => `/pupils/${pupilId}/parents/new`,
  parentEdit: (pupilId: string, parentId: string) => `/pupils/${pupilId}/parents/${parentId}/edit`,
  parentRemove: (pupilId: string, parentId: string) => `/pupils/${pupilId}/parents/${parentId}/remove`,
  concernNew: (pupilId: string) => `/pupils/${pupilId}/concerns/new`,
  concernRecord: (pupilId: string) => `/pupils/${pupilId}/concerns/record`,
  concerns: () => '/concerns',
  concern: (concernId: string) => `/concerns/${concernId}`,
  concernReview: (concernId: string) => `/concerns/${concernId}/review`,
  register: () => '/register',
  registerCsv: (query = '') => `/register.csv${query}`,
  registerPrint: (query = '') => `/register/print${query}`,
  registerReview: () => '/register/review',
  registerReviewPupil: (pupilId: string) => `/register/review/${pupilId}`,
  figures: () => '/figures',
  staff: () => '/staff',
  staffNew: () => '/staff/new',
  staffMember: (staffId: string) => `/staff/${staffId}`,
  staffPassword: (staffId: string) => `/staff/${staffId}/password`,
  staffRemove: (staffId: string) => `/staff/${staffId}/remove`,
  staffSignIn: (staffId: string) => `/staff/${staffId}/sign-in`,
  invitationWithdraw: (invitationId: string) => `/staff/invitations/${invitationId}/withdraw`,
  audit: () => '/audit',
  organisation: () => '/organisation',
} as const;

export type Paths = typeof paths;
