import { SERVICE_KIND_LABELS } from '../domain/agencies.ts';
import { ncYearLabel } from '../domain/calendar.ts';
import { AREA_LABELS, type AreaOfNeed, needLabel } from '../domain/census.ts';
import { formatDate } from '../domain/dates.ts';
import { ASSESSMENT_CONSENT_HOW, REQUESTED_BY } from '../domain/ehc.ts';
import { type EvidencePack, PACK_SECTIONS, type PackSection } from '../domain/ehc-pack.ts';
import { FLAG_LABELS } from '../domain/flags.ts';
import { formatPence } from '../domain/provision-costs.ts';
import { minutesText } from '../domain/provision-summary.ts';
import { stageLabel } from '../domain/register.ts';

/*
 * An evidence pack as a document: one shape for the tagged PDF (documents/ehc-pack-pdf.ts) and the
 * read-only HTML (the `ehcPack` macro in web/views/ehc-pack.njk). The nine sections of the request in
 * order, each a list of blocks: facts (a two-column table with row headings), tables with a caption and
 * column headings, sub-headings and paragraphs. Every date is formatted, every code given its words,
 * every empty part says so. A block that is a leavable item carries its key.
 */

interface ItemOf {
  /** The leavable item the block belongs to (ehc-pack.ts keys). */
  itemKey?: string;
  /** On the first block of each item: an id for it on a page ("pack-plan-<id>"). */
  anchor?: string;
}

export type PackBlock = ItemOf &
  (
    | { kind: 'heading'; text: string }
    | { kind: 'paragraph'; text: string }
    /** A label (a heading on a page: under the section's sub-heading when `nested`) and typed text. */
    | { kind: 'labelled'; label: string; text: string; nested?: boolean }
    | { kind: 'facts'; caption: string; rows: [string, string][] }
    | {
        kind: 'table';
        caption: string;
        header: string[];
        rows: string[][];
        /** Where each row is a leavable item: its key (tagged when left out) and its id on a page. */
        rowItems?: { key: string; anchor: string }[];
      }
  );

export interface PackDocumentSection {
  key: PackSection;
  heading: string;
  blocks: PackBlock[];
}

export interface PackDocument {
  title: string;
  schoolName: string;
  /** The line under the title: who the child is, when it was prepared. */
  subtitle: string;
  sections: PackDocumentSection[];
}

const area = (a: AreaOfNeed | null) => (a ? AREA_LABELS[a] : 'Not given');
const orNone = (text: string | null | undefined, none = 'Not recorded') => (text?.trim() ? text : none);
const dateOrOngoing = (d: string | null) => (d ? formatDate(d) : 'Continuing');

