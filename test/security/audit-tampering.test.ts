import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditKeySetting } from '../../src/db/audit-key.ts';
import { expectedDatabaseObjects, triggerType } from '../../src/db/audit-trigger.ts';
import type { Database, Tx } from '../../src/db/client.ts';
import { databaseSafeguards } from '../../src/repositories/audit.ts';
import { intact } from '../../src/services/audit/verify.ts';
import type { Services } from '../../src/services/index.ts';
import { buildWorld, TODAY, testServices, type World } from '../builders/index.ts';
import { databaseMigratedBefore, freshDatabase } from '../db.ts';
import { TEST_AUDIT_KEY } from '../template.ts';

/*
 * The audit trail changed directly in the database by its owner (on PGlite, anyone holding the data
 * directory), the ways a hostile tester did: the newest entries of a school deleted; a row changed and
 * the chain rebuilt with the database's own digest function; a pupil of a list entry deleted. Each is
 * done for real, as SQL by the owner (triggers turned off and on again), without OpenSEND's audit key
 * on the connection, and `opensend audit verify` (the admin service it calls) must find it. Runs on
 * PGlite, and on PostgreSQL when DATABASE_URL is set.
 */

const runner = { osUser: 'tester', requestId: 'audit-tampering' };

let database: Database;
let services: Services;
let w: World;

/** Some of everything that writes to the trail: pupil pages, lists of pupils, a concern, refusals. */
async function activity() {
  await services.pupils.view(w.senco.actor, w.pupilK.id);
  await services.pupils.view(w.teacherA.actor, w.pupilA.id);
  await services.pupils.find(w.teacherA.actor, 'Kowalski');
  await services.pupils.list(w.senco.actor, {}, 1);
  await services.concerns.raise(w.teacherA.actor, w.pupilA.id, {
    kind: 'send',
    concernDate: TODAY,
    reasons: 'Finds reading hard',
    classroomEvidence: 'Reading age two years behind',
    areasOfNeed: ['cognition_and_learning'],
    interventionsTried: [],
  });
  await services.concerns.forReview(w.senco.actor);
  await services.pupils.view(w.otherSenco.actor, w.otherPupil.id);
}

/**
 * Statements run as the database's owner would, in one transaction, on a connection without OpenSEND's
 * audit key (or with a key of their own choosing).
 */
