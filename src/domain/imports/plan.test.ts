import { describe, expect, it } from 'vitest';
import { CONTEXT_FLAGS, type ContextFlag } from '../flags.ts';
import { makeUpn } from '../upn.ts';
import { autoMapping } from './mapping.ts';
import { type ExistingParent, type ExistingPupil, type ImportContext, planImport } from './plan.ts';

const TODAY = '2026-11-20';
const upn = (n: number) => makeUpn('999', '1234', 20, n);
const noFlags = Object.fromEntries(CONTEXT_FLAGS.map((f) => [f, false])) as Record<ContextFlag, boolean>;
const OAK = { id: 'class-oak', name: 'Year 4 Oak', archived: false };
const ASH = { id: 'class-ash', name: 'Year 5 Ash', archived: false };
const OLD = { id: 'class-old', name: 'Year 3 Elm', archived: true };

function pupil(n: number, over: Partial<ExistingPupil> = {}): ExistingPupil {
  return {
    id: `pupil-${n}`,
    version: 3,
    upn: upn(n),
    misId: null,
    forename: `Forename${n}`,
    surname: `Surname${n}`,
    preferredName: null,
    dateOfBirth: '2018-03-02',
    sex: 'female',
    classId: OAK.id,
    ncYearOverride: null,
    admissionDate: null,
    attendancePercent: null,
    leftOn: null,
    ...noFlags,
    ...over,
  };
}

const HEADINGS = ['UPN', 'Surname', 'Forename', 'Date of birth', 'Sex', 'Class', 'Year group', 'FSM', 'EAL'];
type Row = Partial<
  Record<'upn' | 'surname' | 'forename' | 'dob' | 'sex' | 'cls' | 'year' | 'fsm' | 'eal', string>
>;
function row(p: ExistingPupil, over: Row = {}): string[] {
  const [y, m, d] = p.dateOfBirth.split('-');
  return [
    over.upn ?? p.upn,
    over.surname ?? p.surname,
    over.forename ?? p.forename,
    over.dob ?? `${d}/${m}/${y}`,
    over.sex ?? (p.sex === 'female' ? 'F' : 'M'),
    over.cls ?? 'Year 4 Oak',
    over.year ?? '4',
    over.fsm ?? 'N',
    over.eal ?? 'N',
  ];
}
const source = (rows: string[][], headings = HEADINGS) => ({
  headings,
  rows: rows.map((cells, i) => ({ line: i + 2, cells })),
});
const context = (pupils: ExistingPupil[], parents: ExistingParent[] = []): ImportContext => ({
  today: TODAY,
  classes: [OAK, ASH, OLD],
  pupils,
  parents,
});
const plan = (rows: string[][], ctx: ImportContext, headings = HEADINGS) =>
  planImport(source(rows, headings), autoMapping(headings, null), ctx);

