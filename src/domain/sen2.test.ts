import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import {
  buildSen2Return,
  caseInReturn,
  planActiveOn,
  rankedNeeds,
  type Sen2CaseInput,
  type Sen2ChildInput,
  type Sen2PlanInput,
  sen2CensusDate,
  sen2Period,
  sen2Xml,
} from './sen2.ts';
import { makeUpn } from './upn.ts';

const header = {
  laCode: '938',
  year: 2027,
  softwareCode: 'OpenSEND',
  release: '1.0',
  serialNo: 1,
  madeAt: '2027-01-22T09:00:00',
};

let serial = 0;
function child(over: Partial<Sen2ChildInput['person']> = {}): Sen2ChildInput['person'] {
  serial += 1;
  return {
    upn: makeUpn('938', '2001', 20, serial),
    uln: null,
    upnUnknown: null,
    forename: 'Ada',
    surname: `Child${String(serial).padStart(3, '0')}`,
    birthDate: '2016-03-04',
    sex: 'female',
    ethnicity: null,
    postcode: null,
    registerNeeds: [],
    erased: false,
    schoolId: 'school-1',
    pupilId: `pupil-${serial}`,
    ...over,
  };
}

function assessedCase(over: Partial<Sen2CaseInput> = {}): Sen2CaseInput {
  return {
    caseId: `case-${serial}`,
    receivedOn: '2026-02-02',
    requestedBy: 'school',
    whether: { kind: 'assess', decidedOn: '2026-03-09' },
    issue: { kind: 'issue_plan', decidedOn: '2026-05-04' },
    withdrawnOn: null,
    finalIssuedOn: '2026-06-15',
    twentyWeeks: { within: true, exception: false },
    ...over,
  };
}

function finalPlan(caseId: string, over: Partial<Sen2PlanInput> = {}): Sen2PlanInput {
  return {
    planId: `plan-${caseId}`,
    caseId,
    status: 'final',
    startedOn: '2026-06-15',
    ceasedOn: null,
    ceaseReason: null,
    placement: { urn: '100001', name: 'Brookfield Primary', setting: null, entryOn: '2022-09-01' },
    needTypes: ['SLCN', 'ASD'],
    lastReview: null,
    personalBudget: false,
    ...over,
  };
}

describe('the SEN2 census date and period', () => {
  it('is the third Thursday of January', () => {
    expect(sen2CensusDate(2025)).toBe('2025-01-16'); // 1 January 2025 was a Wednesday
    expect(sen2CensusDate(2026)).toBe('2026-01-15'); // a Thursday itself
    expect(sen2CensusDate(2027)).toBe('2027-01-21'); // a Friday
  });
  it('counts the calendar year before the census', () => {
    expect(sen2Period(2027)).toEqual({ from: '2026-01-01', to: '2026-12-31', censusDate: '2027-01-21' });
  });
});

describe('what the return includes', () => {
  const census = '2027-01-21';
  it('a plan is active on the census date when final, started by it and not ceased by it', () => {
    const plan = finalPlan('c');
    expect(planActiveOn(plan, census)).toBe(true);
    expect(planActiveOn({ ...plan, startedOn: '2027-01-22' }, census)).toBe(false);
    expect(planActiveOn({ ...plan, status: 'draft', startedOn: null }, census)).toBe(false);
    expect(
      planActiveOn({ ...plan, status: 'ceased', ceasedOn: '2027-01-21', ceaseReason: 'other_la' }, census),
    ).toBe(false);
    expect(
      planActiveOn({ ...plan, status: 'ceased', ceasedOn: '2027-01-22', ceaseReason: 'other_la' }, census),
    ).toBe(true);
  });
  it('a request is returned when received or decided in the period, or still open; not when it ended before', () => {
    const from = '2026-01-01';
    expect(caseInReturn(assessedCase(), from, census)).toBe(true);
    const old = assessedCase({
      receivedOn: '2025-01-06',
      whether: { kind: 'assess', decidedOn: '2025-02-10' },
      issue: { kind: 'issue_plan', decidedOn: '2025-04-01' },
      finalIssuedOn: '2025-05-19',
    });
    expect(caseInReturn(old, from, census)).toBe(false);
    expect(caseInReturn({ ...old, finalIssuedOn: null, issue: null }, from, census)).toBe(true);
    expect(caseInReturn(assessedCase({ receivedOn: '2027-02-01' }), from, census)).toBe(false);
  });
  it('ranks the need types of section B, else the register’s, each once, never NSA', () => {
    expect(rankedNeeds(['SLCN', 'ASD', 'SLCN'], ['MLD'])).toEqual([
      { type: 'SLCN', rank: 1 },
      { type: 'ASD', rank: 2 },
    ]);
    expect(rankedNeeds([], ['MLD', 'SEMH'])).toEqual([
      { type: 'MLD', rank: 1 },
      { type: 'SEMH', rank: 2 },
    ]);
    expect(rankedNeeds(['not a code'], ['NSA'])).toEqual([]);
  });
});

