import { atLeast, type Capability, type SectionAccess } from '../domain/access.ts';

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
  viewConcerns: boolean;
  viewAudit: boolean;
  assignStaff: boolean;
  viewAssignedStaff: boolean;
  viewProvision: boolean;
}

export function pupilActions(access: SectionAccess, capabilities: ReadonlySet<Capability>): PupilActions {
  return {
    viewRecord: atLeast(access.identity, 'read'),
    viewSen: atLeast(access.register, 'read'),
    viewMedical: atLeast(access.medical, 'read'),
    editDetails: atLeast(access.identity, 'write'),
    changeRegister: atLeast(access.register, 'write'),
    reviewRegister: capabilities.has('register.review') && atLeast(access.register, 'write'),
    raiseConcern: capabilities.has('concern.raise') && atLeast(access.directory, 'read'),
    viewConcerns: atLeast(access.concerns, 'read'),
    viewAudit: atLeast(access.audit, 'read'),
    assignStaff: capabilities.has('staff.manage') && atLeast(access.provision, 'write'),
    viewAssignedStaff: atLeast(access.provision, 'read'),
    viewProvision: atLeast(access.provision, 'read'),
  };
}
