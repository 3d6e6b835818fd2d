import nodemailer from 'nodemailer';
import type { Mailer } from '../services/kernel/ports.ts';

export type { Mailer, OutgoingMessage } from '../services/kernel/ports.ts';

/** How OpenSEND reaches its mail server (from the environment: SMTP_HOST and the rest). */
export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the start (port 465); otherwise STARTTLS is required unless `allowPlain` is set. */
  secure: boolean;
  user?: string | undefined;
  password?: string | undefined;
  from: string;
  /** Only for a mail server on the same machine or in tests: send without TLS. */
  allowPlain?: boolean;
}

export function createSmtpMailer(settings: SmtpSettings): Mailer {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    requireTLS: !settings.secure && !settings.allowPlain,
    ignoreTLS: Boolean(settings.allowPlain) && !settings.secure,
    ...(settings.user ? { auth: { user: settings.user, pass: settings.password ?? '' } } : {}),
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  const domain = settings.from.split('@')[1] ?? 'opensend.invalid';
  return {
    async send(message) {
      await transport.sendMail({
        from: settings.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        messageId: `<${message.id}@${domain}>`,
      });
    },
    async verify() {
      try {
        return await transport.verify();
      } catch {
        return false;
      }
    },
    close() {
      transport.close();
    },
  };
}
