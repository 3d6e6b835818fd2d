import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

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
