import type { PlanDocument } from '../presenters/plan.ts';
import { TaggedPdf } from './pdf.ts';

/**
 * A support plan as a tagged PDF/UA: the pupil and the plan in a title and H1, the school's name,
 * H2 sections, the targets as a real table, the working document's notes and, once reviewed, the
 * review record with each target's outcome.
 */
export function planPdf(plan: PlanDocument): Promise<Buffer> {
  const pdf = new TaggedPdf({ title: plan.title, author: plan.schoolName, subject: plan.planName });
  pdf.paragraph(`${plan.schoolName}. Confidential: contains special category personal data.`, {
    small: true,
  });
  pdf.heading(1, plan.title);
  pdf.table({
    header: ['About this plan', 'Details'],
    rows: plan.summary.map((s) => [s.label, s.text]),
    widths: [150, '*'],
    rowHeadings: true,
  });
  pdf.heading(2, 'Areas of need this plan addresses');
  pdf.paragraph(plan.needAreas.length ? plan.needAreas.join('\n') : 'None chosen');
  pdf.heading(2, 'One-page profile');
  for (const p of plan.profile) pdf.labelled(p.label, p.text);
  if (plan.ownWords) {
    pdf.heading(2, plan.ownWords.heading);
    for (const part of plan.ownWords.parts) {
      pdf.heading(3, part.title);
      for (const item of part.items) pdf.labelled(item.label, item.text);
    }
  }
  for (const section of plan.sections) {
    pdf.heading(2, section.heading);
    for (const item of section.items) pdf.labelled(item.label, item.text);
  }
  if (plan.provision) {
    pdf.heading(2, plan.provision.heading);
    if (plan.provision.rows.length === 0) pdf.paragraph(plan.provision.empty);
    else {
      pdf.table({
        header: ['Intervention', 'Group', 'Delivered by', 'Sessions', 'Dates', 'Missed sessions'],
        rows: plan.provision.rows.map((r) => [
          r.intervention,
          r.group,
          r.deliveredBy,
          r.frequency,
          r.dates,
          r.missed,
        ]),
        widths: ['*', '*', '*', 80, 80, '*'],
      });
      pdf.paragraph(plan.provision.time);
    }
  }
  if (plan.advice) {
    pdf.heading(2, plan.advice.heading);
    if (plan.advice.rows.length === 0) pdf.paragraph(plan.advice.empty);
    else
      pdf.table({
        header: ['Recommendation', 'Where it came from', 'In this plan'],
        rows: plan.advice.rows.map((r) => [
          `${r.text} (${r.kind})`,
          r.source,
          r.provision ? `${r.inPlan}. ${r.provision}` : r.inPlan,
        ]),
        widths: ['*', '*', '*'],
      });
  }
  pdf.heading(2, 'Targets');
  if (plan.targets.length === 0) pdf.paragraph('No targets yet.');
  else
    pdf.table({
      header: [
        'Target',
        'Area',
        'Achievement criteria',
        'Resources and techniques',
        'Class strategies and support',
      ],
      rows: plan.targets.map((t) => [
        t.source ? `${t.number}. ${t.target}\n${t.source}` : `${t.number}. ${t.target}`,
        t.area,
        t.criteria,
        t.resources,
        t.strategies,
      ]),
      widths: ['*', 70, '*', '*', '*'],
    });
  if (plan.targetChecks.length > 0) {
    pdf.heading(2, 'Half-termly target checks');
    for (const c of plan.targetChecks) {
      pdf.heading(3, `${c.title}: ${c.checked.replace(/^Checked/, 'checked')}`);
      pdf.table({
        header: ['Target', 'How it is going', 'Note'],
        rows: c.items.map((i) => [`${i.number}. ${i.target}`, i.progress, i.note]),
        widths: ['*', 90, '*'],
      });
    }
  }
  pdf.heading(2, 'Notes on the plan');
  if (plan.notes.length === 0) pdf.paragraph('No notes yet.');
  else
    pdf.table({
      header: ['Date', 'About', 'Written by', 'Note'],
      rows: plan.notes.map((n) => [n.date, n.about, n.by, n.text]),
      widths: [70, 60, 100, '*'],
    });
  if (plan.review) {
    pdf.heading(2, 'Review');
    pdf.table({
      header: ['Review', 'Details'],
      rows: plan.review.summary.map((s) => [s.label, s.text]),
      widths: [150, '*'],
      rowHeadings: true,
    });
    pdf.heading(3, 'Outcome of each target');
    pdf.table({
      header: ['Target', 'Outcome', 'Evidence'],
      rows: plan.targets.map((t) => [`${t.number}. ${t.target}`, t.outcome, t.evidence]),
      widths: ['*', 90, '*'],
    });
    pdf.heading(3, 'Views at the review');
    for (const v of plan.review.views) pdf.labelled(v.label, v.text);
  }
  return pdf.finish();
}
