import type { Database } from '../db/client.ts';
import { capabilitiesOf, reachesUsed } from '../domain/access.ts';
import { countOpenConcerns } from '../repositories/concerns.ts';
import { classesTaughtBy } from '../repositories/schools.ts';
import type { Actor } from './kernel/actor.ts';
import { mayUseSection, requireSchool } from './kernel/authorise.ts';
import { dashboardLists, myPupilsLists } from './work-lists/index.ts';

/**
 * The home page: one page whatever mix of roles a person holds. Each part appears because a role
 * gives it (the SENCo who also teaches Year 4 sees the SENCo's to-do list and their class).
 */
export function createHomeService(database: Database) {
  const { db } = database;
  return {
    async overview(actor: Actor) {
      const a = requireSchool(actor);
      const capabilities = capabilitiesOf(a.roles);
      const teaches = reachesUsed(a.roles).includes('classes_taught');
      const [openConcerns, classes] = await Promise.all([
        capabilities.has('concern.review') ? countOpenConcerns(db, a.schoolId) : Promise.resolve(null),
        teaches ? classesTaughtBy(db, a.schoolId, a.userId) : Promise.resolve([]),
      ]);
      return {
        openConcerns,
        classes,
        may: {
          pupils: mayUseSection(a, 'identity'),
          addPupil: mayUseSection(a, 'identity', 'write'),
          register: mayUseSection(a, 'register'),
          reviewRegister: capabilities.has('register.review'),
          raiseConcern: capabilities.has('concern.raise'),
          figures: capabilities.has('counts.view'),
          staff: capabilities.has('staff.manage'),
          audit: capabilities.has('audit.school'),
          dashboard: dashboardLists(a).length > 0,
          myPupils: myPupilsLists(a).length > 0,
        },
      };
    },
  };
}

export type HomeService = ReturnType<typeof createHomeService>;
