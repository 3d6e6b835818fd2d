import type { NeedCode } from '../domain/census.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { PlanNeed, PlanOutcome, PlanProvision, PlanSections } from '../domain/ehc-plan.ts';

/*
 * The demo's EHC plans: what Northshire's caseworkers wrote for the demo schools' pupils with plans,
 * by their primary need — needs in B met by provision in F toward outcomes in E, every item of
 * provision specified and quantified, health and social care where a child of that need would have
 * them. Pure and deterministic: the same pupil always gets the same plan.
 */

interface NeedPlan {
  needs: Omit<PlanNeed, 'id'>[];
  outcomes: { text: string; needs: number[]; provision: number[] }[];
  provision: Omit<PlanProvision, 'id' | 'needIds'>[];
  /** Which need each item of F meets (indexes into needs). */
  provisionNeeds: number[];
  /**
   * For each item of F, the school's interventions (the demo catalogue's names) whose groups deliver it,
   * the one the school starts first; none for what no group delivers (equipment used in every lesson, a
   * visiting service, the class teacher's own teaching).
   */
  deliveredBy: string[][];
  health?: { need: string; provision: Omit<PlanProvision, 'id' | 'needIds'> };
  socialCare?: { need: string; provision: Omit<PlanProvision, 'id' | 'needIds'>; h1: boolean };
  interests: string;
}

const TA = 'A teaching assistant';
/** The school's own intervention for a pupil whose plan needs an adult with them for much of the day. */
export const INDIVIDUAL = 'Individual support from a teaching assistant';
const YEAR = 'throughout the school year';

