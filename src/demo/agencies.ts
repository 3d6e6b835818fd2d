import {
  type RecommendationKind,
  recommendationSource,
  type ServiceKind,
  withStrategy,
} from '../domain/agencies.ts';
import type { AreaOfNeed } from '../domain/census.ts';
import { addDays, type IsoDate } from '../domain/dates.ts';
import type { ConsentHow, ReferralStatus } from '../domain/referrals.ts';
import { isSchoolDay } from '../domain/school-days.ts';
import type {
  AgencyInsert,
  AgencyProfessionalInsert,
  AgencyReportInsert,
  RecommendationInsert,
  RecommendationUseInsert,
  ReferralConsentInsert,
  ReferralEventInsert,
  ReferralInsert,
} from '../repositories/agencies.ts';
import type { DemoSchool } from './generate.ts';
import type { Random } from './random.ts';

/*
 * The demo's outside agencies: Northshire's shared directory for its schools (about a dozen services
 * across the kinds, each with its contact, how to refer, the wait and a professional or two), the first
 * school's own few (its Thrive practitioner, its school nurse), and a history of referrals of its pupils
 * in every state, with the consent each rests on, every step on a school day.
 */

interface Service {
  name: string;
  kind: ServiceKind;
  contact: string;
  email: string;
  phone: string;
  howToRefer: string;
  needs: string;
  waitWeeks: number;
  people: { name: string; jobTitle: string; email: string }[];
}

