import { deflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';
import yazl from 'yazl';

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

/** A PDF with objects added after pdfkit's own (as an incremental update would add them). */
export async function pdfWith(...objects: (string | Buffer)[]): Promise<Buffer> {
  return Buffer.concat([
    await reportPdf(),
    ...objects.map((o) => (typeof o === 'string' ? Buffer.from(`\n${o}\n`) : o)),
  ]);
}

/** A PDF whose action and script are named with `#xx` escapes, which a reader undoes. */
export const pdfWithEscapedScript = () =>
  pdfWith(
    '9 0 obj << /Type /Catalog /Pages 1 0 R /Open#41ction 10 0 R >> endobj',
    '10 0 obj << /Type /Action /S /J#61vaScript /J#53 (app.alert(1)) >> endobj',
  );

/** A stream object of a PDF, its dictionary given and its length filled in. */
export function pdfStream(number: number, dictionary: string, data: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`\n${number} 0 obj\n<< ${dictionary} /Length ${data.length} >>\nstream\n`),
    data,
    Buffer.from('\nendstream\nendobj\n'),
  ]);
}

/** Two objects, an action that runs JavaScript and a catalogue that opens with it, as an object stream's contents. */
export function objectStreamContents(): { first: number; data: Buffer } {
  const objects = [
    '<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>',
    '<< /Type /Catalog /Pages 1 0 R /OpenAction 10 0 R >>',
  ];
  const header = `10 0 11 ${objects[0]!.length + 1} `;
  return { first: header.length, data: Buffer.from(header + objects.join(' ')) };
}

/** A PDF whose /OpenAction and /JavaScript are inside a compressed object stream. */
export const pdfWithScriptInObjectStream = (
  dictionary = '/Type /ObjStm /N 2 /First {first} /Filter /FlateDecode',
) => {
  const { first, data } = objectStreamContents();
  return pdfWith(pdfStream(12, dictionary.replace('{first}', String(first)), deflateSync(data)));
};

/** A ZIP of these entries. */
export function zipBytes(entries: Record<string, string | Buffer>): Promise<Buffer> {
  return new Promise((resolve) => {
    const zip = new yazl.ZipFile();
    for (const [name, content] of Object.entries(entries))
      zip.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content), name);
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.end();
  });
}

const WORD_CONTENT_TYPES =
  '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';

/** The smallest Word document: its content types, its relationships, its document. */
export const wordDocument = () =>
  zipBytes({
    '[Content_Types].xml': WORD_CONTENT_TYPES,
    '_rels/.rels': '<?xml version="1.0"?><Relationships/>',
    'word/document.xml': '<?xml version="1.0"?><w:document/>',
  });

/** A ZIP that declares a Word document and holds a program and a web page instead. */
export const docxWithoutDocument = () =>
  zipBytes({
    '[Content_Types].xml': WORD_CONTENT_TYPES,
    'payload.exe': Buffer.from('MZ\x90\x00 this program cannot be run in DOS mode', 'latin1'),
    'index.html': '<html><script>alert(1)</script></html>',
  });

/** 48 bytes: a PDF's header, then a web page. */
export const htmlAfterPdfHeader = Buffer.from('%PDF-1.4\n<html><script>alert(1)</script></html>\n');