export function packDocument(pack: EvidencePack): PackDocument {
  const c = pack.child;
  const name = `${c.forename} ${c.surname}`;
  const sections: PackDocumentSection[] = [];
  const section = (key: PackSection, blocks: PackBlock[]) =>
    sections.push({ key, heading: PACK_SECTIONS[key], blocks });

  section('completedBy', [
    {
      kind: 'facts',
      caption: 'The person completing this request',
      rows: [
        ['Name', pack.completedBy.name],
        ['Role', orNone(pack.completedBy.role)],
        ['Email', orNone(pack.completedBy.email)],
        ['Phone', orNone(pack.completedBy.phone)],
        [
          'Requested by',
          pack.requestingParent
            ? `${REQUESTED_BY[pack.requestedBy]}: ${pack.requestingParent.name} (${pack.requestingParent.relationship})`
            : REQUESTED_BY[pack.requestedBy],
        ],
        ['Prepared on', formatDate(pack.preparedOn)],
      ],
    },
    ...(pack.parentRequest
      ? [
          {
            kind: 'labelled' as const,
            label: 'The parent’s request, in their own words',
            text: pack.parentRequest,
          },
        ]
      : []),
  ]);

  section('checklist', [
    {
      kind: 'table',
      caption: 'What local authorities usually expect, and whether this request has it',
      header: ['Expected', 'In this request', 'Detail'],
      rows: pack.checklist.map((ch) => [ch.expectation, ch.met ? 'Yes' : 'Missing', ch.detail]),
    },
  ]);

  section('childAndSchool', [
    {
      kind: 'facts',
      caption: 'The child',
      rows: [
        ['Name', c.preferredName ? `${name} (known as ${c.preferredName})` : name],
        ['Date of birth', formatDate(c.birthDate)],
        ['Sex', c.sex === 'F' ? 'Female' : 'Male'],
        ['Unique pupil number (UPN)', c.upn],
        ['Year group', ncYearLabel(c.ncYear)],
        ['SEN provision', stageLabel(c.senProvision)],
        [
          'Needs',
          c.senTypes.length
            ? c.senTypes
                .map((t) => `${needLabel(t.senType)}: ${t.senTypeRank === 1 ? 'primary' : 'secondary'}`)
                .join('\n')
            : 'None recorded',
        ],
        ['Attendance', c.attendancePercent === null ? 'Not recorded' : `${c.attendancePercent}%`],
        [
          'Other factors',
          c.contextFactors.length ? c.contextFactors.map((f) => FLAG_LABELS[f]).join('\n') : 'None recorded',
        ],
        ['Medical notes', orNone(c.medicalNotes)],
      ],
    },
    {
      kind: 'facts',
      caption: 'The school',
      rows: [
        ['School', pack.school.name],
        ['URN', orNone(pack.school.urn)],
        ['SENCo', orNone(pack.school.senco)],
        [
          'Local authority',
          pack.school.localAuthority ??
            (pack.school.laCode ? `Local authority code ${pack.school.laCode}` : 'Not recorded'),
        ],
      ],
    },
  ]);

  const intervention: PackBlock[] = [{ kind: 'heading', text: 'The SEN register' }];
  intervention.push(
    pack.intervention.registerHistory.length
      ? {
          kind: 'table',
          caption: 'The child’s stages on the SEN register, oldest first',
          header: ['Stage', 'From', 'To', 'Needs'],
          rows: pack.intervention.registerHistory.map((h) => [
            stageLabel(h.stage),
            formatDate(h.from),
            dateOrOngoing(h.to),
            h.needs.length ? h.needs.map(needLabel).join('\n') : 'None recorded',
          ]),
        }
      : { kind: 'paragraph', text: 'No changes of stage recorded.' },
  );
  intervention.push({ kind: 'heading', text: 'Support plans and their reviews' });
  if (pack.intervention.plans.length === 0)
    intervention.push({ kind: 'paragraph', text: 'No support plan in the last two years.' });
  for (const plan of pack.intervention.plans) {
    intervention.push({
      kind: 'facts',
      caption: `Support plan ${plan.cycle}`,
      itemKey: plan.key,
      rows: [
        ['Started', formatDate(plan.startedOn)],
        ['Review due', plan.reviewDueOn ? formatDate(plan.reviewDueOn) : 'Not set'],
        ['Closed', plan.closedOn ? formatDate(plan.closedOn) : 'Still open'],
        ['Status', plan.status],
        ['Areas of need', plan.needAreas.length ? plan.needAreas.map(area).join('\n') : 'None chosen'],
        ...plan.about.map((a): [string, string] => [a.label, a.text]),
        ['Strategies and support', plan.strategies.length ? plan.strategies.join('\n') : 'None recorded'],
      ],
    });
    intervention.push(
      plan.targets.length
        ? {
            kind: 'table',
            caption: `Targets of support plan ${plan.cycle} and their outcomes`,
            itemKey: plan.key,
            header: ['Target', 'Area', 'Outcome', 'Evidence'],
            rows: plan.targets.map((t) => [
              t.source ? `${t.text}\nFrom: ${t.source}` : t.text,
              area(t.area),
              t.outcome ?? 'Not yet reviewed',
              orNone(t.evidence, ''),
            ]),
          }
        : { kind: 'paragraph', text: `Support plan ${plan.cycle} has no targets.`, itemKey: plan.key },
    );
    for (const review of [...plan.earlierReviews, ...(plan.review ? [plan.review] : [])])
      intervention.push({
        kind: 'facts',
        caption: `Review of support plan ${plan.cycle} on ${formatDate(review.reviewedOn)}`,
        itemKey: review.key,
        rows: [
          ['Progress', review.progress],
          ['Outcome', review.outcome],
          ['Decided', review.decisions.join('\n')],
        ],
      });
    if (!plan.review)
      intervention.push({ kind: 'paragraph', text: `Support plan ${plan.cycle} has not been reviewed yet.` });
  }
  intervention.push({ kind: 'heading', text: 'Provision' });
  intervention.push(
    pack.intervention.provision.length
      ? {
          kind: 'table',
          caption: 'Interventions the child took part in, oldest first',
          header: [
            'Intervention',
            'Dates',
            'Time a week',
            'Sessions attended',
            'Cost this year',
            'Entry, exit and change',
          ],
          rowItems: pack.intervention.provision.map((p) => ({ key: p.key, anchor: packAnchor(p.key) })),
          rows: pack.intervention.provision.map((p) => [
            `${p.intervention} (${area(p.area)})\n${p.groupName}${p.deliveredBy ? `, by ${p.deliveredBy}` : ''}${p.groupSize > 1 ? `\nGroup of ${p.groupSize}` : '\nOne to one'}`,
            `${formatDate(p.from)} to ${p.to ? formatDate(p.to) : 'now'}`,
            minutesText(p.minutesPerWeek),
            `${p.sessionsAttended} of ${p.sessionsHeld}`,
            formatPence(p.costPence),
            p.impact
              ? `${p.impact.measure}: ${p.impact.entry ?? 'no entry measure'} to ${p.impact.exit ?? 'no exit measure yet'}${p.impact.change ? `\n${p.impact.change}` : ''}`
              : 'Not measured',
          ]),
        }
      : { kind: 'paragraph', text: 'No provision recorded in the last two years.' },
  );
  const costs = pack.intervention.costs;
  intervention.push({
    kind: 'facts',
    caption: `Costs in ${costs.academicYear}`,
    rows: [
      ['Cost of additional provision this year', formatPence(costs.totalPence)],
      ['The school’s threshold (element 2)', formatPence(costs.thresholdPence)],
      ['Above the threshold', costs.aboveThreshold ? 'Yes' : 'No'],
    ],
  });
  section('intervention', intervention);

  const need: PackBlock[] = [
    {
      kind: 'labelled',
      label: 'The child’s needs, as the latest support plan describes them',
      text: orNone(pack.need.summary),
    },
    { kind: 'heading', text: 'Outside agencies' },
  ];
  if (pack.need.referrals.length === 0 && pack.need.otherReports.length === 0)
    need.push({ kind: 'paragraph', text: 'No outside agency involved.' });
  const reportBlocks = (r: EvidencePack['need']['otherReports'][number]): PackBlock[] => [
    {
      kind: 'facts',
      caption: `${r.title} (${formatDate(r.writtenOn)})`,
      itemKey: r.key,
      rows: [
        ['From', r.service],
        ['Written by', orNone(r.author)],
        ['Written on', formatDate(r.writtenOn)],
        [
          'Recent and sufficient',
          r.sufficient ? 'Yes: the school asks that this advice need not be sought again' : 'Not marked',
        ],
        ['Summary', orNone(r.summary)],
      ],
    },
    ...(r.recommendations.length
      ? [
          {
            kind: 'table' as const,
            caption: `Recommendations of ${r.title} and where each was used`,
            itemKey: r.key,
            header: ['Recommendation', 'Area', 'Used in'],
            rows: r.recommendations.map((x) => [x.text, area(x.area), x.usedIn ?? 'Not used yet']),
          },
        ]
      : []),
  ];
  for (const ref of pack.need.referrals) {
    need.push({
      kind: 'facts',
      caption: `Referral to ${ref.service}`,
      rows: [
        [
          'Service',
          `${ref.service} (${SERVICE_KIND_LABELS[ref.serviceKind as keyof typeof SERVICE_KIND_LABELS] ?? ref.serviceKind})`,
        ],
        ['Question', ref.question],
        ['Sent', ref.sentOn ? formatDate(ref.sentOn) : 'Not sent'],
        ['Where it stands', ref.status],
        ['Reports', ref.reports.length ? String(ref.reports.length) : 'None yet'],
      ],
    });
    for (const r of ref.reports) need.push(...reportBlocks(r));
  }
  if (pack.need.otherReports.length) {
    need.push({ kind: 'heading', text: 'Other reports the school holds' });
    for (const r of pack.need.otherReports) need.push(...reportBlocks(r));
  }
  section('need', need);

  const viewsBlocks = (list: EvidencePack['parentsViews'], none: string): PackBlock[] =>
    list.length
      ? list.map((v) => ({
          kind: 'labelled' as const,
          label: `${v.context} (${formatDate(v.givenOn)})`,
          text: v.text,
          itemKey: v.key,
        }))
      : [{ kind: 'paragraph', text: none }];
  section('parentsViews', [
    ...(pack.parentRequest
      ? [{ kind: 'labelled' as const, label: 'The parent’s request', text: pack.parentRequest }]
      : []),
    ...viewsBlocks(pack.parentsViews, 'No views of the parents recorded.'),
  ]);

  const profile = pack.childsViews.profile;
  section('childsViews', [
    ...(profile
      ? [
          { kind: 'heading' as const, text: 'One-page profile', itemKey: profile.key },
          {
            kind: 'labelled' as const,
            label: 'What people like and admire about me',
            text: orNone(profile.likeAndAdmire),
            itemKey: profile.key,
          },
          {
            kind: 'labelled' as const,
            label: 'What is important to me',
            text: orNone(profile.importantToMe),
            itemKey: profile.key,
          },
          {
            kind: 'labelled' as const,
            label: 'How best to support me',
            text: orNone(profile.howToSupportMe),
            itemKey: profile.key,
          },
        ]
      : []),
    ...viewsBlocks(pack.childsViews.views, 'No views of the child recorded.'),
  ]);

  section('moreInformation', [
    {
      kind: 'labelled',
      label: 'The school’s covering statement',
      text: orNone(pack.moreInformation.coveringStatement),
    },
    ...(pack.moreInformation.leftOutCount
      ? [
          {
            kind: 'paragraph' as const,
            text: `The school left ${pack.moreInformation.leftOutCount} ${pack.moreInformation.leftOutCount === 1 ? 'item' : 'items'} of the record out of this request.`,
          },
        ]
      : []),
  ]);

  section(
    'consent',
    pack.consent
      ? [
          {
            kind: 'facts',
            caption: 'Consent to the request for an EHC needs assessment',
            rows: [
              ['Given by', `${pack.consent.parentName} (${pack.consent.relationship})`],
              ['Given on', formatDate(pack.consent.givenOn)],
              ['How', ASSESSMENT_CONSENT_HOW[pack.consent.how]],
              ['Note', orNone(pack.consent.note, 'None')],
            ],
          },
        ]
      : [{ kind: 'paragraph', text: 'No consent recorded.' }],
  );

  // Each item's first block gets its anchor; a label after a sub-heading in its section is nested under it.
  const anchored = new Set<string>();
  for (const sec of sections) {
    let underHeading = false;
    for (const block of sec.blocks) {
      if (block.kind === 'heading') underHeading = true;
      if (block.kind === 'labelled' && underHeading) block.nested = true;
      if (block.itemKey && !anchored.has(block.itemKey)) {
        anchored.add(block.itemKey);
        block.anchor = packAnchor(block.itemKey);
      }
    }
  }

  return {
    title: `Request for an EHC needs assessment: ${name}`,
    schoolName: pack.school.name,
    subtitle: `${name}, born ${formatDate(c.birthDate)}. Prepared by ${pack.school.name} on ${formatDate(pack.preparedOn)}.`,
    sections,
  };
}

