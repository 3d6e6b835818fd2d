import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { freshPgliteDataDir } from './db.ts';
import { HttpClient, SETUP_SENCO_EMAIL, setUpSchoolOverHttp } from './http-client.ts';
import { type RunningOpensend, startOpensend } from './opensend-process.ts';
import { startSmtpServer } from './smtp.ts';

const mailEnv = (port: number) => ({
  SMTP_HOST: '127.0.0.1',
  SMTP_PORT: String(port),
  SMTP_TLS: 'none',
  MAIL_FROM: 'OpenSEND <opensend@crash.example>',
  PUBLIC_URL: 'https://opensend.crash.example',
});

describe('opensend serve with a mail server', () => {
  const dirs: string[] = [];
  const running: RunningOpensend[] = [];
  afterAll(() => {
    for (const r of running) r.kill();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('sends what the school queues at once through its job worker, and stops cleanly', async () => {
    const smtp = await startSmtpServer();
    try {
      const dataDir = await freshPgliteDataDir();
      dirs.push(dataDir);
      const server = await startOpensend(dataDir, { env: mailEnv(smtp.port) });
      running.push(server);
      const client = new HttpClient(server.baseUrl);
      await setUpSchoolOverHttp(client);
      const outbox = await client.get('/settings/outbox');
      expect(outbox.body).toContain('A mail server is set up');
      const sent = await client.post('/settings/outbox/test', {});
      expect(sent.status).toBe(303);
      // The worker is told at once: no waiting for its first look a minute after start.
      await expect.poll(() => smtp.received.length, { timeout: 15_000 }).toBe(1);
      expect(smtp.received[0]!.to).toEqual([SETUP_SENCO_EMAIL]);
      expect(smtp.received[0]!.raw).toContain('https://opensend.crash.example/settings/outbox');
      expect(server.output()).not.toMatch(/cannot reach the mail server/);
      await expect.poll(async () => (await client.get('/settings/outbox')).body).toContain('Sent');
      server.child.kill('SIGTERM');
      expect(await new Promise((resolve) => server.child.on('exit', resolve))).toBe(0);
    } finally {
      await smtp.close();
    }
  }, 120_000);

  it('says at start when the mail server cannot be reached, and keeps the mail to try again', async () => {
    const smtp = await startSmtpServer();
    const port = smtp.port;
    await smtp.close(); // nothing listens there now
    const dataDir = await freshPgliteDataDir();
    dirs.push(dataDir);
    const server = await startOpensend(dataDir, { env: mailEnv(port) });
    running.push(server);
    await expect
      .poll(() => server.output(), { timeout: 20_000 })
      .toMatch(/cannot reach the mail server at 127\.0\.0\.1:\d+ .*mail waits in the outbox/);
    const client = new HttpClient(server.baseUrl);
    await setUpSchoolOverHttp(client);
    await client.get('/settings/outbox');
    await client.post('/settings/outbox/test', {});
    await expect
      .poll(async () => (await client.get('/settings/outbox')).body, { timeout: 15_000 })
      .toContain('Waiting');
    server.child.kill('SIGTERM');
    expect(await new Promise((resolve) => server.child.on('exit', resolve))).toBe(0);
  }, 120_000);
});
