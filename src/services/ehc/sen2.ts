import type { Database, Executor } from '../../db/client.ts';
import { isNeedCode, type NeedCode } from '../../domain/census.ts';
import type { IsoDate } from '../../domain/dates.ts';
import { latestIssue, latestWhether } from '../../domain/ehc-case.ts';
import { ehcClock, twentyWeekOutcome } from '../../domain/ehc-clock.ts';
import { isPlacementSetting } from '../../domain/ehc-plan.ts';
import {
  buildSen2Return,
  type Sen2CaseInput,
  type Sen2ChildInput,
  type Sen2PlanInput,
  type Sen2Return,
  sen2CensusDate,
  sen2Xml,
} from '../../domain/sen2.ts';
import { closuresOfSchools, partsOfCases } from '../../repositories/ehc-cases.ts';
import { findOrganisation, schoolsOfOrganisation } from '../../repositories/schools.ts';
import {
  sen2Admissions,
  sen2Cases,
  sen2LastReviews,
  sen2Plans,
  sen2Pupils,
} from '../../repositories/sen2.ts';
import type { Actor } from '../kernel/actor.ts';
import { requireOfficer } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { organisationUnitOfWork } from '../kernel/unit-of-work.ts';
import { clockInputOf } from './cases.ts';

/*
 * The local authority's SEN2 return (docs/sen2.md): gathered from the authority's own records — its
 * cases, their decisions and clocks, its plans and their final versions, its decisions on annual
 * reviews — and the children's pupil rows at its schools; never a school's working records. Officers
 * with the `sen2.return` capability (caseworkers, managers) see it; every child it names is on the audit
 * row, under their school.
 */

/** The earliest return OpenSEND makes: the person-level SEN2 began with the 2023 collection. */
export const FIRST_SEN2_YEAR = 2023;

/** The software named in the return's header (its release: the version of the return's format here). */
const SOFTWARE = { code: 'OpenSEND', release: '1' };

