import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServices } from '../../test/builders/common.ts';
import { generateMisRows, misCsv } from '../../test/builders/imports.ts';
import { useWorld } from '../../test/builders/index.ts';
import { startSmtpServer } from '../../test/smtp.ts';
import { createJobWorker } from '../adapters/job-worker.ts';
import { createSmtpMailer } from '../adapters/smtp.ts';
import { auditEvent, job, outboundMail, pupilImport } from '../db/schema/index.ts';
import { insertJobs } from '../repositories/jobs.ts';
import { insertMail } from '../repositories/mail.ts';
import { backgroundWork, every, JOB_KINDS } from './background.ts';
import { ForbiddenError } from './kernel/errors.ts';
import type { MailContext } from './kernel/ports.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe('a recurring job’s period', () => {
  it('is the same key all through a period and a new one after, the same on every instance', () => {
    const hourly = every('test.hourly', 1);
    const sixHourly = every('test.six', 6);
    const at = (iso: string) => new Date(iso);
    expect(hourly.periodKey(at('2026-12-06T14:00:00Z'))).toBe(hourly.periodKey(at('2026-12-06T14:59:59Z')));
    expect(hourly.periodKey(at('2026-12-06T14:59:59Z'))).not.toBe(
      hourly.periodKey(at('2026-12-06T15:00:00Z')),
    );
    expect(sixHourly.periodKey(at('2026-12-06T12:00:00Z'))).toBe(
      sixHourly.periodKey(at('2026-12-06T17:30:00Z')),
    );
    expect(sixHourly.periodKey(at('2026-12-06T17:59:59Z'))).not.toBe(
      sixHourly.periodKey(at('2026-12-06T18:00:00Z')),
    );
    expect(hourly.periodKey(at('2026-12-06T14:00:00Z'))).toMatch(/^test\.hourly:/);
  });
});

describe('the background work', () => {
  const world = useWorld();
  const logged: string[] = [];
  const log = (message: string) => void logged.push(message);

  it('runs each chore once a period however many workers ask: the unapplied upload cleared, a checkpoint written, old jobs and sent mail forgotten', async () => {
    const { database, w } = world;
    const checkpoints = mkdtempSync(path.join(tmpdir(), 'opensend-background-'));
    const services = testServices(database, { auditCheckpoints: { directory: checkpoints, keepDays: 14 } });
    // An upload left unapplied for a month, a job finished two months ago, mail sent and mail waiting.
    const rows = generateMisRows(1, {
      academicYearStart: 2026,
      classes: [{ name: 'Year 4 Oak', ncYear: 4 }],
    });
    const { importId: upload } = await services.imports.upload(w.office.actor, {
      fileName: 'left.csv',
      data: Buffer.from(misCsv(rows)),
    });
    await database.db
      .update(pupilImport)
      .set({ createdAt: new Date(Date.now() - 30 * DAY) })
      .where(and(eq(pupilImport.schoolId, w.school.id), eq(pupilImport.id, upload)));
    const oldJob = randomUUID();
    await insertJobs(database.db, [{ id: oldJob, kind: 'test.old' }]);
    await database.db
      .update(job)
      .set({ finishedAt: new Date(Date.now() - 60 * DAY) })
      .where(eq(job.id, oldJob));
    const [sentLongAgo, waiting] = [randomUUID(), randomUUID()];
    for (const id of [sentLongAgo, waiting])
      await insertMail(database.db, {
        id,
        schoolId: w.school.id,
        toAddress: 'someone@test.example',
        subject: 's',
        body: 'b',
        kind: 'test.message',
      });
    await database.db
      .update(outboundMail)
      .set({ status: 'sent', sentAt: new Date(Date.now() - 60 * DAY) })
      .where(eq(outboundMail.id, sentLongAgo));

    const work = backgroundWork(database, services, null, log);
    const first = createJobWorker(database, work.handlers, { recurring: work.recurring });
    const second = createJobWorker(database, work.handlers, { recurring: work.recurring });
    await Promise.all([first.drain(), second.drain()]);
    await Promise.all([first.drain(), second.drain()]);

    const ran = await database.db
      .select({ kind: job.kind, n: sql<number>`count(*)::int` })
      .from(job)
      .where(sql`${job.dedupeKey} is not null`)
      .groupBy(job.kind);
    const expected = [JOB_KINDS.backup, JOB_KINDS.auditCheckpoint, JOB_KINDS.clearUploads, JOB_KINDS.tidy];
    for (const kind of expected) expect(ran).toContainEqual({ kind, n: 1 });
    const unfinished = await database.db.select().from(job).where(sql`${job.finishedAt} is null`);
    expect(unfinished).toEqual([]);

    expect(await database.db.select().from(pupilImport).where(eq(pupilImport.id, upload))).toEqual([]);
    expect(logged).toContainEqual(expect.stringMatching(/^Removed 1 upload of pupils left unapplied/));
    expect(readdirSync(checkpoints).length).toBe(1);
    expect(await database.db.select().from(job).where(eq(job.id, oldJob))).toEqual([]);
    const mail = await database.db.select({ id: outboundMail.id }).from(outboundMail);
    expect(mail.map((m) => m.id)).toContain(waiting);
    expect(mail.map((m) => m.id)).not.toContain(sentLongAgo);
  });
});

