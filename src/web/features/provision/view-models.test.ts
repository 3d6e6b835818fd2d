import { describe, expect, it } from 'vitest';
import type { HalfTerm } from '../../../domain/school-days.ts';
import {
  catalogueByArea,
  effectivenessModel,
  figuresModel,
  groupFormValues,
  groupListRows,
  groupPageModel,
  interventionEditModel,
  interventionFormValues,
  leavingModel,
  mapPageModel,
  measuresFormModel,
  measuresFormValues,
  newGroupFormValues,
  newInterventionModel,
  newInterventionValues,
  type ProvisionResult,
  ratesFormValues,
  registerRows,
  sessionFormModel,
  sessionFormValues,
  termOptions,
} from './view-models.ts';

/*
 * The provision pages' shaping, without a database: dates, frequencies, money and measures in words,
 * rows built from what the provision service returns, and the forms filled in from a record.
 */

const half = (label: string, from: string, to: string) =>
  ({ name: 'autumn1', academicYearStart: 2026, from, to, label }) as HalfTerm;
const check = (over: { checkedThisHalfTerm?: boolean; missedLastHalfTerm?: boolean } = {}) => ({
  thisHalfTerm: half('Autumn 2 2026/27', '2026-11-02', '2026-12-18'),
  lastHalfTerm: half('Autumn 1 2026/27', '2026-09-03', '2026-10-23'),
  checkedThisHalfTerm: false,
  missedLastHalfTerm: false,
  ...over,
});
const summary = (over: Partial<{ pupils: number; measured: number; improved: number }> = {}) => ({
  pupils: 3,
  measured: 2,
  improved: 1,
  averageProgress: 4,
  averageRatioGain: null,
  totalProgressHundredths: 800,
  ...over,
});

const intervention = (over: Record<string, unknown> = {}) => ({
  id: 'i-1',
  name: 'Phonics catch-up group',
  area: 'cognition_and_learning',
  description: null,
  evidenceBase: 'EEF toolkit',
  usualDeliverer: 'teaching_assistant',
  usualGroupSize: 4,
  sessionsPerWeek: 3,
  minutesPerSession: 15,
  costModel: 'staff_time',
  fixedCostPence: null,
  measureKind: 'age_months',
  measureName: 'Reading age',
  archivedAt: null,
  version: 2,
  ...over,
});

describe('the groups page', () => {
  it('gives each group its dates, how often it meets and where its half-termly check stands', () => {
    const [current, ended, checked] = groupListRows([
      {
        id: 'a',
        startDate: '2026-09-07',
        endDate: null,
        sessionsPerWeek: 3,
        minutesPerSession: 30,
        check: check({ missedLastHalfTerm: true }),
        ended: false,
      },
      {
        id: 'b',
        startDate: '2026-09-07',
        endDate: '2026-10-16',
        sessionsPerWeek: 1,
        minutesPerSession: 60,
        check: check(),
        ended: true,
      },
      {
        id: 'c',
        startDate: '2026-09-07',
        endDate: null,
        sessionsPerWeek: 3,
        minutesPerSession: 30,
        check: check({ checkedThisHalfTerm: true }),
        ended: false,
      },
    ]);
    expect(current).toMatchObject({
      id: 'a',
      dates: 'From 7 September 2026',
      frequency: '3 × 30 minutes a week',
      checkText: 'No check for Autumn 1 2026/27: check it now',
    });
    expect(ended).toMatchObject({ dates: '7 September 2026 to 16 October 2026', checkText: 'Ended' });
    expect(checked?.checkText).toBe('Checked this half-term (Autumn 2 2026/27)');
  });
});

