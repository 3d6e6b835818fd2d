import { formatDate, type IsoDate } from '../domain/dates.ts';
import { LETTER_KIND_LABELS, type LetterKind, SENT_VIA_LABELS, type SentVia } from '../domain/letters.ts';

/*
 * A letter as its page, its print view and its PDF show it: one shape, no web imports.
 */

export interface LetterSource {
  kind: LetterKind;
  body: string;
  slip: string | null;
  recipients: string;
  sentOn: IsoDate;
  sentVia: SentVia;
  sentByName: string;
  pupil: { forename: string; surname: string; className: string | null };
  schoolName: string;
}

export function letterDocument(l: LetterSource) {
  const pupilName = `${l.pupil.forename} ${l.pupil.surname}`;
  const subject = LETTER_KIND_LABELS[l.kind];
  return {
    /** The PDF's title and the print view's page title. */
    title: `${pupilName} – ${subject}`,
    subject,
    schoolName: l.schoolName,
    pupilName,
    about: `About ${pupilName}${l.pupil.className ? `, ${l.pupil.className}` : ''}`,
    body: l.body,
    slip: l.slip
      ? {
          heading: 'Reply slip: please sign and return this part to the school',
          text: l.slip,
          /** So the office can tell whose slip came back. */
          pupilLine: `Pupil: ${pupilName}${l.pupil.className ? ` (${l.pupil.className})` : ''}`,
        }
      : null,
    sent: `Sent to ${l.recipients} on ${formatDate(l.sentOn)}: ${SENT_VIA_LABELS[l.sentVia]} (${l.sentByName})`,
  };
}

export type LetterDocument = ReturnType<typeof letterDocument>;
