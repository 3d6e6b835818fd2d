import { describe, expect, it } from 'vitest';
import { fileProblem, MAX_FILE_BYTES, storedFileName } from './files.ts';

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
