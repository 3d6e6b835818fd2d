import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database, Tx } from '../../src/db/client.ts';
import { verifyReport } from '../../src/presenters/audit-verification.ts';
import { chainHeads, insertAuditEvents, shownPupilsDigest } from '../../src/repositories/audit.ts';
import { intact } from '../../src/services/audit/verify.ts';
import type { Services } from '../../src/services/index.ts';
import { buildOfficer, buildWorld, testServices, type World } from '../builders/index.ts';
import { databaseMigratedBefore, freshDatabase } from '../db.ts';

/*
 * One audit chain per owner (docs/adr/0029): a school's entries, an organisation's (an officer's work),
 * and the installation's (entries of neither), each chained and locked on its own. Runs on PGlite, and
 * on PostgreSQL when DATABASE_URL is set (where the locks are tried with two connections at once).
 */

const runner = { osUser: 'tester', requestId: 'audit-owners' };
const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;

let database: Database;
let services: Services;
let w: World;

beforeEach(async () => {
  database = await freshDatabase();
  services = testServices(database);
  w = await buildWorld(database);
});
afterEach(async () => {
  await database?.close();
});

async function chainOf(owner: { schoolId?: string; organisationId?: string }) {
  const where = owner.schoolId
    ? sql`school_id = ${owner.schoolId}`
    : owner.organisationId
      ? sql`organisation_id = ${owner.organisationId}`
      : sql`school_id is null and organisation_id is null`;
  return rowsOf<{ id: string; chain_seq: string; action: string }>(
    await database.db.execute(
      sql`select id::text, chain_seq::text, action from audit_event where ${where} order by chain_seq`,
    ),
  ).map((r) => ({ id: Number(r.id), seq: Number(r.chain_seq), action: r.action }));
}

