import type { Database } from '../../db/client.ts';
import { hasCapability, personalReachesFor, reachesFor } from '../../domain/access.ts';
import {
  PROVISION_LIST_LABELS,
  PROVISION_LISTS_CAPABILITY,
  type ProvisionList,
  WORK_LIST_CAPABILITIES,
  WORK_LIST_LABELS,
  WORK_LIST_LEVELS,
  WORK_LIST_SECTIONS,
  WORK_LIST_SETTINGS,
  WORK_LISTS,
  type WorkList,
  workListDates,
} from '../../domain/work-lists.ts';
import { findSettings } from '../../repositories/plans.ts';
import { pupilsCovered, workList, workListCounts } from '../../repositories/work-lists.ts';
import { type Actor, type SchoolActor, scopeOf } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { requireSchool } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ForbiddenError } from '../kernel/errors.ts';

/** The lists shown on the dashboard to this actor: those whose section their grants open school-wide. */
export function dashboardLists(actor: Pick<Actor, 'roles' | 'schoolId'>): WorkList[] {
  if (!actor.schoolId) return [];
  return WORK_LISTS.filter((l) => {
    const capability = WORK_LIST_CAPABILITIES[l];
    if (capability && !hasCapability(actor.roles, capability)) return false;
    return reachesFor(actor.roles, WORK_LIST_SECTIONS[l], WORK_LIST_LEVELS[l]).includes('school');
  });
}

/**
 * The lists on "my pupils": those whose section the actor's classes, assignments or groups open at the
 * level the list's work needs (a teaching assistant adds notes to plans but has no plan list).
 */
export function myPupilsLists(actor: Pick<Actor, 'roles' | 'schoolId'>): WorkList[] {
  if (!actor.schoolId) return [];
  return WORK_LISTS.filter(
    (l) => personalReachesFor(actor.roles, WORK_LIST_SECTIONS[l], WORK_LIST_LEVELS[l]).length > 0,
  );
}

const LIST_LIMIT = 500;

/**
 * The SENCo's day: the dashboard (for the whole school, to those whose grants reach it) and "my
 * pupils" (for a teacher's classes or an assistant's pupils). Counts name nobody; a list shows names
 * and is audited with the pupils it showed.
 */
/** How many groups and pupils the provision pages list for the SENCo to act on (the provision service counts them). */
export type ProvisionAttention = (actor: Actor) => Promise<{
  unchecked: number;
  noExit: number;
  over: number;
}>;

export function createWorkListService(database: Database, clock: Clock, attention?: ProvisionAttention) {
  const { db } = database;

  /** The provision lists' counts, for those who manage the school's provision; else null. */
  async function provisionCounts(a: SchoolActor) {
    if (!attention || !hasCapability(a.roles, PROVISION_LISTS_CAPABILITY)) return null;
    const found = await attention(a);
    const counts: Record<ProvisionList, number> = {
      groups_unchecked: found.unchecked,
      groups_without_exit_measures: found.noExit,
      over_threshold: found.over,
    };
    return (Object.keys(counts) as ProvisionList[]).map((list) => ({
      list,
      label: PROVISION_LIST_LABELS[list],
      count: counts[list],
    }));
  }

  function available(a: SchoolActor, mine: boolean) {
    const lists = mine ? myPupilsLists(a) : dashboardLists(a);
    if (lists.length === 0) {
      throw new ForbiddenError(
        mine
          ? 'You have no pupils of your own through a class or an assignment'
          : 'Your role does not include the school’s plans, concerns or letters',
        mine ? 'my-pupils' : 'dashboard',
      );
    }
    return lists;
  }

  /** The lists the school's settings use (half-termly target checks only where it asks for them). */
  async function inUse(a: SchoolActor, lists: WorkList[]): Promise<WorkList[]> {
    if (!lists.some((l) => WORK_LIST_SETTINGS[l])) return lists;
    const settings = await findSettings(db, a.schoolId);
    return lists.filter((l) => {
      const setting = WORK_LIST_SETTINGS[l];
      return !setting || settings?.[setting] === true;
    });
  }

  async function counts(a: SchoolActor, lists: WorkList[], mine: boolean) {
    const found = await workListCounts(db, scopeOf(a), lists, mine, workListDates(clock.today()));
    return lists.map((l) => ({ list: l, label: WORK_LIST_LABELS[l], count: found[l] ?? 0 }));
  }

  async function open(a: SchoolActor, list: WorkList, mine: boolean) {
    const { total, rows } = await workList(
      db,
      a.schoolId,
      list,
      pupilsCovered(scopeOf(a), list, mine),
      workListDates(clock.today()),
      LIST_LIMIT,
    );
    await audit(db, a, 'dashboard.viewed', {
      detail: { list, mine },
      shownPupilIds: [...new Set(rows.map((r) => r.pupilId))],
    });
    return { list, label: WORK_LIST_LABELS[list], total, rows, section: WORK_LIST_SECTIONS[list] };
  }

  return {
    /** The dashboard's counts, or one of its lists. */
    async dashboard(actor: Actor, list: WorkList | null = null) {
      const a = requireSchool(actor);
      const lists = await inUse(a, available(a, false));
      const chosen = list && lists.includes(list) ? list : null;
      const [listCounts, provision, opened] = await Promise.all([
        counts(a, lists, false),
        chosen ? Promise.resolve(null) : provisionCounts(a),
        chosen ? open(a, chosen, false) : Promise.resolve(null),
      ]);
      return {
        counts: listCounts,
        /** The provision lists' counts (on the counts page, for those who manage provision), or null. */
        provision,
        opened,
      };
    },

    /** "My pupils": the same lists for the actor's own pupils. */
    async myPupils(actor: Actor, list: WorkList | null = null) {
      const a = requireSchool(actor);
      const lists = await inUse(a, available(a, true));
      return {
        counts: await counts(a, lists, true),
        provision: null,
        opened: list && lists.includes(list) ? await open(a, list, true) : null,
      };
    },
  };
}

export type WorkListService = ReturnType<typeof createWorkListService>;
