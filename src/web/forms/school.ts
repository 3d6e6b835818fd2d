import { PHASES } from '../../domain/school.ts';
import { choice, text } from './fields.ts';

/**
 * The school's identifying details as the set-up page and the School page both ask for them: URN, LA
 * code and establishment number in the DfE's formats, and the phase.
 */
export const schoolIdentityFields = {
  urn: text('URN', { max: 6, requiredMessage: 'Enter the school’s URN' }).refine(
    (v) => v === '' || /^\d{6}$/.test(v),
    'URN must be 6 numbers, like 100001',
  ),
  laCode: text('LA code', { max: 3, requiredMessage: 'Enter the local authority code' }).refine(
    (v) => v === '' || /^\d{3}$/.test(v),
    'LA code must be 3 numbers, like 202',
  ),
  establishmentNumber: text('Establishment number', {
    max: 4,
    requiredMessage: 'Enter the establishment number',
  }).refine((v) => v === '' || /^\d{4}$/.test(v), 'Establishment number must be 4 numbers, like 2001'),
  phase: choice(PHASES, 'Select the school’s phase'),
};

/** The school's name. */
export const schoolName = () => text('School name', { max: 120, requiredMessage: 'Enter the school name' });
