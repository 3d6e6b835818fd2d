import { z } from 'zod';
import { email, newPassword, text } from '../../forms/fields.ts';
import { schoolIdentityFields, schoolName } from '../../forms/school.ts';

export { PHASE_LABELS, PHASES } from '../../../domain/school.ts';

export const SetupSchema = z
  .object({
    schoolName: schoolName(),
    ...schoolIdentityFields,
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
