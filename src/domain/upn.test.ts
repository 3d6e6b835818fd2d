import { describe, expect, it } from 'vitest';
import { makeUpn, normaliseUpn, upnCheckLetter, upnProblem } from './upn.ts';

describe('UPN check letter', () => {
  it('computes the DfE check letter (weights 2 to 13, modulo 23)', () => {
    // 8*2+2*3+0*4+2*5+0*6+0*7+1*8+1*9+0*10+0*11+1*12+2*13 = 87; 87 mod 23 = 18 -> V
    expect(upnCheckLetter('820200110012')).toBe('V');
    expect(upnProblem('V820200110012')).toBeNull();
  });
  it('accepts a temporary UPN ending in a letter', () => {
    const body = '82020011001A';
    expect(upnProblem(upnCheckLetter(body) + body)).toBeNull();
  });
  it('rejects a wrong check letter, length or characters', () => {
    expect(upnProblem('A820200110012')).toBe('check_letter');
    expect(upnProblem('V82020011001')).toBe('length');
    expect(upnProblem('')).toBe('empty');
    expect(upnProblem('I820200110012')).toBe('characters');
    expect(upnProblem('V8202001100O2')).toBe('characters');
  });
  it('normalises spaces and case, and makes valid UPNs', () => {
    expect(normaliseUpn(' v820 2001 10012 ')).toBe('V820200110012');
    for (let serial = 0; serial < 50; serial++)
      expect(upnProblem(makeUpn('999', '2001', 24, serial))).toBeNull();
  });
});
