import { describe, expect, it } from 'vitest';
import { checkPupilVoice, faceField, wordsField } from '../domain/pupil-voice.ts';
import { isSchoolDay } from '../domain/school-days.ts';
import { demoPupilVoices } from './pupil-voice.ts';

const school = { id: 'school-1' } as never;
const pupil = (id: string, senStage: string, leftOn: string | null = null) =>
  ({ id, senStage, leftOn, forename: id }) as never;
const review = (pupilId: string, planId: string, heldOn: string) => ({ pupilId, planId, heldOn }) as never;

describe('the demo’s pupils in their own words', () => {
  it('writes a profile and views for the last review of a few pupils on SEN support, on a school day before it', () => {
    const rows = demoPupilVoices(
      {
        school,
        pupils: [
          pupil('a', 'sen_support'),
          pupil('b', 'none'),
          pupil('c', 'sen_support', '2026-07-01'),
          pupil('d', 'sen_support'),
        ],
        staff: [{ id: 'ta', name: 'Tess Assistant', roles: ['teaching_assistant'] }] as never,
      },
      {
        plans: [],
        // Monday 2 March 2026: written the Thursday before.
        reviews: [
          review('a', 'plan-a1', '2025-11-20'),
          review('a', 'plan-a2', '2026-03-02'),
          review('d', 'plan-d1', '2026-03-02'),
        ],
      },
      (name) => `id:${name}`,
      1,
    );
    expect(rows.map((r) => [r.pupilId, r.kind, r.planId])).toEqual([
      ['a', 'one_page_profile', null],
      ['a', 'review_views', 'plan-a2'],
    ]);
    for (const r of rows) {
      const day = r.createdAt.toISOString().slice(0, 10);
      expect(isSchoolDay(day)).toBe(true);
      expect(day < '2026-03-02').toBe(true);
      expect(r.recordedByName).toBe('Tess Assistant');
      // What the demo writes is what the form would accept.
      const body: Record<string, string> = {};
      for (const [id, a] of Object.entries(r.answers)) {
        if (a.face) body[faceField(id)] = a.face;
        if (a.words) body[wordsField(id)] = a.words;
      }
      expect(checkPupilVoice(r.kind, body)).toMatchObject({ ok: true, answers: r.answers });
    }
  });
});
