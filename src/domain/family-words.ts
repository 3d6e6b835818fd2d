/**
 * The school's words, explained for families in one short sentence each. Pages for parents and pupils
 * use these wherever the word first appears (a `<details>` or a hint), the same explanation everywhere.
 * Each sentence is tested for plain English (family-words.test.ts: Flesch reading ease).
 */
export const FAMILY_WORDS = {
  sen: {
    word: 'SEN',
    means:
      'SEN means special educational needs. It means your child needs more help to learn than most children of the same age.',
  },
  sen_support: {
    word: 'SEN support',
    means:
      'SEN support is the extra help the school gives your child. The school plans it, does it and checks how it is going.',
  },
  support_plan: {
    word: 'Support plan',
    means:
      'A support plan says what the school is working on with your child, how, and when it will be checked.',
  },
  target: {
    word: 'Target',
    means: 'A target is one thing the school hopes your child will be able to do by the next review.',
  },
  provision: {
    word: 'Provision',
    means: 'Provision is the help your child gets: a group, time with an adult, or something in class.',
  },
  review: {
    word: 'Review',
    means:
      'A review is a meeting to look at how the plan went and what to do next. Your views are part of it.',
  },
  senco: {
    word: 'SENCo',
    means: 'The SENCo is the teacher who leads the help for children with SEN at the school.',
  },
  ehc_plan: {
    word: 'EHC plan',
    means:
      'An EHC plan is a legal plan from the local council. It sets out your child’s needs and the help they must get.',
  },
  ehc_needs_assessment: {
    word: 'EHC needs assessment',
    means:
      'An EHC needs assessment is when the local council looks at your child’s needs in detail. It may lead to an EHC plan.',
  },
  annual_review: {
    word: 'Annual review',
    means: 'An annual review is a meeting, at least once a year, to check that the EHC plan is still right.',
  },
  consent: {
    word: 'Consent',
    means: 'Consent means you agree. You can change your mind at any time.',
  },
  outside_agency: {
    word: 'Outside agency',
    means:
      'An outside agency is a service that is not part of the school, such as a speech and language therapist.',
  },
  referral: {
    word: 'Referral',
    means: 'A referral is when the school asks an outside agency to see your child.',
  },
} as const;
export type FamilyWord = keyof typeof FAMILY_WORDS;
