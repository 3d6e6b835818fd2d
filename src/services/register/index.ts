import type { Database } from '../../db/client.ts';
import { capabilitiesOf } from '../../domain/access.ts';
import { academicYearStartOf, termStart } from '../../domain/calendar.ts';
import {
  AREAS_OF_NEED,
  type AreaOfNeed,
  areaOfNeed,
  NEED_CODES,
  type NeedCode,
} from '../../domain/census.ts';
import { onRegister, SEN_STAGES, type SenStage } from '../../domain/register.ts';
import { figuresShown, type ShownCount, shownCount } from '../../domain/suppression.ts';
import { type PupilFilters, registerCounts } from '../../repositories/pupils.ts';
import { registerList } from '../../repositories/register.ts';
import { schoolYearOf } from '../../repositories/school-year.ts';
import { classesOfSchool } from '../../repositories/schools.ts';
import { type Actor, scopeOf } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { mayUseSection, requireCapability, requireSection } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { createRegisterChanges } from './change.ts';
import { createRegisterReview } from './review.ts';

export interface ServiceOptions {
  /** Counts below this are suppressed in figures for those who see no named pupil. */
  suppressionThreshold: number;
}

export type { ShownCount };

export function createRegisterService(database: Database, clock: Clock, options: ServiceOptions) {
  const { db } = database;

  return {
    async list(actor: Actor, filters: PupilFilters) {
      const a = requireSection(actor, 'register');
      const rows = await registerList(db, scopeOf(a), filters, academicYearStartOf(clock.today()));
      const counts = { monitoring: 0, sen_support: 0, ehc_plan: 0 } as Record<
        Exclude<SenStage, 'none'>,
        number
      >;
      for (const r of rows) if (r.senStage !== 'none') counts[r.senStage] += 1;
      const [classes, year] = await Promise.all([
        classesOfSchool(db, a.schoolId),
        schoolYearOf(db, a.schoolId),
      ]);
      await audit(db, a, 'register.listed', {
        detail: { filters: { ...filters } },
        shownPupilIds: rows.map((r) => r.id),
      });
      const capabilities = capabilitiesOf(a.roles);
      return {
        rows,
        counts,
        classes,
        yearGroups: { lowest: year?.lowest ?? -1, highest: year?.highest ?? 6 },
        termStart: termStart(clock.today()),
        canExport: capabilities.has('register.export'),
        canReview: capabilities.has('register.review') && mayUseSection(a, 'register', 'write'),
      };
    },

    /** Rows for the CSV download or print view: audited as an export, with every pupil it held. */
    async exportRows(actor: Actor, filters: PupilFilters, format: 'csv' | 'print') {
      const a = requireCapability(actor, 'register.export');
      requireSection(a, 'register');
      const rows = await registerList(db, scopeOf(a), filters, academicYearStartOf(clock.today()));
      await audit(db, a, 'register.exported', {
        detail: { format, filters: { ...filters } },
        shownPupilIds: rows.map((r) => r.id),
      });
      return rows;
    },

    /**
     * Figures without names: counts by stage, need and broad area. Someone who sees no named pupil's
     * register (the SEN governor) gets small numbers suppressed, so that no child can be picked out.
     */
    async counts(actor: Actor) {
      const a = requireCapability(actor, 'counts.view');
      const raw = await registerCounts(db, a.schoolId);
      const byStage = Object.fromEntries(SEN_STAGES.map((s) => [s, 0])) as Record<SenStage, number>;
      const byNeed = Object.fromEntries(
        NEED_CODES.map((c) => [c, { sen_support: 0, ehc_plan: 0 }]),
      ) as Record<NeedCode, { sen_support: number; ehc_plan: number }>;
      const byArea = Object.fromEntries([...AREAS_OF_NEED, 'other'].map((x) => [x, 0])) as Record<
        AreaOfNeed | 'other',
        number
      >;
      let total = 0;
      for (const r of raw) {
        total += r.n;
        byStage[r.senStage] += r.n;
        if (r.primaryNeed && onRegister(r.senStage)) {
          byNeed[r.primaryNeed][r.senStage] += r.n;
          byArea[areaOfNeed(r.primaryNeed) ?? 'other'] += r.n;
        }
      }
      await audit(db, a, 'register.counts_viewed');
      const suppress = !mayUseSection(a, 'register');
      return {
        ...shownFigures({ total, byStage, byNeed, byArea }, suppress ? options.suppressionThreshold : 0),
        suppressed: suppress,
        threshold: options.suppressionThreshold,
      };
    },

    ...createRegisterChanges(database, clock),
    ...createRegisterReview(database, clock),
  };
}

