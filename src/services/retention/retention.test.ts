import { createHash, randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildParent, buildPlan, buildPupil, TODAY, useWorld } from '../../../test/builders/index.ts';
import type { Executor } from '../../db/client.ts';
import { auditEvent, ctfExport, pupil, pupilSearchTerm, retentionReview } from '../../db/schema/index.ts';
import { RECORD_KIND_NAMES } from '../../domain/records.ts';
import { insertStoredFile } from '../../repositories/files.ts';
import { insertRegisterEntries } from '../../repositories/register.ts';
import { pupilRowsOfKind } from '../../repositories/subject-access.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';

const world = useWorld();

/** A leaver of the world's school: left in July 2012, born in 2000 unless told. */
async function leaver(
  db: Executor,
  schoolId: string,
  options: { dateOfBirth?: string; sen?: boolean; leftOn?: string | null } = {},
) {
  const p = await buildPupil(db, {
    schoolId,
    dateOfBirth: options.dateOfBirth ?? '2000-10-05',
    leftOn: options.leftOn === undefined ? '2012-07-20' : options.leftOn,
    forename: 'Lena',
    surname: `Leaver${randomUUID().slice(0, 6)}`,
  });
  if (options.sen)
    await insertRegisterEntries(db, [
      {
        schoolId,
        id: randomUUID(),
        pupilId: p.id,
        effectiveDate: '2009-03-02',
        fromStage: 'none',
        stage: 'sen_support',
        primaryNeed: 'SLCN',
        changeKind: 'added_to_sen_support',
        reason: 'Speech and language assessment',
        decidedByName: 'A former SENCo',
        source: 'register',
      },
      {
        schoolId,
        id: randomUUID(),
        pupilId: p.id,
        effectiveDate: '2011-03-01',
        fromStage: 'sen_support',
        stage: 'none',
        changeKind: 'left_register',
        reason: 'Made good progress',
        decidedByName: 'A former SENCo',
        source: 'register',
      },
    ]);
  return p;
}

async function ctfFor(db: Executor, schoolId: string, pupilIds: string[], destination: string) {
  const id = randomUUID();
  await db.insert(ctfExport).values({
    schoolId,
    id,
    sequence: Math.floor(Math.random() * 900) + 1,
    fileName: `9991234_CTF_${destination}_001.xml`,
    destination: 'Hillside Academy',
    pupilIds,
    madeByName: 'A former office manager',
  });
  return id;
}

