import PDFDocument from 'pdfkit';
import type { MapModel } from '../presenters/provision.ts';

/*
 * The termly provision map as a tagged PDF (British English, its title shown): a heading, the totals,
 * and two real tables (header cells scoped to their columns, the pupil's name as each row's heading),
 * on landscape A4. It uses the PDF standard fonts (Helvetica), so it needs no font files; names with
 * letters outside Western European ones are not embedded and should move to an embedded font when the
 * application gains one for its documents.
 */

type Doc = InstanceType<typeof PDFDocument>;
type Struct = ReturnType<Doc['struct']>;

function block(doc: Doc, root: Struct, tag: string, draw: () => void) {
  const element = doc.struct(tag, {}, [draw]);
  root.add(element);
  element.end();
}

function table(doc: Doc, root: Struct, header: string[], rows: string[][], widths: (number | '*')[]) {
  const th = (text: string, scope: 'Column' | 'Row') => ({ text, type: 'TH', scope, font: { src: 'bold' } });
  doc.moveDown(0.3);
  doc.font('regular').fontSize(8);
  doc.table({
    structParent: root,
    columnStyles: widths.map((width) => ({ width })),
    defaultStyle: { padding: 3, border: 0.5, borderColor: '#b1b4b6' },
    data: [
      header.map((h) => th(h, 'Column')),
      ...rows.map((r) => r.map((c, i) => (i === 0 ? th(c, 'Row') : { text: c }))),
    ],
  } as Parameters<Doc['table']>[0]);
  doc.x = doc.page.margins.left;
  doc.moveDown(0.6);
}

export async function provisionMapPdf(
  model: MapModel,
  options: { printedOn: string; schoolName?: string },
): Promise<Buffer> {
  const title = `Provision map: ${model.termLabel}`;
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 40,
    pdfVersion: '1.7',
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    font: 'Helvetica',
    info: { Title: title, Author: options.schoolName ?? 'OpenSEND', Creator: 'OpenSEND' },
  });
  doc.registerFont('regular', 'Helvetica');
  doc.registerFont('bold', 'Helvetica-Bold');
  const chunks: Uint8Array[] = [];
  doc.on('data', (c: Uint8Array) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  const root = doc.struct('Document');
  doc.addStructure(root);

  block(doc, root, 'H1', () => doc.font('bold').fontSize(16).text(title, { paragraphGap: 4 }));
  block(doc, root, 'P', () =>
    doc
      .font('regular')
      .fontSize(9)
      .text(
        `Printed ${options.printedOn}. Confidential: contains special category personal data. Threshold for a high-needs top-up: ${model.thresholdText}.`,
        { paragraphGap: 4 },
      ),
  );
  block(doc, root, 'P', () =>
    doc
      .font('regular')
      .fontSize(10)
      .text(
        `${model.totals.pupils} pupils; ${model.totals.time} a week in all; ${model.totals.termCost} this term; ${model.totals.over} over the threshold this year, ${model.totals.nearing} nearing it.`,
        { paragraphGap: 6 },
      ),
  );

  block(doc, root, 'H2', () => doc.font('bold').fontSize(12).text('Pupils', { paragraphGap: 2 }));
  table(
    doc,
    root,
    [
      'Pupil',
      'Year',
      'Stage and need',
      ...model.areas.map((a) => a.label),
      'Time a week',
      'This term',
      model.yearLabel,
    ],
    model.rows.map((r) => [
      r.name,
      r.yearGroup,
      [r.stage, r.primaryNeed].filter(Boolean).join(', '),
      ...model.areas.map((a) =>
        r.cells[a.area].map((c) => `${c.intervention}: ${c.time}, ${c.cost}`).join('\n'),
      ),
      r.time,
      r.termCost,
      `${r.yearCost}\n${r.statusText}`,
    ]),
    [90, 45, 60, '*', '*', '*', '*', 55, 55, 70],
  );

  block(doc, root, 'H2', () => doc.font('bold').fontSize(12).text('Interventions', { paragraphGap: 2 }));
  table(
    doc,
    root,
    ['Intervention', 'Area of need', 'Groups', 'Pupils', 'Time a week', 'This term'],
    model.interventions.flatMap((a) =>
      a.rows.map((r) => [r.name, a.label, String(r.groups), String(r.pupils), r.time, r.termCost]),
    ),
    ['*', 150, 50, 50, 90, 80],
  );

  root.end();
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}