describe('the outbox and the mail OpenSEND writes', () => {
  const world = useWorld();
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let woken = 0;
  const mailContext = (): MailContext => ({
    publicUrl: 'https://opensend.test.example',
    jobsQueued: () => void woken++,
    serverSetUp: true,
  });

  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await smtp.close();
  });

  it('tells someone invited to a school by email, naming the school and linking to sign-in, and nothing else', async () => {
    const { database, w } = world;
    const services = testServices(database, { mail: mailContext() });
    const before = woken;
    const result = await services.staff.add(w.senco.actor, {
      name: 'Anything',
      email: w.otherSenco.email.toUpperCase(),
      roles: ['teaching_assistant'],
      password: null,
    });
    expect(result.kind).toBe('invited');
    expect(woken).toBe(before + 1);
    const { messages } = await services.outbox.list(w.senco.actor);
    expect(messages[0]).toMatchObject({ to: w.otherSenco.email, kind: 'account.invited', status: 'queued' });
    expect(messages[0]!.subject).toContain(w.school.name);
    expect(messages[0]!.body).toContain('https://opensend.test.example/sign-in');

    const mailer = createSmtpMailer({
      host: '127.0.0.1',
      port: smtp.port,
      secure: false,
      allowPlain: true,
      from: 'OpenSEND <opensend@test.example>',
    });
    const work = backgroundWork(database, services, mailer, () => {});
    await createJobWorker(database, { [JOB_KINDS.sendMail]: work.handlers[JOB_KINDS.sendMail]! }).drain();
    mailer.close();
    expect(smtp.received.at(-1)?.to).toEqual([w.otherSenco.email]);
    expect(smtp.received.at(-1)?.raw).toContain(w.school.name);
    const after = await services.outbox.list(w.senco.actor);
    expect(after.messages[0]).toMatchObject({ status: 'sent', attempts: 1 });
    expect(after.messages[0]!.sentAt).toBeInstanceOf(Date);
  });

  it('sends a test message to the SENCo’s own address, audited, and shows the school only its own mail', async () => {
    const { database, w } = world;
    const services = testServices(database, { mail: mailContext() });
    const id = await services.outbox.sendTest(w.senco.actor);
    const mine = await services.outbox.list(w.senco.actor);
    expect(mine.messages.find((m) => m.id === id)).toMatchObject({ to: w.senco.email, kind: 'test.message' });
    expect(mine.serverSetUp).toBe(true);
    const theirs = await services.outbox.list(w.otherSenco.actor);
    expect(theirs.messages.map((m) => m.id)).not.toContain(id);
    const audited = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'mail.test_queued'), eq(auditEvent.schoolId, w.school.id)));
    expect(audited).toHaveLength(1);
  });

  it('is not for a class teacher or the office: refused and audited', async () => {
    const { database, w } = world;
    const services = testServices(database, { mail: mailContext() });
    await expect(services.outbox.list(w.teacherA.actor)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(services.outbox.sendTest(w.office.actor)).rejects.toBeInstanceOf(ForbiddenError);
    const refusals = () =>
      database.db
        .select({ detail: auditEvent.detail })
        .from(auditEvent)
        .where(
          and(
            eq(auditEvent.action, 'access.refused'),
            sql`${auditEvent.userId} in (${w.office.actor.userId}, ${w.teacherA.actor.userId})`,
          ),
        );
    await expect
      .poll(async () => (await refusals()).map((r) => r.detail?.where).sort())
      .toEqual(['outbox.list', 'outbox.sendTest']);
  });
});
