import { describe, expect, it } from 'vitest';
import {
  docxWithoutDocument,
  htmlAfterPdfHeader,
  reportPdf,
  wordDocument,
  zipBytes,
} from '../../test/report-files.ts';
import { fileProblem, MAX_FILE_BYTES, storedFileName, wholeFileProblem, zipEntryNames } from './files.ts';

describe('files people may upload', () => {
  it('keeps PDFs, Word documents and images within the size limit, and says why it refuses others', () => {
    expect(fileProblem(1000, 'application/pdf')).toBeNull();
    expect(fileProblem(0, 'application/pdf')).toBe('The file is empty');
    expect(fileProblem(MAX_FILE_BYTES + 1, 'application/pdf')).toBe('The file must be smaller than 20 MB');
    expect(fileProblem(1000, 'text/html')).toBe(
      'The file must be a PDF, Word document, PNG image, JPEG image',
    );
    expect(fileProblem(1000, null)).toMatch(/must be a PDF/);
  });

  it('keeps the last part of the name sent, without hidden or path characters, ending as the file really is', () => {
    expect(storedFileName('C:\\Users\\senco\\EP report (final).pdf', 'pdf')).toBe('EP report (final).pdf');
    expect(storedFileName('../../etc/passwd', 'pdf')).toBe('passwd.pdf');
    expect(storedFileName('report\u202Efdp.exe', 'pdf')).toBe('reportfdp.pdf');
    expect(storedFileName('"quoted";name.docx', 'docx')).toBe('quotedname.docx');
    expect(storedFileName('photo.png.html', 'png')).toBe('photo.png.png');
    expect(storedFileName('', 'jpg')).toBe('file.jpg');
    expect(storedFileName(`${'x'.repeat(300)}.pdf`, 'pdf')).toHaveLength(114);
  });
});

describe('whole files, not just their first bytes', () => {
  const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

  it('reads the names of a ZIP’s entries from its central directory, and nothing from what is not a ZIP', async () => {
    expect(zipEntryNames(await wordDocument())).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'word/document.xml',
    ]);
    const zip = await zipBytes({ 'a.txt': 'x' });
    expect(zipEntryNames(zip)).toEqual(['a.txt']);
    expect(zipEntryNames(zip.subarray(0, zip.length - 10))).toBeNull();
    expect(zipEntryNames(Buffer.from('PK not really a zip'))).toBeNull();
    expect(zipEntryNames(Buffer.alloc(0))).toBeNull();
  });

  it('refuses a "Word document" that holds no document, and a PDF header followed by a web page', async () => {
    expect(wholeFileProblem(DOCX, await wordDocument())).toBeNull();
    expect(wholeFileProblem(DOCX, await docxWithoutDocument())).toBe(
      'The file must be a PDF, Word document, PNG image, JPEG image: this one is not a whole Word document',
    );
    expect(wholeFileProblem('application/pdf', await reportPdf())).toBeNull();
    expect(wholeFileProblem('application/pdf', htmlAfterPdfHeader)).toMatch(
      /^The file must be a PDF.*not a whole PDF$/,
    );
    // An end-of-file marker but no object, and objects with the marker too far from the end.
    expect(wholeFileProblem('application/pdf', Buffer.from('%PDF-1.4\n<html></html>\n%%EOF\n'))).toMatch(
      /not a whole PDF/,
    );
    const pdf = await reportPdf();
    expect(wholeFileProblem('application/pdf', Buffer.concat([pdf, Buffer.alloc(2000, 0x20)]))).toMatch(
      /not a whole PDF/,
    );
    expect(wholeFileProblem('image/png', Buffer.from('anything'))).toBeNull();
  });
});
