/**
 * What OpenSEND says by email. A message can be forwarded, misdirected or read over a shoulder, so it
 * says only that something happened and where to see it: never a child's name, never anything about
 * their needs. Each kind of message is written here from a few plain values (no free text), so nothing
 * else can find its way in.
 */

export const MAIL_KINDS = [
  'account.invited',
  'account.password_reset',
  'record.updated',
  'test.message',
  'referrals.late',
] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

export interface MailValues {
  /** Where the message comes from: the school or local authority, by name. */
  from: string;
  /** The address of the page to open (absolute). */
  link: string;
  /** How many things the message is about (referrals late): a number, never who. */
  count?: number;
}

export interface MailContent {
  subject: string;
  body: string;
}

const SIGN_OFF =
  'This message was sent by OpenSEND. It says nothing about any child: sign in to read more. If you were not expecting it, you can ignore it.';

export function mailContent(kind: MailKind, v: MailValues): MailContent {
  switch (kind) {
    case 'account.invited':
      return {
        subject: `You have been invited to OpenSEND by ${v.from}`,
        body: `${v.from} has invited you to OpenSEND.\n\nAccept the invitation: ${v.link}\n\n${SIGN_OFF}`,
      };
    case 'account.password_reset':
      return {
        subject: 'Reset your OpenSEND password',
        body: `Someone asked to reset the password of your OpenSEND account.\n\nChoose a new password: ${v.link}\n\n${SIGN_OFF}`,
      };
    case 'record.updated':
      return {
        subject: `Something new from ${v.from} in OpenSEND`,
        body: `${v.from} has added something for you to see in OpenSEND.\n\nSign in to see it: ${v.link}\n\n${SIGN_OFF}`,
      };
    case 'referrals.late': {
      const n = v.count ?? 1;
      const what = n === 1 ? '1 referral is late' : `${n} referrals are late`;
      return {
        subject: `${what} at ${v.from}`,
        body: `${what} at ${v.from}: an outside agency's answer or report is past the day it was due.\n\nSign in to see them: ${v.link}\n\n${SIGN_OFF}`,
      };
    }
    case 'test.message':
      return {
        subject: 'OpenSEND can send email',
        body: `This is a test message from ${v.from}: OpenSEND's email settings work.\n\n${v.link}\n\n${SIGN_OFF}`,
      };
  }
}

/** A plausible single email address (what SMTP will accept as one recipient). */
export function isEmailAddress(value: string): boolean {
  return (
    value.length <= 254 && /^[^\s@<>(),;:"[\]\\]+@[^\s@<>(),;:"[\]\\]+\.[^\s@<>(),;:"[\]\\]+$/.test(value)
  );
}