const LA_SERVICES: Service[] = [
  {
    name: 'Northshire Educational Psychology Service',
    kind: 'educational_psychology',
    contact: 'Duty psychologist',
    email: 'eps@northshire.example',
    phone: '01632 960100',
    howToRefer:
      'The request for involvement form, agreed at the termly planning meeting with the link psychologist',
    needs: 'The support plan with two cycles of assess, plan, do, review; parents’ views; consent to share',
    waitWeeks: 10,
    people: [
      {
        name: 'Dr Priya Shah',
        jobTitle: 'Educational psychologist',
        email: 'psychologist@northshire.example',
      },
      {
        name: 'Tom Baird',
        jobTitle: 'Assistant educational psychologist',
        email: 't.baird@northshire.example',
      },
    ],
  },
  {
    name: 'Northshire Speech and Language Therapy',
    kind: 'speech_and_language_therapy',
    contact: 'Children’s therapy hub',
    email: 'salt@northshire.example',
    phone: '01632 960110',
    howToRefer: 'The children’s therapy referral form, by secure email',
    needs: 'What has been tried in class, any language assessment, hearing test date',
    waitWeeks: 18,
    people: [
      { name: 'Jo Carter', jobTitle: 'Speech and language therapist', email: 'j.carter@northshire.example' },
    ],
  },
  {
    name: 'Northshire Children’s Occupational Therapy',
    kind: 'occupational_therapy',
    contact: 'Children’s therapy hub',
    email: 'ot@northshire.example',
    phone: '01632 960111',
    howToRefer: 'The children’s therapy referral form, by secure email',
    needs: 'Examples of handwriting and a note of sensory needs seen in school',
    waitWeeks: 26,
    people: [{ name: 'Asha Patel', jobTitle: 'Occupational therapist', email: 'a.patel@northshire.example' }],
  },
  {
    name: 'Northshire Children’s Physiotherapy',
    kind: 'physiotherapy',
    contact: 'Children’s therapy hub',
    email: 'physio@northshire.example',
    phone: '01632 960112',
    howToRefer: 'By the GP or the school nurse, with the school’s observations',
    needs: 'Observations from PE and the playground',
    waitWeeks: 16,
    people: [
      { name: 'Ben Hughes', jobTitle: 'Paediatric physiotherapist', email: 'b.hughes@northshire.example' },
    ],
  },
  {
    name: 'Northshire CAMHS',
    kind: 'camhs',
    contact: 'Single point of access',
    email: 'camhs.spa@northshire.example',
    phone: '01632 960120',
    howToRefer: 'Through the single point of access, by the school or the GP',
    needs: 'The concern, what the school has put in place, and the family’s views',
    waitWeeks: 30,
    people: [
      { name: 'Dr Ruth Ellis', jobTitle: 'Clinical psychologist', email: 'r.ellis@northshire.example' },
    ],
  },
  {
    name: 'Northshire Mental Health Support Team',
    kind: 'mental_health_support_team',
    contact: 'Education mental health practitioner',
    email: 'mhst@northshire.example',
    phone: '01632 960121',
    howToRefer: 'Discuss at the half-termly consultation, then the short referral form',
    needs: 'Attendance, what the worries look like in school',
    waitWeeks: 6,
    people: [
      {
        name: 'Sara Khan',
        jobTitle: 'Education mental health practitioner',
        email: 's.khan@northshire.example',
      },
    ],
  },
  {
    name: 'Northshire Autism Outreach Team',
    kind: 'specialist_teacher_autism',
    contact: 'Team leader',
    email: 'autism.outreach@northshire.example',
    phone: '01632 960130',
    howToRefer: 'The outreach request form with the SENCo’s signature',
    needs: 'The support plan and a sensory checklist',
    waitWeeks: 8,
    people: [
      { name: 'Lucy Grant', jobTitle: 'Specialist teacher (autism)', email: 'l.grant@northshire.example' },
    ],
  },
  {
    name: 'Northshire Sensory Support Service',
    kind: 'specialist_teacher_sensory',
    contact: 'Qualified teacher of the deaf',
    email: 'sensory@northshire.example',
    phone: '01632 960131',
    howToRefer: 'By the audiology or eye clinic, or the school with the family’s consent',
    needs: 'The latest hearing or vision report',
    waitWeeks: 4,
    people: [
      { name: 'Mark Owen', jobTitle: 'Qualified teacher of the deaf', email: 'm.owen@northshire.example' },
    ],
  },
  {
    name: 'Northshire Learning Support Service',
    kind: 'specialist_teacher_learning',
    contact: 'Service manager',
    email: 'learning.support@northshire.example',
    phone: '01632 960132',
    howToRefer: 'The request for advice form, termly',
    needs: 'Reading and spelling ages, what has been tried and for how long',
    waitWeeks: 6,
    people: [
      { name: 'Helen Price', jobTitle: 'Specialist teacher (learning)', email: 'h.price@northshire.example' },
    ],
  },
  {
    name: 'Northshire Early Help',
    kind: 'early_help',
    contact: 'Early help hub',
    email: 'earlyhelp@northshire.example',
    phone: '01632 960140',
    howToRefer: 'An Early Help Assessment (EHAT) completed with the family',
    needs: 'The EHAT signed by the family',
    waitWeeks: 3,
    people: [{ name: 'Chris Lowe', jobTitle: 'Family support worker', email: 'c.lowe@northshire.example' }],
  },
  {
    name: 'Northshire Children’s Social Care',
    kind: 'social_care',
    contact: 'Front door',
    email: 'frontdoor@northshire.example',
    phone: '01632 960150',
    howToRefer: 'By telephone to the front door, followed by the written referral within 48 hours',
    needs: 'The concern, the child’s views, what the family knows',
    waitWeeks: 0,
    people: [{ name: 'Duty social worker', jobTitle: 'Social worker', email: 'duty.sw@northshire.example' }],
  },
  {
    name: 'Northshire Play Therapy Service',
    kind: 'play_and_art_therapy',
    contact: 'Play therapist',
    email: 'play.therapy@northshire.example',
    phone: '01632 960160',
    howToRefer: 'The referral form, with the family’s agreement',
    needs: 'What the school sees, and what the family hopes for',
    waitWeeks: 12,
    people: [{ name: 'Nina Ross', jobTitle: 'Play therapist', email: 'n.ross@northshire.example' }],
  },
];

const SCHOOL_SERVICES: Service[] = [
  {
    name: 'Thrive at Brookfield',
    kind: 'thrive',
    contact: 'Thrive practitioner',
    email: 'thrive@brookfield.example',
    phone: '01632 960200',
    howToRefer: 'Talk to the Thrive practitioner; an assessment is done in class',
    needs: 'The class teacher’s Thrive profile',
    waitWeeks: 2,
    people: [
      { name: 'Kerry Moss', jobTitle: 'Licensed Thrive practitioner', email: 'k.moss@brookfield.example' },
    ],
  },
  {
    name: 'Brookfield school nurse',
    kind: 'school_nurse',
    contact: 'School nursing team',
    email: 'school.nurse@northshire.example',
    phone: '01632 960210',
    howToRefer: 'The school nursing request form',
    needs: 'The health concern and the family’s agreement',
    waitWeeks: 2,
    people: [{ name: 'Amy Reid', jobTitle: 'School nurse', email: 'a.reid@northshire.example' }],
  },
];

