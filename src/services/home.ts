import type { Database } from '../db/client.ts';
import { capabilitiesOf, mayDeliverGroups, personalReachesFor, reachesUsed } from '../domain/access.ts';
import { hasEnded, memberOn, nextSessionDue, weekStartOf } from '../domain/provision-rules.ts';
import { countOpenConcerns } from '../repositories/concerns.ts';
import { groupActivity, groupsOfSchool } from '../repositories/provision.ts';
import { pupilsWorkedWith } from '../repositories/pupils.ts';
import { retentionWaiting } from '../repositories/retention.ts';
import { classesTaughtBy, firstStepsOf } from '../repositories/schools.ts';
import { subjectAccessDue } from '../repositories/subject-access.ts';
import { type Actor, type SchoolActor, scopeOf } from './kernel/actor.ts';
import { audit } from './kernel/audit.ts';
import { mayUseSection, requireSchool } from './kernel/authorise.ts';
import type { Clock } from './kernel/clock.ts';
import { dashboardLists, myPupilsLists } from './work-lists/index.ts';

/** The first steps of a school new to OpenSEND, in order, and what each needs. */
export const FIRST_STEPS = ['staff', 'classes', 'pupils', 'concern'] as const;
export type FirstStep = (typeof FIRST_STEPS)[number];

/**
 * The home page: one page whatever mix of roles a person holds. Each part appears because a role
 * gives it (the SENCo who also teaches Year 4 sees the SENCo's to-do list and their class).
 */
export function createHomeService(database: Database, clock: Clock) {
  const { db } = database;

  /**
   * A new school's first steps (staff, classes, pupils, a first concern), each done or not and
   * whether this person may do it; null once all are done, or for someone who sets nothing up.
   */
  async function firstSteps(a: SchoolActor) {
    const capabilities = capabilitiesOf(a.roles);
    if (!capabilities.has('staff.manage') && !capabilities.has('pupils.import')) return null;
    const done = await firstStepsOf(db, a.schoolId);
    if (FIRST_STEPS.every((s) => done[s])) return null;
    const may: Record<FirstStep, boolean> = {
      staff: capabilities.has('staff.manage'),
      classes: capabilities.has('classes.manage'),
      pupils: capabilities.has('pupils.import'),
      concern: capabilities.has('concern.raise'),
    };
    return FIRST_STEPS.map((step) => ({ step, done: done[step], may: may[step] }));
  }

  return {
    async overview(actor: Actor) {
      const a = requireSchool(actor);
      const capabilities = capabilitiesOf(a.roles);
      const teaches = reachesUsed(a.roles).includes('classes_taught');
      const [openConcerns, classes, steps, subjectAccess, retention] = await Promise.all([
        capabilities.has('concern.review') ? countOpenConcerns(db, a.schoolId) : Promise.resolve(null),
        teaches ? classesTaughtBy(db, a.schoolId, a.userId) : Promise.resolve([]),
        firstSteps(a),
        capabilities.has('subject_access.manage')
          ? subjectAccessDue(db, a.schoolId, clock.today())
          : Promise.resolve(null),
        capabilities.has('records.retention') ? retentionWaiting(db, a.schoolId) : Promise.resolve(0),
      ]);
      return {
        // Leavers' records past their retention date, waiting for the head or SENCo to erase or keep.
        retentionWaiting: retention,
        openConcerns,
        // Requests for a pupil's record not yet answered: the next due counts down on the home page.
        subjectAccess: subjectAccess && subjectAccess.open > 0 ? subjectAccess : null,
        classes,
        firstSteps: steps,
        may: {
          pupils: mayUseSection(a, 'identity'),
          addPupil: mayUseSection(a, 'identity', 'write'),
          register: mayUseSection(a, 'register'),
          reviewRegister: capabilities.has('register.review'),
          raiseConcern: capabilities.has('concern.raise'),
          figures: capabilities.has('counts.view'),
          staff: capabilities.has('staff.manage'),
          audit: capabilities.has('audit.school'),
          complaints: capabilities.has('complaints.manage'),
          training: capabilities.has('training.manage'),
          dashboard: dashboardLists(a).length > 0,
          myPupils: myPupilsLists(a).length > 0,
          ownWork: ownWorkReaches(a).length > 0 || mayDeliverGroups(a.roles),
        },
      };
    },

    /**
     * A person's own work beyond their classes: the pupils they work with (assigned to them, or in a
     * group they deliver), with class and stage, and the groups they deliver that are running, each
     * with when its next session is due. Null for someone with neither. Listing the pupils is audited.
     */
    async ownWork(actor: Actor, page: 'home' | 'my-pupils') {
      const a = requireSchool(actor);
      const reaches = ownWorkReaches(a);
      const delivers = mayDeliverGroups(a.roles);
      if (reaches.length === 0 && !delivers) return null;
      const today = clock.today();
      const [pupils, delivered] = await Promise.all([
        pupilsWorkedWith(db, scopeOf(a), reaches),
        delivers ? groupsOfSchool(db, a.schoolId, { delivererId: a.userId }) : Promise.resolve([]),
      ]);
      const running = delivered.filter((g) => !hasEnded(g, today));
      const activity = new Map(
        (
          await groupActivity(
            db,
            a.schoolId,
            running.map((g) => g.id),
            { since: weekStartOf(today) },
          )
        ).map((x) => [x.groupId, x]),
      );
      const groups = running
        .map((g) => {
          const act = activity.get(g.id);
          return {
            id: g.id,
            name: g.name,
            interventionName: g.interventionName,
            sessionsPerWeek: g.sessionsPerWeek,
            minutesPerSession: g.minutesPerSession,
            location: g.location,
            pupilsNow: g.memberDates.filter((m) => memberOn(m, today)).length,
            started: g.startDate <= today,
            nextDue: nextSessionDue(
              g,
              { thisWeek: act?.sessionsSince ?? 0, last: act?.lastSession ?? null },
              today,
            ),
          };
        })
        .sort(
          (x, y) => (x.nextDue ?? '9999').localeCompare(y.nextDue ?? '9999') || x.name.localeCompare(y.name),
        );
      if (pupils.length > 0) {
        await audit(db, a, 'dashboard.viewed', {
          detail: { list: 'pupils_worked_with', page },
          shownPupilIds: pupils.map((p) => p.id),
        });
      }
      return { pupils, groups, today };
    },
  };
}

/** The reaches through which someone works with pupils outside their classes (for their SEN record). */
function ownWorkReaches(a: SchoolActor) {
  return personalReachesFor(a.roles, 'register').filter(
    (r): r is 'pupils_assigned' | 'groups_delivered' => r === 'pupils_assigned' || r === 'groups_delivered',
  );
}

export type HomeService = ReturnType<typeof createHomeService>;
