import { describe, expect, it } from 'vitest';
import { readPdf } from '../../test/pdf.ts';
import { renderTemplate, STARTER_TEMPLATES } from '../domain/letters.ts';
import { letterDocument } from '../presenters/letters.ts';
import { letterPdf } from './letter-pdf.ts';

describe('a letter as a tagged PDF', () => {
  it('holds the pupil’s name, the letter and its slip, is tagged, titled and embeds its font', async () => {
    const appendixD = STARTER_TEMPLATES.find((t) => t.kind === 'register_placement')!;
    const values = {
      'pupil.forename': 'Zoë',
      'pupil.fullName': 'Zoë Łukasiewicz',
      'parents.greeting': 'Dear Agnieszka Łukasiewicz',
      'senco.name': 'Sam Senco',
      'school.name': 'Oakfield Primary',
      'plan.name': 'IEP',
      'plan.targetCount': '3',
      today: '20 November 2026',
    };
    const bytes = await letterPdf(
      letterDocument({
        kind: 'register_placement',
        body: renderTemplate(appendixD.body, values),
        slip: renderTemplate(appendixD.slip!, values),
        recipients: 'Agnieszka Łukasiewicz',
        sentOn: '2026-11-20',
        sentVia: 'book_bag',
        sentByName: 'Olu Office',
        pupil: { forename: 'Zoë', surname: 'Łukasiewicz', className: 'Year 4 Oak' },
        schoolName: 'Oakfield Primary',
      }),
    );
    const { text, info, fonts } = readPdf(bytes);
    expect(text).toContain('Zoë Łukasiewicz');
    expect(text).toContain('Dear Agnieszka Łukasiewicz');
    expect(text).toContain('placing them on our Special Educational Needs register');
    expect(text).toContain('I can confirm that I have received your letter');
    expect(text).toContain('Oakfield Primary');
    expect(info).toMatch(/^Tagged:\s+yes$/m);
    expect(info).toMatch(/^Title:\s+Zoë Łukasiewicz – Placing a child on the SEN register$/m);
    expect(info).toMatch(/^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)$/m);
    // Every font embedded (PDF/UA): the "emb" column says yes for each.
    const rows = fonts.trim().split('\n').slice(2);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatch(/DejaVuSans.*\byes\s+yes\s+yes\b/);
    // The document's language and the PDF/UA identifier.
    const raw = bytes.toString('latin1');
    expect(raw).toContain('/Lang (en-GB)');
    expect(raw).toContain('pdfuaid:part>1<');
    expect(raw).toContain('/DisplayDocTitle true');
  });
});