describe('an import plan', () => {
  it('sorts rows into new, changed (old → new), unchanged and missing', () => {
    const a = pupil(1);
    const b = pupil(2);
    const c = pupil(3);
    const newcomer = pupil(4, { id: 'x', forename: 'Nia', surname: 'Newcomer' });
    const result = plan(
      [row(a), row(b, { cls: 'Year 5 Ash', year: '5', fsm: 'Y' }), row(newcomer)],
      context([a, b, c]),
    );
    expect(result.counts).toEqual({ rows: 3, new: 1, changed: 1, unchanged: 1, missing: 1, problems: 0 });
    expect(result.creates[0]).toMatchObject({
      line: 4,
      values: { upn: upn(4), forename: 'Nia', surname: 'Newcomer', classId: OAK.id, ncYearOverride: null },
    });
    const change = result.changes[0]!;
    expect(change).toMatchObject({
      line: 3,
      pupilId: b.id,
      version: 3,
      classMove: { from: OAK.id, to: ASH.id },
    });
    expect(change.changes).toEqual([
      // Born March 2018: Year 4 by age, so Year 5 is kept as taught out of year group.
      { label: 'Year group', from: 'Year 4', to: 'Year 5' },
      { label: 'Class', from: 'Year 4 Oak', to: 'Year 5 Ash' },
      { label: 'Free school meals (FSM)', from: 'No', to: 'Yes' },
    ]);
    expect(change.values).toMatchObject({ ncYearOverride: 5, freeSchoolMeals: true });
    expect(result.missing).toEqual([
      { pupilId: c.id, name: 'Forename3 Surname3', upn: upn(3), className: 'Year 4 Oak' },
    ]);
  });

  it('matches on UPN first, then name and date of birth (folded), and shows a UPN change', () => {
    const zoe = pupil(1, { forename: 'Zoë', surname: 'O’Brien' });
    const result = plan([row(zoe, { upn: upn(9), forename: 'ZOE', surname: 'OBrien' })], context([zoe]));
    expect(result.counts).toMatchObject({ new: 0, changed: 1, missing: 0 });
    expect(result.changes[0]!.changes).toEqual([
      { label: 'UPN', from: upn(1), to: upn(9) },
      { label: 'First name', from: 'Zoë', to: 'ZOE' },
      { label: 'Last name', from: 'O’Brien', to: 'OBrien' },
    ]);
    // Another pupil's UPN wins over a name match.
    const other = pupil(2, { forename: 'Zoë', surname: 'O’Brien', dateOfBirth: '2018-03-02' });
    const byUpn = plan([row(zoe, { upn: upn(2) })], context([zoe, other]));
    expect(byUpn.counts).toMatchObject({ changed: 0, unchanged: 1, missing: 1 });
    expect(byUpn.missing[0]!.pupilId).toBe(zoe.id);
  });

  it('does not guess between two pupils with the same name and date of birth', () => {
    const one = pupil(1, { forename: 'Sam', surname: 'Lee' });
    const two = pupil(2, { forename: 'Sam', surname: 'Lee' });
    const result = plan([row(one, { upn: upn(7) })], context([one, two]));
    expect(result.counts).toMatchObject({ new: 1, missing: 2 });
  });

  it('reports every problem row with its line, and applies none of it', () => {
    const a = pupil(1);
    const wrong = (upn(1)[0] === 'A' ? 'B' : 'A') + upn(1).slice(1);
    const result = plan(
      [
        row(pupil(10), { upn: wrong }),
        row(pupil(11), { dob: '30/02/2018' }),
        row(pupil(12), { dob: '01/01/1960' }),
        row(pupil(13), { cls: 'Year 9 Nowhere' }),
        row(pupil(14), { surname: '=cmd|calc' }),
        row(pupil(15), { upn: upn(16) }),
        row(pupil(16)),
        row(pupil(17), { cls: 'Year 3 Elm' }),
        row(a),
      ],
      context([a]),
    );
    expect(result.counts).toMatchObject({ rows: 9, problems: 8, new: 0, unchanged: 1 });
    const byLine = Object.fromEntries(result.problems.map((p) => [p.line, p.messages]));
    expect(byLine[2]![0]).toMatch(/^UPN check letter is wrong/);
    expect(byLine[3]).toEqual(['Date of birth “30/02/2018” is not a real date']);
    expect(byLine[4]![0]).toMatch(/^Date of birth must make the pupil between 2 and 19 years old today/);
    expect(byLine[5]).toEqual([
      'Class “Year 9 Nowhere” is not one of the school’s classes in OpenSEND: add the class first, or correct the file',
    ]);
    expect(byLine[6]![0]).toMatch(/^Last name “=cmd\|calc” starts with “=” like a spreadsheet formula/);
    expect(byLine[7]).toEqual([`The UPN ${upn(16)} is on lines 7 and 8: each pupil has their own UPN`]);
    expect(byLine[8]).toEqual(byLine[7]);
    // An archived class is not one to put pupils in.
    expect(byLine[9]![0]).toMatch(/^Class “Year 3 Elm” is not one of the school’s classes/);
    expect(result.problems.find((p) => p.line === 3)?.name).toBe('Forename11 Surname11');
    // The name as the row gives it, wrong or not, so the row can be found in the MIS.
    expect(result.problems.find((p) => p.line === 6)?.name).toBe('Forename14 =cmd|calc');
  });

  it('keeps a pupil with a problem row off the missing list', () => {
    const a = pupil(1);
    const result = plan([row(a, { dob: 'yesterday' })], context([a]));
    expect(result.counts).toMatchObject({ problems: 1, missing: 0 });
  });

  it('never changes a leaver: a row for one is a problem', () => {
    const gone = pupil(1, { leftOn: '2026-07-20' });
    const result = plan([row(gone, { fsm: 'Y' })], context([gone]));
    expect(result.counts).toMatchObject({ problems: 1, changed: 0, missing: 0 });
    expect(result.problems[0]!.messages[0]).toMatch(
      /left the school on 20 July 2026: a leaver’s record is kept/,
    );
  });

  it('changes only the fields the file has', () => {
    const a = pupil(1, { attendancePercent: 91.5, eal: true, preferredName: 'Fi' });
    const headings = ['UPN', 'Surname', 'Forename', 'DOB', 'Gender'];
    const result = plan([[a.upn, a.surname, a.forename, '02/03/2018', 'F']], context([a]), headings);
    expect(result.counts).toMatchObject({ unchanged: 1 });
    expect(result.fields).toEqual(['upn', 'surname', 'forename', 'dateOfBirth', 'sex']);
    const withAttendance = plan([[a.upn, a.surname, a.forename, '02/03/2018', 'F', '93.0%']], context([a]), [
      ...headings,
      'Attendance',
    ]);
    expect(withAttendance.changes[0]!.changes).toEqual([{ label: 'Attendance', from: '91.5%', to: '93%' }]);
    expect(withAttendance.changes[0]!.values).toMatchObject({
      eal: true,
      preferredName: 'Fi',
      attendancePercent: 93,
    });
  });

  it('adds parents and carers, updates one known by name, and never removes one', () => {
    const a = pupil(1);
    const mum: ExistingParent = {
      id: 'parent-1',
      pupilId: a.id,
      version: 2,
      name: 'Kasia Kowalska',
      relationship: 'Mother',
      phone: '07700 900111',
      email: null,
      parentalResponsibility: true,
    };
    const gran: ExistingParent = {
      ...mum,
      id: 'parent-2',
      name: 'Gran Kowalska',
      relationship: 'Grandmother',
    };
    const headings = [
      ...HEADINGS,
      'Contact 1 Name',
      'Contact 1 Phone',
      'Contact 2 Name',
      'Contact 2 Relationship',
    ];
    const result = plan(
      [[...row(a), 'KASIA KOWALSKA', '07700 900222', 'Jan Kowalski', 'Father']],
      context([a], [mum, gran]),
      headings,
    );
    const change = result.changes[0]!;
    expect(change.changes).toEqual([
      { label: 'Kasia Kowalska: telephone', from: '07700 900111', to: '07700 900222' },
      { label: 'Parent or carer added', from: '(none)', to: 'Jan Kowalski (Father)' },
    ]);
    expect(change.contactsChanged.map((c) => [c.parentId, c.version])).toEqual([['parent-1', 2]]);
    expect(change.contactsChanged[0]!.values).toEqual({
      name: 'Kasia Kowalska',
      relationship: 'Mother',
      phone: '07700 900222',
      email: null,
      parentalResponsibility: true,
    });
    // Without a parental responsibility column the file does not say: the preview asks the school.
    expect(change.contactsAdded).toEqual([
      {
        name: 'Jan Kowalski',
        relationship: 'Father',
        phone: null,
        email: null,
        parentalResponsibility: false,
        responsibilityGiven: false,
      },
    ]);
    expect(result.responsibility).toEqual({
      noColumn: true,
      contacts: 1,
      kinds: [{ kind: 'father', label: 'Father', count: 1, usual: true }],
    });
    // An empty cell keeps what OpenSEND has: nothing about a parent or carer is removed.
    const quiet = plan([[...row(a), 'Kasia Kowalska', '', '', '']], context([a], [mum, gran]), headings);
    expect(quiet.counts).toMatchObject({ unchanged: 1, changed: 0 });
    const problem = plan([[...row(pupil(5)), '', '07700 900333', '', '']], context([]), headings);
    expect(problem.problems[0]!.messages).toEqual([
      'First parent or carer: name is missing (their other details are filled in)',
    ]);
  });
});
