import { z } from 'zod';
import { PHASES } from '../../../domain/school.ts';
import { choice, email, newPassword, text } from '../../forms/fields.ts';

export { PHASE_LABELS, PHASES } from '../../../domain/school.ts';

export const SetupSchema = z
  .object({
    schoolName: text('School name', { max: 120, requiredMessage: 'Enter the school name' }),
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
    sencoName: text('Your full name', { max: 120, requiredMessage: 'Enter your full name' }),
    sencoEmail: email(),
    password: newPassword(),
    confirmPassword: z.string().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.password && v.confirmPassword !== v.password) {
      ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'Passwords do not match' });
    }
  });