function directory(
  services: Service[],
  owner: { ownerId: string; ownerKind: 'school' | 'organisation' },
  r: Random,
  professionalUserIds: Record<string, string>,
) {
  const agencies: AgencyInsert[] = [];
  const professionals: AgencyProfessionalInsert[] = [];
  for (const s of services) {
    const id = r.uuid();
    agencies.push({
      ...owner,
      id,
      name: s.name,
      serviceKind: s.kind,
      contactName: s.contact,
      email: s.email,
      phone: s.phone,
      howToRefer: s.howToRefer,
      needsFromSchool: s.needs,
      typicalWaitWeeks: s.waitWeeks,
      updatedByName: owner.ownerKind === 'organisation' ? 'Morgan Ellis' : 'The SENCo',
    });
    for (const p of s.people)
      professionals.push({
        ownerId: owner.ownerId,
        agencyId: id,
        id: r.uuid(),
        name: p.name,
        jobTitle: p.jobTitle,
        email: p.email,
        userId: professionalUserIds[p.email] ?? null,
      });
  }
  return { agencies, professionals };
}

export interface DemoAgencies {
  agencies: AgencyInsert[];
  professionals: AgencyProfessionalInsert[];
  referrals: ReferralInsert[];
  events: ReferralEventInsert[];
  consents: ReferralConsentInsert[];
  /** The educational psychology referral each pupil shared with the psychologist rests on. */
  referralOfShare: Map<string, string>;
  /** Reports back (entered by the school from paper or email), their recommendations, and their uses. */
  reports: AgencyReportInsert[];
  recommendations: RecommendationInsert[];
  uses: RecommendationUseInsert[];
  /** Plans whose strategies gained one. */
  planStrategies: { planId: string; qualityFirst: string }[];
  /** The report that came with a file (the occupational therapist's, by email). */
  reportWithFile: { reportId: string; title: string } | null;
}

interface DemoReport {
  authorName: string;
  authorRole: string;
  title: string;
  summary: string;
  items: { area: AreaOfNeed; kind: RecommendationKind; text: string }[];
  /** Put the strategy into the pupil's plan in place (advice acted on). */
  used: boolean;
  withFile: boolean;
}

/**
 * The directory and the referrals. `shared` are the pupils whose records the SENCo shared with the
 * psychologist (live, then one ended last year): each share is given the referral it was made for.
 */
