import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { examplePlanSections } from '../../test/builders/ehc-plans.ts';
import { exampleHeldReview } from '../../test/builders/ehc-reviews.ts';
import { brokenWords } from '../../test/pdf.ts';
import { buildAnnualReviewReport, reviewedPlanFromSections } from '../domain/ehc-review.ts';
import { reportDocument, reportFileName } from '../presenters/annual-review.ts';
import { renderAnnualReviewPdf } from './annual-review-pdf.ts';

/*
 * The annual review report as a reader gets it: poppler's pdftotext finds the six parts in order with
 * the meeting, the outcomes with their progress, the provision with its delivery and the recommendation;
 * pdfinfo says it is tagged with its title shown; every font is embedded; the structure has real tables.
 */

const poppler = (command: string, args: string[]) => execFileSync(command, args, { encoding: 'utf8' });
const plan = reviewedPlanFromSections({
  localAuthority: 'Northshire Council',
  planId: 'plan-1',
  planVersion: 1,
  issuedOn: '2025-12-01',
  lastReviewOn: null,
  sections: examplePlanSections({ id: 's1', name: 'Oakfield Primary', urn: '100001' }),
});
const report = buildAnnualReviewReport({
  review: exampleHeldReview(plan, { meetingOn: '2026-12-20', recommendation: 'amend' }),
  plan,
  child: { upn: 'A123456789012', forename: 'Eli', surname: 'Evans', birthDate: '2017-03-02', ncYear: 5 },
  school: { name: 'Oakfield Primary', urn: '100001', laCode: '999' },
  completedBy: { name: 'Sam Senco', role: 'SENCo' },
  preparedOn: '2026-12-22',
});

async function written() {
  const bytes = await renderAnnualReviewPdf(report);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'opensend-pdf-')), 'annual-review.pdf');
  writeFileSync(file, bytes);
  return { bytes, file, text: poppler('pdftotext', ['-enc', 'UTF-8', file, '-']).replace(/\s+/g, ' ') };
}

describe('the annual review report as a tagged PDF', () => {
  it('reads its six parts in order, each with its content', async () => {
    const { text } = await written();
    const parts = [
      'Annual review of Eli Evans’s EHC plan: 20 December 2026',
      '1. The plan and the meeting',
      'Northshire Council',
      '3 January 2027',
      '2. Who was invited and who came',
      'Alex Parent',
      '3. The child’s and the parents’ views',
      'I like the trains club.',
      '4. Progress toward the outcomes (section E)',
      'On track to be achieved by the date set',
      '5. The provision (sections F, G, H1 and H2)',
      'Delivered in part',
      '6. Changes proposed and the recommendation',
      'Add a weekly session with the speech and language therapist.',
      'Amend the plan',
    ];
    let at = -1;
    const outOfOrder = parts.filter((p) => {
      const found = text.indexOf(p, at + 1);
      if (found <= at) return true;
      at = found;
      return false;
    });
    expect(outOfOrder).toEqual([]);
  });

  it('is tagged PDF/UA in British English with its title shown, embeds its fonts, and has real tables', async () => {
    const { bytes, file, text } = await written();
    const info = poppler('pdfinfo', [file]);
    expect(info).toMatch(/^Tagged:\s+yes$/m);
    expect(info).toMatch(/^Title:\s+Annual review of Eli Evans’s EHC plan: 20 December 2026$/m);
    expect(info).toMatch(/^Author:\s+Oakfield Primary$/m);
    for (const line of poppler('pdffonts', [file]).split('\n').slice(2).filter(Boolean))
      expect(line).toMatch(/\byes\s+yes\s+yes\b/);
    const structure = poppler('pdfinfo', ['-struct', file]);
    for (const tag of ['Document', 'H1', 'H2', 'Table', 'TR', 'TH', 'TD', 'P'])
      expect(structure, tag).toMatch(new RegExp(`^\\s*${tag}\\b`, 'm'));
    expect(structure.match(/^\s*H2\b/gm)).toHaveLength(6);
    expect(Buffer.from(bytes).toString('latin1')).toMatch(/\/Lang \(en-GB\)/);
    const cells = reportDocument(report).sections.flatMap((s) =>
      s.blocks.flatMap((b) =>
        b.kind === 'table' ? [...b.header, ...b.rows.flat()] : b.kind === 'facts' ? b.rows.flat() : [],
      ),
    );
    expect(brokenWords(text, cells)).toEqual([]);
  });

  it('is named after the meeting, never the child (files get forwarded)', () => {
    expect(reportFileName(report, 'pdf')).toBe('annual-review-report-2026-12-20.pdf');
    const named = reportFileName({ ...report, child: { ...report.child, surname: '../"x' } }, 'json');
    expect(named).toBe('annual-review-report-2026-12-20.json');
    expect(named).not.toContain(report.child.forename);
  });
});
