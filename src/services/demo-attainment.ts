import type { Database } from '../db/client.ts';
import type { DemoSchool } from '../demo/generate.ts';
import { Random } from '../demo/random.ts';
import {
  DEFAULT_STEPS_PER_YEAR,
  DEFAULT_SUBJECTS,
  expectedBandValue,
  termsUpTo,
} from '../domain/attainment.ts';
import { effectiveNcYear, ncYearLabel, termOf } from '../domain/calendar.ts';
import { addDays, formatDate, type IsoDate } from '../domain/dates.ts';
import {
  insertResults,
  insertSubjects,
  insertTrajectories,
  type ResultInsert,
  type TrajectoryInsert,
} from '../repositories/attainment.ts';

/*
 * The demo's termly attainment (issue 18): two years of results (the six terms up to this one) in
 * reading, writing and maths for every pupil from Year 1, entered on the class grid by their teacher.
 * Most pupils are at the expected standard; pupils with SEN more often below it, some on small steps
 * with a trajectory set at their plan review and its reason; pupils with SEN working towards it have a
 * trajectory of a band's progress. A handful of pupils not on the SEN register have slipped this year,
 * so the early-identification list has something true to show. Deterministic for a seed, on any date.
 */

type Band = 0 | 1 | 2 | 3;

const NOT_ON_REGISTER: Record<Band, number> = { 0: 2, 1: 16, 2: 63, 3: 19 };
const SEN_SUPPORT: Record<Band, number> = { 0: 22, 1: 46, 2: 30, 3: 2 };
const SLIPPING = 5;

function drawBand(r: Random, weights: Record<Band, number>): Band {
  return Number(r.weighted(Object.fromEntries(Object.entries(weights)) as Record<string, number>)) as Band;
}

