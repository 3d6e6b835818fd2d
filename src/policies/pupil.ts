import { atLeast, type SectionAccess } from '../domain/access.ts';
import { can, type PolicyActor } from './kernel.ts';

/**
 * What an actor may do with one pupil's record, from their access to its sections and their
 * school-wide capabilities. The services enforce the same rules; pages show exactly these actions.
 */
export interface PupilActions {
  viewRecord: boolean;
  viewSen: boolean;
  viewMedical: boolean;
  editDetails: boolean;
  changeRegister: boolean;
  reviewRegister: boolean;
  raiseConcern: boolean;
  /** Record a concern that came from a parent, the pupil or a professional (a reviewer of concerns). */
  recordConcernFromOutside: boolean;
  viewConcerns: boolean;
  viewAudit: boolean;
  assignStaff: boolean;
  viewAssignedStaff: boolean;
  viewLetters: boolean;
  writeLetter: boolean;
  viewProvision: boolean;
  /** Record that the pupil has left (pupils still on roll only). */
  recordLeaving: boolean;
  changeClass: boolean;
  /** Record a subject access request (a leaver's record too: a request can come years later). */
  subjectAccess: boolean;
}

/** What about the record decides what may be done with it: a leaver's record is read-only. */
export interface PupilRecordState {
  leftOn: string | null;
}

export function pupilActions(
  actor: PolicyActor,
  record: PupilRecordState,
  context: { access: SectionAccess },
): PupilActions {
  const { access } = context;
  const capabilities = { has: (c: Parameters<typeof can>[1]) => can(actor, c) };
  const actions: PupilActions = {
    viewRecord: atLeast(access.identity, 'read'),
    viewSen: atLeast(access.register, 'read'),
    viewMedical: atLeast(access.medical, 'read'),
    editDetails: atLeast(access.identity, 'write'),
    changeRegister: atLeast(access.register, 'write'),
    reviewRegister: capabilities.has('register.review') && atLeast(access.register, 'write'),
    raiseConcern: capabilities.has('concern.raise') && atLeast(access.directory, 'read'),
    recordConcernFromOutside: capabilities.has('concern.review') && atLeast(access.concerns, 'write'),
    viewConcerns: atLeast(access.concerns, 'read'),
    viewAudit: atLeast(access.audit, 'read'),
    assignStaff: capabilities.has('staff.manage') && atLeast(access.provision, 'write'),
    viewAssignedStaff: atLeast(access.provision, 'read'),
    viewLetters: atLeast(access.letters, 'read'),
    writeLetter: atLeast(access.letters, 'write'),
    viewProvision: atLeast(access.provision, 'read'),
    recordLeaving: capabilities.has('pupils.transfer') && atLeast(access.identity, 'write'),
    changeClass: capabilities.has('classes.manage') && atLeast(access.directory, 'read'),
    subjectAccess: capabilities.has('subject_access.manage') && atLeast(access.identity, 'read'),
  };
  if (!record.leftOn) return actions;
  // A leaver's record is kept as it was: it can be read, never changed.
  return {
    ...actions,
    editDetails: false,
    changeRegister: false,
    reviewRegister: false,
    raiseConcern: false,
    recordConcernFromOutside: false,
    assignStaff: false,
    recordLeaving: false,
    writeLetter: false,
    changeClass: false,
  };
}
