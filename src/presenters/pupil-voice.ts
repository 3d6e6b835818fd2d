import { formatDate, todayInEngland } from '../domain/dates.ts';
import { FACE_WORDS, type Face, PUPIL_VOICE_KIND_LABELS, type PupilVoiceKind } from '../domain/family.ts';
import {
  DICTATION_HINT,
  faceField,
  ownWordsHeading,
  PUPIL_VOICE_QUESTIONS,
  type PupilVoiceLine,
  pupilVoiceAsText,
  pupilVoiceLines,
  takesFace,
  takesWords,
  wordsField,
} from '../domain/pupil-voice.ts';

/*
 * The pupil's own voice as pages, the plan's print and PDF, and the family's plan page show it: each
 * answered question with the face (a picture hidden from screen readers, and its words, shown) and the
 * pupil's words, marked as theirs ("In Kit's own words"), with who helped and when.
 */

/** A face drawn in SVG (no emoji font needed): a yellow circle, two eyes and a mouth. */
function face(mouth: string, label: string): string {
  return `<svg class="app-face__svg" data-face="${label}" viewBox="0 0 40 40" width="40" height="40" focusable="false" aria-hidden="true"><circle cx="20" cy="20" r="18" fill="#ffdd00" stroke="#0b0c0c" stroke-width="2"/><circle cx="14" cy="16" r="2.5" fill="#0b0c0c"/><circle cx="26" cy="16" r="2.5" fill="#0b0c0c"/><path d="${mouth}" fill="none" stroke="#0b0c0c" stroke-width="2.5" stroke-linecap="round"/></svg>`;
}

/**
 * The picture of each face: decoration only (hidden from screen readers); its words (FACE_WORDS) are
 * what is read and printed. Drawn, not an emoji, so it looks the same on every device.
 */
export const FACE_PICTURES: Record<Face, string> = {
  happy: face('M11 23 Q20 33 29 23', 'happy'),
  ok: face('M13 25 Q20 29 27 25', 'ok'),
  unsure: face('M13 27 Q17 24 20 27 Q23 30 27 27', 'unsure'),
  sad: face('M12 29 Q20 21 28 29', 'sad'),
};

/** What the pupil's writing shows from a stored row. */
export interface PupilVoiceRowLike {
  id: string;
  kind: PupilVoiceKind;
  planCycle?: number | null;
  answers: unknown;
  writtenWith: string | null;
  recordedByName: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface PupilVoiceShown {
  id: string;
  kind: PupilVoiceKind;
  /** "All about me (one-page profile)" or "What I think (before my review)". */
  title: string;
  lines: (PupilVoiceLine & { picture: string | null })[];
  /** "Written with Mrs Patel on 3 March 2026." */
  credit: string;
  version: number;
}

const dayOf = (at: Date) => formatDate(todayInEngland(at));

export function pupilVoiceShown(row: PupilVoiceRowLike): PupilVoiceShown {
  const lines = pupilVoiceLines(row.kind, row.answers).map((l) => ({
    ...l,
    picture: l.face ? FACE_PICTURES[l.face] : null,
  }));
  const helped = row.writtenWith ? ` with ${row.writtenWith}` : '';
  const changed = row.version > 1 ? `, changed on ${dayOf(row.updatedAt)}` : '';
  return {
    id: row.id,
    kind: row.kind,
    title: PUPIL_VOICE_KIND_LABELS[row.kind],
    lines,
    credit: `Written${helped} on ${dayOf(row.createdAt)} (recorded by ${row.recordedByName}${changed}).`,
    version: row.version,
  };
}

/** The pupil's words as a plan shows them: their latest profile and their views for its review. */
export function pupilVoiceOnPlan(
  pupil: { forename: string; preferredName?: string | null },
  voice: { profile: PupilVoiceRowLike | null; reviewViews: PupilVoiceRowLike | null },
) {
  return {
    heading: ownWordsHeading(pupil),
    profile: voice.profile ? pupilVoiceShown(voice.profile) : null,
    reviewViews: voice.reviewViews ? pupilVoiceShown(voice.reviewViews) : null,
    /** Their views as text, to offer into the review's "pupil's views" field (nothing typed twice). */
    reviewViewsText: voice.reviewViews
      ? pupilVoiceAsText('review_views', voice.reviewViews.answers, voice.reviewViews.writtenWith)
      : null,
  };
}

/**
 * For the family's plan page: the child's own words on the plan, in plain words, without staff names
 * ("Written with Mrs Patel on 3 March 2026."). Null when the child has written nothing for it.
 */
export function pupilVoiceForFamily(
  child: { forename: string; preferredName?: string | null },
  voice: { profile: PupilVoiceRowLike | null; reviewViews: PupilVoiceRowLike | null },
) {
  const part = (row: PupilVoiceRowLike | null, title: string) => {
    if (!row) return null;
    const shown = pupilVoiceShown(row);
    if (shown.lines.length === 0) return null;
    const helped = row.writtenWith ? ` with ${row.writtenWith}` : '';
    return { title, lines: shown.lines, credit: `Written at school${helped} on ${dayOf(row.createdAt)}.` };
  };
  const parts = [
    part(voice.profile, 'All about me'),
    part(voice.reviewViews, 'What I think about my plan'),
  ].filter((p) => p !== null);
  return parts.length ? { heading: ownWordsHeading(child), parts } : null;
}

/** The plan as a document (print and PDF): the pupil's words as labelled lines. */
export function pupilVoiceLabelled(shown: PupilVoiceShown | null): { label: string; text: string }[] {
  if (!shown) return [];
  return [
    ...shown.lines.map((l) => ({
      label: l.question,
      text: [l.faceWords ? `${l.faceWords}.` : null, l.words].filter(Boolean).join(' '),
    })),
    { label: 'Who helped', text: shown.credit },
  ];
}

/** The questions of a form for a child, with the face choices and the hint for their words. */
export function pupilVoiceFormModel(kind: PupilVoiceKind) {
  return PUPIL_VOICE_QUESTIONS[kind].map((q) => ({
    id: q.id,
    question: q.question,
    faceField: takesFace(q) ? faceField(q.id) : null,
    wordsField: takesWords(q) ? wordsField(q.id) : null,
    wordsHint: DICTATION_HINT,
    faces: (Object.keys(FACE_WORDS) as Face[]).map((f) => ({
      value: f,
      words: FACE_WORDS[f],
      picture: FACE_PICTURES[f],
    })),
  }));
}
