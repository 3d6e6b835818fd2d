import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokenWords, planTableTexts, readPdf } from '../../test/pdf.ts';
import { planDocument } from '../presenters/plan.ts';
import { planPdf } from './plan-pdf.ts';

/*
 * The plan's PDF as a reader gets it: poppler's pdftotext finds the pupil, every target and the review
 * date in it; pdfinfo says it is tagged, with the title shown; pdffonts that every font is embedded;
 * the structure tree has the headings and real tables.
 */

const target = (position: number, text: string, outcome: 'achieved' | 'partly_achieved' | null) => ({
  id: `00000000-0000-4000-8000-00000000000${position}`,
  position,
  area: 'cognition_and_learning' as const,
  target: text,
  achievementCriteria: '8 out of 10 on two days',
  resourcesAndTechniques: 'Precision teaching',
  classStrategies: 'Word mat on the table',
  outcome,
  outcomeEvidence: outcome ? 'Checked in class' : null,
});

// The parts of a plan page the document reads (the rest of the page is not needed here).
const page = {
  plan: {
    cycle: 2,
    status: 'closed',
    needAreas: ['communication_and_interaction', 'cognition_and_learning'],
    strengths: 'Loves stories; kind to others',
    areasOfConcern: 'Reading and spelling',
    desiredOutcomes: 'To read simple sentences independently',
    qualityFirst: 'Visual supports in every lesson',
    interventions: 'Daily phonics catch-up',
    taSupport: 'Three 20-minute sessions a week',
    resources: 'Coloured overlay',
    parentPupilContribution: 'Reads at home',
    parentsSupportAtHome: 'Read together for ten minutes a day',
    parentsViews: 'Worried about reading',
    pupilViews: 'I like pictures',
    startDate: '2026-09-07',
    reviewDate: '2026-11-30',
    ownerName: 'Tara Teacher',
    agreedOn: '2026-09-05',
    agreedWith: 'Mother, Zoë, class teacher',
    sharedWithParentsOn: '2026-09-06',
  },
  pupil: {
    forename: 'Zoë',
    surname: 'Łukasiewicz',
    dateOfBirth: '2017-03-02',
    senStage: 'sen_support',
    primaryNeed: 'SPLD',
    secondaryNeed: null,
    ncYearOverride: null,
    className: 'Year 4 Oak',
    rolledOverTo: null,
  },
  today: '2026-12-01',
  checks: [],
  checkStatus: null,
  targets: [
    target(1, 'Zoë will read 20 high-frequency words', 'achieved'),
    target(2, 'Zoë will blend CVC words', 'partly_achieved'),
  ],
  notes: [
    {
      targetId: '00000000-0000-4000-8000-000000000001',
      writtenOn: '2026-10-02',
      body: 'Read 12 of 20 today.',
      authorName: 'Tia Assistant',
      authorRoles: 'Teaching assistant',
    },
  ],
  review: {
    heldOn: '2026-11-27',
    attendees: 'Mother, Zoë, Tara Teacher, Sam Senco',
    progress: 'as_expected',
    decision: 'new_plan',
    decisionNotes: 'Carry on with blending',
    extendedTo: null,
    reviewedByName: 'Sam Senco',
    pupilViews: 'Reading is easier now',
    parentsViews: 'Pleased',
  },
  profile: { likeAndAdmire: 'Kind and funny', importantToMe: 'My dog', howToSupportMe: 'Give me time' },
  // What Zoë wrote with an adult before the review: shown as her own words, beside the profile above.
  pupilVoice: {
    profile: null,
    reviewViews: {
      id: 'voice-1',
      kind: 'review_views',
      answers: { howSchoolHasBeen: { face: 'happy', words: 'Reading is fun now' } },
      writtenWith: 'Mrs Patel',
      recordedByName: 'Tia Assistant',
      createdAt: new Date('2026-11-25T10:30:00Z'),
      updatedAt: new Date('2026-11-25T10:30:00Z'),
      version: 1,
    },
  },
  planName: 'Pupil Provision Plan',
} as unknown as Parameters<typeof planDocument>[0];

function poppler(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8' });
}

