import { z } from 'zod';
import { INVITATION_METHODS, normaliseInvitationCode } from '../../../domain/family.ts';
import { choice, email, newPassword, optionalEmail, password, text } from '../../forms/fields.ts';

/**
 * The code from an invitation, as typed (the service reads it): ten letters and numbers, in any case,
 * with or without spaces and dashes. A code of the wrong shape is told so at once (the shape is on
 * every letter: it tells nobody anything); a code of the right shape is the service's to judge.
 */
const code = () =>
  text('The code', { max: 100, requiredMessage: 'Enter the code from your invitation' }).refine(
    (v) => v === '' || normaliseInvitationCode(v) !== null,
    'The code has 10 letters and numbers, like ABCDE-FGHJK. Check it against your invitation.',
  );

export const CodeSchema = z.object({ code: code() });

/** Signed out, the code page also asks whether they have an account already. */
export const CodeSignedOutSchema = z.object({
  code: code(),
  hasAccount: choice(['yes', 'no'] as const, 'Select yes if you already have an OpenSEND account'),
});

export const NewAccountSchema = z
  .object({
    code: code(),
    name: text('Your name', { max: 200, requiredMessage: 'Enter your name' }),
    email: email('Email address', 'Enter your email address'),
    password: newPassword(),
    confirmPassword: z.string({ error: 'Enter the password again' }).max(1000),
  })
  .refine((v) => v.password === v.confirmPassword, {
    path: ['confirmPassword'],
    message: 'The passwords do not match: type the same password twice',
  });

export const JoinSignInSchema = z.object({
  code: code(),
  email: email('Email address', 'Enter your email address'),
  password: password(),
});

/** By email (to the address typed, else the one on record: the service checks there is one) or by letter. */
export const InviteSchema = z.object({
  method: choice(INVITATION_METHODS, 'Select how to send the invitation'),
  email: optionalEmail('Email address'),
});
