import { describe, expect, it } from 'vitest';
import {
  pupilVoiceForFamily,
  pupilVoiceFormModel,
  pupilVoiceLabelled,
  pupilVoiceOnPlan,
} from './pupil-voice.ts';

const at = new Date('2026-03-03T10:30:00Z');
const row = (kind: 'one_page_profile' | 'review_views', answers: unknown, version = 1) => ({
  id: `${kind}-1`,
  kind,
  answers,
  writtenWith: 'Mrs Patel',
  recordedByName: 'Tia Assistant',
  createdAt: at,
  updatedAt: new Date('2026-03-05T09:00:00Z'),
  version,
});

describe('the pupil’s words as pages and documents show them', () => {
  it('marks them as the pupil’s own, each face with its words, and offers the views as text', () => {
    const shown = pupilVoiceOnPlan(
      { forename: 'Katarzyna', preferredName: 'Kasia' },
      {
        profile: row('one_page_profile', { likeAboutMe: { words: 'Kind' } }),
        reviewViews: row('review_views', { howSchoolHasBeen: { face: 'sad', words: 'Playtimes' } }, 2),
      },
    );
    expect(shown.heading).toBe('In Kasia’s own words');
    expect(shown.reviewViews?.lines[0]).toMatchObject({ faceWords: 'Sad or worried' });
    expect(shown.reviewViews?.lines[0]?.picture).toContain('data-face="sad"');
    expect(shown.reviewViews?.credit).toBe(
      'Written with Mrs Patel on 3 March 2026 (recorded by Tia Assistant, changed on 5 March 2026).',
    );
    expect(shown.reviewViewsText).toBe(
      'How has school been? Sad or worried. Playtimes\n(Written with Mrs Patel.)',
    );
    expect(pupilVoiceLabelled(shown.profile)).toEqual([
      { label: 'What do people like about me?', text: 'Kind' },
      { label: 'Who helped', text: 'Written with Mrs Patel on 3 March 2026 (recorded by Tia Assistant).' },
    ]);
  });

  it('gives a family the child’s words without staff names, and nothing when there are none', () => {
    const family = pupilVoiceForFamily(
      { forename: 'Kit' },
      { profile: row('one_page_profile', { importantToMe: { words: 'My dog' } }), reviewViews: null },
    );
    expect(family).toEqual({
      heading: 'In Kit’s own words',
      parts: [
        {
          title: 'All about me',
          lines: [expect.objectContaining({ question: 'What is important to me?', words: 'My dog' })],
          credit: 'Written at school with Mrs Patel on 3 March 2026.',
        },
      ],
    });
    expect(JSON.stringify(family)).not.toContain('Tia Assistant');
    expect(pupilVoiceForFamily({ forename: 'Kit' }, { profile: null, reviewViews: null })).toBeNull();
    expect(
      pupilVoiceForFamily({ forename: 'Kit' }, { profile: row('one_page_profile', {}), reviewViews: null }),
    ).toBeNull();
  });

  it('gives the form each question’s fields: faces only where the question takes them', () => {
    const form = pupilVoiceFormModel('review_views');
    expect(form[0]).toMatchObject({
      faceField: 'face-howSchoolHasBeen',
      wordsField: 'words-howSchoolHasBeen',
    });
    expect(form[0]?.faces.map((f) => f.words)).toEqual(['Happy', 'OK', 'Not sure', 'Sad or worried']);
    expect(form[1]).toMatchObject({ faceField: null, wordsField: 'words-goneWell' });
  });
});
