import { addDays, type IsoDate } from '../domain/dates.ts';
import type { PupilVoiceAnswers } from '../domain/pupil-voice.ts';
import { isSchoolDay } from '../domain/school-days.ts';
import type { PlanHistoryRows } from '../repositories/plans.ts';
import type { DemoSchool } from './generate.ts';

/*
 * The demo's pupils in their own words: a few pupils on SEN support wrote "All about me" and what they
 * thought before their last review, with a teaching assistant, on a school day a few days before it.
 */

/** How many pupils of a demo school have their own words. */
export const DEMO_PUPIL_VOICES = 5;

const PROFILES: PupilVoiceAnswers[] = [
  {
    likeAboutMe: { words: 'I am kind and I make people laugh.' },
    importantToMe: { words: 'My little sister and my dog Biscuit.' },
    feelAtSchool: { face: 'ok', words: 'Good in the morning. Tired after lunch.' },
    helpsMeLearn: { words: 'When the teacher shows me first. Pictures on my table.' },
    makesThingsHard: { words: 'When it is noisy.' },
    howToHelpMe: { words: 'Tell me quietly. Give me a bit more time.' },
  },
  {
    likeAboutMe: { words: 'I am good at drawing and football.' },
    importantToMe: { words: 'Playing with my friends at break.' },
    feelAtSchool: { face: 'happy' },
    helpsMeLearn: { words: 'Working with a partner. Counting on my fingers is OK.' },
    makesThingsHard: { words: 'Lots of writing.' },
    howToHelpMe: { words: 'Let me say my ideas before I write them.' },
  },
  {
    likeAboutMe: { words: 'I help people.' },
    importantToMe: { words: 'My nan. Lego.' },
    feelAtSchool: { face: 'unsure', words: 'Sometimes I get worried about going in.' },
    helpsMeLearn: { words: 'My timetable so I know what is next.' },
    makesThingsHard: { words: 'When things change and nobody told me.' },
    howToHelpMe: { words: 'Tell me before things change.' },
  },
];

const VIEWS: PupilVoiceAnswers[] = [
  {
    howSchoolHasBeen: { face: 'happy', words: 'Better than last year.' },
    goneWell: { words: 'I can read more words now.' },
    beenHard: { words: 'Spelling tests.' },
    helpNext: { words: 'More practice with my words at home and at school.' },
  },
  {
    howSchoolHasBeen: { face: 'ok' },
    goneWell: { words: 'My group with Miss. It is fun.' },
    beenHard: { words: 'Sitting still on the carpet.' },
    helpNext: { words: 'A wobble cushion.' },
    anythingElse: { words: 'I want to be a vet.' },
  },
  {
    howSchoolHasBeen: { face: 'sad', words: 'Playtimes are hard.' },
    goneWell: { words: 'Maths.' },
    beenHard: { words: 'Friends at play.' },
    helpNext: { words: 'A club at lunch.' },
  },
];

/** The school day before a date (the day the pupil wrote their views, before their review). */
function schoolDayBefore(date: IsoDate): IsoDate {
  let d = addDays(date, -1);
  for (let i = 0; i < 14 && !isSchoolDay(d); i++) d = addDays(d, -1);
  return d;
}

type PupilVoiceRow = {
  schoolId: string;
  id: string;
  pupilId: string;
  kind: 'one_page_profile' | 'review_views';
  planId: string | null;
  answers: PupilVoiceAnswers;
  writtenWith: string | null;
  recordedBy: string | null;
  recordedByName: string;
  createdAt: Date;
  updatedAt: Date;
};

/**
 * The demo school's pupils in their own words: the first few on SEN support whose last plan was
 * reviewed, each with a profile and their views for that review, written two school days before it.
 */
export function demoPupilVoices(
  demo: Pick<DemoSchool, 'school' | 'pupils' | 'staff'>,
  plans: Pick<PlanHistoryRows, 'plans' | 'reviews'>,
  idOf: (name: string) => string,
  count = DEMO_PUPIL_VOICES,
): PupilVoiceRow[] {
  const helper = demo.staff.find((s) => s.roles.includes('teaching_assistant')) ?? demo.staff[0];
  if (!helper) return [];
  const lastReview = new Map<string, (typeof plans.reviews)[number]>();
  for (const r of plans.reviews) {
    const had = lastReview.get(r.pupilId);
    if (!had || had.heldOn < r.heldOn) lastReview.set(r.pupilId, r);
  }
  const rows: PupilVoiceRow[] = [];
  let n = 0;
  for (const p of demo.pupils) {
    if (n >= count) break;
    if (p.senStage !== 'sen_support' || p.leftOn || !p.id) continue;
    const review = lastReview.get(p.id);
    if (!review) continue;
    const day = schoolDayBefore(schoolDayBefore(review.heldOn));
    const at = new Date(`${day}T10:30:00Z`);
    const common = {
      schoolId: demo.school.id,
      pupilId: p.id,
      writtenWith: helper.name,
      recordedBy: helper.id,
      recordedByName: helper.name,
      createdAt: at,
      updatedAt: at,
    };
    rows.push(
      {
        ...common,
        id: idOf(`${p.id}:voice:profile`),
        kind: 'one_page_profile',
        planId: null,
        answers: PROFILES[n % PROFILES.length] as PupilVoiceAnswers,
      },
      {
        ...common,
        id: idOf(`${p.id}:voice:review:${review.planId}`),
        kind: 'review_views',
        planId: review.planId,
        answers: VIEWS[n % VIEWS.length] as PupilVoiceAnswers,
      },
    );
    n++;
  }
  return rows;
}
