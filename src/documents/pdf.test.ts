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
});