describe('building the return', () => {
  it('returns a child assessed and issued a plan in the year, with their active plan and last review', () => {
    const person = child();
    const c = assessedCase();
    const plan = finalPlan(c.caseId, {
      lastReview: { meetingOn: '2026-12-07', decision: 'keep', decidedOn: '2026-12-21' },
      personalBudget: true,
    });
    const ret = buildSen2Return(2027, [{ person, cases: [c], plans: [plan] }]);
    expect(ret.toCorrect).toEqual([]);
    expect(ret.persons).toHaveLength(1);
    const p = ret.persons[0]!;
    expect(p.upn).toBe(person.upn);
    expect(p.sex).toBe('F');
    expect(p.ethnicity).toBe('NOBT');
    expect(p.requests).toEqual([
      {
        caseId: c.caseId,
        receivedOn: '2026-02-02',
        youngPerson: false,
        outcome: 'Y',
        outcomeOn: '2026-03-09',
        assessment: {
          outcome: 'Y',
          outcomeOn: '2026-05-04',
          issuedOn: '2026-06-15',
          within20Weeks: true,
          exception: false,
          namedPlan: {
            planId: plan.planId,
            startedOn: '2026-06-15',
            placement: { urn: '100001', setting: null, rank: 1, entryOn: '2022-09-01' },
            personalBudget: true,
            ceasedOn: null,
            ceaseReason: null,
          },
        },
      },
    ]);
    expect(p.activePlans).toEqual([
      {
        planId: plan.planId,
        caseId: c.caseId,
        lastReview: { meetingOn: '2026-12-07', outcome: 'M' },
        placement: { urn: '100001', setting: null, rank: 1, entryOn: '2022-09-01' },
        needs: [
          { type: 'SLCN', rank: 1 },
          { type: 'ASD', rank: 2 },
        ],
      },
    ]);
    expect(ret.summary).toMatchObject({
      persons: 1,
      requests: 1,
      requestsAssess: 1,
      assessments: 1,
      plansIssued: 1,
      issuedWithin20Weeks: 1,
      activePlans: 1,
      activeReviewedWithin12Months: 1,
      withoutEthnicity: 1,
      withoutPostcode: 1,
    });
  });

  it('leaves out a decision made after the census date', () => {
    const c = assessedCase({
      receivedOn: '2026-11-02',
      whether: { kind: 'assess', decidedOn: '2027-01-25' },
      issue: null,
      finalIssuedOn: null,
      twentyWeeks: null,
    });
    const ret = buildSen2Return(2027, [{ person: child(), cases: [c], plans: [] }]);
    expect(ret.persons[0]?.requests[0]).toMatchObject({ outcome: 'A', outcomeOn: null, assessment: null });
    expect(ret.summary.requestsUndecided).toBe(1);
  });

  it('returns a plan ceased in the period with its SEN2 cease reason, though its request is old', () => {
    const c = assessedCase({
      receivedOn: '2021-01-04',
      whether: { kind: 'assess', decidedOn: '2021-02-08' },
      issue: { kind: 'issue_plan', decidedOn: '2021-04-12' },
      finalIssuedOn: '2021-05-17',
    });
    const plan = finalPlan(c.caseId, {
      status: 'ceased',
      startedOn: '2021-05-17',
      ceasedOn: '2026-07-20',
      ceaseReason: 'other_la',
    });
    const ret = buildSen2Return(2027, [{ person: child(), cases: [c], plans: [plan] }]);
    const p = ret.persons[0]!;
    expect(p.activePlans).toEqual([]);
    expect(p.requests[0]?.assessment?.namedPlan).toMatchObject({ ceasedOn: '2026-07-20', ceaseReason: '5' });
    // The decision to issue was made before the period: historical, for the request and the assessment.
    expect(p.requests[0]).toMatchObject({ outcome: 'H', assessment: { outcome: 'H' } });
    expect(ret.summary.ceasedPlans).toBe(1);
    // Neither received nor decided in the year: not counted among the year's requests.
    expect(ret.summary.requests).toBe(0);
  });

  it('returns an old plan still active inside the request it came from, as historical, with two need types at most', () => {
    const old = assessedCase({
      receivedOn: '2022-01-10',
      requestedBy: 'young_person',
      whether: { kind: 'assess', decidedOn: '2022-02-14' },
      issue: { kind: 'issue_plan', decidedOn: '2022-04-25' },
      finalIssuedOn: '2022-05-23',
    });
    const plan = finalPlan(old.caseId, {
      startedOn: '2022-05-23',
      needTypes: ['SLCN', 'ASD', 'SEMH'],
      placement: { urn: null, name: 'Educated at home', setting: 'EHE', entryOn: '2024-09-02' },
    });
    const ret = buildSen2Return(2027, [{ person: child({ sex: null }), cases: [old], plans: [plan] }]);
    const p = ret.persons[0]!;
    expect(p.sex).toBe('U');
    expect(p.requests).toHaveLength(1);
    expect(p.requests[0]).toMatchObject({ youngPerson: true, outcome: 'H', assessment: { outcome: 'H' } });
    expect(p.activePlans[0]).toMatchObject({
      caseId: old.caseId,
      placement: { urn: null, setting: 'EHE' },
      needs: [
        { type: 'SLCN', rank: 1 },
        { type: 'ASD', rank: 2 },
      ],
    });
    // Historical: not among the year's requests or assessments.
    expect(ret.summary).toMatchObject({ requests: 0, assessments: 0, plansIssued: 0, activePlans: 1 });
    const xml = new XMLParser({ parseTagValue: false }).parse(sen2Xml(header, ret));
    const r = xml.Message.Persons.Person.Requests;
    expect(r).toMatchObject({ RYA: '1', RequestOutcome: 'H', Assessment: { AssessmentOutcome: 'H' } });
    expect(r.ActivePlans.PlacementDetail).toMatchObject({ SENSetting: 'EHE', EntryDate: '2024-09-02' });
    expect(r.ActivePlans.PlacementDetail.URN).toBeUndefined();
    expect(xml.Message.Persons.Person.Sex).toBe('U');
  });

  it('counts a plan issued late under an exception apart from those issued within 20 weeks', () => {
    const late = assessedCase({ twentyWeeks: { within: false, exception: true } });
    const ret = buildSen2Return(2027, [{ person: child(), cases: [late], plans: [finalPlan(late.caseId)] }]);
    expect(ret.summary).toMatchObject({ plansIssued: 1, issuedWithin20Weeks: 0, issuedWithException: 1 });
    expect(ret.persons[0]?.requests[0]?.assessment?.within20Weeks).toBe(false);
  });

  it('leaves out a child with nothing in the period and no active plan', () => {
    const c = assessedCase({
      receivedOn: '2025-01-06',
      whether: { kind: 'not_assess', decidedOn: '2025-02-10' },
      issue: null,
      finalIssuedOn: null,
    });
    expect(buildSen2Return(2027, [{ person: child(), cases: [c], plans: [] }]).persons).toEqual([]);
  });

  it('lists for correction a child with no valid UPN and no reason; returns them once a reason is given', () => {
    const c = assessedCase();
    const bad = child({ upn: 'A12345678901X' });
    const ret = buildSen2Return(2027, [{ person: bad, cases: [c], plans: [finalPlan(c.caseId)] }]);
    expect(ret.persons).toEqual([]);
    expect(ret.toCorrect.map((x) => x.problems.map((p) => p.kind))).toEqual([['no_upn']]);
    const withReason = buildSen2Return(2027, [
      { person: { ...bad, upnUnknown: 'UN2' }, cases: [c], plans: [finalPlan(c.caseId)] },
    ]);
    expect(withReason.toCorrect).toEqual([]);
    expect(withReason.persons[0]).toMatchObject({ upn: null, upnUnknown: 'UN2' });
    const withUln = buildSen2Return(2027, [
      { person: { ...bad, uln: '1234567890', upnUnknown: 'UN2' }, cases: [c], plans: [finalPlan(c.caseId)] },
    ]);
    expect(withUln.persons[0]).toMatchObject({ upn: null, uln: '1234567890', upnUnknown: null });
  });

  it('a temporary UPN (ending in a letter) is not returned as a UPN', () => {
    // A temporary UPN with a right check letter.
    const body = '93820012000A';
    const temporary = `${checkLetterFor(body)}${body}`;
    const c = assessedCase();
    const ret = buildSen2Return(2027, [{ person: child({ upn: temporary }), cases: [c], plans: [] }]);
    expect(ret.toCorrect[0]?.problems.map((p) => p.kind)).toEqual(['no_upn']);
  });

  it('lists for correction an active plan without a placement, naming the plan, and one with no need type', () => {
    const c = assessedCase();
    const noPlace = finalPlan(c.caseId, { placement: null });
    const ret = buildSen2Return(2027, [{ person: child(), cases: [c], plans: [noPlace] }]);
    expect(ret.toCorrect[0]?.problems).toEqual([
      {
        kind: 'no_placement',
        message: expect.stringContaining('section I'),
        planId: noPlace.planId,
        caseId: c.caseId,
      },
    ]);
    // A setting type without a URN is a placement.
    const setting = finalPlan(c.caseId, {
      placement: { urn: null, name: 'Home education', setting: 'EHE', entryOn: null },
    });
    const ok = buildSen2Return(2027, [{ person: child(), cases: [c], plans: [setting] }]);
    expect(ok.persons[0]?.activePlans[0]?.placement).toEqual({
      urn: null,
      setting: 'EHE',
      rank: 1,
      entryOn: null,
    });

    const noNeed = finalPlan(c.caseId, { needTypes: [] });
    const ret2 = buildSen2Return(2027, [{ person: child(), cases: [c], plans: [noNeed] }]);
    expect(ret2.toCorrect[0]?.problems.map((p) => p.kind)).toEqual(['no_need_type']);
    // The register's needs stand in when section B names none.
    const ret3 = buildSen2Return(2027, [
      { person: child({ registerNeeds: ['SEMH'] }), cases: [c], plans: [noNeed] },
    ]);
    expect(ret3.persons[0]?.activePlans[0]?.needs).toEqual([{ type: 'SEMH', rank: 1 }]);
  });

  it('lists for correction a plan issued with no decision to assess recorded', () => {
    const c = assessedCase({ whether: null });
    const ret = buildSen2Return(2027, [{ person: child(), cases: [c], plans: [finalPlan(c.caseId)] }]);
    expect(ret.toCorrect[0]?.problems).toEqual([
      { kind: 'no_assess_decision', message: expect.any(String), planId: null, caseId: c.caseId },
    ]);
  });

  it('an erased child cannot be returned', () => {
    const c = assessedCase();
    const ret = buildSen2Return(2027, [{ person: child({ erased: true }), cases: [c], plans: [] }]);
    expect(ret.toCorrect[0]?.problems.map((p) => p.kind)).toEqual(['erased']);
  });

  it('counts a plan not reviewed within twelve months of the census date', () => {
    const c = assessedCase({
      receivedOn: '2024-01-08',
      whether: { kind: 'assess', decidedOn: '2024-02-12' },
      issue: { kind: 'issue_plan', decidedOn: '2024-04-15' },
      finalIssuedOn: '2024-05-20',
    });
    const stale = finalPlan(c.caseId, {
      startedOn: '2024-05-20',
      lastReview: { meetingOn: '2025-05-12', decision: 'keep', decidedOn: '2025-05-30' },
    });
    const ret = buildSen2Return(2027, [{ person: child(), cases: [c], plans: [stale] }]);
    expect(ret.summary.activePlans).toBe(1);
    expect(ret.summary.activeReviewedWithin12Months).toBe(0);
  });
});