const PLANS: Partial<Record<NeedCode, NeedPlan>> = {
  ASD: {
    interests: 'loves dinosaurs and maps, and likes to know what is happening next',
    needs: [
      {
        needType: 'ASD',
        text: 'NAME finds changes to routine very hard and becomes distressed when plans change without warning.',
      },
      {
        needType: 'ASD',
        text: 'NAME finds it hard to understand other children’s intentions and to join in shared play.',
      },
      {
        needType: 'SLCN',
        text: 'NAME takes language literally and needs time to process spoken instructions.',
      },
    ],
    outcomes: [
      {
        text: 'By the end of the school year, NAME will manage a change to the day’s timetable using a visual timetable, with no more than one adult prompt, on 4 of 5 school days.',
        needs: [0],
        provision: [0],
      },
      {
        text: 'By the next annual review, NAME will take part in a structured game with two peers for ten minutes, three lunchtimes a week.',
        needs: [1],
        provision: [1],
      },
      {
        text: 'By the end of the key stage, NAME will follow a two-step classroom instruction given to the whole class in 8 of 10 observed lessons.',
        needs: [2],
        provision: [2],
      },
    ],
    provision: [
      {
        what: 'A personal visual timetable, checked with an adult at the start of each session, with changes shown in advance',
        who: 'The class teacher and a teaching assistant',
        frequency: 'At the start of each morning and afternoon session',
        duration: `5 minutes each time, ${YEAR}`,
      },
      {
        what: 'A small-group social communication programme (Lego-based therapy)',
        who: 'A teaching assistant trained in the programme',
        frequency: 'Twice a week',
        duration: '40 minutes each time, for two terms, then reviewed',
      },
      {
        what: 'Instructions chunked and supported with symbols, with processing time before a reply is expected',
        who: 'The class teacher',
        frequency: 'Every lesson',
        duration: YEAR,
      },
    ],
    provisionNeeds: [0, 1, 2],
    deliveredBy: [[INDIVIDUAL], ['Social skills group'], [INDIVIDUAL]],
    socialCare: {
      need: 'NAME’s family need regular breaks: NAME sleeps poorly and needs constant supervision at home.',
      provision: {
        what: 'Short breaks at the local short-breaks service',
        who: 'Northshire Short Breaks',
        frequency: 'One Saturday a month',
        duration: '6 hours each time, reviewed each year',
        socialCareKind: 'short_breaks',
      },
      h1: false,
    },
  },
  SLCN: {
    interests: 'loves football and drawing, and wants to be a vet',
    needs: [
      {
        needType: 'SLCN',
        text: 'NAME’s understanding of spoken language is well below that expected for their age.',
      },
      {
        needType: 'SLCN',
        text: 'NAME’s speech is hard for unfamiliar listeners to understand, and NAME avoids speaking in class.',
      },
    ],
    outcomes: [
      {
        text: 'By the end of the key stage, NAME will follow three-part classroom instructions without help in 8 of 10 observed lessons.',
        needs: [0],
        provision: [0, 2],
      },
      {
        text: 'By the next annual review, NAME will answer a question in a small group, understood by the adult without repetition, in 4 of 5 sessions.',
        needs: [1],
        provision: [1],
      },
    ],
    provision: [
      {
        what: 'A language programme set by the speech and language therapist, delivered one to one',
        who: 'A teaching assistant trained by the speech and language therapist',
        frequency: 'Three times a week',
        duration: `30 minutes each time, ${YEAR}`,
      },
      {
        what: 'Speech sound therapy, with targets set and reviewed by the therapist',
        who: 'A speech and language therapist, with practice led by a teaching assistant',
        frequency: 'Therapist once every half-term; practice four times a week',
        duration: `Therapist 45 minutes; practice 10 minutes each time, ${YEAR}`,
      },
      {
        what: 'Key vocabulary for each topic taught in advance with pictures',
        who: TA,
        frequency: 'Twice a week',
        duration: `15 minutes each time, ${YEAR}`,
      },
    ],
    provisionNeeds: [0, 1, 0],
    deliveredBy: [
      ['Speech and language therapy', 'Small-group language programme'],
      ['Speech sound practice', 'Speech and language therapy'],
      ['Small-group language programme', INDIVIDUAL],
    ],
  },
  SEMH: {
    interests: 'enjoys building things and being given jobs to do, and wants to be a mechanic',
    needs: [
      {
        needType: 'SEMH',
        text: 'NAME finds it very hard to manage strong feelings and may leave the classroom or hurt others when overwhelmed.',
      },
      {
        needType: 'SEMH',
        text: 'NAME has low self-esteem and expects to fail at new tasks, so avoids starting them.',
      },
    ],
    outcomes: [
      {
        text: 'By the next annual review, NAME will use an agreed calm-down plan to return to learning within ten minutes, on 4 of 5 occasions recorded.',
        needs: [0],
        provision: [0, 1],
      },
      {
        text: 'By the end of the school year, NAME will start a new task within two minutes of being asked, in 8 of 10 observed lessons.',
        needs: [1],
        provision: [2],
      },
    ],
    provision: [
      {
        what: 'A key adult who meets NAME at the start of the day and checks in after lunch',
        who: 'A named teaching assistant',
        frequency: 'Twice a day',
        duration: `10 minutes each time, ${YEAR}`,
      },
      {
        what: 'An emotional literacy programme (ELSA), one to one',
        who: 'A trained emotional literacy support assistant',
        frequency: 'Once a week',
        duration: '45 minutes each time, for two terms',
      },
      {
        what: 'Tasks broken into small steps on a checklist, with praise for starting',
        who: 'The class teacher',
        frequency: 'Every lesson',
        duration: YEAR,
      },
    ],
    provisionNeeds: [0, 0, 1],
    deliveredBy: [['Nurture breakfast group', INDIVIDUAL], ['Emotional literacy support'], []],
    health: {
      need: 'NAME is known to the child and adolescent mental health service for anxiety.',
      provision: {
        what: 'Sessions with a CAMHS practitioner',
        who: 'Northshire Child and Adolescent Mental Health Service',
        frequency: 'Once a fortnight',
        duration: '50 minutes each time, for twelve sessions, then reviewed',
      },
    },
  },
  SLD: {
    interests: 'loves music, water play and being outside',
    needs: [
      {
        needType: 'SLD',
        text: 'NAME is working well below age-related expectations in every area and learns best through practical, repeated activities.',
      },
      {
        needType: 'SLCN',
        text: 'NAME communicates with single words and Makaton signs.',
      },
    ],
    outcomes: [
      {
        text: 'By the end of the key stage, NAME will use two-word phrases or signs to make a request, 5 times a day, across the school day.',
        needs: [1],
        provision: [1],
      },
      {
        text: 'By the next annual review, NAME will complete a three-step self-care routine (coat, bag, hands washed) with one visual prompt.',
        needs: [0],
        provision: [0],
      },
    ],
    provision: [
      {
        what: 'An individual curriculum of small steps in literacy, numeracy and independence, taught one to one',
        who: 'A teaching assistant, planned by the class teacher',
        frequency: 'Every day',
        duration: `2 hours a day in short sessions, ${YEAR}`,
      },
      {
        what: 'Makaton signing used by every adult, with a communication book',
        who: 'The class teacher and teaching assistants trained in Makaton',
        frequency: 'Throughout each day',
        duration: YEAR,
      },
    ],
    provisionNeeds: [0, 1],
    deliveredBy: [
      [INDIVIDUAL, 'Phonics catch-up group', 'One-to-one reading', 'Precision teaching'],
      [INDIVIDUAL],
    ],
    socialCare: {
      need: 'NAME needs help with personal care and supervision at all times, including at home.',
      provision: {
        what: 'Practical help in the home with personal care at bedtime',
        who: 'A care worker from Northshire’s home care service',
        frequency: 'Three evenings a week',
        duration: '1 hour each time, reviewed each year',
        socialCareKind: 'practical_assistance_home',
      },
      h1: true,
    },
  },
  MLD: {
    interests: 'likes cooking and animals, and helping younger children',
    needs: [
      {
        needType: 'MLD',
        text: 'NAME is working about three years below age-related expectations in reading and mathematics and forgets new learning quickly.',
      },
    ],
    outcomes: [
      {
        text: 'By the end of the school year, NAME will read 100 high-frequency words on sight and a book at their level with 90% accuracy.',
        needs: [0],
        provision: [0],
      },
      {
        text: 'By the next annual review, NAME will add and subtract numbers to 20 using a number line, 8 times in 10.',
        needs: [0],
        provision: [1],
      },
    ],
    provision: [
      {
        what: 'A structured reading programme (precision teaching), one to one',
        who: TA,
        frequency: 'Every day',
        duration: `15 minutes each time, ${YEAR}`,
      },
      {
        what: 'A small-group mathematics programme with concrete resources (Numicon)',
        who: TA,
        frequency: 'Three times a week',
        duration: `30 minutes each time, ${YEAR}`,
      },
    ],
    provisionNeeds: [0, 0],
    deliveredBy: [
      ['Precision teaching', 'One-to-one reading', 'Phonics catch-up group'],
      ['Maths number sense group'],
    ],
  },
  PD: {
    interests: 'loves swimming and computer games, and wants to be a games designer',
    needs: [
      {
        needType: 'PD',
        text: 'NAME has cerebral palsy affecting both legs and uses a walking frame and, for longer distances, a wheelchair.',
      },
      {
        needType: 'PD',
        text: 'NAME’s handwriting is slow and tiring, so written work is often unfinished.',
      },
    ],
    outcomes: [
      {
        text: 'By the next annual review, NAME will move between lessons independently with a walking frame, arriving within two minutes of peers.',
        needs: [0],
        provision: [0],
      },
      {
        text: 'By the end of the school year, NAME will record a paragraph of writing using a laptop in 20 minutes.',
        needs: [1],
        provision: [1],
      },
    ],
    provision: [
      {
        what: 'A physiotherapy programme of exercises set by the physiotherapist',
        who: 'A teaching assistant trained by the physiotherapist',
        frequency: 'Every day',
        duration: `20 minutes each time, ${YEAR}`,
      },
      {
        what: 'A laptop with word prediction, and touch-typing lessons',
        who: 'A teaching assistant',
        frequency: 'Touch-typing twice a week; the laptop in every lesson',
        duration: '20 minutes each lesson, for two terms',
      },
    ],
    provisionNeeds: [0, 1],
    deliveredBy: [
      ['Gross motor skills programme', INDIVIDUAL],
      ['Fine motor skills group', INDIVIDUAL],
    ],
    health: {
      need: 'NAME needs regular physiotherapy and a review of their walking frame and wheelchair.',
      provision: {
        what: 'Physiotherapy review and programme update',
        who: 'Northshire Children’s Physiotherapy Service',
        frequency: 'Once a term',
        duration: '1 hour each time, until discharged',
      },
    },
    socialCare: {
      need: 'NAME’s home needs adapting for a wheelchair.',
      provision: {
        what: 'A ramp and an adapted bathroom at home',
        who: 'Northshire occupational therapy (social care)',
        frequency: 'Once: fitted by the end of the summer term',
        duration: 'One installation, checked after six months',
        socialCareKind: 'home_adaptations',
      },
      h1: true,
    },
  },
  HI: {
    interests: 'loves dancing and art',
    needs: [
      {
        needType: 'HI',
        text: 'NAME has a moderate permanent hearing loss in both ears and wears hearing aids.',
      },
    ],
    outcomes: [
      {
        text: 'By the end of the school year, NAME will ask for repetition when they have not heard, in 4 of 5 observed lessons.',
        needs: [0],
        provision: [0, 1],
      },
    ],
    provision: [
      {
        what: 'A radio aid used by every adult teaching NAME',
        who: 'The class teacher and teaching assistants',
        frequency: 'Every lesson',
        duration: YEAR,
      },
      {
        what: 'Advice and teaching from a qualified teacher of the deaf',
        who: 'Northshire Sensory Support Service',
        frequency: 'Once every half-term',
        duration: `1 hour each time, ${YEAR}`,
      },
    ],
    provisionNeeds: [0, 0],
    deliveredBy: [[], []],
    health: {
      need: 'NAME’s hearing aids need regular checks.',
      provision: {
        what: 'Audiology review and hearing aid check',
        who: 'Northshire Paediatric Audiology',
        frequency: 'Every six months',
        duration: 'One appointment each time, ongoing',
      },
    },
  },
};

