import { describe, expect, it } from 'vitest';
import { examplePack } from '../../test/builders/ehc-example.ts';
import { packAnchor, packDocument, packFileName } from './ehc-pack.ts';

/* The pack's document model: what the PDF and the page show, in words, and its files' names. */

describe('packDocument', () => {
  it('gives every code its words and every date its format', () => {
    const document = packDocument(examplePack());
    const child = document.sections
      .find((s) => s.key === 'childAndSchool')!
      .blocks.find((b) => b.kind === 'facts' && b.caption === 'The child');
    expect(child).toMatchObject({
      rows: expect.arrayContaining([
        ['Date of birth', '14 June 2017'],
        ['Sex', 'Female'],
        ['Year group', 'Year 5'],
        ['SEN provision', 'SEN support (K)'],
        ['Needs', 'Specific learning difficulty (SPLD): primary'],
        ['Attendance', '95%'],
      ]),
    });
  });

  it('anchors each item once, on its first block, and nests a label under a sub-heading', () => {
    const pack = examplePack();
    const blocks = packDocument(pack).sections.flatMap((s) => s.blocks);
    const planKey = pack.intervention.plans[0]!.key;
    expect(blocks.filter((b) => b.itemKey === planKey).map((b) => b.anchor)).toEqual([
      packAnchor(planKey),
      undefined,
    ]);
    expect(packAnchor(planKey)).toMatch(/^pack-plan-[0-9a-f-]{36}$/);
    const profile = packDocument(pack).sections.find((s) => s.key === 'childsViews')!.blocks;
    expect(
      profile.filter((b) => b.kind === 'labelled').map((b) => b.kind === 'labelled' && b.nested),
    ).toEqual([true, true, true, true]);
  });
});

describe('packFileName', () => {
  it('names the file by the child and the day, in ASCII', () => {
    const pack = examplePack();
    pack.child.surname = 'Łukasiewicz-Núñez';
    pack.child.forename = 'Zoë';
    expect(packFileName(pack, 'pdf')).toBe('lukasiewicz-nunez-zoe-ehc-request-2026-11-20.pdf');
    expect(packFileName(pack, 'json')).toBe('lukasiewicz-nunez-zoe-ehc-request-2026-11-20.json');
  });
});
