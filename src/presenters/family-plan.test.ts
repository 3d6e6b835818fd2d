import { flesch } from 'flesch';
import { syllable } from 'syllable';
import { describe, expect, it } from 'vitest';
import { FAMILY_WORDS } from '../domain/family-words.ts';
import { LETTER_KINDS, SENT_VIA } from '../domain/letters.ts';
import { PROGRESS_JUDGEMENTS, REVIEW_DECISIONS } from '../domain/plans.ts';
import {
  dayAndDate,
  ehcVersionIntro,
  ehcVersionKind,
  familyLetterSubject,
  familyPlanPage,
  howOftenText,
  readReceiptLines,
  reviewOutcome,
  FAMILY_READING_TEXT as T,
  whoHelpsText,
} from './family-plan.ts';

/*
 * The words OpenSEND itself writes for families read easily: a Flesch reading ease of 60 or more
 * ("plain English", read easily by 13- to 15-year-olds) for each page's own sentences, scored with
 * wooorm's `flesch` and `syllable`. The school's typed words (targets, letters, the council's plan)
 * are not OpenSEND's and are left out: the sentences are made with short sample names and dates.
 */

/** Each string a sentence (a heading or label is one too); counted as the formula counts them. */
function readingEase(texts: readonly string[]): number {
  const sentences = texts.flatMap((t) => t.split(/[.!?:]+(?:\s|$)/)).filter((s) => /[A-Za-z]/.test(s));
  const words = sentences.flatMap((s) => s.match(/[A-Za-z][A-Za-z’']*/g) ?? []);
  const syllables = words.reduce((n, w) => n + syllable(w.replace(/[’']s$/, '')), 0);
  return flesch({ sentence: sentences.length, word: words.length, syllable: syllables });
}

/** Every string in a (nested) object of texts, functions called with the sample values. */
function allText(value: unknown, call: (f: (...args: never[]) => unknown) => unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'function') return allText(call(value as (...args: never[]) => unknown), call);
  if (Array.isArray(value)) return value.flatMap((v) => allText(v, call));
  if (value && typeof value === 'object') return Object.values(value).flatMap((v) => allText(v, call));
  return [];
}

/** The sentences of one page: the page's own texts, and the words it explains. */
const PAGES: Record<string, string[]> = {
  'the support plan': [
    ...allText(T.plan, (f) => callWith(f)),
    howOftenText(3, 20),
    whoHelpsText('teaching_assistant', 'Tia Assistant'),
    whoHelpsText('external', null),
    ...[FAMILY_WORDS.support_plan, FAMILY_WORDS.target, FAMILY_WORDS.provision, FAMILY_WORDS.review].map(
      (w) => w.means,
    ),
  ],
  'the earlier plans': [
    ...allText(T.plans, (f) => callWith(f)),
    ...PROGRESS_JUDGEMENTS.flatMap((progress) =>
      REVIEW_DECISIONS.flatMap((decision) => reviewOutcome({ heldOn: '2026-07-10', progress, decision })),
    ),
  ],
  'an earlier plan': allText(T.earlierPlan, (f) => callWith(f)),
  'the letters': [
    ...allText(T.letters, (f) => callWith(f)),
    ...LETTER_KINDS.map(familyLetterSubject),
    ...SENT_VIA.map((via) => T.letters.sent('2026-12-03', via)),
  ],
  'a letter': allText(T.letter, (f) => callWith(f)),
  'the EHC plan': [...allText(T.ehc, (f) => callWith(f)), FAMILY_WORDS.ehc_plan.means],
  'a version of the EHC plan': [
    ...allText(T.ehcPlan, (f) => callWith(f)),
    ehcVersionKind({ stage: 'sent', reason: 'new_plan' }),
    ...ehcVersionIntro(
      {
        number: 2,
        stage: 'sent',
        reason: 'annual_review',
        sentOn: '2026-12-03',
        commentsDueOn: '2026-12-18',
        issuedOn: null,
      },
      { status: 'final', ceasedOn: null },
      '2026-12-07',
    ).lines,
  ],
};

/** Call a text's function with sample values of the kinds it takes (a name, a date, a number, a way). */
function callWith(f: (...args: never[]) => unknown): unknown {
  const source = String(f);
  const params = (source.match(/^\(?([^)=]*)\)?\s*=>/)?.[1] ?? '').split(',').map((p) => p.trim());
  const args = params.filter(Boolean).map((p) => {
    if (/^(n|number)$/.test(p)) return 2;
    if (/^(name|authority|word)$/.test(p)) return p === 'authority' ? 'Northshire' : 'Kit';
    if (/^via$/.test(p)) return 'post';
    return '2026-12-18';
  });
  return (f as (...a: unknown[]) => unknown)(...args);
}

describe('the words OpenSEND writes for families read easily', () => {
  it.each(Object.entries(PAGES))('%s: a Flesch reading ease of 60 or more', (_page, texts) => {
    expect(texts.length).toBeGreaterThan(3);
    expect(texts.join(' ')).not.toMatch(/undefined|\[object|NaN/);
    expect(readingEase(texts)).toBeGreaterThanOrEqual(60);
  });

  it('the school’s words explained: each one, and all together', () => {
    const all = Object.values(FAMILY_WORDS).map((w) => w.means);
    expect(readingEase(all)).toBeGreaterThanOrEqual(60);
    for (const w of Object.values(FAMILY_WORDS))
      expect(readingEase([w.means]), w.word).toBeGreaterThanOrEqual(50);
  });

  it('scores hard text as hard, so the check can fail', () => {
    expect(
      readingEase([
        'Notwithstanding the aforementioned considerations, the individualised educational provision necessitates comprehensive multidisciplinary evaluation.',
      ]),
    ).toBeLessThan(30);
  });
});

describe('the family’s plan page', () => {
  it('introduces the plan and its review in OpenSEND’s words, with the weekday of the review', () => {
    const page = familyPlanPage({
      childName: 'Kit',
      plan: {
        id: 'p',
        status: 'active',
        desiredOutcomes: null,
        qualityFirst: 'Visual timetable',
        interventions: null,
        taSupport: null,
        resources: null,
        parentPupilContribution: 'Reads at home',
        parentsSupportAtHome: null,
        reviewDate: '2026-12-18',
        agreedOn: '2026-09-07',
      },
      targets: [
        {
          position: 1,
          target: 'Ask for help',
          achievementCriteria: null,
          resourcesAndTechniques: null,
          classStrategies: 'Help card',
        },
      ],
      provision: [
        {
          interventionName: 'Talk Boost',
          sessionsPerWeek: 1,
          minutesPerSession: 30,
          delivererKind: 'teaching_assistant',
          delivererName: 'Mrs Patel',
          agency: null,
          since: '2026-09-14',
          upcoming: false,
        },
      ],
      hasEarlierPlans: false,
    });
    expect(page.plan?.review).toContain('Friday 18 December 2026');
    expect(page.plan?.home).toBe('Reads at home');
    expect(page.plan?.inClass).toEqual([{ label: 'In every lesson', text: 'Visual timetable' }]);
    expect(page.plan?.provision[0]).toMatchObject({
      howOften: 'Once a week, for 30 minutes each time',
      who: 'Mrs Patel, a teaching assistant',
    });
    expect(dayAndDate('2026-12-07')).toBe('Monday 7 December 2026');
  });

  it('writes the read receipts staff see', () => {
    expect(
      readReceiptLines(
        [
          {
            name: 'Kasia Kowalski',
            relationship: 'Mother',
            firstReadAt: new Date('2026-12-03T10:00:00Z'),
            times: 3,
          },
        ],
        () => '2026-12-03',
      ),
    ).toEqual(['Read by Kasia Kowalski (mother) online on 3 December 2026, and 2 more times since']);
  });
});
