import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  buildOfficer,
  buildPupil,
  buildSchool,
  buildStaff,
  TODAY,
  useWorld,
} from '../../test/builders/index.ts';
import { auditEvent, organisationCase, pupil, pupilImport } from '../db/schema/index.ts';
import { ForbiddenError, NotFoundError, ValidationError } from './kernel/errors.ts';
import { organisationUnitOfWork } from './kernel/unit-of-work.ts';

const t = useWorld();

/** The organisation's chain, oldest first. */
const chainOf = async (organisationId: string) =>
  t.database.db
    .select({
      seq: auditEvent.chainSeq,
      action: auditEvent.action,
      schoolId: auditEvent.schoolId,
      detail: auditEvent.detail,
    })
    .from(auditEvent)
    .where(eq(auditEvent.organisationId, organisationId))
    .orderBy(auditEvent.chainSeq);

describe('an officer’s work, in the organisation’s unit of work', () => {
  it('audits the overview on the organisation’s own chain, not the installation’s', async () => {
    const { services, w } = t;
    const before = await chainOf(w.officer.organisationId);
    await services.organisation.overview(w.officer.actor);
    const chain = await chainOf(w.officer.organisationId);
    expect(chain.slice(before.length)).toMatchObject([
      { seq: before.length + 1, action: 'organisation.overview_viewed', schoolId: null },
    ]);
    const seqs = chain.map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    await expect(services.organisation.overview(w.senco.actor)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('writes the change and its audit rows together, or neither', async () => {
    const { database, w } = t;
    const officer = w.officer.actor as typeof w.officer.actor & { organisationId: string };
    const before = await chainOf(w.officer.organisationId);
    const pupilId = w.pupilA.id;
    await expect(
      organisationUnitOfWork(database.db, officer, async (u) => {
        await u.tx.insert(organisationCase).values({
          organisationId: officer.organisationId,
          id: crypto.randomUUID(),
          schoolId: w.school.id,
          pupilId,
          upn: w.pupilA.upn,
          kind: 'ehc_needs_assessment',
          openedOn: TODAY,
        });
        u.audit('case.opened', { pupilId });
        throw new Error('something went wrong after the change');
      }),
    ).rejects.toThrow(/went wrong/);
    expect(await chainOf(w.officer.organisationId)).toHaveLength(before.length);
    const cases = await database.db
      .select()
      .from(organisationCase)
      .where(eq(organisationCase.pupilId, pupilId));
    expect(cases).toEqual([]);
  });
});

describe('an organisation’s case about a child', () => {
  it('is opened about a pupil of one of its schools, on its chain; a pupil elsewhere, or bad input, opens nothing', async () => {
    const { services, w, database } = t;
    const { caseId } = await services.organisation.openCase(w.officer.actor, {
      schoolId: w.school.id,
      pupilId: w.pupilE.id,
      kind: 'ehc_needs_assessment',
      openedOn: TODAY,
    });
    const [row] = await database.db.select().from(organisationCase).where(eq(organisationCase.id, caseId));
    expect(row).toMatchObject({
      organisationId: w.officer.organisationId,
      schoolId: w.school.id,
      pupilId: w.pupilE.id,
      upn: w.pupilE.upn,
      kind: 'ehc_needs_assessment',
      openedOn: TODAY,
      closedOn: null,
      version: 1,
    });
    expect((await chainOf(w.officer.organisationId)).at(-1)).toMatchObject({
      action: 'case.opened',
      schoolId: null,
      detail: { caseId, kind: 'ehc_needs_assessment', schoolId: w.school.id },
    });

    const count = async () => (await database.db.select().from(organisationCase)).length;
    const before = await count();
    // A school outside the organisation: not found (and the probe is recorded where that school sees it).
    await expect(
      services.organisation.openCase(w.officer.actor, {
        schoolId: w.otherSchool.id,
        pupilId: w.otherPupil.id,
        kind: 'ehc_needs_assessment',
        openedOn: TODAY,
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const probes = await database.db
      .select()
      .from(auditEvent)
      .where(
        and(
          eq(auditEvent.schoolId, w.otherSchool.id),
          eq(auditEvent.action, 'access.probe_from_other_school'),
        ),
      );
    expect(probes.map((p) => p.pupilId)).toContain(w.otherPupil.id);
    await expect(
      services.organisation.openCase(w.officer.actor, {
        schoolId: w.school.id,
        pupilId: w.pupilE.id,
        kind: 'plan; drop table pupil',
        openedOn: '2026-02-30',
      }),
    ).rejects.toMatchObject({
      errors: [
        {
          field: 'kind',
          message: 'Choose what the case is: EHC needs assessment, High-needs top-up funding',
        },
        { field: 'openedOn', message: 'Enter the date the case was opened as a real date' },
      ],
    });
    await expect(
      services.organisation.openCase(w.officer.actor, {
        schoolId: w.school.id,
        pupilId: w.pupilE.id,
        kind: 'ehc_needs_assessment',
        openedOn: '2099-01-01',
      }),
    ).rejects.toBeInstanceOf(ValidationError);
    // Staff cannot open one.
    await expect(
      services.organisation.openCase(w.senco.actor, {
        schoolId: w.school.id,
        pupilId: w.pupilE.id,
        kind: 'ehc_needs_assessment',
        openedOn: TODAY,
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(await count()).toBe(before);

    // Ids that cannot be ids name nothing.
    await expect(
      services.organisation.openCase(w.officer.actor, {
        schoolId: w.school.id,
        pupilId: "x' or 1=1 --",
        kind: 'ehc_needs_assessment',
        openedOn: TODAY,
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(services.organisation.caseOf(w.officer.actor, '12abc')).rejects.toBeInstanceOf(
      NotFoundError,
    );
    // Another organisation's officer does not find it.
    const stranger = await buildOfficer(database.db);
    await expect(services.organisation.caseOf(stranger.actor, caseId)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('follows the child moved to another of the organisation’s schools by a Common Transfer File, and stays with the school it named when they leave the area', async () => {
    const { services, w, database } = t;
    const db = database.db;
    const hillside = await buildSchool(db, {
      organisationId: w.officer.organisationId,
      name: 'Hillside Secondary',
    });
    const hillsideSenco = await buildStaff(db, 'senco', { schoolId: hillside.id, name: 'Hal Senco' });
    const child = await buildPupil(db, {
      schoolId: w.school.id,
      forename: 'Mo',
      surname: 'Mover',
      dateOfBirth: '2015-10-10',
      admissionDate: '2019-09-04',
    });
    const { caseId } = await services.organisation.openCase(w.officer.actor, {
      schoolId: w.school.id,
      pupilId: child.id,
      kind: 'ehc_needs_assessment',
      openedOn: '2026-11-02',
    });
    expect((await services.organisation.caseOf(w.officer.actor, caseId)).pupil).toEqual({
      schoolId: w.school.id,
      id: child.id,
      upn: child.upn,
      moved: false,
    });

    // Oakfield records the leaving and makes the file; Hillside takes it in: a new pupil row there.
    await services.transfers.recordLeaving(w.senco.actor, child.id, {
      version: 1,
      leftOn: '2026-11-13',
      destination: 'Hillside Secondary',
      destinationUrn: hillside.urn,
    });
    const made = await services.transfers.produceCtf(w.senco.actor, {
      pupilIds: [child.id],
      destination: null,
    });
    const file = await services.transfers.downloadCtf(w.senco.actor, made.exportId);
    const importId = await services.transfers.previewCtf(hillsideSenco.actor, {
      fileName: file.fileName,
      data: Buffer.from(file.xml),
    });
    const [upload] = await db.select().from(pupilImport).where(eq(pupilImport.id, importId));
    await services.transfers.applyCtf(hillsideSenco.actor, importId, {
      version: upload!.version,
      historyFor: [],
    });
    const [arrived] = await db
      .select()
      .from(pupil)
      .where(and(eq(pupil.schoolId, hillside.id), eq(pupil.upn, child.upn)));
    expect(arrived?.id).toBeDefined();
    expect(arrived?.id).not.toBe(child.id);

    // The case is the organisation's: unchanged, it finds the child at Hillside by their UPN.
    const found = await services.organisation.caseOf(w.officer.actor, caseId);
    expect(found.case).toMatchObject({
      schoolId: w.school.id,
      pupilId: child.id,
      upn: child.upn,
      version: 1,
    });
    expect(found.pupil).toEqual({ schoolId: hillside.id, id: arrived!.id, upn: child.upn, moved: true });
    expect((await chainOf(w.officer.organisationId)).at(-1)).toMatchObject({
      action: 'case.viewed',
      detail: { caseId, schoolId: hillside.id },
    });

    // Out of the area (on roll at no school of the organisation): the row it was opened about.
    await services.transfers.recordLeaving(hillsideSenco.actor, arrived!.id, {
      version: arrived!.version,
      leftOn: TODAY,
      destination: 'A school in Wales',
      destinationUrn: null,
    });
    expect((await services.organisation.caseOf(w.officer.actor, caseId)).pupil).toEqual({
      schoolId: w.school.id,
      id: child.id,
      upn: child.upn,
      moved: false,
    });
    const rows = await db.execute(sql`select count(*)::int as n from organisation_case where id = ${caseId}`);
    expect((rows as unknown as { rows: { n: number }[] }).rows[0]?.n).toBe(1);
  });
});
