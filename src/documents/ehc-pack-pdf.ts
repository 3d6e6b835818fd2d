import type { EvidencePack } from '../domain/ehc-pack.ts';
import { type PackDocument, packDocument } from '../presenters/ehc-pack.ts';
import { TaggedPdf } from './pdf.ts';

/**
 * The request for an EHC needs assessment as a tagged PDF/UA (the shared set-up of documents/pdf.ts):
 * the child in the title and H1, the nine sections as H2 in the order local authorities' forms use,
 * each table a real table with its headings, typed text in paragraphs.
 */
export function renderPackPdf(pack: EvidencePack): Promise<Buffer> {
  return packDocumentPdf(packDocument(pack));
}

export function packDocumentPdf(document: PackDocument): Promise<Buffer> {
  const pdf = new TaggedPdf({
    title: document.title,
    author: document.schoolName,
    subject: 'Request for an EHC needs assessment',
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
        case 'heading':
          pdf.heading(3, block.text);
          break;
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
          pdf.table({
            header: block.header,
            rows: block.rows,
            small: block.header.length > 4,
          });
          break;
      }
    }
  }
  return pdf.finish();
}
