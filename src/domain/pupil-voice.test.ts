import { describe, expect, it } from 'vitest';
import { FACE_WORDS, FACES, PUPIL_VOICE_KINDS } from './family.ts';
import {
  checkPupilVoice,
  faceField,
  ownWordsHeading,
  PUPIL_VOICE_QUESTIONS,
  PUPIL_VOICE_WORDS_MAX,
  pupilVoiceAsText,
  pupilVoiceFormValues,
  pupilVoiceLines,
  takesFace,
  takesWords,
  wordsField,
} from './pupil-voice.ts';

describe('the questions', () => {
  it('are short, unique, in a child’s words, and each set has a face and words to choose from', () => {
    for (const kind of PUPIL_VOICE_KINDS) {
      const questions = PUPIL_VOICE_QUESTIONS[kind];
      expect(new Set(questions.map((q) => q.id)).size).toBe(questions.length);
      for (const q of questions) {
        expect(q.question.length).toBeLessThanOrEqual(45);
        expect(q.id).toMatch(/^[a-zA-Z]+$/);
      }
      expect(questions.some(takesFace)).toBe(true);
      expect(questions.some(takesWords)).toBe(true);
    }
    expect(PUPIL_VOICE_QUESTIONS.review_views.map((q) => q.question)).toContain('How has school been?');
    expect(PUPIL_VOICE_QUESTIONS.one_page_profile.map((q) => q.question)).toContain(
      'What do people like about me?',
    );
  });
});

describe('checkPupilVoice', () => {
  it('keeps a face, trimmed words and who helped, and leaves out questions not answered', () => {
    const checked = checkPupilVoice('review_views', {
      [faceField('howSchoolHasBeen')]: 'happy',
      [wordsField('howSchoolHasBeen')]: '  I like maths\r\nand lunch  ',
      [wordsField('goneWell')]: '',
      [wordsField('beenHard')]: '   ',
      writtenWith: ' Mrs Patel ',
    });
    expect(checked).toEqual({
      ok: true,
      answers: { howSchoolHasBeen: { face: 'happy', words: 'I like maths\nand lunch' } },
      writtenWith: 'Mrs Patel',
    });
  });

  it('asks for at least one answer', () => {
    const checked = checkPupilVoice('one_page_profile', { writtenWith: 'Mr Jones' });
    expect(checked).toEqual({
      ok: false,
      problems: [
        {
          field: wordsField('likeAboutMe'),
          message: 'Answer at least one question: choose a face or write some words',
        },
      ],
    });
  });

  it('refuses an unknown face, a face for a question of words, and a face sent twice', () => {
    const checked = checkPupilVoice('review_views', {
      [faceField('howSchoolHasBeen')]: 'ecstatic',
      [faceField('goneWell')]: 'happy',
      [wordsField('helpNext')]: 'More breaks',
    });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problems).toEqual([
      {
        field: faceField('howSchoolHasBeen'),
        message: 'Choose a face from the list for “How has school been?”',
      },
      { field: faceField('goneWell'), message: '“What has gone well?” is answered in words, not a face' },
    ]);
    const twice = checkPupilVoice('review_views', { [faceField('howSchoolHasBeen')]: ['happy', 'sad'] });
    expect(twice.ok ? [] : twice.problems.map((p) => p.message)).toEqual([
      'Choose one face for “How has school been?”',
    ]);
  });

  it('refuses a question that is not in the set (another kind’s, or made up)', () => {
    const checked = checkPupilVoice('review_views', {
      [wordsField('likeAboutMe')]: 'Kind',
      [faceField('x"><script>')]: 'happy',
      [wordsField('goneWell')]: 'Reading',
    });
    expect(checked.ok ? [] : checked.problems.map((p) => p.field)).toEqual(['form', 'form']);
  });

  it('refuses control characters, words too long, and text where JSON or a list was sent', () => {
    const control = checkPupilVoice('review_views', { [wordsField('goneWell')]: 'fine\u0000' });
    expect(control.ok ? '' : control.problems[0]?.message).toBe(
      'The answer to “What has gone well?” must not contain hidden control characters: type or paste it again',
    );
    const long = checkPupilVoice('review_views', {
      [wordsField('goneWell')]: 'a'.repeat(PUPIL_VOICE_WORDS_MAX + 1),
    });
    expect(long.ok ? '' : long.problems[0]?.message).toBe(
      `The answer to “What has gone well?” must be ${PUPIL_VOICE_WORDS_MAX} characters or fewer`,
    );
    const justLongEnough = checkPupilVoice('review_views', {
      [wordsField('goneWell')]: 'a'.repeat(PUPIL_VOICE_WORDS_MAX),
    });
    expect(justLongEnough.ok).toBe(true);
    const list = checkPupilVoice('review_views', { [wordsField('goneWell')]: ['a', 'b'] });
    expect(list.ok ? '' : list.problems[0]?.message).toBe(
      'The answer to “What has gone well?” must be sent once, as text',
    );
    const json = checkPupilVoice('review_views', { [wordsField('goneWell')]: { a: 1 } as unknown as string });
    expect(json.ok).toBe(false);
    const helper = checkPupilVoice('review_views', {
      [wordsField('goneWell')]: 'ok',
      writtenWith: 'Mrs\nPatel',
    });
    expect(helper.ok ? '' : helper.problems[0]?.field).toBe('writtenWith');
  });
});

describe('showing the pupil’s words', () => {
  const answers = {
    beenHard: { words: 'Spelling' },
    howSchoolHasBeen: { face: 'ok', words: 'Mostly good' },
    retired: { words: 'an old question' },
    goneWell: { face: 'nonsense' },
  };

  it('lists answered questions in the order of the set, each face with its words, and nothing else', () => {
    expect(pupilVoiceLines('review_views', answers)).toEqual([
      {
        questionId: 'howSchoolHasBeen',
        question: 'How has school been?',
        face: 'ok',
        faceWords: 'OK',
        words: 'Mostly good',
      },
      {
        questionId: 'beenHard',
        question: 'What has been hard?',
        face: null,
        faceWords: null,
        words: 'Spelling',
      },
    ]);
    expect(pupilVoiceLines('review_views', null)).toEqual([]);
  });

  it('gives the review’s field the same words as text, and the form its values back', () => {
    expect(pupilVoiceAsText('review_views', answers, 'Mrs Patel')).toBe(
      'How has school been? OK. Mostly good\nWhat has been hard? Spelling\n(Written with Mrs Patel.)',
    );
    expect(pupilVoiceFormValues('review_views', answers, null)).toEqual({
      writtenWith: '',
      [faceField('howSchoolHasBeen')]: 'ok',
      [wordsField('howSchoolHasBeen')]: 'Mostly good',
      [wordsField('beenHard')]: 'Spelling',
    });
  });

  it('names the pupil as they like to be called', () => {
    expect(ownWordsHeading({ forename: 'Katarzyna', preferredName: 'Kasia' })).toBe('In Kasia’s own words');
    expect(ownWordsHeading({ forename: 'Kit', preferredName: ' ' })).toBe('In Kit’s own words');
  });

  it('has words for every face', () => {
    for (const f of FACES) expect(FACE_WORDS[f].length).toBeGreaterThan(0);
  });
});
