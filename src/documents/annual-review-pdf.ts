import type { AnnualReviewReport } from '../domain/ehc-review.ts';
import { reportDocument } from '../presenters/annual-review.ts';
import { TaggedPdf } from './pdf.ts';

/**
 * The annual review report as a tagged PDF/UA (the shared set-up of documents/pdf.ts): the child and
 * the meeting in the title and H1, the six parts as H2, each table a real table with its headings.
 */
export function renderAnnualReviewPdf(report: AnnualReviewReport): Promise<Buffer> {
  const document = reportDocument(report);
  const pdf = new TaggedPdf({
    title: document.title,
    author: document.schoolName,
    subject: 'Annual review of an EHC plan',
  });
  pdf.paragraph(`${document.schoolName}. Confidential: contains special category personal data.`, {
    small: true,
  });
  pdf.heading(1, document.title);
  pdf.paragraph(document.subtitle);
  for (const section of document.sections) {
    pdf.heading(2, section.heading);
    for (const block of section.blocks) {
      switch (block.kind) {
        case 'paragraph':
          pdf.paragraph(block.text);
          break;
        case 'labelled':
          pdf.labelled(block.label, block.text);
          break;
        case 'facts':
          pdf.paragraph(block.caption, { bold: true });
          pdf.table({ header: ['', ''], rows: block.rows, rowHeadings: true, widths: [150, '*'] }, false);
          break;
        case 'table':
          pdf.paragraph(block.caption, { bold: true });
          pdf.table({ header: block.header, rows: block.rows, small: block.header.length > 4 });
          break;
      }
    }
  }
  return pdf.finish();
}