export function demoAgencies(
  demo: DemoSchool,
  organisationId: string,
  today: IsoDate,
  r: Random,
  people: { psychologistId: string; shared: { live: string[]; ended: string[] } },
): DemoAgencies {
  const la = directory(LA_SERVICES, { ownerId: organisationId, ownerKind: 'organisation' }, r, {
    'psychologist@northshire.example': people.psychologistId,
  });
  const own = directory(SCHOOL_SERVICES, { ownerId: demo.school.id, ownerKind: 'school' }, r, {});
  const agencies = [...la.agencies, ...own.agencies];
  const byKind = (kind: ServiceKind) => agencies.find((a) => a.serviceKind === kind)!;
  const day = (daysAgo: number): IsoDate => {
    let d = addDays(today, -daysAgo);
    while (!isSchoolDay(d)) d = addDays(d, -1);
    return d;
  };
  const senco = demo.staff.find((s) => s.roles.includes('senco'))!;
  const parentOf = (pupilId: string) =>
    demo.parents.find((c) => c.pupilId === pupilId && c.parentalResponsibility !== false);
  const onSupport = demo.pupils
    .filter((p) => p.senStage === 'sen_support' && !p.leftOn && parentOf(p.id!))
    .sort((a, b) => a.surname.localeCompare(b.surname) || a.forename.localeCompare(b.forename));
  const referrals: ReferralInsert[] = [];
  const events: ReferralEventInsert[] = [];
  const consents: ReferralConsentInsert[] = [];
  const referralOfShare = new Map<string, string>();
  const reports: AgencyReportInsert[] = [];
  const recommendations: RecommendationInsert[] = [];
  const uses: RecommendationUseInsert[] = [];
  const planStrategies: { planId: string; qualityFirst: string }[] = [];
  let reportWithFile: DemoAgencies['reportWithFile'] = null;

  /**
   * A report back, entered by the SENCo from what came by post or email; when it was acted on, its
   * strategy goes into the pupil's plan in place, carrying its source.
   */
  const addReport = (
    spec: DemoReport,
    referral: { id: string; pupilId: string; agencyName: string },
    writtenOn: IsoDate,
  ) => {
    const reportId = r.uuid();
    reports.push({
      schoolId: demo.school.id,
      id: reportId,
      referralId: referral.id,
      pupilId: referral.pupilId,
      agencyName: referral.agencyName,
      authorName: spec.authorName,
      authorRole: spec.authorRole,
      title: spec.title,
      writtenOn,
      summary: spec.summary,
      submittedBy: 'school',
      uploadedBy: senco.id,
      uploadedByName: senco.name,
      createdAt: new Date(`${writtenOn}T15:30:00Z`),
    });
    if (spec.withFile) reportWithFile = { reportId, title: spec.title };
    const rows = spec.items.map((item, i) => ({
      schoolId: demo.school.id,
      id: r.uuid(),
      reportId,
      pupilId: referral.pupilId,
      position: i + 1,
      area: item.area,
      kind: item.kind,
      text: item.text,
      createdByName: senco.name,
      createdAt: new Date(`${writtenOn}T15:30:00Z`),
    }));
    recommendations.push(...rows);
    if (!spec.used) return;
    const plan = demo.plans.plans.find(
      (pl) => pl.pupilId === referral.pupilId && (pl.status === 'active' || pl.status === 'draft'),
    );
    if (!plan) return;
    const source = recommendationSource({
      authorRole: spec.authorRole,
      agencyName: referral.agencyName,
      writtenOn,
    });
    const strategy = rows.find((x) => x.kind === 'strategy');
    if (strategy) {
      planStrategies.push({
        planId: plan.id!,
        qualityFirst: withStrategy(plan.qualityFirst ?? null, strategy.text, source),
      });
      uses.push({
        schoolId: demo.school.id,
        id: r.uuid(),
        recommendationId: strategy.id,
        pupilId: referral.pupilId,
        usedAs: 'strategy',
        planId: plan.id!,
        planField: 'qualityFirst',
        usedBy: senco.id,
        usedByName: senco.name,
      });
    }
    // The target waits for the next plan: the half-termly checks of this one already list its targets.
  };

  interface Plan {
    pupilId: string;
    kind: ServiceKind;
    question: string;
    tried: string;
    steps: [ReferralStatus, number, string | null][];
    consent: { how: ConsentHow; daysAgo: number; withdrawnDaysAgo?: number } | null;
    respondByDaysAgo?: number;
    reportDueDaysAgo?: number;
    forEhc?: boolean;
    endReason?: string;
    report?: DemoReport;
  }
  const used = new Set([...people.shared.live, ...people.shared.ended]);
  const others = onSupport.filter((p) => !used.has(p.id!)).map((p) => p.id!);
  const [live1, live2, live3] = people.shared.live;
  const plans: Plan[] = [
    ...(live1
      ? [
          {
            pupilId: live1,
            kind: 'educational_psychology' as const,
            question: 'What is getting in the way of learning to read, and what would help in class?',
            tried:
              'Phonics catch-up group 4 × 20 minutes a week since September; precision teaching; coloured overlays',
            steps: [
              ['drafted', 50, null],
              ['sent', 42, null],
              ['accepted', 30, 'Allocated to Dr Priya Shah'],
              ['seen', 8, 'Observed in class and met with parents'],
            ] as [ReferralStatus, number, string | null][],
            consent: { how: 'in_person' as const, daysAgo: 45 },
          },
        ]
      : []),
    ...(live2
      ? [
          {
            pupilId: live2,
            kind: 'educational_psychology' as const,
            question: 'How can we support working memory and attention in maths?',
            tried: 'Numicon group 3 × 30 minutes a week for a term; visual prompts; a work station',
            steps: [
              ['drafted', 38, null],
              ['sent', 35, null],
            ] as [ReferralStatus, number, string | null][],
            consent: { how: 'signed_form' as const, daysAgo: 36 },
            respondByDaysAgo: 14,
          },
        ]
      : []),
    ...(live3
      ? [
          {
            pupilId: live3,
            kind: 'educational_psychology' as const,
            question: 'Advice for the annual review of the EHC plan: is the current provision still right?',
            tried: 'The provision of the EHC plan, sections F; a daily check-in with the key adult',
            steps: [
              ['drafted', 30, null],
              ['sent', 28, null],
              ['waiting_list', 20, 'On the waiting list: about ten weeks'],
            ] as [ReferralStatus, number, string | null][],
            consent: { how: 'email' as const, daysAgo: 29 },
          },
        ]
      : []),
    ...people.shared.ended.map((pupilId) => ({
      pupilId,
      kind: 'educational_psychology' as const,
      question: 'Why is progress in reading so slow despite intervention?',
      tried: 'Two terms of a reading intervention, 3 × 20 minutes a week',
      steps: [
        ['drafted', 310, null],
        ['sent', 300, null],
        ['seen', 260, null],
        ['report_received', 230, 'Report received: advice used in the next plan'],
        ['closed', 200, 'Advice received and used in the plan'],
      ] as [ReferralStatus, number, string | null][],
      consent: { how: 'signed_form' as const, daysAgo: 305 },
      endReason: 'Advice received and used in the plan',
      report: {
        authorName: 'Dr Priya Shah',
        authorRole: 'Educational psychologist',
        title: 'Educational psychology assessment',
        summary:
          'Phonological processing and working memory are well below the expected range; verbal reasoning is a strength. Progress in reading needs overlearning and short daily practice.',
        items: [
          {
            area: 'cognition_and_learning' as const,
            kind: 'strategy' as const,
            text: 'Pre-teach the key words of each new topic, with pictures, before the lesson',
          },
          {
            area: 'cognition_and_learning' as const,
            kind: 'target' as const,
            text: 'Read 40 of the first 100 high-frequency words by sight, checked weekly',
          },
          {
            area: 'cognition_and_learning' as const,
            kind: 'further_assessment' as const,
            text: 'A hearing test through the school nurse, to rule out a hearing loss',
          },
        ],
        used: true,
        withFile: false,
      },
    })),
    {
      pupilId: others[0]!,
      kind: 'speech_and_language_therapy',
      question: 'Why does this pupil find it hard to follow spoken instructions in class?',
      tried: 'Talk Boost 3 × 20 minutes a week; instructions given one at a time with a picture',
      steps: [['drafted', 3, null]],
      consent: null,
    },
    {
      pupilId: others[1]!,
      kind: 'camhs',
      question: 'Worries about school have grown this term: what support is there for the family?',
      tried: 'A daily check-in with the key adult; a quiet space at lunchtime; a worry box',
      steps: [
        ['drafted', 12, null],
        ['awaiting_consent', 10, 'Consent form sent home with the pupil'],
      ],
      consent: null,
    },
    {
      pupilId: others[2]!,
      kind: 'occupational_therapy',
      question: 'Handwriting is slow and painful: what would help?',
      tried: 'Fine motor group 2 × 20 minutes a week; a writing slope; pencil grips',
      steps: [
        ['drafted', 100, null],
        ['sent', 95, null],
        ['accepted', 70, null],
        ['seen', 45, 'Assessed in school'],
        ['report_received', 20, 'Report received by email'],
      ],
      consent: { how: 'signed_form', daysAgo: 98 },
      report: {
        authorName: 'Hannah Okafor',
        authorRole: 'Occupational therapist',
        title: 'Occupational therapy assessment: handwriting and fine motor skills',
        summary:
          'Grip is immature and the hand tires quickly; core stability is low. Handwriting is legible but slow (7 words a minute).',
        items: [
          {
            area: 'sensory_and_physical',
            kind: 'strategy',
            text: 'A writing slope and a chunky pencil with a grip for all written work',
          },
          {
            area: 'sensory_and_physical',
            kind: 'target',
            text: 'Copy a sentence of 8 words from the board in 2 minutes, legibly, 4 times out of 5',
          },
          {
            area: 'sensory_and_physical',
            kind: 'provision',
            text: 'A fine motor group, 3 × 15 minutes a week for 10 weeks (Clever Fingers)',
          },
        ],
        used: false,
        withFile: true,
      },
    },
    {
      pupilId: others[3]!,
      kind: 'specialist_teacher_autism',
      question: 'Advice for an EHC needs assessment: what does this pupil need to manage the school day?',
      tried: 'A visual timetable; a sensory break twice a day; a social story for changes',
      steps: [
        ['drafted', 62, null],
        ['sent', 60, null],
      ],
      consent: { how: 'in_person', daysAgo: 61 },
      forEhc: true,
    },
    {
      pupilId: others[4]!,
      kind: 'early_help',
      question: 'The family has asked for help with routines at home and getting to school on time',
      tried: 'A breakfast club place; a weekly call with the family',
      steps: [
        ['drafted', 40, null],
        ['sent', 38, null],
        ['declined', 30, 'Below the threshold for early help: the school’s own family support offered'],
      ],
      consent: { how: 'in_person', daysAgo: 39 },
      endReason: 'Below the threshold for early help: the school’s own family support offered',
    },
    {
      pupilId: others[5]!,
      kind: 'thrive',
      question: 'Would Thrive sessions help with managing feelings at playtimes?',
      tried: 'Playtime buddy; a calm-down plan',
      steps: [
        ['drafted', 32, null],
        ['sent', 30, null],
      ],
      consent: { how: 'in_person', daysAgo: 31, withdrawnDaysAgo: 7 },
    },
  ];

  for (const p of plans) {
    if (!p.pupilId) continue;
    const service = byKind(p.kind);
    const id = r.uuid();
    const sent = p.steps.find(([s]) => s === 'sent');
    const last = p.steps.at(-1)!;
    const withdrawn = p.consent?.withdrawnDaysAgo;
    const status: ReferralStatus = withdrawn !== undefined ? 'stopped' : last[0];
    const finished = status === 'closed' || status === 'declined' || status === 'stopped';
    referrals.push({
      schoolId: demo.school.id,
      id,
      pupilId: p.pupilId,
      agencyOwnerId: service.ownerId,
      agencyId: service.id!,
      agencyName: service.name,
      serviceKind: service.serviceKind,
      question: p.question,
      tried: p.tried,
      shareSections: ['register', 'plans', 'provision'],
      lawfulBasis: 'consent',
      forEhcAssessment: p.forEhc ?? false,
      status,
      sentOn: sent ? day(sent[1]) : null,
      respondBy: p.respondByDaysAgo !== undefined ? day(p.respondByDaysAgo) : null,
      reportDueOn: p.reportDueDaysAgo !== undefined ? day(p.reportDueDaysAgo) : null,
      endReason:
        withdrawn !== undefined
          ? 'Consent withdrawn: the family no longer wants the sessions'
          : (p.endReason ?? null),
      endedOn: withdrawn !== undefined ? day(withdrawn) : finished ? day(last[1]) : null,
      professionalUserId: p.kind === 'educational_psychology' ? people.psychologistId : null,
      createdBy: senco.id,
      createdByName: senco.name,
      createdAt: new Date(`${day(p.steps[0]![1])}T09:00:00Z`),
    });
    for (const [s, daysAgo, note] of p.steps)
      events.push({
        schoolId: demo.school.id,
        id: r.uuid(),
        referralId: id,
        pupilId: p.pupilId,
        status: s,
        happenedOn: day(daysAgo),
        note,
        byName: senco.name,
      });
    const parent = parentOf(p.pupilId);
    if (p.consent && parent) {
      consents.push({
        schoolId: demo.school.id,
        id: r.uuid(),
        referralId: id,
        pupilId: p.pupilId,
        givenBy: 'parent',
        parentCarerId: parent.id!,
        givenByName: parent.name,
        how: p.consent.how,
        givenOn: day(p.consent.daysAgo),
        coversReferral: true,
        coversSharing: true,
        withdrawnOn: withdrawn !== undefined ? day(withdrawn) : null,
        withdrawnNote: withdrawn !== undefined ? 'Told the class teacher at the door' : null,
        withdrawnByName: withdrawn !== undefined ? senco.name : null,
        recordedByName: senco.name,
      });
      if (withdrawn !== undefined)
        events.push({
          schoolId: demo.school.id,
          id: r.uuid(),
          referralId: id,
          pupilId: p.pupilId,
          status: 'stopped',
          happenedOn: day(withdrawn),
          note: `Consent withdrawn by ${parent.name}. Sharing ended.`,
          byName: senco.name,
        });
    }
    if (p.kind === 'educational_psychology') referralOfShare.set(p.pupilId, id);
    const received = p.steps.find(([st]) => st === 'report_received');
    if (p.report && received)
      addReport(p.report, { id, pupilId: p.pupilId, agencyName: service.name }, day(received[1]));
  }
  return {
    agencies,
    professionals: [...la.professionals, ...own.professionals],
    referrals,
    events,
    consents,
    referralOfShare,
    reports,
    recommendations,
    uses,
    planStrategies,
    reportWithFile,
  };
}
