import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/db.ts';
import { startSmtpServer } from '../../../test/smtp.ts';
import { createJobWorker } from '../../adapters/job-worker.ts';
import { createSmtpMailer } from '../../adapters/smtp.ts';
import type { Database } from '../../db/client.ts';
import { job, outboundMail } from '../../db/schema/index.ts';
import { findMail } from '../../repositories/mail.ts';
import { isPermanentRefusal, queueMail, queueWaitingMail, SEND_MAIL_JOB, sendMailHandler } from './outbox.ts';

function freePort(): Promise<number> {
  return startSmtpServer().then(async (s) => {
    await s.close();
    return s.port;
  });
}

const values = { from: 'Brookfield Primary School', link: 'https://opensend.example/letters/1' };

describe('mail through the outbox', () => {
  let database: Database;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it('is written with the change that causes it, and not at all when that change is undone', async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await queueMail(tx, { schoolId: null }, 'parent@families.example', 'record.updated', values);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await database.db.select().from(outboundMail)).toEqual([]);
    expect(await database.db.select().from(job).where(eq(job.kind, SEND_MAIL_JOB))).toEqual([]);
  });

  it('is sent by the job worker to a real SMTP server, saying what happened and where', async () => {
    const smtp = await startSmtpServer();
    const mailer = createSmtpMailer({
      host: '127.0.0.1',
      port: smtp.port,
      secure: false,
      allowPlain: true,
      from: 'opensend@brookfield.example',
    });
    try {
      const id = await database.db.transaction((tx) =>
        queueMail(tx, { schoolId: null }, 'parent@families.example', 'record.updated', values),
      );
      const worker = createJobWorker(database, { [SEND_MAIL_JOB]: sendMailHandler(database, mailer) });
      expect(await worker.drain()).toBe(1);
      expect(smtp.received).toHaveLength(1);
      const [message] = smtp.received;
      expect(message!.to).toEqual(['parent@families.example']);
      expect(message!.from).toBe('opensend@brookfield.example');
      expect(message!.raw).toContain('Subject: Something new from Brookfield Primary School in OpenSEND');
      expect(message!.raw).toContain('https://opensend.example/letters/1');
      expect(message!.raw).toContain(`Message-ID: <${id}@brookfield.example>`);
      expect(await findMail(database.db, id)).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
      // Sent is sent: running the job again sends nothing more.
      await sendMailHandler(
        database,
        mailer,
      )({
        id: 'again',
        kind: SEND_MAIL_JOB,
        payload: { mailId: id },
        attempts: 2,
        maxAttempts: 8,
      });
      expect(smtp.received).toHaveLength(1);
    } finally {
      mailer.close();
      await smtp.close();
    }
  });

  it('is kept and tried again while the mail server is down, then sent: nothing is lost', async () => {
    const port = await freePort();
    const mailer = createSmtpMailer({
      host: '127.0.0.1',
      port,
      secure: false,
      allowPlain: true,
      from: 'opensend@brookfield.example',
    });
    const id = await database.db.transaction((tx) =>
      queueMail(tx, { schoolId: null }, 'carer@families.example', 'account.invited', values),
    );
    const worker = createJobWorker(
      database,
      { [SEND_MAIL_JOB]: sendMailHandler(database, mailer) },
      { backoffMs: () => 0 },
    );
    expect(await worker.runOne()).toBe(true);
    const afterFailure = await findMail(database.db, id);
    expect(afterFailure).toMatchObject({ status: 'queued', attempts: 1 });
    expect(afterFailure?.lastError).toMatch(/ECONNREFUSED|connect/i);

    const smtp = await startSmtpServer(port);
    try {
      await worker.drain();
      expect(smtp.received.map((m) => m.to)).toEqual([['carer@families.example']]);
      expect(await findMail(database.db, id)).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    } finally {
      mailer.close();
      await smtp.close();
    }
  });

  it('is marked failed at once when the server refuses it for good (5xx), and not tried again', async () => {
    const refused = Object.assign(new Error('550 5.1.1 No such user here'), { responseCode: 550 });
    let tries = 0;
    const mailer = {
      send: async () => {
        tries++;
        throw refused;
      },
      verify: async () => true,
      close: () => {},
    };
    const id = await database.db.transaction((tx) =>
      queueMail(tx, { schoolId: null }, 'nobody@families.example', 'account.invited', values),
    );
    const worker = createJobWorker(
      database,
      { [SEND_MAIL_JOB]: sendMailHandler(database, mailer) },
      { backoffMs: () => 0 },
    );
    await worker.drain();
    expect(tries).toBe(1);
    expect(await findMail(database.db, id)).toMatchObject({ status: 'failed', attempts: 1 });
    expect((await findMail(database.db, id))?.lastError).toContain('No such user');
    // A refusal for now (4xx) is tried again.
    expect(isPermanentRefusal(Object.assign(new Error('451 try later'), { responseCode: 451 }))).toBe(false);
    expect(isPermanentRefusal(new Error('ECONNREFUSED'))).toBe(false);
  });

  it('stays in the outbox, to be printed or copied, where no mail server is set up', async () => {
    const id = await database.db.transaction((tx) =>
      queueMail(tx, { schoolId: null }, 'gran@families.example', 'record.updated', values),
    );
    const worker = createJobWorker(database, { [SEND_MAIL_JOB]: sendMailHandler(database, null) });
    await worker.drain();
    expect(await findMail(database.db, id)).toMatchObject({ status: 'queued', attempts: 0, sentAt: null });
  });

  it('is sent once a mail server is set up: what waited is given a job again, once', async () => {
    const id = await database.db.transaction((tx) =>
      queueMail(tx, { schoolId: null }, 'waited@agency.example', 'record.updated', values),
    );
    await createJobWorker(database, { [SEND_MAIL_JOB]: sendMailHandler(database, null) }).drain();
    expect(await findMail(database.db, id)).toMatchObject({ status: 'queued' });
    const sent: string[] = [];
    const mailer = {
      send: async (m: { to: string }) => {
        sent.push(m.to);
      },
      verify: async () => true,
      close: () => {},
    };
    expect(await queueWaitingMail(database.db)).toBeGreaterThanOrEqual(1);
    // Asked again before the worker runs: nothing more is queued for the same message.
    expect(await queueWaitingMail(database.db)).toBe(0);
    await createJobWorker(database, { [SEND_MAIL_JOB]: sendMailHandler(database, mailer) }).drain();
    expect(await findMail(database.db, id)).toMatchObject({ status: 'sent' });
    expect(sent.filter((to) => to === 'waited@agency.example')).toHaveLength(1);
  });

  it('refuses an address that is not one email address', async () => {
    await expect(
      database.db.transaction((tx) =>
        queueMail(tx, { schoolId: null }, 'a@b.example, c@d.example', 'record.updated', values),
      ),
    ).rejects.toThrow(/Not an email address/);
  });
});
