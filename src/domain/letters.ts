import { addDays, formatDate, type IsoDate } from './dates.ts';
import { withArticle } from './plans.ts';

/**
 * Letters to parents and carers, from templates the SENCo keeps, with merge fields such as
 * {{pupil.forename}}. A template naming a field OpenSEND does not know is refused, naming the field.
 */

export const LETTER_KINDS = [
  'register_placement',
  'review_invitation',
  'plan_shared',
  'leaving_register',
  'other',
] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];
export const LETTER_KIND_LABELS: Record<LetterKind, string> = {
  register_placement: 'Placing a child on the SEN register',
  review_invitation: 'Inviting parents to a review meeting',
  plan_shared: 'Sharing a new plan',
  leaving_register: 'A child leaving the SEN register',
  other: 'Another letter',
};

export const SENT_VIA = ['post', 'email', 'by_hand', 'book_bag'] as const;
export type SentVia = (typeof SENT_VIA)[number];
export const SENT_VIA_LABELS: Record<SentVia, string> = {
  post: 'By post',
  email: 'By email',
  by_hand: 'Given by hand',
  book_bag: 'In the book bag',
};
/** How a letter went, inside a sentence ("Letter sent: … by post"). */
export const SENT_VIA_IN_TEXT: Record<SentVia, string> = {
  post: 'by post',
  email: 'by email',
  by_hand: 'by hand',
  book_bag: 'in the book bag',
};

/** Every merge field, with what it stands for (shown beside the template editor). */
export const MERGE_FIELDS = {
  'pupil.forename': 'The pupil’s first name (or the name they are known by)',
  'pupil.surname': 'The pupil’s last name',
  'pupil.fullName': 'The pupil’s full name',
  'pupil.dateOfBirth': 'The pupil’s date of birth',
  'pupil.class': 'The pupil’s class',
  'pupil.yearGroup': 'The pupil’s year group',
  'parents.names': 'The names of the parents and carers the letter is for',
  'parents.greeting': '“Dear …” with their names, or “Dear Parent/Carer”',
  'school.name': 'The school’s name',
  'senco.name': 'The SENCo’s name',
  today: 'Today’s date',
  'plan.name': 'What the school calls its support plans (for example, IEP)',
  'plan.nameWithArticle':
    'What the school calls its support plans with “a” or “an” before it, as said aloud (for example, an IEP, a Pupil Provision Plan)',
  'plan.startDate': 'The start date of the pupil’s current plan',
  'plan.reviewDate': 'The review date of the pupil’s current plan',
  'plan.targetCount': 'How many targets the plan has (before it has any, the most a plan may hold)',
  'pupil.provision':
    'The pupil’s current provision: each intervention, how often, who delivers it and since when (filled only for those who may read the pupil’s provision)',
  'meeting.date': 'The date of the review meeting (for an invitation)',
  'meeting.time': 'The time of the review meeting',
} as const;
export type MergeField = keyof typeof MERGE_FIELDS;
export const MERGE_FIELD_NAMES = Object.keys(MERGE_FIELDS) as MergeField[];

const FIELD = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The merge fields a template names that OpenSEND does not know. */
export function unknownMergeFields(template: string): string[] {
  const unknown = new Set<string>();
  for (const m of template.matchAll(FIELD)) {
    const name = m[1] ?? '';
    if (!(MERGE_FIELD_NAMES as string[]).includes(name)) unknown.add(name);
  }
  return [...unknown];
}

/** Unbalanced braces are as likely a typing slip as a field: say so. */
export function templateProblems(template: string): string[] {
  const problems: string[] = [];
  for (const name of unknownMergeFields(template)) {
    problems.push(`{{${name}}} is not a merge field OpenSEND knows: choose one from the list`);
  }
  const stray = template.replace(FIELD, '');
  if (stray.includes('{{') || stray.includes('}}')) {
    problems.push('A merge field is not closed: each one starts with {{ and ends with }}');
  }
  return problems;
}

/** Fill a template's fields; a field with no value (no plan yet, say) reads as a blank line to fill by hand. */
export function renderTemplate(template: string, values: Partial<Record<MergeField, string>>): string {
  return template.replace(FIELD, (_whole, name: string) => values[name as MergeField] ?? '______________');
}

