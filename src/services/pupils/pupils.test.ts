import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPupil, buildStaff, setUpWorld, type World } from '../../../test/builders/index.ts';
import type { Database } from '../../db/client.ts';
import { auditEvent, auditEventPupil, pupil } from '../../db/schema/index.ts';
import type { AuditAction } from '../../domain/audit.ts';
import { CONTEXT_FLAGS } from '../../domain/flags.ts';
import { foldForSearch } from '../../domain/search.ts';
import { makeUpn } from '../../domain/upn.ts';
import { activeStaffWithRole } from '../../repositories/staff.ts';
import type { Services } from '../index.ts';
import { audit } from '../kernel/audit.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import type { PupilInput } from './index.ts';

let database: Database;
let services: Services;
let w: World;

beforeAll(async () => {
  ({ database, services, w } = await setUpWorld());
});
afterAll(() => database.close());

const noFlags = Object.fromEntries(CONTEXT_FLAGS.map((f) => [f, false])) as PupilInput['flags'];
const input = (over: Partial<PupilInput> = {}): PupilInput => ({
  upn: makeUpn('999', '2001', 26, Math.floor(Math.random() * 999)),
  forename: 'Nia',
  surname: 'Newcomer',
  preferredName: null,
  dateOfBirth: '2019-04-04',
  sex: 'female',
  classId: w.classA.id,
  ncYearOverride: null,
  admissionDate: null,
  flags: { ...noFlags, eal: true },
  medicalNotes: null,
  attendancePercent: 97.5,
  ...over,
});

async function auditRows(action: AuditAction, pupilId: string) {
  return database.db
    .select()
    .from(auditEvent)
    .where(and(eq(auditEvent.action, action), eq(auditEvent.pupilId, pupilId)));
}

