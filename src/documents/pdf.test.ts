import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brokenWords, readPdf, wordHeights } from '../../test/pdf.ts';
import { columnWidths, piecesOf, TaggedPdf, tableLayout } from './pdf.ts';

describe('the shared tagged PDF', () => {
  it('puts headings, paragraphs and tables with header cells into the structure tree', async () => {
    const pdf = new TaggedPdf({ title: 'Amara Adebayo – IEP', author: 'Oakfield Primary' });
    pdf.heading(1, 'Amara Adebayo – IEP');
    pdf.facts([
      ['School', 'Oakfield Primary'],
      ['Review date', '1 December 2026'],
    ]);
    pdf.heading(2, 'Targets');
    pdf.table({
      header: ['Target', 'How we will know'],
      rows: [['Read 20 high-frequency words', '8 out of 10 on three days']],
    });
    pdf.paragraphs('First paragraph.\nSame paragraph.\n\nSecond paragraph.');
    const bytes = await pdf.finish();
    const { text, info } = readPdf(bytes);
    expect(info).toMatch(/^Tagged:\s+yes$/m);
    expect(text).toContain('Read 20 high-frequency words');
    expect(text).toContain('Second paragraph.');
    const raw = bytes.toString('latin1');
    for (const tag of ['Document', 'H1', 'H2', 'P', 'Table', 'TR', 'TH', 'TD']) {
      expect(raw, tag).toContain(`/S /${tag}\n`);
    }
    expect(raw).toContain('/Scope /Column');
    expect(raw).toContain('/Scope /Row');
  });

  it('opens each font once, however many cells and pages its tables have', async () => {
    // pdfkit puts the font back after every table cell; a font it cannot find by name is opened
    // again and compared with the open ones by JSON.stringify of their name tables (slow: a fifth
    // of the provision map PDF's time before the fonts were registered under their own names).
    const pdf = new TaggedPdf({ title: 'Provision map', author: 'Oakfield Primary', landscape: true });
    pdf.heading(1, 'Provision map');
    pdf.table({
      header: ['Pupil', 'Year', 'Provision'],
      rows: Array.from({ length: 150 }, (_, i) => [
        `Pupil ${i}`,
        'Year 4',
        'Reading: 1 hour\nTalk: 30 minutes',
      ]),
      rowHeadings: true,
      small: true,
    });
    pdf.paragraph('After the table', { bold: true });
    const bytes = await pdf.finish();
    const raw = bytes.toString('latin1');
    expect((raw.match(/\/Type \/Page\n/g) ?? []).length).toBeGreaterThan(3);
    // Regular and bold: two fonts opened for the whole document, and two embedded.
    expect((pdf.doc as unknown as { _fontCount: number })._fontCount).toBe(2);
    expect((raw.match(/\/FontFile2/g) ?? []).length).toBe(2);
  });
});

/** Every word of `words` stands whole in the text pdftotext extracts (a word broken across lines does not). */
function expectWholeWords(text: string, words: string[]) {
  for (const word of words) {
    const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(text, `“${word}” whole`).toMatch(new RegExp(`(?:^|\\s)${escaped}(?:\\s|$)`));
  }
}

describe('table columns sized from what they hold', () => {
  it('breaks a heading only between words, however narrow the share of the page it would get', async () => {
    const header = ['Intervention', 'Group', 'Delivered by', 'Sessions', 'Dates', 'Missed sessions'];
    const pdf = new TaggedPdf({ title: 'Provision', author: 'Oakfield Primary' });
    pdf.table({
      header,
      rows: [
        [
          'Precision teaching',
          'Year 3 readers',
          'Tia Assistant',
          '3 a week',
          'From 7 September 2026',
          'None',
        ],
      ],
      // The plan's own widths: four shared columns got 80 points each, narrower than “Intervention”.
      widths: ['*', '*', '*', 80, 80, '*'],
    });
    const { text } = readPdf(await pdf.finish());
    expectWholeWords(
      text,
      header.flatMap((h) => h.split(' ')),
    );
    expectWholeWords(text, ['Precision', 'teaching', 'September']);
  });

  it('keeps given widths, widens a column to its longest word and shares the rest by what each column holds', () => {
    // 400 points: a fixed column of 50; two shared ones whose words need 60 and 40, whose lines would
    // like 300 and 100: each gets its longest word and the 250 points over are shared as their lines want.
    expect(columnWidths(400, [50, '*', '*'], [20, 60, 40], [50, 300, 100])).toEqual([50, 260, 90]);
    // A fixed width narrower than its longest word is widened to it.
    expect(columnWidths(400, [30, '*'], [45, 20], [45, 100])[0]).toBe(45);
    // Everything fits unbroken: the space left over goes in proportion to what each wanted.
    expect(columnWidths(400, ['*', '*'], [10, 10], [100, 100])).toEqual([200, 200]);
    // The longest words alone are wider than the page: every column narrowed alike.
    const squeezed = columnWidths(100, ['*', '*'], [80, 120], [80, 120]);
    expect(squeezed.reduce((a, b) => a + b, 0)).toBeCloseTo(100);
    expect(squeezed[0]! / squeezed[1]!).toBeCloseTo(80 / 120);
  });
});