describe('the catalogue', () => {
  const catalogue = (manageCatalogue: boolean) =>
    ({
      interventions: [
        intervention(),
        intervention({
          id: 'i-2',
          name: 'Speech therapy',
          area: 'communication_and_interaction',
          costModel: 'agency',
          fixedCostPence: 4500,
          measureKind: 'rating',
          measureName: null,
          usualDeliverer: 'external',
        }),
        intervention({ id: 'i-3', name: 'Old reading scheme', archivedAt: new Date('2026-01-01') }),
      ],
      actions: { manageCatalogue },
    }) as unknown as ProvisionResult<'catalogue'>;

  it('lists every area of need in order, each intervention with its cost and measure in words', () => {
    const byArea = catalogueByArea(catalogue(false));
    expect(byArea.map((a) => a.label)).toEqual([
      'Communication and interaction',
      'Cognition and learning',
      'Social, emotional and mental health',
      'Sensory and/or physical',
    ]);
    const [communication, cognition, semh] = byArea;
    expect(communication?.interventions).toHaveLength(1);
    expect(communication?.interventions[0]).toMatchObject({
      name: 'Speech therapy',
      deliverer: 'Outside agency',
      cost: 'An outside agency’s charge per session, shared across the group: £45.00',
      measure: 'A rating from 1 to 5',
    });
    expect(cognition?.interventions[0]).toMatchObject({
      frequency: '3 × 15 minutes a week',
      deliverer: 'Teaching assistant',
      cost: 'Staff time at the hourly rate, shared across the group',
      measure: 'Reading age (Reading or spelling age in months)',
    });
    expect(semh?.interventions).toEqual([]);
  });

  it('shows archived interventions only to those who manage the catalogue', () => {
    const names = (manage: boolean) =>
      catalogueByArea(catalogue(manage)).flatMap((a) => a.interventions.map((i) => i.name));
    expect(names(false)).not.toContain('Old reading scheme');
    expect(names(true)).toContain('Old reading scheme');
  });
});

describe('the intervention form', () => {
  it('offers every area of need, deliverer, cost model and measure; changing one names it and keeps its version', () => {
    const added = newInterventionModel();
    expect(added).toMatchObject({ pageTitle: 'Add an intervention', isNew: true });
    expect(added.areaOptions).toHaveLength(4);
    expect(added.delivererOptions).toContainEqual({ value: 'external', text: 'Outside agency' });
    expect(added.costModelOptions.map((o) => o.value)).toEqual([
      'staff_time',
      'per_pupil',
      'per_term',
      'agency',
    ]);
    expect(added.measureOptions).toHaveLength(5);
    const changed = interventionEditModel({
      intervention: intervention(),
      hasMeasures: true,
    } as unknown as ProvisionResult<'interventionForEdit'>);
    expect(changed).toMatchObject({
      pageTitle: 'Change Phonics catch-up group',
      hasMeasures: true,
      version: 2,
    });
    expect(changed.measureOptions).toEqual(added.measureOptions);
    expect(newInterventionValues()).toEqual({
      usualGroupSize: '4',
      sessionsPerWeek: '3',
      minutesPerSession: '30',
      costModel: 'staff_time',
    });
  });
});

describe('the forms filled in from a record', () => {
  it('an intervention: empty text for what is not set, a fixed cost in pounds, numbers as text', () => {
    const values = interventionFormValues(
      intervention({
        costModel: 'per_pupil',
        fixedCostPence: 12345,
      }) as unknown as ProvisionResult<'interventionForEdit'>['intervention'],
    );
    expect(values).toMatchObject({
      name: 'Phonics catch-up group',
      description: '',
      evidenceBase: 'EEF toolkit',
      usualGroupSize: '4',
      costModel: 'per_pupil',
      fixedCost: '123.45',
      measureName: 'Reading age',
      version: '2',
    });
  });

  it('the hourly rates: each in pounds, and the rate the form showed in pence beside it', () => {
    expect(
      ratesFormValues([
        { kind: 'teaching_assistant', hourlyPence: 1850 },
        { kind: 'teacher', hourlyPence: 3000 },
      ]),
    ).toEqual({
      teaching_assistant: '18.50',
      'shown-teaching_assistant': '1850',
      teacher: '30.00',
      'shown-teacher': '3000',
    });
  });

  it('a new group: starts today, with the chosen intervention’s settings when one was chosen', () => {
    const interventions = [intervention()] as unknown as ProvisionResult<'groupFormOptions'>['interventions'];
    const today = { 'startDate-day': '20', 'startDate-month': '11', 'startDate-year': '2026' };
    expect(newGroupFormValues(interventions, 'i-1', '2026-11-20')).toEqual({
      ...today,
      interventionId: 'i-1',
      name: 'Phonics catch-up group',
      delivererKind: 'teaching_assistant',
      sessionsPerWeek: '3',
      minutesPerSession: '15',
    });
    expect(newGroupFormValues(interventions, 'not-in-the-catalogue', '2026-11-20')).toEqual(today);
    expect(newGroupFormValues(interventions, undefined, '2026-11-20')).toEqual(today);
  });

  it('a group: a deliverer on the staff is chosen by id; anyone else is "other", by name', () => {
    const group = (delivererId: string | null) =>
      ({
        name: 'Sensory circuits',
        delivererId,
        delivererName: 'Dr Ada Specialist',
        delivererKind: 'specialist',
        sessionsPerWeek: 5,
        minutesPerSession: 10,
        location: null,
        agency: 'Northshire OT',
        version: 3,
        startDate: '2026-09-07',
        endDate: null,
      }) as unknown as ProvisionResult<'groupForEdit'>['group'];
    expect(groupFormValues(group(null))).toMatchObject({
      delivererId: 'other',
      delivererName: 'Dr Ada Specialist',
      location: '',
      agency: 'Northshire OT',
      version: '3',
      'startDate-day': '7',
      'startDate-month': '9',
      'startDate-year': '2026',
    });
    expect(groupFormValues(group('u-1'))).toMatchObject({ delivererId: 'u-1', delivererName: '' });
  });
});