export async function insertDemoAttainment(
  database: Database,
  demo: DemoSchool,
  options: { seed: number; index: number; today: IsoDate },
): Promise<void> {
  const r = new Random(options.seed * 31 + options.index + 18);
  const schoolId = demo.school.id;
  const now = termOf(options.today);
  const year = now.academicYearStart;
  const terms = termsUpTo(year, now.term, 6);
  const subjects = DEFAULT_SUBJECTS.map((s, i) => ({ ...s, id: r.uuid(), position: i + 1 }));
  const expected = expectedBandValue(DEFAULT_SUBJECTS[0]!) ?? 2;
  const teacherOf = new Map<string, { id: string; name: string }>();
  for (const ct of demo.classTeachers) {
    const staff = demo.staff.find((s) => s.id === ct.userId);
    if (staff && !teacherOf.has(ct.classId)) teacherOf.set(ct.classId, { id: staff.id, name: staff.name });
  }
  const senco = demo.staff.find((s) => s.roles.includes('senco'));
  const results: ResultInsert[] = [];
  const trajectories: TrajectoryInsert[] = [];
  const pupils = demo.pupils
    .filter((p) => !p.leftOn && p.classId && p.id)
    .map((p) => ({
      p,
      ncYear: effectiveNcYear(p.dateOfBirth, p.ncYearOverride, options.today, demo.school.rolledOverTo),
    }))
    .filter((x) => x.ncYear >= 1);
  // A handful not on the register who were at the expected standard and have slipped this year.
  const slipping = new Set(
    pupils
      .filter((x) => (x.p.senStage ?? 'none') === 'none' && x.ncYear >= 2)
      .filter(() => r.chance(0.05))
      .slice(0, SLIPPING)
      .map((x) => x.p.id!),
  );
  const reviewOn = formatDate(addDays(options.today, -r.int(15, 50)));

  for (const { p, ncYear } of pupils) {
    const stage = p.senStage ?? 'none';
    const teacher = teacherOf.get(p.classId!) ?? { id: null, name: 'Class teacher' };
    const slipIn = slipping.has(p.id!) ? r.pick(subjects).id : null;
    // A pupil with an EHC plan, and some at SEN support, work below their year group in reading
    // (and often writing) on small steps.
    const onSteps = stage === 'ehc_plan' ? r.chance(0.75) : stage === 'sen_support' ? r.chance(0.25) : false;
    for (const s of subjects) {
      const record = (
        t: { academicYear: number; term: (typeof terms)[number]['term'] },
        scale: 'bands' | 'steps',
        value: number,
      ) => {
        const ncThen = ncYear - (year - t.academicYear);
        if (ncThen < 1) return;
        results.push({
          schoolId,
          id: r.uuid(),
          pupilId: p.id!,
          subjectId: s.id,
          academicYear: t.academicYear,
          term: t.term,
          scale,
          value,
          ncYear: ncThen,
          source: 'grid',
          recordedBy: teacher.id,
          recordedByName: teacher.name,
        });
      };
      const steps =
        onSteps && (s.name !== 'Maths' || stage === 'ehc_plan') && (s.name === 'Reading' || r.chance(0.6));
      if (steps) {
        // Small steps from where they started two years ago: about a year's steps a year, some slower.
        const slow = r.chance(0.2);
        let step = r.int(2, 8);
        let baseline: number | null = null;
        for (const t of terms) {
          if (t.academicYear === year - 1 && t.term === 'summer') baseline = step;
          record(t, 'steps', step);
          step += slow && t.academicYear === year ? r.int(0, 1) : r.int(1, 3);
        }
        const base = baseline ?? 2;
        trajectories.push({
          schoolId,
          id: r.uuid(),
          pupilId: p.id!,
          subjectId: s.id,
          academicYear: year,
          scale: 'steps',
          endValue: base + DEFAULT_STEPS_PER_YEAR - r.int(0, 1),
          reason: `Working below ${ncYearLabel(ncYear)} in ${s.name.toLowerCase()}; small steps agreed at the plan review of ${reviewOn}.`,
          setBy: senco?.id ?? null,
          setByName: senco?.name ?? 'SENCo',
        });
        continue;
      }
      const slips = slipIn === s.id;
      const base: number = slips
        ? expected
        : drawBand(r, stage === 'none' || stage === 'monitoring' ? NOT_ON_REGISTER : SEN_SUPPORT);
      let lastSummer: number = base;
      for (const t of terms) {
        const thisYear = t.academicYear === year;
        let value: number = base;
        if (!thisYear) {
          // Last year and the year before: now and then a band either side.
          if (!slips && r.chance(0.08)) value = Math.max(0, Math.min(3, base + (r.chance(0.5) ? 1 : -1)));
          if (t.academicYear === year - 1 && t.term === 'summer') lastSummer = value;
        } else if (slips) {
          value = lastSummer - 1;
        } else {
          // This year: where they were last summer, or a band on by the summer for most working towards.
          value = Math.max(lastSummer, base);
          if (t.term === 'summer' && value < expected && r.chance(stage === 'none' ? 0.7 : 0.4)) value += 1;
        }
        record(t, 'bands', value);
      }
      if (stage !== 'none' && stage !== 'monitoring' && lastSummer < expected) {
        // Their trajectory: a band on from where they are (the reason where it falls short of their peers').
        const endValue = Math.min(lastSummer + 1, expected);
        trajectories.push({
          schoolId,
          id: r.uuid(),
          pupilId: p.id!,
          subjectId: s.id,
          academicYear: year,
          scale: 'bands',
          endValue,
          reason:
            endValue < expected
              ? `Working well below the expected standard in ${s.name.toLowerCase()}; a band’s progress this year agreed at the plan review of ${reviewOn}.`
              : null,
          setBy: senco?.id ?? null,
          setByName: senco?.name ?? 'SENCo',
        });
      }
    }
  }
  await database.db.transaction(async (tx) => {
    await insertSubjects(
      tx,
      subjects.map((s) => ({
        schoolId,
        id: s.id,
        name: s.name,
        position: s.position,
        scale: s.scale,
        bands: s.bands ? [...s.bands] : null,
        expectedBand: s.expectedBand,
        scoreMin: s.scoreMin,
        scoreMax: s.scoreMax,
        scoreExpected: s.scoreExpected,
        stepsPerYear: s.stepsPerYear,
      })),
    );
    await insertResults(tx, results);
    await insertTrajectories(tx, trajectories);
  });
}