/** The id of an item on a page: "plan:<id>" → "pack-plan-<id>". */
export function packAnchor(key: string): string {
  return `pack-${key.replace(/[^A-Za-z0-9-]/g, '-')}`;
}

const LATIN: Record<string, string> = {
  ł: 'l',
  Ł: 'L',
  ø: 'o',
  Ø: 'O',
  đ: 'd',
  Đ: 'D',
  ß: 'ss',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
};

/**
 * The name of a pack's file, the same for the school's download and the LA's: the child's surname and
 * forename, "ehc-request" and the day it was prepared, in ASCII ("martinez-rosa-ehc-request-2026-11-20.pdf").
 */
export function packFileName(pack: EvidencePack, extension: 'pdf' | 'json'): string {
  const name = [pack.child.surname, pack.child.forename, 'ehc-request', pack.preparedOn]
    .map((part) =>
      part
        .normalize('NFKD')
        // Accents go; letters that do not decompose take their usual Latin spelling.
        .replace(/\p{M}/gu, '')
        .replace(/[łŁøØđĐßæÆœŒ]/g, (c) => LATIN[c] ?? '')
        .replace(/[^A-Za-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
        .toLowerCase(),
    )
    .filter(Boolean)
    .join('-');
  return `${name}.${extension}`;
}
