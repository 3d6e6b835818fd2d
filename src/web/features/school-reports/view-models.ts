import { reportModel } from '../../../presenters/school-reports.ts';
import type { SchoolReportService } from '../../../services/school-reports/index.ts';

type ReportResult = Awaited<ReturnType<SchoolReportService['report']>>;

/** The report as its page, its website HTML and its PDF show it: one model. */
export function reportPageModel(found: ReportResult) {
  return reportModel({
    kind: found.report.kind,
    kindLabel: found.report.kindLabel,
    schoolName: found.schoolName,
    yearLabel: found.report.yearLabel,
    publishedAt: found.report.publishedAt,
    texts: found.texts,
    figures: found.figures,
  });
}

/** "sen-information-report-2026-27.pdf" */
export function reportFileName(found: ReportResult, extension: 'pdf' | 'html'): string {
  const kind = found.report.kind === 'sen_information' ? 'sen-information-report' : 'governors-sen-report';
  return `${kind}-${found.report.yearLabel.replace('/', '-')}.${extension}`;
}
