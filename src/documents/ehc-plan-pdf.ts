import { formatDate, type IsoDate } from '../domain/dates.ts';
import {
  PLAN_VERSION_REASONS,
  PLAN_VERSION_STAGES,
  type PlanSections,
  type PlanVersionReason,
  type PlanVersionStage,
} from '../domain/ehc-plan.ts';
import { planView } from '../presenters/ehc-plan.ts';
import { TaggedPdf } from './pdf.ts';

/*
 * One version of an EHC plan as a tagged PDF/UA (the shared set-up of documents/pdf.ts, as the request
 * pack's): the child and the version in the title and H1; each section A–K an H2 with its heading as the
 * regulations name it (reg 12: separately identified); needs, outcomes and provision numbered as on the
 * page (B1, E2, F3) from the one presenter (presenters/ehc-plan.ts), provision as who, what, how often,
 * for how long, and the needs and outcomes it is linked to. A draft says it is a draft on every reading.
 */

export interface EhcPlanDocumentInput {
  organisationName: string;
  child: { name: string; dateOfBirth: IsoDate | null; upn: string } | null;
  plan: { upn: string };
  version: {
    number: number;
    stage: PlanVersionStage;
    reason: PlanVersionReason;
    sections: PlanSections;
    sentOn: IsoDate | null;
    commentsDueOn: IsoDate | null;
    issuedOn: IsoDate | null;
  };
}

const links = (items: { ref: string; text: string }[]) =>
  items.length === 0 ? 'None given' : items.map((l) => (l.ref ? `${l.ref}: ${l.text}` : l.text)).join('; ');

export function renderEhcPlanPdf(input: EhcPlanDocumentInput): Promise<Buffer> {
  const { version } = input;
  const childName = input.child?.name || 'The child';
  const draft = version.stage !== 'issued';
  const kind = draft
    ? version.reason === 'new_plan'
      ? 'Draft EHC plan'
      : 'Proposed amendments to the EHC plan'
    : 'EHC plan';
  const title = `${kind}: ${childName}`;
  const pdf = new TaggedPdf({
    title,
    author: input.organisationName,
    subject: 'Education, health and care plan',
  });
  pdf.paragraph(`${input.organisationName}. Confidential: contains special category personal data.`, {
    small: true,
  });
  pdf.heading(1, title);
  pdf.table(
    {
      header: ['', ''],
      rows: [
        ['Child', childName],
        ['Date of birth', input.child?.dateOfBirth ? formatDate(input.child.dateOfBirth) : 'Not given'],
        ['UPN', input.child?.upn ?? input.plan.upn],
        ['Version', `${version.number}: ${PLAN_VERSION_REASONS[version.reason]}`],
        ['Where it stands', PLAN_VERSION_STAGES[version.stage]],
        ...(version.sentOn ? [['Sent to the parents', formatDate(version.sentOn)]] : []),
        ...(version.commentsDueOn ? [['Their comments by', formatDate(version.commentsDueOn)]] : []),
        ...(version.issuedOn ? [['Issued', formatDate(version.issuedOn)]] : []),
      ],
      rowHeadings: true,
      widths: [150, '*'],
    },
    false,
  );
  if (version.stage === 'not_issued')
    pdf.paragraph(
      'This version was never issued: the plan ceased while it was being written or with the parents.',
      {
        bold: true,
      },
    );
  else if (draft)
    pdf.paragraph('This is not the final plan: it may change after the parents’ comments.', { bold: true });
  for (const section of planView(version.sections).sections) {
    pdf.heading(2, section.heading);
    switch (section.kind) {
      case 'text':
        if (section.text) pdf.paragraphs(section.text);
        else pdf.paragraph(`Nothing written in ${section.short}.`);
        break;
      case 'needs':
        if (section.needs.length === 0) pdf.paragraph(`No needs in ${section.short}.`);
        else
          pdf.table({
            header: section.key === 'b' ? ['Number', 'Need', 'Type of need'] : ['Number', 'Need'],
            rows: section.needs.map((n) =>
              section.key === 'b' ? [n.ref, n.text, n.needType ?? 'Not given'] : [n.ref, n.text],
            ),
            widths: section.key === 'b' ? [50, '*', 120] : [50, '*'],
            rowHeadings: true,
          });
        break;
      case 'outcomes':
        if (section.outcomes.length === 0) pdf.paragraph('No outcomes in Section E.');
        for (const o of section.outcomes) {
          pdf.heading(3, `Outcome ${o.ref}`);
          pdf.paragraphs(o.text);
          pdf.labelled('By', o.by ?? 'Not given');
          pdf.labelled('Needs it meets', links(o.needs));
          pdf.labelled('Provision that serves it', links(o.provision));
        }
        break;
      case 'provision':
        if (section.provision.length === 0) pdf.paragraph(`No provision in ${section.short}.`);
        for (const p of section.provision) {
          pdf.heading(3, `${p.ref}: ${p.what}`);
          pdf.table(
            {
              header: ['', ''],
              rows: [
                ['Who', p.who || 'Not given'],
                ['How often', p.frequency || 'Not given'],
                ['For how long', p.duration || 'Not given'],
                ['Needs it meets', links(p.needs)],
                ['Outcomes it serves', links(p.outcomes)],
                ...(p.socialCareKind ? [['Kind of social care', p.socialCareKind]] : []),
              ],
              rowHeadings: true,
              widths: [130, '*'],
            },
            false,
          );
        }
        break;
      case 'placement':
        pdf.paragraph(
          section.placement
            ? [
                section.placement.name,
                section.placement.urn ? `URN ${section.placement.urn}` : null,
                section.placement.kind,
              ]
                .filter(Boolean)
                .join(', ')
            : 'No school is named in a draft plan.',
        );
        break;
      case 'advice':
        if (section.advice.length === 0) pdf.paragraph('No advice listed.');
        else
          pdf.table({
            header: ['Number', 'Advice', 'From', 'Received'],
            rows: section.advice.map((a) => [a.ref, a.title, a.source, a.receivedOn ?? 'Not given']),
            widths: [50, '*', 150, 80],
            rowHeadings: true,
          });
        break;
    }
  }
  return pdf.finish();
}
