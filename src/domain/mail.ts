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
  'account.set_up',
  'referral.shared',
  'account.sign_in_code',
  'account.email_change_code',
  'account.email_in_use',
  'account.email_changed',
  'cases.due',
  'top_up.ending',
  'reviews.term_list',
  'reviews.due',
  // Mail to parents and carers (docs/adr/0039): general words, the school's name, a date at most.
  'family.invited',
  'family.account_exists',
  'family.letter',
  'family.views_invited',
  'family.plan_shared',
  'family.ehc_draft',
  'family.consent_asked',
  'family.concern_answered',
  'family.contact_change',
] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

export interface MailValues {
  /** Where the message comes from: the school or local authority, by name. */
  from: string;
  /** The address of the page to open (absolute). */
  link: string;
  /** How many things the message is about (referrals late): a number, never who. */
  count?: number;
  /** A code: six digits, nothing else (account.sign_in_code and account.email_change_code only). */
  code?: string;
  /** The code is for an account not made yet (a parent joining): account.sign_in_code only. */
  newAccount?: boolean;
  /** A day by which something is asked, as people write it ("12 May 2027"): family.views_invited. */
  date?: string;
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
    case 'cases.due': {
      const n = v.count ?? 1;
      const what = n === 1 ? '1 of your cases has a deadline' : `${n} of your cases have deadlines`;
      return {
        subject: `${what} overdue or due this week`,
        body: `${what} overdue or due this week in the caseload of ${v.from}.\n\nSign in to see them: ${v.link}\n\n${SIGN_OFF}`,
      };
    }
    case 'reviews.term_list': {
      const n = v.count ?? 1;
      const what = n === 1 ? '1 annual review falls due next term' : `${n} annual reviews fall due next term`;
      return {
        subject: `${what} at your school`,
        body: `${v.from} tells you that ${what} at your school. Arrange each review in time to invite everyone and gather advice at least two weeks before the meeting.\n\nSign in to see the list: ${v.link}\n\n${SIGN_OFF}`,
      };
    }
    case 'reviews.due': {
      const n = v.count ?? 1;
      const what =
        n === 1
          ? '1 annual review needs a decision or an amended plan'
          : `${n} annual reviews need a decision or an amended plan`;
      return {
        subject: `${what}: overdue or due this week`,
        body: `${what}, overdue or due this week, in the plans of ${v.from}.\n\nSign in to see them: ${v.link}\n\n${SIGN_OFF}`,
      };
    }
    case 'top_up.ending': {
      const n = v.count ?? 1;
      const what = n === 1 ? '1 award of top-up funding ends soon' : `${n} awards of top-up funding end soon`;
      return {
        subject: `${what} at ${v.from}`,
        body: `${what} at ${v.from}: high-needs top-up funding agreed by the local authority ends within six weeks. Apply again in time if the support is still needed.\n\nSign in to see it: ${v.link}\n\n${SIGN_OFF}`,
      };
    }
    case 'account.set_up':
      return {
        subject: `${v.from} has shared a referral with you in OpenSEND`,
        body: `${v.from} has asked you to work with them on a referral, and has made you an OpenSEND account to read what they share and send your report back.\n\nChoose your password (the link works once, for 7 days): ${v.link}\n\nEach time you sign in on a new device, OpenSEND sends a code to this address.\n\n${SIGN_OFF}`,
      };
    case 'referral.shared':
      return {
        subject: `${v.from} has shared a referral with you in OpenSEND`,
        body: `${v.from} has asked you to work with them on a referral, and has shared what you need in OpenSEND.\n\nSign in to see it: ${v.link}\n\n${SIGN_OFF}`,
      };
    case 'account.sign_in_code': {
      const code = v.code ?? '';
      if (!/^\d{6}$/.test(code)) throw new Error('A sign-in code is six digits');
      if (v.newAccount)
        return {
          subject: 'Your OpenSEND code',
          body: `Someone, perhaps you, asked to make an OpenSEND account with this email address.\n\nYour code is ${code}. It works for 10 minutes, on the page that asked for it: ${v.link}\n\nThe account is made only when the code is entered. If this was not you, do not share the code: nothing is made.\n\n${SIGN_OFF}`,
        };
      return {
        subject: 'Your OpenSEND sign-in code',
        body: `Someone signed in to your OpenSEND account with your password on a new device.\n\nYour code is ${code}. It works for 10 minutes, on the page that asked for it: ${v.link}\n\nIf this was not you, do not share the code: change your password.\n\n${SIGN_OFF}`,
      };
    }
    case 'account.email_change_code': {
      const code = v.code ?? '';
      if (!/^\d{6}$/.test(code)) throw new Error('A code is six digits');
      return {
        subject: 'Confirm your new OpenSEND email address',
        body: `Someone asked to sign in to OpenSEND with this email address from now on.\n\nYour code is ${code}. It works for 30 minutes, on the page that asked for it: ${v.link}\n\nIf this was not you, do not share the code: nothing changes unless it is entered.\n\n${SIGN_OFF}`,
      };
    }
    case 'account.email_in_use':
      return {
        subject: 'This email address already has an OpenSEND account',
        body: `Someone, perhaps you, asked to use this email address for another OpenSEND account. It already has an account, so nothing was changed.\n\nIf this was not you, you do not need to do anything: ${v.link}\n\n${SIGN_OFF}`,
      };
    case 'account.email_changed':
      return {
        subject: 'Your OpenSEND email address has been changed',
        body: `The email address you sign in to OpenSEND with has been changed, and this address is no longer used for it.\n\nIf you did not change it, ask the school or service you use OpenSEND with for help at once: ${v.link}\n\n${SIGN_OFF}`,
      };
    case 'family.invited':
      return {
        subject: `${v.from} has invited you to OpenSEND`,
        body: `${v.from} has invited you to OpenSEND, where you can read what the school shares with you about your child, give your views and reply to letters.\n\nStart here (the link works once, for 14 days): ${v.link}\n\nYou do not have to use OpenSEND: the school will still send everything on paper if you prefer.\n\n${SIGN_OFF}`,
      };
    case 'family.account_exists':
      return {
        subject: 'You already have an OpenSEND account',
        body: `Someone, perhaps you, tried to make a new OpenSEND account with this email address. You already have an account, so we did not make another.\n\nTo link your child to your account, sign in and type the code from your invitation again: ${v.link}\n\nForgotten your password? Ask the school to help you.\n\nIf this was not you, you do not need to do anything.\n\n${SIGN_OFF}`,
      };
    case 'family.letter':
      return {
        subject: `There is a new letter for you from ${v.from}`,
        body: `There is a new letter for you from ${v.from}.\n\nSign in to read it: ${v.link}\n\n${SIGN_OFF}`,
      };
    case 'family.views_invited': {
      const by = v.date ? ` before ${v.date}` : '';
      return {
        subject: `Your views are invited${by}`,
        body: `${v.from} would like to hear your views${by}.\n\nSign in to give them: ${v.link}\n\n${SIGN_OFF}`,
      };
    }
    case 'family.plan_shared':
      return {
        subject: `There is something new for you to read from ${v.from}`,
        body: `${v.from} has shared something new with you in OpenSEND.\n\nSign in to read it: ${v.link}\n\n${SIGN_OFF}`,
      };
    case 'family.ehc_draft': {
      const by = v.date ? ` You can reply until ${v.date}.` : '';
      return {
        subject: `There is a document for you to read from ${v.from}`,
        body: `${v.from} has sent you a document to read in OpenSEND.${by}\n\nSign in to read it: ${v.link}\n\n${SIGN_OFF}`,
      };
    }
    case 'family.consent_asked':
      return {
        subject: `${v.from} is asking for your consent`,
        body: `${v.from} would like your consent to ask another service for help, and has explained what it is for in OpenSEND. You can say yes or no there, or tell the school.\n\nSign in to read it: ${v.link}\n\n${SIGN_OFF}`,
      };
    case 'family.concern_answered':
      return {
        subject: `${v.from} has replied to you`,
        body: `${v.from} has replied to something you sent them in OpenSEND.\n\nSign in to read it: ${v.link}\n\n${SIGN_OFF}`,
      };
    case 'family.contact_change':
      return {
        subject: `${v.from} has looked at the contact details you sent`,
        body: `${v.from} has looked at the new contact details you sent them.\n\nSign in to see what they did: ${v.link}\n\n${SIGN_OFF}`,
      };
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
