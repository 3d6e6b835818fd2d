import { describe, expect, it } from 'vitest';
import { readPdf } from '../../test/pdf.ts';
import { columnWidths, TaggedPdf } from './pdf.ts';

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
