import { FACE_WORDS, FACES, type Face, type PupilVoiceKind } from './family.ts';
import { HIDDEN_IN_LONG_TEXT, HIDDEN_IN_ONE_LINE } from './text.ts';

/*
 * The pupil's own voice (docs/adr/0039): their one-page profile ("All about me") and their views before
 * a review, written by the pupil with an adult at school. The questions are fixed and in a child's
 * words; each takes a face, words, or either (a face is stored as its code and always shown and read
 * with its words). The staff's one-page profile (`pupil_profile`) stays as it is: the pupil's own is
 * shown beside it, marked as theirs, never in its place.
 */

/** What a question takes: a face, words, or a face and words (either or both). */
export type PupilVoiceAnswerTakes = 'face' | 'words' | 'face_and_words';

export interface PupilVoiceQuestion {
  /** The key of the answer in `pupil_voice.answers`, and of the form's fields (`face-…`, `words-…`). */
  id: string;
  /** The question, in a child's words. */
  question: string;
  takes: PupilVoiceAnswerTakes;
}

/** "All about me": the pupil's one-page profile. */
export const ONE_PAGE_PROFILE_QUESTIONS: readonly PupilVoiceQuestion[] = [
  { id: 'likeAboutMe', question: 'What do people like about me?', takes: 'words' },
  { id: 'importantToMe', question: 'What is important to me?', takes: 'words' },
  { id: 'feelAtSchool', question: 'How do I feel at school?', takes: 'face_and_words' },
  { id: 'helpsMeLearn', question: 'What helps me learn?', takes: 'words' },
  { id: 'makesThingsHard', question: 'What makes things hard for me?', takes: 'words' },
  { id: 'howToHelpMe', question: 'How I like to be helped', takes: 'words' },
];

/** "What I think": the pupil's views before the review of their support plan. */
export const REVIEW_VIEWS_QUESTIONS: readonly PupilVoiceQuestion[] = [
  { id: 'howSchoolHasBeen', question: 'How has school been?', takes: 'face_and_words' },
  { id: 'goneWell', question: 'What has gone well?', takes: 'words' },
  { id: 'beenHard', question: 'What has been hard?', takes: 'words' },
  { id: 'helpNext', question: 'What would help me next?', takes: 'words' },
  { id: 'anythingElse', question: 'Is there anything else you want to say?', takes: 'words' },
];

export const PUPIL_VOICE_QUESTIONS: Record<PupilVoiceKind, readonly PupilVoiceQuestion[]> = {
  one_page_profile: ONE_PAGE_PROFILE_QUESTIONS,
  review_views: REVIEW_VIEWS_QUESTIONS,
};

/** The form's hint under every box for words. */
export const DICTATION_HINT = 'You can say it and the adult will write it down';

/** Longest answer in words, and the longest "who helped" name. */
export const PUPIL_VOICE_WORDS_MAX = 2000;
export const WRITTEN_WITH_MAX = 200;

export const takesFace = (q: PupilVoiceQuestion) => q.takes !== 'words';
export const takesWords = (q: PupilVoiceQuestion) => q.takes !== 'face';

/** One answer as stored: a face's code, their words, or both. */
export interface PupilVoiceAnswer {
  face?: Face;
  words?: string;
}
export type PupilVoiceAnswers = Record<string, PupilVoiceAnswer>;

export interface PupilVoiceProblem {
  /** The form field: `face-<question>`, `words-<question>`, `writtenWith` or `form`. */
  field: string;
  message: string;
}

export type CheckedPupilVoice =
  | { ok: true; answers: PupilVoiceAnswers; writtenWith: string | null }
  | { ok: false; problems: PupilVoiceProblem[] };

const FACE_FIELD = 'face-';
const WORDS_FIELD = 'words-';

export const faceField = (questionId: string) => `${FACE_FIELD}${questionId}`;
export const wordsField = (questionId: string) => `${WORDS_FIELD}${questionId}`;

/**
 * The pupil's answers as the form sent them (`face-<question>`, `words-<question>`, `writtenWith`),
 * checked against the question set of their kind: an unknown question or face, a face for a question
 * that takes words only, a value sent twice, hidden control characters or words too long each get a
 * plain message by their field; nothing is dropped silently. At least one question must be answered.
 */