describe('a group’s page', () => {
  const member = (pupilId: string, forename: string, over: Record<string, unknown> = {}) => ({
    member: { id: `m-${pupilId}`, pupilId, joinedOn: '2026-09-07', leftOn: null },
    forename,
    surname: 'Pupil',
    measures: { entry: 84, entryOn: '2026-09-07', exit: 89, exitOn: '2026-11-01' },
    progress: { change: 5, progress: 5, monthsElapsed: 1.8, ratioGain: 2.8 },
    costThisYear: 12_000,
    ...over,
  });
  const page = {
    group: {
      name: 'Phonics',
      area: 'cognition_and_learning',
      startDate: '2026-09-07',
      endDate: null,
      sessionsPerWeek: 3,
      minutesPerSession: 15,
      delivererName: 'Tia Assistant',
      delivererKind: 'teaching_assistant',
      measureKind: 'age_months',
      measureName: 'Reading age',
    },
    members: [
      member('p1', 'Kit'),
      member('p2', 'Eli', {
        member: { id: 'm-p2', pupilId: 'p2', joinedOn: '2026-09-07', leftOn: '2026-10-16' },
        measures: { entry: 90, entryOn: '2026-09-07', exit: null, exitOn: null },
        progress: null,
        costThisYear: 3_456,
      }),
    ],
    sessions: [
      {
        heldOn: '2026-11-18',
        attendance: [
          { pupilId: 'p1', present: true },
          { pupilId: 'p2', present: false },
        ],
      },
    ],
    checks: [{ checkedOn: '2026-10-20', decision: 'alter', pupils: [{ pupilId: 'p1', expected: true }] }],
    impact: summary({ pupils: 2, measured: 1, improved: 1 }),
    check: check(),
    ended: false,
  } as unknown as ProvisionResult<'group'>;

  it('says the group’s details in words and adds up this year’s cost of its pupils', () => {
    const model = groupPageModel(page);
    expect(model).toMatchObject({
      pageTitle: 'Phonics',
      area: 'Cognition and learning',
      dates: 'From 7 September 2026',
      frequency: '3 × 15 minutes a week',
      deliverer: 'Tia Assistant (Teaching assistant)',
      measure: 'Reading age (Reading or spelling age in months)',
      impactText: '1 of 2 measured; 1 made progress; average up 4 months',
      checkText: 'Due this half-term (Autumn 2 2026/27)',
      costThisYear: '£154.56',
    });
  });

  it('gives each pupil their spell, measures, progress and cost, and names who came to each session', () => {
    const model = groupPageModel(page);
    expect(model.rows.map((r) => [r.name, r.spell, r.entry, r.exit, r.progressText, r.costThisYear])).toEqual(
      [
        [
          'Kit Pupil',
          'From 7 September 2026',
          '7y 0m',
          '7y 5m',
          'Up 5 months, ratio gain 2.8: useful impact',
          '£120.00',
        ],
        ['Eli Pupil', '7 September 2026 to 16 October 2026', '7y 6m', '', 'Not measured yet', '£34.56'],
      ],
    );
    expect(model.sessionRows[0]).toMatchObject({ present: ['Kit Pupil'], absent: ['Eli Pupil'] });
    expect(model.checkRows[0]).toMatchObject({
      decisionText: 'Alter the intervention',
      pupils: [{ pupilId: 'p1', name: 'Kit Pupil' }],
    });
  });
});

