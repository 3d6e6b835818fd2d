import { ncYearLabel } from '../domain/calendar.ts';
import { formatDate } from '../domain/dates.ts';
import { PLAN_SECTION_SHORT } from '../domain/ehc-plan.ts';
import { type AnnualReviewReport, INVITATION_HOW } from '../domain/ehc-review.ts';

/*
 * The annual review report as a document to read (docs/adr/0038): the child and the plan, the meeting,
 * who was invited (with the notice each had) and who came, the advice, the child's and the parents'
 * views, each outcome of E with its progress and evidence, each item of provision with whether it was
 * delivered as specified, the changes proposed and the recommendation. One shape for the page and the
 * tagged PDF (documents/annual-review-pdf.ts), from the report exactly as sent.
 */

export type ReportBlock =
  | { kind: 'paragraph'; text: string }
  | { kind: 'labelled'; label: string; text: string }
  | { kind: 'facts'; caption: string; rows: [string, string][] }
  | { kind: 'table'; caption: string; header: string[]; rows: string[][] };

export interface ReportDocumentSection {
  key: string;
  heading: string;
  blocks: ReportBlock[];
}

export interface ReportDocument {
  title: string;
  schoolName: string;
  subtitle: string;
  sections: ReportDocumentSection[];
}

const orNone = (text: string | null | undefined, none = 'Not recorded') => (text?.trim() ? text : none);
const dateOr = (d: string | null, none = 'Not recorded') => (d ? formatDate(d) : none);

export function reportDocument(report: AnnualReviewReport): ReportDocument {
  const c = report.child;
  const name = `${c.forename} ${c.surname}`;
  const plan = report.plan;
  return {
    title: `Annual review of ${name}’s EHC plan: ${formatDate(report.meeting.meetingOn)}`,
    schoolName: report.school.name,
    subtitle: `${name}, born ${formatDate(c.birthDate)}, ${ncYearLabel(c.ncYear)}, UPN ${c.upn}. Report prepared on ${formatDate(report.preparedOn)} by ${report.completedBy.name}${report.completedBy.role ? ` (${report.completedBy.role})` : ''}.`,
    sections: [
      {
        key: 'plan',
        heading: '1. The plan and the meeting',
        blocks: [
          {
            kind: 'facts',
            caption: 'The plan and the meeting',
            rows: [
              ['Local authority', plan.localAuthority],
              [
                'The plan',
                plan.source === 'local_authority'
                  ? `Issued on ${formatDate(plan.issuedOn)}${plan.planVersion ? `, version ${plan.planVersion}` : ''}`
                  : `A plan from another local authority, issued on ${formatDate(plan.issuedOn)} (the school’s summary)`,
              ],
              ['Last review', dateOr(plan.lastReviewOn, 'None before this one')],
              ['Review due by', formatDate(report.meeting.dueOn)],
              [
                'Meeting',
                [formatDate(report.meeting.meetingOn), report.meeting.time, report.meeting.place]
                  .filter(Boolean)
                  .join(', '),
              ],
              ['Report due by', formatDate(report.meeting.reportDueOn)],
              ['School', `${report.school.name}${report.school.urn ? ` (URN ${report.school.urn})` : ''}`],
              [
                'Phase transfer',
                report.phaseTransfer
                  ? `Yes: the next school ${orNone(report.phaseTransfer.nextSchool, 'not yet named')}`
                  : 'No',
              ],
            ],
          },
        ],
      },
      {
        key: 'people',
        heading: '2. Who was invited and who came',
        blocks: [
          report.invitations.length
            ? {
                kind: 'table',
                caption: 'Invitations',
                header: ['Who', 'Name', 'How', 'Sent', 'Notice'],
                rows: report.invitations.map((i) => [
                  i.inviteeLabel,
                  i.name,
                  INVITATION_HOW[i.how],
                  dateOr(i.sentOn),
                  i.noticeDays === null
                    ? 'Not recorded'
                    : `${i.noticeDays} days${i.enoughNotice ? '' : ': less than two weeks'}`,
                ]),
              }
            : { kind: 'paragraph', text: 'No invitations recorded.' },
          {
            kind: 'table',
            caption: 'At the meeting',
            header: ['Who', 'Name'],
            rows: report.attendees.map((a) => [a.inviteeLabel, a.name]),
          },
          report.advice.length
            ? {
                kind: 'table',
                caption: 'Advice',
                header: ['From', 'Asked', 'Received', 'Circulated'],
                rows: report.advice.map((a) => [
                  a.from,
                  dateOr(a.askedOn),
                  dateOr(a.receivedOn, 'Not received'),
                  a.circulatedOn
                    ? `${formatDate(a.circulatedOn)}${a.circulatedInTime ? '' : ': less than two weeks before'}`
                    : 'Not circulated',
                ]),
              }
            : { kind: 'paragraph', text: 'No advice asked for.' },
        ],
      },
      {
        key: 'views',
        heading: '3. The child’s and the parents’ views',
        blocks: [
          { kind: 'labelled', label: 'The child’s views', text: orNone(report.views.child) },
          { kind: 'labelled', label: 'The parents’ views', text: orNone(report.views.parents) },
        ],
      },
      {
        key: 'outcomes',
        heading: '4. Progress toward the outcomes (section E)',
        blocks: report.outcomes.length
          ? [
              {
                kind: 'table',
                caption: 'Each outcome',
                header: ['Outcome', 'Progress', 'Evidence'],
                rows: report.outcomes.map((o, i) => [
                  `E${i + 1}: ${o.text}${o.by ? ` (by ${formatDate(o.by)})` : ''}`,
                  o.progressLabel,
                  o.evidence,
                ]),
              },
            ]
          : [{ kind: 'paragraph', text: 'The plan has no outcomes.' }],
      },
      {
        key: 'provision',
        heading: '5. The provision (sections F, G, H1 and H2)',
        blocks: report.provision.length
          ? [
              {
                kind: 'table',
                caption: 'Each item of provision',
                header: ['Provision', 'Who, how often, how long', 'Delivered', 'Comment'],
                rows: report.provision.map((p) => [
                  `${PLAN_SECTION_SHORT[p.section]}: ${p.what}`,
                  `${p.who}; ${p.frequency}; ${p.duration}`,
                  p.deliveryLabel,
                  p.comment || '',
                ]),
              },
            ]
          : [{ kind: 'paragraph', text: 'The plan specifies no provision.' }],
      },
      {
        key: 'recommendation',
        heading: '6. Changes proposed and the recommendation',
        blocks: [
          report.proposedChanges.length
            ? {
                kind: 'table',
                caption: 'Changes proposed',
                header: ['Section', 'Change'],
                rows: report.proposedChanges.map((c) => [c.sectionLabel, c.text]),
              }
            : { kind: 'paragraph', text: 'No changes proposed.' },
          { kind: 'labelled', label: 'Recommendation', text: report.recommendation.decisionLabel },
          { kind: 'labelled', label: 'Reasons', text: report.recommendation.reasons },
        ],
      },
    ],
  };
}

/** The files' name: "annual-review-report-2026-11-18.pdf" — no name of the child (files get forwarded). */
export function reportFileName(report: AnnualReviewReport, extension: 'pdf' | 'json'): string {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(report.meeting.meetingOn) ? report.meeting.meetingOn : 'undated';
  return `annual-review-report-${day}.${extension}`;
}
