/**
 * The kernel's ports: what services need from the outside world, as interfaces. Their
 * implementations live in src/adapters (SMTP, the job worker) and are given to the services by
 * main.ts; tests give real ones (an SMTP server started in the test) or none.
 */

export interface OutgoingMessage {
  /** The outbox row's id: the Message-ID, so a message sent twice after a crash can be recognised. */
  id: string;
  to: string;
  subject: string;
  text: string;
}

/** The mail port: send one message, or fail with the server's reason. */
export interface Mailer {
  send(message: OutgoingMessage): Promise<void>;
  /** Whether the server answers (at start, to warn early). */
  verify(): Promise<boolean>;
  close(): void;
}

/** What a job handler is given: the job's row. Handlers must be idempotent (a job may run twice). */
export interface JobContext {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
}

export type JobHandler = (job: JobContext) => Promise<void>;

/** A job that recurs: enqueued once per period (its dedupe key names the period) by whichever instance asks first. */
export interface RecurringJob {
  kind: string;
  /** The key of the period `now` falls in, e.g. "backup.daily:2026-12-06T14". */
  periodKey(now: Date): string;
  payload?: Record<string, unknown>;
}

/**
 * What a service that queues mail needs besides the database: where the links in mail point, and a
 * way to tell the job worker there is work now (rather than at its next look).
 */
export interface MailContext {
  publicUrl: string;
  jobsQueued(): void;
  /** Whether a mail server is set up (SMTP_HOST): without one, mail waits in the outbox. */
  serverSetUp: boolean;
}

export const NO_MAIL_CONTEXT: MailContext = {
  publicUrl: 'http://localhost:3000',
  jobsQueued: () => {},
  serverSetUp: false,
};