/** Does the template (its body or slip) name the review meeting's date or time? */
export function usesMeeting(...texts: (string | null | undefined)[]): boolean {
  return texts.some((t) => /\{\{\s*meeting\./.test(t ?? ''));
}

/** "Ann", "Ann and Bo", "Ann, Bo and Cy". */
export function namesInText(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The letter's greeting: the recipients by name, or "Dear Parent/Carer" when none is named. */
export function greetingFor(names: readonly string[]): string {
  return names.length > 0 ? `Dear ${namesInText(names)}` : 'Dear Parent/Carer';
}

/**
 * What a letter says about its pupil beside its text (its heading, "About Joshua Hall, Year 1 Rowan",
 * and its slip's "Pupil:" line), kept on the letter as it was sent.
 */
export interface LetterPupilSnapshot {
  forename: string;
  surname: string;
  /** The pupil's class when the letter was sent, if they had one. */
  className: string | null;
}

/** What the merge fields are filled from when a letter is written. */
export interface MergeInput {
  pupil: {
    forename: string;
    preferredName: string | null;
    surname: string;
    dateOfBirth: IsoDate;
    className: string | null;
    yearGroup: string;
  };
  recipients: readonly string[];
  schoolName: string;
  sencoName: string | null;
  today: IsoDate;
  planName: string;
  /** The pupil's current plan: only its dates and how many targets it has, never its content. */
  plan: { startDate: IsoDate | null; reviewDate: IsoDate | null; targetCount: number } | null;
  /** The most targets the school lets a plan hold (what the letter promises before a plan has targets). */
  maxTargets: number;
  meeting: { date: IsoDate | null; time: string | null } | null;
  /** The pupil's current provision, or null when the writer may not read it (the field is left to fill by hand). */
  provision?: readonly CurrentProvision[] | null;
}

/** One group a pupil is in now, as a letter tells parents of it. */
export interface CurrentProvision {
  interventionName: string;
  /** "3 × 20 minutes a week" */
  frequency: string;
  /** "Tia Assistant (Teaching assistant)" */
  deliveredBy: string;
  since: IsoDate;
}

/** The pupil's current provision as lines of a letter: "Phonics catch-up group: 3 × 20 minutes a week, …". */
export function provisionText(provision: readonly CurrentProvision[]): string {
  if (provision.length === 0) return 'No additional provision at the moment';
  return provision
    .map(
      (p) =>
        `${p.interventionName}: ${p.frequency}, delivered by ${p.deliveredBy}, since ${formatDate(p.since)}`,
    )
    .join('\n');
}

/** The value of every merge field for one letter; a field with nothing to fill it is left out. */
export function mergeValues(input: MergeInput): Partial<Record<MergeField, string>> {
  const p = input.pupil;
  const values: Partial<Record<MergeField, string>> = {
    'pupil.forename': p.preferredName?.trim() || p.forename,
    'pupil.surname': p.surname,
    'pupil.fullName': `${p.forename} ${p.surname}`,
    'pupil.dateOfBirth': formatDate(p.dateOfBirth),
    'pupil.yearGroup': p.yearGroup,
    'parents.greeting': greetingFor(input.recipients),
    'school.name': input.schoolName,
    today: formatDate(input.today),
    'plan.name': input.planName,
    'plan.nameWithArticle': withArticle(input.planName),
  };
  if (p.className) values['pupil.class'] = p.className;
  if (input.recipients.length > 0) values['parents.names'] = namesInText(input.recipients);
  if (input.sencoName) values['senco.name'] = input.sencoName;
  const targets = input.plan && input.plan.targetCount > 0 ? input.plan.targetCount : input.maxTargets;
  values['plan.targetCount'] = String(targets);
  if (input.plan?.startDate) values['plan.startDate'] = formatDate(input.plan.startDate);
  if (input.plan?.reviewDate) values['plan.reviewDate'] = formatDate(input.plan.reviewDate);
  if (input.provision) values['pupil.provision'] = provisionText(input.provision);
  if (input.meeting?.date) values['meeting.date'] = formatDate(input.meeting.date);
  if (input.meeting?.time) values['meeting.time'] = input.meeting.time;
  return values;
}

/** Made-up values for previewing a template without naming a real pupil. */
export function sampleMergeInput(today: IsoDate, schoolName: string, planName: string, maxTargets: number) {
  return {
    pupil: {
      forename: 'Alex',
      preferredName: null,
      surname: 'Sample',
      dateOfBirth: '2018-03-14',
      className: 'Year 3 Willow',
      yearGroup: 'Year 3',
    },
    recipients: ['Jo Sample'],
    schoolName,
    sencoName: 'The SENCo',
    today,
    planName,
    plan: { startDate: today, reviewDate: addDays(today, 84), targetCount: 3 },
    maxTargets,
    meeting: { date: addDays(today, 14), time: '3:30pm' },
    provision: [
      {
        interventionName: 'Phonics catch-up group',
        frequency: '3 × 20 minutes a week',
        deliveredBy: 'A teaching assistant',
        since: addDays(today, -42),
      },
    ],
  } satisfies MergeInput;
}

/** A signed slip is chased when it has not come back three weeks after the letter went. */
export const SLIP_CHASE_DAYS = 21;

/** Letters sent on or before this day whose slip has not come back are overdue. */
export function slipsOverdueIfSentBy(today: IsoDate): IsoDate {
  return addDays(today, -SLIP_CHASE_DAYS);
}

export function slipOverdue(
  letter: { slipExpected: boolean; slipReturnedOn: IsoDate | null; sentOn: IsoDate },
  today: IsoDate,
): boolean {
  return letter.slipExpected && !letter.slipReturnedOn && letter.sentOn <= slipsOverdueIfSentBy(today);
}

/** The starter templates every school begins with; the SENCo can change any of them. */
export const STARTER_TEMPLATES: { kind: LetterKind; name: string; body: string; slip: string | null }[] = [
  {
    kind: 'register_placement',
    name: 'Placing a child on the SEN register',
    body: `{{today}}

{{parents.greeting}}

In discussions with staff who work with your child, it would seem that {{pupil.forename}} is finding it difficult to make the expected progress.

In order to support {{pupil.forename}}, we are placing them on our Special Educational Needs register. As part of this process {{pupil.forename}} will be given {{plan.nameWithArticle}} with up to {{plan.targetCount}} targets to work towards.

We would like to involve you in working with us to help {{pupil.forename}} to meet these targets, which are detailed on the attached copy of the {{plan.name}}.

You will have an opportunity to talk about these targets with the class teacher at parent consultation meetings, but you are most welcome to contact the school at any time to discuss how best to support {{pupil.forename}}. This can involve a meeting with the class teacher and myself.

Thank you for your support.

Yours sincerely

{{senco.name}}
SENCo, {{school.name}}`,
    slip: `To: {{senco.name}}, SENCo

I can confirm that I have received your letter explaining that my child {{pupil.fullName}} is on the SEN register.

Signed: ______________________________    Date: ______________`,
  },
  {
    kind: 'review_invitation',
    name: 'Inviting parents to a review meeting',
    body: `{{today}}

{{parents.greeting}}

It is time to review {{pupil.forename}}’s {{plan.name}}. We would like you to come to a meeting on {{meeting.date}} at {{meeting.time}} to talk about how {{pupil.forename}} is getting on, what has worked, and what comes next.

Your views matter: please think about how {{pupil.forename}} has been at home, and anything you would like us to know or try. {{pupil.forename}}’s own views will be part of the meeting too.

If the time does not suit you, please let the school office know and we will find another.

Yours sincerely

{{senco.name}}
SENCo, {{school.name}}`,
    slip: `To: {{senco.name}}, SENCo

I will / will not be able to come to the review of {{pupil.fullName}}’s {{plan.name}} on {{meeting.date}} at {{meeting.time}}.

Signed: ______________________________    Date: ______________`,
  },
  {
    kind: 'plan_shared',
    name: 'Sharing a new plan',
    body: `{{today}}

{{parents.greeting}}

Please find attached {{pupil.forename}}’s new {{plan.name}}, which starts on {{plan.startDate}}. It sets out {{plan.targetCount}} targets, how we will work on them in school, and how you can help at home.

We will review it together on or around {{plan.reviewDate}}. Please contact the class teacher or me at any time if you have questions.

Yours sincerely

{{senco.name}}
SENCo, {{school.name}}`,
    slip: null,
  },
  {
    kind: 'leaving_register',
    name: 'A child leaving the SEN register',
    body: `{{today}}

{{parents.greeting}}

I am pleased to tell you that {{pupil.forename}} has made good progress, and after reviewing their {{plan.name}} we no longer think they need support additional to or different from other children in the class. {{pupil.forename}} is therefore leaving our Special Educational Needs register.

Class teachers will keep a close eye on {{pupil.forename}}’s progress as they do for every child, and you are welcome to contact the school at any time if you have concerns.

Yours sincerely

{{senco.name}}
SENCo, {{school.name}}`,
    slip: null,
  },
];
