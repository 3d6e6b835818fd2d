import type { InvitationLetter } from '../domain/family-invitations.ts';
import { TaggedPdf } from './pdf.ts';

/**
 * The letter inviting a parent or carer to OpenSEND, as a tagged PDF/UA: the school's name, the code
 * set apart and large, where to type it, how long it works, and that they do not have to use it. No
 * child is named on it: a letter can be lost in a book bag.
 */
export function invitationLetterPdf(letter: InvitationLetter): Promise<Buffer> {
  const pdf = new TaggedPdf({
    title: `An invitation to OpenSEND from ${letter.schoolName}`,
    author: letter.schoolName,
    subject: 'An invitation to see your child’s school record online',
  });
  pdf.paragraph(letter.schoolName, { bold: true });
  pdf.heading(1, 'You are invited to OpenSEND');
  pdf.paragraph(`Dear ${letter.carerName},`);
  pdf.paragraph(
    `${letter.schoolName} uses OpenSEND to plan the support your child gets. You can use it to read your child’s support plan and letters from the school, give your views and reply to letters, on a phone or a computer.`,
  );
  pdf.heading(2, 'How to start');
  pdf.paragraph(`1. Go to ${letter.joinAddress}`);
  pdf.paragraph('2. Type this code:');
  pdf.heading(3, letter.code);
  pdf.paragraph(
    '3. Make an account with your email address and a password, or sign in if you already have one.',
  );
  pdf.paragraph(
    `The code works once, for ${letter.days} days: until ${letter.until}. Keep this letter safe until you have used it. If it stops working, ask the school for a new one.`,
  );
  pdf.heading(2, 'You do not have to use this');
  pdf.paragraph(
    'You do not have to use OpenSEND. The school will still send you everything on paper, and you can always talk to them.',
  );
  return pdf.finish();
}
