import nodemailer from 'nodemailer';
import type { SmtpSettings } from '../config.ts';
import type { Mailer } from '../services/kernel/ports.ts';

export type { SmtpSettings } from '../config.ts';
export type { Mailer, OutgoingMessage } from '../services/kernel/ports.ts';

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
  const domain = /@([^\s@<>]+)/.exec(settings.from)?.[1] ?? 'opensend.invalid';
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
