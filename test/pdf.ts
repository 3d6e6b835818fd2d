import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PlanDocument } from '../src/presenters/plan.ts';

/** What poppler's pdftotext and pdfinfo make of a PDF. */
export function readPdf(bytes: Buffer) {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'opensend-pdf-')), 'document.pdf');
  writeFileSync(file, bytes);
  return {
    /** The text with runs of spaces and line breaks made single spaces (lines wrap anywhere). */
    text: execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' '),
    info: execFileSync('pdfinfo', [file], { encoding: 'utf8' }),
    fonts: execFileSync('pdffonts', [file], { encoding: 'utf8' }),
  };
}

/** Every piece of text in a document model (its strings and numbers, however deep). */
export function textsOf(model: unknown): string[] {
  if (typeof model === 'string') return [model];
  if (typeof model === 'number') return [String(model)];
  if (Array.isArray(model)) return model.flatMap(textsOf);
  if (model && typeof model === 'object') return Object.values(model).flatMap(textsOf);
  return [];
}

/** The text of every cell of a plan PDF's tables (see documents/plan-pdf.ts). */
export function planTableTexts(plan: PlanDocument): string[] {
  const labelled = (rows: { label: string; text: string }[]) => rows.flatMap((r) => [r.label, r.text]);
  return [
    ...labelled(plan.summary),
    ...(plan.provision?.rows.flatMap((r) => Object.values(r)) ?? []),
    ...(plan.advice?.rows.flatMap((r) => [
      `${r.text} (${r.kind})`,
      r.source,
      r.provision ? `${r.inPlan}. ${r.provision}` : r.inPlan,
    ]) ?? []),
    ...plan.targets.flatMap((t) => [
      t.source ? `${t.number}. ${t.target}\n${t.source}` : `${t.number}. ${t.target}`,
      t.area,
      t.criteria,
      t.resources,
      t.strategies,
      ...(plan.review ? [t.outcome, t.evidence] : []),
    ]),
    ...plan.targetChecks.flatMap((c) =>
      c.items.flatMap((i) => [`${i.number}. ${i.target}`, i.progress, i.note]),
    ),
    ...plan.notes.flatMap((n) => [n.date, n.about, n.by, n.text]),
    ...(plan.review ? labelled(plan.review.summary) : []),
  ];
}

/**
 * The words of `sources` that a PDF's text (from `readPdf`) does not hold whole: a word a table broke
 * across two lines ("Septem ber") is extracted as two pieces and found in neither. A word counts as whole
 * where no letter or digit touches it on either side (punctuation may: "School." holds "School").
 */
export function brokenWords(text: string, sources: readonly string[]): string[] {
  const words = new Set(sources.flatMap((s) => s.split(/\s+/)).filter(Boolean));
  const literal = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return [...words].filter(
    (word) => !new RegExp(`(?<![\\p{L}\\p{N}])${literal(word)}(?![\\p{L}\\p{N}])`, 'u').test(text),
  );
}

/**
 * The runs of letters and digits in a PDF's text that are in none of `known` (the document's own texts and
 * its renderer's headings): the pieces of a word broken across two lines ("Communicati", "on"), at least
 * one of which is not a word of its own. Catches a broken word that appears whole elsewhere too.
 */
export function fragments(text: string, known: readonly string[]): string[] {
  const runs = (s: string) => s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const words = new Set(known.flatMap(runs));
  return [...new Set(runs(text))].filter((run) => !words.has(run));
}

/** The height of each word pdftotext finds in a PDF (in points: about the size of its font). */
export function wordHeights(bytes: Buffer): { word: string; height: number }[] {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'opensend-pdf-')), 'document.pdf');
  writeFileSync(file, bytes);
  const html = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' });
  return [
    ...html.matchAll(/<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<\/word>/g),
  ].map((m) => ({ word: m[3] ?? '', height: Number(m[2]) - Number(m[1]) }));
}