describe('table cells never break a word', () => {
  // Long words of the kind plans, letters and the provision map hold, and short ones.
  // Up to six columns: the widest of these words fits whole six times across portrait A4 at 7 pt.
  const word = fc.constantFrom(
    'September',
    'Communication',
    'interaction',
    'Acknowledgement',
    'self-regulation',
    'and/or',
    'Smith-Jones',
    '10:30–11:00',
    '£1,234.50',
    'Łukasiewicz',
    '(independently)',
    'a',
    'to',
    'the',
    '20',
  );
  const cell = fc
    .array(fc.array(word, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 })
    .map((lines) => lines.map((l) => l.join(' ')).join('\n'));

  it('prints every word of random tables whole, whatever the columns’ given widths', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 6 }).chain((columns) =>
          fc.record({
            header: fc.array(cell, { minLength: columns, maxLength: columns }),
            rows: fc.array(fc.array(cell, { minLength: columns, maxLength: columns }), {
              minLength: 1,
              maxLength: 3,
            }),
            widths: fc.array(fc.oneof(fc.constant('*' as const), fc.integer({ min: 30, max: 110 })), {
              minLength: columns,
              maxLength: columns,
            }),
            rowHeadings: fc.boolean(),
            small: fc.boolean(),
            landscape: fc.boolean(),
          }),
        ),
        async ({ landscape, ...table }) => {
          const pdf = new TaggedPdf({ title: 'Table', author: 'Oakfield Primary', landscape });
          pdf.table(table);
          const { text } = readPdf(await pdf.finish());
          expect(brokenWords(text, [...table.header, ...table.rows.flat()])).toEqual([]);
        },
      ),
      { numRuns: 40, seed: 2026 },
    );
  });

  it('makes the font of a table too wide for the page smaller, so that its words still fit whole', async () => {
    // Six columns of "Acknowledgement" (over 100 points each at 11 pt, with padding) are wider than
    // portrait A4 (481 points between the margins); at 7.5 pt they fit.
    const header = Array.from({ length: 6 }, (_, i) => `Column ${i + 1}`);
    const rows = [Array.from({ length: 6 }, () => 'Acknowledgement received independently')];
    const pdf = new TaggedPdf({ title: 'Wide', author: 'Oakfield Primary' });
    pdf.table({ header, rows });
    pdf.paragraph('After the table');
    const bytes = await pdf.finish();
    const { text } = readPdf(bytes);
    expect(brokenWords(text, [...header, ...rows.flat(), 'After the table'])).toEqual([]);
    // The table was set at 7.5 pt (the largest half-point size at which its words fit), the paragraph after
    // it at 11 pt again.
    const heights = wordHeights(bytes);
    const heightOf = (word: string) => heights.find((h) => h.word === word)?.height ?? 0;
    expect(heightOf('Acknowledgement') / heightOf('After')).toBeCloseTo(7.5 / 11, 2);
  });

  it('breaks a compound too long for its column even at 7 pt after its hyphen, not between its letters', async () => {
    // "Featherstonehaugh-Montgomery" five times across portrait A4 does not fit at 7 pt; its parts do.
    const name = 'Featherstonehaugh-Montgomery';
    const pdf = new TaggedPdf({ title: 'Names', author: 'Oakfield Primary' });
    pdf.table({ header: ['A', 'B', 'C', 'D', 'E'], rows: [Array.from({ length: 5 }, () => name)] });
    const { text } = readPdf(await pdf.finish());
    // pdftotext joins a line that ends in a hyphen to the next, with or without the hyphen.
    expect(text.match(/Featherstonehaugh-?Montgomery/g)).toHaveLength(5);
  });
});

describe('a table’s layout', () => {
  it('cuts a cell’s text where pdfkit’s wrapper does: each word with the space or line break after it', () => {
    expect(piecesOf('1 September 2026')).toEqual([['1 ', 'September ', '2026']]);
    expect(piecesOf('Reading\nTalk: 30 minutes')).toEqual([['Reading\n'], ['Talk: ', '30 ', 'minutes']]);
  });

  it('keeps the table’s size when its widest words fit, and makes it smaller, in half points, when they do not', () => {
    // Widest words of 100 and 200 points at 11 pt, padding 4 on each side.
    const fits = tableLayout({
      available: 400,
      specs: ['*', '*'],
      widest: [100, 200],
      longest: [150, 300],
      size: 11,
      padding: 4,
    });
    expect(fits.size).toBe(11);
    expect(fits.widths[0]).toBeGreaterThanOrEqual(108);
    expect(fits.widths[1]).toBeGreaterThanOrEqual(208);
    // A given width narrower than the widest word is widened: here 60 points for a word of 100.
    const widened = tableLayout({
      available: 400,
      specs: [60, '*'],
      widest: [100, 50],
      longest: [100, 50],
      size: 11,
      padding: 4,
    });
    expect(widened.widths[0]).toBeGreaterThanOrEqual(108);
    // 300 points of words and 16 of padding in 250: the largest half-point size at which they fit.
    const shrunk = tableLayout({
      available: 250,
      specs: ['*', '*'],
      widest: [100, 200],
      longest: [100, 200],
      size: 11,
      padding: 4,
    });
    expect(shrunk.size).toBe(8.5); // 300 × 8.5/11 + 16 = 247.8; at 9 pt it would be 261.5
    expect(shrunk.widths.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(250);
    expect(shrunk.widths[1]).toBeGreaterThanOrEqual((200 * 8.5) / 11 + 8);
    // Never below 7 pt: a word too long for the page even then is the one case left to break.
    const floor = tableLayout({
      available: 100,
      specs: ['*'],
      widest: [1000],
      longest: [1000],
      size: 11,
      padding: 4,
    });
    expect(floor.size).toBe(7);
    expect(floor.fits).toBe(false);
    expect(shrunk.fits && fits.fits).toBe(true);
    // Given widths give way before the font is made smaller: a column given 200 points for a word of 50.
    const given = tableLayout({
      available: 300,
      specs: [200, '*'],
      widest: [50, 200],
      longest: [50, 200],
      size: 11,
      padding: 4,
    });
    expect(given.size).toBe(11);
    expect(given.widths[0]).toBeCloseTo(300 - 208.01);
    expect(given.widths[1]).toBeCloseTo(208.01);
  });
});
