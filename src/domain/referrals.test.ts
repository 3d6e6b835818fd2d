import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { pdfHasScript, recommendationSource } from './agencies.ts';
import {
  ageOn,
  type ConsentFacts,
  type ConsentRecord,
  consentInForce,
  consentProblems,
  consentState,
  defaultShareUntil,
  lateness,
  nextSteps,
  reportDueOn,
  sendProblem,
  shareProblem,
  stepProblem,
  stepsToReportReceived,
  withdrawalProblem,
} from './referrals.ts';

const mother = { name: 'Sarah Ahmed', parentalResponsibility: true, courtOrder: false };

const consent = (over: Partial<ConsentRecord> = {}): ConsentRecord => ({
  givenOn: '2026-10-05',
  validUntil: null,
  withdrawnOn: null,
  coversReferral: true,
  coversSharing: true,
  ...over,
});

const inflate = (data: Uint8Array, maxBytes: number) => inflateSync(data, { maxOutputLength: maxBytes });

describe('the steps of a referral', () => {
  it('goes drafted → waiting for consent → sent → waiting list → seen → report received → closed', () => {
    const path = [
      'drafted',
      'awaiting_consent',
      'sent',
      'waiting_list',
      'seen',
      'report_received',
      'closed',
    ] as const;
    for (let i = 1; i < path.length; i++) expect(stepProblem(path[i - 1]!, path[i]!)).toBeNull();
  });

  it('refuses to skip back, to repeat a step, or to move a referral that has ended', () => {
    expect(stepProblem('seen', 'sent')).toBe('A referral that is pupil seen cannot be marked sent');
    expect(stepProblem('sent', 'sent')).toBe('The referral is already sent');
    expect(stepProblem('declined', 'sent')).toMatch(/has ended \(declined by the agency\)/);
    expect(stepProblem('stopped', 'closed')).toMatch(/start a new referral/);
  });

  it('never offers "stopped" as a step: only withdrawing consent stops a referral', () => {
    for (const s of ['drafted', 'awaiting_consent', 'sent', 'waiting_list', 'accepted', 'seen'] as const)
      expect(nextSteps(s)).not.toContain('stopped');
    expect(nextSteps('closed')).toEqual([]);
  });
});

describe('consent as recorded', () => {
  const facts = (over: Partial<ConsentFacts> = {}): ConsentFacts => ({
    givenBy: 'parent',
    parent: mother,
    pupilDateOfBirth: '2017-03-02',
    givenOn: '2026-10-05',
    validUntil: '2027-07-21',
    coversReferral: true,
    coversSharing: true,
    ...over,
  });

  it('keeps the consent of a mother with parental responsibility, given in the past', () => {
    expect(consentProblems(facts(), '2026-12-07')).toEqual([]);
  });

  it('refuses consent from a carer without parental responsibility or with a court order, naming them', () => {
    const carer = { name: 'Dan Ahmed', parentalResponsibility: false, courtOrder: false };
    expect(consentProblems(facts({ parent: carer }), '2026-12-07')).toEqual([
      {
        field: 'parentId',
        message: 'Dan Ahmed does not have parental responsibility, so cannot give consent',
      },
    ]);
    expect(
      consentProblems(facts({ parent: { ...mother, courtOrder: true } }), '2026-12-07')[0]?.message,
    ).toBe('A court order is recorded against Sarah Ahmed, so they cannot give consent');
  });

  it('takes a young person’s own consent from their 16th birthday, not the day before', () => {
    const young = facts({ givenBy: 'young_person', parent: null, pupilDateOfBirth: '2010-12-07' });
    expect(consentProblems({ ...young, givenOn: '2026-12-07' }, '2026-12-07')).toEqual([]);
    expect(consentProblems({ ...young, givenOn: '2026-12-06' }, '2026-12-07')[0]?.field).toBe('givenBy');
    expect(ageOn('2010-12-07', '2026-12-06')).toBe(15);
  });

  it('refuses a date in the future, an end before the start, and consent to nothing', () => {
    const p = consentProblems(
      facts({ givenOn: '2026-12-08', validUntil: '2026-12-01', coversReferral: false, coversSharing: false }),
      '2026-12-07',
    );
    expect(p.map((x) => x.field)).toEqual(['givenOn', 'validUntil', 'covers']);
  });

  it('refuses a withdrawal in the future, before the consent, or a second time', () => {
    const given = { givenOn: '2026-10-05', withdrawnOn: null };
    expect(withdrawalProblem(given, '2026-12-08', '2026-12-07')?.message).toMatch(/future/);
    expect(withdrawalProblem(given, '2026-10-04', '2026-12-07')?.message).toBe(
      'Consent cannot be withdrawn before it was given (5 October 2026)',
    );
    expect(
      withdrawalProblem({ ...given, withdrawnOn: '2026-11-02' }, '2026-12-01', '2026-12-07')?.message,
    ).toBe('Consent was already withdrawn on 2 November 2026');
    expect(withdrawalProblem(given, '2026-12-07', '2026-12-07')).toBeNull();
  });
});

