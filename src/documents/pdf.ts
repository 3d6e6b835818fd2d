import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { create, type Font } from 'fontkit';
import PDFDocument from 'pdfkit';

/*
 * The shared set-up of every PDF OpenSEND makes (letters, plans, reviews): tagged PDF/UA in British
 * English, with a title shown in the viewer's title bar, headings, paragraphs and real tables in the
 * structure tree, and one embedded font. Decorative marks (rules, a "cut here" line) are artifacts, so a
 * screen reader skips them.
 *
 * The font is DejaVu Sans (the `dejavu-fonts-ttf` package; Bitstream Vera licence with DejaVu's
 * changes in the public domain: free to embed and redistribute). It covers the Latin, Greek and
 * Cyrillic names schools enrol, and pdfkit embeds only the glyphs a document uses. PDF/UA requires
 * embedded fonts, so the standard (unembedded) Helvetica is never used. The fonts are parsed once per
 * process (parsing them for each document took most of its time: about 200 ms against 30 ms).
 */

const require = createRequire(import.meta.url);

let parsed: { regular: Font; bold: Font } | null = null;
/** The fonts, read and parsed once per process. */
function fonts() {
  const load = (file: string) => create(readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`)));
  parsed ??= { regular: load('DejaVuSans.ttf'), bold: load('DejaVuSans-Bold.ttf') };
  return parsed;
}

/*
 * Each document names its fonts by their PostScript names, registered once with the parsed font and
 * that same name as its family. pdfkit keeps a document's open fonts by name: a table puts the font
 * back after every cell, passing what it was given (the parsed font) and its family, and only with a
 * family that names an open font does it find that font again. Given the parsed font alone, it opened
 * it afresh for every cell and compared the two by JSON.stringify of their name tables (isEqualFont):
 * a fifth of the provision map PDF's time.
 */
function registerFonts(doc: InstanceType<typeof PDFDocument>) {
  const f = fonts();
  for (const font of [f.regular, f.bold])
    doc.registerFont(font.postscriptName, font as unknown as string, font.postscriptName);
  return { regular: f.regular.postscriptName, bold: f.bold.postscriptName };
}

const SIZES = { body: 11, small: 9, h1: 18, h2: 14, h3: 12 } as const;
/** A4, with margins of 2 cm. */
const PAGE = { size: 'A4', margin: 57 } as const;

type StructureElement = ReturnType<InstanceType<typeof PDFDocument>['struct']>;

export interface PdfOptions {
  /** The document's title: shown in the viewer's title bar and read first by a screen reader. */
  title: string;
  /** Who the document is from: the school's name. */
  author: string;
  subject?: string;
  /** Landscape A4 with narrower margins, for wide tables (the provision map). */
  landscape?: boolean;
}

export interface PdfTable {
  /** The column headings (TH, scope column). */
  header: string[];
  rows: string[][];
  /** Relative column widths ('*' shares what is left). */
  widths?: (number | '*')[];
  /** The first cell of each row is a row heading (TH, scope row). */
  rowHeadings?: boolean;
  /** In the small size, for tables of many columns. */
  small?: boolean;
}

/**
 * A tagged PDF being written: add headings, paragraphs and tables in reading order, then `finish()`.
 * Every piece of content is marked in the structure tree under one Document element.
 */
export class TaggedPdf {
  readonly doc: InstanceType<typeof PDFDocument>;
  private readonly root: StructureElement;
  private readonly chunks: Uint8Array[] = [];
  private readonly ended: Promise<void>;
  /** The registered names of the regular and bold fonts. */
  private readonly font: { regular: string; bold: string };

  constructor(options: PdfOptions) {
    this.doc = new PDFDocument({
      ...PAGE,
      ...(options.landscape ? { layout: 'landscape' as const, margin: 40 } : {}),
      pdfVersion: '1.7',
      tagged: true,
      // PDF/UA-1 (the package's types list only the PDF/A subsets).
      subset: 'PDF/UA' as unknown as 'PDF/A-1',
      lang: 'en-GB',
      displayTitle: true,
      // No font of the document's own: it would be the parsed font with no family, which every page a
      // table breaks onto puts back, unfound (see registerFonts). The registered regular font is
      // chosen below, before anything is written; and without a default pdfkit would load Helvetica.
      font: null as unknown as string,
      info: {
        Title: options.title,
        Author: options.author,
        ...(options.subject ? { Subject: options.subject } : {}),
        Creator: 'OpenSEND',
      },
    });
    this.font = registerFonts(this.doc);
    this.doc.on('data', (chunk: Uint8Array) => this.chunks.push(chunk));
    this.ended = new Promise((resolve, reject) => {
      this.doc.on('end', () => resolve());
      this.doc.on('error', reject);
    });
    this.root = this.doc.struct('Document');
    this.doc.addStructure(this.root);
    this.doc.font(this.font.regular).fontSize(SIZES.body);
  }

  private block(tag: string, draw: () => void, parent: StructureElement = this.root) {
    const element = this.doc.struct(tag, {}, [draw]);
    parent.add(element);
    element.end();
  }

  /** A heading (H1 once, for the title; H2 for sections; H3 within them). */
  heading(level: 1 | 2 | 3, text: string): this {
    const size = level === 1 ? SIZES.h1 : level === 2 ? SIZES.h2 : SIZES.h3;
    if (level > 1) this.space(0.6);
    this.block(`H${level}`, () => {
      this.doc.font(this.font.bold).fontSize(size).text(text, { paragraphGap: 4 });
    });
    this.doc.font(this.font.regular).fontSize(SIZES.body);
    return this;
  }

  /** One paragraph (its line breaks kept). */
  paragraph(text: string, options: { bold?: boolean; small?: boolean } = {}): this {
    this.block('P', () => {
      this.doc
        .font(options.bold ? this.font.bold : this.font.regular)
        .fontSize(options.small ? SIZES.small : SIZES.body)
        .text(text, { paragraphGap: 6, lineGap: 1.5 });
    });
    this.doc.font(this.font.regular).fontSize(SIZES.body);
    return this;
  }

  /** Text typed by a person: each run of lines between blank lines is a paragraph. */
  paragraphs(text: string): this {
    for (const p of text
      .replace(/\r\n?/g, '\n')
      .split(/\n\s*\n/)
      .map((s) => s.replace(/\s+$/, ''))
      .filter((s) => s.trim() !== '')) {
      this.paragraph(p);
    }
    return this;
  }

  /**
   * Label and value pairs as paragraphs, "Label: value" with the label in bold: lighter than a table
   * for long runs of records (a subject access export), and read the same way by a screen reader.
   */
  fieldLines(rows: [string, string][]): this {
    for (const [label, value] of rows) {
      this.block('P', () => {
        this.doc
          .font(this.font.bold)
          .fontSize(SIZES.body)
          .text(`${label}: `, { continued: true, lineGap: 1.5 });
        this.doc.font(this.font.regular).text(value, { paragraphGap: 3, lineGap: 1.5 });
      });
    }
    return this;
  }

  /** A label in bold, then its value (typed text: its paragraphs and line breaks kept). */
  labelled(label: string, value: string): this {
    this.paragraph(label, { bold: true });
    if (value.trim() === '') return this.paragraph('Not recorded');
    return this.paragraphs(value);
  }

  /** Label and value pairs (a summary list), as a two-column table with row headings. */
  facts(rows: [string, string][]): this {
    return this.table({ header: ['', ''], rows, rowHeadings: true, widths: [150, '*'] }, false);
  }

  /** A real table: TH cells for the headings, TD for the data, so a screen reader announces each cell's headings. */
  table(table: PdfTable, withHeader = true): this {
    const th = (text: string, scope: 'column' | 'row') => ({
      text: wholeWords(text),
      type: 'TH',
      scope,
      font: { src: this.font.bold },
    });
    const data = [
      ...(withHeader ? [table.header.map((h) => th(h, 'column'))] : []),
      ...table.rows.map((row) =>
        row.map((cell, i) => (i === 0 && table.rowHeadings ? th(cell, 'row') : { text: wholeWords(cell) })),
      ),
    ];
    this.space(0.3);
    const padding = table.small ? 3 : 4;
    const widths = this.columnWidthsOf(table, withHeader, padding);
    this.doc.font(this.font.regular).fontSize(table.small ? SIZES.small : SIZES.body);
    this.doc.table({
      structParent: this.root,
      columnStyles: widths.map((width) => ({ width })),
      defaultStyle: { padding, border: 0.5, borderColor: '#b1b4b6' },
      data,
    } as Parameters<InstanceType<typeof PDFDocument>['table']>[0]);
    this.doc.x = this.doc.page.margins.left;
    this.space(0.6);
    return this;
  }

  /**
   * The widths of a table's columns from what they hold: no column narrower than its longest word
   * (headings in bold), so a line breaks only at a space, never inside a word.
   */
  private columnWidthsOf(table: PdfTable, withHeader: boolean, padding: number): number[] {
    const { doc } = this;
    const size = table.small ? SIZES.small : SIZES.body;
    const columns = table.header.length;
    const specs = table.widths ?? table.header.map(() => '*' as const);
    // Room for the padding on both sides and the borders, and a point for rounding.
    const extra = 2 * padding + 2;
    const min = new Array<number>(columns).fill(extra);
    const max = new Array<number>(columns).fill(extra);
    const measure = (font: 'regular' | 'bold', cells: { text: string; column: number }[]) => {
      doc.font(this.font[font]).fontSize(size);
      const widths = new Map<string, number>();
      const width = (text: string) => {
        let w = widths.get(text);
        if (w === undefined) {
          w = doc.widthOfString(text);
          widths.set(text, w);
        }
        return w;
      };
      for (const { text, column } of cells) {
        for (const line of text.split('\n')) {
          max[column] = Math.max(max[column] ?? 0, width(line) + extra);
          for (const word of unbreakable(line)) min[column] = Math.max(min[column] ?? 0, width(word) + extra);
        }
      }
    };
    const headings = [
      ...(withHeader ? table.header.map((text, column) => ({ text, column })) : []),
      ...(table.rowHeadings ? table.rows.map((row) => ({ text: row[0] ?? '', column: 0 })) : []),
    ];
    const cells = table.rows.flatMap((row) =>
      row.map((text, column) => ({ text, column })).filter((c) => !(table.rowHeadings && c.column === 0)),
    );
    measure('bold', headings);
    measure('regular', cells);
    const available = doc.page.width - doc.page.margins.left - doc.page.margins.right;
    return columnWidths(available, specs, min, max);
  }

  /** A dashed line across the page with "cut here" words beside it: decoration, marked as an artifact. */
  cutLine(): this {
    this.space(1);
    const { doc } = this;
    const y = doc.y;
    const left = doc.page.margins.left;
    const right = doc.page.width - doc.page.margins.right;
    doc.markContent('Artifact', { type: 'Layout' });
    doc
      .save()
      .dash(4, { space: 3 })
      .lineWidth(0.75)
      .moveTo(left, y)
      .lineTo(right, y)
      .stroke()
      .undash()
      .restore();
    doc.endMarkedContent();
    doc.y = y + 12;
    doc.x = left;
    return this;
  }

  /** Vertical space, in lines of body text. */
  space(lines: number): this {
    this.doc.moveDown(lines);
    return this;
  }

  /** Start the next part on a new page. */
  pageBreak(): this {
    this.doc.addPage();
    return this;
  }

  /** Close the structure and the document; the bytes of the PDF. */
  async finish(): Promise<Buffer> {
    this.root.end();
    this.doc.end();
    await this.ended;
    return Buffer.concat(this.chunks);
  }
}

/**
 * A table cell's text with each hyphenated word held together by a word joiner (U+2060, invisible and
 * not extracted): a column is as wide as its longest word, so "catch-up" fits whole and is never broken
 * after its hyphen, which a reader that joins hyphenated lines (as pdftotext does) reads as "catchup".
 */
function wholeWords(text: string): string {
  return text.replace(/(?<=\S)-(?=\S)/g, '-\u2060');
}

/** The pieces of a line that must not be split: its words, hyphenated ones whole. */
function unbreakable(line: string): string[] {
  return line.split(/\s+/).filter(Boolean);
}

/**
 * Column widths in points, the way a browser lays out an automatic table: a column given a width keeps
 * it (widened to its longest word if need be); the columns marked '*' share what is left, each at least
 * as wide as its longest word (`min`), and the rest in proportion to how much wider its text would like
 * to be (`max`, its longest line unbroken). Only when the longest words alone are wider than the page
 * are columns narrowed below them (and words then broken).
 */
export function columnWidths(
  available: number,
  specs: readonly (number | '*')[],
  min: readonly number[],
  max: readonly number[],
): number[] {
  const widths = specs.map((spec, i) => (spec === '*' ? 0 : Math.max(spec, min[i] ?? 0)));
  const stars = specs.flatMap((spec, i) => (spec === '*' ? [i] : []));
  const rest = available - widths.reduce((a, b) => a + b, 0);
  const sum = (of: readonly number[]) => stars.reduce((a, i) => a + (of[i] ?? 0), 0);
  const starMin = sum(min);
  const starMax = Math.max(sum(max), starMin);
  for (const i of stars) {
    const lo = min[i] ?? 0;
    const hi = Math.max(max[i] ?? 0, lo);
    if (rest >= starMax) {
      // Everything fits unbroken: share the space left over in proportion to what each wanted.
      widths[i] = starMax > 0 ? hi + ((rest - starMax) * hi) / starMax : rest / stars.length;
    } else if (rest >= starMin) {
      widths[i] = lo + (starMax > starMin ? ((hi - lo) * (rest - starMin)) / (starMax - starMin) : 0);
    } else {
      widths[i] = lo;
    }
  }
  const total = widths.reduce((a, b) => a + b, 0);
  // Too wide for the page even with every word whole: narrow every column alike.
  return total > available ? widths.map((w) => (w * available) / total) : widths;
}
