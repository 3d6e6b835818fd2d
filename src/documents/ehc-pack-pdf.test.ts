import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { examplePack } from '../../test/builders/ehc-example.ts';
import { brokenWords } from '../../test/pdf.ts';
import { leaveOut, PACK_SECTIONS } from '../domain/ehc-pack.ts';
import { packDocument } from '../presenters/ehc-pack.ts';
import { renderPackPdf } from './ehc-pack-pdf.ts';

/*
 * The request for an EHC needs assessment as a reader gets it: poppler's pdftotext finds the nine
 * sections in the order LA forms use, and the child, the plans, the provision with its cost, the advice
 * and the views within them in that order; pdfinfo says it is tagged with its title shown; pdffonts that
 * every font is embedded; the structure tree has the headings and real tables.
 */

function poppler(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8' });
}
async function written(pack = examplePack()) {
  const bytes = await renderPackPdf(pack);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'opensend-pdf-')), 'ehc-request.pdf');
  writeFileSync(file, bytes);
  return { bytes, file, text: poppler('pdftotext', ['-enc', 'UTF-8', file, '-']).replace(/\s+/g, ' ') };
}
/** Each string found in the text after the one before it. */
function inOrder(text: string, parts: string[]) {
  let at = -1;
  return parts.filter((part) => {
    const found = text.indexOf(part, at + 1);
    if (found <= at) return true;
    at = found;
    return false;
  });
}

describe('the evidence pack as a tagged PDF', () => {
  it('reads the nine sections in the order of LA forms, each with its content in order', async () => {
    const { text } = await written();
    expect(inOrder(text, Object.values(PACK_SECTIONS))).toEqual([]);
    expect(
      inOrder(text, [
        'Request for an EHC needs assessment: Rosa Martinez',
        PACK_SECTIONS.completedBy,
        'Sam Senco',
        PACK_SECTIONS.checklist,
        'Two or more support plans, each reviewed',
        PACK_SECTIONS.childAndSchool,
        '14 June 2017',
        'Specific learning difficulty (SPLD): primary',
        'Oakfield Primary',
        PACK_SECTIONS.intervention,
        'SEN support (K)',
        'Support plan 1',
        'Read 20 words',
        'Review of support plan 1 on 27 March 2026',
        'Support plan 2',
        'Support plan 3',
        'has not been reviewed yet',
        'Reading catch-up',
        '28 of 30',
        '£400.00',
        'Up 6 points',
        '£6,000.00',
        PACK_SECTIONS.need,
        'Referral to Northshire Educational Psychology Service',
        'Psychological advice',
        PACK_SECTIONS.parentsViews,
        'Worried',
        PACK_SECTIONS.childsViews,
        'What people like and admire about me',
        'Kind',
        PACK_SECTIONS.moreInformation,
        PACK_SECTIONS.consent,
        'Lucia Martinez (Mother)',
        '18 November 2026',
        'A signed form',
      ]),
    ).toEqual([]);
  });

  it('is tagged PDF/UA in British English with its title shown, embeds its fonts, and has real tables', async () => {
    const { bytes, file } = await written();
    const info = poppler('pdfinfo', [file]);
    expect(info).toMatch(/^Tagged:\s+yes$/m);
    expect(info).toMatch(/^Title:\s+Request for an EHC needs assessment: Rosa Martinez$/m);
    expect(info).toMatch(/^Author:\s+Oakfield Primary$/m);
    const fonts = poppler('pdffonts', [file]).split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThan(0);
    for (const line of fonts) expect(line).toMatch(/\byes\s+yes\s+yes\b/);
    const structure = poppler('pdfinfo', ['-struct', file]);
    for (const tag of ['Document', 'H1', 'H2', 'H3', 'Table', 'TR', 'TH', 'TD', 'P'])
      expect(structure, tag).toMatch(new RegExp(`^\\s*${tag}\\b`, 'm'));
    expect(structure.match(/^\s*H2\b/gm)).toHaveLength(9);
    const raw = Buffer.from(bytes).toString('latin1');
    expect(raw).toMatch(/\/Lang \(en-GB\)/);
    expect(raw).toMatch(/\/DisplayDocTitle true/);
  });

  it('prints every word of every table whole', async () => {
    const pack = examplePack();
    const { text } = await written(pack);
    const cells = packDocument(pack).sections.flatMap((s) =>
      s.blocks.flatMap((b) =>
        b.kind === 'table' ? [...b.header, ...b.rows.flat()] : b.kind === 'facts' ? b.rows.flat() : [],
      ),
    );
    expect(brokenWords(text, cells)).toEqual([]);
  });

  it('leaves out what the school left out, and says how many items', async () => {
    const pack = leaveOut(examplePack(), [
      examplePack().intervention.plans[0]!.key,
      examplePack().need.referrals[0]!.reports[0]!.key,
    ]);
    const { text } = await written(pack);
    expect(text).not.toContain('Psychological advice');
    expect(text).not.toContain('Review of support plan 1');
    expect(text).toContain('The school left 2 items of the record out of this request.');
  });

  it('says so where a part is empty', async () => {
    const pack = examplePack();
    pack.intervention.plans = [];
    pack.intervention.provision = [];
    pack.need.referrals = [];
    pack.parentsViews = [];
    pack.childsViews = { profile: null, views: [] };
    pack.consent = null;
    const { text } = await written(pack);
    for (const words of [
      'No support plan in the last two years.',
      'No provision recorded in the last two years.',
      'No outside agency involved.',
      'No views of the parents recorded.',
      'No views of the child recorded.',
      'No consent recorded.',
    ])
      expect(text).toContain(words);
  });
});
