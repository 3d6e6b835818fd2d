import { ageOn } from './calendar.ts';
import { addYears, compareIsoDates, formatDate, type IsoDate } from './dates.ts';
import type { RequestedBy, SchoolRequestStatus } from './ehc.ts';
import { type EvidencePack, type PackItem, packItems } from './ehc-pack.ts';

/*
 * The rules of a school's request for an EHC needs assessment as the SENCo writes it (docs/adr/0036):
 * who may ask (the school, a parent in their own words, a young person from 16), whose consent it rests
 * on, the items of the evidence pack the SENCo may leave out or mark as recent and sufficient advice,
 * and what must be in place before it is sent. Pure: the service and the pages call these.
 */

/** A young person may ask for their own assessment from this age (Children and Families Act 2014 s36(1)). */
export const YOUNG_PERSON_REQUEST_AGE = 16;

export interface RequesterInput {
  requestedBy: RequestedBy;
  /** The parent or carer who asked (a parent's own request), with what the school holds of them. */
  parent: { parentalResponsibility: boolean; courtOrder: boolean } | null;
  parentRequestNote: string | null;
  pupilDateOfBirth: IsoDate;
}

/** Why the request cannot be recorded as asked by this person (each by its field), or none. */
export function requesterProblems(
  input: RequesterInput,
  today: IsoDate,
): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (input.requestedBy === 'parent') {
    if (!input.parent) problems.push({ field: 'parentId', message: 'Choose the parent or carer who asked' });
    else if (!input.parent.parentalResponsibility || input.parent.courtOrder)
      problems.push({
        field: 'parentId',
        message: 'Choose a parent or carer with parental responsibility: only they can ask for an assessment',
      });
    if (!input.parentRequestNote?.trim())
      problems.push({
        field: 'parentRequestNote',
        message: 'Write down what the parent asked for, in their own words',
      });
  }
  if (input.requestedBy === 'young_person' && ageOn(input.pupilDateOfBirth, today) < YOUNG_PERSON_REQUEST_AGE)
    problems.push({
      field: 'requestedBy',
      message: `A young person can ask for their own assessment from the age of ${YOUNG_PERSON_REQUEST_AGE}: choose the school or the parent`,
    });
  return problems;
}

export interface ConsentInput {
  parent: { parentalResponsibility: boolean; courtOrder: boolean } | null;
  givenOn: IsoDate;
  pupilDateOfBirth: IsoDate;
}

/** Consent given longer ago than this (in months) is not consent to the request being written now. */
export const CONSENT_FRESH_MONTHS = 12;

/**
 * Why this consent for the assessment cannot be recorded, or none. It is given on a day not in the
 * future, not before the child was born, and within the last 12 months: consent older than that was
 * given to something else, not to this request.
 */
export function assessmentConsentProblems(
  input: ConsentInput,
  today: IsoDate,
): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (!input.parent)
    problems.push({ field: 'parentId', message: 'Choose the parent or carer who gave consent' });
  else if (!input.parent.parentalResponsibility || input.parent.courtOrder)
    problems.push({
      field: 'parentId',
      message:
        'Choose a parent or carer with parental responsibility: only they can consent to the assessment',
    });
  const oldest = addYears(today, -CONSENT_FRESH_MONTHS / 12);
  if (compareIsoDates(input.givenOn, today) > 0)
    problems.push({ field: 'consentOn', message: 'The date consent was given cannot be in the future' });
  else if (compareIsoDates(input.givenOn, input.pupilDateOfBirth) < 0)
    problems.push({
      field: 'consentOn',
      message: `The date consent was given cannot be before the child was born (${formatDate(input.pupilDateOfBirth)})`,
    });
  else if (compareIsoDates(input.givenOn, oldest) < 0)
    problems.push({
      field: 'consentOn',
      message: `Consent given more than 12 months ago is not consent to this request: ask the parent again and enter the date they gave it (${formatDate(oldest)} or later)`,
    });
  return problems;
}

export interface RequestToSend {
  status: SchoolRequestStatus;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  consentParentId: string | null;
  consentOn: IsoDate | null;
  withdrawnOn: IsoDate | null;
}

/**
 * What must be put right before the request can be sent (none: it can be). The check of the evidence
 * itself (two reviewed plans, a baseline, the EP's advice…) is advice to the SENCo, not a bar: the
 * local authority decides on what it receives.
 */
export function sendProblems(r: RequestToSend): string[] {
  if (r.status === 'sent') return ['It has already been sent'];
  if (r.status === 'withdrawn')
    return [`It was withdrawn${r.withdrawnOn ? ` on ${formatDate(r.withdrawnOn)}` : ''}`];
  const problems: string[] = [];
  if (!r.consentParentId || !r.consentOn)
    problems.push('Record the consent of a parent with parental responsibility to the assessment');
  if (!r.contactName?.trim()) problems.push('Enter the name of the person completing the request');
  if (!r.contactEmail?.trim() && !r.contactPhone?.trim())
    problems.push('Enter an email address or a phone number the local authority can reach them on');
  return problems;
}

/** What may be done to a request in this state: only a request being written changes. */
export function isBeingWritten(status: SchoolRequestStatus): boolean {
  return status === 'draft';
}

/** A request may be withdrawn while it is written or once sent; not twice. */
export function mayBeWithdrawn(status: SchoolRequestStatus): boolean {
  return status === 'draft' || status === 'sent';
}

/** The agency reports of the pack, which the SENCo may mark as recent and sufficient (reg 6(4)). */
export function reportItems(pack: EvidencePack): PackItem[] {
  return packItems(pack).filter((i) => i.key.startsWith('report:'));
}

/**
 * The choices the SENCo sent back, checked against the pack as it stands: a key the pack does not hold
 * (made up, another pupil's, or an item gone since the page was shown) is named, never kept.
 */
export function choiceProblems(
  pack: EvidencePack,
  choices: { leftOut: readonly string[]; sufficient: readonly string[] },
): { field: string; message: string }[] {
  const leavable = new Set(packItems(pack).map((i) => i.key));
  const reports = new Set(reportItems(pack).map((i) => i.key));
  const problems: { field: string; message: string }[] = [];
  if (choices.leftOut.some((k) => !leavable.has(k)))
    problems.push({
      field: 'leftOut',
      message: 'Something chosen to leave out is no longer in the pack: check the items below and save again',
    });
  if (choices.sufficient.some((k) => !reports.has(k)))
    problems.push({
      field: 'sufficient',
      message: 'Choose the reports that are recent and sufficient from the reports in the pack',
    });
  return problems;
}
