import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildPlan, useWorld } from '../../../test/builders/index.ts';
import { auditEvent, pupilProfile, pupilVoice } from '../../db/schema/index.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';

const world = useWorld();

const answers = {
  howSchoolHasBeen: { face: 'happy' as const, words: 'I like playtime' },
  helpNext: { words: 'Help with spelling' },
};

async function actionsOn(pupilId: string) {
  const rows = await world.database.db
    .select({ action: auditEvent.action, detail: auditEvent.detail })
    .from(auditEvent)
    .where(eq(auditEvent.pupilId, pupilId));
  return rows.map((r) => r.action);
}

describe('the pupil’s voice', () => {
  it('a teacher records Kit’s views for the review of the plan in place, reads them, and changes them; each audited', async () => {
    const { services, database, w } = world;
    const plan = await buildPlan(database.db, { schoolId: w.school.id, pupilId: w.pupilK.id });
    const before = await services.pupilVoice.forNew(w.teacherA.actor, w.pupilK.id);
    expect(before.plansAwaitingViews.map((p) => p.id)).toEqual([plan.id]);

    const id = await services.pupilVoice.record(w.teacherA.actor, w.pupilK.id, 'review_views', plan.id, {
      answers,
      writtenWith: 'Mrs Patel',
    });
    const shown = await services.pupilVoice.show(w.teacherA.actor, w.pupilK.id, id);
    expect(shown.voice).toMatchObject({
      kind: 'review_views',
      planId: plan.id,
      planCycle: plan.cycle,
      answers,
      writtenWith: 'Mrs Patel',
      recordedByName: 'Tara Teacher',
      version: 1,
    });
    // Written once per review: the form offers that plan no longer, and a second is refused.
    expect((await services.pupilVoice.list(w.teacherA.actor, w.pupilK.id)).plansAwaitingViews).toEqual([]);
    await expect(
      services.pupilVoice.record(w.teacherA.actor, w.pupilK.id, 'review_views', plan.id, {
        answers,
        writtenWith: null,
      }),
    ).rejects.toThrow('already written');

    await services.pupilVoice.change(w.teacherA.actor, w.pupilK.id, id, 1, {
      answers: { goneWell: { words: 'Reading' } },
      writtenWith: 'Mrs Patel',
    });
    const changed = await services.pupilVoice.show(w.senco.actor, w.pupilK.id, id);
    expect(changed.voice).toMatchObject({ answers: { goneWell: { words: 'Reading' } }, version: 2 });
    expect(await actionsOn(w.pupilK.id)).toEqual(
      expect.arrayContaining([
        'pupil_voice.recorded',
        'pupil_voice.changed',
        'pupil_voice.viewed',
        'pupil.opened_form',
      ]),
    );
    // The plan shows it, and the staff's own profile is left as it was.
    const page = await services.plans.view(w.teacherA.actor, plan.id);
    expect(page.pupilVoice.reviewViews?.id).toBe(id);
    expect(
      await database.db.select().from(pupilProfile).where(eq(pupilProfile.pupilId, w.pupilK.id)),
    ).toEqual([]);
  });

  it('a stale save is refused with the other version, and nothing of it is saved', async () => {
    const { services, database, w } = world;
    const id = await services.pupilVoice.record(w.teacherA.actor, w.pupilK.id, 'one_page_profile', null, {
      answers: { likeAboutMe: { words: 'Kind' } },
      writtenWith: null,
    });
    await services.pupilVoice.change(w.senco.actor, w.pupilK.id, id, 1, {
      answers: { likeAboutMe: { words: 'Kind and funny' } },
      writtenWith: null,
    });
    const stale = services.pupilVoice.change(w.teacherA.actor, w.pupilK.id, id, 1, {
      answers: { likeAboutMe: { words: 'Kind to everyone' } },
      writtenWith: null,
    });
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    const error = await stale.catch((e: ConflictError) => e);
    expect((error as ConflictError).current).toMatchObject({
      voice: { answers: { likeAboutMe: { words: 'Kind and funny' } }, version: 2 },
    });
    const [row] = await database.db.select().from(pupilVoice).where(eq(pupilVoice.id, id));
    expect(row?.answers).toEqual({ likeAboutMe: { words: 'Kind and funny' } });
  });

  it('views are for a plan of this pupil whose review is to come', async () => {
    const { services, database, w } = world;
    const draft = await buildPlan(database.db, {
      schoolId: w.school.id,
      pupilId: w.pupilK.id,
      status: 'draft',
    });
    const another = await buildPlan(database.db, { schoolId: w.school.id, pupilId: w.pupilA.id });
    const input = { answers, writtenWith: null };
    const before = await database.db.select().from(pupilVoice).where(eq(pupilVoice.pupilId, w.pupilK.id));
    for (const planId of [null, draft.id, another.id]) {
      await expect(
        services.pupilVoice.record(w.teacherA.actor, w.pupilK.id, 'review_views', planId, input),
      ).rejects.toBeInstanceOf(ValidationError);
    }
    expect(await database.db.select().from(pupilVoice).where(eq(pupilVoice.pupilId, w.pupilK.id))).toEqual(
      before,
    );
  });

  it('a teaching assistant writes with a pupil they work with; others are refused and nothing is saved', async () => {
    const { services, database, w } = world;
    const input = { answers: { importantToMe: { words: 'My dog' } }, writtenWith: 'Tia' };
    const before = await database.db.select().from(pupilVoice).where(eq(pupilVoice.schoolId, w.school.id));
    // Tia works with Eli.
    const id = await services.pupilVoice.record(w.ta.actor, w.pupilE.id, 'one_page_profile', null, input);
    expect((await services.pupilVoice.show(w.ta.actor, w.pupilE.id, id)).voice.recordedByName).toBe(
      'Tia Assistant',
    );
    // Not with Kit; Tom does not teach Kit; the office and the governor have no plans to write.
    await expect(
      services.pupilVoice.record(w.ta.actor, w.pupilK.id, 'one_page_profile', null, input),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      services.pupilVoice.record(w.teacherB.actor, w.pupilK.id, 'one_page_profile', null, input),
    ).rejects.toBeInstanceOf(NotFoundError);
    for (const who of [w.office, w.governor]) {
      await expect(
        services.pupilVoice.record(who.actor, w.pupilK.id, 'one_page_profile', null, input),
      ).rejects.toBeInstanceOf(ForbiddenError);
      await expect(services.pupilVoice.list(who.actor, w.pupilK.id)).rejects.toBeInstanceOf(ForbiddenError);
    }
    // A parent has no staff pages here (their child's plan shows it through the family's door).
    await expect(services.pupilVoice.list(w.parent.actor, w.pupilK.id)).rejects.toThrow();
    // The professional reads Eli's plans (the plan page shows the pupil's words), never writes them.
    await expect(
      services.pupilVoice.change(w.professional.actor, w.pupilE.id, id, 1, input),
    ).rejects.toBeInstanceOf(ForbiddenError);
    const rows = await database.db.select().from(pupilVoice).where(eq(pupilVoice.schoolId, w.school.id));
    expect(rows).toHaveLength(before.length + 1);
    // Refusals are audited.
    const refused = await database.db
      .select({ action: auditEvent.action })
      .from(auditEvent)
      .where(and(eq(auditEvent.pupilId, w.pupilK.id), eq(auditEvent.userId, w.ta.actor.userId)));
    expect(refused.map((r) => r.action)).toContain('access.not_found');
  });

  it('another school’s pupil, or another pupil’s writing, is not found', async () => {
    const { services, w } = world;
    const input = { answers: { importantToMe: { words: 'Football' } }, writtenWith: null };
    const otherId = await services.pupilVoice.record(
      w.otherSenco.actor,
      w.otherPupil.id,
      'one_page_profile',
      null,
      input,
    );
    await expect(services.pupilVoice.list(w.senco.actor, w.otherPupil.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      services.pupilVoice.record(w.senco.actor, w.otherPupil.id, 'one_page_profile', null, input),
    ).rejects.toBeInstanceOf(NotFoundError);
    // Through one of their own pupils, another school's (or another pupil's) writing is not found.
    await expect(services.pupilVoice.show(w.senco.actor, w.pupilK.id, otherId)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      services.pupilVoice.change(w.senco.actor, w.pupilK.id, otherId, 1, input),
    ).rejects.toBeInstanceOf(NotFoundError);
    const kits = await services.pupilVoice.record(
      w.senco.actor,
      w.pupilK.id,
      'one_page_profile',
      null,
      input,
    );
    await expect(services.pupilVoice.show(w.senco.actor, w.pupilA.id, kits)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect((await services.pupilVoice.show(w.otherSenco.actor, w.otherPupil.id, otherId)).voice.version).toBe(
      1,
    );
  });
});