interface Figures {
  total: number;
  byStage: Record<SenStage, number>;
  byNeed: Record<NeedCode, { sen_support: number; ehc_plan: number }>;
  byArea: Record<AreaOfNeed | 'other', number>;
}

/**
 * The school's figures as someone who sees no named pupil sees them (figuresShown): the whole-school
 * totals as counted; in the breakdowns by need and by area, small numbers (and what would reveal them)
 * hidden, or a breakdown not shown at all.
 */
export function shownFigures(f: Figures, threshold: number) {
  const cells = new Map<string, number>();
  cells.set('total', f.total);
  for (const s of SEN_STAGES) cells.set(`stage:${s}`, f.byStage[s]);
  for (const c of NEED_CODES) {
    cells.set(`need:${c}:sen_support`, f.byNeed[c].sen_support);
    cells.set(`need:${c}:ehc_plan`, f.byNeed[c].ehc_plan);
  }
  const areas = [...AREAS_OF_NEED, 'other'] as const;
  for (const x of areas) cells.set(`area:${x}`, f.byArea[x]);
  // Pupils at SEN support or with an EHC plan but no primary need recorded: a row of the needs table,
  // so that each stage's needs add up to it on the page.
  const noNeed = (stage: 'sen_support' | 'ehc_plan') =>
    f.byStage[stage] - NEED_CODES.reduce((sum, c) => sum + f.byNeed[c][stage], 0);
  cells.set('need:none:sen_support', noNeed('sen_support'));
  cells.set('need:none:ehc_plan', noNeed('ehc_plan'));
  const codesIn = (x: (typeof areas)[number]) => NEED_CODES.filter((c) => (areaOfNeed(c) ?? 'other') === x);
  const sums: [string, string[]][] = [
    ['total', SEN_STAGES.map((s) => `stage:${s}`)],
    ['stage:sen_support', [...NEED_CODES.map((c) => `need:${c}:sen_support`), 'need:none:sen_support']],
    ['stage:ehc_plan', [...NEED_CODES.map((c) => `need:${c}:ehc_plan`), 'need:none:ehc_plan']],
    ...areas.map((x): [string, string[]] => [
      `area:${x}`,
      codesIn(x).flatMap((c) => [`need:${c}:sen_support`, `need:${c}:ehc_plan`]),
    ]),
  ];
  const shown = figuresShown(cells, sums, threshold, {
    fixed: new Set(['total', ...SEN_STAGES.map((s) => `stage:${s}`)]),
    // The needs matter more to a governor than the areas they add up to: areas are hidden first.
    prefer: new Set(areas.map((x) => `area:${x}`)),
  });
  const show = (key: string): ShownCount => shownCount(shown, cells, key);
  const byStage = (key: 'sen_support' | 'ehc_plan', c: NeedCode | 'none') => show(`need:${c}:${key}`);
  return {
    total: show('total'),
    byStage: Object.fromEntries(SEN_STAGES.map((s) => [s, show(`stage:${s}`)])) as Record<
      SenStage,
      ShownCount
    >,
    byNeed: Object.fromEntries(
      NEED_CODES.map((c) => [
        c,
        { sen_support: byStage('sen_support', c), ehc_plan: byStage('ehc_plan', c) },
      ]),
    ) as Record<NeedCode, { sen_support: ShownCount; ehc_plan: ShownCount }>,
    noNeed: { sen_support: byStage('sen_support', 'none'), ehc_plan: byStage('ehc_plan', 'none') },
    byArea: Object.fromEntries(areas.map((x) => [x, show(`area:${x}`)])) as Record<
      AreaOfNeed | 'other',
      ShownCount
    >,
  };
}

export type RegisterService = ReturnType<typeof createRegisterService>;