describe('the forms of a group’s work', () => {
  const group = { name: 'Phonics', sessionsPerWeek: 3, minutesPerSession: 15, measureKind: 'age_months' };
  const pupils = [
    { member: { id: 'm1', pupilId: 'p1' }, forename: 'Kit', surname: 'Kowalski' },
    { member: { id: 'm2', pupilId: 'p2' }, forename: 'Eli', surname: 'Evans' },
  ];

  it('a session: every pupil by name, all ticked present, and a weekend said before it is saved', () => {
    const model = sessionFormModel({
      group,
      pupils,
      today: '2026-11-21',
    } as unknown as ProvisionResult<'sessionForm'>);
    expect(model.pupils).toEqual([
      { id: 'p1', name: 'Kit Kowalski' },
      { id: 'p2', name: 'Eli Evans' },
    ]);
    expect(model.todayNotSchoolDay).toBe('a Saturday');
    expect(model.frequency).toBe('3 × 15 minutes a week');
    expect(sessionFormValues(model.pupils, '2026-11-20')).toEqual({
      'heldOn-day': '20',
      'heldOn-month': '11',
      'heldOn-year': '2026',
      present: ['p1', 'p2'],
    });
    const weekday = sessionFormModel({
      group,
      pupils,
      today: '2026-11-20',
    } as unknown as ProvisionResult<'sessionForm'>);
    expect(weekday.todayNotSchoolDay).toBeNull();
  });

  it('the measures: each spell a row, an age as years:months to edit, unmeasured left empty', () => {
    const members = [
      {
        member: {
          id: 'm1',
          pupilId: 'p1',
          joinedOn: '2026-09-07',
          leftOn: null,
          entryMeasure: 84,
          entryMeasuredOn: '2026-09-07',
          exitMeasure: null,
          exitMeasuredOn: null,
          version: 4,
        },
        forename: 'Kit',
        surname: 'Kowalski',
      },
    ];
    const model = measuresFormModel({
      group: { ...group, measureName: null },
      members,
    } as unknown as ProvisionResult<'measuresForm'>);
    expect(model.measure).toBe('Reading or spelling age in months');
    expect(model.hint).toMatch(/^Enter each as .+\. Leave a box empty if it has not been measured\.$/);
    expect(model.rows).toEqual([
      {
        id: 'm1',
        name: 'Kit Kowalski',
        spell: 'From 7 September 2026',
        entryOn: '2026-09-07',
        exitOn: null,
        version: 4,
        entry: '7:00',
        exit: '',
      },
    ]);
    expect(model.names.get('m1')).toBe('Kit Kowalski');
    expect(measuresFormValues(model.rows)).toEqual({ 'entry-m1': '7:00', 'exit-m1': '', 'version-m1': '4' });
  });

  it('a pupil leaving: who leaves which group, and the day they joined', () => {
    const model = leavingModel({
      group: { name: 'Phonics' },
      member: { joinedOn: '2026-09-07', version: 2 },
      pupil: { forename: 'Kit', surname: 'Kowalski' },
    } as unknown as ProvisionResult<'memberForLeaving'>);
    expect(model).toMatchObject({
      pageTitle: 'Kit Kowalski leaves Phonics',
      joined: '7 September 2026',
      version: 2,
    });
  });
});

