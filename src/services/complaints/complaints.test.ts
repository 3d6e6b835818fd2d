import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpWorld, TODAY, type World } from '../../../test/builders/index.ts';
import type { Database } from '../../db/client.ts';
import { appUser, auditEvent, complaint, complaintStage } from '../../db/schema/index.ts';
import type { AuditAction } from '../../domain/audit.ts';
import type { Services } from '../index.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import type { NewComplaintInput } from './index.ts';

let database: Database;
let services: Services;
let w: World;

beforeAll(async () => {
  ({ database, services, w } = await setUpWorld());
});
afterAll(() => database.close());

const auditRows = (action: AuditAction) =>
  database.db.select().from(auditEvent).where(eq(auditEvent.action, action));

const formal = (over: Partial<NewComplaintInput> = {}): NewComplaintInput => ({
  kind: 'formal',
  receivedOn: '2026-11-02',
  complainantName: 'Kasia Kowalski',
  complainantRelationship: 'Mother',
  pupilId: w.pupilK.id,
  summary: 'Kit’s speech and language sessions have not happened for three weeks.',
  aboutUserIds: [],
  handledBy: null,
  ...over,
});

async function errorOf(promise: Promise<unknown>) {
  return promise.then(
    () => null,
    (e: unknown) => e,
  );
}

describe('a formal complaint through its stages', () => {
  it('is recorded at the SENCo stage with its deadline, audited against the pupil', async () => {
    const id = await services.complaints.create(w.senco.actor, formal());
    const page = await services.complaints.get(w.senco.actor, id);
    expect(page.complaint).toMatchObject({ kind: 'formal', stage: 'senco', status: 'open', version: 1 });
    expect(page.stages).toHaveLength(1);
    // 15 school days from Monday 2 November 2026.
    expect(page.stages[0]).toMatchObject({
      stage: 'senco',
      startedOn: '2026-11-02',
      responseDueOn: '2026-11-23',
      handledByName: 'Sam Senco',
    });
    expect(page.pupil?.name).toBe('Kit Kowalski');
    const recorded = (await auditRows('complaint.recorded')).find((r) => r.detail?.complaintId === id);
    expect(recorded?.pupilId).toBe(w.pupilK.id);
    const viewed = (await auditRows('complaint.viewed')).find((r) => r.detail?.complaintId === id);
    expect(viewed?.pupilId).toBe(w.pupilK.id);
  });

  it('is answered, escalated to the head teacher and closed as partly upheld', async () => {
    const id = await services.complaints.create(w.senco.actor, formal({ receivedOn: '2026-10-01' }));
    await services.complaints.respond(w.senco.actor, id, 1, {
      response: 'The sessions restart on Monday with a new timetable.',
      respondedOn: '2026-10-12',
    });
    const escalated = await services.complaints.escalate(w.senco.actor, id, 2, {
      startedOn: '2026-10-14',
      handledBy: null,
    });
    expect(escalated).toMatchObject({ stage: 'head_teacher', dueOn: '2026-11-11' });
    const page = await services.complaints.get(w.head.actor, id);
    expect(page.stages.map((s) => [s.stage, s.handledByName])).toEqual([
      ['senco', 'Sam Senco'],
      ['head_teacher', 'Hana Head'],
    ]);
    // The head stage's response was due on 11 November and is overdue today.
    expect(page.stages[1]?.overdue).toBe(true);
    expect(await services.complaints.overdueCount(w.head.actor)).toBeGreaterThanOrEqual(1);
    await services.complaints.respond(w.head.actor, id, page.version, {
      response: 'We apologise: the missed sessions will be made up before Christmas.',
      respondedOn: '2026-11-10',
    });
    const label = await services.complaints.close(w.head.actor, id, page.version + 1, {
      outcome: 'partly_upheld',
      outcomeSummary: 'Sessions were missed; the plan was followed otherwise.',
      closedOn: '2026-11-12',
    });
    expect(label).toBe('Partly upheld');
    const [row] = await database.db.select().from(complaint).where(eq(complaint.id, id));
    expect(row).toMatchObject({ status: 'closed', outcome: 'partly_upheld', stage: 'head_teacher' });
    const closed = (await auditRows('complaint.closed')).find((r) => r.detail?.complaintId === id);
    expect(closed?.pupilId).toBe(w.pupilK.id);
  });

  it('is not escalated before the stage is answered, and nothing changes', async () => {
    const id = await services.complaints.create(w.senco.actor, formal());
    const error = await errorOf(
      services.complaints.escalate(w.senco.actor, id, 1, { startedOn: TODAY, handledBy: null }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors[0]?.message).toMatch(/Record the response/);
    const stages = await database.db
      .select()
      .from(complaintStage)
      .where(and(eq(complaintStage.schoolId, w.school.id), eq(complaintStage.complaintId, id)));
    expect(stages).toHaveLength(1);
  });

  it('refuses a stale save with the complaint as it is now', async () => {
    const id = await services.complaints.create(w.senco.actor, formal());
    await services.complaints.respond(w.senco.actor, id, 1, { response: 'First answer', respondedOn: TODAY });
    const error = await errorOf(
      services.complaints.respond(w.head.actor, id, 1, { response: 'Second answer', respondedOn: TODAY }),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).current).toMatchObject({ version: 2 });
  });

  it('refuses a concern closed as upheld, and a date in the future', async () => {
    const id = await services.complaints.create(w.senco.actor, formal({ kind: 'concern' }));
    const error = await errorOf(
      services.complaints.close(w.senco.actor, id, 1, {
        outcome: 'upheld',
        outcomeSummary: null,
        closedOn: '2026-12-01',
      }),
    );
    expect((error as ValidationError).errors.map((e) => e.field)).toEqual(['outcome', 'closedOn']);
    expect(
      await services.complaints.close(w.senco.actor, id, 1, {
        outcome: 'resolved',
        outcomeSummary: 'Talked it through',
        closedOn: TODAY,
      }),
    ).toBe('Resolved');
  });
});