describe('whether consent is in force', () => {
  it('from the day it is given to its last day, and not from the day it is withdrawn', () => {
    const c = consent({ validUntil: '2026-12-31' });
    expect(consentInForce(c, '2026-10-04')).toBe(false);
    expect(consentInForce(c, '2026-10-05')).toBe(true);
    expect(consentInForce(c, '2026-12-31')).toBe(true);
    expect(consentInForce(c, '2027-01-01')).toBe(false);
    expect(consentInForce({ ...c, withdrawnOn: '2026-11-10' }, '2026-11-09')).toBe(true);
    expect(consentInForce({ ...c, withdrawnOn: '2026-11-10' }, '2026-11-10')).toBe(false);
  });

  it('says none, in force, expired or withdrawn, the latest consent deciding', () => {
    expect(consentState([], '2026-12-07')).toBe('none');
    expect(consentState([consent()], '2026-12-07')).toBe('in_force');
    expect(consentState([consent({ validUntil: '2026-11-01' })], '2026-12-07')).toBe('expired');
    expect(consentState([consent({ withdrawnOn: '2026-11-01' })], '2026-12-07')).toBe('withdrawn');
    // Withdrawn once, then given again: in force.
    expect(
      consentState(
        [consent({ withdrawnOn: '2026-11-01' }), consent({ givenOn: '2026-11-20' })],
        '2026-12-07',
      ),
    ).toBe('in_force');
  });
});

describe('sending and sharing', () => {
  it('sends on consent to the referral, or on a public task the school wrote down', () => {
    expect(sendProblem({ lawfulBasis: 'consent', basisNote: null, consents: [] }, '2026-12-07')).toBe(
      'Record consent to the referral before you send it',
    );
    expect(
      sendProblem({ lawfulBasis: 'consent', basisNote: null, consents: [consent()] }, '2026-12-07'),
    ).toBeNull();
    expect(
      sendProblem(
        { lawfulBasis: 'consent', basisNote: null, consents: [consent({ coversReferral: false })] },
        '2026-12-07',
      ),
    ).toBe('Record consent to the referral before you send it');
    expect(sendProblem({ lawfulBasis: 'public_task', basisNote: ' ', consents: [] }, '2026-12-07')).toBe(
      'Write down the basis in law (the school’s public task) before you send the referral',
    );
    expect(
      sendProblem(
        { lawfulBasis: 'public_task', basisNote: 'Children Act 2004 s.11', consents: [] },
        '2026-12-07',
      ),
    ).toBeNull();
  });

  it('stops everything once consent is withdrawn, whatever the basis', () => {
    const withdrawn = [consent({ withdrawnOn: '2026-12-01' })];
    expect(
      sendProblem({ lawfulBasis: 'public_task', basisNote: 'duty', consents: withdrawn }, '2026-12-07'),
    ).toBe('Consent was withdrawn: the referral cannot be sent');
    expect(
      shareProblem(
        { lawfulBasis: 'consent', basisNote: null, consents: withdrawn },
        '2027-01-31',
        '2026-12-07',
      ),
    ).toBe('Consent was withdrawn: nothing can be shared');
  });

  it('shares no longer than consent to sharing lasts, and never until a day already past', () => {
    const b = {
      lawfulBasis: 'consent' as const,
      basisNote: null,
      consents: [consent({ validUntil: '2027-03-31' })],
    };
    expect(shareProblem(b, '2027-03-31', '2026-12-07')).toBeNull();
    expect(shareProblem(b, '2027-04-01', '2026-12-07')).toBe(
      'Consent to sharing ends on 31 March 2027: share until then at the latest',
    );
    expect(shareProblem(b, '2026-12-06', '2026-12-07')).toBe('The last day of sharing cannot be in the past');
    expect(
      shareProblem({ ...b, consents: [consent({ coversSharing: false })] }, '2027-01-31', '2026-12-07'),
    ).toBe('Record consent to sharing before you share anything');
  });
});