describe('the map, the register, effectiveness and the figures', () => {
  it('offers each term of the map, the one shown selected', () => {
    expect(
      termOptions(
        [
          { key: '2026-autumn', label: 'Autumn 2026' },
          { key: '2026-spring', label: 'Spring 2026' },
        ],
        '2026-spring',
      ),
    ).toEqual([
      { value: '2026-autumn', text: 'Autumn 2026', selected: false },
      { value: '2026-spring', text: 'Spring 2026', selected: true },
    ]);
  });

  it('the map page: the filters kept in the CSV, print and PDF addresses, with the term shown', () => {
    const model = mapPageModel(
      {
        map: {
          pupils: [],
          totals: { pupils: 0, minutesPerWeek: 0, termPence: 0, over: 0, nearing: 0 },
          interventions: [],
        },
        term: { key: '2026-autumn', label: 'Autumn term 2026' },
        terms: [
          { key: '2026-autumn', label: 'Autumn term 2026' },
          { key: '2026-summer', label: 'Summer term 2026' },
        ],
        yearLabel: '2026/27',
        threshold: { thresholdPence: 600_000, nearingPercent: 80 },
        classes: [{ id: 'c-1', name: 'Year 4 Oak' }],
        yearGroups: { lowest: 0, highest: 6 },
        canExport: true,
      } as unknown as ProvisionResult<'map'>,
      { classId: 'c-1', stage: 'sen_support' },
    );
    expect(model).toMatchObject({
      pageTitle: 'Provision map: Autumn term 2026',
      thresholdText: '£6,000.00 a year, nearing from 80%',
      canExport: true,
      csvHref: '/provision/map.csv?classId=c-1&stage=sen_support&term=2026-autumn',
      printHref: '/provision/map/print?classId=c-1&stage=sen_support&term=2026-autumn',
      pdfHref: '/provision/map.pdf?classId=c-1&stage=sen_support&term=2026-autumn',
    });
    expect(model.termOptions.filter((t) => t.selected).map((t) => t.value)).toEqual(['2026-autumn']);
    expect(model.options.classes.find((c) => c.selected)).toEqual({
      value: 'c-1',
      text: 'Year 4 Oak',
      selected: true,
    });
  });

  it('the register: each group in words, with its cost and each pupil’s progress', () => {
    const [row] = registerRows([
      {
        group: {
          startDate: '2026-09-07',
          endDate: '2026-12-18',
          delivererName: 'Ola Outside',
          delivererKind: 'external',
          sessionsPerWeek: 1,
          minutesPerSession: 45,
          area: 'not_an_area',
          measureKind: 'standardised_score',
        },
        members: [
          {
            forename: 'Kit',
            surname: 'Kowalski',
            progress: { change: 0, progress: 0, monthsElapsed: 2, ratioGain: null },
          },
        ],
        impact: summary({ measured: 0 }),
        costPence: 99_900,
      },
    ] as unknown as ProvisionResult<'register'>['rows']);
    expect(row).toMatchObject({
      dates: '7 September 2026 to 18 December 2026',
      deliverer: 'Ola Outside (Outside agency)',
      frequency: '1 × 45 minutes a week',
      area: 'Other',
      impactText: 'No pupil measured at entry and exit yet',
      cost: '£999.00',
    });
    expect(row?.pupils).toEqual([{ name: 'Kit Kowalski', progress: expect.stringMatching(/^No change/) }]);
  });

  it('effectiveness: a section per kind of measure in use, best average progress first, the period shown marked', () => {
    const row = (name: string, averageProgress: number | null, measureKind = 'standardised_score') => ({
      name,
      measureKind,
      measureName: null,
      area: 'cognition_and_learning',
      summary: { ...summary(), averageProgress },
      costPence: 10_000,
      costPerUnitPence: averageProgress ? 2_500 : null,
      byNeed: [{ need: 'SLCN', summary: summary({ measured: 0 }) }],
    });
    const model = effectivenessModel({
      rows: [row('Unmeasured', null), row('Small gain', 2), row('Big gain', 9), row('Ages', 3, 'age_months')],
      period: { yearStart: 2026 },
      periodLabel: 'This school year (2026/27)',
      periods: [
        { period: { yearStart: 2026 }, label: '2026/27' },
        { period: 'all', label: 'All years' },
      ],
    } as unknown as ProvisionResult<'effectiveness'>);
    expect(model.sections.map((s) => s.label)).toEqual([
      'Standardised score',
      'Reading or spelling age in months',
    ]);
    expect(model.sections[0]?.rows.map((r) => r.name)).toEqual(['Big gain', 'Small gain', 'Unmeasured']);
    expect(model.sections[0]?.rows[0]).toMatchObject({
      area: 'Cognition and learning',
      measure: 'Standardised score',
      cost: '£100.00',
      costPerUnit: '£25.00',
      byNeed: [{ need: 'SLCN', text: 'No pupil measured at entry and exit yet' }],
    });
    expect(model.sections[0]?.rows[2]?.costPerUnit).toBe('No progress measured');
    expect(model.periods).toEqual([
      expect.objectContaining({ href: '/provision/effectiveness?period=2026', current: true }),
      expect.objectContaining({ href: '/provision/effectiveness?period=all', current: false }),
    ]);
  });

  it('the governor’s figures: costs in pounds, "Hidden" where small numbers would identify pupils', () => {
    const model = figuresModel(
      {
        costPence: null,
        costSoFarPence: 50_000,
        areas: [
          { area: 'sensory_and_physical', pupils: 2, costPence: null },
          { area: 'cognition_and_learning', pupils: 12, costPence: 123_400 },
        ],
        impact: [{ improved: 'suppressed' }, { improved: 7 }],
        threshold: 5,
        yearLabel: '2026/27',
      } as unknown as ProvisionResult<'figures'>,
      '2026-11-20',
    );
    expect(model).toMatchObject({
      pageTitle: 'Provision figures 2026/27',
      cost: 'Hidden',
      costSoFar: '£500.00',
      today: '20 November 2026',
    });
    expect(model.notice?.hidden).toEqual(['Pupils who made progress: 1 count hidden.']);
    expect(model.notice?.rule).toContain('a count from 1 to 4');
    expect(model.areas).toEqual([
      {
        area: 'sensory_and_physical',
        pupils: 2,
        costPence: null,
        label: 'Sensory and/or physical',
        cost: 'Hidden',
      },
      {
        area: 'cognition_and_learning',
        pupils: 12,
        costPence: 123_400,
        label: 'Cognition and learning',
        cost: '£1,234.00',
      },
    ]);
  });
});