/** A plan for a need with none of its own (the rarer needs): the MLD plan's shape with the need's own words. */
function planFor(need: NeedCode): NeedPlan {
  return PLANS[need] ?? PLANS[need === 'PMLD' ? 'SLD' : need === 'VI' || need === 'MSI' ? 'HI' : 'MLD']!;
}

const fill = (text: string, name: string) => text.replaceAll('NAME', name);

/**
 * The sections of a demo pupil's plan. `school` is the school named in section I (null in a draft);
 * `advice` is what the authority gathered (section K).
 */
export function demoPlanSections(input: {
  forename: string;
  need: NeedCode;
  school: { id: string; name: string; urn: string | null } | null;
  adviceOn: IsoDate;
}): PlanSections {
  const p = planFor(input.need);
  const name = input.forename;
  const needs: PlanNeed[] = p.needs.map((n, i) => ({
    id: `b-${i + 1}`,
    needType: i === 0 && PLANS[input.need] === undefined ? input.need : n.needType,
    text: fill(n.text, name),
  }));
  const f: PlanProvision[] = p.provision.map((x, i) => ({
    ...x,
    duration: fill(x.duration, name),
    what: fill(x.what, name),
    id: `f-${i + 1}`,
    needIds: [`b-${(p.provisionNeeds[i] ?? 0) + 1}`],
  }));
  const c: PlanNeed[] = p.health ? [{ id: 'c-1', needType: null, text: fill(p.health.need, name) }] : [];
  const d: PlanNeed[] = p.socialCare
    ? [{ id: 'd-1', needType: null, text: fill(p.socialCare.need, name) }]
    : [];
  const g: PlanProvision[] = p.health ? [{ ...p.health.provision, id: 'g-1', needIds: ['c-1'] }] : [];
  const social: PlanProvision[] = p.socialCare
    ? [{ ...p.socialCare.provision, id: 'h-1', needIds: ['d-1'] }]
    : [];
  const outcomes: PlanOutcome[] = p.outcomes.map((o, i) => ({
    id: `e-${i + 1}`,
    text: fill(o.text, name),
    by: null,
    needIds: o.needs.map((n) => `b-${n + 1}`),
    provisionIds: o.provision.map((x) => `f-${x + 1}`),
  }));
  if (g.length > 0) outcomes[0]!.provisionIds.push('g-1');
  return {
    a: {
      text: `${name} ${p.interests}. ${name}’s parents want ${name} to be happy at school, to have friends and to become as independent as possible.`,
    },
    b: { needs },
    c: { needs: c },
    d: { needs: d },
    e: { outcomes },
    f: { provision: f },
    g: { provision: g },
    h1: { provision: p.socialCare?.h1 ? social : [] },
    h2: { provision: p.socialCare && !p.socialCare.h1 ? social : [] },
    i: input.school
      ? { schoolId: input.school.id, name: input.school.name, urn: input.school.urn, kind: null }
      : null,
    j: { text: 'The family has not asked for a personal budget.' },
    k: {
      advice: [
        {
          id: 'k-1',
          source: 'request',
          title: 'The school’s request and evidence of SEN support',
          receivedOn: input.adviceOn,
        },
        { id: 'k-2', source: 'parent', title: 'Advice from the parents', receivedOn: input.adviceOn },
        {
          id: 'k-3',
          source: 'educational_psychologist',
          title: 'Educational psychology advice',
          receivedOn: input.adviceOn,
        },
        ...(p.health
          ? [{ id: 'k-4', source: 'health', title: 'Health advice', receivedOn: input.adviceOn }]
          : []),
        ...(p.socialCare
          ? [{ id: 'k-5', source: 'social_care', title: 'Social care advice', receivedOn: input.adviceOn }]
          : []),
      ],
    },
  };
}

/**
 * Which of the school's interventions deliver each item of F of a demo pupil's plan (by the item's id),
 * in the order the school would start them; an item no group delivers has none.
 */
export function demoPlanDelivery(need: NeedCode): { provisionId: string; interventions: string[] }[] {
  return planFor(need).deliveredBy.map((interventions, i) => ({ provisionId: `f-${i + 1}`, interventions }));
}

/**
 * The pupil's groups now that deliver each item of F: for each item, the first of the pupil's groups
 * whose intervention delivers it (in the order the item names them), or none.
 */
export function matchPlanToGroups(
  need: NeedCode,
  groups: readonly { groupId: string; intervention: string }[],
): { provisionId: string; groupId: string }[] {
  const links: { provisionId: string; groupId: string }[] = [];
  for (const item of demoPlanDelivery(need)) {
    const group = item.interventions
      .map((name) => groups.find((g) => g.intervention === name))
      .find((g) => g !== undefined);
    if (group) links.push({ provisionId: item.provisionId, groupId: group.groupId });
  }
  return links;
}
