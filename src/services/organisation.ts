import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../db/client.ts';
import { CASE_KINDS, type CaseKind, isCaseKind } from '../domain/cases.ts';
import { compareIsoDates, type IsoDate, isRealDate } from '../domain/dates.ts';
import { figuresShown, type ShownCount, shownCount } from '../domain/suppression.ts';
import {
  currentPupilOfCase,
  findOrganisationCase,
  insertOrganisationCase,
  pupilOfOrganisation,
} from '../repositories/cases.ts';
import { registerCountsBySchool } from '../repositories/pupils.ts';
import { latestPublishedGovernorsReports } from '../repositories/school-reports.ts';
import { findOrganisation, schoolsOfOrganisation } from '../repositories/schools.ts';
import type { Actor } from './kernel/actor.ts';
import { requireOfficer } from './kernel/authorise.ts';
import type { Clock } from './kernel/clock.ts';
import { type FieldError, NotFoundError, ValidationError } from './kernel/errors.ts';
import { type OrganisationActor, organisationUnitOfWork } from './kernel/unit-of-work.ts';
import { comparableFigures, type ReportFigures } from './school-reports/figures.ts';

const COLUMNS = ['total', 'monitoring', 'senSupport', 'ehcPlan'] as const;
type Column = (typeof COLUMNS)[number];

/** The first step of an organisation's service call: an officer acting for their organisation. */
function requireOrganisation(actor: Actor): OrganisationActor {
  return requireOfficer(actor, 'organisation.view');
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The organisation's own work: figures across its schools (never a named pupil, small numbers
 * suppressed), and its cases about children (docs/adr/0029), each change and read in one unit of work
 * with its audit rows on the organisation's chain.
 */
export function createOrganisationService(
  database: Database,
  clock: Clock,
  options: { suppressionThreshold: number },
) {
  const { db } = database;
  return {
    async overview(actor: Actor) {
      const a = requireOrganisation(actor);
      return organisationUnitOfWork(db, a, (w) => overviewOf(w.tx, a, w.audit));
    },

    /**
     * Open a case about a child on roll at one of the organisation's schools: kept by the organisation,
     * linked to the pupil by school and id and by UPN. A pupil of another organisation's school (or no
     * such pupil) is not found.
     */
    async openCase(
      actor: Actor,
      input: { schoolId: string; pupilId: string; kind: string; openedOn: string },
    ): Promise<{ caseId: string }> {
      const a = requireOrganisation(actor);
      const errors: FieldError[] = [];
      if (!isCaseKind(input.kind))
        errors.push({
          field: 'kind',
          message: `Choose what the case is: ${Object.values(CASE_KINDS).join(', ')}`,
        });
      const date = ISO_DATE.exec(input.openedOn);
      if (!date || !isRealDate(Number(date[1]), Number(date[2]), Number(date[3])))
        errors.push({ field: 'openedOn', message: 'Enter the date the case was opened as a real date' });
      else if (compareIsoDates(input.openedOn, clock.today()) > 0)
        errors.push({
          field: 'openedOn',
          message: 'The date the case was opened must be today or in the past',
        });
      if (errors.length > 0) throw new ValidationError(errors);
      // An id that cannot be one names no pupil (and is never sent to the database as one).
      if (!UUID.test(input.schoolId) || !UUID.test(input.pupilId))
        throw new NotFoundError('Pupil not found', { kind: 'pupil', id: input.pupilId });
      return organisationUnitOfWork(db, a, async (w) => {
        const child = await pupilOfOrganisation(w.tx, a.organisationId, input.schoolId, input.pupilId);
        if (!child || child.leftOn)
          throw new NotFoundError('Pupil not found', { kind: 'pupil', id: input.pupilId });
        const caseId = randomUUID();
        await insertOrganisationCase(w.tx, {
          organisationId: a.organisationId,
          id: caseId,
          schoolId: child.schoolId,
          pupilId: child.id,
          upn: child.upn,
          kind: input.kind as CaseKind,
          openedOn: input.openedOn as IsoDate,
          openedBy: a.userId,
        });
        w.audit('case.opened', {
          pupilId: child.id,
          detail: { caseId, kind: input.kind, schoolId: child.schoolId },
        });
        return { caseId };
      });
    },

    /**
     * One of the organisation's cases, with where the child is now: their row at the school of the
     * organisation that has them on roll (after a move, the new school's), else the row it was opened
     * about (its school, id and UPN; the names are the school's, not given here). Another
     * organisation's case is not found.
     */
    async caseOf(actor: Actor, caseId: string) {
      const a = requireOrganisation(actor);
      if (!UUID.test(caseId))
        throw new NotFoundError('Case not found', { kind: 'organisation_case', id: caseId });
      return organisationUnitOfWork(db, a, async (w) => {
        const found = await findOrganisationCase(w.tx, a.organisationId, caseId);
        if (!found) throw new NotFoundError('Case not found', { kind: 'organisation_case', id: caseId });
        const current = await currentPupilOfCase(w.tx, found);
        w.audit('case.viewed', {
          pupilId: current?.pupil.id ?? found.pupilId,
          detail: { caseId, schoolId: current?.pupil.schoolId ?? found.schoolId },
        });
        return {
          case: found,
          pupil: current
            ? {
                schoolId: current.pupil.schoolId,
                id: current.pupil.id,
                upn: current.pupil.upn,
                moved: current.moved,
              }
            : null,
        };
      });
    },
  };

  async function overviewOf(
    tx: Executor,
    actor: OrganisationActor,
    audit: (action: 'organisation.overview_viewed', options: { detail: Record<string, unknown> }) => void,
  ) {
    const organisation = await findOrganisation(tx, actor.organisationId);
    const schools = await schoolsOfOrganisation(tx, actor.organisationId);
    const counts = await registerCountsBySchool(
      tx,
      schools.map((s) => s.id),
    );
    // Each school's latest published governors' report: its figures as the school published them
    // (small numbers already hidden), as rates that compare across schools.
    const reports = new Map(
      (
        await latestPublishedGovernorsReports(
          tx,
          schools.map((s) => s.id),
        )
      ).map((r) => [r.schoolId, comparableFigures((r.published as { figures: ReportFigures }).figures)]),
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
    // Rates, so that schools of different sizes compare: each stage's whole-school total per 100 pupils on
    // roll, to one decimal place (from totals shown as counted, so a rate gives nothing more away).
    const rate = (n: number, of: number) => (of === 0 ? null : Math.round((1000 * n) / of) / 10);
    const rows = raw.map((r) => ({
      ...r,
      senSupportRate: rate(r.senSupport, r.total),
      ehcPlanRate: rate(r.ehcPlan, r.total),
      published: reports.get(r.schoolId) ?? null,
      ...(Object.fromEntries(COLUMNS.map((c) => [c, show(`${r.schoolId}:${c}`)])) as Record<
        Column,
        ShownCount
      >),
    }));
    audit('organisation.overview_viewed', { detail: { schools: rows.length } });
    return {
      organisation,
      rows,
      totals: Object.fromEntries(COLUMNS.map((c) => [c, show(`all:${c}`)])) as Record<Column, ShownCount>,
      threshold: options.suppressionThreshold,
    };
  }
}

export type OrganisationService = ReturnType<typeof createOrganisationService>;
