import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLOOR_PARTS, floorRecord, type Queryable } from '../bench/floor.ts';
import type { Database } from '../src/db/client.ts';
import {
  appUser,
  ctfExport,
  ehcPlanSummary,
  ehcRequest,
  letter,
  pupil,
  pupilAction,
  pupilClassMove,
  school,
  schoolClass,
} from '../src/db/schema/index.ts';
import { insertRecommendationUses } from '../src/repositories/agencies.ts';
import { insertImportChanges } from '../src/repositories/imports.ts';
import { pupilRecord, RECORD_PARTS } from '../src/repositories/pupil-record.ts';
import type { Services } from '../src/services/index.ts';
import {
  buildFinalPlan,
  buildOrganisation,
  buildPlan,
  buildReferral,
  buildReport,
  testServices,
  uuid,
} from './builders/index.ts';
import { freshDatabase } from './db.ts';

/*
 * The bench compares the pupil page with a floor (bench/floor.ts) that fetches the same data with
 * hand-written SQL. That comparison means something only while both fetch the same: here, for every
 * pupil of the demo school (and a few given every kind of record the demo has none of), the floor
 * must return the same JSON as the page's record statement, part by part. A part added to the page
 * without its counterpart in the floor fails the first test.
 */

let database: Database;
let services: Services;
let schoolId: string;
let sencoId: string;
let pupilIds: string[];

beforeAll(async () => {
  database = await freshDatabase();
  services = testServices(database);
  await services.demo.load({ schools: 1 }, 'floor test');
  const db = database.db;
  const [s] = await db.select({ id: school.id }).from(school).limit(1);
  schoolId = s!.id;
  const [senco] = await db
    .select({ id: appUser.id, name: appUser.name })
    .from(appUser)
    .where(eq(appUser.email, 'senco@brookfield.example'));
  sencoId = senco!.id;
  const pupils = await db
    .select({
      id: pupil.id,
      classId: pupil.classId,
      forename: pupil.forename,
      surname: pupil.surname,
      upn: pupil.upn,
    })
    .from(pupil)
    .where(eq(pupil.schoolId, schoolId))
    .orderBy(pupil.id);
  pupilIds = pupils.map((p) => p.id);
  const classes = await db
    .select({ id: schoolClass.id })
    .from(schoolClass)
    .where(eq(schoolClass.schoolId, schoolId));

  // Records the demo school has none of, for a few of its pupils.
  const some = pupils.slice(0, 3);
  for (const [i, p] of some.entries()) {
    await buildPlan(db, {
      schoolId,
      pupilId: p.id,
      targets: ['Read a page aloud', 'Count to 20'].slice(0, i + 1),
    });
    await db.insert(letter).values({
      schoolId,
      id: uuid(),
      pupilId: p.id,
      kind: 'register_placement',
      recipients: 'Parent of the pupil',
      body: 'A letter',
      pupilAsSent: { forename: p.forename, surname: p.surname, className: null },
      sentOn: `2026-10-0${i + 1}`,
      sentVia: 'email',
      sentByName: senco!.name,
      slipExpected: i === 0,
    });
    // A review's decision to request an EHC needs assessment, not yet started (the demo's are all done).
    if (i === 0)
      await db.insert(pupilAction).values({
        schoolId,
        id: uuid(),
        pupilId: p.id,
        kind: 'ehc_request',
        notes: 'Request an EHC needs assessment',
        status: 'open',
        createdByName: senco!.name,
      });
    await db.insert(pupilClassMove).values({
      schoolId,
      id: uuid(),
      pupilId: p.id,
      fromClassId: p.classId,
      toClassId: classes[i]!.id,
      movedOn: '2026-09-01',
      source: 'class_change',
      movedByName: senco!.name,
    });
  }
  await insertImportChanges(db, [
    ...some.map((p) => ({
      schoolId,
      id: uuid(),
      pupilId: p.id,
      importId: null,
      kind: 'updated' as const,
      fields: ['Class', 'Attendance'],
      appliedBy: sencoId,
      appliedByName: senco!.name,
    })),
    {
      schoolId,
      id: uuid(),
      pupilId: some[0]!.id,
      importId: null,
      kind: 'added',
      fields: [],
      appliedBy: null,
      appliedByName: '',
    },
  ]);
  // A request for an EHC needs assessment being written.
  await db.insert(ehcRequest).values({
    schoolId,
    id: uuid(),
    pupilId: some[0]!.id,
    createdBy: sencoId,
    createdByName: senco!.name,
  });
  // An EHC plan issued by the local authority, and a plan from another authority recorded by the school.
  const [organisation] = await db
    .select({ id: school.organisationId })
    .from(school)
    .where(eq(school.id, schoolId));
  await buildFinalPlan(
    db,
    { schoolId, id: some[1]!.id, upn: some[1]!.upn },
    organisation?.id ?? (await buildOrganisation(db)).id,
    { issuedOn: '2026-03-02' },
  );
  await db.insert(ehcPlanSummary).values({
    schoolId,
    id: uuid(),
    pupilId: some[2]!.id,
    localAuthorityName: 'Westshire Council',
    issuedOn: '2025-06-01',
    createdByName: senco!.name,
  });
  // A report with recommendations, one used in a plan and in the provision.
  const referral = await buildReferral(db, { schoolId, id: some[0]!.id });
  const { recommendations } = await buildReport(db, referral);
  await insertRecommendationUses(
    db,
    (['target', 'provision'] as const).map((usedAs) => ({
      schoolId,
      id: uuid(),
      recommendationId: recommendations[0]!.id,
      pupilId: some[0]!.id,
      usedAs,
      usedByName: senco!.name,
    })),
  );
  await db.insert(ctfExport).values({
    schoolId,
    id: uuid(),
    sequence: 1,
    fileName: 'CTF.xml',
    destination: 'Another School',
    pupilIds: some.map((p) => p.id),
    madeByName: senco!.name,
  });
});
afterAll(() => database.close());