describe('who sees which pupils', () => {
  it('shows a class teacher only the pupils in their classes', async () => {
    const list = await services.pupils.list(w.teacherA.actor, {}, 1);
    expect(list.rows.map((r) => r.surname).sort()).toEqual(['Adebayo', 'Kowalski']);
    await expect(services.pupils.view(w.teacherA.actor, w.pupilE.id)).rejects.toBeInstanceOf(NotFoundError);
    const denied = await auditRows('access.not_found', w.pupilE.id);
    expect(denied.some((r) => r.userId === w.teacherA.actor.userId)).toBe(true);
  });

  it('shows a teaching assistant only the pupils assigned to them', async () => {
    const list = await services.pupils.list(w.ta.actor, {}, 1);
    expect(list.rows.map((r) => r.id)).toEqual([w.pupilE.id]);
    await expect(services.pupils.view(w.ta.actor, w.pupilK.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('shows office staff pupil details but no SEN information', async () => {
    const page = await services.pupils.view(w.office.actor, w.pupilK.id);
    expect(page.actions.viewSen).toBe(false);
    expect(page.pupil.senStage).toBe('none');
    expect(page.pupil.primaryNeed).toBeNull();
    expect(page.history).toEqual([]);
    expect(page.concerns).toEqual([]);
    const list = await services.pupils.list(w.office.actor, { stage: 'sen_support' }, 1);
    expect(list.total).toBe(3); // the SEN filter is ignored for office staff
  });

  it('never shows the SEN governor a named pupil', async () => {
    await expect(services.pupils.list(w.governor.actor, {}, 1)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(services.pupils.view(w.governor.actor, w.pupilA.id)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('answers not found for another school’s pupil, and audits the attempt', async () => {
    await expect(services.pupils.view(w.senco.actor, w.otherPupil.id)).rejects.toBeInstanceOf(NotFoundError);
    // Recorded where the prober's school sees it, and where the pupil's own school sees it.
    const mine = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'access.not_found'), eq(auditEvent.userId, w.senco.actor.userId)));
    expect(mine.at(-1)).toMatchObject({
      schoolId: w.school.id,
      role: 'senco',
      detail: expect.objectContaining({ id: w.otherPupil.id }),
    });
    const theirs = await auditRows('access.probe_from_other_school', w.otherPupil.id);
    expect(theirs).toHaveLength(1);
    expect(theirs[0]).toMatchObject({ schoolId: w.otherSchool.id, userId: w.senco.actor.userId });
    const trail = await services.audit.pupilTrail(w.otherSenco.actor, w.otherPupil.id);
    expect(trail.events.map((e) => e.action)).toContain('access.probe_from_other_school');
  });

  it('audits every view of a pupil record with who, role and request id', async () => {
    await services.pupils.view(w.senco.actor, w.pupilA.id);
    const rows = await auditRows('pupil.viewed', w.pupilA.id);
    expect(rows.at(-1)).toMatchObject({
      userId: w.senco.actor.userId,
      role: 'senco',
      requestId: w.senco.actor.requestId,
    });
  });

  it('writes the view’s audit row with the read, the very row audit() writes, chained in its school', async () => {
    // Two roles, so the roles text is the sorted list: the same as audit() makes of it.
    const actor = { ...w.teacherTa.actor, requestId: `view-${randomUUID()}` };
    await services.pupils.view(actor, w.pupilE.id);
    const byRequest = (requestId: string) =>
      database.db.select().from(auditEvent).where(eq(auditEvent.requestId, requestId));
    const viewed = await byRequest(actor.requestId);
    expect(viewed).toHaveLength(1);
    const other = { ...actor, requestId: `audit-${randomUUID()}` };
    await audit(database.db, other, 'pupil.viewed', { pupilId: w.pupilE.id });
    const written = await byRequest(other.requestId);
    const content = ({
      schoolId,
      userId,
      role,
      action,
      pupilId,
      detail,
    }: typeof auditEvent.$inferSelect) => ({
      schoolId,
      userId,
      role,
      action,
      pupilId,
      detail,
    });
    expect(content(viewed[0]!)).toEqual(content(written[0]!));
    expect(viewed[0]).toMatchObject({
      schoolId: w.school.id,
      userId: w.teacherTa.actor.userId,
      role: 'class_teacher,teaching_assistant',
      action: 'pupil.viewed',
      pupilId: w.pupilE.id,
      detail: null,
    });
    // The chain trigger keyed the row written with the read, as the one written on its own.
    expect(viewed[0]!.hash).toMatch(/^k1:[0-9a-f]{64}$/);
    expect(written[0]!.chainSeq).toBe(viewed[0]!.chainSeq! + 1);
    expect((await services.admin.verifyAudit({ osUser: 'test', requestId: 'r' })).broken).toEqual([]);
  });

  it('writes no view row when the view is refused: not reached, another school’s, or no such pupil', async () => {
    const refused = [
      { actor: w.teacherA.actor, pupilId: w.pupilE.id },
      { actor: w.ta.actor, pupilId: w.pupilK.id },
      { actor: w.senco.actor, pupilId: w.otherPupil.id },
      { actor: w.senco.actor, pupilId: randomUUID() },
    ];
    for (const { actor, pupilId } of refused) {
      const requestId = `refused-${randomUUID()}`;
      await expect(services.pupils.view({ ...actor, requestId }, pupilId)).rejects.toBeInstanceOf(
        NotFoundError,
      );
      const rows = await database.db.select().from(auditEvent).where(eq(auditEvent.requestId, requestId));
      expect(rows.length).toBeGreaterThan(0); // the refusal itself is audited...
      expect(rows.map((r) => r.action)).not.toContain('pupil.viewed'); // ...but no view
    }
  });

  it('brings the teaching assistants for the assign form only to someone who may assign them', async () => {
    const page = await services.pupils.view(w.senco.actor, w.pupilK.id);
    expect(page.actions.assignStaff).toBe(true);
    const assistants = await activeStaffWithRole(database.db, w.school.id, 'teaching_assistant');
    expect(assistants.map((a) => a.name)).toEqual(['Tia Assistant', 'Toni Both']);
    expect(page.assignableStaff).toEqual(assistants);
    const teacher = await services.pupils.view(w.teacherA.actor, w.pupilK.id);
    expect(teacher.actions.assignStaff).toBe(false);
    expect(teacher.assignableStaff).toEqual([]);
  });

  it('records which pupils a list showed, for subject access requests', async () => {
    const list = await services.pupils.list(w.teacherA.actor, {}, 1);
    const rows = await database.db.select().from(auditEvent).where(eq(auditEvent.action, 'pupil.listed'));
    const last = rows.at(-1)!;
    expect(last.userId).toBe(w.teacherA.actor.userId);
    const links = await database.db
      .select()
      .from(auditEventPupil)
      .where(eq(auditEventPupil.eventId, last.id));
    expect(links.map((l) => l.pupilId).sort()).toEqual(list.rows.map((r) => r.id).sort());
    // Found again by pupil, through the index: the list view is in that pupil's trail.
    const trail = await services.audit.pupilTrail(w.senco.actor, w.pupilK.id);
    expect(trail.events.some((e) => e.id === last.id)).toBe(true);
  });

  it('searches by name and by UPN', async () => {
    expect((await services.pupils.list(w.senco.actor, { search: 'kow' }, 1)).rows.map((r) => r.id)).toEqual([
      w.pupilK.id,
    ]);
    expect(
      (await services.pupils.list(w.senco.actor, { search: w.pupilE.upn.toLowerCase() }, 1)).rows.map(
        (r) => r.id,
      ),
    ).toEqual([w.pupilE.id]);
    expect(
      (await services.pupils.list(w.senco.actor, { search: 'Kit Kow' }, 1)).rows.map((r) => r.id),
    ).toEqual([w.pupilK.id]);
    expect((await services.pupils.list(w.senco.actor, { search: '%' }, 1)).total).toBe(0);
  });

  it('filters by year group derived from date of birth', async () => {
    // In 2026/27, a child born 15 January 2018 is in Year 4 (8 on 31 August 2026); 2 March 2017 is Year 5.
    expect(
      (await services.pupils.list(w.senco.actor, { ncYear: 4 }, 1)).rows.map((r) => r.surname),
    ).toContain('Adebayo');
    expect((await services.pupils.list(w.senco.actor, { ncYear: 5 }, 1)).rows.map((r) => r.surname)).toEqual([
      'Evans',
    ]);
    expect((await services.pupils.list(w.senco.actor, { ncYear: 3 }, 1)).total).toBe(0);
  });
});

describe('adding and changing pupils', () => {
  it('adds a pupil with a parent, audited', async () => {
    const id = await services.pupils.create(w.office.actor, input(), {
      name: 'Nadia Newcomer',
      relationship: 'Mother',
      phone: '07700 900123',
      email: null,
      parentalResponsibility: true,
      courtOrder: false,
    });
    const page = await services.pupils.view(w.senco.actor, id);
    expect(page.parents.map((p) => p.name)).toEqual(['Nadia Newcomer']);
    expect(page.pupil.eal).toBe(true);
    expect(await auditRows('pupil.created', id)).toHaveLength(1);
  });

  it('refuses a wrong UPN check letter and a duplicate UPN, saving nothing', async () => {
    const before = await database.db.select({ n: sql<number>`count(*)::int` }).from(pupil);
    const bad = input({ upn: `A${makeUpn('999', '2001', 26, 5).slice(1)}` });
    const wrongLetter =
      bad.upn === makeUpn('999', '2001', 26, 5) ? input({ upn: `B${bad.upn.slice(1)}` }) : bad;
    await expect(services.pupils.create(w.office.actor, wrongLetter, null)).rejects.toMatchObject({
      errors: [{ field: 'upn', message: expect.stringMatching(/check letter/) }],
    });
    await expect(
      services.pupils.create(w.office.actor, input({ upn: w.pupilA.upn }), null),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      services.pupils.create(w.office.actor, input({ dateOfBirth: '2030-01-01' }), null),
    ).rejects.toBeInstanceOf(ValidationError);
    const after = await database.db.select({ n: sql<number>`count(*)::int` }).from(pupil);
    expect(after[0]?.n).toBe(before[0]?.n);
  });

  it('refuses a stale save and keeps the newer change', async () => {
    const found = await services.pupils.forEdit(w.senco.actor, w.pupilA.id);
    const version = found.pupil.version;
    await services.pupils.update(
      w.senco.actor,
      w.pupilA.id,
      version,
      input({ upn: w.pupilA.upn, forename: 'Amara', surname: 'Adebayo', attendancePercent: 91 }),
    );
    await expect(
      services.pupils.update(
        w.office.actor,
        w.pupilA.id,
        version,
        input({ upn: w.pupilA.upn, forename: 'Stale', surname: 'Adebayo' }),
      ),
    ).rejects.toBeInstanceOf(ConflictError);
    const now = await services.pupils.view(w.senco.actor, w.pupilA.id);
    expect(now.pupil.forename).toBe('Amara');
    expect(now.pupil.attendancePercent).toBe(91);
  });

  it('does not let a class teacher add pupils', async () => {
    await expect(services.pupils.create(w.teacherA.actor, input(), null)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });
});

describe('people with more than one role', () => {
  it('a SENCo who also teaches Year 4 sees the whole school', async () => {
    const both = await buildStaff(database.db, ['senco', 'class_teacher'], {
      schoolId: w.school.id,
      classIds: [w.classA.id],
    });
    const list = await services.pupils.list(both.actor, {}, 1);
    expect(list.rows.map((r) => r.surname)).toEqual(expect.arrayContaining(['Adebayo', 'Kowalski', 'Evans']));
    const page = await services.pupils.view(both.actor, w.pupilE.id);
    expect(page.actions.changeRegister).toBe(true);
  });

  it('a class teacher who is also a TA sees their class and their assigned pupils, and nothing else', async () => {
    // Toni teaches Year 5 Ash (Eli) and is the TA for Amara in Year 4 Oak; Kit is in Year 4 Oak too.
    const list = await services.pupils.list(w.teacherTa.actor, {}, 1);
    expect(list.rows.map((r) => r.id).sort()).toEqual([w.pupilA.id, w.pupilE.id].sort());
    const register = await services.register.list(w.teacherTa.actor, {});
    expect(register.rows.map((r) => r.id)).toEqual([w.pupilE.id]);
    await expect(services.pupils.view(w.teacherTa.actor, w.pupilK.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await services.pupils.view(w.teacherTa.actor, w.pupilA.id)).actions.viewSen).toBe(true);
  });
});

describe('two people adding the same pupil at the same moment', () => {
  it('saves one pupil and gives the other a field error, never a server error', async () => {
    const upn = makeUpn('999', '2001', 26, 999);
    const before = await database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(pupil)
      .where(eq(pupil.upn, upn));
    expect(before[0]?.n).toBe(0);
    const results = await Promise.allSettled([
      services.pupils.create(w.office.actor, input({ upn, forename: 'First' }), null),
      services.pupils.create(w.senco.actor, input({ upn, forename: 'Second' }), null),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(ValidationError);
    expect(refused.reason.errors).toEqual([
      { field: 'upn', message: 'A pupil with this UPN already exists in this school' },
    ]);
    const after = await database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(pupil)
      .where(eq(pupil.upn, upn));
    expect(after[0]?.n).toBe(1);
  });
});

describe('finding people', () => {
  it('finds Zoë from Zoe, O’Brien from obrien and o’brien, and either part of a double-barrelled name', async () => {
    const zoe = await buildPupil(database.db, {
      schoolId: w.school.id,
      forename: 'Zoë',
      surname: 'O’Brien-Whitaker',
    });
    const search = async (q: string) =>
      (await services.pupils.list(w.senco.actor, { search: q }, 1)).rows.map((r) => r.id);
    for (const q of [
      'Zoe',
      'zoë',
      'obrien',
      "o'brien",
      'o’brien',
      'whitaker',
      'Whit',
      'obrienwhitaker',
      'zoe obr',
    ]) {
      expect(await search(q), q).toContain(zoe.id);
    }
    expect(await search('zoe kowalski')).not.toContain(zoe.id);
  });

  it('folds names in TypeScript exactly as the database does', async () => {
    const names = [
      'Zoë',
      'O’Brien',
      "D'Arcy-Łukasz",
      'Æthelflæd',
      'Müller  Straße',
      'Ōno',
      'Ş.İ.',
      'de la Cruz',
    ];
    for (const name of names) {
      const rows = (await database.db.execute(sql`select opensend_fold(${name}) as f`)) as unknown as {
        rows: { f: string }[];
      };
      expect(foldForSearch(name), name).toBe(rows.rows[0]?.f);
    }
  });
});

describe('a pupil who has left', () => {
  it('drops out of lists and counts, shows under leavers, and cannot be changed', async () => {
    const leaver = await buildPupil(database.db, {
      schoolId: w.school.id,
      forename: 'Lee',
      surname: 'Leaver',
      stage: 'sen_support',
      primaryNeed: 'MLD',
    });
    const countsBefore = await services.register.counts(w.senco.actor);
    await database.db
      .update(pupil)
      .set({ leftOn: '2026-07-22', destination: 'Hillside Secondary' })
      .where(eq(pupil.id, leaver.id));
    expect((await services.pupils.list(w.senco.actor, { search: 'leaver' }, 1)).rows).toHaveLength(0);
    expect(
      (await services.pupils.list(w.senco.actor, { search: 'leaver', leavers: true }, 1)).rows.map(
        (r) => r.id,
      ),
    ).toEqual([leaver.id]);
    expect((await services.register.list(w.senco.actor, {})).rows.map((r) => r.id)).not.toContain(leaver.id);
    const countsAfter = await services.register.counts(w.senco.actor);
    expect(countsAfter.byStage.sen_support).toBe((countsBefore.byStage.sen_support as number) - 1);
    await expect(
      services.register.changePosition(w.senco.actor, leaver.id, {
        version: 1,
        stage: 'none',
        primaryNeed: null,
        secondaryNeed: null,
        effectiveDate: '2026-07-01',
        reason: 'x',
      }),
    ).rejects.toThrow(/left the school on 22 July 2026/);
  });
});