function checkLetterFor(body: string): string {
  const letters = 'ABCDEFGHJKLMNPQRTUVWXYZ';
  const value = (ch: string) => (/\d/.test(ch) ? Number(ch) : letters.indexOf(ch));
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += value(body[i]!) * (i + 2);
  return letters[sum % 23]!;
}

describe('the SEN2 XML', () => {
  const c = assessedCase();
  const plan = finalPlan(c.caseId, {
    lastReview: { meetingOn: '2026-12-07', decision: 'amend', decidedOn: '2026-12-21' },
  });
  const good = child({ surname: 'O’Brien <&> \u0007Smith' });
  const bad = child({ upn: '' });
  const ret = buildSen2Return(2027, [
    { person: good, cases: [c], plans: [plan] },
    { person: bad, cases: [assessedCase()], plans: [] },
  ]);
  const xml = sen2Xml(header, ret);
  const parsed = new XMLParser({
    parseTagValue: false,
    isArray: (name) => ['Person', 'Requests', 'SENneed'].includes(name),
  }).parse(xml);

  it('has the header: the collection, its year and census date, the authority and the file', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(parsed.Message.Header).toEqual({
      CollectionDetails: { Collection: 'SEN2', Year: '2027', ReferenceDate: '2027-01-21' },
      Source: {
        SourceLevel: 'L',
        LEA: '938',
        SoftwareCode: 'OpenSEND',
        Release: '1.0',
        SerialNo: '1',
        DateTime: '2027-01-22T09:00:00',
        DMO: 'N',
        DCO: 'N',
      },
    });
  });

  it('holds each child returned, module by module, and never a child to correct', () => {
    const persons = parsed.Message.Persons.Person;
    expect(persons).toHaveLength(1);
    const p = persons[0];
    expect(Object.keys(p)).toEqual([
      'Surname',
      'Forename',
      'PersonBirthDate',
      'Sex',
      'Ethnicity',
      'PostCode',
      'UPN',
      'Requests',
    ]);
    expect(p.Surname).toBe('O’Brien <&> Smith');
    expect(p.PostCode).toBe('');
    expect(p.UPN).toBe(good.upn);
    // Each request in turn, its assessment and named plan inside it, and the active plan it led to.
    expect(p.Requests).toEqual([
      {
        ReceivedDate: '2026-02-02',
        RYA: '0',
        RequestOutcomeDate: '2026-03-09',
        RequestOutcome: 'Y',
        Assessment: {
          AssessmentOutcome: 'Y',
          AssessmentOutcomeDate: '2026-05-04',
          Week20: '1',
          NamedPlan: {
            StartDate: '2026-06-15',
            PlanDetail: {
              URN: '100001',
              SENSetting: '',
              PlacementRank: '1',
              SENunitIndicator: '0',
              ResourcedProvisionIndicator: '0',
            },
            PB: '0',
          },
        },
        ActivePlans: {
          PlacementDetail: {
            URN: '100001',
            SENSetting: '',
            PlacementRank: '1',
            EntryDate: '2022-09-01',
            SENunitIndicator: '0',
            ResourcedProvisionIndicator: '0',
          },
          SENneed: [
            { SENtype: 'SLCN', SENtypeRank: '1' },
            { SENtype: 'ASD', SENtypeRank: '2' },
          ],
          ReviewMeeting: '2026-12-07',
          ReviewOutcome: 'A',
        },
      },
    ]);
    // The elements in the order SEN2 sets them.
    expect(Object.keys(p.Requests[0])).toEqual([
      'ReceivedDate',
      'RYA',
      'RequestOutcomeDate',
      'RequestOutcome',
      'Assessment',
      'ActivePlans',
    ]);
    expect(Object.keys(p.Requests[0].ActivePlans)).toEqual([
      'PlacementDetail',
      'SENneed',
      'ReviewMeeting',
      'ReviewOutcome',
    ]);
    expect(xml).not.toContain(bad.surname);
    expect(xml).toContain('O’Brien &lt;&amp;&gt; Smith');
  });

  it('is well formed with no child at all', () => {
    const empty = sen2Xml(header, buildSen2Return(2027, []));
    const p = new XMLParser().parse(empty);
    expect(p.Message.Header.CollectionDetails.Collection).toBe('SEN2');
    expect(p.Message.Persons ?? '').toBe('');
  });
});