describe('who may see a complaint', () => {
  it('is refused to a teacher, a teaching assistant, the office and the governor, and audited', async () => {
    for (const who of [w.teacherA, w.ta, w.office, w.governor]) {
      await expect(services.complaints.list(who.actor)).rejects.toBeInstanceOf(ForbiddenError);
    }
    const refusals = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'access.refused'), eq(auditEvent.userId, w.governor.actor.userId)));
    expect(refusals.length).toBeGreaterThan(0);
  });

  it('hides a complaint about the head from the head: not in the log, not by id, not in counts', async () => {
    const id = await services.complaints.create(
      w.senco.actor,
      formal({ receivedOn: '2026-10-01', aboutUserIds: [w.head.actor.userId], summary: 'About the head' }),
    );
    const before = await services.complaints.overdueCount(w.senco.actor);
    expect(before).toBeGreaterThanOrEqual(1);
    const headLog = await services.complaints.list(w.head.actor);
    expect(headLog.complaints.map((c) => c.id)).not.toContain(id);
    await expect(services.complaints.get(w.head.actor, id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      services.complaints.respond(w.head.actor, id, 1, { response: 'x', respondedOn: TODAY }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const sencoLog = await services.complaints.list(w.senco.actor);
    const headOverdue = await services.complaints.overdueCount(w.head.actor);
    const sencoOverdue = sencoLog.complaints.filter((c) => c.overdue).length;
    expect(headOverdue).toBe(sencoOverdue - 1);
    expect(await services.complaints.ofPupil(w.head.actor, w.pupilK.id)).not.toContainEqual(
      expect.objectContaining({ id }),
    );
  });

  it('has the other leader handle a complaint about the SENCo, and refuses the SENCo as handler', async () => {
    const id = await services.complaints.create(
      w.head.actor,
      formal({ aboutUserIds: [w.senco.actor.userId] }),
    );
    const page = await services.complaints.get(w.head.actor, id);
    expect(page.stages[0]?.handledByName).toBe('Hana Head');
    expect(page.handlers.map((h) => h.name)).not.toContain('Sam Senco');
    const error = await errorOf(
      services.complaints.create(
        w.head.actor,
        formal({ aboutUserIds: [w.senco.actor.userId], handledBy: w.senco.actor.userId }),
      ),
    );
    expect((error as ValidationError).errors[0]?.field).toBe('handledBy');
    await expect(services.complaints.get(w.senco.actor, id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses a complaint about oneself', async () => {
    const error = await errorOf(
      services.complaints.create(w.senco.actor, formal({ aboutUserIds: [w.senco.actor.userId] })),
    );
    expect((error as ValidationError).errors[0]?.field).toBe('aboutUserIds');
  });

  it('gives another school’s complaint as not found, and refuses another school’s pupil', async () => {
    const id = await services.complaints.create(w.otherSenco.actor, formal({ pupilId: w.otherPupil.id }));
    await expect(services.complaints.get(w.senco.actor, id)).rejects.toBeInstanceOf(NotFoundError);
    const error = await errorOf(
      services.complaints.create(w.senco.actor, formal({ pupilId: w.otherPupil.id })),
    );
    expect((error as ValidationError).errors[0]?.field).toBe('pupilId');
  });

  it('changes details at the version shown, and refuses a stale change', async () => {
    const id = await services.complaints.create(w.senco.actor, formal({ kind: 'concern' }));
    await services.complaints.update(w.senco.actor, id, 1, {
      ...formal({ kind: 'concern' }),
      summary: 'Changed',
    });
    await expect(
      services.complaints.update(w.head.actor, id, 1, { ...formal({ kind: 'concern' }), summary: 'Mine' }),
    ).rejects.toBeInstanceOf(ConflictError);
    const changed = (await auditRows('complaint.changed')).find((r) => r.detail?.complaintId === id);
    expect(changed?.detail?.changed).toEqual(['summary']);
  });
});

describe('changing a complaint keeps what it holds', () => {
  const details = (id: string) =>
    services.complaints.get(w.senco.actor, id, { audit: false }).then((p) => ({
      version: p.version,
      input: {
        kind: p.complaint.kind,
        receivedOn: p.complaint.receivedOn,
        complainantName: p.complaint.complainantName,
        complainantRelationship: p.complaint.complainantRelationship,
        pupilId: p.complaint.pupilId,
        summary: p.complaint.summary,
        aboutUserIds: p.complaint.aboutUserIds,
      },
      page: p,
    }));

  it('keeps a person named whom the form cannot show (turned off): saved as rendered, still named, still not found to them', async () => {
    const id = await services.complaints.create(
      w.senco.actor,
      formal({ aboutUserIds: [w.head.actor.userId], summary: 'About the head, who has since left' }),
    );
    await database.db
      .update(appUser)
      .set({ disabledAt: new Date() })
      .where(eq(appUser.id, w.head.actor.userId));
    try {
      const options = await services.complaints.formOptions(w.senco.actor, { audit: false });
      const shown = new Set(options.staff.map((s) => s.userId));
      expect(shown.has(w.head.actor.userId)).toBe(false);
      const { version, input } = await details(id);
      // The form as rendered: only the ids it offered can come back ticked.
      await services.complaints.update(w.senco.actor, id, version, {
        ...input,
        aboutUserIds: input.aboutUserIds.filter((u) => shown.has(u)),
        summary: 'About the head, who has since left (corrected)',
      });
      const [row] = await database.db.select().from(complaint).where(eq(complaint.id, id));
      expect(row?.aboutUserIds).toEqual([w.head.actor.userId]);
    } finally {
      await database.db.update(appUser).set({ disabledAt: null }).where(eq(appUser.id, w.head.actor.userId));
    }
    await expect(services.complaints.get(w.head.actor, id)).rejects.toBeInstanceOf(NotFoundError);
    // One shown and unticked is taken off.
    const withTeacher = await services.complaints.create(
      w.senco.actor,
      formal({ aboutUserIds: [w.teacherA.actor.userId] }),
    );
    const { version, input } = await details(withTeacher);
    await services.complaints.update(w.senco.actor, withTeacher, version, { ...input, aboutUserIds: [] });
    const [row] = await database.db.select().from(complaint).where(eq(complaint.id, withTeacher));
    expect(row?.aboutUserIds).toEqual([]);
  });

  it('refuses naming the current stage’s handler; they must be replaced first', async () => {
    const id = await services.complaints.create(w.head.actor, formal());
    const { version, input, page } = await details(id);
    expect(page.current?.handledByName).toBe('Sam Senco');
    const error = await errorOf(
      services.complaints.update(w.head.actor, id, version, {
        ...input,
        aboutUserIds: [w.senco.actor.userId],
      }),
    );
    expect((error as ValidationError).errors).toEqual([
      { field: 'aboutUserIds', message: 'Sam Senco handles this stage: choose another handler first' },
    ]);
    const [row] = await database.db.select().from(complaint).where(eq(complaint.id, id));
    expect(row?.aboutUserIds).toEqual([]);
  });

  it('drops the unanswered stage of a formal complaint that becomes a concern, and starts it afresh when it becomes formal again', async () => {
    const id = await services.complaints.create(w.senco.actor, formal({ receivedOn: '2026-10-01' }));
    const before = await services.complaints.overdueCount(w.head.actor);
    let { version, input } = await details(id);
    await services.complaints.update(w.senco.actor, id, version, { ...input, kind: 'concern' });
    expect(await services.complaints.overdueCount(w.head.actor)).toBe(before - 1);
    const stagesNow = () =>
      database.db
        .select()
        .from(complaintStage)
        .where(and(eq(complaintStage.schoolId, w.school.id), eq(complaintStage.complaintId, id)));
    expect(await stagesNow()).toHaveLength(0);
    const log = await services.complaints.list(w.senco.actor);
    expect(log.complaints.find((c) => c.id === id)?.overdue).toBe(false);
    ({ version, input } = await details(id));
    await services.complaints.update(w.senco.actor, id, version, {
      ...input,
      kind: 'formal',
      receivedOn: '2026-11-02',
    });
    const stages = await stagesNow();
    expect(stages.map((s) => [s.stage, s.startedOn, s.responseDueOn])).toEqual([
      ['senco', '2026-11-02', '2026-11-23'],
    ]);
    expect((await details(id)).page.complaint).toMatchObject({ kind: 'formal', stage: 'senco' });
  });

  it('records a stage’s response once: a second is refused and the page no longer offers it', async () => {
    const id = await services.complaints.create(w.senco.actor, formal());
    await services.complaints.respond(w.senco.actor, id, 1, { response: 'First answer', respondedOn: TODAY });
    expect((await details(id)).page.actions.respond).toBe(false);
    const error = await errorOf(
      services.complaints.respond(w.senco.actor, id, 2, { response: 'Overwritten', respondedOn: TODAY }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    const [stage] = await database.db.select().from(complaintStage).where(eq(complaintStage.complaintId, id));
    expect(stage?.response).toBe('First answer');
  });

  it('moves an unanswered first stage with the received date, and refuses a received date after an answered stage started', async () => {
    const id = await services.complaints.create(w.senco.actor, formal({ receivedOn: '2026-11-02' }));
    let { version, input } = await details(id);
    await services.complaints.update(w.senco.actor, id, version, { ...input, receivedOn: '2026-11-05' });
    const [moved] = await database.db.select().from(complaintStage).where(eq(complaintStage.complaintId, id));
    expect(moved).toMatchObject({ startedOn: '2026-11-05', responseDueOn: '2026-11-26' });
    ({ version } = await details(id));
    await services.complaints.respond(w.senco.actor, id, version, {
      response: 'Answered',
      respondedOn: '2026-11-06',
    });
    ({ version, input } = await details(id));
    const error = await errorOf(
      services.complaints.update(w.senco.actor, id, version, { ...input, receivedOn: '2026-11-09' }),
    );
    expect((error as ValidationError).errors[0]?.field).toBe('receivedOn');
    const [row] = await database.db.select().from(complaint).where(eq(complaint.id, id));
    expect(row?.receivedOn).toBe('2026-11-05');
  });
});

describe('what the record form sends', () => {
  it('refuses a handler for a concern, names why a handler is unsuitable, and reads upper-case ids', async () => {
    const concern = await errorOf(
      services.complaints.create(w.senco.actor, formal({ kind: 'concern', handledBy: w.head.actor.userId })),
    );
    expect((concern as ValidationError).errors[0]?.field).toBe('handledBy');
    const teacher = await errorOf(
      services.complaints.create(w.senco.actor, formal({ handledBy: w.teacherA.actor.userId })),
    );
    expect((teacher as ValidationError).errors[0]?.message).toMatch(/SENCo, head teacher or SEN governor/);
    const id = await services.complaints.create(
      w.senco.actor,
      formal({ aboutUserIds: [w.teacherA.actor.userId.toUpperCase()] }),
    );
    const [row] = await database.db.select().from(complaint).where(eq(complaint.id, id));
    expect(row?.aboutUserIds).toEqual([w.teacherA.actor.userId]);
    await expect(services.complaints.list(w.teacherA.actor)).rejects.toBeInstanceOf(ForbiddenError);
  });
});
