import { describe, expect, it } from 'vitest';
import {
  type AgencyInput,
  agencyProblems,
  professionalProblems,
  referralCountGroup,
  SERVICE_KINDS,
  waitText,
  websiteLink,
} from './agencies.ts';
import { STARTER_AGENCIES } from './agency-starter.ts';

const OK: AgencyInput = {
  name: 'Northshire SALT',
  serviceKind: 'speech_and_language_therapy',
  contactName: null,
  email: 'salt@northshire.example',
  phone: '+44 (0)1632 960123',
  website: 'https://www.northshire.example/salt',
  address: 'Clinic\nHigh Street',
  howToRefer: 'Form A,\nby secure email',
  needsFromSchool: null,
  typicalWaitWeeks: 12,
};
const fields = (input: Partial<AgencyInput>) => agencyProblems({ ...OK, ...input }).map((p) => p.field);

describe('a service as entered', () => {
  it('is fine with its contact, multi-line address and a wait from 0 to 520 weeks', () => {
    expect(agencyProblems(OK)).toEqual([]);
    expect(fields({ typicalWaitWeeks: 0 })).toEqual([]);
    expect(fields({ typicalWaitWeeks: 520 })).toEqual([]);
    expect(fields({ typicalWaitWeeks: null, email: null, website: 'northshire.example' })).toEqual([]);
  });

  it('names each field that is wrong', () => {
    expect(fields({ name: ' ' })).toEqual(['name']);
    expect(fields({ serviceKind: 'tarot' as AgencyInput['serviceKind'] })).toEqual(['serviceKind']);
    expect(fields({ typicalWaitWeeks: 521 })).toEqual(['typicalWaitWeeks']);
    expect(fields({ typicalWaitWeeks: -2 })).toEqual(['typicalWaitWeeks']);
    expect(fields({ typicalWaitWeeks: 2.5 })).toEqual(['typicalWaitWeeks']);
    expect(fields({ email: 'salt@' })).toEqual(['email']);
    expect(fields({ website: 'javascript:alert(1)' })).toEqual(['website']);
    expect(fields({ website: 'data:text/html,hi' })).toEqual(['website']);
    expect(fields({ phone: 'ring the office' })).toEqual(['phone']);
    expect(fields({ name: 'a'.repeat(121) })).toEqual(['name']);
  });

  it('refuses hidden control characters, keeping line breaks in long text only', () => {
    expect(fields({ name: 'SALT\u0000' })).toEqual(['name']);
    expect(fields({ contactName: 'Line\nbreak' })).toEqual(['contactName']);
    expect(fields({ howToRefer: 'Bell\u0007' })).toEqual(['howToRefer']);
    expect(fields({ address: 'Right-to-left\u202Eoverride' })).toEqual(['address']);
    // One message for the field, not a second about its format too.
    expect(agencyProblems({ ...OK, email: 'a\u0000@b.example' })).toHaveLength(1);
  });
});

describe('a professional as entered', () => {
  it('needs a name; an email, if given, must look like one', () => {
    expect(professionalProblems({ name: 'Dr Ada Park', jobTitle: 'EP', email: null })).toEqual([]);
    expect(professionalProblems({ name: '', jobTitle: null, email: null }).map((p) => p.field)).toEqual([
      'name',
    ]);
    expect(professionalProblems({ name: 'A', jobTitle: null, email: 'x' }).map((p) => p.field)).toEqual([
      'email',
    ]);
    expect(
      professionalProblems({ name: 'A', jobTitle: 'Tab\there', email: null }).map((p) => p.field),
    ).toEqual(['jobTitle']);
  });
});

describe('what the directory shows', () => {
  it('links a website only over http or https', () => {
    expect(websiteLink('northshire.example/salt')).toBe('https://northshire.example/salt');
    expect(websiteLink('http://northshire.example')).toBe('http://northshire.example');
    expect(websiteLink('javascript:alert(1)')).toBeNull();
    expect(websiteLink(null)).toBeNull();
  });

  it('says the wait in words', () => {
    expect(waitText(null)).toBeNull();
    expect(waitText(0)).toBe('No waiting list');
    expect(waitText(1)).toBe('1 week');
    expect(waitText(18)).toBe('18 weeks');
  });

  it('groups the steps of a referral for counts', () => {
    expect(referralCountGroup('drafted')).toBe('underWay');
    expect(referralCountGroup('seen')).toBe('underWay');
    expect(referralCountGroup('report_received')).toBe('done');
    expect(referralCountGroup('closed')).toBe('done');
    expect(referralCountGroup('declined')).toBe('ended');
    expect(referralCountGroup('stopped')).toBe('ended');
  });

  it('offers a starter service of every kind but “another service”, each valid and without contacts', () => {
    expect(STARTER_AGENCIES.map((s) => s.serviceKind)).toEqual(SERVICE_KINDS.filter((k) => k !== 'other'));
    for (const s of STARTER_AGENCIES) {
      expect(agencyProblems(s)).toEqual([]);
      expect([s.email, s.phone, s.contactName, s.website]).toEqual([null, null, null, null]);
    }
  });
});
