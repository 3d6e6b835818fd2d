import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { formatDate } from '../../domain/dates.ts';
import { LETTER_REPLY_LABELS, type LetterReply } from '../../domain/family.ts';
import { HIDDEN_IN_LONG_TEXT } from '../../domain/text.ts';
import {
  insertLetterReply,
  type LetterReplyRow,
  letterOfChild,
  replyOf,
} from '../../repositories/letter-replies.ts';
import { recordSlipReturn } from '../../repositories/letters.ts';
import type { Actor } from '../kernel/actor.ts';
import type { Clock } from '../kernel/clock.ts';
import { NotFoundError, ValidationError } from '../kernel/errors.ts';
import { auditFamilyRead, changeAsFamily, familyChild } from './access.ts';

/*
 * A parent's reply to a letter (docs/adr/0039): the Appendix D slip online ("I have read this letter
 * and agree"), or "I would like to talk about this" with a note. Each parent's own reply is kept, one per
 * letter; the first acknowledgement fills the letter's slip as if it had come back (the rule staff use
 * to record a slip: a letter with a slip, the day it came back not before the letter was sent). A slip
 * already recorded on paper stays as it was: both are kept.
 */

export const LETTER_REPLY_NOTE_MAX = 2000;

/** What a parent says about coming to a review meeting, when the letter invites them to one. */
export const MEETING_ANSWERS = ['coming', 'not_coming'] as const;
export type MeetingAnswer = (typeof MEETING_ANSWERS)[number];
export const MEETING_ANSWER_TEXT: Record<MeetingAnswer, string> = {
  coming: 'I will come to the meeting',
  not_coming: 'I will not be able to come to the meeting',
};

export interface LetterReplyInput {
  reply: LetterReply;
  /** Their note (want to talk): what about, when to call. */
  note: string | null;
  /** For an invitation to a review meeting, whether they will come (acknowledged only). */
  meeting?: MeetingAnswer | null;
}

const LETTERS_CONTRIBUTE = { section: 'letters', level: 'contribute' } as const;

const letterNotFound = (letterId: string) =>
  new NotFoundError('Letter not found', { kind: 'letter', id: letterId });

/** What a parent may send about a letter: an acknowledgement needs a slip; anyone may ask to talk. */
function replyChoices(l: { slip: string | null; slipExpected: boolean; kind: string }) {
  const hasSlip = l.slipExpected && l.slip !== null;
  return {
    mayAcknowledge: hasSlip,
    mayTalk: true,
    /** An invitation to a review meeting asks whether they will come (the slip's "will / will not"). */
    asksAboutMeeting: hasSlip && l.kind === 'review_invitation',
  };
}

/** A reply as the parent sees it again ("You replied on 3 December: read and agreed"). */
export function replySummary(r: Pick<LetterReplyRow, 'reply' | 'repliedAt' | 'note'>) {
  return {
    reply: r.reply,
    label: LETTER_REPLY_LABELS[r.reply],
    repliedOn: formatDate(r.repliedAt.toISOString().slice(0, 10)),
    note: r.note,
  };
}

