import { describe, expect, it } from 'vitest';
import type { EvidencePack } from './ehc-pack.ts';
import {
  assessmentConsentProblems,
  choiceProblems,
  type RequestToSend,
  requesterProblems,
  sendProblems,
} from './ehc-request.ts';

const TODAY = '2026-11-20';
const withPR = { parentalResponsibility: true, courtOrder: false };

describe('who may ask for an EHC needs assessment', () => {
  it('takes the school’s request as it is', () => {
    expect(
      requesterProblems(
        { requestedBy: 'school', parent: null, parentRequestNote: null, pupilDateOfBirth: '2017-06-14' },
        TODAY,
      ),
    ).toEqual([]);
  });

  it('needs a parent’s request in their words, from a parent with parental responsibility and no court order', () => {
    const ask = (parent: typeof withPR | null, note: string | null) =>
      requesterProblems(
        { requestedBy: 'parent', parent, parentRequestNote: note, pupilDateOfBirth: '2017-06-14' },
        TODAY,
      ).map((p) => p.field);
    expect(ask(withPR, 'Please assess Rosa')).toEqual([]);
    expect(ask(withPR, '   ')).toEqual(['parentRequestNote']);
    expect(ask(null, 'Please')).toEqual(['parentId']);
    expect(ask({ parentalResponsibility: false, courtOrder: false }, 'Please')).toEqual(['parentId']);
    expect(ask({ parentalResponsibility: true, courtOrder: true }, 'Please')).toEqual(['parentId']);
  });

  it('lets a young person ask from their 16th birthday, not the day before', () => {
    const ask = (born: string) =>
      requesterProblems(
        { requestedBy: 'young_person', parent: null, parentRequestNote: null, pupilDateOfBirth: born },
        TODAY,
      );
    expect(ask('2010-11-20')).toEqual([]);
    expect(ask('2010-11-21').map((p) => p.field)).toEqual(['requestedBy']);
  });
});

describe('consent to the assessment', () => {
  const pupilDateOfBirth = '2018-03-14';
  it('comes from a parent with parental responsibility, on a day not in the future', () => {
    expect(assessmentConsentProblems({ parent: withPR, givenOn: TODAY, pupilDateOfBirth }, TODAY)).toEqual(
      [],
    );
    expect(
      assessmentConsentProblems({ parent: withPR, givenOn: '2026-11-21', pupilDateOfBirth }, TODAY),
    ).toEqual([{ field: 'consentOn', message: 'The date consent was given cannot be in the future' }]);
    expect(
      assessmentConsentProblems(
        { parent: { parentalResponsibility: false, courtOrder: false }, givenOn: TODAY, pupilDateOfBirth },
        TODAY,
      ).map((p) => p.field),
    ).toEqual(['parentId']);
  });
  it('is given within the last 12 months: on 20 November 2026, consent of 20 November 2025 counts, of 19 November 2025 does not', () => {
    expect(
      assessmentConsentProblems({ parent: withPR, givenOn: '2025-11-20', pupilDateOfBirth }, TODAY),
    ).toEqual([]);
    expect(
      assessmentConsentProblems({ parent: withPR, givenOn: '2025-11-19', pupilDateOfBirth }, TODAY),
    ).toEqual([
      {
        field: 'consentOn',
        message:
          'Consent given more than 12 months ago is not consent to this request: ask the parent again and enter the date they gave it (20 November 2025 or later)',
      },
    ]);
  });
  it('refuses consent dated 1 January 1900, before the child was born 14 March 2018', () => {
    expect(
      assessmentConsentProblems({ parent: withPR, givenOn: '1900-01-01', pupilDateOfBirth }, TODAY),
    ).toEqual([
      {
        field: 'consentOn',
        message: 'The date consent was given cannot be before the child was born (14 March 2018)',
      },
    ]);
  });
});

describe('what must be in place before a request is sent', () => {
  const ready: RequestToSend = {
    status: 'draft',
    contactName: 'Sam Senco',
    contactEmail: null,
    contactPhone: '01632 960000',
    consentParentId: 'p',
    consentOn: TODAY,
    withdrawnOn: null,
  };
  it('is nothing for a request with consent and a contact who can be reached', () => {
    expect(sendProblems(ready)).toEqual([]);
  });
  it('names each missing part', () => {
    expect(sendProblems({ ...ready, consentOn: null, contactName: ' ', contactPhone: null })).toEqual([
      'Record the consent of a parent with parental responsibility to the assessment',
      'Enter the name of the person completing the request',
      'Enter an email address or a phone number the local authority can reach them on',
    ]);
  });
  it('refuses one already sent or withdrawn', () => {
    expect(sendProblems({ ...ready, status: 'sent' })).toEqual(['It has already been sent']);
    expect(sendProblems({ ...ready, status: 'withdrawn', withdrawnOn: '2026-11-01' })).toEqual([
      'It was withdrawn on 1 November 2026',
    ]);
  });
});

describe('the SENCo’s choices against the pack', () => {
  const pack = {
    intervention: {
      plans: [
        {
          key: 'plan:11111111-1111-4111-8111-111111111111',
          cycle: 1,
          startedOn: '2025-01-06',
          review: null,
          earlierReviews: [],
        },
      ],
      provision: [],
    },
    need: {
      referrals: [
        {
          reports: [
            {
              key: 'report:22222222-2222-4222-8222-222222222222',
              title: 'Report',
              service: 'EP service',
              writtenOn: '2025-05-01',
            },
          ],
        },
      ],
      otherReports: [],
    },
    parentsViews: [],
    childsViews: { profile: null, views: [] },
  } as unknown as EvidencePack;

  it('takes keys the pack holds', () => {
    expect(
      choiceProblems(pack, {
        leftOut: ['plan:11111111-1111-4111-8111-111111111111'],
        sufficient: ['report:22222222-2222-4222-8222-222222222222'],
      }),
    ).toEqual([]);
  });

  it('refuses an item the pack does not hold, and a "sufficient" that is not a report', () => {
    expect(
      choiceProblems(pack, {
        leftOut: ['plan:33333333-3333-4333-8333-333333333333'],
        sufficient: ['plan:11111111-1111-4111-8111-111111111111'],
      }).map((p) => p.field),
    ).toEqual(['leftOut', 'sufficient']);
  });
});