describe('the plan as a tagged PDF', () => {
  it('holds the pupil, every target and the review date, is tagged with its title, and embeds its fonts', async () => {
    const bytes = await planPdf(planDocument(page, 'Oakfield Primary'));
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'opensend-pdf-')), 'plan.pdf');
    writeFileSync(file, bytes);

    const text = poppler('pdftotext', ['-enc', 'UTF-8', file, '-']).replace(/\s+/g, ' ');
    expect(text).toContain('Zoë Łukasiewicz – Pupil Provision Plan');
    expect(text).toContain('Oakfield Primary');
    // A table cell may wrap at the hyphen, which pdftotext then joins up without it.
    expect(text).toMatch(/Zoë will read 20 high-?frequency words/);
    expect(text).toContain('Zoë will blend CVC words');
    expect(text).toContain('30 November 2026'); // the review date
    expect(text).toContain('27 November 2026'); // the review was held
    expect(text).toContain('Partly achieved');
    expect(text).toContain('1 Communication and interaction');
    // In the pupil's own words, marked as theirs, the face by its words.
    expect(text).toContain('In Zoë’s own words');
    expect(text).toContain('How has school been? Happy. Reading is fun now');

    const info = poppler('pdfinfo', [file]);
    expect(info).toMatch(/^Tagged:\s+yes$/m);
    expect(info).toMatch(/^Title:\s+Zoë Łukasiewicz – Pupil Provision Plan$/m);
    expect(info).toMatch(/^PDF version:\s+1\.7$/m);

    const fonts = poppler('pdffonts', [file]).split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThan(0);
    for (const line of fonts) expect(line).toMatch(/\byes\s+yes\s+yes\b/); // embedded, subset, unicode map

    const structure = poppler('pdfinfo', ['-struct', file]);
    for (const tag of ['Document', 'H1', 'H2', 'Table', 'TR', 'TH', 'TD', 'P']) {
      expect(structure, tag).toMatch(new RegExp(`^\\s*${tag}\\b`, 'm'));
    }
    // The catalogue names the language and asks viewers to show the title.
    const raw = Buffer.from(bytes).toString('latin1');
    expect(raw).toMatch(/\/Lang \(en-GB\)/);
    expect(raw).toMatch(/\/DisplayDocTitle true/);
  });

  it('leaves the provision out for a reader who may not see it (the service gives none)', async () => {
    const document = planDocument({ ...page, provision: null } as typeof page, 'Oakfield Primary');
    expect(document.provision).toBeNull();
    const bytes = await planPdf(document);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'opensend-pdf-')), 'plan.pdf');
    writeFileSync(file, bytes);
    const text = poppler('pdftotext', ['-enc', 'UTF-8', file, '-']).replace(/\s+/g, ' ');
    expect(text).not.toContain('Provision now');
    // With the pupil in no group, the section says so.
    const none = planDocument(
      { ...page, provision: [], today: '2026-11-20' } as unknown as typeof page,
      'Oakfield Primary',
    );
    expect(none.provision).toEqual({
      heading: 'Provision now: interventions and how they are delivered',
      rows: [],
      empty: 'No additional provision at the moment.',
      time: 'Time in additional provision now: None at the moment.',
    });
  });

  it('leaves the review out of a plan not yet reviewed', async () => {
    const bytes = await planPdf(planDocument({ ...page, review: null } as typeof page, 'Oakfield Primary'));
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'opensend-pdf-')), 'plan.pdf');
    writeFileSync(file, bytes);
    const text = poppler('pdftotext', ['-enc', 'UTF-8', file, '-']).replace(/\s+/g, ' ');
    expect(text).not.toContain('Outcome of each target');
    expect(text).toContain('Zoë will blend CVC words');
  });

  it('prints every heading of its tables as whole words (a narrow column once broke “Interventio/n”)', async () => {
    const document = {
      ...planDocument(page, 'Oakfield Primary'),
      provision: {
        heading: 'Provision now: interventions and how they are delivered',
        empty: 'No additional provision at the moment.',
        rows: [
          {
            intervention: 'Precision teaching',
            group: 'Year 3 readers',
            deliveredBy: 'Tia Assistant',
            frequency: '3 a week, 20 minutes',
            dates: 'From 7 September 2026',
            missed: 'None',
          },
        ],
        time: 'Time in additional provision now: 1 hour a week.',
      },
    };
    const { text } = readPdf(await planPdf(document));
    const headings = [
      'Intervention Group Delivered by Sessions Dates Missed sessions',
      'Target Area Achievement criteria Resources and techniques Class strategies and support',
      'Date About Written by Note',
      'Outcome Evidence',
    ];
    for (const word of headings.join(' ').split(' ')) {
      expect(text, `“${word}” whole`).toMatch(new RegExp(`(?:^|\\s)${word}(?:\\s|$)`));
    }
  });

  it('prints every word of every table whole: long areas of need in the Area column, long months in the Date column', async () => {
    // The Date column (70 points) once printed "1 Septemb | er 2026" and the Area column
    // "Communicati | on and interaction": a column was sized to its longest word without the space pdfkit
    // lays out after it, and without the padding its cells really have.
    const long = {
      ...page,
      targets: [
        {
          ...target(1, 'Zoë will take turns in a conversation of four exchanges', null),
          area: 'communication_and_interaction',
        },
        {
          ...target(2, 'Zoë will use her self-regulation strategies independently', null),
          area: 'social_emotional_and_mental_health',
        },
        { ...target(3, 'Zoë will read 20 high-frequency words', null), area: 'sensory_and_physical' },
      ],
      notes: ['2026-09-15', '2026-11-30', '2027-02-01'].map((writtenOn, i) => ({
        targetId: `00000000-0000-4000-8000-00000000000${i + 1}`,
        writtenOn,
        body: 'Communication and interaction: understanding instructions independently.\nAcknowledgement received.',
        authorName: 'Christopher Featherstonehaugh-Montgomery',
        authorRoles: 'Teaching assistant',
      })),
    } as typeof page;
    const document = {
      ...planDocument(long, 'Oakfield Primary'),
      provision: {
        heading: 'Provision now: interventions and how they are delivered',
        empty: 'No additional provision at the moment.',
        rows: [
          {
            intervention: 'Speech and language therapy programme',
            group: 'Communication and interaction group',
            deliveredBy: 'Christopher Featherstonehaugh-Montgomery',
            frequency: '3 a week, 20 minutes',
            dates: 'From 15 September 2026',
            missed: '2 sessions: 3 November 2026, 10 November 2026',
          },
        ],
        time: 'Time in additional provision now: 1 hour a week.',
      },
    };
    expect(document.notes.map((n) => n.date)).toContain('15 September 2026');
    expect(document.targets.map((t) => t.area)).toContain('1 Communication and interaction');
    const { text } = readPdf(await planPdf(document));
    expect(brokenWords(text, planTableTexts(document))).toEqual([]);
  });

  it('heads the plan with the pupil’s year group, class, SEN stage and need: as they were when a closed plan closed', async () => {
    const kept = {
      ...page,
      plan: {
        ...page.plan,
        pupilAtClose: {
          ncYear: 4,
          outOfYearGroup: false,
          className: 'Year 4 Oak',
          senStage: 'sen_support',
          primaryNeed: 'SPLD',
          secondaryNeed: null,
        },
      },
      pupil: { ...page.pupil, className: 'Year 5 Ash', senStage: 'monitoring', primaryNeed: null },
    } as typeof page;
    const { text } = readPdf(await planPdf(planDocument(kept, 'Oakfield Primary')));
    expect(text).toContain('Year group Year 4 Class Year 4 Oak SEN stage SEN support (K)');
    expect(text).toContain('Primary need Specific learning difficulty (SPLD)');
    expect(text).toContain('as at When the plan closed on 27 November 2026');
    expect(text).not.toContain('Year 5 Ash');

    // Closed before OpenSEND kept them: as the pupil is now, and said so (born March 2017: Year 5 in 2026/27).
    const now = planDocument(page, 'Oakfield Primary').summary;
    expect(now).toContainEqual({ label: 'Year group', text: 'Year 5' });
    expect(now).toContainEqual({
      label: 'Year group, class, stage and need as at',
      text: 'Today, 1 December 2026 (not kept when the plan closed on 27 November 2026)',
    });

    // A plan in place: now, with the school's override of the year group.
    const open = planDocument(
      {
        ...page,
        plan: { ...page.plan, status: 'active' },
        pupil: { ...page.pupil, ncYearOverride: 4 },
      } as typeof page,
      'Oakfield Primary',
    ).summary;
    expect(open).toContainEqual({ label: 'Year group', text: 'Year 4 (taught out of year group)' });
    expect(open).toContainEqual({
      label: 'Year group, class, stage and need as at',
      text: 'Today, 1 December 2026',
    });
  });
});