export function createFamilyLetterService(database: Database, clock: Clock) {
  const { db } = database;

  return {
    /**
     * The reply part of a letter's page for a parent: what they may send, and what they sent already.
     * The letter is found through the child; another family's letter is "not found".
     */
    async replyState(actor: Actor, pupilId: string, letterId: string) {
      const child = await familyChild(db, actor, pupilId, { section: 'letters' });
      const l = await letterOfChild(
        db,
        {
          schoolId: child.pupil.schoolId,
          pupilId: child.pupil.id,
          carerIds: child.carers.map((c) => c.id),
        },
        letterId,
        clock.today(),
      );
      if (!l) throw letterNotFound(letterId);
      const mine = await replyOf(db, l.schoolId, l.id, child.parent.userId);
      return {
        letterId: l.id,
        pupilId: child.pupil.id,
        ...replyChoices(l),
        mine: mine ? replySummary(mine) : null,
      };
    },

    /**
     * A minimal letter page (the letter as sent, with the reply form), audited as a read of the letter.
     * The reading pages show letters in full; this is the same letter reached the same way.
     */
    async letter(
      actor: Actor,
      pupilId: string,
      letterId: string,
      options: { audit: boolean } = { audit: true },
    ) {
      const child = await familyChild(db, actor, pupilId, { section: 'letters' });
      const l = await letterOfChild(
        db,
        {
          schoolId: child.pupil.schoolId,
          pupilId: child.pupil.id,
          carerIds: child.carers.map((c) => c.id),
        },
        letterId,
        clock.today(),
      );
      if (!l) throw letterNotFound(letterId);
      if (options.audit)
        await auditFamilyRead(db, child.parent, child, 'family.read', { record: 'letter', id: l.id });
      const mine = await replyOf(db, l.schoolId, l.id, child.parent.userId);
      return {
        pupilId: child.pupil.id,
        childName: `${child.pupil.preferredName ?? child.pupil.forename} ${child.pupil.surname}`,
        schoolName: child.schoolName,
        letter: { id: l.id, body: l.body, slip: l.slip, sentOn: l.sentOn, kind: l.kind },
        reply: {
          letterId: l.id,
          pupilId: child.pupil.id,
          ...replyChoices(l),
          mine: mine ? replySummary(mine) : null,
        },
      };
    },

    /**
     * Reply to a letter: acknowledged (the slip, online) or want to talk. A second reply by the same
     * parent changes nothing and says what they replied. A hostile note is refused with a message.
     */
    async reply(actor: Actor, pupilId: string, letterId: string, input: LetterReplyInput) {
      const note = input.note?.replace(/\r\n?/g, '\n').trim() || null;
      if (note && HIDDEN_IN_LONG_TEXT.test(note))
        throw new ValidationError([
          {
            field: 'note',
            message: 'Your note must not contain hidden control characters: type or paste it again',
          },
        ]);
      if (note && note.length > LETTER_REPLY_NOTE_MAX)
        throw new ValidationError([
          { field: 'note', message: `Your note must be ${LETTER_REPLY_NOTE_MAX} characters or fewer` },
        ]);
      return changeAsFamily(db, actor, pupilId, LETTERS_CONTRIBUTE, async (w) => {
        const child = w.child;
        const today = clock.today();
        const l = await letterOfChild(
          w.tx,
          {
            schoolId: child.pupil.schoolId,
            pupilId: child.pupil.id,
            carerIds: child.carers.map((c) => c.id),
          },
          letterId,
          today,
          { lock: true },
        );
        if (!l) throw letterNotFound(letterId);
        const earlier = await replyOf(w.tx, l.schoolId, l.id, w.actor.userId);
        if (earlier) {
          const s = replySummary(earlier);
          throw new ValidationError([
            {
              field: 'reply',
              message: `You already replied to this letter on ${s.repliedOn} (${s.label.toLowerCase()}). Nothing has changed. To change your reply, contact the school.`,
            },
          ]);
        }
        const choices = replyChoices(l);
        if (input.reply === 'acknowledged' && !choices.mayAcknowledge)
          throw new ValidationError([
            {
              field: 'reply',
              message:
                'This letter has no slip to return. You can still tell the school you would like to talk.',
            },
          ]);
        let meetingText: string | null = null;
        if (input.reply === 'acknowledged' && choices.asksAboutMeeting) {
          if (!input.meeting)
            throw new ValidationError([
              { field: 'meeting', message: 'Say whether you will come to the meeting' },
            ]);
          meetingText = MEETING_ANSWER_TEXT[input.meeting];
        }
        const carer = child.carers[0]!;
        // Whatever they wrote is kept with either reply (with their answer about the meeting).
        const storedNote =
          input.reply === 'want_to_talk'
            ? note
            : [meetingText, note].filter((x): x is string => Boolean(x)).join('\n') || null;
        const id = randomUUID();
        await insertLetterReply(w.tx, {
          schoolId: l.schoolId,
          id,
          letterId: l.id,
          pupilId: l.pupilId,
          userId: w.actor.userId,
          parentCarerId: carer.id,
          repliedByName: carer.name,
          reply: input.reply,
          note: storedNote,
        });
        // The first acknowledgement is the slip coming back; one recorded on paper already stays.
        let slipFilled = false;
        if (input.reply === 'acknowledged' && !l.slipReturnedOn) {
          slipFilled = await recordSlipReturn(w.tx, l.schoolId, l.id, l.version, {
            slipReturnedOn: today < l.sentOn ? l.sentOn : today,
            slipNote: `Acknowledged online by ${carer.name}${meetingText ? `: ${meetingText.replace(/^I will/, 'will')}` : ''}`,
            slipRecordedBy: w.actor.userId,
            slipRecordedByName: `${carer.name} (online)`,
          });
        }
        w.audit('family.letter_replied', {
          pupilId: l.pupilId,
          detail: { letterId: l.id, replyId: id, reply: input.reply, slipFilled },
        });
        return { replyId: id, slipFilled };
      });
    },
  };
}

export type FamilyLetterService = ReturnType<typeof createFamilyLetterService>;
