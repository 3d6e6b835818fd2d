import {
  barShapes,
  CHART_SIZE,
  type Chart,
  type ChartShape,
  lineShapes,
  SERIES_FILLS,
} from '../presenters/charts.ts';
import type { ReportModel } from '../presenters/school-reports.ts';
import { TaggedPdf } from './pdf.ts';

/*
 * A school's SEN report as a tagged PDF/UA (the shared set-up of every OpenSEND document): the title,
 * each item's heading and the school's words, its facts, and each chart drawn with pdfkit from the
 * same shapes as the SVG (bars told apart by fill and hatching, values written beside them), tagged as a
 * Figure whose alternative text is the chart's title and description, followed by a real table of its
 * numbers. The text stays text: selectable, searchable, read aloud.
 */

type Doc = TaggedPdf['doc'];

function drawChart(doc: Doc, chart: Chart, box: { x: number; y: number; width: number }) {
  const scale = box.width / CHART_SIZE.width;
  const X = (n: number) => box.x + n * scale;
  const Y = (n: number) => box.y + n * scale;
  const shapes: ChartShape[] = chart.kind === 'bars' ? barShapes(chart) : lineShapes(chart);
  const baseline = CHART_SIZE.height - CHART_SIZE.margin.bottom;
  doc.save();
  doc
    .moveTo(X(CHART_SIZE.margin.left), Y(baseline))
    .lineTo(X(CHART_SIZE.width - CHART_SIZE.margin.right), Y(baseline))
    .lineWidth(1)
    .strokeColor('#0b0c0c')
    .stroke();
  for (const s of shapes) drawShape(doc, s, X, Y, scale);
  // The key to the bars: each series' fill (hatched for the second) and its name. Lines are named at their ends.
  if (chart.kind === 'bars')
    chart.series.forEach((series, j) => {
      const lx = X(CHART_SIZE.width - CHART_SIZE.margin.right + 16);
      const ly = Y(CHART_SIZE.margin.top + 22 * j);
      swatch(doc, lx, ly, 10, 10, j);
      doc
        .fillColor('#0b0c0c')
        .fontSize(8)
        .text(series.label, lx + 14, ly + 1, { lineBreak: false });
    });
  doc.restore();
}

function swatch(doc: Doc, x: number, y: number, w: number, h: number, series: number) {
  const fill = SERIES_FILLS[series % SERIES_FILLS.length] as string;
  doc.save();
  if (series % 2 === 0) doc.rect(x, y, w, h).fillAndStroke(fill, '#0b0c0c');
  else {
    doc.rect(x, y, w, h).fillAndStroke('#ffffff', '#0b0c0c');
    doc.rect(x, y, w, h).clip();
    for (let d = -h; d < w; d += 4)
      doc
        .moveTo(x + d, y + h)
        .lineTo(x + d + h, y)
        .lineWidth(1.2)
        .strokeColor(fill)
        .stroke();
  }
  doc.restore();
}

function drawShape(
  doc: Doc,
  s: ChartShape,
  X: (n: number) => number,
  Y: (n: number) => number,
  scale: number,
) {
  if (s.type === 'rect') {
    if (s.height > 0) swatch(doc, X(s.x), Y(s.y), s.width * scale, s.height * scale, s.series);
    return;
  }
  if (s.type === 'path') {
    doc.save();
    doc.translate(X(0), Y(0)).scale(scale);
    doc
      .path(s.d)
      .lineWidth(3)
      .strokeColor(SERIES_FILLS[s.series % SERIES_FILLS.length] as string);
    if (s.series % 2 === 1) doc.dash(8, { space: 4 });
    doc.stroke().undash();
    doc.restore();
    return;
  }
  if (s.type === 'marker') {
    const fill = SERIES_FILLS[s.series % SERIES_FILLS.length] as string;
    if (s.series % 2 === 0) doc.circle(X(s.x), Y(s.y), 3).fillAndStroke(fill, '#0b0c0c');
    else doc.rect(X(s.x) - 3, Y(s.y) - 3, 6, 6).fillAndStroke(fill, '#0b0c0c');
    return;
  }
  doc.fillColor('#0b0c0c').fontSize(7);
  const width = doc.widthOfString(s.text);
  const x = s.anchor === 'middle' ? X(s.x) - width / 2 : s.anchor === 'end' ? X(s.x) - width : X(s.x);
  const y = Y(s.y) - 6;
  if (s.rotate) {
    doc.save();
    doc.rotate(30, { origin: [X(s.x), Y(s.y)] });
    doc.text(s.text, X(s.x), Y(s.y) - 4, { lineBreak: false });
    doc.restore();
  } else doc.text(s.text, x, y, { lineBreak: false });
}

export async function schoolReportPdf(model: ReportModel): Promise<Buffer> {
  const pdf = new TaggedPdf({ title: model.title, author: model.schoolName, subject: model.title });
  pdf.heading(1, model.title);
  pdf.paragraph(`${model.schoolName}. ${model.status}`);
  pdf.paragraph(model.suppression, { small: true });
  const chartHeight = (CHART_SIZE.height * (pdf.doc.page.width - 2 * 57)) / CHART_SIZE.width;
  for (const s of model.sections) {
    pdf.heading(2, s.heading);
    if (s.text) pdf.paragraphs(s.text);
    else if (s.missing) pdf.paragraph('Not written yet.');
    if (s.facts.length > 0) pdf.facts(s.facts);
    for (const c of s.charts) {
      // The heading goes with its chart: both on the next page when the chart would not fit below it.
      pdf.keepSpace(c.svg ? chartHeight + 40 : 60);
      pdf.heading(3, c.chart.title);
      if (c.svg)
        pdf.figure(`${c.chart.title}. ${c.chart.description}`, chartHeight, (box) =>
          drawChart(pdf.doc, c.chart, box),
        );
      else pdf.paragraph(c.chart.description);
      pdf.table({
        header: c.table.head,
        rows: c.table.rows.map((r) => [r.heading, ...r.cells]),
        rowHeadings: true,
      });
    }
    for (const t of s.tables) {
      if (t.rows.length === 0) continue;
      pdf.paragraph(t.caption, { bold: true });
      pdf.table({ header: t.head, rows: t.rows.map((r) => [r.heading, ...r.cells]), rowHeadings: true });
    }
  }
  return pdf.finish();
}
