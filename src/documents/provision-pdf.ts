import type { MapModel } from '../presenters/provision.ts';
import { TaggedPdf } from './pdf.ts';

/*
 * The termly provision map as a tagged PDF/UA on landscape A4, with the shared set-up of every
 * OpenSEND document (embedded font, en-GB, its title shown): a heading, the totals, and two real tables
 * (header cells scoped to their columns, the pupil's name as each row's heading).
 */
export async function provisionMapPdf(
  model: MapModel,
  options: { printedOn: string; schoolName?: string },
): Promise<Buffer> {
  const title = `Provision map: ${model.termLabel}`;
  const pdf = new TaggedPdf({ title, author: options.schoolName ?? 'OpenSEND', landscape: true });
  pdf.heading(1, title);
  pdf.paragraph(
    `Printed ${options.printedOn}. Confidential: contains special category personal data. Threshold for a high-needs top-up: ${model.thresholdText}.`,
    { small: true },
  );
  pdf.paragraph(
    `${model.totals.pupils} pupils; ${model.totals.time} a week in all; ${model.totals.termCost} this term; ${model.totals.over} over the threshold this year, ${model.totals.nearing} nearing it.`,
  );

  pdf.heading(2, 'Pupils');
  pdf.table({
    header: [
      'Pupil',
      'Year',
      'Stage and need',
      ...model.areas.map((a) => a.label),
      'Time a week',
      'This term',
      model.yearLabel,
    ],
    rows: model.rows.map((r) => [
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
    widths: [90, 45, 60, '*', '*', '*', '*', 55, 55, 70],
    rowHeadings: true,
    small: true,
  });

  pdf.heading(2, 'Interventions');
  pdf.table({
    header: ['Intervention', 'Area of need', 'Groups', 'Pupils', 'Time a week', 'This term'],
    rows: model.interventions.flatMap((a) =>
      a.rows.map((r) => [r.name, a.label, String(r.groups), String(r.pupils), r.time, r.termCost]),
    ),
    widths: ['*', 150, 50, 50, 90, 80],
    rowHeadings: true,
    small: true,
  });
  return pdf.finish();
}
