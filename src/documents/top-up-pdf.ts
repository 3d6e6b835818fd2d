import type { TopUpDocument } from '../presenters/top-up.ts';
import { TaggedPdf } from './pdf.ts';

/**
 * A school's application for high-needs top-up funding as a tagged PDF/UA (the shared set-up of
 * documents/pdf.ts): the pupil and the school, what is asked for and why, the year's costs against the
 * threshold, the current support plan with its targets, and the costed provision with its impact as a
 * real table.
 */
export function topUpPdf(doc: TopUpDocument): Promise<Buffer> {
  const pdf = new TaggedPdf({
    title: doc.title,
    author: doc.schoolName,
    subject: 'Application for high-needs top-up funding (element 3)',
  });
  pdf.paragraph(`${doc.schoolName}. Confidential: contains special category personal data.`, { small: true });
  pdf.heading(1, doc.title);
  pdf.table({
    header: ['About this application', 'Details'],
    rows: doc.summary.map((s) => [s.label, s.text]),
    widths: [150, '*'],
    rowHeadings: true,
  });
  pdf.heading(2, 'What the school asks for');
  for (const r of doc.request) pdf.labelled(r.label, r.text);
  pdf.heading(2, 'The cost of the pupil’s provision against the threshold');
  pdf.table({
    header: ['Cost', 'Amount'],
    rows: doc.costs.map((c) => [c.label, c.text]),
    widths: ['*', 120],
    rowHeadings: true,
  });
  pdf.heading(2, 'The costed provision and its impact');
  if (doc.provision.length === 0) pdf.paragraph('No costed provision this year.');
  else
    pdf.table({
      header: doc.provisionHeader,
      rows: doc.provision,
      widths: ['*', '*', 80, 60, '*', 60],
      small: true,
    });
  if (doc.plan) {
    pdf.heading(2, doc.plan.heading);
    for (const r of doc.plan.rows) pdf.labelled(r.label, r.text);
    if (doc.plan.targets.length > 0)
      pdf.table({
        header: ['Target', 'Achievement criteria', 'Outcome'],
        rows: doc.plan.targets,
        widths: ['*', '*', 90],
      });
  } else {
    pdf.heading(2, 'The current support plan');
    pdf.paragraph('The pupil has no support plan yet.');
  }
  return pdf.finish();
}