export function checkPupilVoice(kind: PupilVoiceKind, body: Record<string, unknown>): CheckedPupilVoice {
  const questions = PUPIL_VOICE_QUESTIONS[kind];
  const byId = new Map(questions.map((q) => [q.id, q]));
  const problems: PupilVoiceProblem[] = [];
  const answers: PupilVoiceAnswers = {};

  for (const key of Object.keys(body)) {
    const id = key.startsWith(FACE_FIELD)
      ? key.slice(FACE_FIELD.length)
      : key.startsWith(WORDS_FIELD)
        ? key.slice(WORDS_FIELD.length)
        : null;
    if (id !== null && !byId.has(id))
      problems.push({ field: 'form', message: 'The form had a question that is not on it: open it again' });
  }

  for (const q of questions) {
    const answer: PupilVoiceAnswer = {};
    const face = body[faceField(q.id)];
    if (face !== undefined && face !== '') {
      if (typeof face !== 'string')
        problems.push({ field: faceField(q.id), message: `Choose one face for “${q.question}”` });
      else if (!takesFace(q))
        problems.push({
          field: faceField(q.id),
          message: `“${q.question}” is answered in words, not a face`,
        });
      else if (!(FACES as readonly string[]).includes(face))
        problems.push({ field: faceField(q.id), message: `Choose a face from the list for “${q.question}”` });
      else answer.face = face as Face;
    }
    const sent = body[wordsField(q.id)];
    if (sent !== undefined) {
      if (typeof sent !== 'string')
        problems.push({
          field: wordsField(q.id),
          message: `The answer to “${q.question}” must be sent once, as text`,
        });
      else {
        const words = sent.replace(/\r\n?/g, '\n').trim();
        if (words && !takesWords(q))
          problems.push({
            field: wordsField(q.id),
            message: `“${q.question}” is answered with a face, not words`,
          });
        else if (HIDDEN_IN_LONG_TEXT.test(words))
          problems.push({
            field: wordsField(q.id),
            message: `The answer to “${q.question}” must not contain hidden control characters: type or paste it again`,
          });
        else if (words.length > PUPIL_VOICE_WORDS_MAX)
          problems.push({
            field: wordsField(q.id),
            message: `The answer to “${q.question}” must be ${PUPIL_VOICE_WORDS_MAX} characters or fewer`,
          });
        else if (words) answer.words = words;
      }
    }
    if (answer.face || answer.words) answers[q.id] = answer;
  }

  const sentWith = body.writtenWith;
  let writtenWith: string | null = null;
  if (sentWith !== undefined) {
    if (typeof sentWith !== 'string')
      problems.push({ field: 'writtenWith', message: 'Who helped must be entered once, as text' });
    else {
      const w = sentWith.trim();
      if (HIDDEN_IN_ONE_LINE.test(w))
        problems.push({
          field: 'writtenWith',
          message: 'Who helped must be a single line of text without hidden control characters',
        });
      else if (w.length > WRITTEN_WITH_MAX)
        problems.push({
          field: 'writtenWith',
          message: `Who helped must be ${WRITTEN_WITH_MAX} characters or fewer`,
        });
      else writtenWith = w || null;
    }
  }

  if (problems.length === 0 && Object.keys(answers).length === 0) {
    const first = questions[0] as PupilVoiceQuestion;
    problems.push({
      field: takesWords(first) ? wordsField(first.id) : faceField(first.id),
      message: 'Answer at least one question: choose a face or write some words',
    });
  }
  return problems.length ? { ok: false, problems } : { ok: true, answers, writtenWith };
}

/** One answered question as pages, the PDF and the review form show it. */
export interface PupilVoiceLine {
  questionId: string;
  question: string;
  face: Face | null;
  /** The face's words ("Happy"), which is what a screen reader says and print shows. */
  faceWords: string | null;
  words: string | null;
}

/**
 * The answered questions in the order of their set, from answers as stored: anything not in the set
 * (a question since retired, a face unknown) is left out of what is shown, never invented.
 */
export function pupilVoiceLines(kind: PupilVoiceKind, answers: unknown): PupilVoiceLine[] {
  const stored = answers && typeof answers === 'object' ? (answers as Record<string, unknown>) : {};
  const lines: PupilVoiceLine[] = [];
  for (const q of PUPIL_VOICE_QUESTIONS[kind]) {
    const a = stored[q.id];
    if (!a || typeof a !== 'object') continue;
    const { face, words } = a as { face?: unknown; words?: unknown };
    const knownFace =
      typeof face === 'string' && (FACES as readonly string[]).includes(face) ? (face as Face) : null;
    const someWords = typeof words === 'string' && words.trim() ? words : null;
    if (!knownFace && !someWords) continue;
    lines.push({
      questionId: q.id,
      question: q.question,
      face: knownFace,
      faceWords: knownFace ? FACE_WORDS[knownFace] : null,
      words: someWords,
    });
  }
  return lines;
}

/** One line as plain text: "How has school been? Happy. I like maths." */
export function pupilVoiceLineText(line: PupilVoiceLine): string {
  const parts = [line.faceWords ? `${line.faceWords}.` : null, line.words].filter(Boolean);
  return `${line.question} ${parts.join(' ')}`;
}

/**
 * The pupil's views as text for the review's "pupil's views" field, so that nothing is typed twice:
 * one line per question answered, then who helped.
 */
export function pupilVoiceAsText(kind: PupilVoiceKind, answers: unknown, writtenWith: string | null): string {
  const lines = pupilVoiceLines(kind, answers).map(pupilVoiceLineText);
  if (writtenWith) lines.push(`(Written with ${writtenWith}.)`);
  return lines.join('\n');
}

/** The heading the pupil's own words go under: "In Kit's own words". */
export function ownWordsHeading(pupil: { forename: string; preferredName?: string | null }): string {
  const name = pupil.preferredName?.trim() || pupil.forename;
  return `In ${name}’s own words`;
}

/** The form's values from stored answers: each question's face and words, and who helped. */
export function pupilVoiceFormValues(
  kind: PupilVoiceKind,
  answers: unknown,
  writtenWith: string | null,
): Record<string, string> {
  const values: Record<string, string> = { writtenWith: writtenWith ?? '' };
  for (const line of pupilVoiceLines(kind, answers)) {
    if (line.face) values[faceField(line.questionId)] = line.face;
    if (line.words) values[wordsField(line.questionId)] = line.words;
  }
  return values;
}
