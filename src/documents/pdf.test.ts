import { describe, expect, it } from 'vitest';
import { readPdf } from '../../test/pdf.ts';
import { TaggedPdf } from './pdf.ts';

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
