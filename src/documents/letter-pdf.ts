import type { LetterDocument } from '../presenters/letters.ts';
import { TaggedPdf } from './pdf.ts';

/**
 * A letter to parents as a tagged PDF/UA: the school's name, the subject as the heading, the letter's
 * paragraphs, and (for a letter with one) the tear-off reply slip after a "cut here" line, with the
 * pupil's name on it so the office knows whose slip came back.
 */
export function letterPdf(letter: LetterDocument): Promise<Buffer> {
  const pdf = new TaggedPdf({ title: letter.title, author: letter.schoolName, subject: letter.subject });
  pdf.paragraph(letter.schoolName, { bold: true });
  pdf.heading(1, letter.subject);
  pdf.paragraph(letter.about, { small: true });
  pdf.space(0.5);
  pdf.paragraphs(letter.body);
  if (letter.slip) {
    pdf.cutLine();
    pdf.heading(2, letter.slip.heading);
    pdf.paragraph(letter.slip.pupilLine);
    pdf.paragraphs(letter.slip.text);
  }
  return pdf.finish();
}