describe('the clock', () => {
  const sent = {
    status: 'sent' as const,
    sentOn: '2026-10-05',
    respondBy: '2026-10-19',
    reportDueOn: null,
    forEhcAssessment: false,
  };

  it('makes advice for an EHC needs assessment due six weeks after it was asked for', () => {
    expect(reportDueOn({ ...sent, forEhcAssessment: true })).toBe('2026-11-16');
    expect(reportDueOn({ ...sent, forEhcAssessment: true, reportDueOn: '2026-11-30' })).toBe('2026-11-30');
    expect(reportDueOn(sent)).toBeNull();
  });

  it('says what is late and by how many days', () => {
    expect(lateness(sent, '2026-10-19')).toBeNull();
    expect(lateness(sent, '2026-10-22')).toEqual({ kind: 'response', due: '2026-10-19', daysLate: 3 });
    expect(lateness({ ...sent, status: 'accepted' }, '2026-10-22')).toBeNull();
    expect(lateness({ ...sent, status: 'seen', forEhcAssessment: true }, '2026-11-20')).toEqual({
      kind: 'report',
      due: '2026-11-16',
      daysLate: 4,
    });
    expect(lateness({ ...sent, status: 'report_received', forEhcAssessment: true }, '2026-12-07')).toBeNull();
    expect(lateness({ ...sent, status: 'stopped', forEhcAssessment: true }, '2026-12-07')).toBeNull();
  });
});

describe('recommendations and reports', () => {
  it('cites the report a recommendation came from', () => {
    expect(
      recommendationSource({
        authorRole: 'Educational psychologist',
        agencyName: 'Northshire EPS',
        writtenOn: '2026-03-03',
      }),
    ).toBe('Recommended by the educational psychologist, report of 3 March 2026');
    expect(
      recommendationSource({ authorRole: null, agencyName: 'Northshire SALT', writtenOn: '2026-03-03' }),
    ).toBe('Recommended by Northshire SALT, report of 3 March 2026');
  });

  it('finds JavaScript and actions that run on opening in a PDF', () => {
    expect(
      pdfHasScript(Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /OpenAction 2 0 R >>'), inflate),
    ).toBe(true);
    expect(
      pdfHasScript(Buffer.from('%PDF-1.4\n2 0 obj << /S /JavaScript /JS (app.alert(1)) >>'), inflate),
    ).toBe(true);
    expect(pdfHasScript(Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >>'), inflate)).toBe(
      false,
    );
  });
});

describe('the last day of sharing offered first', () => {
  const consent = (over: Partial<ConsentRecord> = {}): ConsentRecord => ({
    givenOn: '2026-10-05',
    validUntil: null,
    withdrawnOn: null,
    coversReferral: true,
    coversSharing: true,
    ...over,
  });
  it('is twelve weeks on (about a term) when consent has no end', () => {
    expect(
      defaultShareUntil({ lawfulBasis: 'consent', basisNote: null, consents: [consent()] }, '2026-11-20'),
    ).toBe('2027-02-12');
  });
  it('is the day consent to sharing ends when that comes sooner, and shareProblem accepts it', () => {
    const b = {
      lawfulBasis: 'consent' as const,
      basisNote: null,
      consents: [consent({ validUntil: '2026-12-18' })],
    };
    expect(defaultShareUntil(b, '2026-11-20')).toBe('2026-12-18');
    expect(shareProblem(b, defaultShareUntil(b, '2026-11-20'), '2026-11-20')).toBeNull();
    expect(shareProblem(b, '2026-12-19', '2026-11-20')).toMatch(/Consent to sharing ends on/);
  });
  it('ignores a consent that covers only the referral, and a basis in law has no consent end', () => {
    const onlyReferral = consent({ coversSharing: false, validUntil: '2026-12-01' });
    expect(
      defaultShareUntil({ lawfulBasis: 'consent', basisNote: null, consents: [onlyReferral] }, '2026-11-20'),
    ).toBe('2027-02-12');
    expect(
      defaultShareUntil({ lawfulBasis: 'public_task', basisNote: 'Early help', consents: [] }, '2026-11-20'),
    ).toBe('2027-02-12');
  });
});

describe('what a report that arrives does to the referral', () => {
  it('moves it to report received, through pupil seen from sent or the waiting list, each step a rule allows', () => {
    expect(stepsToReportReceived('accepted')).toEqual(['report_received']);
    expect(stepsToReportReceived('seen')).toEqual(['report_received']);
    expect(stepsToReportReceived('sent')).toEqual(['seen', 'report_received']);
    expect(stepsToReportReceived('waiting_list')).toEqual(['seen', 'report_received']);
    expect(stepsToReportReceived('report_received')).toEqual([]);
  });
  it('moves no referral not yet sent or ended', () => {
    for (const status of ['drafted', 'awaiting_consent', 'closed', 'declined', 'stopped'] as const)
      expect(stepsToReportReceived(status), status).toBeNull();
  });
});
