import PDFDocument from 'pdfkit';

/**
 * The file of an agency's report in the demo school: a short letter-like PDF (a title, who wrote it,
 * and its paragraphs), so that the report page has a real file to download.
 */
export function demoReportPdf(report: {
  title: string;
  author: string;
  paragraphs: string[];
}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: 56,
      info: { Title: report.title, Author: report.author },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.fontSize(16).text(report.title);
    doc.moveDown(0.5).fontSize(11).text(report.author);
    for (const p of report.paragraphs) doc.moveDown().text(p);
    doc.end();
  });
}
