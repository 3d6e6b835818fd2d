import type { Database } from '../db/client.ts';
import { figuresShown, type ShownCount, shownCount } from '../domain/suppression.ts';
import { registerCountsBySchool } from '../repositories/pupils.ts';
import { findOrganisation, schoolsOfOrganisation } from '../repositories/schools.ts';
import type { Actor } from './kernel/actor.ts';
import { audit } from './kernel/audit.ts';
import { requireOfficer } from './kernel/authorise.ts';

const COLUMNS = ['total', 'monitoring', 'senSupport', 'ehcPlan'] as const;
type Column = (typeof COLUMNS)[number];

/** Figures across an organisation's schools, never a named pupil, with small numbers suppressed. */
export function createOrganisationService(database: Database, options: { suppressionThreshold: number }) {
  const { db } = database;
  return {
    async overview(actor: Actor) {
      const officer = requireOfficer(actor, 'organisation.view');
      const organisation = await findOrganisation(db, officer.organisationId);
      const schools = await schoolsOfOrganisation(db, officer.organisationId);
      const counts = await registerCountsBySchool(
        db,
        schools.map((s) => s.id),
      );
      const raw = schools.map((s) => {
        const mine = counts.filter((c) => c.schoolId === s.id);
        const get = (stage: string) => mine.find((c) => c.senStage === stage)?.n ?? 0;
        return {
          schoolId: s.id,
          name: s.name,
          urn: s.urn,
          total: mine.reduce((sum, c) => sum + c.n, 0),
          monitoring: get('monitoring'),
          senSupport: get('sen_support'),
          ehcPlan: get('ehc_plan'),
        };
      });
      const totals = Object.fromEntries(
        COLUMNS.map((c) => [c, raw.reduce((sum, r) => sum + r[c], 0)]),
      ) as Record<Column, number>;
      // The one rule of figuresShown, as the school's governor sees it: each school's pupils on roll and
      // at each stage are whole-school totals, shown as counted, and so are the authority's totals of
      // them (they add up what is shown).
      const cells = new Map<string, number>();
      for (const r of raw) for (const c of COLUMNS) cells.set(`${r.schoolId}:${c}`, r[c]);
      for (const c of COLUMNS) cells.set(`all:${c}`, totals[c]);
      const sums: [string, string[]][] = COLUMNS.map((c): [string, string[]] => [
        `all:${c}`,
        raw.map((r) => `${r.schoolId}:${c}`),
      ]);
      const shown = figuresShown(cells, sums, options.suppressionThreshold, {
        fixed: new Set(
          [...raw.map((r) => r.schoolId), 'all'].flatMap((id) => COLUMNS.map((c) => `${id}:${c}`)),
        ),
      });
      const show = (key: string): ShownCount => shownCount(shown, cells, key);
      const rows = raw.map((r) => ({
        ...r,
        ...(Object.fromEntries(COLUMNS.map((c) => [c, show(`${r.schoolId}:${c}`)])) as Record<
          Column,
          ShownCount
        >),
      }));
      await audit(db, officer, 'organisation.overview_viewed', { detail: { schools: rows.length } });
      return {
        organisation,
        rows,
        totals: Object.fromEntries(COLUMNS.map((c) => [c, show(`all:${c}`)])) as Record<Column, ShownCount>,
        threshold: options.suppressionThreshold,
      };
    },
  };
}

export type OrganisationService = ReturnType<typeof createOrganisationService>;