async function asOwner(work: (tx: Tx) => Promise<void>, ownKey = '') {
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('opensend.audit_hmac', ${ownKey}, true)`);
    await work(tx);
  });
}
const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;

/** The database's own words when a statement fails (the driver wraps them in its own error). */
async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    const e = error as Error & { cause?: Error };
    return `${e.message}\n${e.cause?.message ?? ''}`;
  }
  return 'nothing was refused';
}

/** A school's chain, oldest first. */
async function chainOf(schoolId: string) {
  return rowsOf<{ id: string; chain_seq: string; action: string }>(
    await database.db.execute(
      sql`select e.id::text, e.chain_seq::text, e.action from audit_event e where e.school_id = ${schoolId} order by e.chain_seq`,
    ),
  ).map((r) => ({ id: Number(r.id), seq: Number(r.chain_seq), action: r.action }));
}

/** Delete entries (and the pupils they showed) as the owner: the append-only triggers turned off first. */
async function deleteEntries(tx: Tx, ids: number[]) {
  const list = sql.raw(ids.map(Number).join(',') || 'null');
  await tx.execute(sql`alter table audit_event_pupil disable trigger user`);
  await tx.execute(sql`alter table audit_event disable trigger user`);
  await tx.execute(sql`delete from audit_event_pupil where event_id in (${list})`);
  await tx.execute(sql`delete from audit_event where id in (${list})`);
  await tx.execute(sql`alter table audit_event enable trigger user`);
  await tx.execute(sql`alter table audit_event_pupil enable trigger user`);
}

const verify = (checkpoint?: string) => services.admin.verifyAudit(runner, { checkpoint });

beforeEach(async () => {
  database = await freshDatabase();
  services = testServices(database);
  w = await buildWorld(database);
  await activity();
});
afterEach(async () => {
  await database?.close();
});

describe('an untampered trail', () => {
  it('verifies, with every safeguard in place, and keeps verifying against an older checkpoint as it grows', async () => {
    const first = await verify();
    expect(first).toMatchObject({ broken: [], strayPupilLinks: 0, safeguards: [], checkpoint: null });
    expect(intact(first)).toBe(true);
    expect(first.total).toBeGreaterThan(5);
    const { file } = await services.admin.checkpointAudit(runner);
    await activity();
    const again = await verify();
    expect(again.checkpoint?.file).toBe(file);
    expect(again.checkpointProblems).toEqual([]);
    expect(intact(again)).toBe(true);
  });

  it('stays one unbroken chain per school when many requests write to it at once (pupil pages and lists)', async () => {
    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        i % 3 === 0
          ? services.pupils.find(w.teacherA.actor, 'Kowalski')
          : services.pupils.view(i % 2 ? w.senco.actor : w.head.actor, i % 2 ? w.pupilK.id : w.pupilE.id),
      ),
    );
    const result = await verify();
    expect(result.broken).toEqual([]);
    expect(intact(result)).toBe(true);
    const seqs = (await chainOf(w.school.id)).map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  });

  it('keys every entry: the link is the HMAC-SHA256 of its message under the key, as Node computes it', async () => {
    const row = rowsOf<{ hash: string; message: string }>(
      await database.db.execute(sql`
        select e.hash, json_build_array(
          coalesce(lag(e.hash) over (order by e.chain_seq), ''), e.chain_seq, e.id, e.school_id,
          (extract(epoch from e.occurred_at) * 1000000)::bigint, e.user_id, e.role, e.action, e.pupil_id,
          e.request_id, e.shown_pupils_digest, e.detail)::text as message
        from audit_event e where e.school_id = ${w.school.id} order by e.chain_seq desc limit 1`),
    )[0];
    const { createHmac } = await import('node:crypto');
    const { auditChainKey } = await import('../../src/db/audit-key.ts');
    expect(row?.hash).toBe(
      `k1:${createHmac('sha256', auditChainKey(TEST_AUDIT_KEY))
        .update(row?.message ?? '')
        .digest('hex')}`,
    );
  });
});

describe('what verify expects to find in the database', () => {
  it('is what the migrations make: every trigger and function of a migrated database, and nothing else', async () => {
    const found = await databaseSafeguards(database.db);
    const expected = expectedDatabaseObjects();
    const byName = (a: { table: string; name: string }, b: { table: string; name: string }) =>
      a.table === b.table ? (a.name < b.name ? -1 : 1) : a.table < b.table ? -1 : 1;
    expect(
      [...found.triggers].sort(byName).map((t) => ({
        table: t.table,
        name: t.name,
        type: t.type,
        function: t.function,
        oldTable: t.oldTable,
        newTable: t.newTable,
      })),
    ).toEqual(
      expected.triggers.map((t) => ({
        table: t.table,
        name: t.name,
        type: triggerType(t),
        function: t.function,
        oldTable: t.oldTable,
        newTable: t.newTable,
      })),
    );
    expect(found.triggers.every((t) => t.schema === found.schema && t.enabled === 'O')).toBe(true);
    expect(found.functions.map((f) => [f.name, f.digest, f.language])).toEqual(
      expected.functions.map((f) => [f.name, f.digest, f.language]),
    );
    expect(expected.triggers.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        'audit_event_chain',
        'audit_event_no_truncate',
        'audit_event_no_update_or_delete',
        'audit_event_pupil_no_truncate',
        'audit_event_pupil_no_update_or_delete',
        'pupil_search_terms_on_insert',
        'pupil_search_terms_on_update',
      ]),
    );
    expect([found.rules, found.eventTriggers, found.policies, found.settingReaders]).toEqual([
      [],
      [],
      [],
      [],
    ]);
  });
});

describe('the newest entries of a school deleted', () => {
  it('is found by the checkpoint: a chain shorter than it saw, or gone (and, as the README says, not without one)', async () => {
    const { file } = await services.admin.checkpointAudit(runner);
    const before = await chainOf(w.school.id);
    const otherBefore = await chainOf(w.otherSchool.id);
    // Entries written after the checkpoint, then deleted: nothing can tell (the README says so).
    await activity();
    const grown = await chainOf(w.school.id);
    await asOwner((tx) =>
      deleteEntries(
        tx,
        grown.slice(before.length).map((e) => e.id),
      ),
    );
    const unseen = await verify(file);
    expect(unseen, JSON.stringify(unseen)).toMatchObject({ broken: [], checkpointProblems: [] });
    expect(intact(unseen)).toBe(true);

    // Entries the checkpoint saw: the chain's links still follow, but it is shorter than the checkpoint saw.
    await asOwner((tx) =>
      deleteEntries(
        tx,
        before.slice(-3).map((e) => e.id),
      ),
    );
    const alone = await verify(undefined);
    expect(alone.broken).toEqual([]);
    const checked = await verify(file);
    expect(checked.broken).toEqual([]);
    expect(checked.checkpointProblems).toEqual([
      {
        schoolId: w.school.id,
        schoolName: 'Oakfield Primary',
        organisationId: null,
        organisationName: null,
        kind: 'shorter',
        seq: before.at(-1)?.seq,
        lastSeq: before.length - 3,
      },
    ]);
    expect(intact(checked)).toBe(false);

    // A whole school's trail deleted: its chain is gone.
    const other = await chainOf(w.otherSchool.id);
    await asOwner((tx) =>
      deleteEntries(
        tx,
        other.map((e) => e.id),
      ),
    );
    expect((await verify(file)).checkpointProblems).toContainEqual({
      schoolId: w.otherSchool.id,
      schoolName: 'Elsewhere Primary',
      organisationId: null,
      organisationName: null,
      kind: 'shorter',
      seq: otherBefore.at(-1)?.seq,
      lastSeq: 0,
    });
  });

  it('the newest checkpoint in the directory is used without being named; a changed one is refused', async () => {
    const { file } = await services.admin.checkpointAudit(runner);
    const before = await chainOf(w.school.id);
    await asOwner((tx) => deleteEntries(tx, [before.at(-1)?.id ?? 0]));
    const found = await verify();
    expect(found.checkpoint?.file).toBe(file);
    expect(found.checkpointProblems.map((p) => p.kind)).toEqual(['shorter']);
    // Editing the checkpoint to match the shorter chain breaks its signature.
    const text = readFileSync(file, 'utf8').replace(
      `"seq": ${before.at(-1)?.seq},`,
      `"seq": ${before.at(-2)?.seq},`,
    );
    writeFileSync(file, text);
    const refused = await verify(file);
    expect(refused.checkpointRefused?.reason).toMatch(/signature does not match/);
    expect(intact(refused)).toBe(false);
  });
});

describe('checkpoints in the directory', () => {
  it('are taken newest by when they were taken, not by their names: one written there under a name of its own counts', async () => {
    const hourly = await services.admin.checkpointAudit(runner);
    await activity();
    const named = path.join(services.auditCheckpoints.directory, 'before-the-inspection.json');
    await services.admin.checkpointAudit(runner, named);
    // Something that is not a checkpoint is left alone.
    writeFileSync(path.join(services.auditCheckpoints.directory, 'notes.json'), '{"takenAt": "2099-01-01"}');
    const newest = await chainOf(w.school.id);
    await asOwner((tx) => deleteEntries(tx, [newest.at(-1)?.id ?? 0]));
    const found = await verify();
    expect(found.checkpoint?.file).toBe(named);
    expect(found.checkpointProblems.map((p) => [p.schoolId, p.kind])).toEqual([[w.school.id, 'shorter']]);
    expect(hourly.file).not.toBe(named);
  });
});

describe('a row changed and the chain rebuilt', () => {
  it('with the database’s own audit_event_digest(): found, though every old-style link follows', async () => {
    const chain = await chainOf(w.school.id);
    // Not the first entry: its predecessor keeps its keyed link.
    const victim = chain.filter((e) => e.action === 'pupil.viewed')[1];
    if (!victim) throw new Error('no second pupil.viewed entry');
    await asOwner(async (tx) => {
      await tx.execute(sql`alter table audit_event disable trigger user`);
      await tx.execute(sql`update audit_event set user_id = ${w.head.actor.userId} where id = ${victim.id}`);
      // Recompute every link from the changed row on, in order, with the database's own function.
      await tx.execute(
        sql.raw(`do $$
          declare r audit_event; prev text;
          begin
            select hash into prev from audit_event
              where school_id = '${w.school.id}' and chain_seq = ${victim.seq - 1};
            for r in select * from audit_event where school_id = '${w.school.id}' and chain_seq >= ${victim.seq}
              order by chain_seq loop
              prev := audit_event_digest(prev, r.chain_seq, r);
              update audit_event set hash = prev where id = r.id;
            end loop;
          end $$`),
      );
      await tx.execute(sql`alter table audit_event enable trigger user`);
    });
    const { broken } = await verify();
    expect(broken).toEqual([
      expect.objectContaining({
        id: victim.id,
        schoolId: w.school.id,
        chainSeq: victim.seq,
        reason: 'unkeyed',
      }),
    ]);

    // The whole chain rebuilt that way, from its first entry: it ends in unkeyed entries.
    await asOwner(async (tx) => {
      await tx.execute(sql`alter table audit_event disable trigger user`);
      await tx.execute(
        sql.raw(`do $$
          declare r audit_event; prev text;
          begin
            for r in select * from audit_event where school_id = '${w.school.id}' order by chain_seq loop
              prev := audit_event_digest(prev, r.chain_seq, r);
              update audit_event set hash = prev where id = r.id;
            end loop;
          end $$`),
      );
      await tx.execute(sql`alter table audit_event enable trigger user`);
    });
    expect((await verify()).broken).toEqual([
      expect.objectContaining({ schoolId: w.school.id, chainSeq: chain.at(-1)?.seq, reason: 'unsealed' }),
    ]);
  });

  it('through the chain trigger itself: refused without the key, and found when done with a key of one’s own', async () => {
    const chain = await chainOf(w.school.id);
    const victim = chain.find((e) => e.action === 'pupil.viewed');
    if (!victim) throw new Error('no pupil.viewed entry');
    // Delete the entries from the victim on and insert them again, changed, so the trigger chains them.
    const rechain = async (tx: Tx) => {
      await tx.execute(sql`
        create temporary table gone on commit drop as
        select * from audit_event where school_id = ${w.school.id} and chain_seq >= ${victim.seq}`);
      await tx.execute(sql`delete from audit_event where id in (select id from gone)`);
      await tx.execute(sql`
        insert into audit_event (id, occurred_at, school_id, user_id, role, action, pupil_id, request_id, detail, shown_pupils_digest)
        select id, occurred_at, school_id, case when id = ${victim.id} then ${w.head.actor.userId}::uuid else user_id end,
          role, action, pupil_id, request_id, detail, shown_pupils_digest
        from gone order by chain_seq`);
    };
    const prepare = async (tx: Tx) => {
      await tx.execute(sql`alter table audit_event_pupil disable trigger user`);
      await tx.execute(sql`alter table audit_event disable trigger audit_event_no_update_or_delete`);
      await tx.execute(
        sql`alter table audit_event_pupil drop constraint audit_event_pupil_event_id_audit_event_id_fk`,
      );
    };
    expect(
      await refusal(
        asOwner(async (tx) => {
          await prepare(tx);
          await rechain(tx);
        }),
      ),
    ).toMatch(/audit key is not set on this connection/);
    expect(intact(await verify())).toBe(true);

    const ownKey = auditKeySetting('a key the owner made up, not the school’s');
    await asOwner(async (tx) => {
      await prepare(tx);
      await rechain(tx);
      await tx.execute(sql`alter table audit_event enable trigger audit_event_no_update_or_delete`);
      await tx.execute(sql`alter table audit_event_pupil enable trigger user`);
    }, ownKey);
    expect((await verify()).broken).toEqual([
      expect.objectContaining({ id: victim.id, chainSeq: victim.seq, reason: 'content' }),
    ]);
  });
});

describe('the pupils of an entry changed', () => {
  async function listEntry() {
    return rowsOf<{ event_id: string; pupil_id: string; school_id: string }>(
      await database.db.execute(sql`
        select p.event_id::text, p.pupil_id::text, p.school_id::text from audit_event_pupil p
        join audit_event e on e.id = p.event_id
        where e.action = 'pupil.found_for_concern' order by p.event_id limit 1`),
    )[0];
  }
  const asPupils = async (statement: ReturnType<typeof sql>) =>
    asOwner(async (tx) => {
      await tx.execute(sql`alter table audit_event_pupil disable trigger user`);
      await tx.execute(statement);
      await tx.execute(sql`alter table audit_event_pupil enable trigger user`);
    });

  it('a pupil deleted from a list entry is found', async () => {
    const link = await listEntry();
    if (!link) throw new Error('no list entry with pupils');
    await asPupils(
      sql`delete from audit_event_pupil where event_id = ${Number(link.event_id)} and pupil_id = ${link.pupil_id}`,
    );
    expect((await verify()).broken).toEqual([
      expect.objectContaining({ id: Number(link.event_id), schoolId: w.school.id, reason: 'pupils' }),
    ]);
  });

  it('a pupil added to a list entry, or moved to another school, is found', async () => {
    const link = await listEntry();
    if (!link) throw new Error('no list entry with pupils');
    await asPupils(
      sql`insert into audit_event_pupil (school_id, pupil_id, event_id) values (${w.school.id}, ${w.pupilE.id}, ${Number(link.event_id)})`,
    );
    expect((await verify()).broken).toEqual([
      expect.objectContaining({ id: Number(link.event_id), reason: 'pupils' }),
    ]);
    await asPupils(
      sql`update audit_event_pupil set school_id = ${w.otherSchool.id} where event_id = ${Number(link.event_id)} and pupil_id = ${w.pupilE.id}`,
    );
    const moved = await verify();
    expect(moved.broken).toEqual([]);
    expect(moved.strayPupilLinks).toBe(1);
    expect(intact(moved)).toBe(false);
  });
});

describe('the safeguards in the database', () => {
  it('a trigger of the trail left turned off, or the chain function replaced, is found', async () => {
    await asOwner(async (tx) => {
      await tx.execute(sql`alter table audit_event disable trigger audit_event_no_update_or_delete`);
    });
    expect((await verify()).safeguards).toEqual([
      'The trigger audit_event_no_update_or_delete on audit_event is turned off',
    ]);
    await asOwner(async (tx) => {
      await tx.execute(sql`alter table audit_event enable trigger audit_event_no_update_or_delete`);
      // A chain function that keeps a copy of the key it is given.
      const source = rowsOf<{ src: string }>(
        await tx.execute(sql`select prosrc as src from pg_proc where proname = 'audit_event_chain'`),
      )[0]?.src;
      await tx.execute(sql`create table stolen (pads text)`);
      await tx.execute(
        sql.raw(
          `create or replace function audit_event_chain() returns trigger language plpgsql as $fn$${(
            source ?? ''
          ).replace(
            'BEGIN',
            "BEGIN\n  INSERT INTO stolen VALUES (current_setting('opensend.audit_hmac', true));",
          )}$fn$`,
        ),
      );
    });
    expect((await verify()).safeguards).toEqual([
      expect.stringContaining(
        'The function that chains the trail (audit_event_chain) is not the one OpenSEND installed',
      ),
    ]);
  });
});

describe('the safeguards got round by the owner, to copy the audit key or let the trail be changed', () => {
  /** The chain function's source as OpenSEND installed it, with a statement that keeps the key added. */
  async function chainSourceThatKeepsTheKey(tx: Tx): Promise<string> {
    const source = rowsOf<{ src: string }>(
      await tx.execute(sql`select prosrc as src from pg_proc where proname = 'audit_event_chain'`),
    )[0]?.src;
    return (source ?? '').replace(
      'BEGIN',
      "BEGIN\n  INSERT INTO captured VALUES (current_setting('opensend.audit_hmac', true));",
    );
  }
  const captured = async () =>
    rowsOf<{ pads: string | null }>(await database.db.execute(sql`select pads from captured`))
      .map((r) => r.pads)
      .filter((pads): pads is string => typeof pads === 'string' && pads.length === 256);

  it('the chain trigger re-created, same name, on a copy of the function that keeps the key: found, even after the chain is re-linked with the key it copied', async () => {
    await asOwner(async (tx) => {
      await tx.execute(sql`create table captured (pads text)`);
      await tx.execute(
        sql.raw(
          `create function audit_event_chain_v2() returns trigger language plpgsql as $fn$${await chainSourceThatKeepsTheKey(tx)}$fn$`,
        ),
      );
      await tx.execute(sql`drop trigger audit_event_chain on audit_event`);
      await tx.execute(
        sql`create trigger audit_event_chain before insert on audit_event for each row execute function audit_event_chain_v2()`,
      );
    });
    await activity();
    const [pads] = await captured();
    expect(pads).toBeDefined();

    // With the key it copied, the owner changes an entry and re-links everything after it: every link
    // now verifies with the school's key.
    const chain = await chainOf(w.school.id);
    const victim = chain.filter((e) => e.action === 'pupil.viewed')[1];
    if (!victim) throw new Error('no second pupil.viewed entry');
    await asOwner(async (tx) => {
      await tx.execute(sql`alter table audit_event_pupil disable trigger user`);
      await tx.execute(sql`alter table audit_event disable trigger audit_event_no_update_or_delete`);
      await tx.execute(
        sql`alter table audit_event_pupil drop constraint audit_event_pupil_event_id_audit_event_id_fk`,
      );
      await tx.execute(sql`
        create temporary table gone on commit drop as
        select * from audit_event where school_id = ${w.school.id} and chain_seq >= ${victim.seq}`);
      await tx.execute(sql`delete from audit_event where id in (select id from gone)`);
      await tx.execute(sql`
        insert into audit_event (id, occurred_at, school_id, user_id, role, action, pupil_id, request_id, detail, shown_pupils_digest)
        select id, occurred_at, school_id, case when id = ${victim.id} then ${w.head.actor.userId}::uuid else user_id end,
          role, action, pupil_id, request_id, detail, shown_pupils_digest
        from gone order by chain_seq`);
      await tx.execute(sql`alter table audit_event enable trigger audit_event_no_update_or_delete`);
      await tx.execute(sql`alter table audit_event_pupil enable trigger user`);
    }, pads);
    const result = await verify();
    expect(result.broken).toEqual([]);
    expect(result.safeguards).toEqual(
      expect.arrayContaining([
        "The trigger audit_event_chain on audit_event does not run OpenSEND's function audit_event_chain: it runs public.audit_event_chain_v2",
        'A function OpenSEND did not create: public.audit_event_chain_v2()',
      ]),
    );
    expect(intact(result)).toBe(false);
  });

  it('a second trigger that keeps the key, on the trail or on any other table OpenSEND writes: found', async () => {
    await asOwner(async (tx) => {
      await tx.execute(sql`create table captured (pads text)`);
      await tx.execute(sql`
        create function keep_key() returns trigger language plpgsql as $fn$
        begin
          insert into captured values (current_setting('opensend.audit_hmac', true));
          return new;
        end $fn$`);
      await tx.execute(
        sql`create trigger audit_event_also before insert on audit_event for each row execute function keep_key()`,
      );
      await tx.execute(
        sql`create trigger concern_also after insert on concern for each row execute function keep_key()`,
      );
    });
    await activity();
    expect((await captured()).length).toBeGreaterThan(0);
    const result = await verify();
    expect(result.safeguards).toEqual([
      'A trigger OpenSEND did not create: audit_event_also on public.audit_event (it runs public.keep_key); it could copy the audit key',
      'A trigger OpenSEND did not create: concern_also on public.concern (it runs public.keep_key); it could copy the audit key',
      'A function OpenSEND did not create: public.keep_key()',
    ]);
    expect(intact(result)).toBe(false);
  });

  it('the append-only function made a no-op, or its triggers re-created (same names) on a no-op: found', async () => {
    await asOwner(async (tx) => {
      await tx.execute(sql`
        create or replace function audit_event_refuse_change() returns trigger language plpgsql as $fn$
        begin
          return coalesce(new, old);
        end $fn$`);
    });
    // The trail can now be changed, with every trigger in place and turned on.
    const [first] = await chainOf(w.school.id);
    await database.db.execute(sql`update audit_event set role = 'nobody' where id = ${first?.id ?? 0}`);
    expect((await verify()).safeguards).toEqual([
      'The function audit_event_refuse_change is not the one OpenSEND installed: it may have been changed to capture the audit key or to let the trail be changed',
    ]);

    const again = await freshDatabase();
    try {
      await again.db.transaction(async (tx) => {
        await tx.execute(sql`
          create function let_through() returns trigger language plpgsql as $fn$
          begin
            return coalesce(new, old);
          end $fn$`);
        for (const table of ['audit_event', 'audit_event_pupil']) {
          await tx.execute(sql.raw(`drop trigger ${table}_no_update_or_delete on ${table}`));
          await tx.execute(
            sql.raw(
              `create trigger ${table}_no_update_or_delete before update or delete on ${table} for each row execute function let_through()`,
            ),
          );
        }
      });
      expect((await testServices(again).admin.verifyAudit(runner)).safeguards).toEqual([
        "The trigger audit_event_no_update_or_delete on audit_event does not run OpenSEND's function audit_event_refuse_change: it runs public.let_through",
        "The trigger audit_event_pupil_no_update_or_delete on audit_event_pupil does not run OpenSEND's function audit_event_refuse_change: it runs public.let_through",
        'A function OpenSEND did not create: public.let_through()',
      ]);
    } finally {
      await again.close();
    }
  });

  it('a trigger of the trail with a condition or other events, the chain function given a search path of its own: found', async () => {
    await asOwner(async (tx) => {
      await tx.execute(sql`drop trigger audit_event_no_truncate on audit_event`);
      await tx.execute(
        sql`create trigger audit_event_no_truncate after truncate on audit_event for each statement execute function audit_event_refuse_change()`,
      );
      await tx.execute(sql`drop trigger audit_event_pupil_no_update_or_delete on audit_event_pupil`);
      await tx.execute(sql`
        create trigger audit_event_pupil_no_update_or_delete before update or delete on audit_event_pupil
        for each row when (false) execute function audit_event_refuse_change()`);
      // Its body unchanged, but resolving its functions somewhere the owner chose first.
      await tx.execute(sql`alter function audit_event_chain() set search_path = public, pg_catalog`);
    });
    expect((await verify()).safeguards).toEqual([
      'The trigger audit_event_no_truncate on audit_event is not as OpenSEND created it (BEFORE TRUNCATE FOR EACH STATEMENT, with no condition)',
      'The trigger audit_event_pupil_no_update_or_delete on audit_event_pupil is not as OpenSEND created it (BEFORE DELETE OR UPDATE FOR EACH ROW, with no condition)',
      'The function that chains the trail (audit_event_chain) is not the one OpenSEND installed: it may have been changed to capture the audit key',
    ]);
  });

  it('a rule, a policy, an event trigger, or a default that reads the key: found', async () => {
    await asOwner(async (tx) => {
      await tx.execute(sql`create table captured (pads text)`);
      await tx.execute(sql`
        create rule concern_copy as on insert to concern
        do also insert into captured values (current_setting('opensend.audit_hmac', true))`);
      await tx.execute(
        sql`alter table concern alter column reasons set default current_setting('opensend.audit_hmac', true)`,
      );
      await tx.execute(sql`create policy everyone on audit_event using (true)`);
      await tx.execute(sql`
        create function on_ddl() returns event_trigger language plpgsql as $fn$ begin end $fn$`);
      await tx.execute(sql`create event trigger on_ddl on ddl_command_end execute function on_ddl()`);
    });
    await activity();
    expect((await captured()).length).toBeGreaterThan(0);
    const { safeguards } = await verify();
    expect(safeguards).toEqual([
      'A function OpenSEND did not create: public.on_ddl()',
      'A rule OpenSEND did not create: concern_copy on public.concern',
      'An event trigger OpenSEND did not create: on_ddl (on ddl_command_end)',
      'A row security policy OpenSEND did not create: everyone on public.audit_event',
      expect.stringMatching(
        /^The default of public\.concern\.reasons reads a setting of the connection, where the audit key is kept: current_setting\('opensend\.audit_hmac'/,
      ),
    ]);
    await database.db.execute(sql`drop event trigger on_ddl`);
  });
});

describe('a trail written before the chain was keyed', () => {
  let old: Database;
  /** Entries as the trigger before keying wrote them (no key needed then), with the pupils of a list. */
  async function oldEntries() {
    const school = '11111111-1111-4111-8111-111111111111';
    const pupilA = '22222222-2222-4222-8222-222222222222';
    const pupilB = '33333333-3333-4333-8333-333333333333';
    await old.db.execute(sql`
      insert into audit_event (school_id, action, pupil_id, detail) values
        (null, 'demo.loaded', null, '{"schools": 1}'),
        (${school}, 'pupil.viewed', ${pupilA}, null),
        (${school}, 'pupil.listed', null, '{"page": 1}'),
        (${school}, 'pupil.viewed', ${pupilB}, null),
        (null, 'backup.made', null, '{"file": "a.backup"}')`);
    await old.db.execute(sql`
      insert into audit_event_pupil (school_id, pupil_id, event_id)
      select ${school}, p, (select id from audit_event where action = 'pupil.listed')
      from unnest(array[${pupilA}, ${pupilB}]::uuid[]) p`);
    return { school, pupilA };
  }
  afterEach(async () => {
    await old?.close();
  });

  it('verifies after the upgrade, sealed; new entries follow; a change to an old entry or to its pupils is found', async () => {
    old = await databaseMigratedBefore('keyed_audit_chain');
    const { school, pupilA } = await oldEntries();
    const legacy = rowsOf<{ hash: string }>(await old.db.execute(sql`select hash from audit_event`));
    expect(legacy.every((r) => /^[0-9a-f]{64}$/.test(r.hash))).toBe(true);
    await old.migrate();
    const oldServices = testServices(old);
    // Each chain with old entries is sealed by a keyed entry that counts them.
    const seals = rowsOf<{ school_id: string | null; detail: unknown }>(
      await old.db.execute(
        sql`select school_id::text, detail from audit_event where action = 'audit.chain_keyed' order by school_id nulls first`,
      ),
    );
    expect(
      seals.map((s) => [
        s.school_id,
        (typeof s.detail === 'string' ? JSON.parse(s.detail) : s.detail).entries,
      ]),
    ).toEqual([
      [null, 2],
      [school, 3],
    ]);
    expect(intact(await oldServices.admin.verifyAudit(runner))).toBe(true);
    // New entries in an old chain, and the checkpoint, work as on a new database.
    await oldServices.admin.checkpointAudit(runner);
    expect(intact(await oldServices.admin.verifyAudit(runner))).toBe(true);

    // A pupil of an old list entry deleted: the seal's count of old pupils no longer matches.
    await old.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_event_pupil disable trigger user`);
      await tx.execute(sql`delete from audit_event_pupil where pupil_id = ${pupilA}`);
      await tx.execute(sql`alter table audit_event_pupil enable trigger user`);
    });
    expect((await oldServices.admin.verifyAudit(runner)).broken).toEqual([
      expect.objectContaining({ schoolId: school, chainSeq: 4, reason: 'seal' }),
    ]);
  });

  it('an old entry changed and the old chain rebuilt with audit_event_digest() breaks the seal', async () => {
    old = await databaseMigratedBefore('keyed_audit_chain');
    const { school } = await oldEntries();
    await old.migrate();
    await old.db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('opensend.audit_hmac', '', true)`);
      await tx.execute(sql`alter table audit_event disable trigger user`);
      await tx.execute(sql`update audit_event set detail = '{"page": 2}' where action = 'pupil.listed'`);
      await tx.execute(
        sql.raw(`do $$
          declare r audit_event; prev text;
          begin
            for r in select * from audit_event where school_id = '${school}' and hash not like 'k1:%' order by chain_seq loop
              prev := audit_event_digest(prev, r.chain_seq, r);
              update audit_event set hash = prev where id = r.id;
            end loop;
          end $$`),
      );
      await tx.execute(sql`alter table audit_event enable trigger user`);
    });
    expect((await testServices(old).admin.verifyAudit(runner)).broken).toEqual([
      expect.objectContaining({ schoolId: school, chainSeq: 4, reason: 'content' }),
    ]);
  });

  it('is not upgraded without the key: the upgrade stops with a plain message and changes nothing', async () => {
    old = await databaseMigratedBefore('keyed_audit_chain', { auditKey: null });
    await oldEntries();
    expect(await refusal(old.migrate())).toMatch(/Upgrading the audit trail needs OpenSEND's audit key/);
    const columns = rowsOf<{ n: number | string }>(
      await old.db.execute(
        sql`select count(*) as n from information_schema.columns where table_name = 'audit_event' and column_name = 'shown_pupils_digest'`,
      ),
    );
    expect(Number(columns[0]?.n)).toBe(0);
  });
});