const client = () => (database.db as unknown as { $client: Queryable }).$client;

describe('the bench’s floor', () => {
  it('fetches every part of the record the pupil page’s statement fetches', () => {
    expect(Object.keys(FLOOR_PARTS).sort()).toEqual([...RECORD_PARTS].sort());
  });

  it('returns the same data as the page, part by part, for every pupil of a school', async () => {
    const scope = { schoolId, userId: sencoId, roles: ['senco' as const] };
    const filled = new Set<string>();
    const { planName } = await services.settings.values(schoolId);
    for (const pupilId of pupilIds) {
      const page = await pupilRecord(database.db, scope, pupilId, { assignableStaff: true });
      const floor = await floorRecord(client(), schoolId, pupilId);
      expect(page).not.toBeNull();
      expect(floor).not.toBeNull();
      for (const part of RECORD_PARTS) {
        expect({ pupilId, part, data: floor![part] }).toEqual({ pupilId, part, data: page![part] });
        if (page![part].length > 0) filled.add(part);
      }
      expect(floor!.assignableStaff).toEqual(page!.assignableStaff);
      expect(floor!.className).toEqual(page!.className);
      expect(floor!.rolledOverTo).toEqual(page!.rolledOverTo);
      expect(floor!.planName).toEqual(planName);
      expect(floor!.pupil.id).toEqual(page!.pupil.id);
    }
    // The comparison covered every part with data in it (not only empty lists).
    expect([...filled].sort()).toEqual([...RECORD_PARTS].sort());
  });

  it('finds nothing for a pupil of another school', async () => {
    const other = uuid();
    expect(await floorRecord(client(), other, pupilIds[0]!)).toBeNull();
    const rows = await database.db
      .select({ id: pupil.id })
      .from(pupil)
      .where(and(eq(pupil.schoolId, schoolId), inArray(pupil.id, pupilIds.slice(0, 1))));
    expect(rows).toHaveLength(1);
  });
});
