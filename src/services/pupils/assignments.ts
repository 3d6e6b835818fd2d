import type { Database } from '../../db/client.ts';
import { deleteAssignment, insertAssignments } from '../../repositories/pupils.ts';
import { staffMember } from '../../repositories/staff.ts';
import type { Actor } from '../kernel/actor.ts';
import { requireCapability } from '../kernel/authorise.ts';
import { NotFoundError, ValidationError } from '../kernel/errors.ts';
import { changePupil } from '../kernel/unit-of-work.ts';

const PROVISION_WRITE = { section: 'provision', level: 'write' } as const;

/** Staff the SENCo assigns to a pupil (a teaching assistant's 1:1 pupils): it gives them the pupil's record. */
export function createAssignments(database: Database) {
  const { db } = database;
  return {
    async assignStaff(actor: Actor, pupilId: string, userId: string | null): Promise<void> {
      const a = requireCapability(actor, 'staff.manage');
      await changePupil(db, a, pupilId, PROVISION_WRITE, async (w) => {
        const member = userId ? await staffMember(w.tx, a.schoolId, userId) : null;
        if (!member?.roles.includes('teaching_assistant')) {
          throw new ValidationError([{ field: 'userId', message: 'Select a teaching assistant' }]);
        }
        await insertAssignments(w.tx, [{ schoolId: a.schoolId, pupilId, userId: member.userId }]);
        w.audit('pupil.staff_assigned', { pupilId, detail: { userId: member.userId, name: member.name } });
      });
    },

    async unassignStaff(actor: Actor, pupilId: string, userId: string): Promise<void> {
      const a = requireCapability(actor, 'staff.manage');
      await changePupil(db, a, pupilId, PROVISION_WRITE, async (w) => {
        const member = await staffMember(w.tx, a.schoolId, userId);
        if (!member) throw new NotFoundError('Staff member not found', { kind: 'staff', id: userId });
        await deleteAssignment(w.tx, a.schoolId, pupilId, userId);
        w.audit('pupil.staff_unassigned', { pupilId, detail: { userId, name: member.name } });
      });
    },
  };
}
