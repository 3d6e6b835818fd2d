import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { create, type Font } from 'fontkit';
import LineBreaker from 'linebreak';
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
      this.doc.font(this.font.bold).fontSize(size);
      this.doc.text(this.compoundsWhole(text), { paragraphGap: 4 });
    });
    this.doc.font(this.font.regular).fontSize(SIZES.body);
    return this;
  }

  /** One paragraph (its line breaks kept). */
  paragraph(text: string, options: { bold?: boolean; small?: boolean } = {}): this {
    this.block('P', () => {
      this.doc
        .font(options.bold ? this.font.bold : this.font.regular)
        .fontSize(options.small ? SIZES.small : SIZES.body);
      this.doc.text(this.compoundsWhole(text), { paragraphGap: 6, lineGap: 1.5 });
    });
    this.doc.font(this.font.regular).fontSize(SIZES.body);
    return this;
  }

  /**
   * A heading's or paragraph's text with its compounds held whole (see `wholeWords`), each that fits on a
   * line in the current font: "turn-taking" broken after its hyphen is read as "turntaking" by a reader
   * that joins hyphenated lines, and is not found by a search for it.
   */
  private compoundsWhole(text: string): string {
    const line = this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
    return text.replace(/\S+/g, (word) => {
      const joined = wholeWords(word);
      return joined !== word && this.doc.widthOfString(`${joined} `) <= line ? joined : word;
    });
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
    this.space(0.3);
    const padding = table.small ? 3 : 4;
    const { size, widths, compoundsWhole } = this.layoutOf(table, withHeader, padding);
    const text = compoundsWhole ? wholeWords : (t: string) => t;
    const th = (cell: string, scope: 'column' | 'row') => ({
      text: text(cell),
      type: 'TH',
      scope,
      font: { src: this.font.bold },
    });
    const data = [
      ...(withHeader ? [table.header.map((h) => th(h, 'column'))] : []),
      ...table.rows.map((row) =>
        row.map((cell, i) => (i === 0 && table.rowHeadings ? th(cell, 'row') : { text: text(cell) })),
      ),
    ];
    this.doc.font(this.font.regular).fontSize(size);
    this.doc.table({
      structParent: this.root,
      columnStyles: widths.map((width) => ({ width })),
      defaultStyle: { padding, border: 0.5, borderColor: '#b1b4b6' },
      data,
    } as Parameters<InstanceType<typeof PDFDocument>['table']>[0]);
    this.doc.font(this.font.regular).fontSize(SIZES.body);
    this.doc.x = this.doc.page.margins.left;
    this.space(0.6);
    return this;
  }

  /**
   * A table's font size and the widths of its columns, from what they hold: no column narrower than its
   * widest word, measured as pdfkit lays it out, so a line breaks only between words, never inside one.
   *
   * pdfkit's table gives a cell's text the column's width less the padding on both sides (the border is
   * drawn on the cell's edge and takes none of it). Its line wrapper cuts the text where Unicode allows
   * a line to end (the `linebreak` package, which pdfkit itself uses) and measures each piece with what
   * follows it: the spaces after a word, or the line break (a glyph of its own in the font: "September"
   * before a new line needs 67.4 points at 11 pt, "September " 64.3 points and "September" 60.8). A piece
   * wider than the line is broken between letters. So each column is at least its widest piece plus the
   * padding, and `tableLayout` chooses the size and widths from those measures.
   */
  private layoutOf(
    table: PdfTable,
    withHeader: boolean,
    padding: number,
  ): { size: number; widths: number[]; compoundsWhole: boolean } {
    const { doc } = this;
    const size = table.small ? SIZES.small : SIZES.body;
    const columns = table.header.length;
    const specs = table.widths ?? table.header.map(() => '*' as const);
    const headings = [
      ...(withHeader ? table.header.map((text, column) => ({ text, column })) : []),
      ...(table.rowHeadings ? table.rows.map((row) => ({ text: row[0] ?? '', column: 0 })) : []),
    ];
    const cells = table.rows.flatMap((row) =>
      row.map((text, column) => ({ text, column })).filter((c) => !(table.rowHeadings && c.column === 0)),
    );
    // Each column's widest piece and longest line, with compounds whole or breakable after their hyphens.
    const measures = (compounds: boolean) => {
      const widest = new Array<number>(columns).fill(0);
      const longest = new Array<number>(columns).fill(0);
      for (const [font, list] of [
        ['bold', headings],
        ['regular', cells],
      ] as const) {
        doc.font(this.font[font]).fontSize(size);
        const seen = new Map<string, { widest: number; longest: number }>();
        for (const { text, column } of list) {
          let m = seen.get(text);
          if (!m) {
            m = { widest: 0, longest: 0 };
            for (const line of piecesOf(compounds ? wholeWords(text) : text)) {
              let sum = 0;
              for (const piece of line) {
                const w = doc.widthOfString(piece);
                sum += w;
                m.widest = Math.max(m.widest, w);
              }
              m.longest = Math.max(m.longest, sum);
            }
            seen.set(text, m);
          }
          widest[column] = Math.max(widest[column] ?? 0, m.widest);
          longest[column] = Math.max(longest[column] ?? 0, m.longest);
        }
      }
      doc.font(this.font.regular).fontSize(SIZES.body);
      return { widest, longest };
    };
    const available = doc.page.width - doc.page.margins.left - doc.page.margins.right;
    const whole = tableLayout({ available, specs, size, padding, ...measures(true) });
    if (whole.fits) return { ...whole, compoundsWhole: true };
    const parts = tableLayout({ available, specs, size, padding, ...measures(false) });
    return parts.fits ? { ...parts, compoundsWhole: false } : { ...whole, compoundsWhole: true };
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

  /**
   * A figure (a chart) of the given height across the text width, drawn by `draw` from its top left
   * corner, tagged as a Figure with its alternative text: a screen reader reads `alt`, and the numbers
   * follow in a real table.
   */
  figure(alt: string, height: number, draw: (box: { x: number; y: number; width: number }) => void): this {
    const { doc } = this;
    const left = doc.page.margins.left;
    const width = doc.page.width - left - doc.page.margins.right;
    if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
    const y = doc.y;
    const element = doc.struct('Figure', { alt }, [() => draw({ x: left, y, width })]);
    this.root.add(element);
    element.end();
    doc.font(this.font.regular).fontSize(SIZES.body);
    doc.x = left;
    doc.y = y + height + 6;
    return this;
  }

  /** Go on to the next page unless `height` points still fit on this one (a heading kept with what follows). */
  keepSpace(height: number): this {
    const { doc } = this;
    if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
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
 * A table cell's text with each word joined across a hyphen, dash or slash by a word joiner (U+2060,
 * invisible and not extracted): a column is as wide as its widest word, so "catch-up" or "him/her" fits
 * whole and is never broken after its hyphen or slash (which a reader that joins hyphenated lines, as
 * pdftotext does, reads as "catchup").
 */
function wholeWords(text: string): string {
  return text.replace(/(?<=\S)([-/\u2010-\u2014])(?=\S)/g, '$1\u2060');
}

/**
 * A text cut as pdfkit's line wrapper cuts it: line by line, the pieces it never breaks unless a piece
 * alone is wider than the line (each with the spaces or the line break after it).
 */
export function piecesOf(text: string): string[][] {
  const lines: string[][] = [[]];
  const breaker = new LineBreaker(text);
  let last = 0;
  for (let bk = breaker.nextBreak(); bk; bk = breaker.nextBreak()) {
    lines[lines.length - 1]?.push(text.slice(last, bk.position));
    last = bk.position;
    if (bk.required) lines.push([]);
  }
  return lines.filter((line) => line.length > 0);
}

/** The smallest font size a table is made for its words to fit whole. */
const SMALLEST_TABLE_SIZE = 7;
/** A hundredth of a point for rounding, so a word exactly as wide as its column still fits. */
const ROUNDING = 0.01;

/**
 * A table's font size and column widths from its columns' widest pieces and longest lines (measured at
 * `size`): the table's own size if every column can be as wide as its widest word (a given width gives
 * way to that), or else the largest size, in half points down to 7 pt, at which they can (the widths
 * scale with the size; the padding does not). `fits` says whether they do at 7 pt; if not, the caller
 * may try again with compounds breakable after their hyphens, and the last resort is to break words
 * (see `columnWidths`).
 */
export function tableLayout(table: {
  available: number;
  specs: readonly (number | '*')[];
  widest: readonly number[];
  longest: readonly number[];
  size: number;
  padding: number;
}): { size: number; widths: number[]; fits: boolean } {
  const { available, specs, widest, longest, size, padding } = table;
  const extra = 2 * padding + ROUNDING;
  const at = (s: number) => ({
    min: widest.map((w) => (w * s) / size + extra),
    max: longest.map((w) => (w * s) / size + extra),
  });
  const fitsAt = (s: number) => at(s).min.reduce((a, b) => a + b, 0) <= available;
  let chosen = size;
  while (!fitsAt(chosen) && chosen - 0.5 >= SMALLEST_TABLE_SIZE) chosen -= 0.5;
  const { min, max } = at(chosen);
  return { size: chosen, widths: columnWidths(available, specs, min, max), fits: fitsAt(chosen) };
}

/**
 * Column widths in points, the way a browser lays out an automatic table: a column given a width keeps
 * it (widened to its longest word if need be, and narrowed towards it if the other columns' words would
 * not fit whole otherwise); the columns marked '*' share what is left, each at least
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
  const sum = (of: readonly number[]) => stars.reduce((a, i) => a + (of[i] ?? 0), 0);
  const starMin = sum(min);
  // Given widths too wide for every word to fit whole beside them: each gives up its room beyond its
  // own widest word, in proportion, as far as needed.
  const over = widths.reduce((a, b) => a + b, 0) + starMin - available;
  const slack = widths.map((w, i) => (specs[i] === '*' ? 0 : w - (min[i] ?? 0)));
  const slackSum = slack.reduce((a, b) => a + b, 0);
  if (over > 0 && slackSum > 0) {
    const share = Math.min(1, over / slackSum);
    for (const [i, s] of slack.entries()) widths[i] = (widths[i] ?? 0) - s * share;
  }
  const rest = available - widths.reduce((a, b) => a + b, 0);
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