describe('the nightly retention review', () => {
  it('lists leavers past the rule once, however often it runs, and never a pupil on roll', async () => {
    const { services, database, w } = world;
    const db = database.db;
    const plain = await leaver(db, w.school.id); // born 2000: past 25 on 2025-10-05
    const senLast = await leaver(db, w.school.id, { sen: true }); // kept to 31 here: 2031
    const senMoved = await leaver(db, w.school.id, { sen: true }); // a CTF took the SEN file on
    await ctfFor(db, w.school.id, [senMoved.id], '8882001');
    const senAbroad = await leaver(db, w.school.id, { sen: true, dateOfBirth: '1994-06-01' }); // CTF to MMM XXXX
    await ctfFor(db, w.school.id, [senAbroad.id], 'MMMXXXX');
    const young = await leaver(db, w.school.id, { dateOfBirth: '2002-01-10' }); // 25 in 2027
    const onRoll = await leaver(db, w.school.id, { dateOfBirth: '1990-01-01', leftOn: null });
    const otherSchools = await leaver(db, w.otherSchool.id);

    await services.retention.review();
    await services.retention.review();
    const listed = await db.select().from(retentionReview).where(eq(retentionReview.schoolId, w.school.id));
    const byPupil = new Map(listed.map((r) => [r.pupilId, r]));
    expect(byPupil.get(plain.id)).toMatchObject({
      basis: 'pupil',
      keptUntil: '2025-10-05',
      status: 'waiting',
      listedOn: TODAY,
    });
    expect(byPupil.get(senMoved.id)).toMatchObject({ basis: 'pupil', keptUntil: '2025-10-05' });
    expect(byPupil.get(senAbroad.id)).toMatchObject({ basis: 'sen', keptUntil: '2025-06-01' });
    for (const p of [senLast, young, onRoll]) expect(byPupil.has(p.id)).toBe(false);
    expect(listed.filter((r) => r.pupilId === plain.id)).toHaveLength(1);
    const theirs = await db
      .select()
      .from(retentionReview)
      .where(eq(retentionReview.pupilId, otherSchools.id));
    expect(theirs).toHaveLength(1);
    // Audited once, with no user (the background job), showing the pupils it listed.
    const runs = await db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.schoolId, w.school.id), eq(auditEvent.action, 'retention.reviewed')));
    expect(runs).toHaveLength(1);
    expect(runs[0]!.userId).toBeNull();
    expect(await services.retention.waiting(w.senco.actor)).toBe(listed.length);

    // Longer years (the school's settings): a pupil no longer past retention comes off the list.
    const { version } = await services.retention.years(w.head.actor);
    await services.retention.saveYears(w.head.actor, version, { pupil: 30, sen: 35 });
    await services.retention.review();
    const after = await db.select().from(retentionReview).where(eq(retentionReview.schoolId, w.school.id));
    expect(after.map((r) => r.pupilId)).not.toContain(plain.id);
    const settings = await services.retention.years(w.head.actor);
    await services.retention.saveYears(w.head.actor, settings.version, { pupil: 25, sen: 31 });
    await services.retention.review();
  });

  it('counts a leaver once on the SEN register as kept to 31 on their page too, though they came off it before leaving', async () => {
    const { services, database, w } = world;
    const p = await leaver(database.db, w.school.id, { sen: true, dateOfBirth: '2001-04-02' });
    const page = await services.pupils.view(w.senco.actor, p.id);
    expect(page.leaver).toMatchObject({ keptUntil: '2032-04-02' });
  });

  it('validates the school’s years and refuses a stale save', async () => {
    const { services, w } = world;
    const { version } = await services.retention.years(w.senco.actor);
    await expect(
      services.retention.saveYears(w.senco.actor, version, { pupil: 12, sen: 31 }),
    ).rejects.toMatchObject({
      errors: [{ field: 'retentionYears', message: expect.stringMatching(/18 to 100/) }],
    });
    await expect(
      services.retention.saveYears(w.senco.actor, version, { pupil: 30, sen: 26 }),
    ).rejects.toMatchObject({
      errors: [{ field: 'senRetentionYears' }],
    });
    await expect(
      services.retention.saveYears(w.senco.actor, version + 5, { pupil: 25, sen: 31 }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      services.retention.saveYears(w.office.actor, version, { pupil: 25, sen: 31 }),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('erasing a record past its retention date', () => {
  it('deletes every record of the pupil found through the registry, their files, and leaves a tombstone; the audit trail still verifies', async () => {
    const { services, database, w } = world;
    const db = database.db;
    const p = await leaver(db, w.school.id, { sen: true, dateOfBirth: '1994-10-05' }); // SEN file kept to 31: 2025
    const classmate = await leaver(db, w.school.id, { dateOfBirth: '2001-06-01', leftOn: '2012-07-20' });
    await buildPlan(db, {
      schoolId: w.school.id,
      pupilId: p.id,
      status: 'closed',
      note: 'Lena read with Ms Dee',
    });
    await buildParent(db, p, { name: 'Lorna Leaver', email: 'lorna@families.example' });
    expect(await db.select().from(pupilSearchTerm).where(eq(pupilSearchTerm.pupilId, p.id))).not.toEqual([]);
    const bytes = Buffer.from('%PDF-1.4 report');
    await insertStoredFile(db, {
      ownerId: w.school.id,
      ownerKind: 'school',
      id: randomUUID(),
      pupilId: p.id,
      name: 'report.pdf',
      contentType: 'application/pdf',
      extension: 'pdf',
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      bytes,
      uploadedByName: 'Sam Senco',
    });
    const sar = await services.subjectAccess.record(w.senco.actor, p.id, {
      requester: 'pupil',
      requesterName: 'Lena herself',
      receivedOn: '2026-11-02',
      notes: null,
    });
    await services.subjectAccess.saveExport(w.senco.actor, sar, 1, Buffer.from('PK zip'));
    const shared = await ctfFor(db, w.school.id, [p.id, classmate.id], 'MMMXXXX');

    await services.retention.review();
    const { waiting } = await services.retention.list(w.senco.actor);
    const review = waiting.find((r) => r.pupilId === p.id)!;
    expect(review).toMatchObject({
      forename: 'Lena',
      dateOfBirth: '1994-10-05',
      leftOn: '2012-07-20',
      basis: 'sen',
    });

    // The confirm step says what goes.
    const shown = await services.retention.get(w.head.actor, review.id);
    expect(shown.goes.map((g) => g.kind)).toEqual(
      expect.arrayContaining([
        'parent',
        'register_entry',
        'plan',
        'target',
        'note',
        'stored_file',
        'subject_access',
      ]),
    );
    expect(shown.files).toBe(2); // the report, and the subject access export
    expect(shown.strippedFrom).toBe(1);

    // A stale version and another role are refused, and change nothing.
    await expect(
      services.retention.erase(w.head.actor, review.id, review.version + 1),
    ).rejects.toBeInstanceOf(ConflictError);
    for (const who of [w.teacherA, w.office, w.ta, w.governor])
      await expect(services.retention.erase(who.actor, review.id, review.version)).rejects.toBeInstanceOf(
        ForbiddenError,
      );
    await expect(
      services.retention.erase(w.otherSenco.actor, review.id, review.version),
    ).rejects.toBeInstanceOf(NotFoundError);

    await services.retention.erase(w.head.actor, review.id, review.version);

    for (const kind of RECORD_KIND_NAMES) {
      if (kind === 'pupil' || kind === 'audit_event') continue;
      expect([kind, await pupilRowsOfKind(db, w.school.id, p.id, kind)]).toEqual([kind, []]);
    }
    const [tomb] = await db
      .select()
      .from(pupil)
      .where(and(eq(pupil.schoolId, w.school.id), eq(pupil.id, p.id)));
    expect(tomb).toMatchObject({
      forename: 'Erased',
      surname: 'record',
      dateOfBirth: '1900-01-01',
      upn: `erased-${p.id}`,
      leftOn: '2012-07-20',
      senStage: 'none',
      primaryNeed: null,
      erasedByName: 'Hana Head',
      erasedBy: w.head.actor.userId,
    });
    expect(tomb!.erasedAt).toBeInstanceOf(Date);
    // Nothing the pupil was is left in their row.
    const text = JSON.stringify(tomb);
    for (const gone of ['Lena', p.surname, '1994-10-05', p.upn]) expect(text).not.toContain(gone);
    const [ctf] = await db.select().from(ctfExport).where(eq(ctfExport.id, shared));
    expect(ctf!.pupilIds).toEqual([classmate.id]);
    expect(await db.select().from(pupilSearchTerm).where(eq(pupilSearchTerm.pupilId, p.id))).toEqual([]);
    // The erasure is audited against the id, without the pupil's name.
    const [erased] = await db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'retention.erased'), eq(auditEvent.pupilId, p.id)));
    expect(erased!.detail).toMatchObject({ reviewId: review.id, rule: 'sen', files: 2 });
    expect(JSON.stringify(erased!.detail)).not.toContain(p.surname);
    // "What happened to this record?" is answered by its id.
    expect(await services.retention.erased(w.senco.actor, p.id)).toMatchObject({
      id: p.id,
      erasedByName: 'Hana Head',
    });
    expect((await services.retention.list(w.senco.actor)).erased.map((e) => e.id)).toContain(p.id);
    // Lists do not show the tombstone, nor does the pupil service.
    const leavers = await services.pupils.list(w.senco.actor, { leavers: true }, 1);
    expect(JSON.stringify(leavers)).not.toContain(p.id);
    await expect(services.pupils.view(w.senco.actor, p.id)).rejects.toBeInstanceOf(NotFoundError);
    // The audit trail still verifies.
    const verified = await services.admin.verifyAudit({ osUser: 'test', requestId: 'r' });
    expect(verified.broken).toEqual([]);
    expect(verified.strayPupilLinks).toBe(0);
    // Erased once: a second try (two people at once) finds it done, and erases nothing more.
    const erasures = async () =>
      (await db.select().from(auditEvent).where(eq(auditEvent.action, 'retention.erased'))).length;
    const before = await erasures();
    expect(await services.retention.erase(w.head.actor, review.id, review.version)).toBe(p.id);
    expect(await erasures()).toBe(before);
    // A review id that was never erased is still not found.
    await expect(services.retention.erase(w.head.actor, randomUUID(), 1)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('keeps a record with a reason and a date to look again, then lists it again on that day', async () => {
    const { services, database, w } = world;
    const p = await leaver(database.db, w.school.id, { dateOfBirth: '2000-01-20' });
    await services.retention.review();
    const review = (await services.retention.list(w.senco.actor)).waiting.find((r) => r.pupilId === p.id)!;
    await expect(
      services.retention.keep(w.senco.actor, review.id, {
        version: review.version,
        reason: 'Legal hold',
        lookAgainOn: TODAY,
      }),
    ).rejects.toBeInstanceOf(ValidationError);
    await services.retention.keep(w.senco.actor, review.id, {
      version: review.version,
      reason: 'Legal hold: a claim against the school',
      lookAgainOn: '2027-03-01',
    });
    await expect(
      services.retention.keep(w.senco.actor, review.id, {
        version: review.version,
        reason: 'x',
        lookAgainOn: '2027-03-01',
      }),
    ).rejects.toBeInstanceOf(ConflictError);
    const { kept, waiting } = await services.retention.list(w.senco.actor);
    expect(waiting.map((r) => r.id)).not.toContain(review.id);
    expect(kept.find((r) => r.id === review.id)).toMatchObject({
      keepReason: 'Legal hold: a claim against the school',
      lookAgainOn: '2027-03-01',
      decidedByName: 'Sam Senco',
    });
    const keptVersion = kept.find((r) => r.id === review.id)!.version;
    await expect(services.retention.erase(w.senco.actor, review.id, keptVersion)).rejects.toBeInstanceOf(
      ValidationError,
    );
    await services.retention.review('2027-02-28');
    expect((await services.retention.list(w.senco.actor)).kept.map((r) => r.id)).toContain(review.id);
    await services.retention.review('2027-03-01');
    expect((await services.retention.list(w.senco.actor)).waiting.map((r) => r.id)).toContain(review.id);
  });

  it('refuses a record no longer past retention (the years changed since it was listed)', async () => {
    const { services, database, w } = world;
    const p = await leaver(database.db, w.school.id, { dateOfBirth: '2000-02-20' });
    await services.retention.review();
    const review = (await services.retention.list(w.senco.actor)).waiting.find((r) => r.pupilId === p.id)!;
    const { version } = await services.retention.years(w.senco.actor);
    await services.retention.saveYears(w.senco.actor, version, { pupil: 40, sen: 40 });
    await expect(services.retention.erase(w.senco.actor, review.id, review.version)).rejects.toThrow(
      /no longer past its retention date/,
    );
    await services.retention.saveYears(w.senco.actor, version + 1, { pupil: 25, sen: 31 });
    const [still] = await database.db.select().from(pupil).where(eq(pupil.id, p.id));
    expect(still!.erasedAt).toBeNull();
  });
});
