import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { buildStaff } from '../../../test/builders/index.ts';
import { freshDatabase } from '../../../test/db.ts';
import { docxWithoutDocument, htmlAfterPdfHeader } from '../../../test/report-files.ts';
import type { Database } from '../../db/client.ts';
import { readStoredFile } from '../../repositories/files.ts';
import { ValidationError } from './errors.ts';
import { downloadHeaders, judgeFile, storeFile } from './files.ts';

function pdfBytes(): Promise<Buffer> {
  return new Promise((resolve) => {
    const doc = new PDFDocument();
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.text('Educational psychology report');
    doc.end();
  });
}

function zipBytes(entries: Record<string, string>): Promise<Buffer> {
  return new Promise((resolve) => {
    const zip = new yazl.ZipFile();
    for (const [name, text] of Object.entries(entries)) zip.addBuffer(Buffer.from(text), name);
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.end();
  });
}

const docx = () =>
  zipBytes({
    '[Content_Types].xml':
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    '_rels/.rels': '<?xml version="1.0"?><Relationships/>',
    'word/document.xml': '<?xml version="1.0"?><w:document/>',
  });

// The smallest PNG: one transparent pixel.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

async function problemOf(bytes: Buffer): Promise<string> {
  try {
    await judgeFile(bytes, 'report');
    return 'kept';
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  }
}

describe('stored files', () => {
  let database: Database;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it('judges a file by its bytes: PDF, Word and images are kept, whatever the name says', async () => {
    expect(await judgeFile(await pdfBytes())).toEqual({ contentType: 'application/pdf', extension: 'pdf' });
    expect(await judgeFile(await docx())).toEqual({
      contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      extension: 'docx',
    });
    expect(await judgeFile(PNG)).toEqual({ contentType: 'image/png', extension: 'png' });
  });

  it('refuses a page, a script, an archive and an empty file, naming the field, whatever they are called', async () => {
    expect(await problemOf(Buffer.from('<html><script>alert(1)</script></html>'))).toBe(
      'report: The file must be a PDF, Word document, PNG image, JPEG image',
    );
    expect(await problemOf(Buffer.from('#!/bin/sh\nrm -rf /\n'))).toMatch(/must be a PDF/);
    expect(await problemOf(await zipBytes({ 'a.txt': 'not a document' }))).toMatch(/must be a PDF/);
    expect(await problemOf(Buffer.alloc(0))).toBe('report: The file is empty');
    // Judged by their first bytes a Word document and a PDF, but not whole ones.
    expect(await problemOf(await docxWithoutDocument())).toBe(
      'report: The file must be a PDF, Word document, PNG image, JPEG image: this one is not a whole Word document',
    );
    expect(htmlAfterPdfHeader.length).toBe(48);
    expect(await problemOf(htmlAfterPdfHeader)).toMatch(/^report: The file must be a PDF.*not a whole PDF$/);
    expect(await problemOf(Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(21 * 1024 * 1024)]))).toBe(
      'report: The file must be smaller than 20 MB',
    );
  });

  it('keeps the bytes with their hash, their owner, who uploaded them, and a safe name', async () => {
    const { actor } = await buildStaff(database.db, 'senco');
    const schoolId = actor.schoolId;
    const bytes = await pdfBytes();
    const stored = await database.db.transaction((tx) =>
      storeFile(tx, actor, { ownerId: schoolId, ownerKind: 'school' }, { name: '../EP report.exe', bytes }),
    );
    expect(stored.name).toBe('EP report.pdf');
    const row = await readStoredFile(database.db, schoolId, stored.id);
    expect(row).toMatchObject({
      ownerKind: 'school',
      contentType: 'application/pdf',
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      uploadedBy: actor.userId,
      uploadedByName: actor.name,
    });
    expect(Buffer.compare(row!.bytes, bytes)).toBe(0);
    // Another owner's id finds nothing.
    expect(await readStoredFile(database.db, '00000000-0000-4000-8000-000000000000', stored.id)).toBeNull();
  });

  it('goes out as a download that is never sniffed, run or cached', () => {
    const headers = downloadHeaders({
      name: 'Rapport d’EP “final”.pdf',
      contentType: 'application/pdf',
      size: 10,
    });
    expect(headers['content-disposition']).toBe(
      `attachment; filename="Rapport d_EP _final_.pdf"; filename*=UTF-8''${encodeURIComponent('Rapport d’EP “final”.pdf')}`,
    );
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['content-security-policy']).toContain('sandbox');
    expect(headers['cache-control']).toBe('private, no-store');
  });
});
