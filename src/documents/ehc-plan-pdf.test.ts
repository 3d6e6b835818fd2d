import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { examplePlanSections } from '../../test/builders/ehc-plans.ts';
import { PLAN_SECTIONS } from '../domain/ehc-plan.ts';
import { type EhcPlanDocumentInput, renderEhcPlanPdf } from './ehc-plan-pdf.ts';

/*
 * An EHC plan as a reader gets it: poppler's pdftotext finds the sections A–K in order, each separately
 * identified, with the numbered needs, outcomes and provision (who, what, how often, for how long) in
 * them; a draft says it is one; pdfinfo says it is tagged with its title shown; the structure tree has
 * one H2 a section and real tables.
 */

function poppler(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8' });
}

function input(stage: 'sent' | 'issued'): EhcPlanDocumentInput {
  return {
    organisationName: 'Northshire County Council',
    child: { name: 'Sam Taylor', dateOfBirth: '2017-06-14', upn: 'A123456789012' },
    plan: { upn: 'A123456789012' },
    version: {
      number: 1,
      stage,
      reason: 'new_plan',
      sections: examplePlanSections({ id: null, name: 'Oakfield Primary', urn: '123456' }),
      sentOn: '2026-10-20',
      commentsDueOn: '2026-11-03',
      issuedOn: stage === 'issued' ? '2026-11-10' : null,
    },
  };
}

async function written(stage: 'sent' | 'issued') {
  const bytes = await renderEhcPlanPdf(input(stage));
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'opensend-plan-')), 'plan.pdf');
  writeFileSync(file, bytes);
  return { file, text: poppler('pdftotext', ['-enc', 'UTF-8', file, '-']).replace(/\s+/g, ' ') };
}

function inOrder(text: string, parts: string[]) {
  let at = -1;
  return parts.filter((part) => {
    const found = text.indexOf(part, at + 1);
    if (found <= at) return true;
    at = found;
    return false;
  });
}

describe('an EHC plan as a tagged PDF', () => {
  it('reads sections A to K in order, each with its numbered items', async () => {
    const { text } = await written('issued');
    expect(inOrder(text, Object.values(PLAN_SECTIONS))).toEqual([]);
    expect(
      inOrder(text, [
        'EHC plan: Sam Taylor',
        '14 June 2017',
        'Issued as final',
        PLAN_SECTIONS.a,
        'train driver',
        PLAN_SECTIONS.b,
        'B1',
        'Speech, language and communication needs',
        PLAN_SECTIONS.e,
        'Outcome E1',
        'Needs it meets',
        'B1:',
        'Provision that serves it',
        'F1:',
        PLAN_SECTIONS.f,
        'F1: A speech and language programme',
        'Three times a week',
        '30 minutes each time',
        PLAN_SECTIONS.i,
        'Oakfield Primary, URN 123456',
        PLAN_SECTIONS.k,
        'Educational psychology advice',
      ]),
    ).toEqual([]);
    expect(text).not.toContain('This is not the final plan');
  });

  it('says a draft is not the final plan', async () => {
    const { text } = await written('sent');
    expect(text).toContain('Draft EHC plan: Sam Taylor');
    expect(text).toContain('This is not the final plan');
  });

  it('is tagged in British English with its title shown, one H2 a section, and real tables', async () => {
    const { file } = await written('issued');
    const info = poppler('pdfinfo', [file]);
    expect(info).toMatch(/^Tagged:\s+yes$/m);
    expect(info).toMatch(/^Title:\s+EHC plan: Sam Taylor$/m);
    expect(info).toMatch(/^Author:\s+Northshire County Council$/m);
    const structure = poppler('pdfinfo', ['-struct', file]);
    for (const tag of ['Document', 'H1', 'H2', 'H3', 'Table', 'TH', 'TD', 'P'])
      expect(structure, tag).toMatch(new RegExp(`^\\s*${tag}\\b`, 'm'));
    expect(structure.match(/^\s*H2\b/gm)).toHaveLength(12);
  });
});