/** As the database's owner, the append-only triggers off: what someone holding the data could do. */
async function asOwner(work: (tx: Tx) => Promise<void>) {
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('opensend.audit_hmac', '', true)`);
    await tx.execute(sql`alter table audit_event disable trigger user`);
    await work(tx);
    await tx.execute(sql`alter table audit_event enable trigger user`);
  });
}

/** An officer's work: the overview three times, so the organisation's chain has a few entries. */
async function officerWork(actor = w.officer.actor) {
  for (let i = 0; i < 3; i++) await services.organisation.overview(actor);
}

describe('an organisation’s chain', () => {
  it('is its own: numbered from 1, apart from the schools’ and the installation’s, verified, and in a checkpoint', async () => {
    const installationBefore = await chainOf({});
    await services.pupils.view(w.senco.actor, w.pupilK.id);
    await officerWork();
    const other = await buildOfficer(database.db);
    await officerWork(other.actor);
    const mine = await chainOf({ organisationId: w.officer.organisationId });
    expect(mine.map((e) => [e.seq, e.action])).toEqual([
      [1, 'organisation.overview_viewed'],
      [2, 'organisation.overview_viewed'],
      [3, 'organisation.overview_viewed'],
    ]);
    expect((await chainOf({ organisationId: other.organisationId })).map((e) => e.seq)).toEqual([1, 2, 3]);
    // The officers' work is no longer on the installation's chain.
    expect(await chainOf({})).toEqual(installationBefore);

    const result = await services.admin.verifyAudit(runner);
    expect(result.broken).toEqual([]);
    expect(intact(result)).toBe(true);
    const heads = await chainHeads(database.db);
    expect(heads).toContainEqual(
      expect.objectContaining({ schoolId: null, organisationId: w.officer.organisationId, seq: 3 }),
    );
    expect(heads.filter((h) => h.schoolId === null && h.organisationId === null)).toHaveLength(1);
    const { checkpoint } = await services.admin.checkpointAudit(runner);
    expect(checkpoint.chains).toContainEqual(
      expect.objectContaining({ schoolId: null, organisationId: w.officer.organisationId, seq: 3 }),
    );
    await officerWork();
    expect(intact(await services.admin.verifyAudit(runner))).toBe(true);
  });

  it('refuses an entry that names both a school and an organisation', async () => {
    const refused = await insertAuditEvents(database.db, [
      {
        schoolId: w.school.id,
        organisationId: w.officer.organisationId,
        userId: null,
        role: null,
        action: 'audit.verified',
      },
    ]).then(
      () => 'written',
      (e: Error & { cause?: Error }) => `${e.message} ${e.cause?.message ?? ''}`,
    );
    expect(refused).toMatch(/never to both/);
  });
});

describe('an organisation’s entries changed', () => {
  it('an entry changed, or moved to the installation’s chain, is found and the organisation’s chain named', async () => {
    await officerWork();
    const [, second] = await chainOf({ organisationId: w.officer.organisationId });
    if (!second) throw new Error('no second entry');
    await asOwner(async (tx) => {
      await tx.execute(sql`update audit_event set detail = '{"schools": 99}' where id = ${second.id}`);
    });
    const changed = await services.admin.verifyAudit(runner);
    expect(changed.broken).toEqual([
      {
        id: second.id,
        schoolId: null,
        schoolName: null,
        organisationId: w.officer.organisationId,
        organisationName: 'Testshire Council',
        chainSeq: 2,
        reason: 'content',
      },
    ]);
    expect(verifyReport({ ...changed, recorded: changed.mayRecord }).lines).toContain(
      `  Testshire Council (organisation): entry ${second.id} (position 2 in its chain): it was changed, or the chain was rebuilt without the audit key`,
    );

    // Put back, then the entry taken off the organisation (as if the installation's): both chains break.
    await asOwner(async (tx) => {
      await tx.execute(sql`update audit_event set detail = '{"schools": 1}' where id = ${second.id}`);
    });
    expect((await services.admin.verifyAudit(runner)).broken).toEqual([]);
    await asOwner(async (tx) => {
      await tx.execute(sql`update audit_event set organisation_id = null where id = ${second.id}`);
    });
    const moved = await services.admin.verifyAudit(runner);
    expect(moved.broken.map((b) => [b.organisationId, b.reason])).toEqual(
      expect.arrayContaining([[w.officer.organisationId, 'position']]),
    );
    expect(moved.broken.some((b) => b.organisationId === null && b.schoolId === null)).toBe(true);
  });

  it('its newest entries deleted: the checkpoint finds the organisation’s chain shorter', async () => {
    await officerWork();
    const { file } = await services.admin.checkpointAudit(runner);
    const chain = await chainOf({ organisationId: w.officer.organisationId });
    await asOwner(async (tx) => {
      await tx.execute(sql`delete from audit_event where id = ${chain.at(-1)?.id ?? 0}`);
    });
    const result = await services.admin.verifyAudit(runner, { checkpoint: file });
    expect(result.broken).toEqual([]);
    expect(result.checkpointProblems).toEqual([
      {
        schoolId: null,
        schoolName: null,
        organisationId: w.officer.organisationId,
        organisationName: 'Testshire Council',
        kind: 'shorter',
        seq: 3,
        lastSeq: 2,
      },
    ]);
    expect(intact(result)).toBe(false);
  });
});

describe('the locks of the chains', () => {
  it('are one per owner: an organisation’s open transaction holds back its own writers, not another owner’s', async () => {
    const url = process.env.DATABASE_URL;
    if (!url) {
      // PGlite has one connection: nothing is ever written at once. The locks matter on PostgreSQL.
      expect(url).toBeUndefined();
      return;
    }
    const other = await buildOfficer(database.db);
    const entry = (owner: { schoolId?: string; organisationId?: string }) => ({
      schoolId: owner.schoolId ?? null,
      organisationId: owner.organisationId ?? null,
      userId: null,
      role: null,
      action: 'organisation.overview_viewed' as const,
    });
    /** Whether a write finishes within a second (else it is waiting for a lock). */
    const settles = (write: Promise<unknown>) =>
      Promise.race([
        write.then(() => 'written'),
        new Promise<string>((resolve) => setTimeout(() => resolve('waiting'), 1000)),
      ]);
    let sameOwner: Promise<unknown> = Promise.resolve();
    await database.db.transaction(async (tx) => {
      // This transaction holds the organisation's lock until it ends.
      await insertAuditEvents(tx, [entry({ organisationId: w.officer.organisationId })]);
      expect(
        await settles(insertAuditEvents(database.db, [entry({ organisationId: other.organisationId })])),
      ).toBe('written');
      expect(await settles(insertAuditEvents(database.db, [entry({ schoolId: w.school.id })]))).toBe(
        'written',
      );
      expect(await settles(insertAuditEvents(database.db, [entry({})]))).toBe('written');
      sameOwner = insertAuditEvents(database.db, [entry({ organisationId: w.officer.organisationId })]);
      expect(await settles(sameOwner)).toBe('waiting');
    });
    await sameOwner;
    expect((await chainOf({ organisationId: w.officer.organisationId })).map((e) => e.seq)).toEqual([1, 2]);
    expect(intact(await services.admin.verifyAudit(runner))).toBe(true);
  });
});

describe('a trail written before chains were kept per owner', () => {
  it('verifies unchanged after the upgrade, and goes on: officers’ old entries stay on the installation’s chain', async () => {
    const old = await databaseMigratedBefore('records_have_owners');
    try {
      const school = '11111111-1111-4111-8111-111111111111';
      const pupilA = '22222222-2222-4222-8222-222222222222';
      // As the trigger before this upgrade wrote them: a school's, and entries of no school (an officer's too).
      await old.db.execute(sql`
        insert into audit_event (school_id, user_id, role, action, pupil_id, detail, shown_pupils_digest) values
          (null, null, null, 'demo.loaded', null, '{"schools": 1}', null),
          (${school}, null, 'senco', 'pupil.viewed', ${pupilA}, null, null),
          (null, null, 'organisation_officer', 'organisation.overview_viewed', null, '{"schools": 3}', null),
          (${school}, null, 'senco', 'pupil.listed', null, '{"page": 1}', ${shownPupilsDigest([pupilA])})`);
      await old.db.execute(sql`
        insert into audit_event_pupil (school_id, pupil_id, event_id)
        select ${school}, ${pupilA}, id from audit_event where action = 'pupil.listed'`);
      const before = rowsOf<{ id: string; hash: string; chain_seq: string }>(
        await old.db.execute(sql`select id::text, hash, chain_seq::text from audit_event order by id`),
      );
      expect(before.every((r) => r.hash.startsWith('k1:'))).toBe(true);

      await old.migrate();
      const after = rowsOf<{ id: string; hash: string; chain_seq: string }>(
        await old.db.execute(sql`select id::text, hash, chain_seq::text from audit_event order by id`),
      );
      expect(after).toEqual(before);
      const oldServices = testServices(old);
      const verified = await oldServices.admin.verifyAudit(runner);
      expect(verified.broken).toEqual([]);
      expect(intact(verified)).toBe(true);

      // New entries: the school's chain goes on, the installation's goes on from the old entries of no
      // school, and an organisation's starts its own.
      const organisation = await buildOfficer(old.db);
      await oldServices.organisation.overview(organisation.actor);
      await insertAuditEvents(old.db, [
        { schoolId: school, userId: null, role: null, action: 'pupil.viewed', pupilId: pupilA },
      ]);
      const chains = rowsOf<{ school_id: string | null; organisation_id: string | null; seqs: string }>(
        await old.db.execute(sql`
          select school_id::text, organisation_id::text, string_agg(chain_seq::text, ',' order by chain_seq) as seqs
          from audit_event group by school_id, organisation_id order by school_id nulls first, organisation_id nulls first`),
      );
      expect(chains).toEqual([
        // The two old entries of no school, and verify's own entry.
        { school_id: null, organisation_id: null, seqs: '1,2,3' },
        { school_id: null, organisation_id: organisation.organisationId, seqs: '1' },
        { school_id: school, organisation_id: null, seqs: '1,2,3' },
      ]);
      expect(intact(await oldServices.admin.verifyAudit(runner))).toBe(true);
    } finally {
      await old.close();
    }
  });
});
