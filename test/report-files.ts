import PDFDocument from 'pdfkit';

/* Files a professional's report arrives as, good and hostile, for service, route and security tests. */

export function reportPdf(text = 'Speech and language assessment'): Promise<Buffer> {
  return new Promise((resolve) => {
    const doc = new PDFDocument();
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.text(text);
    doc.end();
  });
}

/** A PDF that runs JavaScript when it is opened. */
export async function pdfWithScript(): Promise<Buffer> {
  return Buffer.concat([
    await reportPdf(),
    Buffer.from('\n9 0 obj << /Type /Action /S /JavaScript /JS (app.alert(1)) >> endobj\n'),
  ]);
}

/** A text file named as a PDF. */
export const notAPdf = Buffer.from('This is not a PDF, whatever its name says.\n');
