import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildFamily, useWorld } from '../../../test/builders/index.ts';
import { auditEvent, parentAccount, parentCarer } from '../../db/schema/index.ts';
import { ForbiddenError, NotFoundError } from '../kernel/errors.ts';
import { changeAsFamily, familyChild } from './access.ts';

/*
 * A parent reaches a child only through a live link to the school's record of them, with parental
 * responsibility and no court order, checked at each request and again inside each change.
 */

const world = useWorld();

describe('a parent and their child', () => {
  it('reaches their own child (each separated parent through their own record), and no other', async () => {
    const { db } = world.database;
    const family = await buildFamily(db, { schoolId: world.w.school.id });
    const mother = await familyChild(db, family.mother.actor, family.pupil.id);
    expect(mother.carers.map((c) => c.id)).toEqual([family.motherCarer.id]);
    const father = await familyChild(db, family.father.actor, family.pupil.id);
    expect(father.carers.map((c) => c.id)).toEqual([family.fatherCarer.id]);
    for (const other of [world.w.pupilK.id, world.w.otherPupil.id, family.motherCarer.id]) {
      await expect(familyChild(db, family.mother.actor, other)).rejects.toBeInstanceOf(NotFoundError);
    }
    await expect(familyChild(db, world.w.senco.actor, family.pupil.id)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });

  it('loses the child at the next request when responsibility is removed, a court order recorded, or the link ended', async () => {
    const { db } = world.database;
    for (const change of ['responsibility', 'court order', 'ended'] as const) {
      const family = await buildFamily(db, { schoolId: world.w.school.id });
      await familyChild(db, family.mother.actor, family.pupil.id);
      const carer = and(eq(parentCarer.schoolId, family.schoolId), eq(parentCarer.id, family.motherCarer.id));
      if (change === 'responsibility')
        await db.update(parentCarer).set({ parentalResponsibility: false }).where(carer);
      if (change === 'court order') await db.update(parentCarer).set({ courtOrder: true }).where(carer);
      if (change === 'ended')
        await db
          .update(parentAccount)
          .set({ endedAt: new Date() })
          .where(eq(parentAccount.parentCarerId, family.motherCarer.id));
      await expect(familyChild(db, family.mother.actor, family.pupil.id), change).rejects.toBeInstanceOf(
        NotFoundError,
      );
      // The father's own link is untouched.
      await expect(familyChild(db, family.father.actor, family.pupil.id)).resolves.toBeTruthy();
    }
  });

  it('writes a change on the school’s trail, and refuses it when the link ends before the change runs', async () => {
    const { database } = world;
    const family = await buildFamily(database.db, { schoolId: world.w.school.id });
    const done = await changeAsFamily(
      database.db,
      family.mother.actor,
      family.pupil.id,
      { section: 'letters', level: 'contribute' },
      async (w) => {
        w.audit('family.views_given', { pupilId: w.child.pupil.id });
        return w.child.carers[0]?.id;
      },
    );
    expect(done).toBe(family.motherCarer.id);
    const [row] = await database.db
      .select({ schoolId: auditEvent.schoolId, role: auditEvent.role })
      .from(auditEvent)
      .where(
        and(eq(auditEvent.action, 'family.views_given'), eq(auditEvent.userId, family.mother.actor.userId)),
      );
    expect(row).toEqual({ schoolId: family.schoolId, role: 'parent' });

    // A section the parent grant does not give (staff notes live in no parent section at write level).
    await expect(
      changeAsFamily(
        database.db,
        family.mother.actor,
        family.pupil.id,
        { section: 'plans', level: 'write' },
        async () => 1,
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
    await database.db
      .update(parentCarer)
      .set({ parentalResponsibility: false })
      .where(eq(parentCarer.id, family.motherCarer.id));
    await expect(
      changeAsFamily(
        database.db,
        family.mother.actor,
        family.pupil.id,
        { section: 'letters', level: 'contribute' },
        async () => 1,
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
