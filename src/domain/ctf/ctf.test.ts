import { describe, expect, it } from 'vitest';
import { ctfBytes, ctfXml, testUpn } from '../../../test/builders/ctf.ts';
import { makeUpn } from '../upn.ts';
import { currentPosition, registerEntriesOf, senHistoryFromRegister, senTimeline } from './history.ts';
import {
  type CtfFile,
  type CtfPupil,
  ctfFileName,
  parseDfeNumber,
  relationshipCode,
  UNKNOWN_DESTINATION,
} from './model.ts';
import { readCtf } from './read.ts';
import { ctfPupilProblems, escapeXml, writeCtf } from './write.ts';

const TODAY = '2026-11-20';
const bytes = (s: string) => Buffer.from(s, 'utf8');

function read(xml: string) {
  const result = readCtf(bytes(xml), TODAY);
  if (!result.ok) throw new Error(result.message);
  return result;
}

describe('reading a Common Transfer File', () => {
  it('reads a pupil’s details, contacts and SEN history (K with SLCN, then E with ASD)', () => {
    const upn = testUpn();
    const result = read(
      ctfXml({
        pupils: [
          {
            upn,
            surname: 'O’Brien & Sons',
            forename: 'Zoë',
            dob: '2017-04-12',
            sex: 'F',
            sen: [
              ['2023-01-10', 'K'],
              ['2024-09-05', 'E'],
            ],
            needs: [
              ['SLCN', 1, '2023-01-10', '2024-09-04'],
              ['ASD', 1, '2024-09-05'],
              ['SLCN', 2, '2024-09-05'],
            ],
            contacts: [
              {
                title: 'Mrs',
                forename: 'Aoife',
                surname: 'O’Brien',
                relationship: 'PAR',
                phone: '01632 960001',
                email: 'aoife@families.example',
              },
            ],
          },
        ],
      }),
    );
    expect(result.header.source).toMatchObject({ la: '888', estab: '4321', name: 'Hillside Primary' });
    expect(result.pupils).toHaveLength(1);
    const [p] = result.pupils;
    expect(p?.problems).toEqual([]);
    expect(p?.pupil).toMatchObject({
      upn,
      surname: 'O’Brien & Sons',
      forename: 'Zoë',
      dateOfBirth: '2017-04-12',
      sex: 'F',
      contacts: [
        {
          title: 'Mrs',
          forename: 'Aoife',
          surname: 'O’Brien',
          relationship: 'PAR',
          responsibility: true,
          phones: ['01632 960001'],
          email: 'aoife@families.example',
        },
      ],
    });
    const entries = registerEntriesOf(p!.pupil!.senHistory);
    expect(
      entries.map((e) => [e.effectiveDate, e.kind, e.to.stage, e.to.primaryNeed, e.to.secondaryNeed]),
    ).toEqual([
      ['2023-01-10', 'added_to_sen_support', 'sen_support', 'SLCN', null],
      ['2024-09-05', 'ehc_plan_recorded', 'ehc_plan', 'ASD', 'SLCN'],
    ]);
    expect(currentPosition(p!.pupil!.senHistory)).toEqual({
      stage: 'ehc_plan',
      primaryNeed: 'ASD',
      secondaryNeed: 'SLCN',
    });
  });

  it('applies undated needs from the latest provision only, and reads needs placed inside SEN', () => {
    const result = read(
      ctfXml({
        pupils: [
          {
            sen: [
              ['2022-02-01', 'K'],
              ['2025-03-03', 'K'],
            ],
            needs: [['MLD', 1]],
            extra: '',
          },
          {
            extra: '',
            sen: [],
          },
        ],
      }).replace(
        '<SEN><StartDate>2025-03-03</StartDate><SENprovision>K</SENprovision></SEN>',
        '<SEN><StartDate>2025-03-03</StartDate><SENprovision>K</SENprovision></SEN>',
      ),
    );
    const history = result.pupils[0]!.pupil!.senHistory;
    // The first K has no known need (kept as history); the need applies from the latest provision.
    expect(senTimeline(history).map((t) => [t.date, t.stage, t.primaryNeed])).toEqual([
      ['2022-02-01', 'sen_support', null],
      ['2025-03-03', 'sen_support', 'MLD'],
    ]);
    const nested = read(
      ctfXml({ pupils: [{}] }).replace(
        '<Attendance>',
        '<SENhistory><SEN><StartDate>2024-01-08</StartDate><SENprovision>K</SENprovision><SENneeds><SENneed><SENtype>SEMH</SENtype><SENtypeRank>1</SENtypeRank></SENneed></SENneeds></SEN></SENhistory><Attendance>',
      ),
    );
    expect(currentPosition(nested.pupils[0]!.pupil!.senHistory)).toMatchObject({
      stage: 'sen_support',
      primaryNeed: 'SEMH',
    });
  });

  it('reports each pupil’s problems with their position in the file, and reads the others', () => {
    const good = testUpn();
    const result = read(
      ctfXml({
        pupils: [
          { upn: good, sen: [['2024-01-08', 'K']], needs: [['SPLD', 1]] },
          { upn: 'B123456789012', forename: 'Bad', surname: 'Upn' },
          { dob: '2017-02-30' },
          { sen: [['2024-01-08', 'K']], needs: [['NSA', 1]], sex: 'X' },
          { sen: [['2024-01-08', 'E']], needs: [['NSA', 1]] },
          {
            sen: [['2024-01-08', 'K']],
            needs: [
              ['SPLD', 1],
              ['MLD', 1],
            ],
          },
          { sen: [['2024-01-08', 'N']], needs: [['SPLD', 1]] },
          { sen: [['2024-01-08', 'K']] },
          { sen: [['2027-01-08', 'K']], needs: [['SPLD', 1]] },
          { sen: [['2024-01-08', 'Q']], needs: [['ZZZ', 1]] },
          { surname: '=HYPERLINK("http://x")', forename: 'Zo\u202Ee' },
        ],
      }),
    );
    const byPosition = Object.fromEntries(result.pupils.map((p) => [p.position, p.problems.join(' | ')]));
    expect(result.pupils[0]).toMatchObject({ position: 1, upn: good, problems: [] });
    expect(byPosition[2]).toMatch(/check letter/);
    expect(result.pupils[1]).toMatchObject({ name: 'Bad Upn', pupil: null });
    expect(byPosition[3]).toMatch(/Date of birth 2017-02-30 is not a real date/);
    expect(byPosition[4]).toMatch(/Sex X is not M or F/);
    expect(byPosition[5]).toMatch(/NSA .* only be used for pupils at SEN support/);
    expect(byPosition[6]).toMatch(/Two needs have rank 1/);
    expect(byPosition[7]).toMatch(/when SEN provision is N/);
    expect(byPosition[8]).toMatch(/No primary need \(rank 1\) is given for SEN support/);
    expect(byPosition[9]).toMatch(/in the future/);
    expect(byPosition[10]).toMatch(/SEN provision Q is not N, K or E.*ZZZ is not a census code/);
    // Names as a file from the MIS has them refused: formula-like, or with an invisible override.
    expect(byPosition[11]).toMatch(/Surname starts with “=” like a spreadsheet formula/);
    expect(byPosition[11]).toMatch(/Forename contains hidden control characters/);
  });

  it('refuses, with a plain message, files that are not a CTF', () => {
    const refuse = (data: Uint8Array) => {
      const r = readCtf(data, TODAY);
      expect(r.ok).toBe(false);
      return r.ok ? '' : r.message;
    };
    expect(refuse(new Uint8Array())).toBe('The file is empty');
    // An .xlsx is a zip file.
    expect(refuse(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]))).toMatch(
      /spreadsheet or zip file/,
    );
    expect(refuse(bytes('UPN,Surname,Forename\nA1,Smith,Sam\n'))).toMatch(/not XML/);
    expect(refuse(Buffer.from([0x3c, 0xff, 0xfe, 0xfd, 0x80]))).toMatch(/not readable text/);
    expect(refuse(bytes('<html><body>hello</body></html>'))).toMatch(
      /not a Common Transfer File \(it starts with <html>/,
    );
    expect(refuse(bytes('<CTfile><Header></Header></CTfile>'))).toMatch(/no pupil data/);
    expect(refuse(bytes('<CTfile><CTFpupilData></CTFpupilData></CTfile>'))).toMatch(/no pupils/);
    expect(refuse(bytes('<CTfile><CTFpupilData><Pupil></CTFpupilData>'))).toMatch(/not well-formed XML/);
    expect(refuse(new Uint8Array(20 * 1024 * 1024 + 1).fill(0x20))).toMatch(/larger than 20 MB/);
    // A NUL anywhere (it cannot be stored, and XML does not allow it): the file is refused whole.
    expect(
      refuse(
        bytes('<CTfile>\n<CTFpupilData><Pupil><Surname>A\u0000b</Surname></Pupil></CTFpupilData></CTfile>'),
      ),
    ).toBe(
      'The file holds a NUL character (on line 2), which XML does not allow: it may be damaged. Ask the other school for the file again.',
    );
  });

  it('refuses a character reference to NUL, or to another character XML never allows, like a raw NUL', () => {
    const withSurname = (surname: string) =>
      ctfXml({ pupils: [{ surname: 'Smith' }, { surname: 'Jones' }] }).replace(
        '<Surname>Jones',
        `<Surname>${surname}`,
      );
    const xml = withSurname('Jo&#0;nes');
    const line = xml.slice(0, xml.indexOf('&#0;')).split('\n').length;
    expect(line).toBeGreaterThan(1);
    expect(readCtf(bytes(xml), TODAY)).toEqual({
      ok: false,
      message: `The file holds a NUL character (written &#0; on line ${line}), which XML does not allow: it may be damaged. Ask the other school for the file again.`,
    });
    for (const written of ['&#x0;', '&#00;', '&#x0000;']) {
      expect(readCtf(bytes(withSurname(`Jo${written}nes`)), TODAY)).toMatchObject({
        ok: false,
        message: expect.stringMatching(/^The file holds a NUL character \(written &#x?0+; on line \d+\)/),
      });
    }
    for (const written of [
      '&#xD800;',
      '&#57343;',
      '&#xFFFE;',
      '&#xFFFF;',
      '&#x110000;',
      '&#99999999999999999999;',
    ]) {
      const r = readCtf(bytes(withSurname(`Jo${written}nes`)), TODAY);
      expect(r, written).toMatchObject({
        ok: false,
        message: expect.stringMatching(
          /^The file holds a reference to a character XML does not allow \(&#.+ on line \d+\): it may be damaged/,
        ),
      });
    }
    // A reference to another control character stays a problem of that pupil, the rest read.
    const one = readCtf(bytes(withSurname('Jo&#1;nes')), TODAY);
    if (!one.ok) throw new Error(one.message);
    expect(one.pupils[0]?.problems).toEqual([]);
    expect(one.pupils[1]?.problems.join()).toMatch(/Surname contains hidden control characters/);
    // Ordinary references are read as the characters they stand for.
    const fine = readCtf(bytes(withSurname('O&#8217;Brien &#x263A;')), TODAY);
    if (!fine.ok) throw new Error(fine.message);
    expect(fine.pupils[1]?.name).toMatch(/O’Brien ☺/);
  });

  it('never expands entities: an external entity and "billion laughs" are refused unread', () => {
    const xxe = `<?xml version="1.0"?>
<!DOCTYPE CTfile [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<CTfile><CTFpupilData><Pupil><UPN>&secret;</UPN></Pupil></CTFpupilData></CTfile>`;
    const laughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol9 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<CTfile><CTFpupilData><Pupil><Surname>&lol9;</Surname></Pupil></CTFpupilData></CTfile>`;
    for (const xml of [xxe, laughs, xxe.replace('DOCTYPE', 'doctype')]) {
      const r = readCtf(bytes(xml), TODAY);
      expect(r).toEqual({
        ok: false,
        message: expect.stringMatching(/declares a document type or entities/),
      });
    }
    // An entity reference with no declaration stays as text: it is never looked up.
    const undeclared = read(
      ctfXml({ pupils: [{ surname: 'Smith' }] }).replace('<Surname>Smith', '<Surname>Smith&x;'),
    );
    expect(undeclared.pupils[0]?.problems.join()).not.toMatch(/passwd/);
  });

  it('reads a large file quickly (1,000 pupils)', () => {
    const pupils = Array.from({ length: 1000 }, () => ({
      upn: testUpn(),
      sen: [['2024-01-08', 'K'] as [string, string]],
      needs: [['SPLD', 1] as [string, number]],
    }));
    const started = performance.now();
    const result = read(ctfXml({ pupils }));
    expect(result.pupils.filter((p) => p.pupil)).toHaveLength(1000);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

const SCHOOL = {
  la: '999',
  estab: '1234',
  urn: '123456',
  name: 'Oakfield <Primary> & "Nursery"',
  academicYear: '2026',
};

function leaver(overrides: Partial<CtfPupil> = {}): CtfPupil {
  return {
    upn: makeUpn('999', '1234', 19, 7),
    surname: 'D’Arcy-Ng',
    forename: 'Łucja',
    preferredForename: 'Lu',
    dateOfBirth: '2016-02-29',
    sex: 'F',
    contacts: [
      {
        order: 1,
        title: null,
        forename: 'Anna',
        surname: 'D’Arcy-Ng',
        relationship: 'PAR',
        responsibility: true,
        phones: ['07700 900123'],
        email: 'anna@families.example',
      },
      {
        order: 2,
        title: 'Mr',
        forename: null,
        surname: 'Ng <Grandad>',
        relationship: 'REL',
        responsibility: false,
        phones: [],
        email: null,
      },
    ],
    senHistory: senHistoryFromRegister([
      { effectiveDate: '2021-10-04', stage: 'monitoring', primaryNeed: null, secondaryNeed: null },
      { effectiveDate: '2022-01-10', stage: 'sen_support', primaryNeed: 'SLCN', secondaryNeed: null },
      { effectiveDate: '2023-05-02', stage: 'sen_support', primaryNeed: 'SLCN', secondaryNeed: 'SEMH' },
      { effectiveDate: '2024-09-05', stage: 'ehc_plan', primaryNeed: 'ASD', secondaryNeed: 'SLCN' },
    ]),
    ...overrides,
  };
}

describe('writing a Common Transfer File', () => {
  const file: CtfFile = {
    header: {
      version: '25.0',
      dateTime: '2026-11-20T12:00:00',
      qualifier: 'partial',
      supplierId: 'OpenSEND',
      source: SCHOOL,
      destination: { la: '888', estab: '4321' },
    },
    pupils: [
      leaver(),
      leaver({ upn: makeUpn('999', '1234', 19, 8), senHistory: { provisions: [], needs: [] }, contacts: [] }),
    ],
  };

  it('turns the register history into dated provisions and ranked needs', () => {
    expect(file.pupils[0]!.senHistory).toEqual({
      provisions: [
        { startDate: '2022-01-10', provision: 'K' },
        { startDate: '2024-09-05', provision: 'E' },
      ],
      needs: [
        { type: 'SLCN', rank: 1, startDate: '2022-01-10', endDate: '2024-09-04' },
        { type: 'SEMH', rank: 2, startDate: '2023-05-02', endDate: '2024-09-04' },
        { type: 'ASD', rank: 1, startDate: '2024-09-05', endDate: null },
        { type: 'SLCN', rank: 2, startDate: '2024-09-05', endDate: null },
      ],
    });
  });

  it('round-trips: what it writes, the reader reads back as the same data, valid by the rules', () => {
    const xml = writeCtf(file);
    expect(xml).toContain('<SchoolName>Oakfield &lt;Primary&gt; &amp; &quot;Nursery&quot;</SchoolName>');
    const back = readCtf(bytes(xml), '2026-11-20');
    if (!back.ok) throw new Error(back.message);
    expect(back.header).toEqual(file.header);
    expect(back.pupils.map((p) => p.problems)).toEqual([[], []]);
    expect(back.pupils.map((p) => p.pupil)).toEqual(file.pupils);
    for (const p of file.pupils) expect(ctfPupilProblems(p, TODAY)).toEqual([]);
    // The register entries made from the file are the school's own changes (monitoring is N).
    expect(
      registerEntriesOf(back.pupils[0]!.pupil!.senHistory).map((e) => [e.effectiveDate, e.kind]),
    ).toEqual([
      ['2022-01-10', 'added_to_sen_support'],
      ['2023-05-02', 'needs_changed'],
      ['2024-09-05', 'ehc_plan_recorded'],
    ]);
  });

  it('drops characters XML cannot hold, and escapes the rest', () => {
    expect(escapeXml('a\u0000b\u001Fc<&>"\'\uD800')).toBe('abc&lt;&amp;&gt;&quot;&apos;');
    const xml = writeCtf({ ...file, pupils: [leaver({ surname: 'Bell\u0007e' })] });
    const back = readCtf(bytes(xml), TODAY);
    expect(back.ok && back.pupils[0]?.pupil?.surname).toBe('Belle');
  });

  it('holds the DOMAIN.md rules: UPN valid, needs ranked 1 and 2 once each, NSA only with K, no needs at N', () => {
    const problems = (history: CtfPupil['senHistory'], upn = makeUpn('999', '1234', 19, 7)) =>
      ctfPupilProblems(leaver({ upn, senHistory: history }), TODAY).join(' | ');
    expect(problems({ provisions: [], needs: [] }, 'B123456789012')).toMatch(/UPN .* is not valid/);
    expect(
      problems({
        provisions: [{ startDate: '2024-01-01', provision: 'K' }],
        needs: [{ type: 'MLD', rank: 3, startDate: null, endDate: null }],
      }),
    ).toMatch(/rank 3/);
    expect(
      problems({
        provisions: [{ startDate: '2024-01-01', provision: 'E' }],
        needs: [{ type: 'NSA', rank: 1, startDate: null, endDate: null }],
      }),
    ).toMatch(/NSA/);
    expect(
      problems({
        provisions: [
          { startDate: '2023-01-01', provision: 'K' },
          { startDate: '2024-01-01', provision: 'N' },
        ],
        needs: [{ type: 'MLD', rank: 1, startDate: '2023-01-01', endDate: null }],
      }),
    ).toMatch(/when SEN provision is N/);
    expect(
      problems({
        provisions: [{ startDate: '2024-01-01', provision: 'K' }],
        needs: [
          { type: 'MLD', rank: 1, startDate: null, endDate: null },
          { type: 'HI', rank: 1, startDate: null, endDate: null },
        ],
      }),
    ).toMatch(/Two needs have rank 1/);
  });

  it('names files as the DfE does, with MMM XXXX for an unknown destination', () => {
    expect(ctfFileName({ la: '999', estab: '1234' }, { la: '888', estab: '4321' }, 1)).toBe(
      '9991234_CTF_8884321_001.xml',
    );
    expect(ctfFileName({ la: '999', estab: '1234' }, UNKNOWN_DESTINATION, 57)).toBe(
      '9991234_CTF_MMMXXXX_057.xml',
    );
    expect(ctfFileName({ la: '999', estab: '1234' }, UNKNOWN_DESTINATION, 1000)).toBe(
      '9991234_CTF_MMMXXXX_001.xml',
    );
    expect(parseDfeNumber('888 4321')).toEqual({ la: '888', estab: '4321' });
    expect(parseDfeNumber('888/4321')).toEqual({ la: '888', estab: '4321' });
    expect(parseDfeNumber('mmm xxxx')).toEqual(UNKNOWN_DESTINATION);
    expect(parseDfeNumber('88843')).toBeNull();
    expect(relationshipCode('Mother')).toBe('PAR');
    expect(relationshipCode('Foster carer')).toBe('FOS');
    expect(relationshipCode('Grandad')).toBe('REL');
    expect(relationshipCode('Neighbour')).toBe('OTH');
  });

  it('writes a file an unchanged reader reads when it is built by hand too', () => {
    const back = readCtf(ctfBytes({ pupils: [{ sen: [['2024-01-08', 'K']], needs: [['SPLD', 1]] }] }), TODAY);
    expect(back.ok).toBe(true);
  });
});