/** The return a date is preparing: January to June, this year's census; from July, next year's. */
export function sen2YearFor(today: IsoDate): number {
  const year = Number(today.slice(0, 4));
  return Number(today.slice(5, 7)) <= 6 ? year : year + 1;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The child as a received request describes them (the published pack's `child`), checked field by field. */
export function receivedChildOf(value: unknown) {
  if (!value || typeof value !== 'object') return null;
  const c = value as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  if (!text(c.forename) && !text(c.surname)) return null;
  const ranked = Array.isArray(c.senTypes)
    ? (c.senTypes as { senType?: unknown; senTypeRank?: unknown }[])
        .filter((t) => t && typeof t.senType === 'string' && isNeedCode(t.senType))
        .sort((a, b) => Number(a.senTypeRank) - Number(b.senTypeRank))
        .map((t) => t.senType as NeedCode)
    : [];
  return {
    forename: text(c.forename),
    surname: text(c.surname),
    birthDate: typeof c.birthDate === 'string' && ISO_DATE.test(c.birthDate) ? c.birthDate : null,
    sex: c.sex === 'F' ? ('female' as const) : c.sex === 'M' ? ('male' as const) : null,
    registerNeeds: ranked,
  };
}

export function createSen2Service(database: Database, clock: Clock) {
  const { db } = database;

  function yearOf(asked: number | null) {
    const latest = sen2YearFor(clock.today());
    const years: number[] = [];
    for (let y = latest; y >= FIRST_SEN2_YEAR; y--) years.push(y);
    const year = asked !== null && Number.isInteger(asked) && years.includes(asked) ? asked : latest;
    return { year, years, unavailable: asked !== null && asked !== year ? asked : null };
  }

  /** Everything the return needs, for the whole authority, in a handful of statements. */
  async function gather(tx: Executor, organisationId: string, year: number) {
    const censusDate = sen2CensusDate(year);
    const [cases, plans, reviews, schools] = await Promise.all([
      sen2Cases(tx, organisationId, censusDate),
      sen2Plans(tx, organisationId),
      sen2LastReviews(tx, organisationId, censusDate),
      schoolsOfOrganisation(tx, organisationId),
    ]);
    const parts = await partsOfCases(
      tx,
      organisationId,
      cases.map((c) => c.id),
    );
    const closures = await closuresOfSchools(tx, [
      ...new Set(parts.advice.map((x) => x.schoolId).filter((s): s is string => !!s)),
    ]);
    const schoolById = new Map(schools.map((s) => [s.id, s]));
    const pupils = await sen2Pupils(tx, organisationId, [
      ...cases.map((c): [string, string] => [c.schoolId, c.pupilId]),
      ...plans.map((p): [string, string] => [p.schoolId, p.pupilId]),
    ]);
    const namedSchools = plans
      .map((p) => p.placement?.schoolId ?? p.namedSchoolId)
      .filter((s): s is string => !!s);
    const admissions = await sen2Admissions(
      tx,
      organisationId,
      namedSchools,
      plans.map((p) => p.upn),
    );
    const admitted = new Map(admissions.map((a) => [`${a.schoolId}:${a.upn}`, a.admissionDate]));
    const pupilOf = new Map(pupils.map((p) => [`${p.schoolId}:${p.id}`, p]));
    const reviewOf = new Map(reviews.map((r) => [r.planId, r]));
    const byCase = <T extends { caseId: string }>(rows: T[]) => {
      const m = new Map<string, T[]>();
      for (const r of rows) m.set(r.caseId, [...(m.get(r.caseId) ?? []), r]);
      return m;
    };
    const decisions = byCase(parts.decisions);
    const advice = byCase(parts.advice);
    const exceptions = byCase(parts.exceptions);
    const today = clock.today();

    // One child per UPN: their cases and plans together (a child may have been assessed twice).
    const children = new Map<string, Sen2ChildInput & { latest: string; fromRow: boolean }>();
    const childOf = (
      upn: string,
      schoolId: string,
      pupilId: string,
      on: string,
      received: unknown = null,
    ) => {
      let child = children.get(upn);
      const row = pupilOf.get(`${schoolId}:${pupilId}`);
      if (!child) {
        child = {
          latest: '',
          fromRow: false,
          cases: [],
          plans: [],
          person: {
            upn,
            uln: null,
            upnUnknown: null,
            forename: '',
            surname: '',
            birthDate: null,
            sex: null,
            ethnicity: null,
            postcode: null,
            registerNeeds: [],
            erased: false,
            schoolId,
            pupilId,
          },
        };
        children.set(upn, child);
      }
      // The child's details from the newest record that names them: their pupil row at one of the
      // authority's schools, else the authority's own copy from the request it received (a child
      // placed at another authority's school is never read from that school's records).
      const copy = received ? receivedChildOf(received) : null;
      if (!row && copy && on >= child.latest && !child.fromRow) {
        child.latest = on;
        child.person = { ...child.person, ...copy, schoolId, pupilId };
      }
      if (row && (on >= child.latest || !child.fromRow)) {
        child.fromRow = true;
        child.latest = on;
        child.person = {
          ...child.person,
          forename: row.erasedAt ? '' : row.forename,
          surname: row.erasedAt ? '' : row.surname,
          birthDate: row.erasedAt ? null : row.dateOfBirth,
          sex: row.erasedAt ? null : row.sex,
          registerNeeds: [row.primaryNeed, row.secondaryNeed].filter((n): n is NeedCode => !!n),
          erased: !!row.erasedAt,
          schoolId,
          pupilId,
        };
      }
      return child;
    };
    for (const c of cases) {
      const mine = {
        decisions: decisions.get(c.id) ?? [],
        advice: advice.get(c.id) ?? [],
        exceptions: exceptions.get(c.id) ?? [],
      };
      const whether = latestWhether(mine.decisions);
      const issue = latestIssue(mine.decisions);
      const input: Sen2CaseInput = {
        caseId: c.id,
        receivedOn: c.openedOn,
        requestedBy: c.requestedBy,
        whether:
          whether && (whether.kind === 'assess' || whether.kind === 'not_assess')
            ? { kind: whether.kind, decidedOn: whether.decidedOn }
            : null,
        issue:
          issue && (issue.kind === 'issue_plan' || issue.kind === 'not_issue_plan')
            ? { kind: issue.kind, decidedOn: issue.decidedOn }
            : null,
        withdrawnOn: c.stage === 'withdrawn' ? c.closedOn : null,
        finalIssuedOn: c.finalIssuedOn,
        twentyWeeks: c.finalIssuedOn
          ? twentyWeekOutcome(ehcClock(clockInputOf(c, mine, closures), today))
          : null,
      };
      childOf(c.upn, c.schoolId, c.pupilId, c.openedOn, c.receivedChild).cases.push(input);
    }
    for (const p of plans) {
      const named = p.placement?.schoolId ?? p.namedSchoolId;
      const namedSchool = named ? schoolById.get(named) : undefined;
      const placement: Sen2PlanInput['placement'] =
        p.placement && (p.placement.urn || namedSchool || p.placement.kind)
          ? {
              urn: p.placement.urn || namedSchool?.urn || null,
              name: p.placement.name,
              setting: isPlacementSetting(p.placement.kind) ? p.placement.kind : null,
              entryOn: named ? (admitted.get(`${named}:${p.upn}`) ?? null) : null,
            }
          : null;
      childOf(p.upn, p.schoolId, p.pupilId, p.startedOn ?? '').plans.push({
        planId: p.id,
        caseId: p.caseId,
        status: p.status,
        startedOn: p.startedOn,
        ceasedOn: p.ceasedOn,
        ceaseReason: p.ceaseReason,
        placement,
        needTypes: p.needTypes ?? [],
        lastReview: reviewOf.get(p.id) ?? null,
        personalBudget: null,
      });
    }
    const laCodes = new Map<string, number>();
    for (const s of schools) laCodes.set(s.laCode, (laCodes.get(s.laCode) ?? 0) + 1);
    const laCode = [...laCodes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
    return { ret: buildSen2Return(year, [...children.values()]), laCode };
  }

  return {
    /**
     * The return for a census year: the summary, and the children that cannot be returned until their
     * records are corrected (named, with the case or plan to open). The year asked if OpenSEND makes it,
     * else the one being prepared.
     */
    async sen2Return(actor: Actor, askedYear: number | null) {
      const a = requireOfficer(actor, 'sen2.return');
      const { year, years, unavailable } = yearOf(askedYear);
      return organisationUnitOfWork(db, a, async (w) => {
        const { ret, laCode } = await gather(w.tx, a.organisationId, year);
        const organisation = await findOrganisation(w.tx, a.organisationId);
        w.audit('sen2.return_viewed', {
          detail: { year, persons: ret.persons.length, toCorrect: ret.toCorrect.length },
          shownPupilIds: ret.toCorrect.map((x) => x.person.pupilId),
        });
        return {
          organisationName: organisation?.name ?? null,
          laCode,
          year,
          years,
          unavailable,
          censusDate: ret.censusDate,
          period: ret.period,
          summary: ret.summary,
          toCorrect: ret.toCorrect,
        };
      });
    },

    /** The return as the DfE's XML: every child that can be returned, each named on the audit row. */
    async sen2XmlFile(actor: Actor, askedYear: number | null) {
      const a = requireOfficer(actor, 'sen2.return');
      const { year } = yearOf(askedYear);
      return organisationUnitOfWork(db, a, async (w) => {
        const { ret, laCode } = await gather(w.tx, a.organisationId, year);
        const xml = sen2Xml(
          {
            laCode,
            year,
            softwareCode: SOFTWARE.code,
            release: SOFTWARE.release,
            serialNo: 1,
            madeAt: clock.now().toISOString().slice(0, 19),
          },
          ret,
        );
        w.audit('sen2.return_downloaded', {
          detail: { year, persons: ret.persons.length, leftOut: ret.toCorrect.length },
          shownPupilIds: ret.persons.map((p) => p.pupilId),
        });
        const bytes = Buffer.from(xml, 'utf8');
        return {
          name: `${laCode || 'LA'}_SEN2_${year}_001.xml`,
          contentType: 'application/xml; charset=utf-8',
          bytes,
          return: ret satisfies Sen2Return,
        };
      });
    },
  };
}

export type Sen2Service = ReturnType<typeof createSen2Service>;
