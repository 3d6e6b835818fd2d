import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

/**
 * Shared set-up for OpenSEND's PDFs: tagged PDF/UA (PDF 1.7, en-GB, the title shown by the viewer),
 * one embedded font (DejaVu Sans, from the dejavu-fonts-ttf package: its Bitstream Vera licence lets
 * it be shipped and embedded), and the few building blocks every document uses — headings,
 * paragraphs, labelled values and real tables (TR/TH/TD with column headers) — each placed in the
 * structure tree, so a screen reader reads a PDF as it reads the page.
 */

const require = createRequire(import.meta.url);
const FONT_REGULAR = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

const MARGIN = 56; // about 2 cm
const SIZES = { H1: 20, H2: 15, H3: 12.5, body: 11, small: 9.5 } as const;

type Structure = ReturnType<PDFKit.PDFDocument['struct']>;

/** Text options with the structure element the text belongs to (pdfkit's types lag behind it here). */
interface TaggedTextOptions extends PDFKit.Mixins.TextOptions {
  structParent?: Structure;
  structType?: string;
}

export interface TaggedPdf {
  doc: PDFKit.PDFDocument;
  heading(level: 1 | 2 | 3, text: string): void;
  paragraph(text: string, options?: { small?: boolean }): void;
  /** A label in bold, then its value (long text keeps its line breaks). */
  labelled(label: string, value: string): void;
  /**
   * A real table: a header row of column headers, then rows; widths in points or '*' to share. With
   * `rowHeaders`, each row's first cell heads its row (a table of labelled values).
   */
  table(
    headers: string[],
    rows: string[][],
    widths?: (number | '*')[],
    options?: { rowHeaders?: boolean },
  ): void;
  /** Finish the document and return its bytes. */
  finish(): Promise<Buffer>;
}

export interface PdfMetadata {
  title: string;
  author: string;
  subject?: string;
}

export function taggedPdf(meta: PdfMetadata): TaggedPdf {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    pdfVersion: '1.7',
    tagged: true,
    subset: 'PDF/UA' as PDFKit.Mixins.PDFSubsets,
    lang: 'en-GB',
    displayTitle: true,
    info: {
      Title: meta.title,
      Author: meta.author,
      Subject: meta.subject ?? meta.title,
      Creator: 'OpenSEND',
    },
    bufferPages: false,
  });
  doc.registerFont('regular', FONT_REGULAR);
  doc.registerFont('bold', FONT_BOLD);
  doc.font('regular').fontSize(SIZES.body);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const root = doc.struct('Document');
  doc.addStructure(root);
  const width = doc.page.width - MARGIN * 2;

  const text = (value: string, type: string, font: 'regular' | 'bold', size: number, gapAfter: number) => {
    doc.font(font).fontSize(size);
    // Text always starts at the left margin (a table leaves x where its last cell was).
    doc.text(value, MARGIN, undefined, {
      width,
      structParent: root,
      structType: type,
    } as TaggedTextOptions);
    doc.moveDown(gapAfter);
  };

  return {
    doc,
    heading(level, value) {
      if (level === 2 && doc.y > doc.page.height - MARGIN - 120) doc.addPage();
      text(value, `H${level}`, 'bold', SIZES[`H${level}`], 0.4);
    },
    paragraph(value, options = {}) {
      text(value, 'P', 'regular', options.small ? SIZES.small : SIZES.body, 0.5);
    },
    labelled(label, value) {
      text(label, 'P', 'bold', SIZES.body, 0.1);
      text(value || 'Not recorded', 'P', 'regular', SIZES.body, 0.6);
    },
    table(headers, rows, widths, options = {}) {
      doc.font('regular').fontSize(SIZES.small);
      doc.x = MARGIN;
      doc.table({
        structParent: root,
        columnStyles: widths ?? headers.map(() => '*'),
        defaultStyle: { padding: 4, border: 0.5, borderColor: '#505a5f' },
        rowStyles: (i: number) => (i === 0 ? { font: { src: FONT_BOLD }, backgroundColor: '#f3f2f1' } : {}),
        data: [
          headers.map((h) => ({ text: h, type: 'TH', scope: 'Column' })),
          ...rows.map((r) =>
            r.map((cell, i) =>
              options.rowHeaders && i === 0
                ? { text: cell, type: 'TH', scope: 'Row', font: { src: FONT_BOLD } }
                : { text: cell || '–', type: 'TD' },
            ),
          ),
        ],
      } as unknown as PDFKit.Mixins.TableOptions);
      doc.x = MARGIN;
      doc.moveDown(1);
    },
    finish() {
      root.end();
      doc.end();
      return ended;
    },
  };
}
