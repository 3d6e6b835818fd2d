import type { ChartTable } from '../presenters/charts.ts';
import type { ReportModel } from '../presenters/school-reports.ts';

/*
 * A school's SEN report as a web page for its own website: one standalone HTML file with its own small
 * style sheet, no script and no link back to OpenSEND, the charts as inline SVG images (each with its
 * title and description) and the table of their numbers beside them. Figures only: no pupil is named.
 */

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A web address in the school's words (http or https only) as a link; the text is escaped first. */
function linked(escaped: string): string {
  return escaped.replace(/\bhttps?:\/\/[^\s<>"]+/g, (url) => {
    const trail = /[.,;:!?)]+$/.exec(url)?.[0] ?? '';
    const href = url.slice(0, url.length - trail.length);
    return `<a href="${href}">${href}</a>${trail}`;
  });
}

function paragraphs(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${linked(escapeHtml(p)).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

function table(t: ChartTable): string {
  const head = t.head
    .map((h, i) => `<th scope="col"${i > 0 ? ' class="num"' : ''}>${escapeHtml(h)}</th>`)
    .join('');
  const rows = t.rows
    .map(
      (r) =>
        `<tr><th scope="row">${escapeHtml(r.heading)}</th>${r.cells.map((c) => `<td class="num">${escapeHtml(c)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table>\n<caption>${escapeHtml(t.caption)}</caption>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>`;
}

/** "sen-information-report-2026-27": a prefix for the ids of one report, so two on a page never clash. */
function idPrefix(model: ReportModel): string {
  return `${model.title} ${model.yearLabel}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** The chart's SVG with each of its ids (title, description, patterns) made the report's own. */
function ownIds(svg: string, chartId: string, prefix: string): string {
  const escaped = chartId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return svg.replace(new RegExp(`(?<=["#\\s])${escaped}(?=-)`, 'g'), `${prefix}-${chartId}`);
}

/**
 * The report's body, to paste into a page of the school's website: it starts at a second-level
 * heading (the page it goes on has its own first), and every id in it is the report's own.
 */
export function reportHtmlFragment(model: ReportModel): string {
  const prefix = idPrefix(model);
  const sections = model.sections.map((s) => {
    const parts = [
      `<section aria-labelledby="${prefix}-item-${s.key}">`,
      `<h3 id="${prefix}-item-${s.key}">${escapeHtml(s.heading)}</h3>`,
    ];
    if (s.text) parts.push(paragraphs(s.text));
    if (s.facts.length > 0)
      parts.push(
        `<dl>${s.facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`,
      );
    for (const c of s.charts)
      parts.push(
        c.svg
          ? `<figure><figcaption><strong>${escapeHtml(c.chart.title)}</strong></figcaption>${ownIds(c.svg, c.chart.id, prefix)}</figure>`
          : `<p><strong>${escapeHtml(c.chart.title)}</strong></p>\n<p>${escapeHtml(c.chart.description)}</p>`,
        table(c.table),
      );
    for (const t of s.tables) if (t.rows.length > 0) parts.push(table(t));
    parts.push('</section>');
    return parts.join('\n');
  });
  return [
    `<article class="sen-report">`,
    `<h2>${escapeHtml(model.title)}</h2>`,
    `<p>${escapeHtml(model.schoolName)}. ${escapeHtml(model.status)}</p>`,
    `<p>${escapeHtml(model.suppression)}</p>`,
    ...sections,
    '</article>',
  ].join('\n');
}

const STYLE = `body{font-family:Arial,Helvetica,sans-serif;color:#0b0c0c;line-height:1.5;max-width:48em;margin:0 auto;padding:1em}
h1{font-size:2em}h2{font-size:1.4em;margin-top:1.5em}
table{border-collapse:collapse;margin:1em 0;width:100%}caption{text-align:left;font-weight:bold;padding-bottom:.5em}
th,td{border-bottom:1px solid #b1b4b6;padding:.4em;text-align:left}.num{text-align:right}
figure{margin:1em 0}svg{max-width:100%;height:auto}dt{font-weight:bold}dd{margin:0 0 .5em 0}`;

/** The whole page, to download and publish as it is. */
export function reportHtmlDocument(model: ReportModel): string {
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${model.title}: ${model.schoolName}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(model.schoolName)}</h1>
${reportHtmlFragment(model)}
</main>
</body>
</html>
`;
}
